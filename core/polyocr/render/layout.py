"""A line of text as positioned glyphs, in the line's own frame, before it is placed on a page.

Frame: horizontal lines have their origin at the start of the baseline, x right, y down. Vertical
lines (``ttb``) have their origin at the top of the column's centre line. Each glyph keeps the index of
the character (cluster) it came from, which is how characters, words and lines get exact boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polyocr.render.fontfile import Font
from polyocr.render.shaping import itemize, shape


@dataclass(frozen=True)
class TextStyle:
    """How a line is drawn: the font chain (first = preferred, rest = fallbacks), size and effects."""

    fonts: tuple[Font, ...]
    size: float
    """Pixel size of the em."""
    bold: float = 0.0
    """Synthetic emboldening, as a fraction of the em (0.02 is a visible bold)."""
    italic: float = 0.0
    """Synthetic slant: tan of the shear angle (0.2 ≈ 11°)."""
    tracking: float = 0.0
    """Extra space after each character, as a fraction of the em."""
    language: str | None = None
    features: tuple[tuple[str, bool], ...] = ()


@dataclass
class LineGlyphs:
    """Glyphs of one line in its frame: what :class:`~polyocr.render.renderer.TextRenderer` draws."""

    text: str
    direction: str
    style: TextStyle
    fonts: list[Font]
    font_index: np.ndarray
    gids: np.ndarray
    clusters: np.ndarray
    rotated: np.ndarray
    x: np.ndarray
    """Glyph origin x (frame pixels)."""
    y: np.ndarray
    """Glyph origin y (frame pixels, down)."""
    adv_box: np.ndarray
    """N×4 (x0, y0, x1, y1): each glyph's advance cell with the font's ascender and descender."""
    length: float
    """Advance of the whole line along its direction."""
    ascent: float
    descent: float
    """Extent above and below the baseline (horizontal) or half-width of the column (vertical)."""


def layout_line(text: str, style: TextStyle, direction: str = "ltr", vertical_rotate: bool = True) -> LineGlyphs:
    """Itemize, shape and position ``text``. Raises ``UncoveredCharacterError`` if a font is missing."""
    vertical = direction == "ttb"
    runs = itemize(text, list(style.fonts), vertical_rotate if vertical else None)
    size = style.size
    fonts: list[Font] = []
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("font", "gid", "cl", "rot", "x", "y", "box")}
    pen = 0.0
    used = {r.font for r in runs}  # each font's metrics in its own units per em
    ascent = max((f.ascender * size / f.upem for f in used), default=0.0)
    descent = max((-f.descender * size / f.upem for f in used), default=0.0)
    track = style.tracking * size
    for run in runs:
        shaped = shape(text, run, size, direction, style.language, dict(style.features))
        if run.font not in fonts:
            fonts.append(run.font)
        n = shaped.gids.size
        scale = size / run.font.upem
        asc, desc = run.font.ascender * scale, -run.font.descender * scale
        if not vertical:
            adv = shaped.x_advance + track
            starts = pen + np.concatenate([[0.0], np.cumsum(adv)[:-1]])
            x = starts + shaped.x_offset
            y = -shaped.y_offset
            box = np.stack([starts, np.full(n, -asc), starts + adv, np.full(n, desc)], axis=1)
            pen += adv.sum()
        elif run.rotated:
            # shaped horizontally, then turned 90° clockwise: the horizontal pen runs down the column and
            # the line's vertical centre sits on the column's centre line
            adv = shaped.x_advance + track
            starts = pen + np.concatenate([[0.0], np.cumsum(adv)[:-1]])
            base = -(asc - desc) / 2  # the baseline, left of the centre line; ascenders point right
            x = base + shaped.y_offset
            y = starts + shaped.x_offset
            box = np.stack([np.full(n, base - desc), starts, np.full(n, base + asc), starts + adv], axis=1)
            pen += adv.sum()
        else:
            adv = -shaped.y_advance + track
            starts = pen + np.concatenate([[0.0], np.cumsum(adv)[:-1]])
            x = shaped.x_offset
            y = starts - shaped.y_offset
            half = size / 2
            box = np.stack([np.full(n, -half), starts, np.full(n, half), starts + adv], axis=1)
            pen += adv.sum()
        parts["font"].append(np.full(n, fonts.index(run.font), np.int32))
        parts["gid"].append(shaped.gids)
        parts["cl"].append(shaped.clusters)
        parts["rot"].append(np.full(n, run.rotated))
        parts["x"].append(x)
        parts["y"].append(y)
        parts["box"].append(box)
    if not runs:
        empty = np.zeros(0)
        return LineGlyphs(text, direction, style, [], empty.astype(np.int32), empty.astype(np.int32),
                          empty.astype(np.int32), empty.astype(bool), empty, empty, np.zeros((0, 4)), 0.0, ascent, descent)
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    if vertical:
        ascent = descent = max(size / 2, ascent if np.any(cat["rot"]) else 0.0)
    return LineGlyphs(text, direction, style, fonts, cat["font"], cat["gid"], cat["cl"], cat["rot"], cat["x"],
                      cat["y"], cat["box"], pen, ascent, descent)
