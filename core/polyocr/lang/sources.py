"""What a pack supplies for its language: font sources, text sources and charset slices (pydantic)."""

from __future__ import annotations

import gzip
import json
import lzma
import re
import unicodedata
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from polyocr.lang.base import StrictModel

TextKind = Literal["prose", "ui", "verse", "words"]
"""prose: sentences and paragraphs; ui: interface strings (menus, messages); verse: poems, sayings;
words: word lists (for character coverage, not running text)."""


class FontSource(StrictModel):
    """Where to find fonts for a language: a fontconfig family, or a file or directory.

    >>> FontSource(family="Noto Serif CJK JP", licence="OFL-1.1", debian_package="fonts-noto-cjk").family
    'Noto Serif CJK JP'
    """

    family: str | None = None
    """Family name as fontconfig and the font's name table give it; ``*`` and ``?`` globs allowed."""
    style: str | None = None
    """Optional glob on the style name (``"*Bold*"``); all styles when absent."""
    path: Path | None = None
    """A font file (``.ttf``, ``.otf``, ``.ttc``) or a directory searched recursively."""
    licence: str = Field(min_length=1)
    debian_package: str | None = None
    """The Debian package that installs this font, named in the message when it is missing."""
    min_coverage: float = Field(default=0.9, ge=0.0, le=1.0)
    """A face is used only if it covers at least this fraction of the language's charset."""
    role: Literal["text", "display", "handwriting", "mono"] = "text"
    """How the synthetic engine may use the face: body text, headings/slides, handwriting, code."""
    weight: float = Field(default=1.0, gt=0.0)
    """How often the synthetic engine draws this family, against the pack's other families of its role
    (each family once, however many styles it ships): the faces most of the language's documents are
    set in can be drawn more."""

    @model_validator(mode="after")
    def _one_locator(self) -> FontSource:
        if (self.family is None) == (self.path is None):
            raise ValueError("give exactly one of 'family' or 'path'")
        return self


class TextSource(StrictModel):
    """A file of real text, one sample per line, with where it came from and under which licence."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    path: Path
    kind: TextKind = "prose"
    provenance: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    url: str | None = None
    converted_from: str | None = None
    """Set when the text was converted from another variety (e.g. ``"zh_hans via OpenCC s2twp"``)."""
    lines: int | None = Field(default=None, ge=0)
    """The line count the build script recorded (checked against the file by ``lang check``)."""

    def read_lines(self) -> list[str]:
        """The file's non-empty lines (``.xz`` and ``.gz`` are decompressed)."""
        opener = {".xz": lzma.open, ".gz": gzip.open}.get(self.path.suffix, open)
        with opener(self.path, "rt", encoding="utf-8") as fh:
            return [line.rstrip("\n") for line in fh if line.strip()]


