"""Time the backbone on a page's line rows: each row normalized by its own statistics (the fused numba
kernels) against statistics fixed from a few rows and folded into the convolutions
(``model/frozen_norms.py``), on one core, with the bundled model.

The page's lines (as ``polyocr read`` finds them) are cut at 32 px and packed into rows of 640 px as the
pipeline packs them; the first 8 rows stand in for the probe (their statistics are recorded), then 48
rows are timed both ways, in the precision lines are read in on this CPU:

    .venv/bin/python tools/bench_frozen_norms.py --page samples/en.jpg --repeat 7

Prints both medians (CPU ms), the largest difference of the fused stride-4 map and its mean, and last
``ratio: X`` (own statistics ÷ folded).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fused import median_ms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="samples/en.jpg")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import polyocr
    from polyocr.infer.pipeline import LATTICE
    from polyocr.model.frozen_norms import FoldedBackbone, NormRecorder
    from polyocr.model.lines import chunks, cut_page_lines, pack_lines

    ocr = polyocr.OCR(threads=1)
    pipe, model = ocr.pipeline, ocr.pipeline.model
    image = np.asarray(Image.open(args.page).convert("RGB"))
    lines = [line for page in ocr.read(image).pages for block in page.blocks for line in block.lines]
    quads = np.asarray([line.quad for line in lines], np.float32)
    pieces = [crop[:, :, a:b] for crop in cut_page_lines(image, quads, np.zeros(len(quads), bool), 32, 6400)
              for a, b, _, _ in chunks(crop.shape[-1], 640, 64)]
    rows = pack_lines(pieces, 32, 640, align=LATTICE).images.contiguous(memory_format=torch.channels_last)
    if len(rows) < 56:
        rows = rows.repeat((56 + len(rows) - 1) // len(rows), 1, 1, 1)
    probe, batch = rows[:8], rows[8:56]
    recorder = NormRecorder(model.backbone)
    folded = FoldedBackbone(model.backbone, torch.bfloat16 if pipe._cpu_bf16_read else torch.float32)
    with torch.inference_mode(), pipe._autocast("read"):
        with recorder.recording():
            model.features(probe)
        folded.fold(recorder.result())
        own = model.features(batch)[0].float()
        fixed = model.features(batch, folded)[0].float()
        own_ms = median_ms(lambda: model.features(batch), args.repeat)
        folded_ms = median_ms(lambda: model.features(batch, folded), args.repeat)
    print(f"{args.page}: {len(lines)} lines, 48 rows of {batch.shape[-1]} px, "
          f"{'bfloat16' if pipe._cpu_bf16_read else 'float32'}, median of {args.repeat}, CPU ms")
    print(f"own statistics (fused kernels) {own_ms:8.1f}")
    print(f"probe's statistics, folded     {folded_ms:8.1f}")
    diff = (own - fixed).abs()
    print(f"fused map: largest difference {float(diff.max()):.3f}, mean {float(diff.mean()):.4f} "
          f"(values up to {float(own.abs().max()):.1f})")
    print(f"ratio: {own_ms / folded_ms:.2f}")


if __name__ == "__main__":
    main()
