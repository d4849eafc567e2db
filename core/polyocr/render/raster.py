"""A numba anti-aliased rasterizer: exact signed-area coverage of polygon outlines.

Each outline edge deposits, into an accumulation buffer, the signed area it sweeps in every pixel it
crosses; a running sum along each row then yields the coverage of every pixel (the non-zero rule for
non-overlapping contours, clamped to 1 where contours overlap). This is the accumulation scheme of
font-rs and stb_truetype v2: one pass over the edges, one over the pixels, no per-pixel sampling, and
exact area (not supersampled) anti-aliasing.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _accumulate_edge(acc: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> None:
    """Add the signed coverage of the edge (x0,y0)→(x1,y1) to ``acc`` (height × width+2)."""
    if y0 == y1:
        return
    direction = 1.0
    if y0 > y1:
        direction = -1.0
        x0, y0, x1, y1 = x1, y1, x0, y0
    height = acc.shape[0]
    width = acc.shape[1] - 2
    dxdy = (x1 - x0) / (y1 - y0)
    x = x0
    if y0 < 0.0:
        x -= y0 * dxdy
    row_start = max(0, int(np.floor(y0)))
    row_end = min(height, int(np.ceil(y1)))
    for row in range(row_start, row_end):
        dy = min(row + 1.0, y1) - max(float(row), y0)
        xnext = x + dxdy * dy
        d = dy * direction
        lo = min(x, xnext)
        hi = max(x, xnext)
        if lo < 0.0:
            lo = 0.0
        if hi < 0.0:
            hi = 0.0
        if lo > width:
            lo = float(width)
        if hi > width:
            hi = float(width)
        lo_floor = np.floor(lo)
        lo_i = int(lo_floor)
        hi_ceil = np.ceil(hi)
        hi_i = int(hi_ceil)
        if hi_i <= lo_i + 1:
            # the edge stays within one pixel column on this row
            mid = 0.5 * (lo + hi) - lo_floor
            acc[row, lo_i] += d * (1.0 - mid)
            acc[row, lo_i + 1] += d * mid
        else:
            inv = 1.0 / (hi - lo)
            lo_frac = lo - lo_floor
            first = 0.5 * inv * (1.0 - lo_frac) * (1.0 - lo_frac)
            hi_frac = hi - hi_ceil + 1.0
            last = 0.5 * inv * hi_frac * hi_frac
            acc[row, lo_i] += d * first
            if hi_i == lo_i + 2:
                acc[row, lo_i + 1] += d * (1.0 - first - last)
            else:
                second = inv * (1.5 - lo_frac)
                acc[row, lo_i + 1] += d * (second - first)
                for col in range(lo_i + 2, hi_i - 1):
                    acc[row, col] += d * inv
                before_last = second + (hi_i - lo_i - 3) * inv
                acc[row, hi_i - 1] += d * (1.0 - before_last - last)
            acc[row, hi_i] += d * last
        x = xnext


@njit(cache=True, nogil=True)
def rasterize_edges(edges: np.ndarray, width: int, height: int) -> np.ndarray:
    """Coverage (uint8, 0–255) of the polygon given by ``edges`` (N×4: x0, y0, x1, y1 in pixels).

    Coordinates are pixel units with y down; pixel (r, c) is the square [c, c+1) × [r, r+1).
    """
    acc = np.zeros((height, width + 2), dtype=np.float32)
    for i in range(edges.shape[0]):
        _accumulate_edge(acc, edges[i, 0], edges[i, 1], edges[i, 2], edges[i, 3])
    out = np.empty((height, width), dtype=np.uint8)
    for row in range(height):
        total = 0.0
        for col in range(width):
            total += acc[row, col]
            a = abs(total)
            if a > 1.0:
                a = 1.0
            out[row, col] = np.uint8(a * 255.0 + 0.5)
    return out


@njit(cache=True, nogil=True)
def transform_edges(edges: np.ndarray, scale: float, shear: float, dx: float, dy: float) -> np.ndarray:
    """Font units (y up) → pixels (y down): ``x' = (x + shear*y)*scale + dx``, ``y' = dy - y*scale``.

    ``shear`` is the synthetic-italic slant (tan of the angle); applied to the outline, before
    rasterization, so italic glyphs are as sharp as upright ones.
    """
    out = np.empty_like(edges)
    for i in range(edges.shape[0]):
        for k in range(2):
            x = edges[i, 2 * k]
            y = edges[i, 2 * k + 1]
            out[i, 2 * k] = (x + shear * y) * scale + dx
            out[i, 2 * k + 1] = dy - y * scale
    return out


@njit(cache=True, nogil=True)
def rasterize_outlines(edges: np.ndarray, first: np.ndarray, scale: np.ndarray, shear: np.ndarray, dx: np.ndarray,
                       dy: np.ndarray, width: np.ndarray, height: np.ndarray, rotate: np.ndarray, pool: np.ndarray,
                       offset: np.ndarray) -> None:
    """Rasterize many glyph outlines in one call, each straight into its place in a byte pool.

    Glyph g owns ``edges[first[g]:first[g + 1]]`` (font units, y up), mapped to pixels as by
    :func:`transform_edges` with ``scale[g], shear[g], dx[g], dy[g]``; its ``height[g] × width[g]``
    coverage (or that turned 90° clockwise when ``rotate[g]``) is written at ``pool[offset[g]:]``.
    The pixels are those of ``rasterize_edges(transform_edges(...))``.
    """
    n = width.shape[0]
    max_h = 1
    max_w = 1
    for g in range(n):
        max_h = max(max_h, height[g])
        max_w = max(max_w, width[g])
    buf = np.zeros((max_h, max_w + 2), dtype=np.float32)
    for g in range(n):
        h, w = height[g], width[g]
        acc = buf[:h, :w + 2]
        for row in range(h):
            for col in range(w + 2):
                acc[row, col] = 0.0
        sc, sh, ox, oy = scale[g], shear[g], dx[g], dy[g]
        for i in range(first[g], first[g + 1]):
            x0, y0, x1, y1 = edges[i, 0], edges[i, 1], edges[i, 2], edges[i, 3]
            _accumulate_edge(acc, np.float32((x0 + sh * y0) * sc + ox), np.float32(oy - y0 * sc),
                             np.float32((x1 + sh * y1) * sc + ox), np.float32(oy - y1 * sc))
        base = offset[g]
        for row in range(h):
            total = 0.0
            for col in range(w):
                total += acc[row, col]
                a = abs(total)
                if a > 1.0:
                    a = 1.0
                v = np.uint8(a * 255.0 + 0.5)
                if rotate[g]:  # np.rot90(pixels, -1): the (w, h) bitmap gets pixel (row, col) at (col, h-1-row)
                    pool[base + col * h + (h - 1 - row)] = v
                else:
                    pool[base + row * w + col] = v
