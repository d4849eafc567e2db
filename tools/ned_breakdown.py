"""Where a model's page NED is lost: detection and recognition, reading order, or recognition alone.

For every page of a dataset, three texts against the page's true text:

- **page**: the page as ``polyocr read`` reads it (what ``polyocr eval`` scores);
- **order oracle**: the same detected and read lines, put in their true order (each detected line takes
  the rank of the true line it matches at IoU ≥ 0.5, or else of the one it overlaps most): what is left
  once the reading order is right;
- **lines**: the true lines read from their true quads, in true order (the recognizer alone, as
  ``polyocr eval --recognition`` reads them, joined into a page).

The gap page − order oracle is the order's share; order oracle − lines, detection's (missed, split or
merged lines, wrong reading directions); lines, recognition's. Per language and per layout family.

    .venv/bin/python tools/ned_breakdown.py data/test --checkpoint runs/tiny-s14/checkpoint --order geometry
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np


def order_oracle(pred: np.ndarray, truth: np.ndarray, pairs: list[tuple[int, int]]) -> list[int]:
    """Indices of the predicted lines sorted by the true rank they match (or overlap most; lines that
    overlap nothing go last, in their own order)."""
    from polyocr.model.postprocess import quad_iou

    matched = dict(pairs)
    keys = []
    for k in range(len(pred)):
        if k in matched:
            keys.append(float(matched[k]))
            continue
        ious = [quad_iou(pred[k], t) for t in truth]
        keys.append(float(np.argmax(ious)) + 0.5 if ious and max(ious) > 0 else float("inf"))
    return [int(k) for k in np.argsort(keys, kind="stable")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--split", default="test")
    parser.add_argument("--langs", help="comma-separated (default: every language in the dataset)")
    parser.add_argument("--checkpoint", type=Path, help="default: the bundled model")
    parser.add_argument("--order", choices=["model", "geometry"], help="default: what the checkpoint records")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write every page's figures here")
    args = parser.parse_args(argv)

    from polyocr import OCR
    from polyocr.data.reader import DatasetReader
    from polyocr.errors import PolyocrError
    from polyocr.eval.metrics import match_quads, ned
    from polyocr.lang.registry import load_languages
    from polyocr.train.data import page_lines

    try:
        reader = DatasetReader(args.data, langs=args.langs.split(",") if args.langs else None, split=args.split)
        pipeline = OCR(args.checkpoint, threads=args.threads, reading_order=args.order).pipeline
    except PolyocrError as err:
        print(f"ned_breakdown: error: {err}", file=sys.stderr)
        return 2
    packs = load_languages().packs
    rows = []
    for i in range(len(reader)):
        sample = reader[i]
        truth = page_lines(sample.annotation)
        unspaced = sample.lang in packs and packs[sample.lang].spec.word_unit == "character"
        page = pipeline.page(sample.image, index=i)
        lines = [line for block in page.blocks for line in block.lines]
        pred = np.array([line.quad for line in lines], np.float64).reshape(-1, 4, 2)
        true_quads = truth.quads.astype(np.float64)
        oracle = "\n".join(lines[k].text for k in order_oracle(pred, true_quads, match_quads(pred, true_quads)))
        read = pipeline.read_lines(sample.image, truth.quads, truth.vertical) if len(truth.quads) else []
        rows.append({"index": i, "lang": sample.lang, "layout": sample.annotation["meta"].get("layout", "?"),
                     "page": ned(page.text, sample.text, unspaced), "order_oracle": ned(oracle, sample.text, unspaced),
                     "lines": ned("\n".join(r.text for r in read), sample.text, unspaced)})
    for title in ("lang", "layout"):
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            groups[row[title]].append(row)
        print(f"| {title} | pages | page NED | order oracle | true lines |")
        print("|---|---|---|---|---|")
        for key, group in sorted(groups.items()):
            print(f"| {key} | {len(group)} | " + " | ".join(f"{statistics.fmean(r[m] for r in group):.3f}"
                                                          for m in ("page", "order_oracle", "lines")) + " |")
        print()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
