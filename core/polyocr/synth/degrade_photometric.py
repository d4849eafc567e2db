"""Photometric page effects: they change pixel values, never pixel positions, so labels stay put.

Each effect follows SynthTIGER's split: ``sample(rng, height, width)`` draws a plain-JSON parameter
dict from an explicit ``numpy.random.Generator`` (or None when the effect's probability says no), and
``apply(image, params)`` executes it as a pure function of its inputs, so a page can be replayed from
its record. Per-pixel randomness (noise, grain) comes from a counter-based hash of (seed, pixel index)
inside numba kernels: no global random state, the same bytes on every run, and no large arrays of
random numbers to allocate. This module also holds the shared kernels (separable blur, bilinear
up-sampling of coarse maps) that the backgrounds and the geometric effects reuse.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from numba import njit
from PIL import Image

from polyocr.render.composite import dilate, erode

Params = dict[str, Any]
_M1, _M2, _GOLD = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


class Effect:
    """The interface every page effect shares (photometric ones return an image from ``apply``)."""

    name = ""
    geometric = False

    def __init__(self, cfg: Any = None) -> None:
        self.cfg = cfg

    def sample(self, rng: np.random.Generator, height: int, width: int) -> Params | None:
        if self.cfg is None or rng.random() >= self.cfg.p:
            return None
        return self._draw(rng, height, width)

    def _draw(self, rng: np.random.Generator, height: int, width: int) -> Params:
        raise NotImplementedError

    def apply(self, image: np.ndarray, params: Params) -> Any:
        raise NotImplementedError


def uniform(rng: np.random.Generator, r: tuple[float, float]) -> float:
    return float(rng.uniform(r[0], r[1]))


def mild(rng: np.random.Generator, r: tuple[float, float]) -> float:
    """A strength skewed toward ``low``: the ``high`` end of a range is the rare heavy case."""
    return float(r[0] + (r[1] - r[0]) * rng.random() ** 2)


def seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


# --- shared kernels -------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def hash_u64(key: np.uint64, i: int) -> np.uint64:
    """splitmix64 of (key, i): an independent 64-bit random word per pixel, with no state."""
    x = key + np.uint64(i) * _GOLD
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, inline="always")
def hash_normal(x: np.uint64) -> float:
    """≈ N(0, 1) as a sum of four 16-bit uniforms (Irwin–Hall): cheap, bounded at ±3.46 σ."""
    m = np.uint64(0xFFFF)
    s = (x & m) + ((x >> np.uint64(16)) & m) + ((x >> np.uint64(32)) & m) + (x >> np.uint64(48))
    return (float(s) - 131070.0) * (1.0 / 37837.2)


@njit(cache=True, nogil=True)
def _add_noise(img: np.ndarray, key: np.uint64, sigma: float, mono: bool) -> np.ndarray:
    h, w, nc = img.shape
    out = np.empty_like(img)
    for y in range(h):
        for x in range(w):
            i = (y * w + x) * nc
            n = sigma * hash_normal(hash_u64(key, i))
            for c in range(nc):
                if not mono and c > 0:
                    n = sigma * hash_normal(hash_u64(key, i + c))
                out[y, x, c] = np.uint8(min(max(img[y, x, c] + n + 0.5, 0.0), 255.0))
    return out


@njit(cache=True, nogil=True)
def _salt_pepper(img: np.ndarray, key: np.uint64, amount: float, salt: float) -> np.ndarray:
    h, w, nc = img.shape
    out = img.copy()
    for y in range(h):
        for x in range(w):
            u = float(hash_u64(key, y * w + x) >> np.uint64(11)) * (1.0 / 9007199254740992.0)
            if u < amount:
                v = np.uint8(255) if u < amount * salt else np.uint8(0)
                for c in range(nc):
                    out[y, x, c] = v
    return out


@njit(cache=True, nogil=True)
def _blur_pass_rows(src: np.ndarray, nc: int, wts: np.ndarray, out: np.ndarray) -> None:
    """Horizontal pass on rows flattened to (W·C): ``out`` (float32) ← ``src`` ⊛ wts, edges clamped."""
    h, n = src.shape
    r = (wts.size - 1) // 2
    pad = np.empty(n + 2 * r * nc, np.float32)
    for y in range(h):
        for j in range(pad.size):
            px = min(max(j // nc - r, 0), n // nc - 1)
            pad[j] = src[y, px * nc + j % nc]
        acc = out[y]
        acc[:] = 0.0
        for k in range(wts.size):
            wk, off = wts[k], k * nc
            for j in range(n):
                acc[j] += wk * pad[j + off]


@njit(cache=True, nogil=True)
def _blur_pass_cols(tmp: np.ndarray, wts: np.ndarray, out: np.ndarray, to_u8: bool) -> None:
    """Vertical pass, a whole row at a time (vectorised); rounds and clips when ``to_u8``."""
    h, n = tmp.shape
    r = (wts.size - 1) // 2
    acc = np.empty(n, np.float32)
    for y in range(h):
        acc[:] = 0.0
        for k in range(wts.size):
            row, wk = tmp[min(max(y + k - r, 0), h - 1)], wts[k]
            for j in range(n):
                acc[j] += wk * row[j]
        if to_u8:
            for j in range(n):
                out[y, j] = min(max(acc[j] + 0.5, 0.0), 255.0)
        else:
            out[y, :] = acc


def gaussian_weights(sigma: float) -> np.ndarray:
    r = max(1, math.ceil(3.0 * sigma))
    x = np.arange(-r, r + 1, dtype=np.float64)
    w = np.exp(-0.5 * (x / sigma) ** 2)
    return (w / w.sum()).astype(np.float32)


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of a uint8 (H, W, C) image or a float32 (H, W) map; same dtype back."""
    if sigma <= 0.0:
        return image.copy()
    img = np.ascontiguousarray(image)
    nc = img.shape[2] if img.ndim == 3 else 1
    flat = img.reshape(img.shape[0], -1)
    tmp = np.empty(flat.shape, np.float32)
    wts = gaussian_weights(sigma)
    _blur_pass_rows(flat, nc, wts, tmp)
    out = np.empty_like(flat)
    _blur_pass_cols(tmp, wts, out, img.dtype == np.uint8)
    return out.reshape(img.shape)


