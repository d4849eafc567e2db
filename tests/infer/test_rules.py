"""Rules (table borders, fill-in lines, underlines) are erased before lines are read; text is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from polyocr.eval.metrics import ned
from polyocr.infer.rules import rule_mask, without_rules

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def brute_mask(dark: np.ndarray, length: int, thickness: int) -> np.ndarray:
    """The obvious way: walk out from every dark pixel along its row and its column."""
    h, w = dark.shape
    out = np.zeros_like(dark)
    for y, x in zip(*np.nonzero(dark), strict=True):
        a0, a1, d0, d1 = x, x, y, y
        while a0 > 0 and dark[y, a0 - 1]:
            a0 -= 1
        while a1 < w - 1 and dark[y, a1 + 1]:
            a1 += 1
        while d0 > 0 and dark[d0 - 1, x]:
            d0 -= 1
        while d1 < h - 1 and dark[d1 + 1, x]:
            d1 += 1
        across, down = a1 - a0 + 1, d1 - d0 + 1
        out[y, x] = (across >= length and down <= thickness) or (down >= length and across <= thickness)
    return out


@pytest.mark.parametrize(("density", "length", "thickness"), [(0.5, 3, 1), (0.6, 4, 2), (0.7, 2, 3)])
def test_the_rule_mask_is_what_walking_each_run_finds(density, length, thickness):
    dark = np.random.default_rng(int(10 * density)).random((47, 61)) < density
    assert np.array_equal(rule_mask(dark, length, thickness), brute_mask(dark, length, thickness))


def test_rules_are_painted_over_and_letters_kept_even_where_they_cross():
    page = np.full((200, 400, 3), 250, np.uint8)
    page[40:60, 50:60] = 10     # a letter's stem, crossing the rule below
    page[80:100, 100:115] = 10  # a letter clear of it
    page[55:57, 20:380] = 10    # a horizontal rule, 2 px
    page[20:180, 385:387] = 10  # a vertical rule
    out = without_rules(page, line=20.0)
    assert (out[55:57, 20:50] == 250).all() and (out[55:57, 60:380] == 250).all()
    assert (out[20:180, 385:387] == 250).all()
    assert (out[40:60, 50:60] == 10).all()  # the stem, where it crosses the rule too
    assert (out[80:100, 100:115] == 10).all()


def test_a_page_without_rules_is_returned_as_it_is():
    page = np.full((100, 200, 3), 250, np.uint8)
    page[40:60, 50:60] = 10
    page[40:60, 70:150] = 10  # a solid block: long, but not thin
    assert without_rules(page, line=20.0) is page
    assert without_rules(np.full((100, 200, 3), 250, np.uint8), line=20.0) is not None


def ruled(image: Image.Image, under: bool = False) -> Image.Image:
    """A 2-px rule in the middle of every gap between lines of ink (a table with ruled rows), or, with
    ``under``, 2 px under every line of ink (fill-in lines, underlined text)."""
    a = np.asarray(image)
    ink = a.min(axis=2) < 160
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    blank = ~ink[ys[0]: ys[-1]].any(axis=1)
    out = image.copy()
    draw = ImageDraw.Draw(out)
    start = None
    for i, b in enumerate(blank):
        if b and start is None:
            start = i
        if not b and start is not None:
            if i - start >= 3:
                y = ys[0] + (start + 2 if under else (start + i) // 2)
                draw.line([(xs[0] - 12, y), (xs[-1] + 12, y)], fill=(0, 0, 0), width=2)
            start = None
    return out


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR

    return OCR(threads=2)


@pytest.mark.parametrize("lang", ["ja", "zh_hans"])
def test_underlined_lines_read_closer_to_the_page_with_the_rules_erased(ocr, lang):
    """Every line of the sample's top half underlined 2 px below its ink: the rule lies in every crop."""
    image = Image.open(SAMPLES / f"{lang}.jpg").convert("RGB")
    image = image.crop((0, 0, image.width, image.height // 2))
    plain = ocr.read(image).text
    underlined = ruled(image, under=True)
    erased = ned(ocr.read(underlined).text, plain)
    ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, "erase_rules": False})
    try:
        kept = ned(ocr.read(underlined).text, plain)
    finally:
        ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, "erase_rules": True})
    assert erased < 0.6 * kept


def test_a_dark_bar_of_light_text_is_left_as_it_is():
    """Between light letters on a dark bar the ground is thin dark runs, as rules are: not erased."""
    page = np.full((200, 400, 3), 250, np.uint8)
    page[50:150] = 15
    for x in range(30, 370, 14):
        page[70:90, x: x + 8] = 240  # light 'letters', 3 px of dark ground under them
    page[93:130, 20:380:14] = 240
    page[90:93, 20:380] = 15
    assert without_rules(page, line=20.0) is page


def test_a_sparse_form_has_its_frames_erased_too():
    """A form with little ink (under 1 % of the page: its darkest percent is paper) still has a contrast,
    so the frames of its fields are found and erased, as on a full page."""
    from polyocr.infer.marks import ink_thresholds

    image = Image.new("RGB", (1200, 1600), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 200, 700, 236), outline=(40, 40, 40), width=1)  # an empty field's frame
    draw.text((100, 210), "Name", fill=(40, 40, 40))
    page = np.asarray(image)
    levels = ink_thresholds(page, (0.5,))
    assert levels is not None and 100 < levels[0] < 200
    out = without_rules(page, 20.0)
    assert out[200, 500].min() > 200 and out[236, 450].min() > 200  # the frame's long sides erased
    assert (out[205:225, 95:140] < 128).any()  # the label kept
    assert ink_thresholds(np.full((400, 400, 3), 250, np.uint8), (0.5,)) is None  # a blank page has none
