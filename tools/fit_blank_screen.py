"""Fit a checkpoint's blank screen (``model/blank_screen.py``) on synthetic pages, check it on real ones.

The pages of a generated dataset are read with the checkpoint as the pipeline reads them (every CTC
step's features kept); the whole output layer then tells each step's gap (the blank's logit minus the
largest other), and a linear screen is fitted to pass as blank only steps like those that were blank
by a clear margin. ``--check`` reads the real pages the same way and counts the steps the screen would
have passed as blank that were not (it must be none: the tool then refuses to write).

    polyocr generate --langs en,ja,ko,ru,zh_hans,zh_hant --pages 10 --split validation --seed 29 \\
        --out data/calib --no-progress
    .venv/bin/python tools/fit_blank_screen.py --data data/calib --check data/realpages --write

``--write`` records the screen in the checkpoint's config.json (``inference.blank_screen``), with the
digest of the weights it holds for. Fit again whenever the weights change (``tools/bundle_model.py``
writes a checkpoint without a screen).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402


def read_steps(ocr, images) -> tuple[np.ndarray, np.ndarray]:
    """Features of every CTC step the pipeline reads on ``images`` and each step's gap under the whole
    output layer (the blank's logit minus the largest other)."""
    from polyocr.model.ocr import ReadingHead

    feats: list[torch.Tensor] = []
    ocr.pipeline.step_observer = lambda real: feats.append(real.float().clone())
    try:
        for image in images:
            ocr.pipeline.page(image)
    finally:
        ocr.pipeline.step_observer = None
    if not feats:
        return np.zeros((0, 0), np.float32), np.zeros(0, np.float32)
    x = torch.cat(feats)
    whole = ReadingHead.of(ocr.pipeline.model.recognizer.head, None, ocr.pipeline.head.weight.dtype)
    gaps = []
    with torch.inference_mode():
        for chunk in x.split(1024):
            logits = whole(chunk).float()
            gaps.append(logits[:, 0] - logits[:, 1:].amax(1))
    return x.numpy(), torch.cat(gaps).numpy()


def synthetic_images(root: Path, split: str, limit: int | None):
    from polyocr.data.reader import DatasetReader

    reader = DatasetReader(root, langs=None, split=split)
    for i in range(len(reader) if limit is None else min(limit, len(reader))):
        yield reader[i].image


def real_images(root: Path):
    from PIL import Image

    manifest = json.loads((root / "manifest.json").read_text())
    for page in manifest["pages"]:
        with Image.open(root / page["image"]) as im:
            yield np.asarray(im.convert("RGB"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="checkpoint folder (default: the bundled model)")
    parser.add_argument("--data", type=Path, required=True, help="a dataset written by `polyocr generate`")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--limit", type=int, help="read at most this many of its pages")
    parser.add_argument("--check", type=Path, help="real pages (tools/realpages.py) to check the screen on")
    parser.add_argument("--safety", type=float, default=1.0, help="margin above the highest score of a step not blank")
    parser.add_argument("--write", action="store_true", help="record the screen in the checkpoint's config.json")
    args = parser.parse_args(argv)

    from polyocr.infer.api import OCR, bundled_model
    from polyocr.lang.cache import write_atomic
    from polyocr.model.blank_screen import fit_blank_screen, weights_digest

    torch.set_num_threads(1)
    path = args.model or bundled_model()
    ocr = OCR(path, threads=1, screen_blanks=False)
    x, gap = read_steps(ocr, synthetic_images(args.data, args.split, args.limit))
    if not len(gap):
        print(f"{args.data}: no lines read in split {args.split!r}", file=sys.stderr)
        return 1
    pages = args.limit if args.limit else "all"
    screen = fit_blank_screen(x, gap, weights_digest(path), f"{args.data} split {args.split} ({pages} pages)",
                              safety=args.safety)
    print(f"fitted on {screen.steps} steps: {screen.blank_share:.3f} blank, {screen.screened_share:.3f} screened "
          f"(threshold {screen.threshold:.3f})")
    if args.check:
        rx, rgap = read_steps(ocr, real_images(args.check))
        sure = screen.sure_blank(torch.from_numpy(rx)).numpy()
        wrong = int((sure & (rgap < 0)).sum())
        print(f"{args.check}: {len(rgap)} steps, {float((rgap >= 0).mean()):.3f} blank, {float(sure.mean()):.3f} "
              f"screened, {wrong} screened that were not blank")
        if wrong:
            print("not written: the screen passed steps that were not blank", file=sys.stderr)
            return 1
    if args.write:
        config_path = Path(path) / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config.setdefault("inference", {})["blank_screen"] = screen.model_dump()
        write_atomic(config_path, json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"))
        print(f"written to {config_path}")
    return 0


if __name__ == "__main__":
    from polyocr.errors import PolyocrError

    try:
        sys.exit(main())
    except PolyocrError as exc:  # a missing dataset or checkpoint: one line, not a traceback
        print(f"fit_blank_screen: {exc}", file=sys.stderr)
        sys.exit(1)
