"""``polyocr eval``: a checkpoint against a dataset, per language.

For every page: NED of the page text in reading order (NFKC; whitespace removed for unspaced scripts,
collapsed otherwise), line detection precision/recall/F1 at IoU 0.5, Kendall's tau of the reading
order of the matched lines, and the time the pipeline took. With ``recognition=True`` also the NED of
each true line read from its true quad (``line_ned``, the recognizer alone, detection left out).
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from polyocr.eval.metrics import detection_scores, kendall_tau, match_quads, ned
from polyocr.infer.pipeline import Pipeline
from polyocr.train.data import page_lines


def evaluate(pipeline: Pipeline, root: Path, langs: list[str] | None, split: str, limit: int | None = None,
             unspaced: dict[str, bool] | None = None, recognition: bool = False) -> dict:
    from polyocr.data.reader import DatasetReader

    reader = DatasetReader(root, langs=langs, split=split)
    per: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    n = len(reader) if limit is None else min(limit, len(reader))
    for i in range(n):
        sample = reader[i]
        lang = sample.lang or "?"
        truth = page_lines(sample.annotation)
        t = time.perf_counter()
        page = pipeline.page(sample.image, index=i)
        per[lang]["seconds"].append(time.perf_counter() - t)
        per[lang]["ned"].append(ned(page.text, sample.text, (unspaced or {}).get(lang, False)))
        pred = np.array([line.quad for line in page.lines], np.float64).reshape(-1, 4, 2)
        pairs = match_quads(pred, truth.quads.astype(np.float64))
        per[lang]["n_pred"].append(len(pred))
        per[lang]["n_truth"].append(len(truth.quads))
        per[lang]["n_match"].append(len(pairs))
        pred_rank = {j: i for i, j in pairs}
        per[lang]["tau"].append(kendall_tau([j for j in range(len(truth.quads)) if j in pred_rank],
                                            sorted(pred_rank, key=lambda j: pred_rank[j])))
        if recognition and len(truth.quads):
            read = pipeline.read_lines(sample.image, truth.quads, truth.vertical)
            per[lang]["line_ned"] += [ned(got.text, want, (unspaced or {}).get(lang, False))
                                      for got, want in zip(read, truth.texts, strict=True)]
    table = {}
    for lang, m in sorted(per.items()):
        det = detection_scores(sum(m["n_pred"]), sum(m["n_truth"]), sum(m["n_match"]))
        table[lang] = {"pages": len(m["ned"]), "ned": float(np.mean(m["ned"])), **det,
                       "reading_order_tau": float(np.mean(m["tau"])), "pages_per_s": len(m["ned"]) / sum(m["seconds"])}
        if m["line_ned"]:
            table[lang]["line_ned"] = float(np.mean(m["line_ned"]))
    return table


def format_table(table: dict) -> str:
    lines = any("line_ned" in r for r in table.values())
    head = f"{'lang':<8} {'pages':>5} {'NED':>7} {'det P':>6} {'det R':>6} {'det F1':>6} {'order τ':>7} {'pages/s':>7}"
    rows = [head + (f" {'line NED':>8}" if lines else "")]
    for lang, r in table.items():
        rows.append(f"{lang:<8} {r['pages']:>5} {r['ned']:>7.4f} {r['precision']:>6.3f} {r['recall']:>6.3f} "
                    f"{r['f1']:>6.3f} {r['reading_order_tau']:>7.3f} {r['pages_per_s']:>7.2f}"
                    + (f" {r.get('line_ned', float('nan')):>8.4f}" if lines else ""))
    return "\n".join(rows)
