"""CTC best path over the recognizer's vocabulary-wide logits: ours against the obvious reduction, on one core.

The logits are the bundled model's own, as it reads a sample page (every chunk of rows the pipeline
reduces, in the precision it reduces them in). Each chunk is reduced right after it is made, as in the
pipeline, where it comes out of the output layer still in the CPU's cache: the timer runs over a chunk
reduced five times in a row (the first untimed). The obvious version takes ``max`` (values and indices)
over every step and a ``logsumexp`` over the character steps; PyTorch's (``ctc.best_path_torch``) takes
only ``amax`` over every step, and the class and probability over the character steps (a step is blank
exactly when the blank's logit is its maximum); ours (``ctc.best_path``: the numba kernel for bfloat16
logits on a CPU) does the same in vectorized loops over the logits' bits. All must agree (the classes
exactly, the probabilities to 1e-5); prints the median times and ``ratio: X`` (obvious ÷ ours).

    python tools/bench_best_path.py --page samples/ja.jpg --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

import polyocr
import polyocr.model.ocr as ocr_module
from polyocr.model.ctc import best_path, best_path_torch


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
        a = obvious_best_path(c)
        for b in (best_path_torch(c), best_path(c)):
            assert torch.equal(a[0], b[0]) and torch.allclose(a[1], b[1], rtol=1e-5, equal_nan=True), "they disagree"

    def timed(fn) -> float:
        """Median over ``repeat`` passes over the page of the time to reduce each chunk while it is hot."""
        times = []
        for _ in range(args.repeat):
            total = 0.0
            for c in chunks:
                fn(c)  # untimed: brings the chunk into the cache, as the output layer leaves it
                start = time.perf_counter()
                for _ in range(4):
                    fn(c)
                total += (time.perf_counter() - start) / 4
            times.append(total)
        return statistics.median(times)

    times = {name: timed(fn) for name, fn in (("obvious", obvious_best_path), ("pytorch", best_path_torch),
                                               ("ours", best_path))}
    print(f"{args.page}: {len(chunks)} chunks, {rows} steps × {chunks[0].shape[-1]} classes ({chunks[0].dtype})")
    for name, t in times.items():
        print(f"{name:8s} {t * 1e3:8.2f} ms")
    print(f"pytorch ÷ ours: {times['pytorch'] / times['ours']:.2f}")
    print(f"ratio: {times['obvious'] / times['ours']:.2f}")


if __name__ == "__main__":
    main()
