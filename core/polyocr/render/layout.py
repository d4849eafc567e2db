"""A line of text as positioned glyphs, in the line's own frame, before it is placed on a page.

Frame: horizontal lines have their origin at the start of the baseline, x right, y down. Vertical
lines (``ttb``) have their origin at the top of the column's centre line. Each glyph keeps the index of
the character (cluster) it came from, which is how characters, words and lines get exact boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


BOLD = 0.025
"""Synthetic emboldening of an emphasized run, as a fraction of the em."""
SLANT = 0.2
"""Synthetic slant of an emphasized run (tan of the shear angle)."""


SCRIPT_SIZE = 0.65
"""Size of a superscript or subscript, as a fraction of the line's em (word processors use 0.58–0.67,
TeX's script style 0.7)."""
SUPER_RAISE = 0.33
SUB_DROP = 0.15
"""How far a superscript's baseline sits above the line's, a subscript's below it, in the line's ems."""
SUPER, SUB = 4, 8
"""Emphasis bits of a superscript and a subscript glyph (bit 0 bold, bit 1 italic)."""


@dataclass(frozen=True)
class InlineRun:
    """Characters ``start:end`` of a line set apart from the line's style, as real documents do:
    a face of their own (inline code in a monospace face), emphasis (bold, italic), and/or set as a
    superscript (``script`` +1: footnote marks, exponents) or a subscript (−1: chemical formulas,
    indices), smaller and off the baseline. Vertical lines ignore ``script``."""

    start: int
    end: int
    face: Font | None = None
    bold: bool = False
    italic: bool = False
    script: int = 0

    @property
    def emphasis(self) -> int:
        return (int(self.bold) | int(self.italic) << 1 | (SUPER if self.script > 0 else 0)
                | (SUB if self.script < 0 else 0))


def emphasis_style(style: TextStyle, emphasis: int) -> tuple[float, float, float]:
    """(size, bold, italic) a glyph of ``emphasis`` (bit 0 bold, bit 1 italic, :data:`SUPER`,
    :data:`SUB`) is drawn with."""
    bold = max(style.bold, BOLD) if emphasis & 1 else style.bold
    italic = (style.italic or SLANT) if emphasis & 2 else style.italic
    size = style.size * SCRIPT_SIZE if emphasis & (SUPER | SUB) else style.size
    return size, bold, italic


def _script_shift(emphasis: np.ndarray | None, n: int, size: float) -> tuple[np.ndarray, np.ndarray]:
    """Per glyph: the factor its shaped advance and offsets are scaled by, and how far (pixels, down) its
    baseline moves, from its emphasis bits."""
    scale, shift = np.ones(n), np.zeros(n)
    if emphasis is not None:
        scripted = (emphasis & (SUPER | SUB)) != 0
        scale[scripted] = SCRIPT_SIZE
        shift[(emphasis & SUPER) != 0] = -SUPER_RAISE * size
        shift[((emphasis & SUB) != 0) & ~((emphasis & SUPER) != 0)] = SUB_DROP * size
    return scale, shift


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
    unsafe: np.ndarray | None = field(default=None, repr=False, compare=False)
    """harfbuzz's UNSAFE_TO_BREAK flag per glyph of a freshly shaped line (for :func:`slice_line`); None once sliced."""
    emphasis: np.ndarray | None = field(default=None, repr=False, compare=False)
    """Per glyph, the emphasis bits of an :class:`InlineRun` (bit 0 bold, bit 1 italic, :data:`SUPER`,
    :data:`SUB`); None: all plain."""


def _extent(fonts, size: float) -> tuple[float, float]:  # noqa: ANN001
    """Ascent and descent of a line set in ``fonts`` (each font's metrics in its own units per em)."""
    ascent = max((f.ascender * size / f.upem for f in fonts), default=0.0)
    descent = max((-f.descender * size / f.upem for f in fonts), default=0.0)
    return ascent, descent


