"""Does what the recognizer learns on line crops transfer to whole-page features?

The recognizer is trained on 32-pixel line crops passed through the backbone on their own (cheap on a
CPU). It could read lines out of the features of the whole page instead (FOTS-style, one pass); this
tool reads the same ground-truth lines of a test split both ways and prints the line NED of each, per
language. The gap it measured is why ``polyocr read`` reads crops (docs/model.md):

- ``crops``: each line cut out of the page at 32 px, as in training and in ``polyocr read``;
- ``page``: the page scaled so its median line is 32 px thick, one backbone pass, lines sampled from
  its features with their ground-truth quads.

    python tools/measure_transfer.py runs/tiny-s2/checkpoint --data data/test --pages 6
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from polyocr.data.reader import DatasetReader
from polyocr.eval.metrics import ned
from polyocr.model.checkpoint import load_checkpoint
from polyocr.model.ctc import greedy_decode
from polyocr.train.data import crop_batch, page_lines


class OnePage:
    """A page source holding one page (crop_batch reads pages by index)."""

    def __init__(self, image: np.ndarray, annotation: dict) -> None:
        self.image, self.annotation = image, annotation

    def page(self, index: int):
        return self.image, self.annotation


def read_crops(model, vocab, image, annotation, per_page: int, seed: int) -> list[tuple[str, str]]:
    batch = crop_batch(OnePage(image, annotation), [0], per_page, 32, vocab, seed, max_width=100_000)
    if not batch["targets"]:
        return []
    fused, fine = model.features(batch["images"])
    k = len(batch["targets"])
    logits, steps, _ = model.read(fused, fine, batch["quads"], batch["rows"], torch.zeros(k, dtype=torch.bool))
    return [(d.text, t) for d, t in zip(greedy_decode(logits, steps, vocab), batch["texts"], strict=True)]


def read_page(model, vocab, image, annotation, texts: list[str]) -> list[tuple[str, str]]:
    lines = page_lines(annotation)
    keep = [lines.texts.index(t) for t in texts if t in lines.texts]
    if not keep:
        return []
    thick = float(np.median(np.linalg.norm(lines.quads[:, 3] - lines.quads[:, 0], axis=1)))
    scale = min(32.0 / max(thick, 1.0), math.sqrt(6e6 / (image.shape[0] * image.shape[1])))
    h, w = image.shape[:2]
    nh, nw = round(h * scale), round(w * scale)
    canvas = np.full((math.ceil(nh / 32) * 32, math.ceil(nw / 32) * 32, 3), 255, np.uint8)
    canvas[:nh, :nw] = np.asarray(Image.fromarray(image).resize((nw, nh), Image.BILINEAR))
    x = torch.from_numpy(canvas).permute(2, 0, 1)[None].float() / 255.0
    fused, fine = model.features(x)
    quads = torch.from_numpy(lines.quads[keep] * np.array([nw / w, nh / h], np.float32))
    logits, steps, _ = model.read(fused, fine, quads, torch.zeros(len(keep), dtype=torch.long),
                                  torch.from_numpy(lines.vertical[keep]))
    return [(d.text, lines.texts[i]) for d, i in zip(greedy_decode(logits, steps, vocab), keep, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--data", type=Path, default=Path("data/test"))
    parser.add_argument("--split", default="test")
    parser.add_argument("--pages", type=int, default=6, help="pages per language")
    parser.add_argument("--lines", type=int, default=12, help="lines per page")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    model, vocab, _ = load_checkpoint(args.checkpoint)
    model.float().eval()
    reader = DatasetReader(args.data, split=args.split)
    counts: dict[str, int] = defaultdict(int)
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    with torch.inference_mode():
        for i in range(len(reader)):
            sample = reader[i]
            lang = sample.lang or "?"
            if counts[lang] >= args.pages:
                continue
            counts[lang] += 1
            crops = read_crops(model, vocab, sample.image, sample.annotation, args.lines, i)
            page = read_page(model, vocab, sample.image, sample.annotation, [t for _, t in crops])
            scores[lang]["crops"] += [ned(p, t) for p, t in crops]
            scores[lang]["page"] += [ned(p, t) for p, t in page]
    table = {lang: {k: float(np.mean(v)) if v else float("nan") for k, v in s.items()} | {"lines": len(s["crops"])}
             for lang, s in sorted(scores.items())}
    print(f"{'lang':<8} {'lines':>5} {'NED crops':>9} {'NED page':>9}")
    for lang, r in table.items():
        print(f"{lang:<8} {r['lines']:>5} {r['crops']:>9.4f} {r['page']:>9.4f}")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
