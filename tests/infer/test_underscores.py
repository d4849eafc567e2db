"""Underscores that touch, read as one, are counted from their stroke's length in character pitches."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from polyocr.infer.underscores import counted
from polyocr.model.ctc import DecodedLine


def line_image(strokes: list[tuple[int, int]]) -> np.ndarray:
    """A line 20 px thick from x=0, y=10, with letters' ink and underscore strokes (x0, x1) under it."""
    image = Image.new("RGB", (200, 50), "white")
    draw = ImageDraw.Draw(image)
    for x in range(2, 160, 10):
        draw.line((x + 3, 12, x + 3, 24), fill="black", width=2)  # a letter a pitch
    for x0, x1 in strokes:
        draw.line((x0, 27, x1, 27), fill="black", width=2)
    return np.asarray(image)


def read(text: str) -> DecodedLine:
    """``text`` read one character per 10 steps (a step one page pixel): the line's pitch is 10 px."""
    return DecodedLine(text, 0.9, [0.9] * len(text), [(10 * k + 4, 10 * k + 6) for k in range(len(text))])


QUAD = np.array([[0, 10], [200, 10], [200, 30], [0, 30]], np.float32)


def test_a_stroke_two_pitches_long_read_as_one_underscore_is_two():
    image = line_image([(20, 39), (50, 59)])              # under "_" at 20–30 (two long), "_" at 50 (one)
    out = counted(image, QUAD, read("a(_cd_efgh"), 200, 255.0)
    assert out.text == "a(__cd_efgh" and len(out.spans) == len(out.char_conf) == 11
    assert out.spans[2][1] <= out.spans[3][0]             # the two take the one's steps in turn


def test_runs_read_right_and_fill_in_lines_stay():
    image = line_image([(20, 39)])
    assert counted(image, QUAD, read("a(__cdefg"), 200, 255.0).text == "a(__cdefg"  # already two: one stroke
    image = line_image([(20, 99)])                        # eight pitches: a fill-in line, not an identifier
    line = read("ab_cdefgh")
    assert counted(image, QUAD, line, 200, 255.0) is line
    plain = read("abcdef")
    assert counted(line_image([]), QUAD, plain, 200, 255.0) is plain


def test_between_letters_a_stroke_must_be_longer_to_count_as_two():
    image = line_image([(20, 38)])                        # 1.9 pitches long
    assert counted(image, QUAD, read("a(_cdefg"), 200, 255.0).text == "a(__cdefg"  # after a bracket: two
    assert counted(image, QUAD, read("ab_cdefg"), 200, 255.0).text == "ab_cdefg"   # between letters: a wide one
