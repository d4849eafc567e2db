"""Page backgrounds (solid papers, paper textures, gradients, busy scene-like colour fields) and tinted
boxes behind words (highlighter strokes, shaded table cells).

As with the degradations, ``sample_*`` draws a plain-JSON parameter dict from an explicit generator and
``draw_*`` is a pure function of it. Texture randomness is derived from a ``seed`` stored in the
parameters, so a record replays the same bytes. Smooth structure (blotches, gradients, colour blobs) is
built on a coarse grid and read bilinearly by one numba pass that also adds per-pixel grain: the cost
per page is about that of writing the pixels once. Every kind reads only ``color`` and ``seed`` plus
its own optional keys, so the composer may switch a sampled background's ``kind`` to ``"busy"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from polyocr.synth.config import BackgroundConfig, TintConfig
from polyocr.synth.degrade_photometric import coarse_grid, gaussian_blur, hash_normal, hash_u64, mild, seed, uniform

KINDS = ("solid", "paper", "gradient", "busy")
HIGHLIGHTERS = ((255, 238, 80), (160, 240, 120), (255, 160, 210), (140, 205, 255), (255, 190, 100))
Params = dict[str, Any]


def _paper_color(rng: np.random.Generator, cfg: BackgroundConfig) -> list[int]:
    """Near-white (warm or cool), a pale colour or grey, or rarely a dark page (slides, covers)."""
    u = rng.random()
    if u < cfg.dark_p:
        level, spread = uniform(rng, cfg.dark_level), 20.0
    elif u < cfg.dark_p + (1.0 - cfg.dark_p) * cfg.white_p:
        level, spread = uniform(rng, cfg.white_level), 4.0
    else:
        level, spread = uniform(rng, cfg.tinted_level), (0.0 if rng.random() < 0.4 else 30.0)
    return [int(np.clip(round(level + rng.uniform(-spread, spread)), 0, 255)) for _ in range(3)]


def sample_background(rng: np.random.Generator, cfg: BackgroundConfig, height: int, width: int) -> Params:
    """Draw a background's parameters (``kind``, ``color``, ``seed`` and the kind's own strengths)."""
    k = cfg.kinds
    weights = np.array([k.solid, k.paper, k.gradient, k.busy], float)
    kind = KINDS[int(rng.choice(4, p=weights / weights.sum()))]
    params: Params = {"kind": kind, "color": _paper_color(rng, cfg), "seed": seed(rng)}
    if kind == "paper":
        params.update(blotch=mild(rng, cfg.blotch), fibres=uniform(rng, cfg.fibres), grain=mild(rng, cfg.grain))
    elif kind == "gradient":
        params.update(vignette=bool(rng.random() < cfg.vignette_p), strength=mild(rng, cfg.gradient_strength),
                      angle=uniform(rng, (0.0, 360.0)), grain=mild(rng, cfg.grain))
    return params


@njit(cache=True, nogil=True)
def _render(low: np.ndarray, step: float, height: int, width: int, grain: float, key: np.uint64) -> np.ndarray:
    """Bilinear read of the coarse colour map ``low`` (node j at x = j·step) plus luminance grain.

    Separable: every coarse row is first stretched to the page width (a few coarse rows per page),
    then each page row is one blend of two stretched rows, a loop over contiguous bytes.
    """
    rows, cols = low.shape[0], low.shape[1]
    n = width * 3
    wide = np.empty((rows, n), np.float32)
    for x in range(width):
        u = (x + 0.5) / step
        j0 = min(int(u), cols - 2)
        fx = u - j0
        for i in range(rows):
            for c in range(3):
                wide[i, 3 * x + c] = (1 - fx) * low[i, j0, c] + fx * low[i, j0 + 1, c]
    out = np.empty((height, n), np.uint8)
    noise = np.full(n, 0.5, np.float32)  # the grain, the same on the three channels, plus rounding
    for y in range(height):
        v = (y + 0.5) / step
        i0 = min(int(v), rows - 2)
        fy = np.float32(v - i0)
        if grain > 0.0:
            base = y * width
            for x in range(width):
                g = np.float32(grain * hash_normal(hash_u64(key, base + x)) + 0.5)
                noise[3 * x] = g
                noise[3 * x + 1] = g
                noise[3 * x + 2] = g
        top, bottom, dst = wide[i0], wide[i0 + 1], out[y]
        for j in range(n):
            dst[j] = np.uint8(min(max(top[j] + fy * (bottom[j] - top[j]) + noise[j], np.float32(0.0)), np.float32(255.0)))
    return out.reshape(height, width, 3)


@njit(cache=True, nogil=True)
def _fibres(out: np.ndarray, fib: np.ndarray) -> None:
    """Draw thin curved fibres (x, y, angle, length, bend, delta) as 1-px lighter or darker traces."""
    h, w = out.shape[0], out.shape[1]
    for f in range(fib.shape[0]):
        x, y, a, length, bend, delta = fib[f, 0], fib[f, 1], fib[f, 2], fib[f, 3], fib[f, 4], fib[f, 5]
        last = -1
        for s in range(int(length * 2)):
            t = s * 0.5
            ang = a + bend * t / length
            x += 0.5 * np.cos(ang)
            y += 0.5 * np.sin(ang)
            xi, yi = int(x), int(y)
            if 0 <= xi < w and 0 <= yi < h and yi * w + xi != last:
                last = yi * w + xi
                for c in range(3):
                    out[yi, xi, c] = np.uint8(min(max(out[yi, xi, c] + delta, 0.0), 255.0))


def _smooth_noise(gen: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """White noise on the coarse grid blurred to blobs ``sigma`` nodes wide, scaled to unit std."""
    noise = gaussian_blur(gen.standard_normal(shape).astype(np.float32), sigma)
    return noise / max(float(noise.std()), 1e-6)


def _paper(p: Params, height: int, width: int, gen: np.random.Generator) -> np.ndarray:
    step = 16
    xs, _ = coarse_grid(height, width, step)
    lum = p.get("blotch", 6.0) * (0.7 * _smooth_noise(gen, xs.shape, 4.0) + 0.3 * _smooth_noise(gen, xs.shape, 1.0))
    low = np.asarray(p["color"], np.float32)[None, None, :] + lum[:, :, None]
    out = _render(low.astype(np.float32), float(step), height, width, float(p.get("grain", 2.0)), np.uint64(p["seed"]))
    n = int(p.get("fibres", 1e-4) * height * width)
    if n:
        fib = np.column_stack([gen.uniform(0, width, n), gen.uniform(0, height, n), gen.uniform(0, 2 * np.pi, n),
                               gen.uniform(5, 40, n), gen.uniform(-1.5, 1.5, n),
                               gen.choice([-1.0, 1.0], n) * gen.uniform(4, 14, n)])
        _fibres(out, fib)
    return out


def _gradient(p: Params, height: int, width: int) -> np.ndarray:
    step = 16
    xs, ys = coarse_grid(height, width, step)
    s = p.get("strength", 0.15)
    if p.get("vignette", False):
        r2 = ((xs - width / 2) / (width / 2)) ** 2 + ((ys - height / 2) / (height / 2)) ** 2
        shade = 1.0 - s * np.clip(r2 / 2.0, 0.0, 1.0)
    else:
        a = np.radians(p.get("angle", 0.0))
        d = (xs - width / 2) * np.cos(a) + (ys - height / 2) * np.sin(a)
        half = 0.5 * (abs(width * np.cos(a)) + abs(height * np.sin(a))) + 1e-6
        shade = 1.0 - s * (d / half + 1.0) / 2.0
    low = (np.asarray(p["color"], np.float32)[None, None, :] * shade[:, :, None]).astype(np.float32)
    return _render(low, float(step), height, width, float(p.get("grain", 1.0)), np.uint64(p["seed"]))


@njit(cache=True, nogil=True)
def _blobs(low: np.ndarray, xs: np.ndarray, ys: np.ndarray, blobs: np.ndarray) -> None:
    """Blend soft round blobs (cx, cy, radius, r, g, b, strength), one after the other, into ``low``."""
    for b in range(blobs.shape[0]):
        cx, cy, radius, strength = blobs[b, 0], blobs[b, 1], blobs[b, 2], blobs[b, 6]
        inv = 1.0 / (2 * radius * radius)
        for i in range(low.shape[0]):
            for j in range(low.shape[1]):
                dx, dy = xs[i, j] - cx, ys[i, j] - cy
                d = (dx * dx + dy * dy) * inv
                if d > 40.0:  # weight below 1e-17: nothing to blend
                    continue
                wgt = np.exp(-d) * strength
                for c in range(3):
                    low[i, j, c] += wgt * (blobs[b, 3 + c] - low[i, j, c])


def _busy(p: Params, height: int, width: int, gen: np.random.Generator) -> np.ndarray:
    """Overlapping soft colour blobs around one luminance (light or dark), for scene-like pages."""
    step = 8
    xs, ys = coarse_grid(height, width, step)
    base = float(np.mean(p["color"]))
    base = float(np.clip(base, 150, 235)) if base > 110 else float(np.clip(base, 25, 90))
    low = np.zeros((*xs.shape, 3), np.float32) + base
    blobs = []
    for _ in range(int(gen.integers(8, 40))):
        cx, cy = gen.uniform(0, width), gen.uniform(0, height)
        radius = gen.uniform(0.03, 0.3) * max(height, width)
        color = base + gen.uniform(-45, 45) + gen.uniform(-35, 35, 3)
        blobs.append([cx, cy, radius, *color, gen.uniform(0.4, 0.9)])
    _blobs(low, xs, ys, np.array(blobs, np.float64).reshape(-1, 7))
    low += 10.0 * _smooth_noise(gen, xs.shape, 1.5)[:, :, None]
    return _render(low.astype(np.float32), float(step), height, width, float(gen.uniform(1.0, 4.0)),
                   np.uint64(p["seed"]))


def draw_background(params: Params, height: int, width: int) -> np.ndarray:
    """Render a background as a uint8 (height, width, 3) page.

    >>> draw_background({"kind": "solid", "color": [250, 248, 240], "seed": 0}, 2, 3)[1, 2].tolist()
    [250, 248, 240]
    """
    kind = params["kind"]
    gen = np.random.default_rng(int(params["seed"]))  # local and seeded: replays exactly
    if kind == "solid":
        page = np.empty((height, width, 3), np.uint8)
        page[:1] = np.asarray(params["color"], np.uint8)
        page[1:] = page[:1]  # row by row: much faster than np.full's per-pixel broadcast of a colour
        return page
    if kind == "paper":
        return _paper(params, height, width, gen)
    if kind == "gradient":
        return _gradient(params, height, width)
    if kind == "busy":
        return _busy(params, height, width, gen)
    raise ValueError(f"unknown background kind {kind!r}; known: {KINDS}")


def sample_tinted_boxes(rng: np.random.Generator, cfg: TintConfig, n_boxes: int) -> Params:
    """For each of ``n_boxes`` boxes: a tint colour (None = left alone), an opacity and a padding."""
    colors: list[list[int] | None] = []
    alphas, pads = [], []
    for _ in range(n_boxes):
        if rng.random() >= cfg.p:
            colors.append(None)
            alphas.append(0.0)
            pads.append(0.0)
            continue
        if rng.random() < cfg.highlighter_p:
            base = np.asarray(HIGHLIGHTERS[int(rng.integers(len(HIGHLIGHTERS)))], float)
            colors.append([int(v) for v in np.clip(base + rng.uniform(-12, 12, 3), 0, 255)])
            pads.append(uniform(rng, (0.05, 0.25)))
        else:
            level = rng.uniform(205, 245)
            colors.append([int(v) for v in np.clip(level + rng.uniform(-10, 10, 3), 0, 255)])
            pads.append(0.0)
        alphas.append(uniform(rng, cfg.alpha))
    return {"colors": colors, "alpha": alphas, "pad": pads}


def draw_tinted_boxes(page: np.ndarray, boxes: np.ndarray, params: Params) -> np.ndarray:
    """Multiply-blend each tinted box into ``page`` in place (ink under or over it stays dark).

    ``boxes`` is (N, 4) ``x0, y0, x1, y1`` in page pixels; fractional edges are anti-aliased by pixel
    coverage. Highlighter boxes grow by ``pad`` × their height on every side. Returns ``page``.
    """
    h, w = page.shape[:2]
    for (x0, y0, x1, y1), color, alpha, pad in zip(np.asarray(boxes, float), params["colors"], params["alpha"],
                                                   params["pad"], strict=True):
        if color is None:
            continue
        grow = pad * (y1 - y0)
        x0, y0, x1, y1 = max(x0 - grow, 0.0), max(y0 - grow, 0.0), min(x1 + grow, w), min(y1 + grow, h)
        c0, r0, c1, r1 = int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))
        if c1 <= c0 or r1 <= r0:
            continue
        cols = np.arange(c0, c1)
        rows = np.arange(r0, r1)
        cover_x = np.clip(np.minimum(cols + 1, x1) - np.maximum(cols, x0), 0, 1)
        cover_y = np.clip(np.minimum(rows + 1, y1) - np.maximum(rows, y0), 0, 1)
        a = (alpha * cover_y[:, None] * cover_x[None, :])[:, :, None]
        factor = 1.0 - a + a * (np.asarray(color, float) / 255.0)
        region = page[r0:r1, c0:c1]
        region[...] = np.clip(region * factor + 0.5, 0, 255).astype(np.uint8)
    return page
