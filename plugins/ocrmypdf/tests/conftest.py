"""Fixtures: polyocr's constant checkpoint (one line per page, read as "a": no trained model needed) and an
image-only PDF."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    from polyocr.model.testing import constant_checkpoint

    return constant_checkpoint(tmp_path_factory.mktemp("ckpt") / "model")


@pytest.fixture(scope="session")
def image_pdf(tmp_path_factory):
    """An image-only PDF: a small white page (A6-ish at 150 dpi) with a black bar."""
    im = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(im).rectangle((60, 180, 540, 215), fill="black")
    path = tmp_path_factory.mktemp("pdf") / "in.pdf"
    im.save(path, "PDF", resolution=150.0)
    return path
