"""The output layer and best path of a page's CTC steps, with the bundled blank screen and without, on one core.

The steps are the bundled model's own as it reads a sample page (every batch of line steps the
pipeline sends to the output layer, features as it computes them). Each batch's steps go through
``model.ocr.best_steps`` with the page's head (the whole layer, or the page's scripts when its probe
narrowed it, with the whole layer behind it as in the pipeline), once with the checkpoint's blank
screen (``model/blank_screen.py``) and once without. Both must give the same class on every step;
prints the share of steps the screen passed as blank, the median times and ``ratio: X`` (without ÷
with).

    python tools/bench_blank_screen.py --page samples/ja.jpg --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

import polyocr  # noqa: E402
from polyocr.model.ocr import best_steps  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="samples/ja.jpg")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ocr = polyocr.OCR(threads=1)
    pipeline = ocr.pipeline
    if pipeline.screen is None:
        raise SystemExit("the bundled model has no blank screen for these weights: tools/fit_blank_screen.py")
    batches: list[tuple[torch.Tensor, tuple]] = []
    pipeline.step_observer = lambda real: batches.append((real.clone(), pipeline._heads()))
    ocr.read(args.page)
    pipeline.step_observer = None
    steps = sum(len(real) for real, _ in batches)
    screened = sum(int(pipeline.screen.sure_blank(real).sum()) for real, _ in batches)
    with torch.inference_mode():
        for real, heads in batches:
            plain, screen = best_steps(real, *heads), best_steps(real, *heads, pipeline.screen)
            assert torch.equal(plain[0], screen[0]), "the screen changed a step's class"

        def timed(use_screen: bool) -> float:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                for real, heads in batches:
                    best_steps(real, *heads, pipeline.screen if use_screen else None)
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        timed(True)  # warm-up
        without, with_screen = timed(False), timed(True)
    print(f"{args.page}: {len(batches)} batches, {steps} steps, {screened / steps:.1%} passed as blank by the screen")
    print(f"without  {without * 1e3:8.2f} ms")
    print(f"with     {with_screen * 1e3:8.2f} ms")
    print(f"ratio: {without / with_screen:.2f}")


if __name__ == "__main__":
    main()
