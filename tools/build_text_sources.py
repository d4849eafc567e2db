"""Rebuild the source-text corpora of the six bundled language packs from offline Debian packages.

What: for each language pack (en, ja, ko, ru, zh_hans, zh_hant) this writes
``languages/<code>/polyocr_lang_<code>/data/text/<source>.txt.xz`` (xz-compressed UTF-8, one text
sample per line) and ``sources.json``, a manifest naming every source with its kind
(prose / ui / verse / words), line count, Debian package provenance, licence and upstream URL.

Why: the synthetic-line renderer needs real, human-written text in each script, so that word
shapes, punctuation habits and character frequencies look like what an OCR model meets in the
wild. Everything comes from documentation and translations that Debian ships, so the corpora can
be rebuilt offline and audited: every line traces back to a named package version. TeX Live
documentation and LibreOffice help are deliberately never read (they are held out for
evaluation), and no text is generated.

Cleaning: markup is stripped (HTML tags and entities, roff requests and escapes via groff);
code/screen/pre/programlisting blocks, tables, roff no-fill/table blocks and synopsis sections are
skipped; samples holding URLs, e-mail addresses, option lists or code-like symbol runs are
dropped. Text is NFC-normalised (full-width forms are kept), whitespace is collapsed, paragraphs
are split at sentence ends into samples of 8-160 characters, and a sample is kept only if it is
written in the language's script (fontTools.unicodedata.script over its letters), fits the
pack's ``data/charset.txt`` (>= 97 % of its non-space characters) and has not been seen before in
any earlier source of the same language (sources are processed in a fixed order).

Run it from the repository root::

    python tools/build_text_sources.py                    # rebuild all six languages
    python tools/build_text_sources.py --lang ja --lang ko
    python tools/build_text_sources.py --check            # verify shipped files, exit 1 if not

Debian packages it reads (``apt-get install -y --no-install-recommends ...``): debian-handbook,
installation-guide-amd64, debian-reference-en, debian-reference-ja, debian-reference-zh-cn,
debian-reference-zh-tw, manpages, manpages-ja, manpages-ru, manpages-zh, fortunes-ru, fortunes-zh,
gnome-user-docs, gimp-help-ko, groff-base (renders the man pages), and the fixed list
GETTEXT_PACKAGES below whose /usr/share/locale catalogs are read (GNOME/GTK data packages such as
evolution-common, gimp-data, vlc-l10n; most of the rest are in a base system). A missing package
stops the build with the apt-get command to run (exit status 2). Python packages: fonttools,
wordfreq and opencc (for the Traditional-Chinese word list, and the converted fallback sources
that are only used when native Traditional text gives fewer than 20,000 lines). Output is
deterministic for the same installed package versions: fixed file order, fixed xz preset, no
timestamps.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import html.parser
import json
import lzma
import os
import re
import struct
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_NAME = "tools/build_text_sources.py"
LANGS = ("en", "ja", "ko", "ru", "zh_hans", "zh_hant")

MIN_LEN, MAX_LEN = 8, 160
MIN_LINES = 20_000  # prose + ui + verse, per language
XZ_PRESET = 9 | lzma.PRESET_EXTREME
CHARSET_FIT = 0.97
WORDS_N = 30_000

HANDBOOK = "/usr/share/doc/debian-handbook/html"
INSTALL_GUIDE = "/usr/share/doc/installation-guide-amd64"
DEBREF = "/usr/share/debian-reference"
FORTUNES = "/usr/share/games/fortunes"
LOCALE = "/usr/share/locale"
GNOME_HELP = "/usr/share/help"
# packages whose gettext catalogs are read (fixed, so a rebuild does not depend on whatever else
# happens to be installed); PostgreSQL's catalogs are left out as they are almost all
# placeholder-laden error messages
GETTEXT_PACKAGES = (
    "adduser", "appstream", "apt", "at-spi2-common", "bash", "binutils-common", "brasero-common",
    "cheese-common", "coreutils", "diffutils", "dpkg", "evince-common", "evolution-common",
    "evolution-data-server-common", "findutils", "geany-common", "gedit-common", "gettext",
    "gettext-base", "gimp-data", "git", "glib-networking-common", "gnome-control-center-data",
    "gnome-settings-daemon-common", "gnome-shell-common", "gnome-software-common",
    "gnome-terminal-data", "gnumeric-common", "gnupg-l10n", "grep", "gsettings-desktop-schemas",
    "gstreamer1.0-plugins-good", "gvfs-common", "iso-codes", "libapt-pkg6.0",
    "libavahi-common-data", "libc-l10n", "libdpkg-perl", "libelf1", "libgdk-pixbuf2.0-common",
    "libglib2.0-data", "libgnutls30", "libgoa-1.0-common", "libgstreamer-plugins-base1.0-0",
    "libgstreamer1.0-0", "libgtk-3-common", "libgtk2.0-common", "libhandy-1-0", "libidn2-0",
    "libpam-runtime", "libsecret-common", "libsoup-3.0-common", "libwebkit2gtk-4.1-0", "login",
    "make", "man-db", "mutter-common", "nautilus-data", "net-tools", "packagekit", "pidgin-data",
    "polkitd", "procps", "psmisc", "python-apt-common", "rhythmbox-data", "sed", "shared-mime-info",
    "software-properties-common", "systemd", "tar", "thunar-data", "totem-common", "vlc-l10n",
    "w3m", "wget", "xdg-user-dirs", "xkb-data", "xz-utils", "yelp",
)
MAN = "/usr/share/man"

# Script purity: (accepted ISO 15924 scripts, minimum share of letters). Slightly stricter than
# the pack contract (en 90 %, ru 70 %, CJK 60 %) so that lines sit safely inside it.
PURITY = {
    "en": ({"Latn"}, 0.95),
    "ru": ({"Cyrl"}, 0.75),
    "ja": ({"Hira", "Kana", "Hani"}, 0.65),
    "ko": ({"Hang"}, 0.65),
    "zh_hans": ({"Hani"}, 0.65),
    "zh_hant": ({"Hani"}, 0.65),
}
CJK_NOSPACE = {"ja", "zh_hans", "zh_hant"}  # languages written without spaces between words


class MissingDependency(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Debian package metadata


@lru_cache(maxsize=None)
def pkg_version(pkg: str) -> str | None:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}\t${Version}", pkg],
            capture_output=True, text=True, check=False,
        )
    except FileNotFoundError:
        return None
    if out.returncode != 0 or "\t" not in out.stdout:
        return None
    status, version = out.stdout.split("\t", 1)
    return version if status.endswith(" installed") else None


def require(*pkgs: str) -> None:
    missing = [p for p in pkgs if pkg_version(p) is None]
    if missing:
        raise MissingDependency(
            f"missing Debian package(s): {' '.join(missing)}; install with: apt-get install -y {' '.join(missing)}"
        )


@lru_cache(maxsize=None)
def pkg_homepage(pkg: str) -> str | None:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Homepage}", pkg], capture_output=True, text=True, check=False)
    home = out.stdout.strip()
    if home:
        return home
    fields = _copyright_header(pkg)
    return fields.get("source") if fields.get("source", "").startswith("http") else None


def _copyright_text(pkg: str) -> str:
    try:
        return Path(f"/usr/share/doc/{pkg}/copyright").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _copyright_stanzas(pkg: str) -> list[dict[str, str]]:
    stanzas: list[dict[str, str]] = []
    for block in re.split(r"\n\s*\n", _copyright_text(pkg)):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if m:
                key = m.group(1).lower()
                fields[key] = m.group(2).strip()
            elif key and line.startswith((" ", "\t")) and key == "files":
                fields[key] += " " + line.strip()
        if fields:
            stanzas.append(fields)
    return stanzas


def _copyright_header(pkg: str) -> dict[str, str]:
    stanzas = _copyright_stanzas(pkg)
    return stanzas[0] if stanzas else {}


@lru_cache(maxsize=None)
def pkg_licence(pkg: str) -> str:
    """An SPDX-like licence expression read from /usr/share/doc/<pkg>/copyright."""
    text = _copyright_text(pkg)
    fallback = f"LicenseRef-various; see /usr/share/doc/{pkg}/copyright"
    if text and "copyright-format" in text.splitlines()[0]:
        for st in _copyright_stanzas(pkg):
            if st.get("files", "").strip() == "*" and st.get("license"):
                lic = st["license"]
                lic = re.sub(r"\s+or\s+", " OR ", lic)
                lic = re.sub(r"\s+and\s+", " AND ", lic)
                return lic
        return fallback
    m = re.search(r"GNU (?:General Public License|GPL),?\s+(?:version|v\.?)\s*(\d)", text, re.I)
    if m:
        later = re.search(r"any later version", text, re.I)
        return f"GPL-{m.group(1)}.0{'+' if later else ''}"
    return fallback


@lru_cache(maxsize=None)
def path_owners() -> dict[str, str]:
    """Map installed file path -> Debian package, from dpkg's file lists (one read, no dpkg -S)."""
    owners: dict[str, str] = {}
    info = Path("/var/lib/dpkg/info")
    for lst in sorted(info.glob("*.list")):
        pkg = lst.name[: -len(".list")].split(":")[0]
        try:
            for line in lst.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith((LOCALE + "/", MAN + "/", GNOME_HELP + "/")):
                    owners.setdefault(line, pkg)
        except OSError:
            continue
    return owners


