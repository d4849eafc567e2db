"""Flowing text in one to three columns, with headings, bulleted and numbered lists."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, Rule
from polyocr.synth.layouts.base import Layout, dark_color, page_size

BULLETS = ("•", "·", "-", "–", "*")


class ColumnsLayout(Layout):
    name = "columns"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, fixed=ctx.page_size)
        margin = int(rng.integers(36, 90))
        n_cols = int(rng.choice([1, 1, 2, 2, 3])) if w > h else int(rng.choice([1, 1, 1, 2, 2]))
        gutter = int(rng.integers(18, 40))
        col_w = (w - 2 * margin - (n_cols - 1) * gutter) / n_cols
        body = float(rng.uniform(11, 20)) if n_cols > 1 else float(rng.uniform(12, 24))
        spacing = float(rng.uniform(1.15, 1.6))
        ink = dark_color(rng)
        accent = ink if rng.random() < 0.6 else dark_color(rng)
        body_face = ctx.face(rng, "text")
        draft = PageDraft(w, h)
        bottom = h - margin
        y = margin
        # an optional page title across all columns
        if rng.random() < 0.5:
            size = body * float(rng.uniform(1.6, 2.6))
            style = ctx.style(rng, size, "display", bold=rng.random() < 0.5, italic=False)
            block = DraftBlock(color=accent)
            para = DraftParagraph()
            for glyphs in ctx.lines(ctx.phrase(rng, 60), style, w - 2 * margin, max_lines=2):
                y += glyphs.ascent
                para.lines.append(DraftLine(glyphs, margin, y))
                y += glyphs.descent + size * 0.3
            block.paragraphs.append(para)
            if rng.random() < 0.4:
                block.rules.append(Rule(margin, y + 4, w - margin, y + 4, float(rng.uniform(0.8, 2.5))))
                y += 10
            draft.blocks.append(block)
            y += body
        top = y
        for col in range(n_cols):
            x0 = margin + col * (col_w + gutter)
            y = top
            numbered = 0
            while y < bottom - body * 2:
                kind = rng.choice(["para", "para", "para", "heading", "bullet", "number"], p=[.45, .1, .1, .12, .13, .1])
                if kind == "heading":
                    size = body * float(rng.uniform(1.15, 1.6))
                    style = ctx.style(rng, size, "display" if rng.random() < 0.3 else "text", bold=rng.random() < 0.6)
                    text, color, indent, width = ctx.phrase(rng, 40), accent, 0.0, col_w
                    y += size * 0.5
                elif kind in ("bullet", "number"):
                    numbered = numbered + 1 if kind == "number" else 0
                    mark = f"{numbered}." if kind == "number" else str(rng.choice(BULLETS))
                    size = body
                    style = ctx.style(rng, size, face=body_face, bold=False, italic=False)
                    text = f"{mark} {ctx.phrase(rng, int(rng.integers(20, 120)))}"
                    color, indent, width = ink, body * 1.2, col_w - body * 1.2
                else:
                    numbered = 0
                    size = body
                    style = ctx.style(rng, size, face=body_face)
                    text = ctx.paragraph_text(rng, int(rng.integers(60, 500)))
                    color, indent, width = ink, (body * 1.5 if rng.random() < 0.3 else 0.0), col_w
                para = DraftParagraph()
                for i, glyphs in enumerate(ctx.lines(text, style, width - (indent if kind == "para" else 0), rng=rng)):
                    if y + glyphs.ascent + glyphs.descent > bottom:
                        break
                    y += glyphs.ascent
                    dx = indent if (kind != "para" or i == 0) else 0.0
                    para.lines.append(DraftLine(glyphs, x0 + dx, y))
                    y += glyphs.descent + size * (spacing - 1.0)
                if para.lines:
                    draft.blocks.append(DraftBlock([para], color=color))
                y += size * float(rng.uniform(0.3, 0.9))
        return draft
