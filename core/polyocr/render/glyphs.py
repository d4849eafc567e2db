"""Glyph bitmaps and the bounded cache that every page a process renders shares.

A glyph is rasterized once per (font, glyph, size, subpixel phase, style) and stored in one pool of
bytes, so a whole page of glyphs is drawn by a single numba call (:func:`blit_glyphs`) instead of one
Python call per glyph. When the pool is full it is emptied and refilled (a generation cache): memory
stays bounded by ``max_bytes`` and the common glyphs return within a page.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from polyocr.render.fontfile import Font
from polyocr.render.raster import rasterize_edges, rasterize_outlines, transform_edges

PHASES = 4
"""Horizontal subpixel positions per pixel: glyphs are placed to a quarter pixel."""
SIZE_STEPS = 8
"""Pixel sizes are quantized to 1/8 px for caching."""


def rasterize_glyph(font: Font, gid: int, size: float, phase: int = 0, bold: float = 0.0, shear: float = 0.0,
                    rotate: bool = False) -> tuple[np.ndarray, int, int]:
    """Coverage of a glyph whose origin sits at (phase/PHASES, 0) of pixel (0, 0) (y down).

    Returns ``(pixels, left, top)``: pixel (r, c) covers the page pixel (origin + left + c, origin +
    top + r). ``rotate`` turns the glyph 90° clockwise about its origin (Latin in vertical columns).
    """
    outline = font.outline(gid, bold)
    if outline.empty:
        return np.zeros((0, 0), np.uint8), 0, 0
    scale = size / font.upem
    x_min, y_min, x_max, y_max = outline.bounds
    sx = [(x + shear * y) * scale + phase / PHASES for x in (x_min, x_max) for y in (y_min, y_max)]
    left, right = math.floor(min(sx)), math.ceil(max(sx))
    top, bottom = math.floor(-y_max * scale), math.ceil(-y_min * scale)
    edges = transform_edges(outline.edges, scale, shear, phase / PHASES - left, -top)
    pixels = rasterize_edges(edges, max(1, right - left), max(1, bottom - top))
    if rotate:
        h = pixels.shape[0]
        return np.ascontiguousarray(np.rot90(pixels, k=-1)), -(top + h), left
    return pixels, left, top


class CacheFull(MemoryError):
    """The glyphs asked for in one call do not fit in an empty cache."""


class GlyphCache:
    """Glyph bitmaps in one byte pool, addressed by integer slots valid for one generation.

    >>> cache = GlyphCache(max_bytes=1 << 20)
    >>> cache.stats()["glyphs"]
    0
    """

    def __init__(self, max_bytes: int = 64 << 20) -> None:
        if max_bytes < 1 << 16:
            raise ValueError("a glyph cache needs at least 64 KiB")
        self.max_bytes = max_bytes
        self.pool = np.zeros(0, np.uint8)
        self.generation = 0
        self.hits = self.misses = self.evictions = 0
        self._style_ids: dict[tuple[int, int, int], int] = {}
        self._styles = np.zeros((64, 3), np.float64)  # size_q, bold_q, shear_q of each style key
        self._fonts: dict[int, Font] = {}
        self._reset()

    def _reset(self) -> None:
        self._slots: dict[int, int] = {}
        self._used = 0
        n = 1024
        self.offset = np.zeros(n, np.int64)
        self.height = np.zeros(n, np.int32)
        self.width = np.zeros(n, np.int32)
        self.left = np.zeros(n, np.int32)
        self.top = np.zeros(n, np.int32)

    def clear(self) -> None:
        if self._slots:
            self.evictions += len(self._slots)
        self.generation += 1
        self._reset()

    def __len__(self) -> int:
        return len(self._slots)

    def slot(self, font: Font, gid: int, size: float, phase: int = 0, bold: float = 0.0, shear: float = 0.0,
             rotate: bool = False) -> int:
        """The slot of this glyph's bitmap, rasterizing it on a miss (may start a new generation)."""
        key = ((((self.style_key(size, bold, shear) << 16 | self.font_key(font)) << 24 | gid) << 3)
               | (phase << 1) | int(rotate))
        return int(self.lookup(np.array([key], np.int64))[0])

    # --- many glyphs at once: integer keys ---------------------------------------------------------
    # key = (((style << 16 | font) << 24 | gid) << 3) | phase << 1 | rotate, with ``style`` from
    # ``style_key`` and ``font`` from ``font_key``: a page's keys are built with numpy, not in Python.
    def style_key(self, size: float, bold: float = 0.0, shear: float = 0.0) -> int:
        """The key part of a (size, emboldening, slant), quantized as ``slot`` quantizes them."""
        q = (round(size * SIZE_STEPS), round(bold * 1000), round(shear * 1000))
        sid = self._style_ids.get(q)
        if sid is None:
            sid = self._style_ids[q] = len(self._style_ids)
            if sid >= 1 << 20:
                raise ValueError("more than 2**20 glyph styles in one cache")
            if sid == self._styles.shape[0]:
                self._styles = np.concatenate([self._styles, np.zeros_like(self._styles)])
            self._styles[sid] = q
        return sid

    def font_key(self, font: Font) -> int:
        """The key part of a font."""
        if font.id >= 1 << 16:
            raise ValueError("more than 2**16 fonts in one process")
        self._fonts.setdefault(font.id, font)
        return font.id

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Slots of glyphs given by integer keys (see ``style_key``), all valid in the current generation.

        Missing glyphs are rasterized together by one numba call. If they do not fit in the pool it is
        emptied first (a new generation) and all of them are drawn again; ``CacheFull`` is raised when
        even an empty pool cannot hold them (the caller then asks for fewer at a time).
        """
        uniq, inverse = np.unique(np.asarray(keys, np.int64), return_inverse=True)
        listed = uniq.tolist()
        missing = [i for i, k in enumerate(listed) if k not in self._slots]
        self.hits += len(listed) - len(missing)
        if missing and not self._draw(uniq[missing]):  # they do not fit: a new generation, all of them drawn
            self.clear()
            if not self._draw(uniq):
                raise CacheFull(f"{uniq.size} glyphs need more than the cache's {self.max_bytes} bytes")
        found = self._slots
        return np.asarray([found[k] for k in listed], np.int64)[inverse]

    def _draw(self, keys: np.ndarray) -> bool:
        """Rasterize the glyphs of ``keys`` into the pool; False (and nothing done) if they do not fit."""
        rotate = (keys & 1).astype(bool)
        phase = (keys >> 1) & 3
        gids = ((keys >> 3) & 0xFFFFFF).tolist()
        fonts = [self._fonts[f] for f in ((keys >> 27) & 0xFFFF).tolist()]
        style = self._styles[keys >> 43]  # size_q, bold_q, shear_q
        outlines = [font.outline_parts(gid, bold / 1000) for font, gid, bold in zip(fonts, gids, style[:, 1].tolist(), strict=True)]
        upem = np.array([f.upem for f in fonts], np.float64)
        bounds = np.array([b for _, b in outlines], np.float64).reshape(-1, 4)
        counts = [e.shape[0] for e, _ in outlines]
        empty = np.array(counts) == 0
        scale = (style[:, 0] / SIZE_STEPS) / upem
        shear = style[:, 2] / 1000
        shift = phase / PHASES
        x_min, y_min, x_max, y_max = bounds.T
        sx = np.stack([(x + shear * y) * scale + shift for x in (x_min, x_max) for y in (y_min, y_max)])
        left, right = np.floor(sx.min(0)), np.ceil(sx.max(0))
        top, bottom = np.floor(-y_max * scale), np.ceil(-y_min * scale)
        width = np.where(empty, 0, np.maximum(1, right - left)).astype(np.int64)
        height = np.where(empty, 0, np.maximum(1, bottom - top)).astype(np.int64)
        nbytes = width * height
        need = int(nbytes.sum())
        if self._used + need > self.max_bytes:
            return False
        self.misses += keys.size
        if self.pool.size < self._used + need:
            grown = np.zeros(min(self.max_bytes, max(2 * self.pool.size, self._used + need, 1 << 20)), np.uint8)
            grown[: self._used] = self.pool[: self._used]
            self.pool = grown
        first = len(self._slots)
        if first + keys.size > self.offset.size:
            grow = max(self.offset.size, first + keys.size)
            for name in ("offset", "height", "width", "left", "top"):
                arr = getattr(self, name)
                setattr(self, name, np.concatenate([arr, np.zeros(grow, arr.dtype)]))
        offsets = self._used + np.concatenate([[0], np.cumsum(nbytes)[:-1]]).astype(np.int64)
        starts = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=starts[1:])
        rasterize_outlines(np.concatenate([e for e, _ in outlines]), starts, scale, shear, shift - left, -top, width,
                           height, rotate, self.pool, offsets)
        new = slice(first, first + keys.size)
        self.offset[new] = offsets
        # a turned glyph is stored as its (width, height) bitmap, placed as rasterize_glyph places it
        self.height[new] = np.where(rotate, width, height)
        self.width[new] = np.where(rotate, height, width)
        self.left[new] = np.where(empty, 0, np.where(rotate, -(top + height), left))
        self.top[new] = np.where(empty, 0, np.where(rotate, left, top))
        self._used += need
        self._slots.update(zip(keys.tolist(), range(first, first + keys.size)))
        return True

    def stats(self) -> dict[str, int]:
        return {"glyphs": len(self._slots), "bytes": self._used, "hits": self.hits, "misses": self.misses,
                "evictions": self.evictions, "generation": self.generation}


@njit(cache=True, nogil=True)
def blit_glyphs(dst: np.ndarray, pool: np.ndarray, offset: np.ndarray, height: np.ndarray, width: np.ndarray,
                xs: np.ndarray, ys: np.ndarray) -> None:
    """Draw glyph bitmaps into ``dst`` (uint8 coverage) at (xs, ys), keeping the maximum coverage."""
    H, W = dst.shape
    for i in range(xs.shape[0]):
        h, w, off = height[i], width[i], offset[i]
        x0, y0 = xs[i], ys[i]
        r0 = max(0, -y0)
        r1 = min(h, H - y0)
        c0 = max(0, -x0)
        c1 = min(w, W - x0)
        for r in range(r0, r1):
            base = off + r * w
            for c in range(c0, c1):
                v = pool[base + c]
                if v > dst[y0 + r, x0 + c]:
                    dst[y0 + r, x0 + c] = v
