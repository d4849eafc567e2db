"""Assemble a second held-out page set, out of the real pages' domain and typeset as web pages: data/webpages/.

Why: every real page the benchmarks read comes from Debian's manuals (tools/realpages.py), the domain of the
packs' text sources (the lexicon's corrections count runs in them), typeset for print and rendered at 150 DPI.
Users also send screenshots of web pages, about other things. This set changes both at once: the **Vim and
Emacs tutorials** (vimtutor and Emacs's TUTORIAL, in all six languages; editors, not packaging, and no
training source reads them), each laid out as a web page — screen-sized pages 1,024 CSS px wide, a coloured
title bar, 16-px sans-serif body text, headings in colour, commands in monospace on grey — by WeasyPrint, and
rendered at 96 DPI: one CSS pixel one image pixel, as a browser's screenshot shows it.

The tutorials are plain text laid out for an 80-column terminal. A paragraph (lines between blank lines) is
reflowed as a browser would flow it (its lines joined: with a space for spaced languages, directly for
Japanese and Chinese); a paragraph that is laid out in columns (a run of 3 spaces or a tab inside a line:
keyboard diagrams, tables of commands) stays as it is, in a ``<pre>`` block; a short line of its own that
ends in no punctuation is a heading. The terminal's rules (lines of ``=``, ``~``, ``-``) are dropped.

Ground truth, selection and manifest are realpages.py's (``pdftotext -layout`` of the page, whitespace
normalised; the page must hold MIN_CHARS characters, mostly of its language's script; k pages evenly
spread), so every tool that reads data/realpages reads this set too (``--pages data/webpages``). The
monospace rule is not applied: commands are what these pages are about.

    .venv/bin/python tools/webpages.py                  # -> data/webpages (downloads cached in data/webpages/.cache)
    .venv/bin/python tools/webpages.py --check          # every file against the manifest's SHA-256
    .venv/bin/python tools/bench_ocr.py --pages data/webpages

Needs what tools/realpages.py needs (apt-get, dpkg-deb, poppler-utils, WeasyPrint 70.0: ``pip install -e
".[bench]"``) and the fonts fonts-noto-cjk and fonts-dejavu-core.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realpages  # noqa: E402  (tools/ is not a package)
from realpages import LANGS, UNSPACED, RealPagesError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DPI = 96
PAGES_PER_DOCUMENT = 4
PAGE_CSS_SIZE = "1024px 1366px"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Tutorial:
    lang: str
    package: str
    version: str
    path: str          # the text file inside the package
    encoding: str
    title: str

    @property
    def name(self) -> str:
        return "vimtutor" if self.package == "vim-runtime" else "emacs-tutorial"


VIM, VIM_VERSION = "vim-runtime", "2:9.0.1378-2+deb12u2"
EMACS, EMACS_VERSION = "emacs-common", "1:28.2+1-15+deb12u4"
_TUTOR = "usr/share/vim/vim90/tutor/tutor"
_TUTORIAL = "usr/share/emacs/28.2/etc/tutorials/TUTORIAL"
TUTORIALS: tuple[Tutorial, ...] = (
    Tutorial("en", VIM, VIM_VERSION, _TUTOR, "utf-8", "Vim Tutor"),
    Tutorial("en", EMACS, EMACS_VERSION, _TUTORIAL, "utf-8", "Emacs Tutorial"),
    Tutorial("ja", VIM, VIM_VERSION, f"{_TUTOR}.ja.utf-8", "utf-8", "Vim チュートリアル"),
    Tutorial("ja", EMACS, EMACS_VERSION, f"{_TUTORIAL}.ja", "iso2022_jp", "Emacs 入門ガイド"),
    Tutorial("ko", VIM, VIM_VERSION, f"{_TUTOR}.ko.utf-8", "utf-8", "VIM 길잡이"),
    Tutorial("ko", EMACS, EMACS_VERSION, f"{_TUTORIAL}.ko", "utf-8", "Emacs 길잡이"),
    Tutorial("ru", VIM, VIM_VERSION, f"{_TUTOR}.ru.utf-8", "utf-8", "Учебник по Vim"),
    Tutorial("ru", EMACS, EMACS_VERSION, f"{_TUTORIAL}.ru", "utf-8", "Учебник Emacs"),
    Tutorial("zh_hans", VIM, VIM_VERSION, f"{_TUTOR}.zh_cn.utf-8", "utf-8", "VIM 教程"),
    Tutorial("zh_hans", EMACS, EMACS_VERSION, f"{_TUTORIAL}.cn", "utf-8", "Emacs 快速指南"),
    Tutorial("zh_hant", VIM, VIM_VERSION, f"{_TUTOR}.zh_tw.utf-8", "utf-8", "VIM 教學"),
    Tutorial("zh_hant", EMACS, EMACS_VERSION, f"{_TUTORIAL}.zh", "utf-8", "Emacs 快速指南"),
)

FACES = {  # a web page's usual sans-serif for the language (all Debian fonts the packs also train on)
    "en": '"DejaVu Sans", sans-serif', "ru": '"DejaVu Sans", sans-serif',
    "ja": '"Noto Sans CJK JP", sans-serif', "ko": '"Noto Sans CJK KR", sans-serif',
    "zh_hans": '"Noto Sans CJK SC", sans-serif', "zh_hant": '"Noto Sans CJK TC", sans-serif',
}


def web_css(face: str) -> str:
    """The stylesheet of a screen page: what a plain documentation site looks like in a browser."""
    return f"""
