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
    _blend(page, np.empty((0, 0, 3), np.uint8), ink, alpha, int(x), int(y), scale)


def composite_image(page: np.ndarray, src_rgb: np.ndarray, alpha: np.ndarray, x: int, y: int,
                    opacity: float = 1.0) -> None:
    """Blend a per-pixel uint8 ``src_rgb`` (h, w, 3) into ``page`` in place (textures, backgrounds)."""
    scale = _check(page, alpha, opacity)
    if src_rgb.dtype != np.uint8 or src_rgb.shape != (*alpha.shape, 3):
        raise ValueError(f"src_rgb must be uint8 {(*alpha.shape, 3)}, got {src_rgb.dtype} {src_rgb.shape}")
    _blend(page, src_rgb, np.zeros(3), alpha, int(x), int(y), scale)


@njit(cache=True, nogil=True)
def _dilate_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """Max over the disc x² + y² ≤ r², pixels outside the mask ignored.

    The disc is a stack of horizontal spans of half-width ⌊√(r² − dy²)⌋. For each source row the
    running maxima of every half-width 0..r are built once (each from the previous, two reads per
    pixel) in a ring of 2r + 1 rows; an output pixel is then the max of 2r + 1 of them: O(r) per pixel.
    """
    h, w = mask.shape
    n = 2 * radius + 1
    half = np.empty(n, dtype=np.int64)
    for dy in range(-radius, radius + 1):
        half[dy + radius] = int(np.sqrt(radius * radius - dy * dy) + 1e-9)
    levels = np.empty((n, radius + 1, w), dtype=mask.dtype)
    out = np.empty_like(mask)
    ready = 0
    for y in range(h):
        while ready < min(y + radius + 1, h):  # bring source rows up to y + r into the ring
            lv = levels[ready % n]
            row = mask[ready]
            lv[0, :] = row
            for k in range(1, radius + 1):
                prev, cur = lv[k - 1], lv[k]
                cur[:] = prev
                for x in range(k, w):  # branch-free loops: numba vectorises them
                    cur[x] = max(cur[x], row[x - k])
                for x in range(w - k):
                    cur[x] = max(cur[x], row[x + k])
            ready += 1
        dst = out[y]
        dst[:] = levels[y % n, radius]
        for dy in range(-radius, radius + 1):
            if dy != 0 and 0 <= y + dy < h:
                span = levels[(y + dy) % n, half[dy + radius]]
                for x in range(w):
                    dst[x] = max(dst[x], span[x])
    return out


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
    mask = _mask(mask, radius)
    if mask.dtype == np.uint8:
        return 255 - _dilate_disc(255 - mask, int(radius))
    return -_dilate_disc(-mask, int(radius))


def outline(mask: np.ndarray, width: int) -> np.ndarray:
    """The ring ``dilate(mask, width) − mask`` in [0, 1] (float32): hollow or outlined text."""
    alpha = mask.astype(np.float32) / 255.0 if mask.dtype == np.uint8 else mask
    return np.clip(dilate(alpha, width) - alpha, 0.0, 1.0).astype(np.float32)
