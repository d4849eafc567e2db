"""Boxes agree with the ink: no inked pixel lies more than 1 px outside its character's box."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from polyocr.lang.registry import load_languages
from polyocr.render.layout import LineGlyphs, TextStyle, layout_line
from polyocr.render.packfonts import pack_fonts
from polyocr.render.renderer import TextRenderer

LANGS = load_languages()


def _one_glyph(glyphs: LineGlyphs, i: int) -> LineGlyphs:
    fields = {}
    for f in dataclasses.fields(glyphs):
        value = getattr(glyphs, f.name)
        fields[f.name] = value[i: i + 1] if isinstance(value, np.ndarray) else value
    return LineGlyphs(**fields)


def _inside(mask: np.ndarray, box: np.ndarray, tol: float = 1.0) -> bool:
    rows, cols = np.nonzero(mask)
    if rows.size == 0:
        return True
    x0, y0, x1, y1 = box
    return bool(cols.min() >= x0 - tol and cols.max() + 1 <= x1 + tol and rows.min() >= y0 - tol and rows.max() + 1 <= y1 + tol)


def _lines(code: str):
    pack = LANGS.get(code)
    rng = random.Random(code)
    fonts = pack_fonts(pack, roles=("text",))
    texts = [t for t in pack.text_lines() if 5 <= len(t) <= 40]
    for _ in range(6):
        font = rng.choice(fonts)
        style = TextStyle((font, *fonts), rng.choice([12.0, 17.5, 24.0, 48.0]), bold=rng.choice([0.0, 0.03]),
                          italic=rng.choice([0.0, 0.0, 0.25]))
        direction = "ttb" if pack.spec.vertical is not None and rng.random() < 0.5 else "ltr"
        yield rng.choice(texts), style, direction


@pytest.mark.parametrize("code", sorted(LANGS.packs))
def test_every_glyph_is_inside_its_character_box(code):
    renderer = TextRenderer()
    for text, style, direction in _lines(code):
        glyphs = layout_line(text, style, direction)
        ox, oy = 40.3, 60.7
        size = (int(glyphs.length + 200), 200) if direction == "ltr" else (200, int(glyphs.length + 200))
        mask = np.zeros((size[1], size[0]), np.uint8)
        [line] = renderer.draw(mask, [(glyphs, ox, oy)])
        assert _inside(mask, np.array([line.quad[:, 0].min(), line.quad[:, 1].min(), line.quad[:, 0].max(),
                                       line.quad[:, 1].max()]))
        starts = np.unique(glyphs.clusters)
        for i in range(glyphs.gids.size):
            alone = np.zeros_like(mask)
            renderer.draw(alone, [(_one_glyph(glyphs, i), ox, oy)])
            char = int(glyphs.clusters[i])
            later = starts[starts > char]
            end = int(later[0]) if later.size else len(text)  # a ligature glyph belongs to all its characters
            assert _inside(alone, line.span_box(char, end)), f"{text!r}: glyph {i} ({text[char:end]!r}) outside its box"


def test_quads_follow_the_reading_direction():
    pack = LANGS.get("ja") if "ja" in LANGS.packs else pytest.skip("needs ja")
    style = TextStyle(tuple(pack_fonts(pack)[:1]), 20.0)
    mask = np.zeros((300, 300), np.uint8)
    horizontal, vertical = TextRenderer().draw(mask, [(layout_line("日本語", style), 10, 30),
                                                      (layout_line("日本語", style, "ttb"), 250, 10)])
    h, v = horizontal.quad, vertical.quad
    assert h[1, 0] > h[0, 0] and h[0, 1] == h[1, 1]  # start-top → end-top runs right
    assert v[1, 1] > v[0, 1] and v[0, 0] == v[1, 0]  # start-top → end-top runs down the right edge
    assert v[0, 0] > v[3, 0]
    assert horizontal.char_boxes[0, 2] <= horizontal.char_boxes[1, 0] + 1e-6
    assert vertical.char_boxes[0, 3] <= vertical.char_boxes[1, 1] + 1e-6
