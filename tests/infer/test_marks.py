"""Leading marks: a hanging list's bullet is taken into its line; rules, icons and other columns are not."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from polyocr.infer.marks import leading_marks, moved_starts

T = 30  # the line's thickness in pixels


def page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGB", (800, 300), "white")
    return im, ImageDraw.Draw(im)


def line_quad(x0: float, y0: float, x1: float) -> np.ndarray:
    return np.array([[[x0, y0], [x1, y0], [x1, y0 + T], [x0, y0 + T]]], np.float32)


def text(draw: ImageDraw.ImageDraw, x0: int, y0: int, x1: int) -> None:
    """Ink standing for a line's words: blocks on the line's band with gaps between them."""
    for x in range(x0, x1, 24):
        draw.rectangle([x, y0 + 6, x + 16, y0 + 24], fill="black")


def bullet_page() -> Image.Image:
    """A line whose bullet hangs 28 px (0.9 thickness) before its text."""
    im, d = page()
    d.ellipse([112, 112, 122, 122], fill="black")
    text(d, 150, 100, 600)
    return im


def marks(im: Image.Image, quad: np.ndarray) -> float:
    return float(leading_marks(np.asarray(im), quad, np.zeros(len(quad), bool))[0])


def test_a_bullet_an_indent_before_the_text_is_taken_into_the_line():
    im = bullet_page()
    shift = marks(im, line_quad(150, 100, 600))
    assert 28 <= shift <= 42  # the start moves back onto the bullet's left edge (112), not much further
    moved = moved_starts(line_quad(150, 100, 600), np.array([shift], np.float32))
    assert moved[0, 0, 0] <= 112 < moved[0, 1, 0] and moved[0, 1, 0] == 600


def test_no_ink_before_the_line_moves_nothing():
    im, d = page()
    text(d, 150, 100, 600)
    assert marks(im, line_quad(150, 100, 600)) == 0.0


def test_a_rule_beside_the_line_is_no_mark():
    """A box's left border, one pixel wide, running on above and under the line."""
    im, d = page()
    d.line([120, 40, 120, 260], fill="black", width=1)
    text(d, 150, 100, 600)
    assert marks(im, line_quad(150, 100, 600)) == 0.0


def test_the_arc_of_an_icon_is_no_mark():
    """A note's round icon whose inside is blank: its right arc, on the line's band, looks like a blob
    apart from the text, but the circle goes on above and under it, further left."""
    im, d = page()
    d.ellipse([70, 75, 135, 140], outline="black", width=3)
    text(d, 150, 100, 600)
    assert marks(im, line_quad(150, 100, 600)) == 0.0


def test_the_end_of_another_columns_text_is_no_mark():
    """Ink just before the blob (another column's last word) makes it no leading mark."""
    im, d = page()
    text(d, 10, 100, 100)
    d.rectangle([104, 106, 118, 124], fill="black")
    text(d, 150, 100, 600)
    assert marks(im, line_quad(150, 100, 600)) == 0.0


def test_vertical_lines_are_left_alone():
    im = bullet_page()
    assert leading_marks(np.asarray(im), line_quad(150, 100, 600), np.array([True]))[0] == 0.0


def test_a_character_as_tall_as_a_digit_is_no_mark():
    """A table's one-character cell before the next cell's text: as tall as a digit, so no list mark."""
    im, d = page()
    d.rectangle([110, 104, 120, 124], fill="black")
    text(d, 150, 100, 600)
    assert marks(im, line_quad(150, 100, 600)) == 0.0


def test_lines_are_sampled_in_chunks_alike():
    """More lines than one chunk (``CHUNK``): every one is looked at as a page of few lines is."""
    im = bullet_page()
    quads = np.repeat(line_quad(150, 100, 600), 600, axis=0)
    shifts = leading_marks(np.asarray(im), quads, np.zeros(len(quads), bool))
    assert shifts.min() == shifts.max() == marks(im, line_quad(150, 100, 600)) > 0
