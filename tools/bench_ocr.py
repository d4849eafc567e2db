"""OCR accuracy and speed on real document pages: polyocr against Tesseract 5 (issue 6).

Reads the held-out real pages of data/realpages (build them with tools/realpages.py) and OCRs every
page with three engines in the same run, interleaved page by page (the order rotates from page to
page) so that machine noise hits all of them alike:

* polyocr: ``polyocr.OCR()`` (the bundled model, or ``--model DIR``) on one CPU core
  (``torch.set_num_threads(1)``; OMP/MKL/numba threads 1), ``ocr.read(PNG path)``, no language hint;
* polyocr with the page's language: ``polyocr.OCR(langs=[lang])`` (``polyocr read --langs``, the
  counterpart of Tesseract's ``-l``: the output layer keeps that pack's characters only);
* Tesseract with the page's language: ``tesseract PNG - -l eng|jpn|kor|rus|chi_sim|chi_tra``
  (``OMP_THREAD_LIMIT=1``, a process per page as the command line runs it);
* Tesseract with all six: ``-l eng+jpn+kor+rus+chi_sim+chi_tra`` (no language hint, as polyocr).

Each engine first reads one page untimed (and Tesseract loads every language once) as a warm-up.
Per language: mean NED of the page text against the ground truth (``polyocr.eval.metrics.ned``: NFKC,
whitespace collapsed for en/ko/ru and removed for ja/zh, identically for every engine and the truth)
and pages/s per engine. The markdown table ends with one line ``ratio: X``, polyocr pages/s (no hint,
as issue 6 defines it) divided by Tesseract pages/s with the page's language (``-l``), over all pages;
the line before it gives polyocr with the page's language against the same Tesseract (each engine told
the same thing).

    nice -n 10 .venv/bin/python tools/bench_ocr.py                       # every page, every language
    nice -n 10 .venv/bin/python tools/bench_ocr.py --langs en,ja --limit 2 --json out.json
    python tools/bench_ocr.py --device cuda --batch 1,2,4,8,16,32        # polyocr on a GPU only
    python tools/bench_ocr.py --device cuda --procs 1,4,8,14             # pages/s of N processes, one GPU

With ``--device cuda`` only polyocr runs (fp16, the model on the GPU), once per batch size and page,
interleaved; the batch size is the pipeline's ``line_batch`` (text lines read per recognizer call, as
``polyocr read --batch``): the pipeline reads one page at a time.

With ``--procs`` the question is the GPU's throughput rather than one page's latency: a page's CPU
work (decoding, scaling, the detector's post-processing, assembling the result tree) leaves the GPU
idle most of the time in one process, so N processes (one CPU thread each, the model loaded once per
process as ``polyocr read`` and the OCRmyPDF plugin do) share it. Each reads every page ``--repeat``
times, starting at a different page; pages/s = all pages read ÷ the wall time from the moment every
process has loaded its model and read one page until the last one finishes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realpages import LANGS, ROOT, UNSPACED, RealPagesError, read_manifest

TESS_LANG = {"en": "eng", "ja": "jpn", "ko": "kor", "ru": "rus", "zh_hans": "chi_sim", "zh_hant": "chi_tra"}
TESS_ALL = "+".join(TESS_LANG[code] for code in LANGS)
ENGINES = ("polyocr", "polyocr_lang", "tesseract", "tesseract_all")
LABELS = {"polyocr": "polyocr", "polyocr_lang": "polyocr (--langs lang)", "tesseract": "Tesseract (-l lang)",
          "tesseract_all": "Tesseract (all six)"}


class BenchError(Exception):
    pass


ONE_CORE = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")


def pin_one_core() -> None:
    """One thread for OpenMP, MKL, OpenBLAS and numba: called before torch or numba are imported."""
    for var in ONE_CORE:
        os.environ[var] = "1"


def cpu_seconds() -> float:
    """CPU time of this process plus its finished children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def tesseract(image: str, lang: str) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run(["tesseract", image, "-", "-l", lang], capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise BenchError(f"tesseract -l {lang} failed on {image}: {last}")
    return proc.stdout


def check_tesseract(langs: list[str]) -> str:
    if shutil.which("tesseract") is None:
        raise BenchError("tesseract not found; install the packages of tools/bench-packages.txt "
                         "(apt-get install -y $(grep -v '^#' tools/bench-packages.txt))")
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    have = set(out.stdout.split())
    missing = sorted({TESS_LANG[c] for c in LANGS} - have)
    if missing:
        pkgs = " ".join("tesseract-ocr-" + m.replace("_", "-") for m in missing)
        raise BenchError(f"Tesseract has no {', '.join(missing)} data; apt-get install -y {pkgs}")
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (version.stdout + version.stderr).splitlines()[0]


def make_ocr(model: str | None, device: str, batch: int | None = None, langs: list[str] | None = None):
    import torch

    import polyocr
    from polyocr.infer.pipeline import PipelineConfig

    if device == "cpu":
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass  # already set in this process
    config = PipelineConfig(line_batch=batch) if batch else None
    return polyocr.OCR(model=model, device=device, threads=1 if device == "cpu" else None, config=config, langs=langs)


def ned_of(text: str, truth: str, lang: str) -> float:
    from polyocr.eval.metrics import ned

    return ned(text, truth, unspaced=lang in UNSPACED)


def summarize(records: list[dict], engines: tuple[str, ...], langs: list[str]) -> dict:
    """Per language (and "all"): pages, mean NED and pages/s (pages ÷ summed seconds) per engine."""
    out: dict[str, dict] = {}
    for lang in [*langs, "all"]:
        rows = [r for r in records if lang == "all" or r["lang"] == lang]
        if not rows:
            continue
        out[lang] = {"pages": len(rows)}
        for eng in engines:
            seconds = sum(r[eng]["seconds"] for r in rows)
            out[lang][eng] = {
                "ned": statistics.fmean(r[eng]["ned"] for r in rows),
                "seconds": seconds,
                "pages_per_s": len(rows) / seconds if seconds > 0 else float("inf"),
            }
    return out


def table(summary: dict, engines: tuple[str, ...]) -> str:
    head = ["lang", "pages"] + [f"{LABELS[e]} NED" for e in engines] + [f"{LABELS[e]} pages/s" for e in engines]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for lang, row in summary.items():
        cells = [f"**{lang}**" if lang == "all" else lang, str(row["pages"])]
        cells += [f"{row[e]['ned']:.3f}" for e in engines] + [f"{row[e]['pages_per_s']:.3f}" for e in engines]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bench_cpu(pages: list[dict], args) -> dict:
    version = check_tesseract(args.langs)
    print(f"bench_ocr: {len(pages)} pages; {version}; polyocr model {args.model or 'bundled'}; one core each", file=sys.stderr)
    ocr = make_ocr(args.model, "cpu")
    hinted = {lang: make_ocr(args.model, "cpu", langs=[lang]) for lang in sorted({p["lang"] for p in pages})}
    # warm-up, untimed: each engine reads the first page; Tesseract loads every language once
    first = pages[0]
    ocr.read(first["image"])
    hinted[first["lang"]].read(first["image"])
    tesseract(first["image"], TESS_LANG[first["lang"]])
    tesseract(first["image"], TESS_ALL)
    with tempfile.TemporaryDirectory() as tmp:
        from PIL import Image

        blank = str(Path(tmp) / "blank.png")
        Image.new("L", (64, 32), 255).save(blank)
        for lang in sorted({p["lang"] for p in pages}):
            tesseract(blank, TESS_LANG[lang])
    records = []
    for i, page in enumerate(pages):
        record = {"lang": page["lang"], "name": page["name"]}
        order = ENGINES[i % len(ENGINES):] + ENGINES[:i % len(ENGINES)]
        for eng in order:
            cpu0, t0 = cpu_seconds(), time.perf_counter()
            if eng == "polyocr":
                text = ocr.read(page["image"]).text
            elif eng == "polyocr_lang":
                text = hinted[page["lang"]].read(page["image"]).text
            else:
                text = tesseract(page["image"], TESS_LANG[page["lang"]] if eng == "tesseract" else TESS_ALL)
            seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
            record[eng] = {"seconds": seconds, "cpu_seconds": cpu, "ned": ned_of(text, page["truth"], page["lang"]),
                           "text": text}
        records.append(record)
        print(f"bench_ocr: {page['lang']:8s} {page['name']:28s} " + "  ".join(
            f"{e} {record[e]['ned']:.3f}/{record[e]['seconds']:.2f}s" for e in ENGINES), file=sys.stderr)
    summary = summarize(records, ENGINES, args.langs)
    ratio = summary["all"]["polyocr"]["pages_per_s"] / summary["all"]["tesseract"]["pages_per_s"]
    ratio_hinted = summary["all"]["polyocr_lang"]["pages_per_s"] / summary["all"]["tesseract"]["pages_per_s"]
    cpu = {e: sum(r[e]["cpu_seconds"] for r in records) for e in ENGINES}
    cpu_ratio = cpu["tesseract"] / cpu["polyocr"] if cpu["polyocr"] > 0 else float("inf")
    print(table(summary, ENGINES))
    print()
    print("CPU seconds per page (this process and its children; steadier than wall time on a shared machine): "
          + ", ".join(f"{LABELS[e]} {cpu[e] / len(records):.2f}" for e in ENGINES) + f"; CPU ratio {cpu_ratio:.3f}")
    print(f"polyocr with the page's language ÷ Tesseract with the page's language: {ratio_hinted:.3f}")
    print(f"ratio: {ratio:.3f}")
    return {"mode": "cpu", "tesseract": version, "model": args.model or "bundled", "summary": summary,
            "ratio": ratio, "ratio_hinted": ratio_hinted, "cpu_seconds": cpu, "cpu_ratio": cpu_ratio, "pages": records}


def bench_gpu(pages: list[dict], args) -> dict:
    import torch

    batches = [int(b) for b in args.batch.split(",") if b.strip()]
    if not batches or min(batches) < 1:
        raise BenchError(f"--batch wants positive integers, got {args.batch!r}")
    ocr = make_ocr(args.model, args.device, batches[0])
    from polyocr.infer.pipeline import PipelineConfig

    configs = {b: PipelineConfig(line_batch=b) for b in batches}
    for b in batches:  # warm-up, untimed: every batch size once (kernels, allocator)
        ocr.pipeline.cfg = configs[b]
        ocr.read(pages[0]["image"])
    records = []
    for i, page in enumerate(pages):
        record = {"lang": page["lang"], "name": page["name"]}
        for b in batches[i % len(batches):] + batches[:i % len(batches)]:
            ocr.pipeline.cfg = configs[b]
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            text = ocr.read(page["image"]).text
            torch.cuda.synchronize()
            record[f"batch{b}"] = {"seconds": time.perf_counter() - t0, "ned": ned_of(text, page["truth"], page["lang"])}
        records.append(record)
    keys = tuple(f"batch{b}" for b in batches)
    summary = summarize(records, keys, args.langs)
    print(f"polyocr on {torch.cuda.get_device_name()} (fp16), {len(pages)} pages, line_batch per column")
    print()
    lines = ["| batch | pages/s | NED (all pages) |", "|---|---|---|"]
    for b, key in zip(batches, keys):
        lines.append(f"| {b} | {summary['all'][key]['pages_per_s']:.2f} | {summary['all'][key]['ned']:.3f} |")
    print("\n".join(lines))
    best = max(zip(batches, keys), key=lambda bk: summary["all"][bk[1]]["pages_per_s"])
    print()
    print(f"best: {summary['all'][best[1]]['pages_per_s']:.2f} pages/s at batch {best[0]}")
    return {"mode": "gpu", "device": torch.cuda.get_device_name(), "model": args.model or "bundled",
            "batches": batches, "summary": summary, "pages": records}


def _proc_worker(rank: int, args, pages: list[dict], ready, queue) -> None:
    """One process of ``bench_procs``: load, warm up, wait for the others, read, report."""
    try:
        ocr = make_ocr(args.model, args.device)
        ocr.read(pages[rank % len(pages)]["image"])
        ready.wait()
        t0 = time.perf_counter()
        order = [pages[(rank + i) % len(pages)] for i in range(len(pages))] * args.repeat
        for page in order:
            ocr.read(page["image"])
        queue.put((rank, t0, time.perf_counter(), len(order), None))
    except Exception as exc:  # reported by the parent, which fails the whole measurement
        queue.put((rank, 0.0, 0.0, 0, f"{type(exc).__name__}: {exc}"))
        ready.abort()


def bench_procs(pages: list[dict], args) -> dict:
    import multiprocessing as mp

    import torch

    counts = [int(n) for n in args.procs.split(",") if n.strip()]
    if not counts or min(counts) < 1 or args.repeat < 1:
        raise BenchError(f"--procs wants positive integers and --repeat at least 1, got {args.procs!r}, {args.repeat}")
    ctx = mp.get_context("spawn")  # CUDA cannot be forked
    rows = []
    for n in counts:
        ready, queue = ctx.Barrier(n), ctx.Queue()
        workers = [ctx.Process(target=_proc_worker, args=(r, args, pages, ready, queue)) for r in range(n)]
        for w in workers:
            w.start()
        try:
            reports = [queue.get(timeout=900) for _ in workers]
        except Exception:  # queue.Empty: a process died without reporting (killed, out of memory)
            for w in workers:
                w.kill()
            raise BenchError(f"a process of {n} died without reporting (exit codes "
                             f"{[w.exitcode for w in workers]})") from None
        for w in workers:
            w.join()
        errors = [f"process {r}: {err}" for r, *_, err in reports if err]
        if errors:
            raise BenchError("; ".join(errors[:3]))
        start, end = min(r[1] for r in reports), max(r[2] for r in reports)
        done = sum(r[3] for r in reports)
        rows.append({"procs": n, "pages": done, "seconds": end - start, "pages_per_s": done / (end - start)})
        print(f"{n} process(es): {done} pages in {end - start:.2f} s, {done / (end - start):.2f} pages/s", flush=True)
    name = torch.cuda.get_device_name() if torch.cuda.is_available() else args.device
    print()
    precision = " (fp16)" if args.device.startswith("cuda") else ""
    print(f"polyocr on {name}{precision}, {len(pages)} pages read {args.repeat} times by each process")
    print()
    print("\n".join(["| processes | pages/s |", "|---|---|"] + [f"| {r['procs']} | {r['pages_per_s']:.2f} |" for r in rows]))
    best = max(rows, key=lambda r: r["pages_per_s"])
    print()
    print(f"best: {best['pages_per_s']:.2f} pages/s with {best['procs']} processes")
    return {"mode": "procs", "device": name, "model": args.model or "bundled", "repeat": args.repeat, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT / "data" / "realpages", help="the realpages folder")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated languages (default: all six)")
    parser.add_argument("--limit", type=int, help="at most N pages per language")
    parser.add_argument("--model", help="a polyocr checkpoint folder (default: the bundled model)")
    parser.add_argument("--json", type=Path, help="write every page's figures and texts here")
    parser.add_argument("--device", default="cpu", help="cpu (default; against Tesseract) or cuda (polyocr only)")
    parser.add_argument("--batch", default="1,2,4,8,16,32", help="with --device cuda: the batch sizes to measure")
    parser.add_argument("--procs", help="process counts to measure (e.g. 1,4,8,14): polyocr's pages/s only, no Tesseract")
    parser.add_argument("--repeat", type=int, default=2, help="with --procs: times each process reads every page")
    args = parser.parse_args(argv)
    pin_one_core()
    args.langs = [c.strip() for c in args.langs.split(",") if c.strip()]
    unknown = [c for c in args.langs if c not in LANGS]
    if unknown:
        print(f"bench_ocr: error: unknown language(s) {', '.join(unknown)}; known: {', '.join(LANGS)}", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("bench_ocr: error: --limit must be at least 1", file=sys.stderr)
        return 2
    from polyocr.errors import PolyocrError

    try:
        pages = read_manifest(args.pages, args.langs, args.limit)
        if args.procs:
            result = bench_procs(pages, args)
        else:
            result = bench_cpu(pages, args) if args.device == "cpu" else bench_gpu(pages, args)
    except (RealPagesError, BenchError, PolyocrError) as exc:
        print(f"bench_ocr: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
