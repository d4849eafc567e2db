"""Assemble the held-out set of REAL document pages that the OCR benchmarks read: data/realpages/.

What: for each of en, ja, ko, ru, zh_hans and zh_hant, 8 pages of real typeset documentation with a
ground-truth transcription, written as ``data/realpages/<lang>/<name>.png`` (150 DPI) and
``<name>.txt`` (UTF-8), plus ``data/realpages/manifest.json`` naming, per page, the Debian package and
version it comes from, the package's licence, the file inside the package, the page number and how
the ground truth was made.

Where the pages come from (see SOURCES): the PDF manuals that Debian's documentation packages ship
with a text layer (maint-guide*, debmake-doc, debian-history), fetched with ``apt-get download`` and
unpacked with ``dpkg-deb -x`` (nothing is installed). The only Korean PDF in Debian that is not held
out (debian-history) was typeset without spaces between Korean words, so half of the Korean pages
come from the Korean Debian FAQ's HTML (debian-faq-ko), typeset to PDF by WeasyPrint with a fixed
stylesheet and fixed Debian fonts (fonts-nanum, fonts-dejavu-core): the one fallback from real PDFs,
marked ``"typeset": "weasyprint ..."`` in the manifest. None of these is TeX Live documentation or
LibreOffice help (held out for another evaluation), nor a source of the training text (debian-handbook,
installation-guide-*, debian-reference-*, manpages*, fortunes*, gnome-user-docs, gimp-help-*, gettext
catalogs; see tools/build_text_sources.py).

Ground truth: ``pdftotext -layout`` of the page (the PDF's own text layer), whitespace-normalised
(tabs and other spaces become one space, runs of spaces collapse, lines are stripped, empty lines
dropped). Images: ``pdftoppm -r 150 -png`` of the same page.

Which pages (fixed rule, also written to the manifest): a page is eligible when its text layer has
at least MIN_CHARS non-space characters, at least SCRIPT_SHARE of its letters are in the language's
script (ja: kana or kanji with some kana; zh: Han with no kana or Hangul; ko: Hangul; ru: Cyrillic;
en: Latin), at most MAX_MONO of its characters are set in a monospaced font (code listings, read from
``pdftohtml -xml``), and at most MAX_TOC_LINES of its lines end in a page number after dot leaders or
wide spacing (tables of contents). From the n eligible pages of a document, k are taken evenly
spread: eligible[floor((i + 0.5) * n / k)] for i = 0..k-1 (the ``test`` split; ``dev`` spreads its k the
same way over the eligible pages that ``test`` does not take).

Run it from the repository root (network: the Debian mirror only)::

    .venv/bin/python tools/realpages.py                     # all six languages -> data/realpages
    .venv/bin/python tools/realpages.py --langs ko,ja --out /tmp/realpages
    .venv/bin/python tools/realpages.py --check             # verify files against the manifest
    .venv/bin/python tools/realpages.py --split dev         # other pages of the same documents -> data/realpages-dev

Two splits, disjoint by construction: ``test`` (the benchmarks' pages, data/realpages) and ``dev``
(data/realpages-dev): k pages evenly spread over the eligible pages that ``test`` does not take. Pipeline
and model choices are made on ``dev`` (tools/measure_settings.py --pages data/realpages-dev), so that the
benchmark's pages are read, not tuned to: a setting kept because one benchmark page happened to like it
is a setting fitted to that page.

Needs: apt-get and dpkg-deb, poppler-utils (pdftotext, pdftoppm, pdftohtml, pdfinfo), the fonts
fonts-nanum and fonts-dejavu-core and the Python package weasyprint (for the Korean FAQ pages).
Package versions are pinned (the versions in SOURCES); ``--unpinned`` takes whatever apt offers and
records it. Downloads and unpacked trees are cached under ``<out>/.cache``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "ja", "ko", "ru", "zh_hans", "zh_hant")
UNSPACED = frozenset({"ja", "zh_hans", "zh_hant"})  # the packs whose word_unit is "character"
DPI = 150
MANIFEST_FORMAT = "polyocr-realpages"
MANIFEST_VERSION = 1

# the page-selection rule
MIN_CHARS = {"en": 900, "ru": 900, "ko": 500, "ja": 500, "zh_hans": 500, "zh_hant": 500}
SCRIPT_SHARE = 0.6
MAX_MONO = 0.15
MAX_TOC_LINES = 0.3
GT_METHOD = "pdftotext -layout of the page, whitespace-normalised (lines stripped, runs of spaces collapsed, empty lines dropped)"

# the packages no page may come from (held out elsewhere, or read for the training text)
EXCLUDED = re.compile(r"^(texlive-.*|libreoffice-.*|debian-handbook|installation-guide-.*|debian-reference.*|"
                      r"manpages.*|fortunes.*|gnome-user-docs|gimp-help-.*)$")

def weasy_css(text_face: str, heading_face: str) -> str:
    """The fixed stylesheet HTML documents are typeset with (A4, 10.5 pt), in these font faces."""
    return f"""
