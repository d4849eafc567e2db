"""Fixtures of the export tests: the sample document of :mod:`sample_document` and its page image."""

from __future__ import annotations

import pytest
from PIL import Image
from sample_document import DPI, build_document, draw_page

from polyocr.infer.result import Document


@pytest.fixture
def document() -> Document:
    return build_document()


@pytest.fixture
def page_image(document: Document) -> Image.Image:
    image = draw_page(document)
    image.info["dpi"] = (DPI, DPI)
    return image
