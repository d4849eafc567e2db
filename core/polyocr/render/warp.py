"""Warp an image through a homography by inverse mapping with bilinear interpolation (numba).

Pixel convention (shared with ``geometry``): pixel (c, r) is the unit square [c, c+1) × [r, r+1) and
is sampled at its centre (c + 0.5, r + 0.5). ``H`` maps *source* coordinates to *destination*
coordinates, exactly as it maps the quads of the glyphs drawn in the image; each destination centre is
mapped back through H⁻¹ and read bilinearly between the four nearest source centres. Hence the identity
returns the input byte for byte and a translation by (3, 0) moves every pixel exactly 3 columns.
Source taps outside the image read the ``border`` value, so warped edges stay anti-aliased.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _warp_kernel(src: np.ndarray, hinv: np.ndarray, border: np.ndarray, out: np.ndarray,
                 rounding: float) -> None:
    """Fill ``out`` (oh, ow, C) from ``src`` (h, w, C); ``rounding`` is 0.5 for integer outputs."""
    h, w, nc = src.shape
    oh, ow = out.shape[0], out.shape[1]
    acc = np.empty(nc)
    for r in range(oh):
        py = r + 0.5
        row_u = hinv[0, 1] * py + hinv[0, 2]  # the row's share of H⁻¹·(px, py, 1)
        row_v = hinv[1, 1] * py + hinv[1, 2]
        row_d = hinv[2, 1] * py + hinv[2, 2]
        for c in range(ow):
            px = c + 0.5
            den = hinv[2, 0] * px + row_d
            u = -2.0  # beyond the horizon: all taps outside
            v = -2.0
            if den > 0.0:
                inv = 1.0 / den
                u = (hinv[0, 0] * px + row_u) * inv - 0.5
                v = (hinv[1, 0] * px + row_v) * inv - 0.5
            if not (-1.0 < u < w and -1.0 < v < h):
                for k in range(nc):
                    out[r, c, k] = border[k] + rounding
                continue
            x0 = int(math.floor(u))
            y0 = int(math.floor(v))
            fx = u - x0
            fy = v - y0
            w00 = (1.0 - fx) * (1.0 - fy)
            w01 = fx * (1.0 - fy)
            w10 = (1.0 - fx) * fy
            w11 = fx * fy
            if 0 <= x0 and x0 + 1 < w and 0 <= y0 and y0 + 1 < h:
                for k in range(nc):
                    out[r, c, k] = (w00 * src[y0, x0, k] + w01 * src[y0, x0 + 1, k]
                                    + w10 * src[y0 + 1, x0, k] + w11 * src[y0 + 1, x0 + 1, k]
                                    + rounding)
                continue
            # near the edge: taps outside the source read the border value
            for k in range(nc):
                acc[k] = 0.0
            for dy in range(2):
                yy = y0 + dy
                for dx in range(2):
                    xx = x0 + dx
                    wt = (w00, w01, w10, w11)[2 * dy + dx]
                    inside = 0 <= xx < w and 0 <= yy < h
                    for k in range(nc):
                        acc[k] += wt * (src[yy, xx, k] if inside else border[k])
            for k in range(nc):
                out[r, c, k] = acc[k] + rounding


def _as_hwc(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image[:, :, None]
    if image.ndim == 3 and 1 <= image.shape[2] <= 4:
        return image
    raise ValueError(f"expected an (H, W) or (H, W, C≤4) image, got shape {image.shape}")


def _warp(image: np.ndarray, h: np.ndarray, out_shape: tuple[int, int],
          border: float | Sequence[float], rounding: float) -> np.ndarray:
    src = _as_hwc(image)
    nc = src.shape[2]
    fill = np.broadcast_to(np.asarray(border, dtype=np.float64), (nc,)).copy()
    h = np.asarray(h, dtype=np.float64)
    if h[2, 0] * src.shape[1] / 2 + h[2, 1] * src.shape[0] / 2 + h[2, 2] < 0.0:
        h = -h  # the same map, scaled so that w > 0 on the source: the kernel then needs den > 0
    hinv = np.linalg.inv(h)
    out = np.empty((int(out_shape[0]), int(out_shape[1]), nc), dtype=image.dtype)
    _warp_kernel(src, hinv, fill, out, rounding)
    return out if image.ndim == 3 else out[:, :, 0]


def warp_image(image: np.ndarray, h: np.ndarray, out_shape: tuple[int, int],
               border: float | Sequence[float] = 0) -> np.ndarray:
    """Warp a uint8 ``(H, W)`` or ``(H, W, C)`` image into a new ``out_shape = (height, width)`` image.

    ``border`` (a scalar or one value per channel, 0–255) fills what no source pixel covers.

    >>> warp_image(np.full((2, 2), 7, np.uint8), np.eye(3), (2, 3)).tolist()
    [[7, 7, 0], [7, 7, 0]]
    """
    if image.dtype != np.uint8:
        raise TypeError(f"warp_image expects uint8 pixels, got {image.dtype}")
    if not np.all((0 <= np.asarray(border)) & (np.asarray(border) <= 255)):
        raise ValueError(f"border must lie in 0..255, got {border}")
    return _warp(image, h, out_shape, border, 0.5)


def warp_mask(mask: np.ndarray, h: np.ndarray, out_shape: tuple[int, int]) -> np.ndarray:
    """Warp an alpha mask (read and returned as float32); everything outside the source is 0."""
    return _warp(np.ascontiguousarray(mask, dtype=np.float32), h, out_shape, 0.0, 0.0)
