"""A bilevel page (a fax, a binarized scan) is softened before it is read; other pages are left as they are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from polyocr.infer.pipeline import _bilevel

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _binarized(image: np.ndarray) -> np.ndarray:
    return np.where(image.min(-1, keepdims=True) > 140, 255, 0).repeat(3, -1).astype(np.uint8)


def test_only_black_and_white_pages_are_bilevel():
    page = np.asarray(Image.open(SAMPLES / "en.jpg").convert("RGB"))
    assert not _bilevel(page)
    assert _bilevel(_binarized(page))
    red = _binarized(page).copy()
    red[::2, ::2] = (200, 0, 0)  # a quarter of the pixels coloured: no fax
    assert not _bilevel(red)
    assert not _bilevel(np.zeros((0, 0, 3), np.uint8))


@pytest.fixture(scope="module")
def seen():
    """The images the bundled pipeline's first detection sees, smoothing on and off."""
    from polyocr import OCR

    out = {}
    for sigma in (0.6, 0.0):
        ocr = OCR(threads=1, smooth_bilevel=sigma)
        images = []
        first = ocr.pipeline._detect

        def record(image, *args, _first=first, _images=images, **kwargs):
            _images.append(image)
            return _first(image, *args, **kwargs)

        ocr.pipeline._detect = record
        page = np.asarray(Image.open(SAMPLES / "en.jpg").convert("RGB"))
        for image in (page, _binarized(page)):
            images.clear()
            ocr.pipeline.page(image)
            out[sigma, _bilevel(image)] = (image, images[0])
    return out


def test_a_bilevel_page_is_softened_and_others_are_not(seen):
    original, detected = seen[0.6, True]
    assert not _bilevel(detected) and detected.shape == original.shape
    assert abs(float(detected.mean()) - float(original.mean())) < 2.0  # softened, not darkened or lightened
    original, detected = seen[0.0, True]
    assert detected is original
    for sigma in (0.6, 0.0):
        original, detected = seen[sigma, False]
        assert np.array_equal(detected, original)