def owners_of(paths: Iterable[str]) -> Counter:
    owners = path_owners()
    return Counter(owners.get(p, "unknown") for p in paths)


def describe_packages(counts: Counter, unit: str) -> str:
    parts = []
    for pkg in sorted(counts):
        ver = pkg_version(pkg) if pkg != "unknown" else None
        parts.append(f"{pkg} {ver or '?'} ({counts[pkg]} {unit})")
    return ", ".join(parts)


def various_licence(counts: Counter) -> str:
    pkgs = sorted(p for p in counts if p != "unknown")
    if len(pkgs) == 1:
        return pkg_licence(pkgs[0])
    return "various; see /usr/share/doc/<pkg>/copyright of each package: " + ", ".join(pkgs)


# --------------------------------------------------------------------------------------------
# Text normalisation, splitting and filtering

_ZERO_WIDTH = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def normalise(text: str, lang: str) -> str:
    text = _ANSI.sub("", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CTRL.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if lang in CJK_NOSPACE:
        text = _CJK_SPACE.sub("", text)
    return text


# sentence ends: CJK full stops (no space needed) or . ! ? followed by space and not a lower-case
# continuation (so "e.g. foo" and "т. е. бар" stay together)
_SENT_CJK = re.compile(r"[。！？]+[」』）”’\"')]*")
_SENT_LATIN = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+[^a-zа-яё\s])")
_CLAUSE = re.compile(r"[，；：、,;:]+")


