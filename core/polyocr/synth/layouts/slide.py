"""Presentation slides: a large title on a coloured band and a few big bullet points."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, TintBox
from polyocr.synth.layouts.base import Layout, dark_color


class SlideLayout(Layout):
    name = "slide"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = (1024, 576) if rng.random() < 0.7 else (1024, 768)
        w, h = ctx.page_size or (w, h)
        margin = int(rng.integers(40, 80))
        draft = PageDraft(w, h)
        band = rng.random() < 0.6
        band_color = tuple(int(c) for c in rng.integers(30, 200, 3))
        title_size = float(rng.uniform(30, 56))
        title_color = (250, 250, 250) if band else dark_color(rng)
        title_style = ctx.style(rng, title_size, "display", bold=rng.random() < 0.6, italic=False)
        title = DraftBlock(color=title_color)
        y = margin * 0.8
        para = DraftParagraph()
        for glyphs in ctx.lines(ctx.phrase(rng, 50), title_style, w - 2 * margin, max_lines=2):
            y += glyphs.ascent
            para.lines.append(DraftLine(glyphs, margin, y))
            y += glyphs.descent
        title.paragraphs.append(para)
        if band:
            title.tints.append(TintBox(0, 0, w, y + margin * 0.5, band_color))
        draft.blocks.append(title)
        y += margin * 0.8
        size = float(rng.uniform(20, 34))
        style = ctx.style(rng, size, italic=False)
        body = DraftBlock(color=dark_color(rng))
        for _ in range(int(rng.integers(2, 7))):
            para = DraftParagraph()
            mark = str(rng.choice(["•", "–", "■", ""] if "■" in ctx.pack.charset else ["•", "–", ""]))
            text = f"{mark} {ctx.phrase(rng, 70)}".strip()
            for i, glyphs in enumerate(ctx.lines(text, style, w - 2 * margin - size, max_lines=2, rng=rng)):
                if y + glyphs.ascent + glyphs.descent > h - margin * 0.6:
                    break
                y += glyphs.ascent
                para.lines.append(DraftLine(glyphs, margin + (0 if i == 0 else size * 1.2), y))
                y += glyphs.descent + size * 0.2
            if para.lines:
                body.paragraphs.append(para)
            y += size * 0.6
        draft.blocks.append(body)
        return draft