class CharsetSlice(StrictModel):
    """The characters a pack guarantees, in a stable order: its share of the model vocabulary."""

    name: str = Field(min_length=1)
    chars: str = Field(min_length=1)
    description: str = ""

    @field_validator("chars")
    @classmethod
    def _clean(cls, value: str) -> str:
        if len(set(value)) != len(value):
            dup = sorted({c for c in value if value.count(c) > 1})[:10]
            raise ValueError(f"characters listed twice: {''.join(dup)!r}")
        bad = [c for c in value if c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")]
        if bad:
            raise ValueError(f"whitespace, invisible or unassigned code points: {[hex(ord(c)) for c in bad[:10]]}")
        return value

    @classmethod
    def from_file(cls, path: Path, name: str, description: str = "") -> CharsetSlice:
        """Read a slice shipped as a UTF-8 file of characters (line breaks ignored)."""
        text = path.read_text(encoding="utf-8")
        return cls(name=name, chars="".join(text.split()), description=description)


class VariantForms(StrictModel):
    """Characters another variety of the language's script writes differently, each with this language's
    own form: Simplified 内 → Traditional 內 for ``zh_hant``. A page the language's charset explains
    best is read with its own forms where the recognizer chose the other variety's look-alike
    (``infer/variants.py``)."""

    name: str = Field(min_length=1)
    forms: dict[str, str]
    """Other variety's character → this language's character, one character each."""
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)

    @field_validator("forms")
    @classmethod
    def _single_characters(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [(k, v) for k, v in value.items() if len(k) != 1 or len(v) != 1 or k == v]
        if bad:
            raise ValueError(f"each form maps one character to another one: {bad[:5]}")
        return value

    @classmethod
    def from_file(cls, path: Path, name: str) -> VariantForms:
        """Read ``OTHER<TAB>OWN`` lines; ``# source:`` and ``# licence:`` comment lines say where they came from."""
        forms, meta = {}, {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                meta[key.strip()] = value.strip()
            elif line.strip():
                other, _, own = line.partition("\t")
                forms[other] = own
        return cls(name=name, forms=forms, source=meta.get("source", ""), licence=meta.get("licence", ""))


class Confusables(StrictModel):
    """Characters the recognizer reads for each other in ``language``'s script (a voiced kana mark and a
    semi-voiced one, ゛ and ゜, a few pixels apart: ビ and ピ), and the units of text words are made of
    there (a regular-expression character class: runs of these characters are looked up). A run the
    language's own text never writes, which one swap within a group makes a run it writes often, is
    read that way where the swapped character was read unsurely (``infer/lexicon.py``)."""

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    """The body of a character class (``"ァ-ヺー"``): maximal runs of two or more such characters are the
    units looked up in the language's text."""
    groups: tuple[str, ...] = Field(min_length=1)
    """Each string a set of characters read for each other (``"ヒビピ"``); every one must match ``unit``."""
    min_count: int = Field(default=3, ge=1)
    """How often the language's text must write the swapped run for it to be taken."""
    min_length: int = Field(default=2, ge=1)
    """The shortest run looked up (1: a lone character too, where the script's neighbours tell it: a kana
    look-alike standing alone between kanji, ``百聞はー見``, is the kanji ``一``)."""
    pair_count: int = Field(default=0, ge=0)
    """When above 0, a run the text never writes also has its unsure characters checked by their pairs
    with their neighbours: one whose pairs the text never writes becomes the one look-alike whose pairs
    with both neighbours it writes this often (for scripts set without spaces between words, whose runs
    are whole phrases: Korean). 0: runs only."""
    repeats: bool = False
    """Whether a letter may have been read once where the text writes it twice, or twice where once: the
    recognizer's steps merge a doubled letter unless a blank falls between its two (``stil`` for
    ``still``), and now and then split one. A run the text never writes, which no swap mends, is written
    with one letter doubled or undoubled where exactly one such change makes a run it writes."""

    @model_validator(mode="after")
    def _groups_within_unit(self) -> Confusables:
        try:
            one = re.compile(f"[{self.unit}]")
        except re.error as exc:
            raise ValueError(f"unit {self.unit!r} is not a character class body: {exc}") from exc
        for group in self.groups:
            if len(group) < 2 or len(set(group)) != len(group):
                raise ValueError(f"a group is two or more different characters: {group!r}")
            outside = [ch for ch in group if not one.fullmatch(ch)]
            if outside:
                raise ValueError(f"characters of group {group!r} are not units of text: {outside}")
        return self

    @classmethod
    def from_file(cls, path: Path, name: str) -> Confusables:
        """Read a JSON object with ``unit``, ``groups`` and optionally ``min_count``, ``min_length``, ``pair_count`` and ``repeats``."""
        return cls(name=name, **json.loads(path.read_text(encoding="utf-8")))


def system_fonts(
    debian_package: str,
    licence: str,
    *families: str,
    role: Literal["text", "display", "handwriting", "mono"] = "text",
    min_coverage: float = 0.95,
    weight: float = 1.0,
) -> list[FontSource]:
    """Font sources for several fontconfig families installed by one Debian package.

    >>> [s.family for s in system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans", "DejaVu Serif")]
    ['DejaVu Sans', 'DejaVu Serif']
    """
    return [
        FontSource(family=f, licence=licence, debian_package=debian_package, role=role, min_coverage=min_coverage,
                   weight=weight)
        for f in families
    ]
