"""A page's text size from its ink: connected components, and the closer view scaled from them where
the detector merges lines far thinner than it learned."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from polyocr.eval.metrics import ned
from polyocr.infer.textsize import character_height, component_boxes

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from bench_ink import python_boxes  # noqa: E402  (the obvious breadth-first fill, as the benchmark times it)


@pytest.mark.parametrize("density", [0.2, 0.45, 0.6])
def test_components_are_those_a_breadth_first_fill_finds(density):
    ink = np.random.default_rng(int(density * 100)).random((61, 83)) < density
    found = component_boxes(ink)
    assert len(found) == len(python_boxes(ink))
    assert {tuple(int(v) for v in row) for row in found} == python_boxes(ink)


def glyph_page(height: int, light_on_dark: bool = False) -> np.ndarray:
    """A page of 'characters': blocks ``height`` tall and 0.6 of that wide, in rows, a few shorter."""
    page = np.full((600, 800), 255, np.uint8)
    for row, y in enumerate(range(40, 560, 2 * height)):
        for k, x in enumerate(range(40, 760, height)):
            tall = height if (k + row) % 5 else height // 2
            page[y + height - tall: y + height, x: x + int(0.6 * height)] = 20
    return 255 - page if light_on_dark else page


@pytest.mark.parametrize("height", [6, 11, 24])
def test_the_character_height_is_the_tall_glyphs_height(height):
    boxes = np.array([[0, 0, 800, 600]], np.float64)
    assert character_height(glyph_page(height), boxes) == height
    assert character_height(np.repeat(glyph_page(height, True)[..., None], 3, axis=2), boxes) == height


def test_only_ink_inside_the_detected_text_counts():
    page = glyph_page(11)
    page[300:, :] = 255
    page[400:560, 40:760] = glyph_page(40)[40:200, 40:760]  # large type below, outside the boxes given
    assert character_height(page, np.array([[0, 0, 800, 290]], np.float64)) == 11


def test_no_ink_or_too_few_characters_tell_nothing():
    boxes = np.array([[0, 0, 800, 600]], np.float64)
    assert character_height(np.full((600, 800), 255, np.uint8), boxes) is None
    page = np.full((600, 800), 255, np.uint8)
    page[100:120, 100:110] = 0
    assert character_height(page, boxes) is None
    assert character_height(glyph_page(11), np.zeros((0, 4))) is None


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR

    return OCR(threads=2)


def test_small_text_on_a_wide_canvas_is_read_as_the_page_itself(ocr):
    """The English sample pasted on a canvas 2.5 times its size: the first view sees its lines ~6 px
    thick and the detector reports merged bands of ~13 px; scaled from those, the closer view is still
    too far and the page reads as noise; scaled from the ink, it reads as the page alone does."""
    image = Image.open(SAMPLES / "en.jpg").convert("RGB")
    image = image.crop((0, 0, image.width, image.height // 2))
    canvas = Image.new("RGB", (int(image.width * 2.5), int(image.height * 5)), (255, 255, 255))
    canvas.paste(image, (image.width // 2, image.height))
    alone = ocr.read(image).text
    assert ned(ocr.read(canvas).text, alone) < 0.05  # the cut last line reads a little otherwise
    ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, "ink_thickness": 0.0})
    try:
        assert ned(ocr.read(canvas).text, alone) > 0.1
    finally:
        ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, "ink_thickness": 1.4})
