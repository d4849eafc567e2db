"""Geometric page effects: they move pixels, so each returns the exact 3×3 homography it applied.

The composer pushes every label quad through that matrix (``geometry.transform_points``; pixel (c, r)
covers [c, c+1) × [r, r+1)), which keeps boxes exact after perspective and rotation. Warps grow the
canvas with ``geometry.fit_canvas`` so no ink is ever cropped; the uncovered corners are filled with
the page's own edge colour (a rotated scan) or, sometimes, a desk colour (a photographed page).
The one exception is ``Elastic``: a smooth sub-pixel wobble with no matrix, kept ≤ 1.5 px so the
unmoved labels stay within the anti-aliased edge of the ink.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from polyocr.render.geometry import affine, fit_canvas, perspective_from_points
from polyocr.render.warp import blend_runs, warp_image, weights
from polyocr.synth.degrade_photometric import Effect, hash_u64, mild, seed, uniform


def edge_color(image: np.ndarray) -> list[int]:
    """The median colour of the outermost pixel frame: what a scanner bed around the page shows."""
    frame = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return [int(v) for v in np.median(frame, axis=0)]


def _border(rng: np.random.Generator, dark_p: float) -> list[int] | None:
    """None = the page's edge colour, decided at ``apply`` time; else a sampled desk colour."""
    if rng.random() >= dark_p:
        return None
    base = rng.uniform(20, 110)
    return [int(np.clip(base + rng.uniform(-15, 15), 0, 255)) for _ in range(3)]


def _warp(image: np.ndarray, h: np.ndarray, border: list[int] | None) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = image.shape[:2]
    moved, ow, oh = fit_canvas(h, cols, rows)
    fill = edge_color(image) if border is None else border
    return warp_image(image, moved, (oh, ow), border=fill), moved


class Perspective(Effect):
    """A page photographed slightly off-axis: each corner moves by up to ``jitter`` × short side."""

    name = "perspective"
    geometric = True

    def _draw(self, rng, height, width):
        j = mild(rng, self.cfg.jitter) * min(height, width)
        offsets = rng.uniform(-j, j, (4, 2))
        return {"offsets": offsets.round(3).tolist(), "border": _border(rng, self.cfg.dark_border_p)}

    def apply(self, image, params):
        rows, cols = image.shape[:2]
        src = np.array([[0.0, 0.0], [cols, 0.0], [cols, rows], [0.0, rows]])
        h = perspective_from_points(src, src + np.asarray(params["offsets"], float))
        return _warp(image, h, params["border"])


