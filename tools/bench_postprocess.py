"""Detector post-processing: our numba version against the obvious Python one, on the same maps.

The maps are the exact training targets of a synthetic page (so both find the same lines): connected
components of the line-centre band, each line's frame from the mean predicted direction and distances,
then NMS. The Python version does the same with a BFS over pixels in Python and numpy per component.
Prints both times (median of repeats, after a warm-up) and, as its last line, ``ratio: X``. The line
before it times the neck cut alone (``split_necks``: a histogram across each component) against the
same in numpy, one component at a time, on the same page's components with a bridge joining its
first two lines.

    python tools/bench_postprocess.py --lang ja --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import deque

import numpy as np

from polyocr.lang.registry import load_languages
from polyocr.model.postprocess import _frames, pixel_components, decode, quad_iou, split_necks
from polyocr.model.targets import END_TRIM, make_targets
from polyocr.synth.composer import PageComposer
from polyocr.train.data import fit_page, page_lines


def python_decode(maps: np.ndarray, stride: float = 4.0, threshold: float = 0.5, min_score: float = 0.6,
                  min_cells: int = 2, iou: float = 0.3):
    score = maps[0]
    h, w = score.shape
    seen = np.zeros((h, w), bool)
    quads, scores, vertical = [], [], []
    for y in range(h):
        for x in range(w):
            if score[y, x] <= threshold or seen[y, x]:
                continue
            pixels, queue = [], deque([(y, x)])
            seen[y, x] = True
            while queue:
                cy, cx = queue.popleft()
                pixels.append((cy, cx))
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and score[ny, nx] > threshold:
                            seen[ny, nx] = True
                            queue.append((ny, nx))
            ys, xs = np.array(pixels).T
            u = np.array([maps[3][ys, xs].sum(), maps[4][ys, xs].sum()])
            u = u / max(np.linalg.norm(u), 1e-9)
            d = np.array([-u[1], u[0]])
            centres = np.stack([(xs + 0.5) * stride, (ys + 0.5) * stride], 1)
            along, across = centres @ u, centres @ d
            top = (across - np.exp(maps[1][ys, xs]) * stride).mean()
            bottom = (across + np.exp(maps[2][ys, xs]) * stride).mean()
            thick = max(bottom - top, 1.0)
            a0 = along.min() - 0.5 * stride - END_TRIM * thick
            a1 = along.max() + 0.5 * stride + END_TRIM * thick
            quad = np.array([a0 * u + top * d, a1 * u + top * d, a1 * u + bottom * d, a0 * u + bottom * d])
            mean = score[ys, xs].mean()
            if mean >= min_score and len(pixels) >= min_cells:
                quads.append(quad)
                scores.append(mean)
                vertical.append(maps[5][ys, xs].mean() > 0.5)
    order = np.argsort(scores)[::-1]
    keep = []
    for i in order:
        if all(quad_iou(quads[i], quads[j]) <= iou for j in keep):
            keep.append(i)
    return np.array([quads[i] for i in keep]), np.array([scores[i] for i in keep]), np.array([vertical[i] for i in keep])


def python_split_necks(labels: np.ndarray, n: int, axes: np.ndarray, neck: float) -> tuple[np.ndarray, int]:
    """``split_necks`` the obvious way: per component, its cells' slice across the line, a bincount, and
    the same scan for thin runs between full slices."""
    out, total = labels.copy(), n
    for k in range(n):
        ys, xs = np.nonzero(labels == k)
        t = -axes[k, 1] * (xs + 0.5) + axes[k, 0] * (ys + 0.5)
        slices = (t - t.min()).astype(int)
        counts = np.bincount(slices)
        if len(counts) < 3:
            continue
        peak, part, cuts, i = counts.max(), np.zeros(len(counts), int), 0, 0
        while i < len(counts):
            if counts[i] > neck * peak:
                part[i], i = cuts, i + 1
                continue
            j = i
            while j < len(counts) and counts[j] <= neck * peak:
                j += 1
            inside = (counts[:i] >= 0.5 * peak).any() and (counts[j:] >= 0.5 * peak).any()
            emptiest = i + int(np.argmin(counts[i:j]))
            part[i:j] = cuts
            if inside:
                part[emptiest + 1:j] = cuts + 1
                cuts += 1
            i = j
        if cuts:
            p = part[slices]
            out[ys[p > 0], xs[p > 0]] = total + p[p > 0] - 1
            total += cuts
    return out, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    composer = PageComposer(load_languages(), [args.lang])
    page = composer.compose(args.lang, 3)
    canvas, scale = fit_page(page.image, args.size)
    lines = page_lines(page.annotation)
    t = make_targets(lines.quads * scale, lines.vertical, args.size, args.size)
    maps = np.concatenate([t["score"][None], t["dist"], t["dir"], t["vertical"][None]]).astype(np.float32)
    decode(maps)  # JIT warm-up
    ours = statistics.median(_time(lambda: decode(maps), args.repeat))
    theirs = statistics.median(_time(lambda: python_decode(maps), max(1, args.repeat // 2)))
    a, b = decode(maps)[0], python_decode(maps)[0]
    print(f"{args.lang}: {len(lines.quads)} lines on a {args.size}-px page; found {len(a)} (numba) / {len(b)} (Python)")
    print(f"numba   {ours * 1e3:8.2f} ms")
    print(f"Python  {theirs * 1e3:8.2f} ms")
    bridged = maps[0].copy()
    y, x = np.argwhere(bridged > 0.5)[0]  # the first line's first band cell; bridge down to the next band
    below = np.flatnonzero(bridged[y:, x] <= 0.5)
    if len(below):
        gap_end = next((y + i for i in range(below[0], len(bridged) - y) if bridged[y + i, x] > 0.5), None)
        if gap_end is not None:
            bridged[y + below[0]: gap_end, x] = 0.9
    labels, n = pixel_components(bridged > 0.5)
    quads, _ = _frames(labels, n, bridged, maps[1:3].copy(), maps[3:5].copy(), maps[5].copy(), 4.0)
    along = quads[:, 1] - quads[:, 0]
    axes = along / np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-9)
    split_necks(labels, n, axes, 4.0, 0.2)  # JIT warm-up
    cut_ours = statistics.median(_time(lambda: split_necks(labels, n, axes, 4.0, 0.2), args.repeat))
    cut_theirs = statistics.median(_time(lambda: python_split_necks(labels, n, axes, 0.2), args.repeat))
    found = split_necks(labels, n, axes, 4.0, 0.2)[1] - n, python_split_necks(labels, n, axes, 0.2)[1] - n
    print(f"neck cut ({n} components, {found[0]} / {found[1]} cut): numba {cut_ours * 1e3:.2f} ms, "
          f"numpy {cut_theirs * 1e3:.2f} ms, ratio {cut_theirs / cut_ours:.1f}")
    print(f"ratio: {theirs / ours:.1f}")


def _time(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


if __name__ == "__main__":
    main()