@page {{ size: A4; margin: 20mm 20mm 22mm 20mm; }}
html, body {{ font-family: {text_face}; font-size: 10.5pt; line-height: 1.5; }}
h1, h2, h3, h4, h5, .title {{ font-family: {heading_face}; }}
pre, code, tt, kbd, .literal, .command, .filename, .screen, .programlisting {{ font-family: "DejaVu Sans Mono", monospace; }}
a {{ color: black; text-decoration: none; }}
.navheader, .navfooter, img {{ display: none; }}
"""


WEASY_CSS = weasy_css('"NanumMyeongjo", serif', '"NanumGothic", sans-serif')


@dataclass(frozen=True)
class Source:
    """One document: a PDF in a Debian package, or HTML chapters typeset with WeasyPrint."""

    lang: str
    package: str
    version: str
    path: str                                # the PDF (maybe .gz) in the package, or the HTML folder
    pages: int                               # how many pages to take
    title: str
    html: tuple[str, ...] = ()               # HTML chapter files (in this order); empty: a PDF
    copyright_pkg: str | None = None         # /usr/share/doc/<this>/copyright (default: package)

    @property
    def name(self) -> str:
        return self.package if not self.html else f"{self.package}-html"


SOURCES: tuple[Source, ...] = (
    Source("en", "maint-guide", "1.2.53", "usr/share/doc/maint-guide/maint-guide.en.pdf", 3,
           "Debian New Maintainers' Guide"),
    Source("en", "debmake-doc", "1.17-7", "usr/share/doc/debmake-doc/debmake-doc.en.pdf", 3,
           "Guide for Debian Maintainers"),
    Source("en", "debian-history", "2.28", "usr/share/doc/debian-history/docs/project-history.en.pdf", 2,
           "A Brief History of Debian"),
    # (debmake-doc's Japanese PDF is left out: most of it is untranslated English, no page passes the rule)
    Source("ja", "maint-guide-ja", "1.2.53", "usr/share/doc/maint-guide-ja/maint-guide.ja.pdf", 4,
           "Debian 新メンテナーガイド"),
    Source("ja", "debian-history", "2.28", "usr/share/doc/debian-history/docs/project-history.ja.pdf", 4,
           "Debian 小史"),
    Source("ko", "debian-history", "2.28", "usr/share/doc/debian-history/docs/project-history.ko.pdf", 4,
           "간단한 데비안 역사"),
    Source("ko", "debian-faq-ko", "11.1", "usr/share/doc/debian/FAQ/ko", 4, "데비안 GNU/리눅스 FAQ",
           html=("basic-defs.ko.html", "getting-debian.ko.html", "choosing.ko.html", "compatibility.ko.html",
                 "software.ko.html", "pkg-basics.ko.html", "uptodate.ko.html", "contributing.ko.html",
                 "redistributing.ko.html", "nextrelease.ko.html")),
    Source("ru", "maint-guide-ru", "1.2.53", "usr/share/doc/maint-guide-ru/maint-guide.ru.pdf", 3,
           "Руководство начинающего разработчика Debian"),
    Source("ru", "debmake-doc", "1.17-7", "usr/share/doc/debmake-doc/debmake-doc.ru.pdf", 3,
           "Руководство для сопровождающих Debian"),
    Source("ru", "debian-history", "2.28", "usr/share/doc/debian-history/docs/project-history.ru.pdf", 2,
           "Краткая история Debian"),
    Source("zh_hans", "maint-guide-zh-cn", "1.2.53", "usr/share/doc/maint-guide-zh-cn/maint-guide.zh-cn.pdf", 2,
           "Debian 新维护者手册"),
    Source("zh_hans", "debmake-doc", "1.17-7", "usr/share/doc/debmake-doc/debmake-doc.zh-cn.pdf", 6,
           "Debian 维护者指南"),
    Source("zh_hant", "maint-guide-zh-tw", "1.2.53", "usr/share/doc/maint-guide-zh-tw/maint-guide.zh-tw.pdf", 2,
           "Debian 新維護人員手冊"),
    Source("zh_hant", "debmake-doc", "1.17-7", "usr/share/doc/debmake-doc/debmake-doc.zh-tw.pdf", 6,
           "Debian 維護者指南"),
)


class RealPagesError(Exception):
    """A problem reported as one line, without a traceback."""


# ------------------------------------------------------------------------------------------------
# pure pieces (tested in tests/tools/test_realpages.py)


def normalize_whitespace(text: str) -> str:
    """Lines stripped, every run of whitespace (tabs, NBSP, ideographic space...) one space, no empty lines."""
    lines = []
    for line in text.replace("\f", "\n").splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def script_of(ch: str) -> str | None:
    """The script of a letter, coarsely: Latn, Cyrl, Hang, Hira, Kana, Hani, or Other; None for a non-letter."""
    if not unicodedata.category(ch).startswith("L") and ch not in "々〆ヶ":
        return None
    cp = ord(ch)
    if cp < 0x250 or 0x1E00 <= cp <= 0x1EFF or 0xFF21 <= cp <= 0xFF5A:
        return "Latn"
    if 0x400 <= cp <= 0x52F or 0x1C80 <= cp <= 0x1C8F or 0x2DE0 <= cp <= 0x2DFF or 0xA640 <= cp <= 0xA69F:
        return "Cyrl"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xA960 <= cp <= 0xA97F \
            or 0xD7B0 <= cp <= 0xD7FF or 0xFFA0 <= cp <= 0xFFDC:
        return "Hang"
    if 0x3040 <= cp <= 0x309F:
        return "Hira"
    if 0x30A0 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9D:
        return "Kana"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF \
            or ch in "々〆":
        return "Hani"
    return "Other"


def script_share(text: str, lang: str) -> float:
    """The share of the page's letters that are in ``lang``'s script (0 when the rule rejects the mix)."""
    counts: dict[str, int] = {}
    for ch in text:
        s = script_of(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    total = sum(counts.values())
    if not total:
        return 0.0
    kana = counts.get("Hira", 0) + counts.get("Kana", 0)
    han = counts.get("Hani", 0)
    if lang == "en":
        own = counts.get("Latn", 0)
    elif lang == "ru":
        own = counts.get("Cyrl", 0)
    elif lang == "ko":
        own = counts.get("Hang", 0)
    elif lang == "ja":
        if kana < 0.1 * (kana + han):   # Japanese prose always has kana; without it this is Chinese
            return 0.0
        own = kana + han
    elif lang in ("zh_hans", "zh_hant"):
        if kana or counts.get("Hang", 0):
            return 0.0
        own = han
    else:
        raise ValueError(f"no script rule for language {lang!r}")
    return own / total


TOC_LINE = re.compile(r"(\.\s*){4,}\s*\d+$|\S\s{3,}\d{1,3}$")


def toc_share(text: str) -> float:
    """The share of lines that end in a page number after dot leaders or wide spacing (raw -layout text)."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    return sum(bool(TOC_LINE.search(ln)) for ln in lines) / len(lines)


