"""CPU inference kernels: the fused ones (model/fused.py, the recognizer's written-out attention, the
allocator setting) against PyTorch's own layers, on one core, with the bundled model on a sample page.

Three measurements, each the median of ``--repeat`` runs after a warm-up:

- *page features*: the backbone and detector head over the page at the detection's 1,024-px long side,
  in float32: ``conv_bn`` blocks as PyTorch's three layers, or fused; on a CPU with native bfloat16,
  also under bfloat16 autocast (*page features, bfloat16*: what detection runs there);
- *line features*: the same on a batch of 48 line crops (32 × 640 px) under bfloat16 autocast, as lines
  are read on CPUs with native bfloat16 (float32 elsewhere);
- *encoder*: the recognizer's Transformer encoder on 48 lines of 160 steps (a third of them padding),
  as ``nn.TransformerEncoder`` runs it in eval mode, or written out around ``scaled_dot_product_attention``.

Outputs must agree (printed: the largest difference). The same is then run in a child process with
``POLYOCR_SYSTEM_MALLOC=1`` (glibc's default allocator: large blocks returned after every tensor). The last
line is ``ratio: X``: page features, PyTorch's layers with the default allocator ÷ ours.

    .venv/bin/python tools/bench_fused.py --page samples/en.jpg --repeat 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def median_ms(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times)


def measure(page: str, repeat: int) -> dict:
    import numpy as np
    import torch
    from PIL import Image

    import polyocr
    from polyocr.model import fused
    from polyocr.model.precision import native_bfloat16

    ocr = polyocr.OCR(threads=1)
    model = ocr.pipeline.model
    image = Image.open(page).convert("RGB")
    scale = 1024 / max(image.size)
    w, h = (int(round(v * scale / 32)) * 32 for v in image.size)
    x = torch.from_numpy(np.asarray(image.resize((w, h)))).permute(2, 0, 1)[None].float().div(255)
    x = x.contiguous(memory_format=torch.channels_last)
    torch.manual_seed(0)
    crops = torch.rand(48, 3, 32, 640).contiguous(memory_format=torch.channels_last)
    bf16 = native_bfloat16(torch.device("cpu"))
    rec = model.recognizer
    steps = torch.tensor([160] * 32 + [80] * 16)
    emb = torch.randn(48, 160, rec.proj.out_features)
    pad = torch.arange(160)[None] >= steps[:, None]
    out: dict = {"bfloat16": bf16}

    def page_features():
        return model.detect(model.features(x)[0])

    def page_features_bf16():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return page_features()

    def line_features():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            return model.features(crops)[0]

    with torch.inference_mode():
        parts = [("page features", page_features), ("line features", line_features)]
        if bf16:
            parts.insert(1, ("page features, bfloat16", page_features_bf16))
        for name, fn in parts:
            fused.ENABLED = False
            reference = fn().float()
            out[f"{name}, PyTorch layers"] = median_ms(fn, repeat)
            fused.ENABLED = True
            ours = fn().float()
            out[f"{name}, fused"] = median_ms(fn, repeat)
            out[f"{name}, largest difference"] = float((ours - reference).abs().max())
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            reference = rec.encoder(emb, src_key_padding_mask=pad).float()
            ours = rec._encode(emb, pad).float()
            out["encoder, largest difference"] = float((ours - reference)[~pad].abs().max())
            out["encoder, PyTorch layers"] = median_ms(lambda: rec.encoder(emb, src_key_padding_mask=pad), repeat)
            out["encoder, fused"] = median_ms(lambda: rec._encode(emb, pad), repeat)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="samples/en.jpg")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.page, args.repeat)))
        return 0
    runs = {}
    for label, env in (("kept freed memory", {}), ("system allocator", {"POLYOCR_SYSTEM_MALLOC": "1"})):
        done = subprocess.run([sys.executable, __file__, "--child", "--page", args.page, "--repeat", str(args.repeat)],
                              env={**os.environ, **env}, capture_output=True, text=True, check=True)
        runs[label] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, theirs = runs["kept freed memory"], runs["system allocator"]
    print(f"page {args.page}, one core, median of {args.repeat}, CPU ms (line features in "
          f"{'bfloat16' if ours['bfloat16'] else 'float32'})")
    print("| part | PyTorch layers, system allocator | PyTorch layers | fused | fused, system allocator "
          "| largest difference |")
    print("|---|---|---|---|---|---|")
    for part in ("page features", "page features, bfloat16", "line features", "encoder"):
        if f"{part}, fused" not in ours:
            continue
        cells = (theirs[f"{part}, PyTorch layers"], ours[f"{part}, PyTorch layers"], ours[f"{part}, fused"],
                 theirs[f"{part}, fused"])
        print(f"| {part} | " + " | ".join(f"{v:.1f}" for v in cells) + f" | {ours[part + ', largest difference']:.2g} |")
    print(f"ratio: {theirs['page features, PyTorch layers'] / ours['page features, fused']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
