"""``LanguageSpec``: what is *different* about a language, the only place such rules live.

The core never tests a language code; it reads these fields. A layout that sets vertical columns asks
``spec.vertical``; a line breaker asks ``spec.line_breaking``; a word splitter asks ``spec.word_unit``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from polyocr.lang.base import StrictModel

Direction = Literal["ltr", "rtl", "ttb"]
"""Directions a language may be set in: left-to-right, right-to-left (ready for later packs), top-to-bottom."""


class LineBreaking(StrictModel):
    """Where a line may break (kinsoku shori for CJK: characters that may not begin or end a line)."""

    no_line_start: str = ""
    """Characters that may not begin a line (closing brackets, small kana, 。、 …)."""
    no_line_end: str = ""
    """Characters that may not end a line (opening brackets, currency signs …)."""
    break_between_characters: bool = False
    """True where a line may break between any two characters (CJK), not only at word separators."""
    hyphenate: bool = False
    """True where long words may be hyphenated at line ends."""


class VerticalText(StrictModel):
    """How the language is set in top-to-bottom columns."""

    column_order: Literal["rtl", "ltr"] = "rtl"
    """Order of successive columns on the page (CJK: right to left)."""
    latin: Literal["rotate", "upright"] = "rotate"
    """Latin words and multi-digit numbers in a column: turned 90° clockwise, or set upright one by one."""


class NumberFormat(StrictModel):
    """Number and currency conventions used when a pack generates numbers and prices."""

    decimal: str = "."
    group: str = ","
    currency: tuple[str, ...] = ()
    fullwidth_digits: bool = False
    """True where full-width digits (０-９) occur in ordinary text."""


class LanguageSpec(StrictModel):
    """A language as a pack declares it.

    >>> spec = LanguageSpec(code="eo", name="Esperanto", native_name="Esperanto", locale="eo",
    ...                     bcp47="eo", scripts=("Latn",), directions=("ltr",), word_separator=" ")
    >>> spec.word_unit
    'separated'
    """

    code: str = Field(pattern=r"^[a-z]{2,3}(_[a-z0-9]{2,8})*$")
    """Stable identifier, also the pack's name (``polyocr-lang-<code>``): ``ja``, ``zh_hant``."""
    name: str = Field(min_length=1)
    native_name: str = Field(min_length=1)
    bcp47: str = Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """BCP 47 tag given to the shaper (harfbuzz ``language``) and to exports: ``ja``, ``zh-Hant``."""
    locale: str = Field(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")
    """POSIX locale for generated form fields (Faker) and number formats (Babel): ``ja_JP``."""
    scripts: tuple[str, ...] = Field(min_length=1)
    """ISO 15924 codes of the scripts the language is written in (``Hira``, ``Kana``, ``Hani``)."""
    directions: tuple[Direction, ...] = Field(min_length=1)
    word_separator: str = " "
    """What separates words in running text: a space, or ``""`` for scripts without spaces."""
    word_unit: Literal["separated", "character"] = "separated"
    """What a "word" label is: the run between separators, or each character (for unspaced scripts)."""
    line_breaking: LineBreaking = LineBreaking()
    vertical: VerticalText | None = None
    """Rules for vertical columns; ``None`` when the language is never set vertically."""
    numbers: NumberFormat = NumberFormat()
    quotes: tuple[tuple[str, str], ...] = (("“", "”"),)
    capital_shaped: str = ""
    """Small letters shaped as their capitals, only smaller (Russian ``в н т ш ы``): in a word set in
    capitals the recognizer tells them from the capitals by height alone, and where it reads some of them
    small between capitals (``ВСтАвКА``) they are capitals (``infer/capitals.py``)."""
    detect_line: float | None = Field(default=None, gt=0)
    """Line thickness (pixels of the detector's view) at which the detector keeps this language's lines
    apart; ``None``: the pipeline's default (``PipelineConfig.detect_line``, 20). A page mostly in scripts
    of packs that set less is detected at less, which costs fewer pixels: on real pages English, Korean
    and Russian read as well at 16 as at 20, a third faster, while kanji need 20."""
    ink_thickness: float | None = Field(default=None, gt=0)
    """A line's thickness in the heights of its characters' ink (the 80th percentile of the page's
    connected components of dark pixels); ``None``: the pipeline's default (``PipelineConfig.ink_thickness``,
    1.4). The pipeline sizes small text on a large canvas from the ink; a script whose letters are
    mostly x-height (Cyrillic: 1.54 on the real pages, the others 1.33–1.46) would otherwise look smaller
    than it is and be read from a needlessly close view."""

    @field_validator("scripts")
    @classmethod
    def _iso15924(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [s for s in value if not re.fullmatch(r"[A-Z][a-z]{3}", s)]
        if bad:
            raise ValueError(f"not ISO 15924 script codes: {bad} (e.g. 'Latn', 'Hani')")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> LanguageSpec:
        if ("ttb" in self.directions) != (self.vertical is not None):
            raise ValueError("'ttb' is in directions exactly when vertical rules are given")
        if len(set(self.directions)) != len(self.directions):
            raise ValueError("directions are listed twice")
        if self.word_unit == "separated" and not self.word_separator:
            raise ValueError("word_unit 'separated' needs a word_separator; use 'character' for unspaced scripts")
        return self

    @property
    def package(self) -> str:
        """The distribution name a pack for this language is published under."""
        return f"polyocr-lang-{self.code.replace('_', '-')}"
