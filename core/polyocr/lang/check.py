"""``polyocr lang check``: everything that makes a language pack unusable, as a readable list.

Errors make the check fail (exit status 1): no charset, characters no font draws, fewer than three
font families, missing or empty text, text in the wrong script or outside the charset. Warnings and
notes point at what to improve (fonts not installed, characters drawn by fewer than three families).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from polyocr.lang.fonts import FontCatalog
from polyocr.lang.registry import LanguagePack
from polyocr.lang.text import charset_fraction, script_fraction

MIN_FAMILIES = 3
MIN_SCRIPT_FRACTION = 0.5
MIN_CHARSET_FRACTION = 0.95
RECOMMENDED_TEXT_LINES = 20_000
RUNNING_TEXT = ("prose", "ui", "verse")


@dataclass(frozen=True)
class Finding:
    level: Literal["error", "warning", "note"]
    topic: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.topic}: {self.message}"


def _sample(chars: list[str] | str, n: int = 40) -> str:
    chars = list(chars)
    more = f" … (+{len(chars) - n} more)" if len(chars) > n else ""
    return "".join(chars[:n]) + more


def check_pack(pack: LanguagePack, catalog: FontCatalog | None = None) -> list[Finding]:
    """All findings for ``pack``, errors first."""
    out: list[Finding] = []
    charset = pack.charset
    if not charset:
        out.append(Finding("error", "charset", "no charset slice: list the language's characters in data/charset.txt"))
    out.extend(_check_fonts(pack, charset, catalog))
    out.extend(_check_text(pack, charset))
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(out, key=lambda f: order[f.level])


def _check_fonts(pack: LanguagePack, charset: str, catalog: FontCatalog | None) -> list[Finding]:
    out: list[Finding] = []
    fonts = pack.fonts(catalog)
    for source in fonts.missing:
        hint = f" (apt-get install {source.debian_package})" if source.debian_package else ""
        what = source.family or str(source.path)
        out.append(Finding("warning", "fonts", f"{what!r} is not installed{hint}"))
    for face, fraction in fonts.rejected:
        out.append(Finding("note", "fonts", f"{face.family} {face.style} covers only {fraction:.1%} of the charset; unused"))
    if not fonts.faces:
        out.append(Finding("error", "fonts", "no installed font covers this language"))
        return out
    families = fonts.families
    if len(families) < MIN_FAMILIES:
        out.append(Finding("error", "fonts", f"{len(families)} font families ({', '.join(families)}); need at least {MIN_FAMILIES}"))
    if charset:
        uncovered = fonts.uncovered(charset)
        if uncovered:
            out.append(Finding("error", "coverage", f"{len(uncovered)} characters drawn by no font: {_sample(uncovered)}"))
        per_char: Counter[str] = Counter()
        for family in families:
            covered = set().union(*(f.covered for f in fonts.faces if f.face.family == family))
            per_char.update(covered)
        thin = [c for c in charset if 0 < per_char[c] < MIN_FAMILIES]
        if thin:
            out.append(Finding("note", "coverage", f"{len(thin)} characters drawn by fewer than {MIN_FAMILIES} families: {_sample(thin)}"))
    return out


def _check_text(pack: LanguagePack, charset: str) -> list[Finding]:
    out: list[Finding] = []
    if not pack.text_sources:
        return [Finding("error", "text", "no text sources: add real text to data/text/ and list it in sources.json")]
    running = 0
    for _, source in pack.text_sources:
        where = f"source {source.name!r}"
        if not source.path.is_file():
            out.append(Finding("error", "text", f"{where}: file {source.path} is missing"))
            continue
        try:
            lines = source.read_lines()
        except (OSError, EOFError, ValueError) as exc:
            out.append(Finding("error", "text", f"{where}: unreadable ({exc})"))
            continue
        if not lines:
            out.append(Finding("error", "text", f"{where}: empty"))
            continue
        if source.lines is not None and source.lines != len(lines):
            out.append(Finding("error", "text", f"{where}: manifest says {source.lines} lines, file has {len(lines)}"))
        if source.kind in RUNNING_TEXT:
            running += len(lines)
        fraction = script_fraction(lines, pack.spec.scripts)
        if fraction < MIN_SCRIPT_FRACTION:
            out.append(Finding("error", "text", f"{where}: only {fraction:.0%} of its letters are in {'/'.join(pack.spec.scripts)} (wrong script?)"))
        if charset:
            inside, missing = charset_fraction(lines, charset)
            if inside < MIN_CHARSET_FRACTION:
                common = "".join(c for c, _ in missing.most_common(30))
                out.append(Finding("error", "text", f"{where}: {inside:.1%} of its characters are in the charset (need {MIN_CHARSET_FRACTION:.0%}); most common others: {common}"))
    if running < RECOMMENDED_TEXT_LINES:
        out.append(Finding("warning", "text", f"{running} lines of running text; {RECOMMENDED_TEXT_LINES:,} or more recommended"))
    return out