MONO_FONT = re.compile(r"mono|courier|typewriter|consol|code|(^|\+)t1xtt|(^|\+)cmtt|(^|\+)lmmono", re.I)


def mono_shares(xml_text: str) -> dict[int, float]:
    """Page number -> share of the page's non-space characters set in a monospaced font (``pdftohtml -xml``)."""
    root = ET.fromstring(xml_text)
    families: dict[str, str] = {}
    out: dict[int, float] = {}
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            families[spec.get("id", "")] = spec.get("family", "")
        mono = total = 0
        for node in page.iter("text"):
            n = sum(1 for ch in "".join(node.itertext()) if not ch.isspace())
            total += n
            if MONO_FONT.search(families.get(node.get("font", ""), "")):
                mono += n
        out[int(page.get("number", "0"))] = mono / total if total else 0.0
    return out


@dataclass
class PageVerdict:
    page: int
    chars: int
    script: float
    mono: float
    toc: float
    eligible: bool = field(init=False)

    def __post_init__(self) -> None:
        self.eligible = False


def judge(page: int, raw_text: str, mono: float, lang: str) -> PageVerdict:
    """Apply the page-selection rule to one page (raw ``pdftotext -layout`` text)."""
    text = normalize_whitespace(raw_text)
    chars = sum(1 for ch in text if not ch.isspace())
    verdict = PageVerdict(page, chars, script_share(text, lang), mono, toc_share(raw_text))
    verdict.eligible = (chars >= MIN_CHARS[lang] and verdict.script >= SCRIPT_SHARE
                        and mono <= MAX_MONO and verdict.toc <= MAX_TOC_LINES)
    return verdict