def _cut_points(text: str, pattern: re.Pattern, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(text) if hi is None else hi
    return [m.end() for m in pattern.finditer(text, lo, hi) if lo < m.end() < hi]


def _span_len(text: str, a: int, b: int) -> int:
    return len(text[a:b].strip())


def _pack(text: str, a: int, b: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Greedily cut text[a:b] at the given positions into spans of at most MAX_LEN characters.

    A span that no cut can bring under MAX_LEN is returned as it is (the caller cuts it further or
    drops it). Spans are slices of the original text, so spacing is never altered."""
    points = sorted({c for c in cuts if a < c < b} | {b})
    out: list[tuple[int, int]] = []
    cur = a
    while cur < b:
        fitting = [p for p in points if p > cur and _span_len(text, cur, p) <= MAX_LEN]
        end = fitting[-1] if fitting else next(p for p in points if p > cur)
        if _span_len(text, cur, end):
            out.append((cur, end))
        cur = end
    return out


def split_samples(text: str, lang: str) -> list[str]:
    """Split a normalised paragraph at sentence ends into samples of MIN_LEN..MAX_LEN characters."""
    if not text:
        return []
    cuts = sorted(set(_cut_points(text, _SENT_CJK) + _cut_points(text, _SENT_LATIN)))
    bounds = [0] + cuts + [len(text)]
    spans = [(x, y) for x, y in zip(bounds, bounds[1:]) if _span_len(text, x, y)]
    # merge fragments that are too short into the following sentence (or the previous one at the end)
    merged: list[tuple[int, int]] = []
    start: int | None = None
    for x, y in spans:
        x = x if start is None else start
        if _span_len(text, x, y) < MIN_LEN:
            start = x
            continue
        merged.append((x, y))
        start = None
    if start is not None:
        if merged and _span_len(text, merged[-1][0], len(text)) <= MAX_LEN:
            merged[-1] = (merged[-1][0], len(text))
        else:
            merged.append((start, len(text)))
    out: list[str] = []
    for x, y in merged:
        if _span_len(text, x, y) <= MAX_LEN:
            out.append(text[x:y].strip())
            continue
        # too long: cut at clause punctuation, then at spaces; unbreakable runs are dropped
        for cx, cy in _pack(text, x, y, _cut_points(text, _CLAUSE, x, y)):
            if _span_len(text, cx, cy) <= MAX_LEN:
                out.append(text[cx:cy].strip())
                continue
            spaces = [m.start() for m in re.finditer(" ", text[cx:cy])]
            for sx, sy in _pack(text, cx, cy, [cx + p for p in spaces]):
                if _span_len(text, sx, sy) <= MAX_LEN:
                    out.append(text[sx:sy].strip())
    return [s for s in out if MIN_LEN <= len(s) <= MAX_LEN]


_URL = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bftp\.|\bmailto:|"
    r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|info|edu|gov|io|de|fr|jp|cn|tw|hk|kr|ru|uk|eu)\b)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<[^<>\s]+@[^<>\s]+>|\S+ (?:at|AT) \S+ (?:dot|DOT) ")
_OPTION = re.compile(r"(?:^[-‐–+][-]?[A-Za-z0-9?#@]|(?:^|\s)-[A-Za-z0-9], --[A-Za-z]|--[a-z][\w-]*=|(?:^|\s)--?\w+\s*$)")
_PROMPT = re.compile(r"^(?:\$|#|%|>|\w+@\w+[:$#]|\w*[$#] )\s")
_CODE_CHARS = set("{}[]<>=$|\\`;#*~^@")
_PATH = re.compile(r"(?:~|\.{1,2})?/(?:[A-Za-z0-9_.@+*-]+/?)+")
_MANREF = re.compile(r"\b[\w.+-]+\(\d[a-z]*\)")
_PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfgGcsSpn](?![A-Za-z])")
_ROFF_LEFTOVER = re.compile(r"(?<![A-Za-z])f[BIRP][A-Za-z]|\\[fs(*]")
_LABEL_ONLY = re.compile(
    r"^\W*(?:Example|Table|Figure|Listing|Пример|Таблица|Рисунок|Листинг|例|表|表格|图|圖|図|範例|范例|예|표|그림|예제)"
    r"\s*[\dA-Z]+(?:[.\-]\d+)*\W*$"
)
_BAD_CHARS = re.compile("[\u2500-\u257f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


@lru_cache(maxsize=None)
def _script(ch: str) -> str:
    from fontTools import unicodedata as ftu

    return ftu.script(ch)


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


@lru_cache(maxsize=None)
def _in_gb2312(ch: str) -> bool:
    return _encodable(ch, "gb2312")


@lru_cache(maxsize=None)
def _in_big5(ch: str) -> bool:
    return _encodable(ch, "big5")


@lru_cache(maxsize=None)
def load_charset(lang: str) -> frozenset[str]:
    path = ROOT / "languages" / lang / f"polyocr_lang_{lang}" / "data" / "charset.txt"
    return frozenset(ch for ch in path.read_text(encoding="utf-8") if not ch.isspace())


def script_ok(sample: str, lang: str) -> bool:
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 3:
        return False
    scripts = [_script(ch) for ch in letters]
    wanted, share = PURITY[lang]
    if sum(1 for s in scripts if s in wanted) < share * len(letters):
        return False
    if lang == "ja" and not any(s in ("Hira", "Kana") for s in scripts):
        return False
    if lang in ("zh_hans", "zh_hant"):
        if any(s in ("Hira", "Kana", "Hang") for s in scripts):
            return False
        han = [ch for ch, s in zip(letters, scripts) if s == "Hani"]
        if lang == "zh_hans":
            if sum(1 for ch in han if _in_gb2312(ch)) < 0.98 * len(han):
                return False
        else:
            if sum(1 for ch in han if _in_big5(ch)) < 0.98 * len(han):
                return False
            # no GB2312-only (simplified) character at all
            if any(ord(ch) > 0x7F and _in_gb2312(ch) and not _in_big5(ch) for ch in sample):
                return False
    return True


def charset_ok(sample: str, lang: str) -> bool:
    chars = [ch for ch in sample if not ch.isspace()]
    charset = load_charset(lang)
    return bool(chars) and sum(1 for ch in chars if ch in charset) >= CHARSET_FIT * len(chars)


def clean_ok(sample: str, lang: str) -> bool:
    """Reject URLs, e-mail addresses, option lists, shell prompts and code-like samples."""
    if not (MIN_LEN <= len(sample) <= MAX_LEN):
        return False
    if _BAD_CHARS.search(sample) or _URL.search(sample) or _EMAIL.search(sample):
        return False
    if _OPTION.search(sample) or _PROMPT.match(sample):
        return False
    if len(_MANREF.findall(sample)) >= 2:
        return False
    if _PRINTF.search(sample) or _ROFF_LEFTOVER.search(sample) or _LABEL_ONLY.match(sample):
        return False
    nonspace = [ch for ch in sample if not ch.isspace()]
    code = sum(1 for ch in nonspace if ch in _CODE_CHARS)
    if code >= 3 or code > 0.05 * len(nonspace):
        return False
    path_chars = sum(len(m.group(0)) for m in _PATH.finditer(sample))
    if path_chars > 0.4 * len(nonspace):
        return False
    letters = sum(1 for ch in nonspace if ch.isalpha())
    if letters < 0.5 * len(nonspace):
        return False
    return True


def accept(sample: str, lang: str) -> bool:
    return clean_ok(sample, lang) and script_ok(sample, lang) and charset_ok(sample, lang)


# --------------------------------------------------------------------------------------------
# Extractors: each yields raw paragraphs (unnormalised strings)

_BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr",
    "td", "th", "caption", "figcaption", "ul", "ol", "dl", "section", "article", "body", "title",
    "head", "hr", "table",
    # Mallard (GNOME help) block elements
    "page", "item", "steps", "list", "terms", "tree", "note", "desc", "subtitle", "example",
    "figure", "quote", "links", "cite", "synopsis",
}
_SKIP_TAGS = {
    "pre", "script", "style", "table", "head", "screen", "programlisting", "info", "media",
    "comment", "credit",
}
_SKIP_CLASSES = {
    "toc", "navheader", "navfooter", "docnav", "screen", "programlisting", "synopsis", "cmdsynopsis",
    "funcsynopsis", "literallayout", "index", "url", "legalnotice", "revhistory", "indexterm",
    "authorgroup", "author", "othercredit", "list-of-tables", "list-of-figures", "list-of-examples",
}
_SKIP_IDS = {"banner", "title"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "wbr", "source", "embed"}


class _HTMLText(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buf: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._title_depth = 0  # inside <p class="title">
        self._tag_span = 0  # depth inside a leading category tag of a title (handbook sidebars)
        self._last_end: str | None = None

    def _flush(self) -> None:
        text = "".join(self._buf)
        self._buf = []
        if text.strip():
            self.paragraphs.append(text)

    def handle_starttag(self, tag, attrs):
        if self._skip_tag is not None:
            if tag == self._skip_tag and tag not in _VOID:
                self._skip_depth += 1
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag in _SKIP_TAGS or classes & _SKIP_CLASSES or a.get("id") in _SKIP_IDS:
            if tag not in _VOID:
                self._flush()
                self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "p" and "title" in classes:
            self._title_depth = 1
        elif self._title_depth and tag == "p":
            self._title_depth += 1
        if self._tag_span:
            self._tag_span += 1
        elif self._title_depth and tag == "span" and "emphasis" in classes and not "".join(self._buf).strip():
            # "<em>BACK TO BASICS</em> Title": the category tag is not part of the title text
            self._tag_span = 1
        if tag == "key" and self._last_end == "key":  # Mallard <keyseq><key>Ctrl</key><key>P</key>
            self._buf.append("+")
        self._last_end = None

    def handle_startendtag(self, tag, attrs):
        if self._skip_tag is None and tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if self._tag_span:
            self._tag_span -= 1
            if self._tag_span == 0:
                self._buf = []
        if tag == "p" and self._title_depth:
            self._title_depth -= 1
        if tag in _BLOCK_TAGS:
            self._flush()
        self._last_end = tag

    def handle_data(self, data):
        if self._skip_tag is None:
            self._buf.append(data)
            if data.strip():
                self._last_end = None

    def close(self):
        super().close()
        self._flush()


_HEADING_NUM = re.compile(
    r"^(?:(?:第\s*)?[0-9A-Z]{1,3}(?:\.[0-9]+)*\.?\s*(?:章|節|节|장|절|部|編|编)?\.?|[IVX]+\.|Chapter \d+\.|Глава \d+\.|(?:付録|附录|附錄|부록|Appendix|Приложение)\s*[A-Z]\.?)\s+"
)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")


def html_paragraphs(path: str) -> list[str]:
    parser = _HTMLText()
    with open(path, encoding="utf-8", errors="replace") as fh:
        parser.feed(fh.read())
    parser.close()
    out = []
    for para in parser.paragraphs:
        para = _FOOTNOTE.sub("", para)
        para = _HEADING_NUM.sub("", " ".join(para.split()))
        out.append(para)
    return out


# roff: blocks never worth reading as prose
_ROFF_BLOCKS = [
    (re.compile(r"^[.']\s*(?:nf|EX)\b"), re.compile(r"^[.']\s*(?:fi|EE)\b")),
    (re.compile(r"^[.']\s*TS\b"), re.compile(r"^[.']\s*TE\b")),
    (re.compile(r"^[.']\s*EQ\b"), re.compile(r"^[.']\s*EN\b")),
    (re.compile(r"^[.']\s*PS\b"), re.compile(r"^[.']\s*PE\b")),
    (re.compile(r"^[.']\s*(?:de|am|ig)\b"), re.compile(r"^[.']\s*\.\s*$|^\.\.$")),
]
_SYNOPSIS_HEADS = {
    "SYNOPSIS", "SYNTAX", "USAGE", "書式", "形式", "概要", "用法", "概述", "总览", "總覽", "大纲",
    "大綱", "摘要", "语法", "語法", "СИНТАКСИС", "ОБЗОР", "КРАТКАЯ СВОДКА", "КРАТКОЕ ОПИСАНИЕ",
    "ИСПОЛЬЗОВАНИЕ", "사용법", "요약", "개요", "형식",
}
_TAG_LINE = re.compile(r"^((?:[-+][^\s]*|[A-Z_][A-Z0-9_]+|\d+|\S*[=<>]\S*)(?:,\s+[-+]\S*)*)\s{2,}(\S.*)$")
_ENUM = re.compile(r"^(?:\(?\d{1,2}[.)]|[•·*])\s+")
_MAN_ENCODINGS = {"ja": "euc_jp", "ko": "euc_kr", "ru": "koi8_r", "zh_hans": "gb18030", "zh_hant": "big5hkscs"}


def _strip_roff_blocks(src: str) -> str | None:
    lines = src.splitlines()
    body = [l for l in lines if l.strip() and not l.startswith(('.\\"', "'\\\"", '.\\#'))]
    if body and all(re.match(r"^[.']\s*so\s", l) for l in body):
        return None  # only an include of another page
    out: list[str] = []
    end: re.Pattern | None = None
    for line in lines:
        if end is not None:
            if end.match(line):
                end = None
            continue
        for start, stop in _ROFF_BLOCKS:
            if start.match(line):
                end = stop
                break
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def render_man(args: tuple[str, str]) -> list[str]:
    """Render one man page with groff and return its paragraphs (headings and synopsis skipped)."""
    path, lang = args
    try:
        raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    except (OSError, EOFError):
        return []
    try:
        src = raw.decode("utf-8")
    except UnicodeDecodeError:
        src = raw.decode(_MAN_ENCODINGS.get(lang, "latin-1"), errors="replace")
    src = _strip_roff_blocks(src)
    if src is None:
        return []
    env = dict(os.environ, LC_ALL="C.UTF-8", GROFF_NO_SGR="1")
    try:
        out = subprocess.run(
            ["groff", "-k", "-Kutf8", "-Tutf8", "-mandoc", "-P-cbou", "-rLL=4000n", "-rHY=0", "-rcR=1", "-rIN=7n"],
            input=src.encode("utf-8"), capture_output=True, env=env, timeout=60, check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return []
    text = out.stdout.decode("utf-8", errors="replace")
    text = re.sub(r".\x08", "", text)  # any overstrike left
    lines = [l.rstrip() for l in text.splitlines()]
    nonempty = [i for i, l in enumerate(lines) if l.strip()]
    if len(nonempty) < 3:
        return []
    lines = lines[nonempty[0] + 1 : nonempty[-1]]  # drop running header and footer
    paras: list[str] = []
    skipping = False
    for line in lines:
        if not line.strip():
            continue
        if not line[0].isspace():  # section heading
            skipping = line.strip().upper() in _SYNOPSIS_HEADS
            continue
        if skipping:
            continue
        s = line.strip()
        m = _TAG_LINE.match(s)
        if m:
            s = m.group(2)
        paras.append(_ENUM.sub("", s))
    return paras


def read_mo(path: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a compiled gettext catalog; plural forms become separate pairs."""
    data = Path(path).read_bytes()
    if len(data) < 20:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0x950412DE:
        end = "<"
    elif magic == 0xDE120495:
        end = ">"
    else:
        return []
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    pairs: list[tuple[bytes, bytes]] = []
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i : orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i : trans + 8 * i + 8])
        pairs.append((data[oo : oo + ol], data[to : to + tl]))
    charset = "utf-8"
    for mid, mstr in pairs:
        if mid == b"":
            m = re.search(rb"charset=([\w-]+)", mstr)
            if m:
                charset = m.group(1).decode("ascii")
    out: list[tuple[str, str]] = []
    for mid, mstr in pairs:
        if mid == b"":
            continue
        ids = mid.split(b"\x04")[-1].split(b"\x00")
        strs = mstr.split(b"\x00")
        for k, s in enumerate(strs):
            try:
                out.append((ids[min(k, len(ids) - 1)].decode(charset), s.decode(charset)))
            except (UnicodeDecodeError, LookupError):
                continue
    return out


_PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t|I)?[diouxXeEfFgGaAcCsSpnm%]"
    r"|%\(\w+\)|%[A-Za-z_]\w*%|\{\w*\}|\$\{?\w+|<[^>]*>|\\[a-z]"
)
_ACCEL_CJK = re.compile(r"\s*[(（][_&][A-Za-z0-9][)）]")
_ACCEL = re.compile(r"(?<!\w)[_&](?=\w)")


def ui_paragraphs(text: str) -> list[str]:
    """Lines of one UI string, with accelerators removed; strings with placeholders are dropped."""
    if _PLACEHOLDER.search(text):
        return []
    text = _ACCEL_CJK.sub("", text)
    text = _ACCEL.sub("", text)
    out = []
    for line in text.split("\n"):
        s = line.strip()
        m = _TAG_LINE.match(s)
        if m:
            s = m.group(2)
        s = _ENUM.sub("", s)
        if s:
            out.append(s)
    return out


def fortune_entries(path: str) -> list[list[str]]:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    entries, cur = [], []
    for line in text.splitlines():
        if line.strip() == "%":
            if cur:
                entries.append(cur)
            cur = []
        elif not line.lstrip().startswith("\x1b["):  # a coloured line is a title/author/source, not text
            cur.append(_ANSI.sub("", line))
    if cur:
        entries.append(cur)
    return entries