class Rotation(Effect):
    """Skewed scans (small angles) and, with its own probability, pages turned by quarter turns.

    ``angle`` is counter-clockwise in degrees (as ``PIL.Image.rotate``); an exact multiple of 90°
    moves pixels without resampling.
    """

    name = "rotation"
    geometric = True

    def sample(self, rng, height, width):
        cfg = self.cfg
        small = uniform(rng, cfg.angle) if rng.random() < cfg.p else None
        quarter = int(rng.integers(1, 4)) if rng.random() < cfg.quarter_turn_p else 0
        if small is None and quarter == 0:
            return None
        return {"angle": (small or 0.0) + 90.0 * quarter, "border": _border(rng, cfg.dark_border_p)}

    def apply(self, image, params):
        rows, cols = image.shape[:2]
        angle = float(params["angle"])
        h = affine(rotate_deg=angle, center=(cols / 2.0, rows / 2.0))
        if angle % 90.0 == 0.0:  # a lossless quarter turn: np.rot90 turns the same way as affine()
            return np.ascontiguousarray(np.rot90(image, int(angle // 90.0) % 4)), fit_canvas(h, cols, rows)[0]
        return _warp(image, h, params["border"])


@njit(cache=True, nogil=True)
def _elastic(img: np.ndarray, gx: np.ndarray, gy: np.ndarray, step: float) -> np.ndarray:
    """Read each pixel bilinearly at its centre + a displacement interpolated from the coarse grids.

    The displacement of a page row is built once per row (the two coarse rows around it blended, then
    each pixel one step between two column nodes); the reads go through :func:`blend_runs`, since a
    displacement of at most 1.5 px keeps the same source offset over long runs of pixels.
    """
    h, w, nc = img.shape
    out = np.empty_like(img)
    flat_src = img.reshape(h, w * nc)
    flat_out = out.reshape(h, w * nc)
    cols = gx.shape[1]
    node = np.empty(w, np.int64)
    frac = np.empty(w)
    for x in range(w):
        u = (x + 0.5) / step
        j0 = min(int(u), cols - 2)
        node[x] = j0
        frac[x] = u - j0
    line_x = np.empty(cols)
    line_y = np.empty(cols)
    us = np.empty(w)
    vs = np.empty(w)
    xs = np.empty(w, np.int64)
    ys = np.empty(w, np.int64)
    inside = np.ones(w, np.bool_)
    fx3 = np.empty(w * nc, np.float32)
    fy3 = np.empty(w * nc, np.float32)
    for y in range(h):
        v = (y + 0.5) / step
        i0 = min(int(v), gx.shape[0] - 2)
        fv = v - i0
        for j in range(cols):
            line_x[j] = (1 - fv) * gx[i0, j] + fv * gx[i0 + 1, j]
            line_y[j] = (1 - fv) * gy[i0, j] + fv * gy[i0 + 1, j]
        for x in range(w):
            j0, fu = node[x], frac[x]
            sx = min(max(x + (1 - fu) * line_x[j0] + fu * line_x[j0 + 1], 0.0), w - 1.0)
            sy = min(max(y + (1 - fu) * line_y[j0] + fu * line_y[j0 + 1], 0.0), h - 1.0)
            us[x] = sx
            vs[x] = sy
            xs[x] = min(int(sx), w - 2)
            ys[x] = min(int(sy), h - 2)
        weights(us, vs, xs, ys, nc, fx3, fy3)
        blend_runs(flat_src, nc, xs, ys, fx3, fy3, inside, flat_out[y], np.float32(0.5))
    return out


@njit(cache=True, nogil=True)
def _field(key: np.uint64, rows: int, cols: int, amplitude: float) -> np.ndarray:
    out = np.empty((rows, cols), np.float32)
    for i in range(rows * cols):
        u = float(hash_u64(key, i) >> np.uint64(11)) * (1.0 / 9007199254740992.0)
        out[i // cols, i % cols] = amplitude * (2.0 * u - 1.0)
    return out


class Elastic(Effect):
    """Paper cockle and lens wobble: a smooth random displacement of at most ``amplitude`` px.

    Labels are NOT moved (no matrix is returned): the amplitude is capped at 1.5 px by the config so
    every box still covers its ink. Control points ``spacing`` px apart hold uniform displacements in
    [−amplitude, amplitude]; pixels between them are displaced by bilinear interpolation.
    """

    name = "elastic"

    def _draw(self, rng, height, width):
        return {"amplitude": mild(rng, self.cfg.amplitude), "spacing": uniform(rng, self.cfg.spacing),
                "seed": seed(rng)}

    def apply(self, image, params):
        rows, cols = image.shape[:2]
        step = max(float(params["spacing"]), 2.0)
        gr, gc = math.ceil(rows / step) + 2, math.ceil(cols / step) + 2
        key = np.uint64(params["seed"])
        amp = min(float(params["amplitude"]), 1.5)
        gx = _field(key, gr, gc, amp)
        gy = _field(key + np.uint64(1_000_003), gr, gc, amp)
        if image.shape[0] < 2 or image.shape[1] < 2:
            return image.copy()
        return _elastic(np.ascontiguousarray(image), gx, gy, step)


GEOMETRIC: tuple[type[Effect], ...] = (Elastic, Perspective, Rotation)
