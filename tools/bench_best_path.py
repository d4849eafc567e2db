"""CTC best path over the recognizer's vocabulary-wide logits: ours against the obvious reduction, on one core.

The logits are the bundled model's own, as it reads a sample page (every chunk of rows the pipeline
reduces, in the precision it reduces them in). The obvious version takes ``max`` (values and indices)
over every step and a ``logsumexp`` over the character steps; ours (``model/ctc.best_path``) takes only
``amax`` over every step, and the class and probability over the character steps (a step is blank exactly
when the blank's logit is its maximum). Both must agree; prints the median times and ``ratio: X``
(obvious ÷ ours).

    python tools/bench_best_path.py --page samples/ja.jpg --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

import polyocr
import polyocr.model.ocr as ocr_module
from polyocr.model.ctc import best_path


def obvious_best_path(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    top, ids = logits.max(-1)
    conf = torch.full(top.shape, float("nan"))
    chars = ids != 0
    conf[chars] = (top[chars].float() - torch.logsumexp(logits[chars].float(), -1)).exp()
    return ids, conf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="samples/ja.jpg")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ocr = polyocr.OCR(threads=1)
    chunks: list[torch.Tensor] = []

    def capture(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        chunks.append(logits.clone())
        return best_path(logits)

    ocr_module.best_path = capture  # read_best reduces through this name
    ocr.read(args.page)
    rows = sum(len(c) for c in chunks)
    for c in chunks:
        a, b = obvious_best_path(c), best_path(c)
        assert torch.equal(a[0], b[0]) and torch.allclose(a[1], b[1], rtol=1e-4, equal_nan=True), "the two disagree"

    def timed(fn) -> float:
        times = []
        for _ in range(args.repeat + 1):
            start = time.perf_counter()
            for c in chunks:
                fn(c)
            times.append(time.perf_counter() - start)
        return statistics.median(times[1:])

    ours, theirs = timed(best_path), timed(obvious_best_path)
    print(f"{args.page}: {len(chunks)} chunks, {rows} steps × {chunks[0].shape[-1]} classes ({chunks[0].dtype})")
    print(f"ours     {ours * 1e3:8.2f} ms")
    print(f"obvious  {theirs * 1e3:8.2f} ms")
    print(f"ratio: {theirs / ours:.2f}")


if __name__ == "__main__":
    main()
