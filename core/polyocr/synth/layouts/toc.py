"""Tables of contents: numbered entries, dot leaders (drawn, not text) and right-aligned page numbers."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, Rule
from polyocr.synth.layouts.base import Layout, dark_color, page_size


class TocLayout(Layout):
    name = "toc"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, ("portrait", "letter"), ctx.page_size)
        margin = int(rng.integers(50, 100))
        draft = PageDraft(w, h)
        ink = dark_color(rng)
        size = float(rng.uniform(12, 20))
        title = ctx.style(rng, size * float(rng.uniform(1.5, 2.2)), "display", bold=True)
        glyphs = ctx.fit(ctx.sampler.phrase(rng, 20), title, w - 2 * margin)
        y = margin + glyphs.ascent
        draft.blocks.append(DraftBlock([DraftParagraph([DraftLine(glyphs, margin, y)])], color=ink))
        y += glyphs.descent + size * 1.5
        style = ctx.style(rng, size, bold=False, italic=False)
        strong = ctx.style(rng, size, bold=True, italic=False, face=style.fonts[0])
        block = DraftBlock(color=ink)
        chapter, section, page = 0, 0, int(rng.integers(1, 20))
        dotted = rng.random() < 0.8
        while y < h - margin - size:
            top_level = section == 0 or rng.random() < 0.25
            if top_level:
                chapter, section = chapter + 1, 0
                number, st, indent = f"{chapter}", strong, 0.0
                y += size * 0.4
            else:
                section += 1
                number, st, indent = f"{chapter}.{section}", style, size * 1.5
            page += int(rng.integers(1, 12))
            entry = ctx.single(f"{number} {ctx.phrase(rng, 40)}", st)
            num = ctx.single(str(page), st)
            x_num = w - margin - num.length
            if margin + indent + entry.length > x_num - size * 2:
                continue  # too long for the line: draw another entry
            y += entry.ascent
            block.paragraphs.append(DraftParagraph([DraftLine(entry, margin + indent, y), DraftLine(num, x_num, y)]))
            if dotted:
                block.rules.append(Rule(margin + indent + entry.length + size * 0.6, y - 1, x_num - size * 0.6, y - 1,
                                        max(1.0, size / 9), dotted=True))
            y += entry.descent + size * float(rng.uniform(0.35, 0.8))
        draft.blocks.append(block)
        return draft
