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

from polyocr.render.composite import _morph_disc

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
    """Add N(0, sigma²) to every pixel (the same draw on all channels when ``mono``), row by row: the
    hashes of a row first, then one vectorisable pass over its bytes."""
    h, w, nc = img.shape
    n = w * nc
    src = img.reshape(h, n)
    out = np.empty((h, n), np.uint8)
    noise = np.empty(n, np.float32)
    for y in range(h):
        base = y * n
        if mono and nc == 3:
            for x in range(w):
                v = np.float32(sigma * hash_normal(hash_u64(key, base + x * 3)) + 0.5)
                noise[3 * x] = v
                noise[3 * x + 1] = v
                noise[3 * x + 2] = v
        elif mono:
            for x in range(w):
                v = np.float32(sigma * hash_normal(hash_u64(key, base + x * nc)) + 0.5)
                for c in range(nc):
                    noise[x * nc + c] = v
        else:
            for j in range(n):
                noise[j] = np.float32(sigma * hash_normal(hash_u64(key, base + j)) + 0.5)
        row, dst = src[y], out[y]
        for j in range(n):
            dst[j] = np.uint8(min(max(row[j] + noise[j], np.float32(0.0)), np.float32(255.0)))
    return out.reshape(h, w, nc)


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
def _blur(src: np.ndarray, nc: int, wts: np.ndarray, out: np.ndarray, to_u8: bool) -> None:
    """Separable blur of rows flattened to (W·C), edges clamped, in one streaming pass.

    Each source row is blurred horizontally once, into a ring of the 2r + 1 rows the vertical pass
    needs (no full-page float copy); both passes add mirrored taps in pairs (the kernel is symmetric)
    over whole rows. The shifted rows are taken as slices, not as ``a[j + offset]``, so that numba
    vectorises the loops. ``out`` is rounded and clipped when ``to_u8``.
    """
    h, n = src.shape
    taps = wts.size
    r = (taps - 1) // 2
    ring = np.empty((taps, n), np.float32)
    pad = np.empty(n + 2 * r * nc, np.float32)
    body = pad[r * nc:r * nc + n]
    acc = np.empty(n, np.float32)
    centre = wts[r]
    ready = 0
    for y in range(h):
        while ready <= min(y + r, h - 1):  # blur source rows horizontally as the window reaches them
            row = src[ready]
            for j in range(n):
                body[j] = row[j]
            for p in range(r):
                for c in range(nc):
                    pad[p * nc + c] = row[c]
                    pad[(r + p) * nc + n + c] = row[n - nc + c]
            dst = ring[ready % taps]
            for j in range(n):
                dst[j] = centre * body[j]
            for k in range(r):
                wk = wts[k]
                left = pad[k * nc:k * nc + n]
                right = pad[(2 * r - k) * nc:(2 * r - k) * nc + n]
                for j in range(n):
                    dst[j] += wk * (left[j] + right[j])
            ready += 1
        mid = ring[y % taps]
        for j in range(n):
            acc[j] = centre * mid[j]
        for k in range(r):
            wk = wts[k]
            above = ring[max(y - r + k, 0) % taps]
            below = ring[min(y + r - k, h - 1) % taps]
            for j in range(n):
                acc[j] += wk * (above[j] + below[j])
        dst = out[y]
        if to_u8:
            for j in range(n):
                dst[j] = min(max(acc[j] + 0.5, 0.0), 255.0)
        else:
            for j in range(n):
                dst[j] = acc[j]


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
    out = np.empty_like(flat)
    _blur(flat, nc, gaussian_weights(sigma), out, img.dtype == np.uint8)
    return out.reshape(img.shape)


