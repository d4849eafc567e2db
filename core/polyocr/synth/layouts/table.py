"""Tables: a header row and a grid of cells (phrases, numbers, dates, prices), with or without borders."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, Rule, TintBox
from polyocr.synth.layouts.base import Layout, dark_color, page_size


class TableLayout(Layout):
    name = "table"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, fixed=ctx.page_size)
        margin = int(rng.integers(30, 70))
        draft = PageDraft(w, h)
        ink = dark_color(rng)
        y = float(margin)
        size = float(rng.uniform(11, 18))
        if rng.random() < 0.7:  # a caption above the table
            style = ctx.style(rng, size * 1.4, bold=True)
            glyphs = ctx.fit(ctx.phrase(rng, 50), style, w - 2 * margin)
            y += glyphs.ascent
            draft.blocks.append(DraftBlock([DraftParagraph([DraftLine(glyphs, margin, y)])], color=ink))
            y += glyphs.descent + size
        n_cols = int(rng.integers(2, 7))
        kinds = [str(rng.choice(["phrase", "phrase", "number", "price", "date", "name", "id"])) for _ in range(n_cols)]
        kinds[0] = "phrase"
        weights = np.array([3.0 if k in ("phrase", "name") else 1.6 for k in kinds]) * rng.uniform(0.8, 1.2, n_cols)
        widths = weights / weights.sum() * (w - 2 * margin)
        xs = margin + np.concatenate([[0.0], np.cumsum(widths)])
        pad = size * 0.4
        borders = str(rng.choice(["grid", "rows", "none"]))
        zebra = rng.random() < 0.3
        header_tint = tuple(int(c) for c in rng.integers(200, 240, 3)) if rng.random() < 0.6 else None
        style_body = ctx.style(rng, size, bold=False, italic=False)
        style_head = ctx.style(rng, size, bold=True, italic=False, face=style_body.fonts[0])
        block = DraftBlock(color=ink)
        row_tops = [y]
        row = 0
        while y < h - margin - size * 3 and row < 40:
            head = row == 0
            cells = []
            for c in range(n_cols):
                if head:
                    text = ctx.sampler.phrase(rng, 14)
                elif kinds[c] == "phrase":
                    text = ctx.phrase(rng, int(rng.integers(6, 30)))
                else:
                    text = ctx.sampler.field(rng, kinds[c])
                lines = ctx.lines(text, style_head if head else style_body, widths[c] - 2 * pad, max_lines=2, rng=rng)
                cells.append(lines)
            line_h = max((g.ascent + g.descent) for lines in cells for g in lines) if any(cells) else size
            n_lines = max((len(lines) for lines in cells), default=1)
            row_h = n_lines * line_h * 1.15 + 2 * pad
            if y + row_h > h - margin:
                break
            if head and header_tint:
                block.tints.append(TintBox(xs[0], y, xs[-1], y + row_h, header_tint))
            elif zebra and row % 2 == 0:
                block.tints.append(TintBox(xs[0], y, xs[-1], y + row_h, (238, 238, 238)))
            for c, lines in enumerate(cells):
                para = DraftParagraph()
                yy = y + pad
                numeric = kinds[c] in ("number", "price") and not head
                for g in lines:
                    yy += g.ascent
                    x = xs[c + 1] - pad - g.length if numeric else xs[c] + pad
                    para.lines.append(DraftLine(g, x, yy))
                    yy += g.descent + line_h * 0.15
                block.paragraphs.append(para)
            y += row_h
            row_tops.append(y)
            row += 1
        if borders != "none":
            for ry in row_tops if borders == "grid" else [row_tops[0], row_tops[1] if len(row_tops) > 1 else row_tops[0], row_tops[-1]]:
                block.rules.append(Rule(xs[0], ry, xs[-1], ry, 1.0))
            if borders == "grid":
                for x in xs:
                    block.rules.append(Rule(x, row_tops[0], x, row_tops[-1], 1.0))
        draft.blocks.append(block)
        return draft
