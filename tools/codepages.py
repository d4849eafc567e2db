"""Assemble a held-out set of code documentation web pages: data/codepages/ (English, a spot check).

Why: the web pages of tools/webpages.py are tutorials laid out by us. Real documentation sites set their
own styles, and code documentation has what prose has not: inline code in another face, code blocks on
tinted ground inside pale borders, interpreter prompts (``>>>``, ``...``), identifiers with doubled
underscores (``__init__``). This set takes four pages of the Python 3.11 documentation as Debian ships
it (python3.11-doc, its own HTML and CSS; Python Software Foundation License, none of it in the packs'
sources), typesets each with WeasyPrint 1,024 CSS px wide and renders pages 1 and 5 at 96 DPI, one
CSS pixel one image pixel, as a screenshot shows it. Ground truth and manifest are tools/realpages.py's
(``pdftotext -layout`` of the page, whitespace normalised), so tools/bench_ocr.py reads it:

    .venv/bin/python tools/codepages.py                  # -> data/codepages (downloads cached there)
    .venv/bin/python tools/bench_ocr.py --pages data/codepages --langs en

Its truth is pdftotext's: WeasyPrint hyphenates with U+2010 (``op‐``), quotes are typographic, and a
table's cells are read across its rows: an engine reading a table column by column, as the page's
HTML orders it, loses there.

Needs what tools/realpages.py needs (apt-get, dpkg-deb, poppler-utils, WeasyPrint: ``pip install -e
".[bench]"``).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realpages  # noqa: E402  (tools/ is not a package)
from realpages import RealPagesError  # noqa: E402

PACKAGE, VERSION = "python3.11-doc", None
DOCS = "usr/share/doc/python3.11/html"
PAGES = ("tutorial/controlflow", "library/functions", "library/datetime", "howto/logging")
PAGE_NUMBERS = (1, 5)
DPI = 96
SCREEN = "@page { size: 1024px 1400px; margin: 0 } body { font-size: 16px }"


def typeset(tree: Path, page: str, cache: Path) -> Path:
    """The documentation page as a PDF of screen-sized pages (cached), with its own stylesheets."""
    out = cache / "pdf" / f"{page.replace('/', '_')}.pdf"
    if out.exists():
        return out
    src = tree / DOCS / f"{page}.html"
    if not src.exists():
        raise RealPagesError(f"{PACKAGE} has no {DOCS}/{page}.html")
    try:
        import weasyprint
    except ImportError:
        raise RealPagesError("code pages need WeasyPrint: .venv/bin/pip install -e \".[bench]\"") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    weasyprint.HTML(filename=str(src)).write_pdf(tmp, stylesheets=[weasyprint.CSS(string=SCREEN)])
    tmp.replace(out)
    return out


def build(out: Path) -> dict:
    cache = out / ".cache"
    tree, version = realpages.fetch(PACKAGE, VERSION, cache)
    licence, copyright_file = realpages.package_licence(tree, PACKAGE)
    import weasyprint

    poppler = realpages.tool_version(["pdftoppm", "-v"])
    (out / "en").mkdir(parents=True, exist_ok=True)
    entries = []
    for page in PAGES:
        pdf = typeset(tree, page, cache)
        raw = realpages.page_texts(pdf)
        for number in PAGE_NUMBERS:
            if number > len(raw):
                raise RealPagesError(f"{page} has {len(raw)} pages; page {number} was wanted")
            name = f"{page.replace('/', '_')}-p{number:03d}"
            png, txt = realpages.write_page(pdf, number, raw[number - 1], out / "en" / name, cache / "render", DPI)
            entries.append({
                "lang": "en", "name": name, "image": f"en/{name}.png", "text": f"en/{name}.txt", "page": number,
                "pages_in_document": len(raw), "document": f"Python 3.11 documentation, {page}.html",
                "package": PACKAGE, "version": version, "licence": licence, "copyright_file": copyright_file,
                "file": f"{DOCS}/{page}.html",
                "typeset": f"weasyprint {weasyprint.__version__} (the page's own CSS, 1024 x 1400 px pages)",
                "rendered_by": f"{poppler} (pdftoppm -r {DPI} -png)", "ground_truth": realpages.GT_METHOD,
                "sha256": {"image": realpages.sha256(png), "text": realpages.sha256(txt)},
            })
        print(f"codepages: {page:22s} {len(raw):3d} pages -> pages {', '.join(map(str, PAGE_NUMBERS))}")
    manifest = {"format": realpages.MANIFEST_FORMAT, "version": 1, "built_by": "tools/codepages.py", "split": "code",
                "dpi": DPI, "ground_truth": realpages.GT_METHOD, "unspaced": sorted(realpages.UNSPACED),
                "pages": entries}
    realpages.write_manifest(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    return realpages.page_set_main("codepages", __doc__, build, argv)


if __name__ == "__main__":
    sys.exit(main())
