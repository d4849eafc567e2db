"""Pipeline settings A/B on the real pages: page NED per language and CPU seconds per page, one core.

Each variant is a ``polyocr.OCR`` with some ``PipelineConfig`` settings; every page is read by every
variant in turn (the order alternating page by page, so that a shared machine's noise falls on all of
them alike), against the page's ground truth as ``tools/bench_ocr.py`` scores it:

    .venv/bin/python tools/measure_settings.py "once:detect_line=0" "default:"
    .venv/bin/python tools/measure_settings.py "d17:detect_line=17" "d23:detect_line=23" --langs ja,en

A variant is ``NAME:KEY=VALUE,KEY=VALUE`` (values read as Python literals, or else
as a word: ``reading_order=geometry``); ``NAME:`` is the defaults.
The key ``model`` names a checkpoint folder, so two models can be compared the same way (a training
run's checkpoint records no reading order and reads with the relational model; name the bundled
model's order to compare like with like):

    .venv/bin/python tools/measure_settings.py "bundled:" "s8:model='runs/tiny-s8/checkpoint',reading_order='geometry'"

The pages are the dev split of the real pages by default (``tools/realpages.py --split dev`` →
data/realpages-dev): settings are chosen there, so that the benchmark's own pages (data/realpages,
``--pages data/realpages``) are read by ``tools/bench_ocr.py``, not tuned to (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ocr import ned_of  # noqa: E402
from realpages import ROOT, RealPagesError, read_manifest  # noqa: E402


def parse_variant(text: str) -> tuple[str, dict]:
    name, _, settings = text.partition(":")
    out = {}
    for item in filter(None, settings.split(",")):
        key, _, value = item.partition("=")
        out[key.strip()] = _value(value.strip())
    return name, out


def _value(text: str):
    """A setting's value: a Python literal (``0.3``, ``False``, ``'geometry'``), or else the bare word as a
    string (``reading_order=geometry``)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def paired_difference(base: list[float], other: list[float], draws: int = 4000, seed: int = 0,
                      same: float = 0.001) -> dict[str, float]:
    """How ``other``'s page NEDs differ from ``base``'s on the same pages: pages better / worse (by more
    than ``same``), the mean difference and its 90 % interval by a paired bootstrap over pages. A page
    set of a few dozen pages moves by 0.01 on a single page (a superscript, a merged line), so a
    difference whose interval holds 0 is not one to choose by."""
    import numpy as np

    if len(base) != len(other) or not base:
        raise ValueError("a paired difference needs the same pages, at least one")
    diff = np.asarray(other, float) - np.asarray(base, float)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), (draws, len(diff)))].mean(1)
    low, high = np.quantile(means, [0.05, 0.95])
    return {"better": int((diff < -same).sum()), "worse": int((diff > same).sum()), "mean": float(diff.mean()),
            "low": float(low), "high": float(high)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", help="NAME:KEY=VALUE,...")
    parser.add_argument("--pages", type=Path, default=ROOT / "data" / "realpages-dev",
                        help="a real-page set (default: the dev split, data/realpages-dev)")
    parser.add_argument("--langs", default="en,ja,ko,ru,zh_hans,zh_hant")
    parser.add_argument("--model", help="a checkpoint folder (default: the bundled model)")
    args = parser.parse_args(argv)

    import torch

    import polyocr

    torch.set_num_threads(1)
    langs = args.langs.split(",")
    try:
        pages = read_manifest(args.pages, langs)
    except RealPagesError as exc:
        print(f"measure_settings: error: {exc}", file=sys.stderr)
        return 2
    variants = dict(parse_variant(v) for v in args.variants)
    ocrs = {name: polyocr.OCR(settings.pop("model", args.model), threads=1, **settings)
            for name, settings in variants.items()}
    neds: dict[str, dict[str, list[float]]] = {name: {} for name in ocrs}
    seconds = dict.fromkeys(ocrs, 0.0)
    for k, page in enumerate(pages):
        truth = page["truth"]
        row = [page["lang"], page["name"]]
        for name in (list(ocrs) if k % 2 == 0 else list(reversed(ocrs))):
            start = time.process_time()
            text = ocrs[name].read(page["image"]).text
            seconds[name] += time.process_time() - start
            neds[name].setdefault(page["lang"], []).append(ned_of(text, truth, page["lang"]))
            row.append(f"{name} {neds[name][page['lang']][-1]:.3f}")
        print(*row, flush=True)
    print("| variant | " + " | ".join(langs) + " | all | CPU s/page |")
    print("|---" * (len(langs) + 3) + "|")
    for name in ocrs:
        per = [sum(v) / len(v) for v in (neds[name].get(lang, [float("nan")]) for lang in langs)]
        total = sum(sum(v) for v in neds[name].values()) / len(pages)
        print(f"| {name} | " + " | ".join(f"{x:.3f}" for x in per) + f" | {total:.4f} | {seconds[name] / len(pages):.2f} |")
    base, *others = list(ocrs)
    if others:
        print(f"\n| variant against {base} | pages better | pages worse | mean NED difference | 90 % interval |")
        print("|---|---|---|---|---|")
        flat = {name: [x for lang in langs for x in neds[name].get(lang, [])] for name in ocrs}
        for name in others:
            d = paired_difference(flat[base], flat[name])
            print(f"| {name} | {d['better']} | {d['worse']} | {d['mean']:+.4f} | {d['low']:+.4f} … {d['high']:+.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