def spread(items: list, k: int) -> list:
    """k items evenly spread over ``items`` (all of them when there are no more than k)."""
    n = len(items)
    if n <= k:
        return list(items)
    return [items[math.floor((i + 0.5) * n / k)] for i in range(k)]


SPLITS = ("test", "dev")
SPREAD_RULE = {
    "test": "eligible[floor((i + 0.5) * n / k)] for i in 0..k-1 (n eligible pages, k wanted)",
    "dev": "the test split's rule over the eligible pages the test split does not take",
}


def choose(eligible: list, k: int, split: str) -> list:
    """The pages of a document that ``split`` takes: ``test`` k evenly spread over the eligible ones, ``dev``
    k evenly spread over those that ``test`` leaves (never one of test's)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    test = spread(eligible, k)
    if split == "test":
        return test
    taken = {id(item) for item in test}
    return spread([item for item in eligible if id(item) not in taken], k)


def licence_from_copyright(text: str) -> str | None:
    """A licence name from a Debian copyright file: DEP-5 ``Files: *`` licence, else the GPL notice, else None."""
    blocks = re.split(r"\n\s*\n", text)
    for block in blocks:
        if re.search(r"^Files:\s*\*\s*$", block, re.M):
            m = re.search(r"^License:\s*(\S.*)$", block, re.M)
            if m:  # DEP-5's "GPL-2+" spelled as SPDX does
                return re.sub(r"^((?:L|A)?GPL)-(\d)(?:\.0)?\+$", r"\1-\2.0-or-later", m.group(1).strip())
    m = re.search(r"GNU\s+General\s+Public\s+License.{0,200}?version\s+(\d)", text, re.S | re.I)
    if m:
        later = re.search(r"any\s+later\s+version", text, re.I)
        return f"GPL-{m.group(1)}.0-or-later" if later else f"GPL-{m.group(1)}.0-only"
    if re.search(r"Permission is granted to make and distribute verbatim\s+copies", text, re.I):
        return "verbatim-and-modified-copies permission notice (see copyright file)"
    m = re.search(r"^License:\s*(\S.*)$", text, re.M)  # a free-form file that still names its licence
    if m:
        return re.sub(r"^((?:L|A)?GPL)-(\d)(?:\.0)?$", r"\1-\2.0-only", m.group(1).strip())
    return None


def read_manifest(root: Path, langs: list[str] | None = None, limit: int | None = None) -> list[dict]:
    """The manifest's pages (in manifest order), filtered by language, at most ``limit`` per language.

    Each entry gets ``image`` and ``text`` as absolute paths and ``truth`` (the ground-truth text).
    """
    path = root / "manifest.json"
    if not path.exists():
        raise RealPagesError(f"{path} does not exist; build the page set with: .venv/bin/python tools/realpages.py "
                             f"--out {root} (the benchmark's pages; add --split dev for the dev split)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RealPagesError(f"{path} is not valid JSON ({exc}); rebuild it with tools/realpages.py") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise RealPagesError(f"{path} is not a realpages manifest (format {manifest.get('format')!r})")
    present = {p["lang"] for p in manifest["pages"]}
    wanted = list(langs) if langs else [code for code in LANGS if code in present]
    unknown = sorted(set(wanted) - present)
    if unknown:
        raise RealPagesError(f"{path} has no pages for: {', '.join(unknown)}")
    taken: dict[str, int] = {}
    out = []
    for entry in manifest["pages"]:
        lang = entry["lang"]
        if lang not in wanted or (limit is not None and taken.get(lang, 0) >= limit):
            continue
        image, text = root / entry["image"], root / entry["text"]
        for f in (image, text):
            if not f.exists():
                raise RealPagesError(f"{f} is missing; rebuild the page set with tools/realpages.py")
        taken[lang] = taken.get(lang, 0) + 1
        out.append({**entry, "image": str(image), "text": str(text), "truth": text.read_text(encoding="utf-8")})
    out.sort(key=lambda e: wanted.index(e["lang"]))
    return out


# ------------------------------------------------------------------------------------------------
# fetching and typesetting


def run(cmd: list[str], what: str, cwd: Path | None = None, text: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=text, check=False)
    except FileNotFoundError:
        raise RealPagesError(f"{cmd[0]} not found (needed to {what}); install it: apt-get install -y "
                             f"{'poppler-utils' if cmd[0].startswith('pdf') else cmd[0]}") from None
    if proc.returncode != 0:
        err = proc.stderr if text else proc.stderr.decode("utf-8", "replace")
        last = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("W:")]
        raise RealPagesError(f"cannot {what}: {' '.join(cmd)} failed ({last[-1] if last else f'exit {proc.returncode}'})")
    return proc


def fetch(package: str, version: str | None, cache: Path) -> tuple[Path, str]:
    """The unpacked tree of ``package`` (``apt-get download`` + ``dpkg-deb -x``) and its version."""
    if EXCLUDED.match(package):
        raise RealPagesError(f"{package} is held out or a training source; it must not be used for the page set")
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    found = sorted(debs.glob(f"{package}_*.deb"))
    if version:
        quoted = version.replace(":", "%3a")
        found = [d for d in found if d.name.startswith(f"{package}_{quoted}_")]
    if not found:
        spec = f"{package}={version}" if version else package
        try:
            proc = subprocess.run(["apt-get", "download", spec], cwd=debs, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise RealPagesError("apt-get not found: the page set is fetched from Debian's archive (run on Debian)") from None
        if proc.returncode != 0:
            last = [ln for ln in proc.stderr.splitlines() if ln.startswith("E:")] or proc.stderr.splitlines() or ["?"]
            hint = " (or --unpinned to take the version apt offers)" if version else ""
            raise RealPagesError(f"cannot fetch {spec} with apt-get download: {last[-1].removeprefix('E: ')}; "
                                 f"run apt-get update and try again{hint}")
        found = sorted(debs.glob(f"{package}_*.deb"))
        if version:
            found = [d for d in found if d.name.startswith(f"{package}_{version.replace(':', '%3a')}_")]
        if not found:
            raise RealPagesError(f"apt-get download {spec} left no {package}_*.deb in {debs}")
    deb = found[-1]
    got = run(["dpkg-deb", "-f", str(deb), "Version"], f"read the version of {deb.name}").stdout.strip()
    tree = cache / "trees" / f"{package}_{got}"
    if not (tree / ".complete").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        run(["dpkg-deb", "-x", str(deb), str(tree)], f"unpack {deb.name}")
        (tree / ".complete").write_text("")
    return tree, got


def package_licence(tree: Path, package: str) -> tuple[str, str]:
    """(licence, the copyright file it was read from, relative to the package root)."""
    rel = f"usr/share/doc/{package}/copyright"
    path = tree / rel
    if not path.exists():
        raise RealPagesError(f"{package} ships no {rel}; its licence cannot be recorded")
    licence = licence_from_copyright(path.read_text(encoding="utf-8", errors="replace"))
    if not licence:
        raise RealPagesError(f"no licence found in {package}'s {rel}; add a rule to licence_from_copyright")
    return licence, rel


def source_pdf(src: Source, tree: Path, cache: Path, css: str = WEASY_CSS) -> Path:
    """The PDF to take pages from: the package's own (gunzipped), or its HTML typeset by WeasyPrint with
    the stylesheet ``css``."""
    path = tree / src.path
    if not src.html:
        if src.path.endswith(".gz"):
            out = cache / "pdf" / f"{tree.name}-{Path(src.path).stem}"
            if not out.exists():
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(gzip.decompress(path.read_bytes()))
            return out
        if not path.exists():
            raise RealPagesError(f"{src.package} has no {src.path}")
        return path
    out = cache / "pdf" / f"{tree.name}-html.pdf"
    if out.exists():
        return out
    try:
        import logging

        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError:
        raise RealPagesError("HTML documents need WeasyPrint 70.0: .venv/bin/pip install -e \".[bench]\"") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    style = weasyprint.CSS(string=css)
    no_fetch = URLFetcher(allowed_protocols=set())   # nothing outside the HTML itself: no author CSS, no images
    docs = []
    for chapter in src.html:
        if not (path / chapter).exists():
            raise RealPagesError(f"{src.package} has no {src.path}/{chapter}")
        docs.append(weasyprint.HTML(filename=str(path / chapter), url_fetcher=no_fetch).render(stylesheets=[style]))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    docs[0].copy([p for d in docs for p in d.pages]).write_pdf(tmp)
    tmp.replace(out)
    return out


def render_page(pdf: Path, page: int, png: Path, scratch: Path, dpi: int = DPI) -> None:
    """Page ``page`` of ``pdf`` at ``dpi`` as ``png``, rendered in ``scratch`` first and moved in whole."""
    prefix = scratch / png.stem
    prefix.parent.mkdir(parents=True, exist_ok=True)
    run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        f"render page {page} of {pdf.name}")
    Path(f"{prefix}.png").replace(png)


def write_page(pdf: Path, page: int, raw_text: str, stem: Path, scratch: Path, dpi: int = DPI) -> tuple[Path, Path]:
    """A page's image (``stem``.png, at ``dpi``) and ground truth (``stem``.txt: ``raw_text`` normalised)."""
    png, txt = stem.parent / f"{stem.name}.png", stem.parent / f"{stem.name}.txt"
    render_page(pdf, page, png, scratch, dpi)
    txt.write_text(normalize_whitespace(raw_text) + "\n", encoding="utf-8")
    return png, txt