def layout_line(text: str, style: TextStyle, direction: str = "ltr", vertical_rotate: bool = True,
                keep_unsafe: bool = False, inline: tuple[InlineRun, ...] = ()) -> LineGlyphs:
    """Itemize, shape and position ``text``. Raises ``UncoveredCharacterError`` if a font is missing.

    ``keep_unsafe`` keeps harfbuzz's unsafe-to-break flags on the result, so that :func:`slice_line` can cut it.
    ``inline`` sets runs of the line in another face or with emphasis.
    """
    vertical = direction == "ttb"
    faces = tuple((r.start, r.end, r.face) for r in inline if r.face is not None)
    runs = itemize(text, list(style.fonts), vertical_rotate if vertical else None, faces)
    size = style.size
    ascent, descent = _extent({r.font for r in runs}, size)
    if not runs:
        empty = np.zeros(0)
        return LineGlyphs(text, direction, style, [], empty.astype(np.int32), empty.astype(np.int32),
                          empty.astype(np.int32), empty.astype(bool), empty, empty, np.zeros((0, 4)), 0.0, ascent, descent)
    features = dict(style.features)
    shaped = [shape(text, run, size, direction, style.language, features) for run in runs]
    total = sum(sh.gids.size for sh in shaped)
    emphasis = None
    if any(r.emphasis for r in inline):
        per_char = np.zeros(len(text) + 1, np.uint8)
        for r in inline:
            per_char[max(r.start, 0):max(r.end, 0)] |= r.emphasis
        if vertical:
            per_char &= ~np.uint8(SUPER | SUB)
        emphasis = per_char[np.concatenate([sh.clusters for sh in shaped])] if total else per_char[:0]
        if not emphasis.any():
            emphasis = None
    # superscripts and subscripts: their glyphs shaped at the line's size, scaled (harfbuzz's unhinted
    # advances scale with the size) and moved off the baseline
    glyph_scale, glyph_shift = _script_shift(emphasis, total, size)
    fonts: list[Font] = []
    font_index = np.empty(total, np.int32)
    gids = np.empty(total, np.int32)
    clusters = np.empty(total, np.int32)
    rotated = np.empty(total, bool)
    x = np.empty(total)
    y = np.empty(total)
    box = np.empty((total, 4))
    unsafe = np.empty(total, bool)
    pen = 0.0
    track = style.tracking * size
    o = 0
    for run, sh in zip(runs, shaped, strict=True):
        if run.font not in fonts:
            fonts.append(run.font)
        n = sh.gids.size
        e = o + n
        scale = size / run.font.upem
        asc, desc = run.font.ascender * scale, -run.font.descender * scale
        k, lift = glyph_scale[o:o + n], glyph_shift[o:o + n]
        adv = (-sh.y_advance if vertical and not run.rotated else sh.x_advance) * k + track
        starts = np.empty(n)
        if n:
            starts[0] = 0.0
            np.cumsum(adv[:-1], out=starts[1:])
        starts += pen
        b = box[o:e]
        if not vertical:
            x[o:e] = starts + sh.x_offset * k
            y[o:e] = -sh.y_offset * k + lift
            b[:, 0], b[:, 1], b[:, 2], b[:, 3] = starts, -asc * k + lift, starts + adv, desc * k + lift
        elif run.rotated:
            # shaped horizontally, then turned 90° clockwise: the horizontal pen runs down the column and
            # the line's vertical centre sits on the column's centre line
            base = -(asc - desc) / 2  # the baseline, left of the centre line; ascenders point right
            x[o:e] = base + sh.y_offset
            y[o:e] = starts + sh.x_offset
            b[:, 0], b[:, 1], b[:, 2], b[:, 3] = base - desc, starts, base + asc, starts + adv
        else:
            x[o:e] = sh.x_offset
            y[o:e] = starts - sh.y_offset
            b[:, 0], b[:, 1], b[:, 2], b[:, 3] = -size / 2, starts, size / 2, starts + adv
        pen += adv.sum()
        font_index[o:e] = fonts.index(run.font)
        gids[o:e] = sh.gids
        clusters[o:e] = sh.clusters
        rotated[o:e] = run.rotated
        unsafe[o:e] = sh.unsafe
        o = e
    if vertical:
        ascent = descent = max(size / 2, ascent if rotated.any() else 0.0)
    return LineGlyphs(text, direction, style, fonts, font_index, gids, clusters, rotated, x, y, box, pen,
                      ascent, descent, unsafe if keep_unsafe else None, emphasis)


