"""Assemble a held-out set of pages typeset by TeX: data/texpages/ (English and Japanese, a spot check).

Why: the real pages of tools/realpages.py are DocBook manuals typeset by FOP and dblatex-era stylesheets
and web pages typeset by WeasyPrint, in the faces of office documents. Most scientific and technical
PDFs come out of TeX: Computer Modern and its typewriter face, pdfTeX's Type 1 fonts rendered by the
viewer, footnote marks, ligatures, code in boxes. This set takes pages from three Debian documentation
packages set by TeX, none of them a source of the packs' training text:

- r-doc-pdf: the R manuals (Texinfo through pdfTeX, Computer Modern), five of them;
- why3-doc-pdf: the Why3 manual (Sphinx through pdfLaTeX: Times, Helvetica headings, code in frames);
- auto-multiple-choice-doc-pdf: its manual in English and in Japanese (dblatex through XeTeX) and the
  first page of its sample exam (check boxes, a watermark, corner marks).

Pages are chosen as tools/realpages.py chooses them (enough text in the language's script, few table of
contents lines), evenly spread over each document's eligible pages, code allowed up to 60 % of a page;
ground truth and manifest are realpages' (``pdftotext -layout``, whitespace normalised), 150 DPI:

    .venv/bin/python tools/texpages.py                  # -> data/texpages (downloads cached there)
    .venv/bin/python tools/bench_ocr.py --pages data/texpages

The truth keeps what the text layer holds: footnote numbers run into their word (``commands4``), and
where a page sets a table or a code block in columns, the layout of ``pdftotext`` decides the order.

Needs what tools/realpages.py needs (apt-get, dpkg-deb, poppler-utils).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realpages  # noqa: E402  (tools/ is not a package)
from realpages import RealPagesError  # noqa: E402

MAX_MONO = 0.6
"""Code is part of technical documents; pages that are mostly code are left out all the same."""


@dataclass(frozen=True)
class TexDocument:
    name: str
    package: str
    path: str
    lang: str
    pages: int
    """How many pages to take, spread over the eligible ones; 0 with ``fixed``."""
    fixed: tuple[int, ...] = ()
    """Pages taken whatever the selection rule says (a form has too little text for it)."""


DOCUMENTS = (
    TexDocument("R-intro", "r-doc-pdf", "usr/share/R/doc/manual/R-intro.pdf", "en", 2),
    TexDocument("R-lang", "r-doc-pdf", "usr/share/R/doc/manual/R-lang.pdf", "en", 2),
    TexDocument("R-data", "r-doc-pdf", "usr/share/R/doc/manual/R-data.pdf", "en", 2),
    TexDocument("R-admin", "r-doc-pdf", "usr/share/R/doc/manual/R-admin.pdf", "en", 2),
    TexDocument("R-FAQ", "r-doc-pdf", "usr/share/R/doc/manual/R-FAQ.pdf", "en", 2),
    TexDocument("why3", "why3-doc-pdf", "usr/share/doc/why3-doc-pdf/manual.pdf", "en", 3),
    TexDocument("amc-en", "auto-multiple-choice-doc-pdf",
                "usr/share/doc/auto-multiple-choice/auto-multiple-choice.en.pdf", "en", 2),
    TexDocument("amc-exam", "auto-multiple-choice-doc-pdf",
                "usr/share/doc/auto-multiple-choice/latex/sample-amc.pdf", "en", 0, fixed=(1,)),
    TexDocument("amc-ja", "auto-multiple-choice-doc-pdf",
                "usr/share/doc/auto-multiple-choice/auto-multiple-choice.ja.pdf", "ja", 6),
)


def chosen_pages(doc: TexDocument, pdf: Path, raw: list[str]) -> list[int]:
    """The document's pages: its fixed ones, or ``doc.pages`` spread over those the rule finds eligible.
    A page must embed every font it uses (R-intro's figures name Helvetica without it: their rendering
    would depend on the fonts installed here)."""
    if doc.fixed:
        if max(doc.fixed) > len(raw):
            raise RealPagesError(f"{doc.name} has {len(raw)} pages; page {max(doc.fixed)} was wanted")
        for number in doc.fixed:
            if missing := realpages.unembedded_fonts(pdf, number):
                raise RealPagesError(f"{doc.name} page {number} does not embed {', '.join(missing)}")
        return list(doc.fixed)
    xml = realpages.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)], f"read the fonts of {pdf.name}").stdout
    mono = realpages.mono_shares(xml)
    verdicts = [realpages.judge(i + 1, text, 0.0, doc.lang) for i, text in enumerate(raw)]
    eligible = [v.page for v in verdicts
                if v.eligible and mono.get(v.page, 0.0) <= MAX_MONO and not realpages.unembedded_fonts(pdf, v.page)]
    if len(eligible) < doc.pages:
        raise RealPagesError(f"{doc.name} has {len(eligible)} eligible pages, {doc.pages} wanted")
    return realpages.spread(eligible, doc.pages)


def build(out: Path) -> dict:
    cache = out / ".cache"
    poppler = realpages.tool_version(["pdftoppm", "-v"])
    trees: dict[str, tuple[Path, str, str, str]] = {}
    entries = []
    for doc in DOCUMENTS:
        if doc.package not in trees:
            tree, version = realpages.fetch(doc.package, None, cache)
            trees[doc.package] = (tree, version, *realpages.package_licence(tree, doc.package))
        tree, version, licence, copyright_file = trees[doc.package]
        pdf = tree / doc.path
        if not pdf.exists():
            raise RealPagesError(f"{doc.package} {version} has no {doc.path}")
        raw = realpages.page_texts(pdf)
        pages = chosen_pages(doc, pdf, raw)
        (out / doc.lang).mkdir(parents=True, exist_ok=True)
        for number in pages:
            name = f"{doc.name}-p{number:03d}"
            png, txt = realpages.write_page(pdf, number, raw[number - 1], out / doc.lang / name,
                                            cache / "render", realpages.DPI)
            entries.append({
                "lang": doc.lang, "name": name, "image": f"{doc.lang}/{name}.png", "text": f"{doc.lang}/{name}.txt",
                "page": number, "pages_in_document": len(raw), "document": doc.path.rsplit("/", 1)[-1],
                "package": doc.package, "version": version, "licence": licence, "copyright_file": copyright_file,
                "file": doc.path, "typeset": "original PDF (TeX)",
                "rendered_by": f"{poppler} (pdftoppm -r {realpages.DPI} -png)", "ground_truth": realpages.GT_METHOD,
                "sha256": {"image": realpages.sha256(png), "text": realpages.sha256(txt)},
            })
        print(f"texpages: {doc.lang} {doc.name:9s} {len(raw):4d} pages -> pages {', '.join(map(str, pages))}")
    entries.sort(key=lambda e: realpages.LANGS.index(e["lang"]))
    manifest = {"format": realpages.MANIFEST_FORMAT, "version": 1, "built_by": "tools/texpages.py", "split": "tex",
                "dpi": realpages.DPI, "ground_truth": realpages.GT_METHOD, "unspaced": sorted(realpages.UNSPACED),
                "selection_rule": {"min_chars": realpages.MIN_CHARS, "script_share": realpages.SCRIPT_SHARE,
                                   "max_mono_share": MAX_MONO, "max_toc_lines": realpages.MAX_TOC_LINES,
                                   "spread": realpages.SPREAD_RULE["test"]},
                "pages": entries}
    realpages.write_manifest(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    return realpages.page_set_main("texpages", __doc__, build, argv)


if __name__ == "__main__":
    sys.exit(main())
