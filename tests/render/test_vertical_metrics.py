"""Columns of full-width glyphs set one em cell each, also in faces whose vertical tables are broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyocr.render.fontfile import Font
from polyocr.render.layout import TextStyle, layout_line

FONTS = Path("/usr/share/fonts")
TEXT = "縦書きの文字列は国永一字ずつ"
SIZE = 40.0


def ink_spans(font: Font, text: str) -> list[tuple[float, float, float, float]]:
    """(cell top, cell bottom, ink top, ink bottom) of each glyph of ``text`` set in a column, page pixels."""
    glyphs = layout_line(text, TextStyle((font,), SIZE, language="ja"), "ttb")
    scale = SIZE / font.upem
    spans = []
    for k, gid in enumerate(glyphs.gids.tolist()):
        ext = font.hb_font.get_glyph_extents(gid)
        top = glyphs.y[k] - ext.y_bearing * scale  # y grows down the page; harfbuzz's y grows up
        spans.append((glyphs.adv_box[k, 1], glyphs.adv_box[k, 3], top, top - ext.height * scale))
    return spans


@pytest.mark.parametrize("name, usable", [
    ("truetype/wqy/wqy-zenhei.ttc", False),     # vertical advance 0: the column collapsed onto one cell
    ("truetype/wqy/wqy-microhei.ttc", False),   # vertical origins wander by up to 0.75 em: glyphs overlapped
    ("opentype/noto/NotoSansCJK-Regular.ttc", True),
])
def test_each_glyph_of_a_column_sits_in_its_own_em_cell(name, usable):
    font = Font(FONTS / name)
    assert font.vertical_metrics_usable is usable
    spans = ink_spans(font, TEXT)
    assert len(spans) == len(TEXT)
    for (cell_top, cell_bottom, ink_top, ink_bottom), nxt in zip(spans, spans[1:] + [None]):
        assert cell_bottom - cell_top == pytest.approx(SIZE, rel=0.02)
        assert cell_top - 0.1 * SIZE <= ink_top < ink_bottom <= cell_bottom + 0.1 * SIZE  # the ink in its cell
        if nxt is not None:
            assert ink_bottom <= nxt[2] + 0.05 * SIZE  # and above the next glyph's ink
