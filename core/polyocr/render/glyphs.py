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
from polyocr.render.raster import rasterize_edges, transform_edges

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
        self._reset()

    def _reset(self) -> None:
        self._slots: dict[tuple, int] = {}
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
        size_q = round(size * SIZE_STEPS)
        key = (font.id, gid, size_q, phase, round(bold * 1000), round(shear * 1000), rotate)
        slot = self._slots.get(key)
        if slot is not None:
            self.hits += 1
            return slot
        self.misses += 1
        pixels, left, top = rasterize_glyph(font, gid, size_q / SIZE_STEPS, phase, round(bold * 1000) / 1000,
                                            round(shear * 1000) / 1000, rotate)
        nbytes = pixels.size
        if self._used + nbytes > self.max_bytes:
            self.clear()
        if self.pool.size < min(self.max_bytes, max(self._used + nbytes, 1 << 20)):
            grown = np.zeros(min(self.max_bytes, max(2 * self.pool.size, self._used + nbytes, 1 << 20)), np.uint8)
            grown[: self._used] = self.pool[: self._used]
            self.pool = grown
        slot = len(self._slots)
        if slot >= self.offset.size:
            for name in ("offset", "height", "width", "left", "top"):
                arr = getattr(self, name)
                setattr(self, name, np.concatenate([arr, np.zeros_like(arr)]))
        self.pool[self._used: self._used + nbytes] = pixels.ravel()
        self.offset[slot], self.height[slot], self.width[slot] = self._used, pixels.shape[0], pixels.shape[1]
        self.left[slot], self.top[slot] = left, top
        self._used += nbytes
        self._slots[key] = slot
        return slot

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
