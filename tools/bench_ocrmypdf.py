"""Searchable PDFs from scans: OCRmyPDF with the polyocr engine against its Tesseract engine (issue 7).

From the real pages of data/realpages (tools/realpages.py) this makes one image-only PDF per language
(every page of the language, the 150-DPI PNGs embedded losslessly by img2pdf at 150 DPI: no text
layer), then runs on each, in the same run, alternating which engine goes first from language to
language:

* ours: ``ocrmypdf --plugin polyocr_ocrmypdf --jobs 1 IN OUT`` (bundled model, or ``--model DIR``
  passed as ``--polyocr-model``);
* Tesseract: ``ocrmypdf --ocr-engine tesseract -l eng|jpn|kor|rus|chi_sim|chi_tra --jobs 1 IN OUT``
  (``--ocr-engine tesseract`` is needed: with polyocr-ocrmypdf installed, OCRmyPDF's automatic
  choice is polyocr).

Both with ``OMP_THREAD_LIMIT=1`` and one thread for torch. Each engine first converts a one-page
PDF untimed (warm-up). Per language: seconds per page (wall time of the whole ``ocrmypdf`` process
÷ pages: start-up, rasterizing, OCR, PDF/A output) and the mean NED of ``pdftotext`` of each output
page against the ground truth (``polyocr.eval.metrics.ned``, whitespace removed for ja/zh). The
markdown table ends with one line ``ratio: X``: Tesseract s/page ÷ ours over all pages.

    nice -n 10 .venv/bin/python tools/bench_ocrmypdf.py
    nice -n 10 .venv/bin/python tools/bench_ocrmypdf.py --langs ko,ja --limit 2 --json out.json --keep /tmp/ocrpdfs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ocr import TESS_LANG, cpu_seconds
from realpages import DPI, LANGS, ROOT, UNSPACED, RealPagesError, read_manifest

ENGINES = ("polyocr", "tesseract")
LABELS = {"polyocr": "OCRmyPDF + polyocr", "tesseract": "OCRmyPDF + Tesseract"}


class BenchError(Exception):
    pass


ONE_CORE = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS", "OMP_THREAD_LIMIT")


def pin_one_core() -> None:
    """One thread for OpenMP, MKL, OpenBLAS and numba: called before torch or numba are imported."""
    for var in ONE_CORE:
        os.environ[var] = "1"


def ocrmypdf_bin() -> str:
    here = Path(sys.executable).parent / "ocrmypdf"
    found = str(here) if here.exists() else shutil.which("ocrmypdf")
    if not found:
        raise BenchError("ocrmypdf not found; install it with: .venv/bin/pip install -e plugins/ocrmypdf")
    return found


def image_pdf(images: list[str], out: Path) -> None:
    """An image-only PDF: each PNG one page, embedded as is, at DPI (no text layer)."""
    import img2pdf

    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    out.write_bytes(img2pdf.convert(images, layout_fun=layout, nodate=True))


def command(engine: str, lang: str, src: Path, dst: Path, model: str | None) -> list[str]:
    cmd = [ocrmypdf_bin(), "--jobs", "1", "--quiet"]
    if engine == "polyocr":
        cmd += ["--plugin", "polyocr_ocrmypdf"] + (["--polyocr-model", model] if model else [])
    else:
        cmd += ["--ocr-engine", "tesseract", "-l", TESS_LANG.get(lang, lang)]
    return cmd + [str(src), str(dst)]


def run_ocrmypdf(engine: str, lang: str, src: Path, dst: Path, model: str | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of ocrmypdf and everything it ran) of one conversion."""
    cmd = command(engine, lang, src, dst, model)
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise BenchError(f"{' '.join(cmd[1:])} failed (exit {proc.returncode}): {last}")
    return seconds, cpu


def page_texts(pdf: Path, n: int) -> list[str]:
    proc = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise BenchError(f"pdftotext failed on {pdf}: {proc.stderr.strip()}")
    texts = proc.stdout.split("\f")
    if len(texts) < n:
        raise BenchError(f"{pdf} has {len(texts)} pages of text, {n} expected")
    return texts[:n]


