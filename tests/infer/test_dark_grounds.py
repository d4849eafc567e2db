"""Dark grounds of a light page that hold light text (banners, dark boxes, head rows) are inverted before
lines are detected: the ground and what it encloses, nothing beside it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from polyocr.eval.metrics import ned
from polyocr.infer.polarity import dark_grounds, grounds_inverted

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def ring(page: np.ndarray, y: int, x: int, value: int, size: int = 14, stroke: int = 3) -> None:
    """A letter 'o': a square ring of ``value`` around a counter left as it was."""
    page[y: y + size, x: x + size] = value
    page[y + stroke: y + size - stroke, x + stroke: x + size - stroke] = 255 - value


def page_with_a_bar() -> np.ndarray:
    page = np.full((300, 600, 3), 250, np.uint8)
    page[40:120, 20:580] = 25  # the bar
    for x in range(40, 540, 24):
        ring(page, 70, x, 240)  # light letters on it, their counters dark
    for x in range(40, 540, 24):
        ring(page, 122, x, 20)  # a line of dark letters 2 px under the bar, on the paper
    return page


def test_a_bar_and_its_light_letters_are_inverted_and_the_text_beside_it_is_not():
    page = page_with_a_bar()
    mask = dark_grounds(page)
    assert mask is not None
    out = grounds_inverted(page, mask)
    assert out[45, 300].tolist() == [255, 255, 255]  # the bar's ground is paper now
    assert out[71, 41].tolist() == [0, 0, 0]  # a letter's stroke ink
    assert out[77, 47].tolist() == [255, 255, 255]  # and its counter paper, as a dark 'o' on paper
    assert np.array_equal(out[120:], page[120:])  # the dark line under the bar is left as it was
    assert np.array_equal(out[:40], page[:40])


def test_dark_things_that_are_not_grounds_are_left_alone():
    page = np.full((300, 600, 3), 250, np.uint8)
    assert dark_grounds(page) is None
    solid = page.copy()
    solid[40:120, 20:580] = 25  # a dark box with nothing light on it
    assert dark_grounds(solid) is None
    grid = page.copy()
    grid[20:280:40, 20:580] = 0  # a table's rules: one connected piece, far from filling its box
    grid[20:281, 20:580:80] = 0
    grid[40:120, 20:60] = 0
    assert dark_grounds(grid) is None
    heavy = page.copy()  # a word of heavy letters that touch, every third one tall: its box's top is paper
    for k, x in enumerate(range(40, 520, 36)):
        heavy[60 if k % 3 == 0 else 90: 150, x + 4: x + 36] = 10
        heavy[100:140, x + 14: x + 26] = 250  # their counters
    heavy[95:105, 40:520] = 10
    assert dark_grounds(heavy) is None


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR

    return OCR(threads=2)


def test_light_text_on_a_bar_across_the_page_reads_as_on_paper(ocr):
    """The English sample's first section set light on a dark blue bar across the page (as a web page's
    banner): with the bar turned into ink on paper it reads about as the page does; without, far worse."""
    image = np.array(Image.open(SAMPLES / "en.jpg").convert("RGB"))
    image[690:800] = 255  # its Church Slavonic example (no pack reads it: noise that moves with anything)
    plain = ocr.read(image).text
    part = (255 - image[150:575]).astype(np.float32) / 255
    image[150:575] = (np.array([30, 60, 140], np.float32) * (1 - part) + 255 * part).astype(np.uint8)
    inverted = ned(ocr.read(image).text, plain)
    config = ocr.pipeline.cfg
    try:
        ocr.pipeline.cfg = dataclasses.replace(config, invert_dark=False)
        kept = ned(ocr.read(image).text, plain)
    finally:
        ocr.pipeline.cfg = config
    assert inverted < 0.015 and inverted < 0.5 * kept, (inverted, kept)


def test_two_bars_of_different_colours_each_become_ink_on_paper():
    page = page_with_a_bar()
    page[180:260, 20:580] = (30, 60, 140)  # a blue box under the black bar
    for x in range(40, 540, 24):
        ring(page, 210, x, 240)
    grounds = dark_grounds(page)
    assert grounds is not None and grounds.max() == 2
    out = grounds_inverted(page, grounds)
    assert out[45, 300].tolist() == [255, 255, 255] and out[185, 300].tolist() == [255, 255, 255]
    assert out[211, 41].tolist() == [0, 0, 0]


def test_a_light_panel_in_a_dark_frame_keeps_its_dark_text():
    """A page photographed on a dark desk: the desk encloses the page, but the page is no light mark."""
    desk = np.full((400, 700, 3), 30, np.uint8)
    desk[60:340, 150:550] = 245
    for x in range(170, 520, 24):
        ring(desk, 100, x, 20)
    assert dark_grounds(desk) is None


def test_a_page_on_a_dark_desk_is_put_on_paper_and_a_dark_mode_page_is_not():
    """Both have a dark median (``light_on_dark``); only the desk's light part is one large region."""
    from polyocr.infer.polarity import light_on_dark, light_panel, on_paper

    desk = np.full((400, 700, 3), 45, np.uint8)
    desk[60:340, 150:550] = 245
    for x in range(170, 520, 24):
        ring(desk, 100, x, 20)
    assert light_on_dark(desk)
    panel = light_panel(desk)
    assert panel is not None and panel[200, 350] and panel[106, 176] and not panel[20, 20]
    out = on_paper(desk, panel)
    assert out[20, 20].tolist() == [245, 245, 245] and out[390, 690].tolist() == [245, 245, 245]
    assert np.array_equal(out[70:330, 160:540], desk[70:330, 160:540])  # the page as it was
    dark_mode = np.full((400, 700, 3), 30, np.uint8)
    for y in range(40, 360, 30):
        for x in range(40, 660, 24):
            ring(dark_mode, y, x, 230)
    assert light_on_dark(dark_mode) and light_panel(dark_mode) is None
