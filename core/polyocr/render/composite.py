"""Put ink on a page: alpha blending through masks, and the disc morphology of text effects (numba).

Masks are ``(h, w)`` arrays, float (alpha in [0, 1]) or uint8 (alpha = value / 255). A mask is placed
with its top-left pixel at page column ``x``, row ``y`` and may hang over any page edge: only the
overlap is drawn, so callers never crop. Blending rounds to the nearest grey level, so full alpha gives
the colour exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _blend(page: np.ndarray, src: np.ndarray, solid: np.ndarray, alpha: np.ndarray, x: int, y: int,
           scale: float) -> None:
    """page ← page + a·(ink − page), a = clip(alpha·scale); ink is ``src`` when given, else ``solid``."""
    ph, pw = page.shape[0], page.shape[1]
    mh, mw = alpha.shape
    per_pixel = src.shape[0] > 0
    for i in range(max(0, -y), min(mh, ph - y)):
        for j in range(max(0, -x), min(mw, pw - x)):
            a = min(max(alpha[i, j] * scale, 0.0), 1.0)
            if a == 0.0:
                continue
            for k in range(3):
                ink = src[i, j, k] if per_pixel else solid[k]
                old = page[y + i, x + j, k]
                page[y + i, x + j, k] = np.uint8(old + a * (ink - old) + 0.5)


@njit(cache=True, nogil=True)
def _blend_solid(page: np.ndarray, solid: np.ndarray, alpha: np.ndarray, x: int, y: int, scale: float) -> None:
    """``_blend`` with one ink colour, for a C-contiguous page: row by row over contiguous channel values
    (each pixel's alpha repeated for its three channels), so numba vectorises it. Where alpha is 0 the
    formula gives the old value back, so nothing needs skipping."""
    ph, pw = page.shape[0], page.shape[1]
    mh, mw = alpha.shape
    i0, i1 = max(0, -y), min(mh, ph - y)
    j0, j1 = max(0, -x), min(mw, pw - x)
    if i1 <= i0 or j1 <= j0:
        return
    n = (j1 - j0) * 3
    ink = np.empty(n, np.float32)
    a3 = np.empty(n, np.float32)
    for j in range(j1 - j0):
        for k in range(3):
            ink[3 * j + k] = solid[k]
    flat = page.reshape(ph, pw * 3)
    for i in range(i0, i1):
        row = alpha[i]
        for j in range(j1 - j0):
            a = np.float32(min(max(row[j0 + j] * scale, 0.0), 1.0))
            a3[3 * j] = a
            a3[3 * j + 1] = a
            a3[3 * j + 2] = a
        dst = flat[y + i, (x + j0) * 3:(x + j1) * 3]
        for j in range(n):
            old = np.float32(dst[j])
            dst[j] = np.uint8(old + a3[j] * (ink[j] - old) + np.float32(0.5))


def _check(page: np.ndarray, alpha: np.ndarray, opacity: float) -> float:
    if page.dtype != np.uint8 or page.ndim != 3 or page.shape[2] != 3:
        raise ValueError(f"page must be uint8 (H, W, 3), got {page.dtype} {page.shape}")
    if alpha.ndim != 2:
        raise ValueError(f"alpha must be a 2-D mask, got shape {alpha.shape}")
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity must lie in [0, 1], got {opacity}")
    return opacity / 255.0 if alpha.dtype == np.uint8 else float(opacity)


def composite(page: np.ndarray, alpha: np.ndarray, x: int, y: int, color: Sequence[int],
              opacity: float = 1.0) -> None:
    """Blend the solid ``color`` (r, g, b) into ``page`` in place through ``alpha`` placed at (x, y).

    >>> page = np.zeros((2, 2, 3), np.uint8)
    >>> composite(page, np.full((2, 2), 255, np.uint8), 1, 1, (9, 9, 9))
    >>> page[:, :, 0].tolist()
    [[0, 0], [0, 9]]
    """
    scale = _check(page, alpha, opacity)
    ink = np.asarray(color, dtype=np.float64)
    if page.flags.c_contiguous:
        _blend_solid(page, ink, np.ascontiguousarray(alpha), int(x), int(y), scale)
    else:
        _blend(page, np.empty((0, 0, 3), np.uint8), ink, alpha, int(x), int(y), scale)


def composite_image(page: np.ndarray, src_rgb: np.ndarray, alpha: np.ndarray, x: int, y: int,
                    opacity: float = 1.0) -> None:
    """Blend a per-pixel uint8 ``src_rgb`` (h, w, 3) into ``page`` in place (textures, backgrounds)."""
    scale = _check(page, alpha, opacity)
    if src_rgb.dtype != np.uint8 or src_rgb.shape != (*alpha.shape, 3):
        raise ValueError(f"src_rgb must be uint8 {(*alpha.shape, 3)}, got {src_rgb.dtype} {src_rgb.shape}")
    _blend(page, src_rgb, np.zeros(3), alpha, int(x), int(y), scale)


@njit(cache=True, nogil=True)
def _morph_disc(mask: np.ndarray, radius: int, nc: int, lowest: bool) -> np.ndarray:
    """Max (min when ``lowest``) over the disc x² + y² ≤ r², pixels outside the mask ignored.

    ``mask`` is (h, w·nc): rows of ``nc`` interleaved channels, each channel filtered on its own.
    The disc is a stack of horizontal spans of half-width ⌊√(r² − dy²)⌋. For each source row the
    running extrema of every half-width 0..r are built once (each from the previous, two reads per
    pixel) in a ring of 2r + 1 rows; an output pixel is then the extremum of 2r + 1 of them: O(r) per
    pixel. Shifted rows are slices, so numba vectorises every loop.
    """
    h, n = mask.shape
    taps = 2 * radius + 1
    half = np.empty(taps, dtype=np.int64)
    for dy in range(-radius, radius + 1):
        half[dy + radius] = int(np.sqrt(radius * radius - dy * dy) + 1e-9)
    levels = np.empty((taps, radius + 1, n), dtype=mask.dtype)
    out = np.empty_like(mask)
    ready = 0
    for y in range(h):
        while ready < min(y + radius + 1, h):  # bring source rows up to y + r into the ring
            lv = levels[ready % taps]
            row = mask[ready]
            lv[0, :] = row
            for k in range(1, radius + 1):
                s = k * nc
                cur = lv[k]
                cur[:] = lv[k - 1]
                if s < n:
                    right, left = cur[s:], cur[:n - s]  # cur[x] against row[x - k] and row[x + k]
                    before, after = row[:n - s], row[s:]
                    if lowest:
                        for x in range(n - s):
                            right[x] = min(right[x], before[x])
                        for x in range(n - s):
                            left[x] = min(left[x], after[x])
                    else:
                        for x in range(n - s):
                            right[x] = max(right[x], before[x])
                        for x in range(n - s):
                            left[x] = max(left[x], after[x])
            ready += 1
        dst = out[y]
        dst[:] = levels[y % taps, radius]
        for dy in range(-radius, radius + 1):
            if dy != 0 and 0 <= y + dy < h:
                span = levels[(y + dy) % taps, half[dy + radius]]
                if lowest:
                    for x in range(n):
                        dst[x] = min(dst[x], span[x])
                else:
                    for x in range(n):
                        dst[x] = max(dst[x], span[x])
    return out


@njit(cache=True, nogil=True)
def _dilate_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """Max over the disc x² + y² ≤ r² of a one-channel mask (see :func:`_morph_disc`)."""
    return _morph_disc(mask, radius, 1, False)


def _mask(mask: np.ndarray, radius: int) -> np.ndarray:
    if mask.ndim != 2 or mask.dtype not in (np.uint8, np.float32):
        raise ValueError(f"expected a 2-D uint8 or float32 mask, got {mask.dtype} {mask.shape}")
    if radius < 0:
        raise ValueError(f"radius must be ≥ 0, got {radius}")
    return np.ascontiguousarray(mask)


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """Grow ink by a disc of ``radius`` pixels (max filter; a single pixel at radius 2 becomes 13)."""
    return _dilate_disc(_mask(mask, radius), int(radius))


def erode(mask: np.ndarray, radius: int) -> np.ndarray:
    """Thin ink by a disc of ``radius`` pixels (min filter), as the dual of ``dilate``."""
    return _morph_disc(_mask(mask, radius), int(radius), 1, True)


def outline(mask: np.ndarray, width: int) -> np.ndarray:
    """The ring ``dilate(mask, width) − mask`` in [0, 1] (float32): hollow or outlined text."""
    alpha = mask.astype(np.float32) / 255.0 if mask.dtype == np.uint8 else mask
    return np.clip(dilate(alpha, width) - alpha, 0.0, 1.0).astype(np.float32)