@page {{ size: {PAGE_CSS_SIZE}; margin: 0; }}
html, body {{ margin: 0; font-family: {face}; font-size: 16px; line-height: 1.5; color: #222; }}
header {{ background: #2b5797; color: white; padding: 14px 48px; font-size: 22px; font-weight: bold; }}
main {{ padding: 8px 48px 24px 48px; }}
h2 {{ color: #2b5797; font-size: 20px; margin: 20px 0 8px 0; }}
p {{ margin: 0 0 12px 0; }}
pre {{ font-family: "DejaVu Sans Mono", monospace; font-size: 14px; background: #f2f2f2;
       border: 1px solid #ddd; padding: 6px 10px; margin: 0 0 12px 0; white-space: pre-wrap; }}
"""


RULE = re.compile(r"^\s*([=~\-*])\1{9,}\s*$")
COLUMNS = re.compile(r"\S(?: {3,}|\t)[ \t]*\S")
HEADING = re.compile(r"[.,;:!?。、，；：！？）)」』\]]$")
MODE_LINE = re.compile(r"-\*-.*-\*-")


def tutorial_html(text: str, title: str, lang: str) -> str:
    """A tutorial's plain text as an HTML page (see the module docstring for the rules)."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = ["" if RULE.match(ln) or MODE_LINE.search(ln) else ln for ln in lines]
    joiner = "" if lang in UNSPACED else " "
    body: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if not paragraph:
            return
        if any(COLUMNS.search(ln.strip()) for ln in paragraph):
            rows = [ln.expandtabs(8) for ln in paragraph]
            indent = min(len(ln) - len(ln.lstrip()) for ln in rows)
            block = "\n".join(ln[indent:] for ln in rows)
            body.append(f"<pre>{html.escape(block)}</pre>")
        elif len(paragraph) == 1 and len(paragraph[0].strip()) <= 48 and not HEADING.search(paragraph[0].strip()):
            body.append(f"<h2>{html.escape(' '.join(paragraph[0].split()))}</h2>")
        else:
            words = joiner.join(" ".join(ln.split()) for ln in paragraph)
            body.append(f"<p>{html.escape(words)}</p>")
        paragraph.clear()

    for ln in lines:
        if ln.strip():
            paragraph.append(ln)
        else:
            flush()
    flush()
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><header>{html.escape(title)}</header><main>{''.join(body)}</main></body></html>")


def typeset(tut: Tutorial, tree: Path, cache: Path) -> Path:
    """The tutorial as a PDF of screen pages (cached)."""
    out = cache / "pdf" / f"{tut.name}-{tut.lang}.pdf"
    if out.exists():
        return out
    src = tree / tut.path
    if not src.exists():
        raise RealPagesError(f"{tut.package} has no {tut.path}")
    try:
        import logging

        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError:
        raise RealPagesError("web pages need WeasyPrint 70.0: .venv/bin/pip install -e \".[bench]\"") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    page = tutorial_html(src.read_bytes().decode(tut.encoding), tut.title, tut.lang)
    doc = weasyprint.HTML(string=page, url_fetcher=URLFetcher(allowed_protocols=set())).render(
        stylesheets=[weasyprint.CSS(string=web_css(FACES[tut.lang]))])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    doc.write_pdf(tmp)
    tmp.replace(out)
    return out


def build(out: Path, langs: list[str]) -> dict:
    cache = out / ".cache"
    entries: list[dict] = []
    import weasyprint

    poppler = realpages.tool_version(["pdftoppm", "-v"])
    for tut in TUTORIALS:
        if tut.lang not in langs:
            continue
        tree, version = realpages.fetch(tut.package, tut.version, cache)
        licence, copyright_file = realpages.package_licence(tree, tut.package)
        pdf = typeset(tut, tree, cache)
        realpages.check_fonts_embedded(pdf)
        raw = realpages.page_texts(pdf)
        verdicts = [realpages.judge(i + 1, t, 0.0, tut.lang) for i, t in enumerate(raw)]
        eligible = [v for v in verdicts if v.eligible]
        chosen = realpages.spread(eligible, PAGES_PER_DOCUMENT)
        if len(chosen) < PAGES_PER_DOCUMENT:
            print(f"webpages: warning: {tut.name} ({tut.lang}) has only {len(chosen)} eligible pages", file=sys.stderr)
        lang_dir = out / tut.lang
        lang_dir.mkdir(parents=True, exist_ok=True)
        for rank, v in enumerate(chosen):
            name = f"{tut.name}-p{v.page:03d}"
            png, txt = realpages.write_page(pdf, v.page, raw[v.page - 1], lang_dir / name, cache / "render" / tut.lang,
                                            DPI)
            entries.append({
                "_key": (LANGS.index(tut.lang), rank, TUTORIALS.index(tut)),
                "lang": tut.lang, "name": name, "image": f"{tut.lang}/{name}.png", "text": f"{tut.lang}/{name}.txt",
                "page": v.page, "pages_in_document": len(raw), "document": tut.title, "package": tut.package,
                "version": version, "licence": licence, "copyright_file": copyright_file, "file": tut.path,
                "typeset": f"weasyprint {weasyprint.__version__} (plain text laid out as a web page, web_css)",
                "rendered_by": f"{poppler} (pdftoppm -r {DPI} -png)",
                "ground_truth": realpages.GT_METHOD,
                "selection": {"chars": v.chars, "script_share": round(v.script, 3), "eligible_pages": len(eligible)},
                "sha256": {"image": realpages.sha256(png), "text": realpages.sha256(txt)},
            })
        print(f"webpages: {tut.lang:8s} {tut.name:15s} {version:22s} {licence:18.18s} "
              f"{len(eligible):3d}/{len(raw):3d} eligible -> pages {', '.join(str(v.page) for v in chosen)}")
    entries.sort(key=lambda e: e.pop("_key"))
    keep = {e["image"] for e in entries} | {e["text"] for e in entries}
    for lang in langs:
        for f in sorted((out / lang).glob("*")) if (out / lang).exists() else []:
            if f.suffix in (".png", ".txt") and f"{lang}/{f.name}" not in keep:
                f.unlink()
    manifest = {
        "format": realpages.MANIFEST_FORMAT, "version": MANIFEST_VERSION, "built_by": "tools/webpages.py",
        "split": "web", "dpi": DPI,
        "selection_rule": {"min_chars": realpages.MIN_CHARS, "script_share": realpages.SCRIPT_SHARE,
                           "spread": realpages.SPREAD_RULE["test"]},
        "ground_truth": realpages.GT_METHOD, "unspaced": sorted(UNSPACED), "pages": entries,
    }
    realpages.write_manifest(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "webpages")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated (default: all six)")
    parser.add_argument("--check", action="store_true", help="verify the files against the manifest and stop")
    args = parser.parse_args(argv)
    try:
        if args.check:
            return realpages.check(args.out)
        langs = [code.strip() for code in args.langs.split(",") if code.strip()]
        unknown = sorted(set(langs) - set(LANGS))
        if unknown:
            raise RealPagesError(f"unknown language(s) {', '.join(unknown)}; known: {', '.join(LANGS)}")
        manifest = build(args.out, langs)
    except RealPagesError as exc:
        print(f"webpages: error: {exc}", file=sys.stderr)
        return 1
    print(f"webpages: {len(manifest['pages'])} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