def slice_line(glyphs: LineGlyphs, start: int, end: int) -> LineGlyphs | None:
    """The glyphs of characters ``start:end`` of a shaped line, as a line of their own, or None.

    None when harfbuzz says that cutting the text there changes the shaping (a kerning pair or a
    ligature across the cut) or when the glyphs of the span are not contiguous: then the span must be
    shaped on its own. Otherwise the result is what shaping ``text[start:end]`` alone gives, without
    shaping it again (a paragraph is shaped once to find its line breaks, and its lines are cut from it).
    """
    unsafe = glyphs.unsafe
    if unsafe is None:
        return None
    inside = np.flatnonzero((glyphs.clusters >= start) & (glyphs.clusters < end))
    if inside.size == 0:
        return None
    i0, i1 = int(inside[0]), int(inside[-1]) + 1
    if i1 - i0 != inside.size:
        return None
    if (i0 > 0 and unsafe[i0]) or (i1 < unsafe.size and unsafe[i1]):
        return None
    vertical = glyphs.direction == "ttb"
    axis = 1 if vertical else 0
    box = glyphs.adv_box[i0:i1].copy()
    origin = box[0, axis]
    box[:, axis] -= origin
    box[:, axis + 2] -= origin
    x, y = glyphs.x[i0:i1], glyphs.y[i0:i1]
    if vertical:
        y = y - origin
    else:
        x = x - origin
    font_index = glyphs.font_index[i0:i1]
    if len(glyphs.fonts) == 1:
        fonts = glyphs.fonts
    else:
        used, font_index = np.unique(font_index, return_inverse=True)
        fonts = [glyphs.fonts[i] for i in used.tolist()]
    rotated = glyphs.rotated[i0:i1]
    size = glyphs.style.size
    ascent, descent = _extent(fonts, size)
    if vertical:
        ascent = descent = max(size / 2, ascent if rotated.any() else 0.0)
    emphasis = glyphs.emphasis[i0:i1] if glyphs.emphasis is not None else None
    return LineGlyphs(glyphs.text[start:end], glyphs.direction, glyphs.style, fonts, font_index.astype(np.int32),
                      glyphs.gids[i0:i1], glyphs.clusters[i0:i1] - start, rotated, x, y, box,
                      float(box[-1, axis + 2]), ascent, descent, emphasis=emphasis)


def slice_lines(glyphs: LineGlyphs, spans: list[tuple[int, int]]) -> list[LineGlyphs | None]:
    """``slice_line`` for ordered, disjoint spans of one shaped line, with page-wide numpy.

    The glyph arrays are shifted once (each glyph by the start of its span) and every line is a view
    into them; shaping order must follow the text (clusters never decreasing), else each span is cut
    on its own by ``slice_line``.
    """
    clusters = glyphs.clusters
    unsafe = glyphs.unsafe
    if not spans:
        return []
    if unsafe is None or clusters.size == 0 or np.any(clusters[1:] < clusters[:-1]):
        return [slice_line(glyphs, a, b) for a, b in spans]
    starts = np.array([a for a, _ in spans], np.int64)
    ends = np.array([b for _, b in spans], np.int64)
    first = np.searchsorted(clusters, starts, side="left")
    stop = np.searchsorted(clusters, ends, side="left")
    vertical = glyphs.direction == "ttb"
    axis = 1 if vertical else 0
    which = np.clip(np.searchsorted(first, np.arange(clusters.size), side="right") - 1, 0, None)  # span of each glyph
    origin = glyphs.adv_box[np.minimum(first, clusters.size - 1), axis][which]
    box = glyphs.adv_box.copy()
    box[:, axis] -= origin
    box[:, axis + 2] -= origin
    x, y = (glyphs.x, glyphs.y - origin) if vertical else (glyphs.x - origin, glyphs.y)
    local = clusters - starts[which].astype(np.int32)
    size = glyphs.style.size
    single = len(glyphs.fonts) == 1
    if single:
        shared_extent = _extent(glyphs.fonts, size)
    out: list[LineGlyphs | None] = []
    n = unsafe.size
    unsafe_list = unsafe.tolist()
    for (a, b), i0, i1 in zip(spans, first.tolist(), stop.tolist(), strict=True):
        if i1 <= i0 or (i0 > 0 and unsafe_list[i0]) or (i1 < n and unsafe_list[i1]):
            out.append(None)
            continue
        if single:
            fonts, font_index = glyphs.fonts, glyphs.font_index[i0:i1]
            ascent, descent = shared_extent
        else:
            used, font_index = np.unique(glyphs.font_index[i0:i1], return_inverse=True)
            font_index = font_index.astype(np.int32)
            fonts = [glyphs.fonts[i] for i in used.tolist()]
            ascent, descent = _extent(fonts, size)
        rotated = glyphs.rotated[i0:i1]
        if vertical:
            ascent = descent = max(size / 2, ascent if rotated.any() else 0.0)
        emphasis = glyphs.emphasis[i0:i1] if glyphs.emphasis is not None else None
        out.append(LineGlyphs(glyphs.text[a:b], glyphs.direction, glyphs.style, fonts, font_index,
                              glyphs.gids[i0:i1], local[i0:i1], rotated, x[i0:i1], y[i0:i1], box[i0:i1],
                              float(box[i1 - 1, axis + 2]), ascent, descent, emphasis=emphasis))
    return out
