"""Scene-like pages: scattered words and short phrases in many sizes, colours and angles on a busy ground."""

from __future__ import annotations

import numpy as np

from polyocr.render.geometry import affine, transform_points
from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft
from polyocr.synth.layouts.base import Layout, page_size


class SceneLayout(Layout):
    name = "scene"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, ("landscape", "square", "portrait"), ctx.page_size)
        draft = PageDraft(w, h, background="busy")
        taken: list[tuple[float, float, float, float]] = []
        target = int(rng.integers(6, 30))
        for _ in range(target * 6):
            if len(draft.blocks) >= target:
                break
            size = float(np.exp(rng.uniform(np.log(14), np.log(72))))
            role = str(rng.choice(["text", "display", "display", "handwriting"]))
            style = ctx.style(rng, size, role, italic=False)
            text = ctx.sampler.word(rng) if rng.random() < 0.6 else ctx.phrase(rng, 24)
            glyphs = ctx.single(text, style)
            if not glyphs.text.strip() or glyphs.length > w * 0.8:
                continue
            x = float(rng.uniform(10, w - glyphs.length - 10))
            y = float(rng.uniform(glyphs.ascent + 10, h - glyphs.descent - 10))
            angle = float(rng.normal(0, 12)) if rng.random() < 0.4 else 0.0
            corners = np.array([[x, y - glyphs.ascent], [x + glyphs.length, y - glyphs.ascent],
                                [x + glyphs.length, y + glyphs.descent], [x, y + glyphs.descent]])
            transform = affine(rotate_deg=angle, center=(x + glyphs.length / 2, y)) if angle else None
            if transform is not None:
                corners = transform_points(transform, corners)
            box = (corners[:, 0].min() - 4, corners[:, 1].min() - 4, corners[:, 0].max() + 4, corners[:, 1].max() + 4)
            if box[0] < 0 or box[1] < 0 or box[2] > w or box[3] > h or any(_overlap(box, t) for t in taken):
                continue
            taken.append(box)
            light = rng.random() < 0.35
            color = tuple(int(c) for c in (rng.integers(200, 256, 3) if light else rng.integers(0, 90, 3)))
            effect = str(rng.choice(["outline", "shadow"])) if rng.random() < 0.35 else None
            draft.blocks.append(DraftBlock([DraftParagraph([DraftLine(glyphs, x, y)])], color=color,
                                           transform=transform, effect=effect))
        # reading order of scattered words: top to bottom, then left to right
        draft.blocks.sort(key=lambda b: (round(_top(b) / 40), _left(b)))
        return draft


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _top(block: DraftBlock) -> float:
    return block.paragraphs[0].lines[0].y


def _left(block: DraftBlock) -> float:
    return block.paragraphs[0].lines[0].x