@njit(cache=True, nogil=True)
def _shade(img: np.ndarray, low: np.ndarray, step: float, strength: float) -> np.ndarray:
    """img · (1 − strength · m), m read bilinearly from the coarse map ``low`` (node j at x = j·step).

    Separable: the coarse rows are stretched to the page width once (repeated for each channel), then
    every page row blends two of them and scales its bytes in one vectorised pass.
    """
    h, w, nc = img.shape
    rows, cols = low.shape
    n = w * nc
    wide = np.empty((rows, n), np.float32)
    for x in range(w):
        u = (x + 0.5) / step
        j0 = min(int(u), cols - 2)
        fx = u - j0
        for i in range(rows):
            m = (1 - fx) * low[i, j0] + fx * low[i, j0 + 1]
            for c in range(nc):
                wide[i, x * nc + c] = m
    src = img.reshape(h, n)
    out = np.empty((h, n), np.uint8)
    s = np.float32(strength)
    for y in range(h):
        v = (y + 0.5) / step
        i0 = min(int(v), rows - 2)
        fy = np.float32(v - i0)
        top, bottom, row, dst = wide[i0], wide[i0 + 1], src[y], out[y]
        for j in range(n):
            m = top[j] + fy * (bottom[j] - top[j])
            dst[j] = np.uint8(row[j] * (np.float32(1.0) - s * m) + np.float32(0.5))
    return out.reshape(h, w, nc)


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


@njit(cache=True, nogil=True)
def _mix(a: np.ndarray, b: np.ndarray, s: np.float32) -> np.ndarray:
    """a + s·(b − a), rounded, for uint8 (h, n) arrays."""
    out = np.empty_like(a)
    for y in range(a.shape[0]):
        ra, rb, dst = a[y], b[y], out[y]
        for j in range(a.shape[1]):
            dst[j] = np.uint8(ra[j] + s * (np.float32(rb[j]) - np.float32(ra[j])) + np.float32(0.5))
    return out


# --- effects --------------------------------------------------------------------------------------
class _InkMorph(Effect):
    def _draw(self, rng, height, width):
        r = self.cfg.radius
        return {"radius": int(rng.integers(r[0], r[1] + 1)), "strength": mild(rng, self.cfg.strength)}

    def apply(self, image, params):
        h, w, nc = image.shape
        flat = np.ascontiguousarray(image).reshape(h, w * nc)
        # dark ink grows where light shrinks: a per-channel min filter for ink_dilate, max for ink_erode
        moved = _morph_disc(flat, int(params["radius"]), nc, self.name == "ink_dilate")
        return _mix(flat, moved, np.float32(params["strength"])).reshape(image.shape)


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
def _motion(src: np.ndarray, nc: int, taps_y: np.ndarray, taps_x: np.ndarray, taps_w: np.ndarray, r: int,
            out: np.ndarray) -> None:
    """Sum of shifted copies of the image (rows flattened to W·C), edges clamped: out[y, x] =
    Σ w·src[y + dy, x + dx]. Source rows are padded once each, in a ring of the 2r + 1 rows in reach,
    and every tap adds a slice of one of them (vectorised)."""
    h, n = src.shape
    span = 2 * r + 1
    ring = np.empty((span, n + 2 * r * nc), np.float32)
    acc = np.empty(n, np.float32)
    ready = -r - 1  # the last source row (unclamped index) in the ring
    for y in range(h):
        while ready < y + r:
            ready += 1
            row = src[min(max(ready, 0), h - 1)]
            pad = ring[(ready + span) % span]
            body = pad[r * nc:r * nc + n]
            for j in range(n):
                body[j] = row[j]
            for p in range(r):
                for c in range(nc):
                    pad[p * nc + c] = row[c]
                    pad[(r + p) * nc + n + c] = row[n - nc + c]
        acc[:] = 0.0
        for t in range(taps_w.size):
            wt = taps_w[t]
            off = (r + taps_x[t]) * nc
            shifted = ring[(y + taps_y[t] + span) % span][off:off + n]
            for j in range(n):
                acc[j] += wt * shifted[j]
        dst = out[y]
        for j in range(n):
            dst[j] = min(max(acc[j] + 0.5, 0.0), 255.0)


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
        out = np.empty((h, w * nc), np.uint8)
        _motion(np.ascontiguousarray(image).reshape(h, w * nc), nc, ty, tx, tw, r, out)
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
        return _shade(np.ascontiguousarray(image), low, float(self.step), float(params["strength"]))


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
