"""``TextRenderer``: lines of glyphs → one coverage mask plus exact boxes of glyphs, characters, words.

All glyphs of a call are looked up in the shared :class:`GlyphCache` and drawn by one numba call. A
glyph's box is the union of its advance cell and the bitmap it actually drew, so a box never misses
ink; a character's box is the union of its glyphs' boxes (a ligature's box is split evenly among
the characters it joins), a word's the union of its characters', a line's the union of all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polyocr.render.glyphs import PHASES, CacheFull, GlyphCache, blit_glyphs
from polyocr.render.layout import LineGlyphs, emphasis_style


@dataclass
class RenderedLine:
    """A drawn line: its text, quads (page pixels) and character boxes, in reading order.

    Quads are 4×2 arrays ordered start-top, end-top, end-bottom, start-bottom in the text's own frame:
    for a horizontal line top-left, top-right, bottom-right, bottom-left; for a vertical column
    top-right, bottom-right, bottom-left, top-left (the text's "top" faces right).
    """

    text: str
    direction: str
    quad: np.ndarray
    char_boxes: np.ndarray
    """len(text)×4 (x0, y0, x1, y1); rows of characters that drew nothing and have no advance are NaN."""
    glyph_boxes: np.ndarray
    glyph_clusters: np.ndarray

    def box_quad(self, box: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = box
        if self.direction == "ttb":
            return np.array([[x1, y0], [x1, y1], [x0, y1], [x0, y0]], np.float64)
        return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)

    def span_boxes(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """Boxes (k×4) of several character spans at once (NaN rows for spans with no box)."""
        if not spans:
            return np.zeros((0, 4))
        padded = np.vstack([self.char_boxes, np.full((1, 4), np.nan)])
        idx = np.asarray(spans, np.int64).ravel()
        lo = np.fmin.reduceat(padded[:, :2], idx, axis=0)[0::2]
        hi = np.fmax.reduceat(padded[:, 2:], idx, axis=0)[0::2]
        return np.concatenate([lo, hi], axis=1)

    def span_box(self, start: int, end: int) -> np.ndarray:
        """Union of the boxes of characters ``start:end`` (NaN rows ignored)."""
        boxes = self.char_boxes[start:end]
        boxes = boxes[~np.isnan(boxes[:, 0])]
        if boxes.size == 0:
            return np.full(4, np.nan)
        return np.array([boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()])


# corners of a box (x0, y0, x1, y1) as a quad from the text's start-top corner, clockwise in its frame
_HORIZONTAL = (np.array([0, 2, 2, 0]), np.array([1, 1, 3, 3]))
_VERTICAL = (np.array([2, 2, 0, 0]), np.array([1, 3, 3, 1]))


class TextRenderer:
    """Draws lines with a shared glyph cache.

    >>> renderer = TextRenderer()                      # doctest: +SKIP
    >>> mask = np.zeros((100, 400), np.uint8)          # doctest: +SKIP
    >>> [line] = renderer.draw(mask, [(glyphs, 10.0, 50.0)])   # doctest: +SKIP
    """

    def __init__(self, cache: GlyphCache | None = None) -> None:
        self.cache = cache if cache is not None else GlyphCache()

    def _slots(self, placements: list[tuple[LineGlyphs, float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cache slots and integer origins of every glyph of the page (one lookup per distinct glyph).

        Page-wide numpy: the lines' glyph arrays are joined first and the cache keys are built as
        integers, so the per-line Python work is only naming each line's style and fonts.
        """
        if not placements:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        cache = self.cache
        styles: dict[tuple, int] = {}

        def style_id(q: tuple[float, float, float]) -> int:
            sid = styles.get(q)
            if sid is None:
                sid = styles[q] = cache.style_key(*q)
            return sid

        sids, bases, table = [], [], []
        counts = [g.gids.size for g, _, _ in placements]
        for glyphs, _, _ in placements:
            st = glyphs.style
            sid = style_id((st.size, st.bold, st.italic))
            if glyphs.emphasis is None:
                sids.append(np.full(glyphs.gids.size, sid, np.int64))
            else:  # inline bold/italic/script runs: those glyphs are cached and drawn in their own style
                codes = np.unique(glyphs.emphasis)
                per_code = np.zeros(int(codes.max()) + 1, np.int64)
                per_code[codes] = [style_id(emphasis_style(st, int(code))) for code in codes]
                sids.append(per_code[glyphs.emphasis])
            bases.append(len(table))
            table += [cache.font_key(f) for f in glyphs.fonts]
        gx = np.concatenate([g.x for g, _, _ in placements]) + np.repeat([ox for _, ox, _ in placements], counts)
        gy = np.concatenate([g.y for g, _, _ in placements]) + np.repeat([oy for _, _, oy in placements], counts)
        ix = np.floor(gx).astype(np.int64)
        phase = np.floor((gx - ix) * PHASES).astype(np.int64)
        local = np.concatenate([g.font_index for g, _, _ in placements]).astype(np.int64) + np.repeat(bases, counts)
        fid = np.asarray(table, np.int64)[local] if local.size else np.zeros(0, np.int64)
        sid = np.concatenate(sids)
        gids = np.concatenate([g.gids for g, _, _ in placements]).astype(np.int64)
        rotated = np.concatenate([g.rotated for g, _, _ in placements]).astype(np.int64)
        keys = (((sid << 16 | fid) << 24 | gids) << 3) | (phase << 1) | rotated
        return cache.lookup(keys), ix, np.floor(gy + 0.5).astype(np.int64)

    def draw(self, mask: np.ndarray, placements: list[tuple[LineGlyphs, float, float]]) -> list[RenderedLine]:
        """Draw each line at its page origin (x, y) into ``mask`` (uint8 coverage, max-blended)."""
        try:
            all_slots, ix, iy = self._slots(placements)
        except CacheFull:
            # the page's glyphs do not fit in the cache at once: draw it in halves, each of which fits
            if len(placements) <= 1:
                raise MemoryError(f"glyph cache of {self.cache.max_bytes} bytes cannot hold one line; raise max_bytes") from None
            half = len(placements) // 2
            return self.draw(mask, placements[:half]) + self.draw(mask, placements[half:])
        c = self.cache
        xs = ix + c.left[all_slots]
        ys = iy + c.top[all_slots]
        blit_glyphs(mask, c.pool, c.offset[all_slots], c.height[all_slots], c.width[all_slots], xs, ys)
        if not placements:
            return []
        # every line's glyph boxes, in page pixels: advance cell ∪ drawn bitmap
        origin = np.repeat(np.array([[ox, oy, ox, oy] for _, ox, oy in placements], np.float64),
                           [g.gids.size for g, _, _ in placements], axis=0)
        adv = np.concatenate([g.adv_box for g, _, _ in placements]) + origin
        ink = np.stack([xs, ys, xs + c.width[all_slots], ys + c.height[all_slots]], 1)
        has_ink = (c.width[all_slots] > 0)[:, None]
        boxes = np.where(has_ink, np.concatenate([np.minimum(adv[:, :2], ink[:, :2]),
                                                  np.maximum(adv[:, 2:], ink[:, 2:])], 1), adv)
        return self._lines(placements, boxes)

    @staticmethod
    def _lines(placements: list[tuple[LineGlyphs, float, float]], glyph_boxes: np.ndarray) -> list[RenderedLine]:
        """Character and line boxes of all lines at once (page-wide numpy, no per-character Python)."""
        lens = np.array([len(g.text) for g, _, _ in placements], np.int64)
        counts = np.array([g.gids.size for g, _, _ in placements], np.int64)
        char_base = np.concatenate([[0], np.cumsum(lens)])
        total = int(char_base[-1])
        clusters = np.concatenate([g.clusters.astype(np.int64) for g, _, _ in placements]) + np.repeat(char_base[:-1], counts)
        cluster_box = np.full((total + 1, 4), np.nan)
        if clusters.size:
            order = np.argsort(clusters, kind="stable")  # visual order is reversed for rtl
            sc, sb = clusters[order], glyph_boxes[order]
            first = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]])
            cluster_box[sc[first], :2] = np.minimum.reduceat(sb[:, :2], first, axis=0)
            cluster_box[sc[first], 2:] = np.maximum.reduceat(sb[:, 2:], first, axis=0)
        # every character belongs to the cluster starting at or before it within its line; a cluster of
        # k characters (a ligature) has its box split evenly among them along the reading direction
        starts = sc[first] if clusters.size else clusters  # the distinct clusters, sorted (= np.unique)
        chars = np.arange(total)
        line_of = np.repeat(np.arange(len(placements)), lens)
        char_boxes = np.full((total, 4), np.nan)
        if starts.size:
            which = np.clip(np.searchsorted(starts, chars, side="right") - 1, 0, None)
            head = starts[which]
            line_end = char_base[1:][line_of]
            nxt = np.minimum(np.append(starts, total)[which + 1], line_end)
            count = nxt - head
            valid = head >= char_base[:-1][line_of]
            char_boxes[valid] = cluster_box[head[valid]]
            split = valid & (count > 1)
            if split.any():
                vertical = np.array([g.direction == "ttb" for g, _, _ in placements])[line_of]
                j = (chars - head)[split]
                for axis, sel in (((1, 3), vertical[split]), ((0, 2), ~vertical[split])):
                    rows = np.flatnonzero(split)[sel]
                    a, b = char_boxes[rows, axis[0]], char_boxes[rows, axis[1]]
                    step = (b - a) / count[rows]
                    char_boxes[rows, axis[0]] = a + j[sel] * step
                    char_boxes[rows, axis[1]] = a + (j[sel] + 1) * step
        # each line's box: the bounds of its characters' boxes (NaN rows ignored; zeros if it has none)
        padded = np.vstack([char_boxes, np.full((1, 4), np.nan)])
        firsts = char_base[:-1]
        lo = np.fmin.reduceat(padded[:, :2], firsts, axis=0)
        hi = np.fmax.reduceat(padded[:, 2:], firsts, axis=0)
        boxes = np.concatenate([lo, hi], axis=1)
        boxes[(lens == 0) | np.isnan(boxes).any(axis=1)] = 0.0
        vertical = np.array([g.direction == "ttb" for g, _, _ in placements])[:, None]
        xs = np.take_along_axis(boxes, np.where(vertical, _VERTICAL[0], _HORIZONTAL[0]), 1)
        ys = np.take_along_axis(boxes, np.where(vertical, _VERTICAL[1], _HORIZONTAL[1]), 1)
        quads = np.stack([xs, ys], axis=-1)
        g_base = np.concatenate([[0], np.cumsum(counts)]).tolist()
        c_base = char_base.tolist()
        return [RenderedLine(glyphs.text, glyphs.direction, quads[i], char_boxes[c_base[i]: c_base[i + 1]],
                             glyph_boxes[g_base[i]: g_base[i + 1]], glyphs.clusters)
                for i, (glyphs, _, _) in enumerate(placements)]