def fortune_paragraphs(path: str, verse: bool = False) -> Iterator[str]:
    for entry in fortune_entries(path):
        body = [l for l in entry if not re.match(r"^\s*(?:--|—|――|——)\s*\S", l)]  # attributions
        if verse:
            # tang300 / song100: title 《...》 and author lines are metadata, the rest is the poem
            body = [l for l in body if not re.match(r"^\s*(?:《.*》|作者[:：])", l.strip())]
        if any(_BAD_CHARS.search(l) for l in body):
            body = [l for l in body if not _BAD_CHARS.search(l)]
        block: list[str] = []
        dialogue = sum(1 for l in body if re.match(r"^\s*[-–—]\s", l)) >= 2
        for line in body + [""]:
            if not line.strip():
                if block:
                    yield " ".join(block)
                block = []
            elif dialogue:
                yield re.sub(r"^\s*[-–—]\s+", "", line)
            else:
                block.append(line.strip())


# --------------------------------------------------------------------------------------------
# Sources


@dataclass
class Source:
    name: str
    kind: str
    paragraphs: Callable[[], Iterable[str]]
    provenance: Callable[[], str]
    licence: Callable[[], str]
    url: str | None = None
    converted_from: str | None = None
    packages: tuple[str, ...] = ()
    max_lines: int | None = None
    convert: Callable[[str], str] | None = None
    stats: dict = field(default_factory=dict)


def _files(pattern: str) -> list[str]:
    return sorted(p for p in glob.glob(pattern) if os.path.isfile(p) and not os.path.islink(p))


def handbook(lang_dir: str, **kw) -> Source:
    pattern = f"{HANDBOOK}/{lang_dir}/*.html"
    return Source(
        name="debian-handbook",
        kind="prose",
        paragraphs=lambda: (p for f in _files(pattern) for p in html_paragraphs(f)),
        provenance=lambda: f"debian-handbook {pkg_version('debian-handbook')}: {pattern} (The Debian Administrator's Handbook)",
        licence=lambda: pkg_licence("debian-handbook"),
        url="https://debian-handbook.info",
        packages=("debian-handbook",),
        **kw,
    )


