"""A page before pixels: blocks of paragraphs of laid-out lines, rules and tinted boxes, in reading order.

Layouts produce a :class:`PageDraft`; the composer draws it, applies effects and builds the labels.
A block may carry a 3×3 transform (a rotated text box): its lines, rules and labels move with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from polyocr.render.layout import LineGlyphs


@dataclass
class DraftLine:
    glyphs: LineGlyphs
    x: float
    y: float
    """Origin of the line's frame on the page (baseline start, or top of a vertical column's centre)."""


@dataclass
class DraftParagraph:
    lines: list[DraftLine] = field(default_factory=list)


@dataclass
class Rule:
    """A straight stroke (table border, underline, separator) or a row of dots (leaders)."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 1.0
    dotted: bool = False


@dataclass
class TintBox:
    x0: float
    y0: float
    x1: float
    y1: float
    color: tuple[int, int, int] = (230, 230, 230)


@dataclass
class DraftBlock:
    """Paragraphs sharing a colour (and optionally a transform), drawn in one pass."""

    paragraphs: list[DraftParagraph] = field(default_factory=list)
    color: tuple[int, int, int] = (20, 20, 20)
    opacity: float = 1.0
    rules: list[Rule] = field(default_factory=list)
    tints: list[TintBox] = field(default_factory=list)
    transform: np.ndarray | None = None
    effect: str | None = None
    """Optional text effect: ``"outline"`` or ``"shadow"``."""


@dataclass
class PageDraft:
    width: int
    height: int
    blocks: list[DraftBlock] = field(default_factory=list)
    background: str | None = None
    """A background kind the layout asks for (``"busy"`` for scene text), or None to sample one."""

    def paragraphs(self) -> list[tuple[DraftBlock, DraftParagraph]]:
        """All paragraphs in reading order."""
        return [(b, p) for b in self.blocks for p in b.paragraphs if p.lines]
