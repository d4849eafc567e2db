"""Rotated text blocks: paragraphs set in boxes turned by small or large angles (stamps, margins, labels)."""

from __future__ import annotations

import numpy as np

from polyocr.render.geometry import affine, transform_points
from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import DraftBlock, DraftLine, DraftParagraph, PageDraft, Rule
from polyocr.synth.layouts.base import Layout, dark_color, page_size


class RotatedLayout(Layout):
    name = "rotated"

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        w, h = page_size(rng, ("portrait", "landscape", "square"), ctx.page_size)
        draft = PageDraft(w, h)
        placed: list[np.ndarray] = []
        for _ in range(int(rng.integers(2, 5)) * 4):
            if len(draft.blocks) >= 4:
                break
            size = float(rng.uniform(12, 26))
            box_w = float(rng.uniform(180, min(520, w * 0.7)))
            style = ctx.style(rng, size)
            para = DraftParagraph()
            y = 0.0
            for glyphs in ctx.lines(ctx.paragraph_text(rng, int(rng.integers(30, 220))), style, box_w, max_lines=6, rng=rng):
                y += glyphs.ascent
                para.lines.append(DraftLine(glyphs, 0.0, y))
                y += glyphs.descent + size * 0.25
            if not para.lines:
                continue
            angle = _angle(rng)
            cx, cy = float(rng.uniform(0.2, 0.8) * w), float(rng.uniform(0.2, 0.8) * h)
            transform = affine(rotate_deg=angle, center=(box_w / 2, y / 2), translate=(cx - box_w / 2, cy - y / 2))
            corners = transform_points(transform, np.array([[-8, -8], [box_w + 8, -8], [box_w + 8, y + 8], [-8, y + 8]]))
            if corners[:, 0].min() < 5 or corners[:, 1].min() < 5 or corners[:, 0].max() > w - 5 or corners[:, 1].max() > h - 5:
                continue
            if any(_intersects(corners, other) for other in placed):
                continue
            placed.append(corners)
            block = DraftBlock([para], color=dark_color(rng), transform=transform)
            if rng.random() < 0.5:  # a frame around the block, like a stamp or a sticker
                block.rules += [Rule(-8, -8, box_w + 8, -8, 2), Rule(box_w + 8, -8, box_w + 8, y + 8, 2),
                                Rule(box_w + 8, y + 8, -8, y + 8, 2), Rule(-8, y + 8, -8, -8, 2)]
            draft.blocks.append(block)
        # reading order of scattered blocks, as for scene text: top to bottom (in 40-px bands), then left
        # to right, by each block's turned box; the order they happened to be placed in means nothing
        boxes = dict(zip(map(id, draft.blocks), placed, strict=True))
        draft.blocks.sort(key=lambda b: (round(boxes[id(b)][:, 1].min() / 40), boxes[id(b)][:, 0].min()))
        return draft


def _angle(rng: np.random.Generator) -> float:
    u = rng.random()
    if u < 0.6:
        return float(rng.uniform(-35, 35))
    if u < 0.9:
        return float(rng.choice([90.0, -90.0]))
    return float(rng.uniform(-180, 180))


def _intersects(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test for two convex quads."""
    for quad in (a, b):
        for i in range(4):
            edge = quad[(i + 1) % 4] - quad[i]
            normal = np.array([-edge[1], edge[0]])
            pa, pb = a @ normal, b @ normal
            if pa.max() < pb.min() or pb.max() < pa.min():
                return False
    return True