def install_guide(lang_dir: str, **kw) -> Source:
    pkg = "installation-guide-amd64"
    pattern = f"{INSTALL_GUIDE}/{lang_dir}/*.html"
    return Source(
        name="installation-guide",
        kind="prose",
        paragraphs=lambda: (p for f in _files(pattern) for p in html_paragraphs(f)),
        provenance=lambda: f"{pkg} {pkg_version(pkg)}: {pattern} (Debian GNU/Linux Installation Guide)",
        licence=lambda: pkg_licence(pkg),
        url="https://www.debian.org/releases/stable/installmanual",
        packages=(pkg,),
        **kw,
    )


def debian_reference(suffix: str, pkg: str, **kw) -> Source:
    pattern = f"{DEBREF}/*.{suffix}.html"
    return Source(
        name="debian-reference",
        kind="prose",
        paragraphs=lambda: (p for f in _files(pattern) for p in html_paragraphs(f)),
        provenance=lambda: f"{pkg} {pkg_version(pkg)}: {pattern} (Debian Reference)",
        licence=lambda: pkg_licence(pkg),
        url="https://www.debian.org/doc/manuals/debian-reference/",
        packages=(pkg,),
        **kw,
    )


GNOME_HELP_PACKAGES = (
    "gnome-user-docs", "brasero-common", "cheese-common", "evince-common", "gedit-common",
    "gnome-terminal-data", "totem-common",
)


def _help_files(lang_dir: str) -> list[str]:
    owners = path_owners()
    return [f for f in _files(f"{GNOME_HELP}/{lang_dir}/*/*.page") if owners.get(f) in GNOME_HELP_PACKAGES]


def gnome_help(lang_dir: str, **kw) -> Source:
    pattern = f"{GNOME_HELP}/{lang_dir}/*/*.page"
    return Source(
        name="gnome-help",
        kind="prose",
        paragraphs=lambda: (p for f in _help_files(lang_dir) for p in html_paragraphs(f)),
        provenance=lambda: f"{describe_packages(owners_of(_help_files(lang_dir)), 'pages')}: {pattern} (GNOME Help, Mallard XML)",
        licence=lambda: various_licence(owners_of(_help_files(lang_dir))),
        url="https://help.gnome.org/",
        packages=GNOME_HELP_PACKAGES,
        **kw,
    )


def gimp_help(lang_dir: str, **kw) -> Source:
    pkg = f"gimp-help-{lang_dir}"
    pattern = f"/usr/share/gimp/2.0/help/{lang_dir}/*.html"
    return Source(
        name="gimp-help",
        kind="prose",
        paragraphs=lambda: (p for f in _files(pattern) for p in html_paragraphs(f)),
        provenance=lambda: f"{pkg} {pkg_version(pkg)}: {pattern} (GNU Image Manipulation Program user manual)",
        licence=lambda: pkg_licence(pkg),
        url=pkg_homepage(pkg) or "https://docs.gimp.org/",
        packages=(pkg,),
        **kw,
    )


def _man_files(patterns: list[str], owner_pkgs: tuple[str, ...] | None) -> list[str]:
    files = sorted({f for pat in patterns for f in _files(pat)})
    if owner_pkgs:
        owners = path_owners()
        files = [f for f in files if owners.get(f) in owner_pkgs]
    return files


def man_pages(lang: str, patterns: list[str], main_pkg: str, owner_pkgs: tuple[str, ...] | None = None, **kw) -> Source:
    def paragraphs() -> Iterator[str]:
        files = _man_files(patterns, owner_pkgs)
        pool = ProcessPoolExecutor(max_workers=2)
        try:
            for paras in pool.map(render_man, [(f, lang) for f in files], chunksize=8):
                yield from paras
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def provenance() -> str:
        files = _man_files(patterns, owner_pkgs)
        return f"{describe_packages(owners_of(files), 'pages')}: {', '.join(patterns)} (rendered with groff-base {pkg_version('groff-base')})"

    return Source(
        name="man-pages",
        kind="prose",
        paragraphs=paragraphs,
        provenance=provenance,
        licence=lambda: various_licence(owners_of(_man_files(patterns, owner_pkgs))),
        url=pkg_homepage(main_pkg) if pkg_version(main_pkg) else None,
        packages=(main_pkg, "groff-base"),
        **kw,
    )


def _mo_files(locales: list[str]) -> list[str]:
    owners = path_owners()
    files = {f for loc in locales for f in _files(f"{LOCALE}/{loc}/LC_MESSAGES/*.mo")}
    return sorted(f for f in files if owners.get(f) in GETTEXT_PACKAGES)


def gettext_ui(locales: list[str], use_msgid: bool = False, **kw) -> Source:
    patterns = [f"{LOCALE}/{loc}/LC_MESSAGES/*.mo" for loc in locales]

    def paragraphs() -> Iterator[str]:
        for f in _mo_files(locales):
            for msgid, msgstr in read_mo(f):
                text = msgid if use_msgid else msgstr
                if text:
                    yield from ui_paragraphs(text)

    def provenance() -> str:
        files = _mo_files(locales)
        what = "msgid (English source) strings" if use_msgid else "msgstr strings"
        return f"{what} of {len(files)} gettext catalogs {', '.join(patterns)} from {describe_packages(owners_of(files), 'catalogs')}"

    return Source(
        name="gettext-ui",
        kind="ui",
        paragraphs=paragraphs,
        provenance=provenance,
        licence=lambda: various_licence(owners_of(_mo_files(locales))),
        url=None,
        packages=GETTEXT_PACKAGES,
        **kw,
    )


def fortunes_ru(**kw) -> Source:
    pattern = f"{FORTUNES}/ru/*"
    files = lambda: [f for f in _files(pattern) if "." not in os.path.basename(f) or re.search(r"\.\d+$", f)]
    return Source(
        name="fortunes-ru",
        kind="prose",
        paragraphs=lambda: (p for f in files() for p in fortune_paragraphs(f)),
        provenance=lambda: f"fortunes-ru {pkg_version('fortunes-ru')}: {pattern} (without .dat/.u8)",
        licence=lambda: pkg_licence("fortunes-ru"),
        url=pkg_homepage("fortunes-ru"),
        packages=("fortunes-ru",),
        **kw,
    )


