"""Time the pictogram test's connected-component kernel (``infer/pictograms.widest_component``, numba)
against the obvious alternative, a breadth-first search in Python, on crops the size of a short line's
box with its margin, one core:

    .venv/bin/python tools/bench_pictograms.py --repeat 5

Crops: a ring around a mark (a note's icon), and a few letters of text. Both implementations must agree
on the component they find; medians in CPU ms per crop. Last line: ``ratio: X`` (Python ÷ numba).
"""

from __future__ import annotations

import argparse
import time
from collections import deque

import numpy as np
from PIL import Image, ImageDraw


def python_widest(ink: np.ndarray) -> tuple[int, int]:
    """(height, width) of the largest component's box, by a breadth-first search in Python."""
    h, w = ink.shape
    seen = np.zeros_like(ink)
    best, size = 0, (0, 0)
    for y0 in range(h):
        for x0 in range(w):
            if not ink[y0, x0] or seen[y0, x0]:
                continue
            seen[y0, x0] = True
            queue = deque([(y0, x0)])
            t, b, lft, r = y0, y0, x0, x0
            while queue:
                y, x = queue.popleft()
                t, b, lft, r = min(t, y), max(b, y), min(lft, x), max(r, x)
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        yy, xx = y + dy, x + dx
                        if 0 <= yy < h and 0 <= xx < w and ink[yy, xx] and not seen[yy, xx]:
                            seen[yy, xx] = True
                            queue.append((yy, xx))
            if (b - t + 1) * (r - lft + 1) > best:
                best, size = (b - t + 1) * (r - lft + 1), (b - t + 1, r - lft + 1)
    return size


def crops() -> dict[str, np.ndarray]:
    icon = Image.new("L", (90, 70), 255)
    draw = ImageDraw.Draw(icon)
    draw.ellipse((16, 6, 72, 62), outline=0, width=3)
    draw.rectangle((34, 22, 54, 46), fill=0)
    text = Image.new("L", (90, 70), 255)
    ImageDraw.Draw(text).text((8, 25), "Tip: see", fill=0)
    return {"icon 70 x 90": np.asarray(icon) < 128, "text 70 x 90": np.asarray(text) < 128}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from polyocr.infer.pictograms import widest_component

    inputs = crops()
    for name, ink in inputs.items():  # compile, and check both agree
        assert widest_component(ink)[:2] == python_widest(ink), name
    times: dict[str, dict[str, list[float]]] = {"numba": {}, "python": {}}
    for _ in range(args.repeat):
        for name, ink in inputs.items():
            for impl, fn in (("numba", widest_component), ("python", python_widest)):
                t = time.process_time()
                for _ in range(20):
                    fn(ink)
                times[impl].setdefault(name, []).append((time.process_time() - t) / 20)
    med = {impl: {k: sorted(v)[len(v) // 2] * 1000 for k, v in r.items()} for impl, r in times.items()}
    print(f"median of {args.repeat}, CPU ms per crop")
    print("| crop | numba | python |")
    print("|---|---|---|")
    for name in inputs:
        print(f"| {name} | {med['numba'][name]:.3f} | {med['python'][name]:.3f} |")
    total = {impl: sum(v.values()) for impl, v in med.items()}
    print(f"ratio: {total['python'] / total['numba']:.1f}")


if __name__ == "__main__":
    main()
