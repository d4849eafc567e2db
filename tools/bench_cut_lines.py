"""Time cutting a page's lines out for the recognizer: from its bytes (numba) against from its floats
(``grid_sample``), on one core.

Why: every line of a page is sampled out of it at the recognizer's 32-px height before it is read.
``cut_lines`` samples a float copy of the page with ``grid_sample`` (training does, on tilted quads and
columns); inference cuts the lines set across the page from its uint8 pixels directly
(``lines.cut_page_lines``), with no float page and one pass per crop:

    .venv/bin/python tools/bench_cut_lines.py --page samples/en.jpg --repeat 7

The lines are a text page's: 48 lines 14–16 px thick, 300–1,100 px long, tilted up to 1° (seed 0), on
the page given. Prints both medians (the float path timed from the uint8 page, as the pipeline did), the
largest difference between the crops and last ``ratio: X`` (floats ÷ bytes).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from polyocr.model.lines import cut_lines, cut_page_lines  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fused import median_ms  # noqa: E402

HEIGHT, LINES = 32, 48


def page_lines(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Quads (LINES, 4, 2) of lines set down a page h × w px."""
    quads = []
    for k in range(LINES):
        thick, length = rng.uniform(14, 16), rng.uniform(300, min(1100, w - 60))
        x0, y0 = rng.uniform(20, w - length - 20), 20 + k * (h - 60) / LINES
        angle = np.deg2rad(rng.uniform(-1, 1))
        along, across = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
        p0 = np.array([x0, y0])
        quads.append([p0, p0 + length * along, p0 + length * along + thick * across, p0 + thick * across])
    return np.asarray(quads, np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", type=Path, default=Path("samples/en.jpg"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    page = np.array(Image.open(args.page).convert("RGB"))
    quads = page_lines(*page.shape[:2], np.random.default_rng(0))
    vertical = np.zeros(LINES, bool)

    def floats() -> list[torch.Tensor]:
        pixels = torch.from_numpy(page).permute(2, 0, 1)[None].float().div_(255.0)
        return cut_lines(pixels, torch.from_numpy(quads), torch.from_numpy(vertical), HEIGHT, 200 * HEIGHT)

    def page_bytes() -> list[torch.Tensor]:
        return cut_page_lines(page, quads, vertical, HEIGHT, 200 * HEIGHT)

    diff = max(float((a - b).abs().max()) for a, b in zip(floats(), page_bytes(), strict=True))
    timings = {name: median_ms(fn, args.repeat) for name, fn in (("floats", floats), ("bytes", page_bytes))}
    cells = sum(c.shape[-1] for c in page_bytes())
    print(f"{args.page.name} {page.shape[1]}x{page.shape[0]}: {LINES} lines, {cells} columns of {HEIGHT} px "
          f"(median CPU ms)")
    for name, t in timings.items():
        print(f"{name:8s} {t:8.1f} ms")
    print(f"max |difference| {diff:.2e}")
    print(f"ratio: {timings['floats'] / timings['bytes']:.2f}")


if __name__ == "__main__":
    main()
