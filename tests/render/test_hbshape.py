"""The fast harfbuzz paths give what uharfbuzz's Python objects give: shaping arrays and glyph outlines."""

from __future__ import annotations

import numpy as np
import pytest

from polyocr.lang.registry import load_languages
from polyocr.render import hbshape
from polyocr.render.fontfile import FLATNESS, _flatten
from polyocr.render.packfonts import pack_fonts
from polyocr.render.shaping import itemize, shape

LANGS = load_languages()
TEXTS = {
    "en": "Office affluent: “Tokyo” AV-To, 12.50 €",
    "ja": "日本語でOCR 2.0です。「縦書き」テスト",
    "ko": "한국어 문장과 English 단어 123",
}


def _fonts(code: str):
    if code not in LANGS.packs:
        pytest.skip(f"needs {code}")
    return pack_fonts(LANGS.get(code), roles=("text",))


@pytest.mark.skipif(not hbshape.AVAILABLE, reason="this uharfbuzz does not export harfbuzz's C API")
@pytest.mark.parametrize("code", sorted(TEXTS))
@pytest.mark.parametrize("direction", ["ltr", "ttb"])
def test_array_shaping_equals_uharfbuzz_objects(code: str, direction: str) -> None:
    fonts = _fonts(code)
    text = TEXTS[code]
    for run in itemize(text, fonts, True if direction == "ttb" else None):
        fast = shape(text, run, 17.5, direction, LANGS.get(code).spec.bcp47, {"liga": False})
        shaper, run.font.shaper = run.font.shaper, None
        try:
            slow = shape(text, run, 17.5, direction, LANGS.get(code).spec.bcp47, {"liga": False})
        finally:
            run.font.shaper = shaper
        for name in ("gids", "clusters", "x_advance", "y_advance", "x_offset", "y_offset", "unsafe"):
            a, b = getattr(fast, name), getattr(slow, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), (code, direction, name)


class _Pen:
    """A plain fontTools-protocol pen recording what harfbuzz draws, as the outline code once did."""

    def __init__(self) -> None:
        self.ops: list[int] = []
        self.coords: list[float] = []

    def moveTo(self, p):  # noqa: N802
        self.ops.append(0)
        self.coords += p

    def lineTo(self, p):  # noqa: N802
        self.ops.append(1)
        self.coords += p

    def qCurveTo(self, c, p):  # noqa: N802
        self.ops.append(2)
        self.coords += (*c, *p)

    def curveTo(self, c1, c2, p):  # noqa: N802
        self.ops.append(3)
        self.coords += (*c1, *c2, *p)

    def closePath(self):  # noqa: N802
        self.ops.append(4)


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_compiled_outline_recording_equals_a_python_pen(code: str) -> None:
    font = _fonts(code)[0]
    rng = np.random.default_rng(0)
    for gid in rng.integers(0, font.face.glyph_count, 40).tolist():
        for bold in (0.0, 0.025):
            font._outlines.clear()
            got = font.outline(gid, bold)
            pen = _Pen()
            font.hb_font.synthetic_bold = (bold, bold, True)
            try:
                font.hb_font.draw_glyph_with_pen(gid, pen)
            finally:
                font.hb_font.synthetic_bold = (0.0, 0.0, True)
            edges, bounds = _flatten(np.array(pen.ops, np.int8), np.array(pen.coords, np.float64), font.upem * FLATNESS)
            assert np.array_equal(got.edges, edges) and got.bounds == tuple(bounds.tolist()), (gid, bold)
