"""Time reading strips out of packed line rows: the lattice copy against ``grid_sample``, on one core.

Why: at inference every line crop is packed into rows that go through the backbone, and the
recognizer's strips are then cut out of two feature maps (stride 4 and stride 2). ``rectify`` samples
them with ``grid_sample`` (it must, for the tilted quads of training); inference packs crops on the
coarsest stride so that ``lattice_rectify`` can copy them instead:

    python tools/bench_rectify.py --repeat 7

A batch like the pipeline's: 48 crops of 32 px in rows of 640 px (line lengths drawn from 120 to 640
px, seed 0), features of the `tiny` widths (64 channels at stride 4, 24 at stride 2). Prints both
medians, the largest difference between the two results, and last ``ratio: X`` (grid_sample ÷ lattice).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from polyocr.model.lines import pack_lines  # noqa: E402
from polyocr.model.rectifier import lattice_rectify, rectify  # noqa: E402

HEIGHT, ROW, CROPS, STRIP = 32, 640, 48, 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    lengths = torch.randint(120, ROW + 1, (CROPS,), generator=gen).tolist()
    packed = pack_lines([torch.ones(3, HEIGHT, n) for n in lengths], HEIGHT, ROW, align=4)
    rows, width = int(packed.rows.max()) + 1, packed.images.shape[-1]
    fused = torch.randn(rows, 64, HEIGHT // 4, width // 4, generator=gen).contiguous(memory_format=torch.channels_last)
    fine = torch.randn(rows, 24, HEIGHT // 2, width // 2, generator=gen).contiguous(memory_format=torch.channels_last)
    vertical = torch.zeros(CROPS, dtype=torch.bool)

    def generic() -> torch.Tensor:
        coarse, _ = rectify(fused, 4.0, packed.quads, packed.rows, vertical, STRIP, 1024)
        detail, _ = rectify(fine, 2.0, packed.quads, packed.rows, vertical, STRIP, 1024)
        return torch.cat([coarse, detail], dim=1)

    def lattice() -> torch.Tensor:
        out = lattice_rectify([(fused, 4), (fine, 2)], packed.quads, packed.rows, vertical, STRIP, 1024)
        assert out is not None, "packed rows must sit on the lattice"
        return out[0]

    timings = {}
    with torch.inference_mode():
        diff = float((generic() - lattice()).abs().max())
        for name, fn in (("grid_sample", generic), ("lattice", lattice)):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            timings[name] = statistics.median(times)
    print(f"{CROPS} crops in {rows} rows of {width} px; strips {STRIP} x up to {max(lengths) // 2} cells, 88 channels")
    for name, t in timings.items():
        print(f"{name:12s} {1000 * t:8.1f} ms")
    print(f"max |difference| {diff:.2e}")
    print(f"ratio: {timings['grid_sample'] / timings['lattice']:.2f}")


if __name__ == "__main__":
    main()