def unembedded_fonts(pdf: Path, page: int | None = None) -> list[str]:
    """The fonts ``pdf`` (or one page of it) uses without embedding them (``pdffonts``' "emb" column)."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    out = run(["pdffonts", *pages, str(pdf)], f"list the fonts of {pdf.name}").stdout.splitlines()[2:]
    return [ln.split()[0] for ln in out if len(ln.split()) >= 5 and ln.split()[-5] == "no"]


def check_fonts_embedded(pdf: Path) -> None:
    missing = unembedded_fonts(pdf)
    if missing:
        raise RealPagesError(f"{pdf.name} does not embed {', '.join(missing)}: its rendering would depend on local fonts")


def page_texts(pdf: Path) -> list[str]:
    """Raw ``pdftotext -layout`` text of every page (index 0 = page 1)."""
    text = run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], f"extract the text of {pdf.name}").stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def tool_version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return "missing"
    return (proc.stdout + proc.stderr).splitlines()[0].strip() if (proc.stdout + proc.stderr).strip() else "?"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(out: Path, langs: list[str], pinned: bool, explain: bool = False, split: str = "test",
          cache: Path | None = None) -> dict:
    """Write ``split``'s pages of ``langs`` under ``out`` (downloads and renders cached under ``cache``,
    by default ``out/.cache``)."""
    cache = cache or out / ".cache"
    entries: list[dict] = []
    poppler = tool_version(["pdftoppm", "-v"])
    for src in SOURCES:
        if src.lang not in langs:
            continue
        tree, version = fetch(src.package, src.version if pinned else None, cache)
        licence, copyright_file = package_licence(tree, src.copyright_pkg or src.package)
        pdf = source_pdf(src, tree, cache)
        typeset = "original PDF"
        if src.html:
            import weasyprint

            typeset = f"weasyprint {weasyprint.__version__} (from HTML, stylesheet WEASY_CSS)"
        check_fonts_embedded(pdf)
        raw = page_texts(pdf)
        xml = run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)], f"read the fonts of {pdf.name}").stdout
        mono = mono_shares(xml)
        verdicts = [judge(i + 1, t, mono.get(i + 1, 0.0), src.lang) for i, t in enumerate(raw)]
        eligible = [v for v in verdicts if v.eligible]
        if explain:
            for v in verdicts:
                print(f"  {src.lang} {src.name} p{v.page:03d}: chars {v.chars:5d} script {v.script:.2f} "
                      f"mono {v.mono:.2f} toc {v.toc:.2f} {'eligible' if v.eligible else '-'}")
        chosen = choose(eligible, src.pages, split)
        if len(chosen) < src.pages:
            left = "" if split == "test" else " that the test split leaves"
            print(f"realpages: warning: {src.name} ({src.lang}) has only {len(chosen)} eligible pages{left}, "
                  f"{src.pages} wanted", file=sys.stderr)
        lang_dir = out / src.lang
        lang_dir.mkdir(parents=True, exist_ok=True)
        for rank, v in enumerate(chosen):
            name = f"{src.name}-p{v.page:03d}"
            png, txt = write_page(pdf, v.page, raw[v.page - 1], lang_dir / name, cache / "render" / src.lang)
            entries.append({
                "_key": (LANGS.index(src.lang), rank, SOURCES.index(src)),
                "lang": src.lang,
                "name": name,
                "image": f"{src.lang}/{name}.png",
                "text": f"{src.lang}/{name}.txt",
                "page": v.page,
                "pages_in_document": len(raw),
                "document": src.title,
                "package": src.package,
                "version": version,
                "licence": licence,
                "copyright_file": copyright_file,
                "file": src.path if not src.html else [f"{src.path}/{c}" for c in src.html],
                "typeset": typeset,
                "rendered_by": f"{poppler} (pdftoppm -r {DPI} -png)",
                "ground_truth": GT_METHOD,
                "selection": {"chars": v.chars, "script_share": round(v.script, 3), "mono_share": round(v.mono, 3),
                              "toc_share": round(v.toc, 3), "eligible_pages": len(eligible)},
                "sha256": {"image": sha256(png), "text": sha256(txt)},
            })
        print(f"realpages: {src.lang:8s} {src.name:20s} {version:10s} {licence:20.20s} "
              f"{len(eligible):3d}/{len(raw):3d} eligible -> pages {', '.join(str(v.page) for v in chosen)}")
    # drop files of earlier runs that the new selection does not name (of the languages rebuilt)
    keep = {e["image"] for e in entries} | {e["text"] for e in entries}
    for lang in langs:
        for f in sorted((out / lang).glob("*")) if (out / lang).exists() else []:
            if f.suffix in (".png", ".txt") and f"{lang}/{f.name}" not in keep:
                f.unlink()
    manifest_path = out / "manifest.json"
    old = []
    if manifest_path.exists():
        try:
            old = [e for e in json.loads(manifest_path.read_text(encoding="utf-8")).get("pages", []) if e["lang"] not in langs]
        except (json.JSONDecodeError, KeyError, TypeError):
            old = []
    # a language's pages alternate between its documents, so that --limit N of the benchmarks takes a mix
    entries.sort(key=lambda e: e.pop("_key"))
    pages = sorted(old + entries, key=lambda e: LANGS.index(e["lang"]))   # stable: old keep their order
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "built_by": "tools/realpages.py",
        "split": split,
        "dpi": DPI,
        "selection_rule": {
            "min_chars": MIN_CHARS, "script_share": SCRIPT_SHARE, "max_mono_share": MAX_MONO,
            "max_toc_lines": MAX_TOC_LINES,
            "spread": SPREAD_RULE[split],
        },
        "ground_truth": GT_METHOD,
        "unspaced": sorted(UNSPACED),
        "pages": pages,
    }
    write_manifest(manifest_path, manifest)
    return manifest


def write_manifest(path: Path, manifest: dict) -> None:
    """``manifest`` as JSON at ``path``, written whole or not at all (a temporary file, then renamed)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def page_set_main(name: str, doc: str, build: Callable[[Path], dict], argv: list[str] | None = None) -> int:
    """The command line of a page-set tool that takes no options but where to write (``--out``, default
    data/``name``) and ``--check``: builds the set with ``build(out)``, or checks its files against the
    manifest; a one-line error and exit status 1 on a :class:`RealPagesError`."""
    parser = argparse.ArgumentParser(prog=f"{name}.py", description=doc.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / name)
    parser.add_argument("--check", action="store_true", help="verify the files against the manifest and stop")
    args = parser.parse_args(argv)
    try:
        if args.check:
            return check(args.out)
        manifest = build(args.out)
    except RealPagesError as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 1
    print(f"{name}: {len(manifest['pages'])} pages -> {args.out}")
    return 0


