"""The page's ink kernels of stop 26 against the obvious alternatives, on a real page.

* ``infer/rules.rule_mask`` (numba: each pixel's run length along its row and down its column, then
  the thin-and-long test) against the same in numpy: run starts and ends from ``np.diff`` on every row
  (and on the transposed page for the columns), lengths filled with ``np.repeat``;
* ``infer/textsize.component_boxes`` (numba labelling) against a breadth-first fill in Python.

Prints the median of ``--repeat`` timings (CPU ms, one thread, after a warm-up), checks that both
sides agree, and ends with ``ratio: X`` (numpy ÷ numba, the rule mask).

    .venv/bin/python tools/bench_ink.py --page samples/ja.jpg --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import deque
from pathlib import Path

import numpy as np
from PIL import Image

from polyocr.infer.rules import rule_mask
from polyocr.infer.textsize import component_boxes


def numpy_runs(dark: np.ndarray) -> np.ndarray:
    """Each pixel's horizontal run length (0 where not dark), vectorized over the whole page."""
    h, w = dark.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    lengths = ends[:, 1] - starts[:, 1]
    out = np.zeros(h * w, np.int32)
    flat = (starts[:, 0] * w + starts[:, 1]).repeat(lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    out[flat] = np.repeat(lengths, lengths)
    return out.reshape(h, w)


def numpy_rule_mask(dark: np.ndarray, length: int, thickness: int) -> np.ndarray:
    across = numpy_runs(dark)
    down = numpy_runs(np.ascontiguousarray(dark.T)).T
    return dark & (((across >= length) & (down <= thickness)) | ((down >= length) & (across <= thickness)))


def python_boxes(ink: np.ndarray) -> set[tuple[int, ...]]:
    h, w = ink.shape
    seen = np.zeros_like(ink)
    out = set()
    for y, x in zip(*np.nonzero(ink), strict=True):
        if seen[y, x]:
            continue
        seen[y, x] = True
        todo, pts = deque([(y, x)]), []
        while todo:
            cy, cx = todo.popleft()
            pts.append((cy, cx))
            for ny in (cy - 1, cy, cy + 1):
                for nx in (cx - 1, cx, cx + 1):
                    if 0 <= ny < h and 0 <= nx < w and ink[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        todo.append((ny, nx))
        ys, xs = zip(*pts)
        out.add((int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)), len(pts)))
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", type=Path, default=Path("samples/ja.jpg"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--line", type=float, default=24.0, help="the page's line thickness, pixels")
    args = parser.parse_args(argv)

    grey = np.asarray(Image.open(args.page).convert("L"))
    dark = np.ascontiguousarray(grey < 128)
    length, thickness = round(5 * args.line), max(2, round(0.25 * args.line))
    print(f"bench_ink: {args.page} {grey.shape[1]}×{grey.shape[0]}, {dark.mean():.1%} ink, one thread")
    ours, mask = timed(lambda: rule_mask(dark, length, thickness), args.repeat)
    theirs, numpy_mask = timed(lambda: numpy_rule_mask(dark, length, thickness), args.repeat)
    assert np.array_equal(mask, numpy_mask), "the two rule masks differ"
    print(f"rule mask: numba {ours:.1f} ms, numpy {theirs:.1f} ms, {int(mask.sum())} rule pixels")
    labelled, boxes = timed(lambda: component_boxes(dark), args.repeat)
    bfs, python = timed(lambda: python_boxes(dark), 1)
    assert {tuple(int(v) for v in row) for row in boxes} == python, "the components differ"
    print(f"components: numba {labelled:.1f} ms, Python breadth-first fill {bfs:.1f} ms, {len(boxes)} components"
          f" (ratio {bfs / labelled:.1f})")
    print(f"ratio: {theirs / ours:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
