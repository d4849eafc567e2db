"""Vertical columns, read top to bottom and right to left, for languages whose pack allows them."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft
from polyocr.synth.layouts.base import Layout, dark_color, page_size


class VerticalLayout(Layout):
    name = "vertical"

    def supports(self, ctx: LayoutContext) -> bool:
        return ctx.spec.vertical is not None

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, ("portrait", "landscape", "letter"), ctx.page_size)
        margin = int(rng.integers(40, 80))
        draft = PageDraft(w, h)
        ink = dark_color(rng)
        size = float(rng.uniform(14, 26))
        pitch = size * float(rng.uniform(1.5, 1.9))  # distance between column centres
        rtl = ctx.spec.vertical.column_order == "rtl"
        x = w - margin - pitch / 2 if rtl else margin + pitch / 2
        step = -pitch if rtl else pitch
        col_len = h - 2 * margin
        face = ctx.face(rng)
        if rng.random() < 0.6:  # a headline column in a larger size
            head = ctx.style(rng, size * 1.6, bold=True, italic=False, face=face)
            lines = ctx.lines(ctx.phrase(rng, 24), head, col_len, "ttb", max_lines=1)
            if lines:
                draft.blocks.append(DraftBlock([DraftParagraph([DraftLine(lines[0], x, margin)])], color=ink))
                x += step * 1.6
        style = ctx.style(rng, size, italic=False, face=face)
        while margin + pitch / 2 <= x <= w - margin - pitch / 2:
            text = ctx.paragraph_text(rng, int(rng.integers(40, 400)))
            para = DraftParagraph()
            for i, glyphs in enumerate(ctx.lines(text, style, col_len - size, "ttb", rng=rng)):
                if not margin + pitch / 2 <= x <= w - margin - pitch / 2:
                    break
                para.lines.append(DraftLine(glyphs, x, margin + (size if i == 0 else 0)))
                x += step
            if para.lines:
                draft.blocks.append(DraftBlock([para], color=ink))
            x += step * 0.5
        return draft