@njit(cache=True, nogil=True)
def _shade(img: np.ndarray, low: np.ndarray, step: float, strength: float) -> np.ndarray:
    """img · (1 − strength · m), m read bilinearly from the coarse map ``low`` (node j at x = j·step)."""
    h, w, nc = img.shape
    out = np.empty_like(img)
    for y in range(h):
        v = (y + 0.5) / step
        i0 = min(int(v), low.shape[0] - 2)
        fy = v - i0
        for x in range(w):
            u = (x + 0.5) / step
            j0 = min(int(u), low.shape[1] - 2)
            fx = u - j0
            m = ((1 - fy) * ((1 - fx) * low[i0, j0] + fx * low[i0, j0 + 1])
                 + fy * ((1 - fx) * low[i0 + 1, j0] + fx * low[i0 + 1, j0 + 1]))
            k = 1.0 - strength * m
            for c in range(nc):
                out[y, x, c] = np.uint8(img[y, x, c] * k + 0.5)
    return out


def coarse_grid(height: int, width: int, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates (x, y) of the nodes of a coarse map covering the page with step ``step``."""
    ys = np.arange(height // step + 2, dtype=np.float32) * step
    xs = np.arange(width // step + 2, dtype=np.float32) * step
    return np.meshgrid(xs, ys)


@njit(cache=True, nogil=True)
def _lut(img: np.ndarray, lut: np.ndarray, gray: bool) -> np.ndarray:
    h, w, _ = img.shape
    out = np.empty_like(img)
    for y in range(h):
        for x in range(w):
            if gray:
                g = (299 * np.int64(img[y, x, 0]) + 587 * np.int64(img[y, x, 1])
                     + 114 * np.int64(img[y, x, 2]) + 500) // 1000
                for c in range(3):
                    out[y, x, c] = lut[c, g]
            else:
                for c in range(3):
                    out[y, x, c] = lut[c, img[y, x, c]]
    return out


# --- effects --------------------------------------------------------------------------------------
class _InkMorph(Effect):
    def _draw(self, rng, height, width):
        r = self.cfg.radius
        return {"radius": int(rng.integers(r[0], r[1] + 1)), "strength": mild(rng, self.cfg.strength)}

    def apply(self, image, params):
        morph = erode if self.name == "ink_dilate" else dilate  # dark ink grows where light shrinks
        moved = np.stack([morph(image[:, :, c], params["radius"]) for c in range(3)], axis=2)
        s = float(params["strength"])
        return (image + s * (moved.astype(np.float32) - image) + 0.5).astype(np.uint8)


class InkDilate(_InkMorph):
    """Dark strokes grow by a disc (per-channel min filter) blended at ``strength``: over-inking."""

    name = "ink_dilate"


class InkErode(_InkMorph):
    """Dark strokes thin (per-channel max filter), blended so thin strokes fade but never vanish."""

    name = "ink_erode"


class GaussianBlur(Effect):
    """Defocus and scanner softness."""

    name = "gaussian_blur"

    def _draw(self, rng, height, width):
        return {"sigma": mild(rng, self.cfg.sigma)}

    def apply(self, image, params):
        return gaussian_blur(image, float(params["sigma"]))


@njit(cache=True, nogil=True)
def _motion(pad: np.ndarray, taps_y: np.ndarray, taps_x: np.ndarray, taps_w: np.ndarray, r: int,
            out: np.ndarray) -> None:
    h, n = out.shape
    nc = (pad.shape[1] - n) // (2 * r)
    acc = np.empty(n, np.float32)
    for y in range(h):
        acc[:] = 0.0
        for t in range(taps_w.size):
            row, off, wt = pad[y + r + taps_y[t]], (r + taps_x[t]) * nc, taps_w[t]
            for j in range(n):
                acc[j] += wt * row[j + off]
        for j in range(n):
            out[y, j] = min(max(acc[j] + 0.5, 0.0), 255.0)


class MotionBlur(Effect):
    """Camera shake: the average along a segment of ``length`` px at ``angle`` degrees."""

    name = "motion_blur"

    def _draw(self, rng, height, width):
        return {"length": mild(rng, self.cfg.length), "angle": uniform(rng, self.cfg.angle)}

    @staticmethod
    def taps(length: float, angle: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The line kernel as sparse taps: points along the segment splatted bilinearly."""
        r = math.ceil(length / 2) + 1
        grid = np.zeros((2 * r + 1, 2 * r + 1))
        t = np.linspace(-length / 2, length / 2, max(2, int(8 * length)))
        xs = r + t * math.cos(math.radians(angle))
        ys = r + t * math.sin(math.radians(angle))
        x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
        fx, fy = xs - x0, ys - y0
        for dy, dx, wt in ((0, 0, (1 - fx) * (1 - fy)), (0, 1, fx * (1 - fy)), (1, 0, (1 - fx) * fy), (1, 1, fx * fy)):
            np.add.at(grid, (y0 + dy, x0 + dx), wt)
        grid[grid < grid.max() * 1e-3] = 0.0
        ty, tx = np.nonzero(grid)
        w = grid[ty, tx]
        return (ty - r).astype(np.int64), (tx - r).astype(np.int64), (w / w.sum()).astype(np.float32), r

    def apply(self, image, params):
        ty, tx, tw, r = self.taps(float(params["length"]), float(params["angle"]))
        h, w, nc = image.shape
        pad = np.pad(image, ((r, r), (r, r), (0, 0)), mode="edge").reshape(h + 2 * r, -1)
        out = np.empty((h, w * nc), np.uint8)
        _motion(pad, ty, tx, tw, r, out)
        return out.reshape(image.shape)


class Shadow(Effect):
    """A soft shadow: an object's polygon entering from an edge, or a linear fall-off of light."""

    name = "shadow"
    step = 8  # the shadow is smooth: computed on a coarse grid, read bilinearly

    def _draw(self, rng, height, width):
        cfg = self.cfg
        common = {"strength": mild(rng, cfg.strength),
                  "softness": uniform(rng, cfg.softness) * min(height, width)}
        if rng.random() < cfg.gradient_p:
            a = uniform(rng, (0.0, 360.0))
            return {"kind": "gradient", "angle": a, "start": uniform(rng, (0.2, 0.7)), **common}
        edge = int(rng.integers(4))  # the object comes in from this edge (top, right, bottom, left)
        size = (width, height) if edge in (0, 2) else (height, width)
        along = sorted(rng.uniform(-0.2, 1.2, 2) * size[0])
        depth = rng.uniform(0.15, 0.6, 2) * size[1]
        quad = [(along[0], -0.2 * size[1]), (along[1], -0.2 * size[1]),
                (along[1] + rng.uniform(-0.2, 0.2) * size[0], depth[0]),
                (along[0] + rng.uniform(-0.2, 0.2) * size[0], depth[1])]
        pts = [_from_edge(edge, a, d, width, height) for a, d in quad]
        return {"kind": "polygon", "points": [[float(x), float(y)] for x, y in pts], **common}

    def apply(self, image, params):
        h, w = image.shape[:2]
        xs, ys = coarse_grid(h, w, self.step)
        if params["kind"] == "gradient":
            a = math.radians(params["angle"])
            d = (xs - w / 2) * math.cos(a) + (ys - h / 2) * math.sin(a)
            half = 0.5 * (abs(w * math.cos(a)) + abs(h * math.sin(a)))
            begin = (2.0 * params["start"] - 1.0) * half  # light falls off linearly from here on
            t = np.clip((d - begin) / (half - begin), 0.0, 1.0)
            low = (t * t * (3 - 2 * t)).astype(np.float32)
        else:
            low = _inside(np.asarray(params["points"]), xs, ys).astype(np.float32)
            low = gaussian_blur(low, params["softness"] / 2.0 / self.step)
        return _shade(image, low, float(self.step), float(params["strength"]))


def _from_edge(edge: int, along: float, depth: float, width: int, height: int) -> tuple[float, float]:
    return [(along, depth), (width - depth, along), (along, height - depth), (depth, along)][edge]


def _inside(poly: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Even–odd point-in-polygon for every node (vectorised over the nodes)."""
    inside = np.zeros(xs.shape, bool)
    for (x0, y0), (x1, y1) in zip(poly, np.roll(poly, -1, axis=0), strict=True):
        if y0 == y1:
            continue
        cross = (ys >= min(y0, y1)) & (ys < max(y0, y1))
        xi = x0 + (ys - y0) * (x1 - x0) / (y1 - y0)
        inside ^= cross & (xs < xi)
    return inside


class ColorShift(Effect):
    """Brightness, contrast, gamma, per-channel casts and greyscale scans, as one 256-entry LUT."""

    name = "color"

    def _draw(self, rng, height, width):
        cfg = self.cfg
        return {"brightness": uniform(rng, cfg.brightness), "contrast": uniform(rng, cfg.contrast),
                "gamma": uniform(rng, cfg.gamma),
                "shift": [uniform(rng, cfg.channel_shift) for _ in range(3)],
                "grayscale": bool(rng.random() < cfg.grayscale_p)}

    @staticmethod
    def lut(params: Params) -> np.ndarray:
        v = (np.arange(256) / 255.0) ** params["gamma"] * 255.0
        v = (v - 128.0) * params["contrast"] + 128.0 + params["brightness"]
        table = v[None, :] + np.asarray(params["shift"], float)[:, None]
        return np.clip(np.rint(table), 0, 255).astype(np.uint8)

    def apply(self, image, params):
        return _lut(image, self.lut(params), bool(params["grayscale"]))


class GaussianNoise(Effect):
    """Sensor and scanner noise: luminance-only (``mono``) or independent per channel."""

    name = "gaussian_noise"

    def _draw(self, rng, height, width):
        return {"sigma": mild(rng, self.cfg.sigma), "mono": bool(rng.random() < self.cfg.mono_p),
                "seed": seed(rng)}

    def apply(self, image, params):
        return _add_noise(image, np.uint64(params["seed"]), float(params["sigma"]), bool(params["mono"]))


class SaltPepper(Effect):
    """Isolated white and black specks: dust on the glass, dropouts of cheap scanners and faxes."""

    name = "salt_pepper"

    def _draw(self, rng, height, width):
        return {"amount": mild(rng, self.cfg.amount), "salt": uniform(rng, self.cfg.salt_fraction),
                "seed": seed(rng)}

    def apply(self, image, params):
        return _salt_pepper(image, np.uint64(params["seed"]), float(params["amount"]), float(params["salt"]))


class Jpeg(Effect):
    """JPEG quality: the dataset writer encodes with ``quality``; ``apply`` is the round trip for
    training-time use (the composer does not call it: the page is encoded once, by the writer)."""

    name = "jpeg"

    def _draw(self, rng, height, width):
        lo, hi = self.cfg.quality
        return {"quality": int(round(hi - (hi - lo) * rng.random() ** 2))}  # mostly good quality

    def apply(self, image, params):
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format="JPEG", quality=int(params["quality"]))
        return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


PHOTOMETRIC: tuple[type[Effect], ...] = (InkDilate, InkErode, GaussianBlur, MotionBlur, Shadow, ColorShift,
                                         GaussianNoise, SaltPepper, Jpeg)
