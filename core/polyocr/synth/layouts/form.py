"""Forms (label: value fields with underlines and boxes) and shop receipts (items, prices, total)."""

from __future__ import annotations

import numpy as np

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, Rule, TintBox
from polyocr.synth.layouts.base import Layout, dark_color, page_size

FIELDS = ("name", "address", "company", "date", "phone", "email", "price", "number", "id")

CHOICES_P = 0.2
"""Rows of a form that offer choices: a check box before each (side by side, or one under another, set
close), the boxes drawn, not text; the detector learns to leave them out and to keep close lines apart."""

EMPTY_P = 0.12
"""Rows of a form left blank: an empty frame, or a row of empty cells (one per character), beside the label."""


class FormLayout(Layout):
    name = "form"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        return self._receipt(ctx, rng) if rng.random() < 0.35 else self._form(ctx, rng)

    def _form(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, ("portrait", "letter"), ctx.page_size)
        margin = int(rng.integers(40, 80))
        draft = PageDraft(w, h)
        ink = dark_color(rng)
        size = float(rng.uniform(12, 19))
        head = ctx.style(rng, size * 1.8, "display", bold=True)
        glyphs = ctx.fit(ctx.phrase(rng, 30), head, w - 2 * margin)
        y = margin + glyphs.ascent
        draft.blocks.append(DraftBlock([DraftParagraph([DraftLine(glyphs, (w - glyphs.length) / 2, y)])], color=ink))
        y += glyphs.descent + size * 2
        label_style = ctx.style(rng, size, bold=rng.random() < 0.4, italic=False)
        hand = rng.random() < 0.3 and bool(ctx.fonts.get("handwriting"))
        value_style = ctx.style(rng, size * (1.15 if hand else 1.0), "handwriting" if hand else "text", italic=False)
        value_color = (20, 40, 140) if hand else ink
        labels, values = DraftBlock(color=ink), DraftBlock(color=value_color)
        label_w = (w - 2 * margin) * float(rng.uniform(0.22, 0.35))
        boxed = rng.random() < 0.4
        while y < h - margin - size * 3:
            kind = str(rng.choice(FIELDS))
            label = ctx.fit(ctx.sampler.phrase(rng, 12) + str(rng.choice([":", "", ":"])), label_style, label_w - size)
            if (pick := rng.random()) < CHOICES_P + EMPTY_P:
                x = margin + label_w
                if pick < CHOICES_P:
                    para, rules, row_h = _choices(ctx, rng, label_style, x, y, w - margin - x, size)
                else:
                    para, rules, row_h = _empty_field(rng, x, y, w - margin - x, size)
                if y + row_h > h - margin:
                    break
                labels.paragraphs.append(DraftParagraph([DraftLine(label, margin, y + label.ascent)]))
                values.paragraphs.append(para)
                labels.rules += rules
                y += row_h + size * float(rng.uniform(0.4, 1.2))
                continue
            value = ctx.lines(ctx.sampler.field(rng, kind), value_style, w - 2 * margin - label_w - size, max_lines=2)
            if not value:
                continue
            row_h = sum(g.ascent + g.descent for g in value) * 1.2 + size * 0.6
            if y + row_h > h - margin:
                break
            base = y + value[0].ascent
            labels.paragraphs.append(DraftParagraph([DraftLine(label, margin, base)]))
            para = DraftParagraph()
            yy = y
            for g in value:
                yy += g.ascent
                para.lines.append(DraftLine(g, margin + label_w, yy))
                yy += g.descent * 1.2
            values.paragraphs.append(para)
            if boxed:
                labels.rules += _box(margin + label_w - size * 0.4, y - size * 0.3, w - margin, y + row_h - size * 0.3)
            else:
                labels.rules.append(Rule(margin + label_w, yy + 2, w - margin, yy + 2, 1.0, dotted=rng.random() < 0.3))
            y += row_h + size * float(rng.uniform(0.4, 1.2))
        # reading order: each label before its value
        merged = DraftBlock(color=ink, rules=labels.rules)
        draft.blocks.append(merged)
        for lab, val in zip(labels.paragraphs, values.paragraphs, strict=True):
            draft.blocks.append(DraftBlock([lab], color=ink))
            draft.blocks.append(DraftBlock([val], color=value_color))
        return draft

    def _receipt(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        paper = int(rng.integers(420, 560))
        w, h = ctx.page_size or (paper, 1024)
        x0 = (w - paper) / 2 if ctx.page_size else 0  # a fixed page size: the receipt lies in its middle
        x1 = x0 + paper
        margin = int(rng.integers(24, 48))
        draft = PageDraft(w, h)
        ink = dark_color(rng)
        size = float(rng.uniform(12, 17))
        mono = rng.random() < 0.5 and bool(ctx.fonts.get("mono"))
        style = ctx.style(rng, size, "mono" if mono else "text", italic=False)
        block = DraftBlock(color=ink)
        y = float(margin)

        def centered(text: str, st) -> None:
            nonlocal y
            for g in ctx.lines(text, st, paper - 2 * margin, max_lines=2, rng=rng):
                y += g.ascent
                block.paragraphs.append(DraftParagraph([DraftLine(g, x0 + (paper - g.length) / 2, y)]))
                y += g.descent + size * 0.3

        centered(ctx.sampler.field(rng, "company"), ctx.style(rng, size * 1.5, bold=True, italic=False))
        centered(ctx.sampler.field(rng, "address"), style)
        centered(f"{ctx.sampler.field(rng, 'date')}  {ctx.sampler.field(rng, 'phone')}", style)
        y += size * 0.5
        block.rules.append(Rule(x0 + margin, y, x1 - margin, y, 1.0, dotted=rng.random() < 0.5))
        y += size
        for _ in range(int(rng.integers(3, 18))):
            if y > h - margin - size * 6:
                break
            price = ctx.fit(ctx.sampler.field(rng, "price"), style, (paper - 2 * margin) / 2)
            item = ctx.fit(ctx.phrase(rng, 18), style, paper - 2 * margin - price.length - size)
            y += item.ascent
            block.paragraphs.append(DraftParagraph([DraftLine(item, x0 + margin, y),
                                                    DraftLine(price, x1 - margin - price.length, y)]))
            y += item.descent + size * 0.35
        block.rules.append(Rule(x0 + margin, y + 4, x1 - margin, y + 4, 1.5))
        y += size * 1.2
        strong = ctx.style(rng, size * 1.2, bold=True, italic=False)
        amount = ctx.fit(ctx.sampler.field(rng, "price"), strong, (paper - 2 * margin) / 2)
        total = ctx.fit(ctx.sampler.phrase(rng, 8), strong, paper - 2 * margin - amount.length - size)
        y += total.ascent
        block.paragraphs.append(DraftParagraph([DraftLine(total, x0 + margin, y),
                                                DraftLine(amount, x1 - margin - amount.length, y)]))
        length = int(min(h, y + total.descent + margin * 2))
        if not ctx.page_size:
            draft.height = length  # a receipt is as long as its items
        if rng.random() < 0.5:
            block.tints.append(TintBox(x0, 0, x1, length, (250, 250, 246)))
        draft.blocks.append(block)
        return draft


def _box(x0: float, y0: float, x1: float, y1: float, width: float = 1.0) -> list[Rule]:
    return [Rule(x0, y0, x1, y0, width), Rule(x1, y0, x1, y1, width), Rule(x1, y1, x0, y1, width),
            Rule(x0, y1, x0, y0, width)]


def _choices(ctx: LayoutContext, rng: np.random.Generator, style, x0: float, y0: float, width: float,
             size: float) -> tuple[DraftParagraph, list[Rule], float]:
    """Two to five choices, each a word after an empty check box, from ``(x0, y0)``: side by side, or one
    under another at 1.05–1.35 times the text's height. The paragraph of their words, the boxes' rules
    and the rows' height."""
    side = size * float(rng.uniform(0.6, 1.0))
    stroke = float(rng.choice([1.0, 1.0, 1.5, 2.0]))
    stacked = rng.random() < 0.5
    pitch = float(rng.uniform(1.05, 1.35))
    para, rules = DraftParagraph(), []
    x, y = x0, y0
    for _ in range(int(rng.integers(2, 6))):
        word = ctx.fit(ctx.sampler.phrase(rng, 14), style, max(width - side * 1.5, size))
        if not stacked and x + side * 1.5 + word.length > x0 + width:
            break
        base = y + word.ascent
        top = base - side * float(rng.uniform(0.9, 1.05))
        rules += _box(x, top, x + side, top + side, stroke)
        para.lines.append(DraftLine(word, x + side * float(rng.uniform(1.3, 1.8)), base))
        if stacked:
            y += (word.ascent + word.descent) * pitch
        else:
            x += side * 1.5 + word.length + size * float(rng.uniform(1.0, 2.5))
    height = y - y0 if stacked else size * 1.4
    return para, rules, max(height, size * 1.4)


def _empty_field(rng: np.random.Generator, x0: float, y0: float, width: float, size: float
                 ) -> tuple[DraftParagraph, list[Rule], float]:
    """A blank frame, or a row of empty cells for one character each: no text, only rules."""
    height = size * float(rng.uniform(1.3, 2.2))
    stroke = float(rng.choice([1.0, 1.0, 1.5]))
    if rng.random() < 0.5:
        return DraftParagraph(), _box(x0, y0, x0 + width * float(rng.uniform(0.4, 1.0)), y0 + height, stroke), height
    cell = size * float(rng.uniform(1.0, 1.5))
    n = int(min(rng.integers(4, 16), width // cell))
    rules = [Rule(x0, y0, x0 + n * cell, y0, stroke), Rule(x0, y0 + cell, x0 + n * cell, y0 + cell, stroke)]
    rules += [Rule(x0 + k * cell, y0, x0 + k * cell, y0 + cell, stroke) for k in range(n + 1)]
    return DraftParagraph(), rules, cell
