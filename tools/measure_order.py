"""What the geometric reading order costs by itself: true lines, true text, only the order guessed.

For every page of a dataset the true lines (quads and text from the labels) are put in order by
``heuristic_order`` (the XY-cut fallback of ``polyocr read --order geometry``, the page's rotation
found as the pipeline finds it) and joined as the
pipeline joins them (a line per line, a blank line between paragraphs); the NED of that text against
the page's true text is what the order alone loses, with perfect detection and recognition. Per
language and per layout family, beside Kendall's tau of the order.

    .venv/bin/python tools/measure_order.py data/test --split test
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--split", default="test")
    parser.add_argument("--langs", help="comma-separated (default: every language in the dataset)")
    args = parser.parse_args(argv)

    from polyocr.data.reader import DatasetReader
    from polyocr.errors import PolyocrError
    from polyocr.eval.metrics import kendall_tau, ned
    from polyocr.infer.order import heuristic_order, page_rotation
    from polyocr.lang.registry import load_languages
    from polyocr.train.data import page_lines

    try:
        reader = DatasetReader(args.data, langs=args.langs.split(",") if args.langs else None, split=args.split)
    except PolyocrError as err:
        print(f"measure_order: error: {err}", file=sys.stderr)
        return 2
    packs = load_languages().packs
    by_lang: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_layout: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for i in range(len(reader)):
        sample = reader[i]
        truth = page_lines(sample.annotation)
        if not len(truth.quads):
            continue
        order, para = heuristic_order(truth.quads, truth.vertical, page_rotation(truth.quads, truth.vertical))
        blocks: list[list[str]] = []
        for prev, k in zip([None, *order], order):
            if prev is None or para[k] != para[prev]:
                blocks.append([])
            blocks[-1].append(truth.texts[k])
        text = "\n\n".join("\n".join(b) for b in blocks)
        unspaced = sample.lang in packs and packs[sample.lang].spec.word_unit == "character"
        score = (ned(text, sample.text, unspaced), kendall_tau(list(range(len(order))), order))
        by_lang[sample.lang].append(score)
        by_layout[sample.annotation["meta"].get("layout", "?")].append(score)
    for title, groups in (("lang", by_lang), ("layout", by_layout)):
        print(f"| {title} | pages | page NED (true lines, XY-cut order) | Kendall tau |")
        print("|---|---|---|---|")
        for key, scores in sorted(groups.items()):
            print(f"| {key} | {len(scores)} | {statistics.fmean(s[0] for s in scores):.3f} | "
                  f"{statistics.fmean(s[1] for s in scores):.3f} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