def fortunes_zh(**kw) -> Source:
    path = f"{FORTUNES}/chinese"
    return Source(
        name="fortunes-zh",
        kind="prose",
        paragraphs=lambda: fortune_paragraphs(path),
        provenance=lambda: f"fortunes-zh {pkg_version('fortunes-zh')}: {path}",
        licence=lambda: pkg_licence("fortunes-zh"),
        url=pkg_homepage("fortunes-zh"),
        packages=("fortunes-zh",),
        **kw,
    )


def poetry_zh(**kw) -> Source:
    paths = [f"{FORTUNES}/tang300", f"{FORTUNES}/song100"]
    return Source(
        name="fortunes-zh-poetry",
        kind="verse",
        paragraphs=lambda: (p for f in paths for p in fortune_paragraphs(f, verse=True)),
        provenance=lambda: f"fortunes-zh {pkg_version('fortunes-zh')}: {', '.join(paths)} (300 Tang poems, 100 Song ci)",
        licence=lambda: pkg_licence("fortunes-zh"),
        url=pkg_homepage("fortunes-zh"),
        packages=("fortunes-zh",),
        **kw,
    )


def converted(base: Source, config: str, from_lang: str) -> Source:
    """A Simplified-Chinese source converted to Traditional with OpenCC (fallback only)."""
    def convert(text: str, _cc=[]) -> str:
        if not _cc:
            import opencc

            _cc.append(opencc.OpenCC(config))
        return _cc[0].convert(text)

    return Source(
        name=f"{base.name}-{config}",
        kind=base.kind,
        paragraphs=base.paragraphs,
        provenance=lambda: f"{base.provenance()}; converted with OpenCC {config}",
        licence=base.licence,
        url=base.url,
        converted_from=f"{from_lang} ({base.name}) via OpenCC {config}",
        packages=base.packages,
        convert=convert,
        max_lines=base.max_lines,
    )


def sources_for(lang: str) -> list[Source]:
    """The prose/ui/verse sources of a language, in processing (dedup priority) order."""
    if lang == "en":
        return [
            handbook("en-US"),
            debian_reference("en", "debian-reference-en"),
            install_guide("en"),
            gnome_help("C"),
            man_pages(lang, [f"{MAN}/man{s}/*" for s in "12345678"], "manpages", owner_pkgs=("manpages",), max_lines=25_000),
            gettext_ui(["ja", "ko", "ru", "zh_CN", "zh_TW"], use_msgid=True, max_lines=20_000),
        ]
    if lang == "ja":
        return [
            handbook("ja-JP"),
            debian_reference("ja", "debian-reference-ja"),
            install_guide("ja"),
            gnome_help("ja"),
            man_pages(lang, [f"{MAN}/ja/man*/*"], "manpages-ja", max_lines=30_000),
            gettext_ui(["ja"], max_lines=20_000),
        ]
    if lang == "ko":
        return [
            handbook("ko-KR"),
            install_guide("ko"),
            gnome_help("ko"),
            gimp_help("ko"),
            man_pages(lang, [f"{MAN}/ko/man*/*"], "man-db"),
            gettext_ui(["ko"]),
        ]
    if lang == "ru":
        return [
            handbook("ru-RU"),
            install_guide("ru"),
            gnome_help("ru"),
            fortunes_ru(max_lines=25_000),
            man_pages(lang, [f"{MAN}/ru/man*/*"], "manpages-ru", max_lines=25_000),
            gettext_ui(["ru"], max_lines=20_000),
        ]
    if lang == "zh_hans":
        return [
            handbook("zh-CN"),
            debian_reference("zh-cn", "debian-reference-zh-cn"),
            install_guide("zh_CN"),
            gnome_help("zh_CN"),
            poetry_zh(),
            fortunes_zh(),
            man_pages(lang, [f"{MAN}/zh_CN/man*/*"], "manpages-zh", max_lines=25_000),
            gettext_ui(["zh_CN"], max_lines=20_000),
        ]
    if lang == "zh_hant":
        return [
            handbook("zh-TW"),
            debian_reference("zh-tw", "debian-reference-zh-tw"),
            man_pages(lang, [f"{MAN}/zh_TW/man*/*"], "manpages-zh", max_lines=25_000),
            gettext_ui(["zh_TW", "zh_HK"]),
        ]
    raise ValueError(lang)


def fallback_sources(lang: str) -> list[Source]:
    """Converted sources, used only if the native ones give fewer than MIN_LINES lines."""
    if lang != "zh_hant":
        return []
    return [
        converted(handbook("zh-CN"), "s2twp", "zh_hans"),
        converted(install_guide("zh_CN"), "s2twp", "zh_hans"),
    ]


# --------------------------------------------------------------------------------------------
# The words source (wordfreq)

_WORD_SCRIPTS = {
    "en": {"Latn"}, "ru": {"Cyrl"}, "ja": {"Hira", "Kana", "Hani"}, "ko": {"Hang"},
    "zh_hans": {"Hani"}, "zh_hant": {"Hani"},
}
_WORDFREQ_LANG = {"en": "en", "ru": "ru", "ja": "ja", "ko": "ko", "zh_hans": "zh", "zh_hant": "zh"}


def word_ok(word: str, lang: str) -> bool:
    charset = load_charset(lang)
    if not word or any(ch not in charset for ch in word):
        return False
    letters = [ch for ch in word if ch.isalpha()]
    if not letters or any(_script(ch) not in _WORD_SCRIPTS[lang] for ch in letters):
        return False
    if lang == "zh_hans" and not all(_in_gb2312(ch) for ch in word):
        return False
    if lang == "zh_hant" and not all(_in_big5(ch) for ch in word):
        return False
    return True


