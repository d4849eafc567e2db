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
def blend_runs(flat_src: np.ndarray, nc: int, xs: np.ndarray, ys: np.ndarray, fx3: np.ndarray, fy3: np.ndarray,
               inside: np.ndarray, row_out: np.ndarray, rounding: np.float32) -> None:
    """Bilinear reads for one output row (channel values flattened to W·C), where ``inside``.

    Output pixel c reads source pixels (xs[c] + {0, 1}, ys[c] + {0, 1}) of ``flat_src`` (h, w·C) with
    the weights ``fx3``, ``fy3`` (one per channel value). Runs of neighbouring pixels whose four taps sit
    at the same offset from them (same source rows, same column shift: dozens of pixels in the
    near-identity maps of scans, photos and paper cockle) are blended as contiguous slices, which numba
    vectorises; pixels that are not ``inside`` are left to the caller.
    """
    ow = xs.size
    c = 0
    while c < ow:
        if not inside[c]:
            c += 1
            continue
        shift = xs[c] - c
        y0 = ys[c]
        e = c + 1
        while e < ow and inside[e] and xs[e] - e == shift and ys[e] == y0:
            e += 1
        n = (e - c) * nc
        s0 = (c + shift) * nc
        top, bottom = flat_src[y0], flat_src[y0 + 1]
        a0, a1 = top[s0:s0 + n], top[s0 + nc:s0 + nc + n]
        b0, b1 = bottom[s0:s0 + n], bottom[s0 + nc:s0 + nc + n]
        fxs, fys = fx3[c * nc:c * nc + n], fy3[c * nc:c * nc + n]
        dst = row_out[c * nc:c * nc + n]
        for j in range(n):
            p = np.float32(a0[j])
            q = np.float32(b0[j])
            t0 = p + fxs[j] * (np.float32(a1[j]) - p)
            t1 = q + fxs[j] * (np.float32(b1[j]) - q)
            dst[j] = t0 + fys[j] * (t1 - t0) + rounding
        c = e


@njit(cache=True, nogil=True)
def weights(us: np.ndarray, vs: np.ndarray, xs: np.ndarray, ys: np.ndarray, nc: int, fx3: np.ndarray,
            fy3: np.ndarray) -> None:
    """The bilinear weights ``us − xs`` and ``vs − ys`` of a row's pixels, repeated for their ``nc`` channel
    values (as :func:`blend_runs` reads them); three channels get a branch-free loop numba vectorises."""
    if nc == 3:
        for c in range(us.size):
            fx = np.float32(us[c] - xs[c])
            fy = np.float32(vs[c] - ys[c])
            fx3[3 * c] = fx
            fx3[3 * c + 1] = fx
            fx3[3 * c + 2] = fx
            fy3[3 * c] = fy
            fy3[3 * c + 1] = fy
            fy3[3 * c + 2] = fy
    else:
        for c in range(us.size):
            fx = np.float32(us[c] - xs[c])
            fy = np.float32(vs[c] - ys[c])
            for k in range(nc):
                fx3[c * nc + k] = fx
                fy3[c * nc + k] = fy


@njit(cache=True, nogil=True)
def _warp_kernel(src: np.ndarray, hinv: np.ndarray, border: np.ndarray, out: np.ndarray,
                 rounding: float) -> None:
    """Fill ``out`` (oh, ow, C) from ``src`` (h, w, C); ``rounding`` is 0.5 for integer outputs.

    Row by row: every pixel's source position first (no division for affine maps), then
    :func:`blend_runs` for the pixels whose four taps are inside the source, then the others, whose
    taps outside the source read the ``border`` value.
    """
    h, w, nc = src.shape
    oh, ow = out.shape[0], out.shape[1]
    flat_src = src.reshape(h, w * nc)
    flat_out = out.reshape(oh, ow * nc)
    us = np.empty(ow)
    vs = np.empty(ow)
    xs = np.empty(ow, np.int64)
    ys = np.empty(ow, np.int64)
    inside = np.empty(ow, np.bool_)
    fx3 = np.empty(ow * nc, np.float32)  # each pixel's weights, repeated for its channels
    fy3 = np.empty(ow * nc, np.float32)
    rnd = np.float32(rounding)
    affine = hinv[2, 0] == 0.0 and hinv[2, 1] == 0.0
    acc = np.empty(nc)
    for r in range(oh):
        py = r + 0.5
        row_u = hinv[0, 1] * py + hinv[0, 2]  # the row's share of H⁻¹·(px, py, 1)
        row_v = hinv[1, 1] * py + hinv[1, 2]
        row_d = hinv[2, 1] * py + hinv[2, 2]
        if affine:  # the same numbers as below, without a division per pixel
            inv = 1.0 / row_d if row_d > 0.0 else 0.0
            for c in range(ow):
                px = c + 0.5
                us[c] = (hinv[0, 0] * px + row_u) * inv - 0.5
                vs[c] = (hinv[1, 0] * px + row_v) * inv - 0.5
            if not row_d > 0.0:
                us[:] = -2.0
                vs[:] = -2.0
        else:
            for c in range(ow):
                px = c + 0.5
                den = hinv[2, 0] * px + row_d
                if den > 0.0:
                    inv = 1.0 / den
                    us[c] = (hinv[0, 0] * px + row_u) * inv - 0.5
                    vs[c] = (hinv[1, 0] * px + row_v) * inv - 0.5
                else:  # beyond the horizon: all taps outside
                    us[c] = -2.0
                    vs[c] = -2.0
        for c in range(ow):  # branch-free loops, so that numba vectorises them
            u, v = us[c], vs[c]
            x0 = int(u + 2.0) - 2  # floor, for u > -2
            y0 = int(v + 2.0) - 2
            xs[c] = x0
            ys[c] = y0
            inside[c] = (x0 >= 0) & (x0 < w - 1) & (y0 >= 0) & (y0 < h - 1)
        weights(us, vs, xs, ys, nc, fx3, fy3)
        blend_runs(flat_src, nc, xs, ys, fx3, fy3, inside, flat_out[r], rnd)
        for c in range(ow):
            if inside[c]:
                continue
            u, v = us[c], vs[c]
            if not (-1.0 < u < w and -1.0 < v < h):
                for k in range(nc):
                    out[r, c, k] = border[k] + rounding
                continue
            # near the edge: taps outside the source read the border value
            x0, y0 = xs[c], ys[c]
            fx = u - x0
            fy = v - y0
            w00 = (1.0 - fx) * (1.0 - fy)
            w01 = fx * (1.0 - fy)
            w10 = (1.0 - fx) * fy
            w11 = fx * fy
            for k in range(nc):
                acc[k] = 0.0
            for dy in range(2):
                yy = y0 + dy
                for dx in range(2):
                    xx = x0 + dx
                    wt = (w00, w01, w10, w11)[2 * dy + dx]
                    ok = 0 <= xx < w and 0 <= yy < h
                    for k in range(nc):
                        acc[k] += wt * (src[yy, xx, k] if ok else border[k])
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
    _warp_kernel(np.ascontiguousarray(src), hinv, fill, out, rounding)
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