def has_text(pdf: Path) -> bool:
    proc = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False)
    return bool(proc.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT / "data" / "realpages", help="the realpages folder")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated languages (default: all six)")
    parser.add_argument("--limit", type=int, help="at most N pages per language")
    parser.add_argument("--model", help="a polyocr checkpoint folder (default: the bundled model)")
    parser.add_argument("--json", type=Path, help="write every page's figures and texts here")
    parser.add_argument("--keep", type=Path, help="keep the input and output PDFs in this folder")
    args = parser.parse_args(argv)
    pin_one_core()
    langs = [c.strip() for c in args.langs.split(",") if c.strip()]
    unknown = [c for c in langs if c not in LANGS]
    if unknown:
        print(f"bench_ocrmypdf: error: unknown language(s) {', '.join(unknown)}; known: {', '.join(LANGS)}",
              file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("bench_ocrmypdf: error: --limit must be at least 1", file=sys.stderr)
        return 2
    try:
        result = bench(langs, args)
    except (RealPagesError, BenchError) as exc:
        print(f"bench_ocrmypdf: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def bench(langs: list[str], args) -> dict:
    from polyocr.eval.metrics import ned

    pages = read_manifest(args.pages, langs, args.limit)
    for tool in ("tesseract", "pdftotext"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} not found; install the packages of tools/bench-packages.txt")
    version = subprocess.run([ocrmypdf_bin(), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="bench_ocrmypdf-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        by_lang = {lang: [p for p in pages if p["lang"] == lang] for lang in langs}
        print(f"bench_ocrmypdf: {len(pages)} pages; OCRmyPDF {version}; --jobs 1", file=sys.stderr)
        # warm-up, untimed: a one-page PDF through each engine
        warm = work / "warmup.pdf"
        image_pdf([pages[0]["image"]], warm)
        for engine in ENGINES:
            run_ocrmypdf(engine, pages[0]["lang"], warm, work / f"warmup.{engine}.pdf", args.model)
        records, per_lang = [], {}
        for i, lang in enumerate(langs):
            group = by_lang[lang]
            src = work / f"{lang}.pdf"
            image_pdf([p["image"] for p in group], src)
            if has_text(src):
                raise BenchError(f"{src} has a text layer; the input must be image-only")
            per_lang[lang] = {"pages": len(group)}
            texts = {}
            for engine in (ENGINES if i % 2 == 0 else ENGINES[::-1]):
                dst = work / f"{lang}.{engine}.pdf"
                seconds, cpu = run_ocrmypdf(engine, lang, src, dst, args.model)
                texts[engine] = page_texts(dst, len(group))
                per_lang[lang][engine] = {"seconds": seconds, "cpu_seconds": cpu}
            for j, page in enumerate(group):
                rec = {"lang": lang, "name": page["name"]}
                for engine in ENGINES:
                    rec[engine] = {"ned": ned(texts[engine][j], page["truth"], unspaced=lang in UNSPACED),
                                   "text": texts[engine][j]}
                records.append(rec)
            for engine in ENGINES:
                row = per_lang[lang][engine]
                row["s_per_page"] = row["seconds"] / len(group)
                row["ned"] = statistics.fmean(r[engine]["ned"] for r in records if r["lang"] == lang)
            print(f"bench_ocrmypdf: {lang:8s} {len(group)} pages  " + "  ".join(
                f"{e} {per_lang[lang][e]['ned']:.3f}/{per_lang[lang][e]['s_per_page']:.2f}s per page" for e in ENGINES),
                file=sys.stderr)
        total = {"pages": len(pages)}
        for engine in ENGINES:
            seconds = sum(per_lang[lang][engine]["seconds"] for lang in langs)
            cpu = sum(per_lang[lang][engine]["cpu_seconds"] for lang in langs)
            total[engine] = {"seconds": seconds, "s_per_page": seconds / len(pages), "cpu_seconds": cpu,
                             "ned": statistics.fmean(r[engine]["ned"] for r in records)}
        per_lang["all"] = total
        ratio = total["tesseract"]["s_per_page"] / total["polyocr"]["s_per_page"]
        head = ["lang", "pages"] + [f"{LABELS[e]} NED" for e in ENGINES] + [f"{LABELS[e]} s/page" for e in ENGINES]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for lang, row in per_lang.items():
            cells = [f"**{lang}**" if lang == "all" else lang, str(row["pages"])]
            cells += [f"{row[e]['ned']:.3f}" for e in ENGINES] + [f"{row[e]['s_per_page']:.2f}" for e in ENGINES]
            lines.append("| " + " | ".join(cells) + " |")
        cpu_ratio = total["tesseract"]["cpu_seconds"] / total["polyocr"]["cpu_seconds"]
        print("\n".join(lines))
        print()
        print("CPU seconds per page (ocrmypdf and its children; steadier than wall time on a shared machine): "
              + ", ".join(f"{LABELS[e]} {total[e]['cpu_seconds'] / len(pages):.2f}" for e in ENGINES)
              + f"; CPU ratio {cpu_ratio:.3f}")
        print(f"ratio: {ratio:.3f}")
        return {"ocrmypdf": version, "cpu_ratio": cpu_ratio, "model": args.model or "bundled", "commands": {
            e: " ".join(command(e, "LANG", Path("IN.pdf"), Path("OUT.pdf"), args.model)[1:]) for e in ENGINES},
            "summary": per_lang, "ratio": ratio, "pages": records}
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