def check(out: Path) -> int:
    """Every file the manifest names exists with its recorded hash (exit 1 if not)."""
    entries = read_manifest(out)
    bad = 0
    for e in entries:
        for kind in ("image", "text"):
            if sha256(Path(e[kind])) != e["sha256"][kind]:
                print(f"realpages: {e[kind]}: differs from the manifest", file=sys.stderr)
                bad += 1
    counts = {lang: sum(e["lang"] == lang for e in entries) for lang in LANGS}
    print("realpages: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + (" pages, all match" if not bad else ""))
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=SPLITS, default="test",
                        help="test: the benchmarks' pages; dev: other pages of the same documents, for choosing settings")
    parser.add_argument("--out", type=Path, help="output folder (default data/realpages, or data/realpages-dev for --split dev)")
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated languages (default: all six)")
    parser.add_argument("--unpinned", action="store_true", help="take the package versions apt offers, not SOURCES'")
    parser.add_argument("--check", action="store_true", help="verify the files against the manifest's hashes")
    parser.add_argument("--explain", action="store_true", help="print the selection rule's verdict on every page")
    args = parser.parse_args(argv)
    langs = [code.strip() for code in args.langs.split(",") if code.strip()]
    unknown = [code for code in langs if code not in LANGS]
    if unknown:
        print(f"realpages: error: unknown language(s) {', '.join(unknown)}; known: {', '.join(LANGS)}", file=sys.stderr)
        return 2
    default = ROOT / "data" / "realpages"
    out = args.out or (default if args.split == "test" else default.with_name("realpages-dev"))
    try:
        if args.check:
            return check(out)
        # the splits share one download cache: the same packages, pages rendered under their own names
        manifest = build(out, langs, pinned=not args.unpinned, explain=args.explain, split=args.split,
                         cache=default / ".cache" if args.out is None else None)
    except RealPagesError as exc:
        print(f"realpages: error: {exc}", file=sys.stderr)
        return 2
    n = sum(e["lang"] in langs for e in manifest["pages"])
    print(f"realpages: {n} pages -> {out}/manifest.json")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    sys.exit(main())
