"""Our rasterizer agrees with FreeType's on the same outlines: ink IoU ≥ 0.9 at 12–48 px, six languages.

FreeType is driven through freetype-py with hinting and embedded bitmaps off: Pillow cannot switch
those off, and no outline rasterizer can (or should) reproduce a font's hand-made 12 px bitmap strike
or its hinting distortions. What is compared is the rasterization of the outline itself.
"""

from __future__ import annotations

import random

import freetype
import numpy as np
import pytest

from polyocr.lang.registry import load_languages
from polyocr.render.glyphs import rasterize_glyph
from polyocr.render.packfonts import pack_fonts

LANGS = load_languages()
SIZES = (12, 16, 24, 32, 48)
CANVAS = 160
ORIGIN = 56


def _place(pixels: np.ndarray, left: int, top: int) -> np.ndarray:
    canvas = np.zeros((CANVAS, CANVAS), np.float64)
    h, w = pixels.shape
    canvas[ORIGIN + top: ORIGIN + top + h, ORIGIN + left: ORIGIN + left + w] = pixels / 255.0
    return canvas


def _freetype(face: freetype.Face, ch: str, size: int) -> np.ndarray:
    face.set_char_size(size * 64)
    face.load_char(ch, freetype.FT_LOAD_RENDER | freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_NO_BITMAP)
    bm = face.glyph.bitmap
    pixels = np.array(bm.buffer, np.uint8).reshape(bm.rows, bm.pitch)[:, : bm.width] if bm.rows else np.zeros((0, 0))
    return _place(pixels, face.glyph.bitmap_left, -face.glyph.bitmap_top)


def text_iou(font, chars: str, size: int) -> tuple[float, float]:
    """IoU of the ink (coverage ≥ 0.5) of the whole text, glyph by glyph; and the soft (coverage) IoU."""
    face = freetype.Face(str(font.path), index=font.index)
    inter = union = soft_min = soft_max = 0.0
    for ch in chars:
        theirs = _freetype(face, ch, size)
        ours = _place(*rasterize_glyph(font, font.hb_font.get_nominal_glyph(ord(ch)), float(size)))
        inter += ((theirs >= 0.5) & (ours >= 0.5)).sum()
        union += ((theirs >= 0.5) | (ours >= 0.5)).sum()
        soft_min += np.minimum(theirs, ours).sum()
        soft_max += np.maximum(theirs, ours).sum()
    return inter / union, soft_min / soft_max


@pytest.mark.parametrize("code", sorted(LANGS.packs))
def test_ink_agrees_with_freetype(code):
    pack = LANGS.get(code)
    rng = random.Random(code)
    fonts = pack_fonts(pack, roles=("text",))
    for font in rng.sample(fonts, min(3, len(fonts))):
        chars = "".join(rng.sample([c for c in pack.charset if font.has(c) and not c.isspace()], 12))
        for size in SIZES:
            iou, soft = text_iou(font, chars, size)
            assert iou >= 0.9 and soft >= 0.9, f"{font} at {size}px: IoU {iou:.3f} / {soft:.3f} on {chars!r}"
