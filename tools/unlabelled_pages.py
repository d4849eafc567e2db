"""Real typeset page images without ground truth, for distillation: data/unlabelled/.

A student backbone is distilled from the bundled model on what the teacher's pipeline sends its
backbone (``tools/distill.py capture``); no labels are needed, so real documents can stand beside the
synthetic pages: typeset PDFs are what users read, and synthetic pages alone leave a gap to them
(docs/benchmarks.md, stop 32). The documents here are other Debian manuals than the benchmark's
(tools/realpages.py, test and dev splits) and than the training text's sources; fetched and typeset
with realpages.py's own machinery (``apt-get download``, ``dpkg-deb -x``, WeasyPrint for HTML-only
translations), rendered at 150 DPI like the benchmark's pages:

    .venv/bin/python tools/unlabelled_pages.py                       # -> data/unlabelled
    .venv/bin/python tools/distill.py capture --images data/unlabelled --out data/distill/real

Korean and Traditional Chinese have no such manual in Debian outside the held-out or benchmark
packages: their students learn on synthetic pages only. Needs what realpages.py needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realpages import (  # noqa: E402
    DPI,
    LANGS,
    ROOT,
    SOURCES,
    RealPagesError,
    Source,
    fetch,
    package_licence,
    page_texts,
    render_page,
    source_pdf,
    spread,
    weasy_css,
    write_manifest,
)

MIN_CHARS = 300
"""A page with fewer non-space characters (a title page, a blank verso) is not taken."""

CSS = {
    "ja": '"Noto Serif CJK JP", "Noto Sans CJK JP", serif',
    "zh_hans": '"Noto Serif CJK SC", "Noto Sans CJK SC", serif',
}
"""The text face of each HTML-only translation (fonts-noto-cjk); headings in the sans face."""


FAQ_CHAPTERS = ("basic-defs", "getting-debian", "choosing", "compatibility", "software", "pkg-basics", "pkgtools",
                "uptodate", "kernel", "customizing", "support", "contributing", "redistributing", "nextrelease")

DOCUMENTS: tuple[Source, ...] = (  # ``pages``: how many to take, evenly spread over those with text
    Source("en", "developers-reference", "12.18", "usr/share/developers-reference/developers-reference.pdf", 16,
           "Debian Developer's Reference"),
    Source("en", "debian-policy", "4.6.2.0", "usr/share/doc/debian-policy/policy.pdf.gz", 16, "Debian Policy Manual"),
    Source("en", "debian-faq", "11.1", "usr/share/doc/debian/FAQ/debian-faq.en.pdf.gz", 12, "The Debian GNU/Linux FAQ"),
    Source("ru", "debian-faq-ru", "11.1", "usr/share/doc/debian/FAQ/debian-faq.ru.pdf.gz", 40, "Debian GNU/Linux FAQ (ru)"),
    Source("ja", "debian-faq-ja", "11.1", "usr/share/doc/debian/FAQ/ja", 40, "Debian GNU/Linux FAQ (ja)",
           html=tuple(f"{c}.ja.html" for c in FAQ_CHAPTERS)),
    Source("zh_hans", "debian-faq-zh-cn", "11.1", "usr/share/doc/debian/FAQ/zh-cn", 40, "Debian GNU/Linux FAQ (zh-cn)",
           html=tuple(f"{c}.zh-cn.html" for c in FAQ_CHAPTERS)),
)


def check_disjoint() -> None:
    """No document of the benchmark's (test and dev splits come from the same packages) is used here."""
    benchmark = {(s.lang, s.package) for s in SOURCES}
    for src in DOCUMENTS:
        if (src.lang, src.package) in benchmark:
            raise RealPagesError(f"{src.package} ({src.lang}) is a benchmark document")


def stylesheet(lang: str) -> str:
    """realpages.py's stylesheet for HTML documents, in ``lang``'s text face."""
    return weasy_css(CSS.get(lang, "serif"), "sans-serif")


def build(out: Path, langs: list[str], pinned: bool) -> dict:
    check_disjoint()
    cache = out / ".cache"
    entries = []
    for src in DOCUMENTS:
        if src.lang not in langs:
            continue
        tree, version = fetch(src.package, src.version if pinned else None, cache)
        licence, _ = package_licence(tree, src.package)
        pdf = source_pdf(src, tree, cache, css=stylesheet(src.lang))
        texts = page_texts(pdf)
        inked = [i + 1 for i, t in enumerate(texts) if sum(not ch.isspace() for ch in t) >= MIN_CHARS]
        chosen = spread(inked, src.pages)
        (out / src.lang).mkdir(parents=True, exist_ok=True)
        for page in chosen:
            name = f"{src.name}-p{page:03d}"
            png = out / src.lang / f"{name}.png"
            if not png.exists():
                render_page(pdf, page, png, cache / "render" / src.lang)
            entries.append({"lang": src.lang, "image": f"{src.lang}/{name}.png", "page": page, "package": src.package,
                            "version": version, "licence": licence, "document": src.title})
        print(f"unlabelled_pages: {src.lang:8s} {src.name:24s} {version:10s} {len(chosen):3d} of {len(texts)} pages")
    manifest = {"built_by": "tools/unlabelled_pages.py", "dpi": DPI, "min_chars": MIN_CHARS, "pages": entries}
    write_manifest(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "unlabelled")
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--unpinned", action="store_true", help="take the package versions apt offers")
    args = parser.parse_args(argv)
    langs = [code for code in args.langs.split(",") if code]
    try:
        manifest = build(args.out, langs, pinned=not args.unpinned)
    except RealPagesError as exc:
        print(f"unlabelled_pages: error: {exc}", file=sys.stderr)
        return 2
    print(f"unlabelled_pages: {len(manifest['pages'])} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    sys.exit(main())
