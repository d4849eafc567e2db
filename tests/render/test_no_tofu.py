"""No tofu, ever: every character of every installed slice is drawn, with ink, by the fonts chosen for it.

The default run checks every (character, face) pair through harfbuzz (glyph id not .notdef, outline
extents not empty) and rasterizes a sample with our rasterizer; ``-m slow`` rasterizes all of them.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from polyocr.lang.fonts import default_catalog
from polyocr.lang.registry import load_languages
from polyocr.render.glyphs import rasterize_glyph
from polyocr.render.layout import TextStyle, layout_line
from polyocr.render.packfonts import pack_fonts
from polyocr.render.renderer import TextRenderer
from polyocr.render.shaping import UncoveredCharacterError

LANGS = load_languages()
CODES = sorted(LANGS.packs)


def _drawable(ch: str) -> bool:
    return not ch.isspace()


def _check(code: str, sample: int | None) -> None:
    pack = LANGS.get(code)
    fonts = pack_fonts(pack, default_catalog())
    charset = [c for c in pack.charset if _drawable(c)]
    union: set[str] = set()
    rng = random.Random(0)
    for font in fonts:
        chars = [c for c in charset if font.has(c)]
        union.update(chars)
        for ch in chars:
            gid = font.hb_font.get_nominal_glyph(ord(ch))
            assert gid, f"{font}: {ch!r} maps to .notdef"
            ext = font.hb_font.get_glyph_extents(gid)
            assert ext is not None and ext.width != 0 and ext.height != 0, f"{font}: {ch!r} has no outline"
        for ch in chars if sample is None else rng.sample(chars, min(sample, len(chars))):
            pixels, _, _ = rasterize_glyph(font, font.hb_font.get_nominal_glyph(ord(ch)), 16.0)
            assert pixels.max() > 0, f"{font}: {ch!r} rasterizes to nothing"
    assert set(charset) <= union, f"no font draws {''.join(sorted(set(charset) - union))[:50]!r}"


@pytest.mark.parametrize("code", CODES)
def test_every_character_has_a_real_glyph(code):
    _check(code, sample=40)


@pytest.mark.slow
@pytest.mark.parametrize("code", CODES)
def test_every_character_rasterizes_with_ink_in_every_font(code):
    _check(code, sample=None)


def test_uncovered_character_is_refused_not_drawn_as_a_box():
    pack = LANGS.get("en") if "en" in LANGS.packs else LANGS.get(CODES[0])
    fonts = [f for f in pack_fonts(pack) if not f.has("日")][:2]
    with pytest.raises(UncoveredCharacterError) as err:
        layout_line("abc 日本", TextStyle(tuple(fonts), 20.0))
    assert err.value.chars == "日本"


def test_fallback_font_draws_what_the_first_cannot():
    if not {"en", "ja"} <= set(LANGS.packs):
        pytest.skip("needs the en and ja packs")
    latin = next(f for f in pack_fonts(LANGS.get("en")) if not f.has("語"))
    cjk = pack_fonts(LANGS.get("ja"))[0]
    glyphs = layout_line("OCR 日本語 test", TextStyle((latin, cjk), 24.0))
    used = {glyphs.fonts[i] for i in glyphs.font_index}
    assert used == {latin, cjk}
    mask = np.zeros((60, 400), np.uint8)
    [line] = TextRenderer().draw(mask, [(glyphs, 5.0, 40.0)])
    assert line.text == "OCR 日本語 test" and mask.max() == 255
