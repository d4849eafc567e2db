"""Time each page degradation against the obvious Pillow / numpy way of doing the same thing.

One 1024×1024 RGB page, one thread (``NUMBA_NUM_THREADS=1``), after a warm-up (JIT compiled); each
figure is the median of ``--repeat`` runs. The alternatives are what a SynthDoG-style generator does:
``PIL.ImageFilter`` for blur and min/max filters, ``Image.transform`` / ``Image.rotate`` for warps,
``numpy.random`` + ``clip`` for noise, float arithmetic for colour. The last line is
``ratio: X`` = Σ alternative time ÷ Σ polyocr time (JPEG is Pillow on both sides and left out).

    python tools/bench_degrade.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from polyocr.render.geometry import fit_canvas, perspective_from_points  # noqa: E402
from polyocr.synth.backgrounds import draw_background  # noqa: E402
from polyocr.synth.degrade import EFFECTS  # noqa: E402

N = 1024
OFFSETS = [[-30.0, 12.0], [25.0, -20.0], [18.0, 35.0], [-22.0, -15.0]]
POLY = [[-100.0, 300.0], [600.0, -100.0], [900.0, 500.0], [200.0, 800.0]]
PARAMS = {
    "ink_dilate": {"radius": 1, "strength": 1.0}, "ink_erode": {"radius": 1, "strength": 1.0},
    "gaussian_blur": {"sigma": 1.0}, "motion_blur": {"length": 5.0, "angle": 30.0},
    "shadow": {"kind": "polygon", "points": POLY, "strength": 0.4, "softness": 60.0},
    "color": {"brightness": 10.0, "contrast": 0.9, "gamma": 1.1, "shift": [3.0, -2.0, 5.0], "grayscale": False},
    "gaussian_noise": {"sigma": 6.0, "mono": False, "seed": 1}, "salt_pepper": {"amount": 0.002, "salt": 0.5, "seed": 1},
    "elastic": {"amplitude": 1.0, "spacing": 48.0, "seed": 1},
    "perspective": {"offsets": OFFSETS, "border": [40, 40, 40]}, "rotation": {"angle": 2.5, "border": [40, 40, 40]},
}


def alternatives(page: np.ndarray) -> dict:
    pil = Image.fromarray(page)
    gen = np.random.default_rng(1)

    def motion():
        r = 4
        pad = np.pad(page, ((r, r), (r, r), (0, 0)), mode="edge").astype(np.float32)
        ty, tx, tw, _ = EFFECTS["motion_blur"].taps(5.0, 30.0)
        acc = sum(w * pad[r + dy:r + dy + N, r + dx:r + dx + N] for dy, dx, w in zip(ty, tx, tw, strict=True))
        return np.clip(acc + 0.5, 0, 255).astype(np.uint8)

    def shadow():
        mask = Image.new("L", (N, N))
        ImageDraw.Draw(mask).polygon([tuple(p) for p in POLY], fill=255)
        m = np.asarray(mask.filter(ImageFilter.GaussianBlur(30)), np.float32) / 255.0
        return (page * (1.0 - 0.4 * m[:, :, None]) + 0.5).astype(np.uint8)

    def color():
        v = (page / 255.0) ** 1.1 * 255.0
        v = (v - 128.0) * 0.9 + 128.0 + 10.0 + np.array([3.0, -2.0, 5.0])
        return np.clip(np.rint(v), 0, 255).astype(np.uint8)

    def salt():
        out = page.copy()
        u = gen.random(page.shape[:2])
        out[u < 0.001] = 255
        out[(u >= 0.001) & (u < 0.002)] = 0
        return out

    def elastic():
        step = 48
        g = gen.uniform(-1, 1, (2, N // step + 2, N // step + 2)).astype(np.float32)
        field = [np.asarray(Image.fromarray(c).resize((N, N), Image.BILINEAR)) for c in g]
        ys, xs = np.mgrid[0:N, 0:N].astype(np.float32)
        sx, sy = np.clip(xs + field[0], 0, N - 1.001), np.clip(ys + field[1], 0, N - 1.001)
        x0, y0 = sx.astype(int), sy.astype(int)
        fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
        p = page.astype(np.float32)
        top = p[y0, x0] * (1 - fx) + p[y0, x0 + 1] * fx
        bot = p[y0 + 1, x0] * (1 - fx) + p[y0 + 1, x0 + 1] * fx
        return (top * (1 - fy) + bot * fy + 0.5).astype(np.uint8)

    def perspective():
        src = np.array([[0.0, 0.0], [N, 0.0], [N, N], [0.0, N]])
        h, w, hh = fit_canvas(perspective_from_points(src, src + np.array(OFFSETS)), N, N)
        inv = np.linalg.inv(h)
        inv /= inv[2, 2]
        return pil.transform((w, hh), Image.PERSPECTIVE, tuple(inv.ravel()[:8]), Image.BILINEAR, fillcolor=(40, 40, 40))

    def paper():
        g = np.random.default_rng(1)
        low = Image.fromarray(g.normal(0, 6, (N // 16 + 2, N // 16 + 2)).astype(np.float32)).resize((N, N), Image.BILINEAR)
        lum = np.asarray(low)[:, :, None] + g.normal(0, 2.0, (N, N, 1))
        return np.clip(np.array([240, 238, 230]) + lum + 0.5, 0, 255).astype(np.uint8)

    return {
        "ink_dilate": lambda: pil.filter(ImageFilter.MinFilter(3)),
        "ink_erode": lambda: pil.filter(ImageFilter.MaxFilter(3)),
        "gaussian_blur": lambda: pil.filter(ImageFilter.GaussianBlur(1.0)),
        "motion_blur": motion, "shadow": shadow, "color": color,
        "gaussian_noise": lambda: np.clip(page + gen.normal(0, 6.0, page.shape), 0, 255).astype(np.uint8),
        "salt_pepper": salt, "elastic": elastic, "perspective": perspective,
        "rotation": lambda: pil.rotate(2.5, Image.BILINEAR, expand=True, fillcolor=(40, 40, 40)),
        "paper background": paper,
    }


def clock(fn, repeat: int) -> float:
    fn()  # warm-up: JIT compile, caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    page = np.full((N, N, 3), 240, np.uint8)
    page += np.random.default_rng(0).integers(0, 10, page.shape, dtype=np.uint8)
    page[100:900:24, 80:940] = 30  # bars of "ink"
    ours = {n: (lambda n=n: EFFECTS[n]().apply(page, PARAMS[n])) for n in PARAMS}
    paper = {"kind": "paper", "color": [240, 238, 230], "seed": 1, "blotch": 6.0, "fibres": 1e-4, "grain": 2.0}
    ours["paper background"] = lambda: draw_background(paper, N, N)
    alt = alternatives(page)
    print(f"{'effect':<18}{'polyocr ms':>12}{'alt ms':>10}{'alt/ours':>10}   alternative")
    total_ours = total_alt = 0.0
    for name, fn in ours.items():
        a, b = clock(fn, args.repeat), clock(alt[name], args.repeat)
        total_ours, total_alt = total_ours + a, total_alt + b
        kind = "Pillow" if name in ("ink_dilate", "ink_erode", "gaussian_blur", "perspective", "rotation") else "numpy"
        print(f"{name:<18}{a * 1e3:>12.2f}{b * 1e3:>10.2f}{b / a:>10.2f}   {kind}")
    print(f"{'total':<18}{total_ours * 1e3:>12.2f}{total_alt * 1e3:>10.2f}")
    print(f"ratio: {total_alt / total_ours:.2f}")


if __name__ == "__main__":
    main()
