"""Time the render pixel kernels against the obvious alternatives, on one core.

Why: the engine must beat other synthetic pipelines per core (DESIGN.md §5), so every kernel is
measured against what we would otherwise call — Pillow's C code, or numpy's vectorised arithmetic:

    python tools/bench_kernels.py --repeat 7

Rows: a perspective warp of a 1024×1024 RGB page (vs ``Image.transform(PERSPECTIVE, BILINEAR)``),
400 word masks of 20×120 blended onto that page (vs the same blend written with numpy slices), and a
radius-2 dilation of a 1024² mask (vs ``ImageFilter.MaxFilter(5)``, which is a 5×5 *square*: 25 taps
per pixel where our disc has 13, so it is the nearest Pillow offers, not the same filter). The last
line, ``ratio: X``, is the alternatives' total median time over ours: above 1 means we are faster.
"""

from __future__ import annotations

import os

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core, before numba is imported

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

from polyocr.render.composite import composite, dilate  # noqa: E402
from polyocr.render.geometry import perspective_from_points  # noqa: E402
from polyocr.render.warp import warp_image  # noqa: E402

SIZE = 1024
WORDS, WORD_H, WORD_W = 400, 20, 120


def _median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: JIT compilation or the on-disk cache load happens here, untimed
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _numpy_composite(page: np.ndarray, alpha: np.ndarray, x: int, y: int, color: np.ndarray,
                     opacity: float) -> None:
    """The same blend as ``composite`` (rounded to nearest), vectorised over the word's pixels."""
    region = page[y:y + alpha.shape[0], x:x + alpha.shape[1]].astype(np.float32)
    a = alpha[:, :, None].astype(np.float32) * np.float32(opacity / 255.0)
    page[y:y + alpha.shape[0], x:x + alpha.shape[1]] = (region + a * (color - region) + 0.5).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions per kernel (median)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    page = rng.integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    corners = np.array([[0, 0], [SIZE, 0], [SIZE, SIZE], [0, SIZE]], float)
    h = perspective_from_points(corners, corners + rng.uniform(-80, 80, (4, 2)))
    hinv = np.linalg.inv(h)
    coeffs = tuple((hinv / hinv[2, 2]).ravel()[:8])
    pil_page = Image.fromarray(page)
    ours = warp_image(page, h, (SIZE, SIZE))
    theirs = np.asarray(pil_page.transform((SIZE, SIZE), Image.PERSPECTIVE, coeffs, Image.BILINEAR))
    inner = (slice(100, -100), slice(100, -100))  # away from the borders, where fill rules differ
    diff = np.abs(ours[inner].astype(int) - theirs[inner]).mean()

    masks = rng.integers(0, 256, (WORDS, WORD_H, WORD_W), dtype=np.uint8)
    xs = rng.integers(0, SIZE - WORD_W, WORDS)
    ys = rng.integers(0, SIZE - WORD_H, WORDS)
    colors = rng.integers(0, 256, (WORDS, 3))
    color_arrays = colors.astype(np.float32)
    color_tuples = [tuple(int(v) for v in c) for c in colors]

    def words_ours() -> None:
        target = page.copy()
        for i in range(WORDS):
            composite(target, masks[i], int(xs[i]), int(ys[i]), color_tuples[i], 0.9)

    def words_numpy() -> None:
        target = page.copy()
        for i in range(WORDS):
            _numpy_composite(target, masks[i], int(xs[i]), int(ys[i]), color_arrays[i], 0.9)

    check_a, check_b = page.copy(), page.copy()
    for i in range(WORDS):
        composite(check_a, masks[i], int(xs[i]), int(ys[i]), color_tuples[i], 0.9)
        _numpy_composite(check_b, masks[i], int(xs[i]), int(ys[i]), color_arrays[i], 0.9)
    blend_diff = np.abs(check_a.astype(int) - check_b).max()

    mask = ((rng.random((SIZE, SIZE)) > 0.97) * 255).astype(np.uint8)
    pil_mask = Image.fromarray(mask)

    rows = [
        ("warp 1024² RGB perspective", "PIL transform BILINEAR",
         _median_time(lambda: warp_image(page, h, (SIZE, SIZE)), args.repeat),
         _median_time(lambda: pil_page.transform((SIZE, SIZE), Image.PERSPECTIVE, coeffs,
                                                 Image.BILINEAR), args.repeat),
         f"mean |Δ| {diff:.2f}"),
        (f"composite {WORDS} words {WORD_H}×{WORD_W}", "numpy slices",
         _median_time(words_ours, args.repeat), _median_time(words_numpy, args.repeat),
         f"max |Δ| {blend_diff}"),
        ("dilate r=2 disc 1024²", "PIL MaxFilter(5) square",
         _median_time(lambda: dilate(mask, 2), args.repeat),
         _median_time(lambda: pil_mask.filter(ImageFilter.MaxFilter(5)), args.repeat),
         "square ≠ disc"),
    ]
    print(f"{'kernel':34} {'ours ms':>9} {'alternative':26} {'alt ms':>9} {'speed-up':>8}  note")
    for name, alt, t_ours, t_alt, note in rows:
        print(f"{name:34} {t_ours * 1e3:9.2f} {alt:26} {t_alt * 1e3:9.2f} {t_alt / t_ours:7.2f}×  {note}")
    print(f"ratio: {sum(r[3] for r in rows) / sum(r[2] for r in rows):.2f}")


if __name__ == "__main__":
    main()
