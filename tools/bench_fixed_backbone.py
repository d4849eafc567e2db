"""Time the backbone normalized per input (the fused kernels) against fixed-normalization backbones
folded into their convolutions (``norm="fixed"``, ``frozen_norms.FoldedBackbone``), at several
expansions, on one core, in bfloat16 where the CPU has it natively:

    .venv/bin/python tools/bench_fixed_backbone.py --repeat 6

Inputs are a closer page view (1,344 × 960), a first view (1,024 × 736) and 48 line rows (32 × 640), as
the pipeline sends them; weights are random (time does not depend on them). Every variant runs in turn
within each repetition, so a shared machine's noise falls on all alike; medians in CPU ms. Last line:
``ratio: X``, the per-input backbone's time over the fixed one's at the same shape, on a closer view.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--expand", nargs="+", default=["4", "2,4,4,4", "2,2,4,4", "2"],
                        help="expansions of the fixed variants (one, or one per stage)")
    args = parser.parse_args()

    from polyocr.model.backbone import VIEWS, Backbone, BackboneConfig
    from polyocr.model.frozen_norms import FoldedBackbone
    from polyocr.model.precision import native_bfloat16

    torch.set_num_threads(1)
    torch.manual_seed(0)
    half = native_bfloat16(torch.device("cpu"))
    dtype = torch.bfloat16 if half else torch.float32
    inputs = {"closer view": (1, 1344, 960), "first view": (1, 1024, 736), "48 rows": (48, 32, 640)}
    inputs = {k: torch.rand(n, 3, h, w).contiguous(memory_format=torch.channels_last) for k, (n, h, w) in inputs.items()}
    variants = {"per input (group norm)": Backbone(BackboneConfig()).eval().to(memory_format=torch.channels_last)}
    for text in args.expand:
        values = tuple(int(v) for v in text.split(","))
        expand = values[0] if len(values) == 1 else values
        net = Backbone(BackboneConfig(expand=expand, norm="fixed")).eval().to(memory_format=torch.channels_last)
        variants[f"fixed, expand {text}"] = FoldedBackbone(net, dtype, VIEWS)
    times = {v: {k: [] for k in inputs} for v in variants}
    with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=half):
        for net in variants.values():  # compile the numba kernels, warm oneDNN's caches
            for x in inputs.values():
                net(x)
        for _ in range(args.repeat):
            for name, net in variants.items():
                for key, x in inputs.items():
                    t = time.process_time()
                    net(x)
                    times[name][key].append(time.process_time() - t)
    print(f"{'bfloat16' if half else 'float32'}, median of {args.repeat}, CPU ms")
    print("| backbone | " + " | ".join(inputs) + " |")
    print("|---|" + "---|" * len(inputs))
    med = {v: {k: sorted(t)[len(t) // 2] * 1000 for k, t in r.items()} for v, r in times.items()}
    for name, row in med.items():
        print(f"| {name} | " + " | ".join(f"{row[k]:.1f}" for k in inputs) + " |")
    same = "fixed, expand 4" if "fixed, expand 4" in med else next(n for n in med if n.startswith("fixed"))
    print(f"ratio: {med['per input (group norm)']['closer view'] / med[same]['closer view']:.2f}")


if __name__ == "__main__":
    main()
