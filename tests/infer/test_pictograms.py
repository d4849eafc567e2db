"""A note's icon (a ring around a pictogram) read as text is left out; text, framed text and single
characters are kept."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from polyocr.infer.pictograms import is_pictogram, widest_component
from polyocr.infer.pipeline import _without_pictograms
from polyocr.model.ctc import DecodedLine


def canvas(h: int = 80, w: int = 80) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (w, h), 255)
    return image, ImageDraw.Draw(image)


def ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image) < 128


def icon(h: int = 80, w: int = 80) -> Image.Image:
    """A hand-drawn note icon: a ring with a small mark inside, not touching it."""
    image, draw = canvas(h, w)
    draw.ellipse((12, 12, 68, 68), outline=0, width=3)
    draw.rectangle((30, 28, 50, 52), fill=0)
    draw.rectangle((36, 34, 44, 46), fill=255)
    return image


def test_a_ring_around_a_mark_is_one_round_stroke_spanning_the_ink():
    part_h, part_w, all_h, all_w, edge, round_ = widest_component(ink(icon()))
    assert (part_h, part_w) == (all_h, all_w) and 55 <= part_h <= 58 and not edge and round_
    assert is_pictogram(ink(icon()), "(ue5)", line_height=40)
    assert not is_pictogram(ink(icon()), "(ue5)", line_height=70)   # a stroke shorter than its line is a glyph's
    assert not is_pictogram(ink(icon()), "@", line_height=40)        # one character is never taken for one
    assert not is_pictogram(np.zeros((80, 80), bool), "ab", line_height=40)


def test_text_framed_text_and_frame_corners_are_not_pictograms():
    image, draw = canvas(60, 120)
    for x in (10, 40, 70):  # three letters apart
        draw.ellipse((x, 15, x + 24, 45), outline=0, width=3)
    assert not is_pictogram(ink(image), "ooo", line_height=30)
    image, draw = canvas(60, 60)
    draw.rectangle((-5, 2, 70, 80), outline=0, width=3)  # a table cell's frame: goes on below the crop
    draw.text((20, 20), "54", fill=0)
    assert not is_pictogram(ink(image), "54", line_height=30)
    image, draw = canvas(60, 60)
    draw.line((5, 5, 50, 5), fill=0, width=4)  # a frame's corner: it does not go round
    draw.line((5, 5, 5, 54), fill=0, width=4)
    draw.text((20, 25), "ab", fill=0)
    part_h, part_w, all_h, all_w, edge, round_ = widest_component(ink(image))
    assert not round_ and not is_pictogram(ink(image), "ab", line_height=30)
    image, draw = canvas(60, 60)
    draw.ellipse((6, 6, 54, 54), outline=0, width=3)
    draw.line((58, 0, 58, 59), fill=0, width=1)  # a note's frame beside the icon: a rule, left out
    part_h, part_w, all_h, all_w, edge, round_ = widest_component(ink(image))
    assert (part_w, all_w) == (49, 49) and is_pictogram(ink(image), "(9)", line_height=30)


@pytest.mark.parametrize("wide", [False, True])
def test_lines_whose_box_holds_an_icon_are_emptied_in_the_page(wide):
    page = np.full((200, 400, 3), 255, np.uint8)
    page[60:140, 20:100] = np.asarray(icon())[..., None]
    quads = np.array([[[30, 80], [92, 80], [92, 120], [30, 120]],     # the icon's box cuts the ring's top and bottom
                      [[120, 80], [380, 80], [380, 120], [120, 120]]], np.float32)
    page[90:110, 130:370] = 0 if wide else 255
    lines = [(DecodedLine("(ue5)", 0.82, [0.82] * 5, [(k, k + 1) for k in range(5)]), 30),
             (DecodedLine("a line of text", 0.95, [0.95] * 14, [(k, k + 1) for k in range(14)]), 60)]
    out = _without_pictograms(page, quads, np.zeros(2, bool), lines, chars=6)
    assert out[0][0].text == "" and out[0][0].char_conf == [] and out[0][1] == 30
    assert out[1][0] is lines[1][0]
    vertical = _without_pictograms(page, quads, np.ones(2, bool), lines, chars=6)
    assert vertical[0][0] is lines[0][0]   # vertical lines are not looked at