def words_source(lang: str) -> tuple[dict, list[str]]:
    try:
        import wordfreq
    except ImportError as exc:
        raise MissingDependency("missing Python package wordfreq; install with: pip install wordfreq") from exc
    version = getattr(wordfreq, "__version__", None)
    if version is None:
        from importlib.metadata import version as _v

        version = _v("wordfreq")
    wf_lang = _WORDFREQ_LANG[lang]
    raw = wordfreq.top_n_list(wf_lang, WORDS_N)
    words: list[str] = []
    seen: set[str] = set()
    converted_from = None
    n_converted = 0
    if lang == "zh_hant":
        import opencc

        s2t, t2s = opencc.OpenCC("s2tw"), opencc.OpenCC("tw2s")
    for w in raw:
        w = unicodedata.normalize("NFC", w)
        if lang == "zh_hant":
            t = s2t.convert(w)
            # a converted word is kept only if the conversion is unambiguous (converts back to
            # the same Simplified word); words identical in both scripts are taken as they are
            if t != w:
                if t2s.convert(t) != w:
                    continue
                n_converted += 1
            w = t
        if w in seen or not word_ok(w, lang):
            continue
        seen.add(w)
        words.append(w)
    if lang == "zh_hant":
        converted_from = (
            f"wordfreq 'zh' (Simplified): {n_converted} of the kept words converted with OpenCC s2tw, "
            "kept only where tw2s converts them back unchanged; the others are identical in both scripts"
        )
    entry = {
        "name": "wordfreq",
        "file": "wordfreq.txt.xz",
        "kind": "words",
        "lines": len(words),
        "provenance": f"PyPI wordfreq {version}: wordfreq.top_n_list({wf_lang!r}, {WORDS_N}) in frequency order, "
        "filtered to words whose characters are all in the pack charset and script",
        "licence": "CC-BY-SA-4.0",
        "url": "https://github.com/rspeer/wordfreq",
        "converted_from": converted_from,
    }
    return entry, words


# --------------------------------------------------------------------------------------------
# Building and writing


def text_dir(lang: str) -> Path:
    return ROOT / "languages" / lang / f"polyocr_lang_{lang}" / "data" / "text"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _xz(lines: list[str]) -> bytes:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=XZ_PRESET)


def collect(src: Source, lang: str, seen: set[str]) -> list[str]:
    lines: list[str] = []
    for para in src.paragraphs():
        if src.convert is not None:
            para = src.convert(para)
        for sample in split_samples(normalise(para, lang), lang):
            if sample in seen or not accept(sample, lang):
                continue
            seen.add(sample)
            lines.append(sample)
            if src.max_lines is not None and len(lines) >= src.max_lines:
                return lines
    return lines


def required_packages(lang: str) -> list[str]:
    pkgs: list[str] = []
    for src in sources_for(lang):
        pkgs.extend(p for p in src.packages if p not in pkgs)
    return pkgs


def build(lang: str) -> list[dict]:
    require(*required_packages(lang))
    seen: set[str] = set()
    entries: list[dict] = []
    files: dict[str, list[str]] = {}
    total = 0
    sources = sources_for(lang)
    fallbacks = fallback_sources(lang)
    queue = list(sources)
    while queue:
        src = queue.pop(0)
        if src.convert is not None:
            require(*src.packages)
        lines = collect(src, lang, seen)
        if not lines:
            print(f"{lang}: {src.name}: no lines, skipped", file=sys.stderr)
            continue
        total += len(lines)
        files[src.name] = lines
        entries.append(
            {
                "name": src.name,
                "file": f"{src.name}.txt.xz",
                "kind": src.kind,
                "lines": len(lines),
                "provenance": src.provenance(),
                "licence": src.licence(),
                "url": src.url,
                "converted_from": src.converted_from,
            }
        )
        print(f"{lang}: {src.name}: {len(lines)} lines", file=sys.stderr)
        if not queue and total < MIN_LINES and fallbacks:
            print(f"{lang}: only {total} native lines, adding converted sources", file=sys.stderr)
            queue, fallbacks = fallbacks, []
    if total < MIN_LINES:
        print(f"{lang}: warning: only {total} prose/ui/verse lines (< {MIN_LINES})", file=sys.stderr)
    entry, words = words_source(lang)
    entries.append(entry)
    files[entry["name"]] = words
    print(f"{lang}: wordfreq: {len(words)} words", file=sys.stderr)

    out = text_dir(lang)
    shipped = {e["file"] for e in entries}
    for e in entries:
        _atomic_write(out / e["file"], _xz(files[e["name"]]))
    for old in sorted(out.glob("*.txt.xz")):
        if old.name not in shipped:
            old.unlink()
    manifest = {
        "language": lang,
        "built_by": SCRIPT_NAME,
        "sources": sorted(entries, key=lambda e: e["name"]),
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    _atomic_write(out / "sources.json", text.encode("utf-8"))
    size = sum((out / e["file"]).stat().st_size for e in entries)
    print(f"{lang}: {total} lines + {len(words)} words, {size / 1e6:.2f} MB compressed -> {out.relative_to(ROOT)}")
    return entries


def check(lang: str) -> list[str]:
    problems: list[str] = []
    out = text_dir(lang)
    manifest_path = out / "sources.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{manifest_path}: unreadable manifest ({exc})"]
    if manifest.get("language") != lang:
        problems.append(f"{manifest_path}: language is {manifest.get('language')!r}, expected {lang!r}")
    for e in manifest.get("sources", []):
        path = out / e.get("file", "")
        try:
            text = lzma.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, lzma.LZMAError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read ({exc})")
            continue
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) != e.get("lines"):
            problems.append(f"{path}: {len(lines)} lines, manifest says {e.get('lines')}")
        if any(not line.strip() for line in lines):
            problems.append(f"{path}: has empty lines")
    if not manifest.get("sources"):
        problems.append(f"{manifest_path}: no sources")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", action="append", choices=LANGS, help="language code (repeatable; default: all six)")
    parser.add_argument("--check", action="store_true", help="verify the shipped files instead of building")
    args = parser.parse_args()
    langs = args.lang or list(LANGS)
    if args.check:
        problems = [p for lang in langs for p in check(lang)]
        for p in problems:
            print(p, file=sys.stderr)
        if not problems:
            print(f"ok: {', '.join(langs)}")
        return 1 if problems else 0
    try:
        import fontTools.unicodedata  # noqa: F401
    except ImportError:
        print("error: missing Python package fonttools; install with: pip install fonttools", file=sys.stderr)
        return 2
    try:
        for lang in langs:
            build(lang)
    except MissingDependency as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
