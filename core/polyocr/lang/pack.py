"""``StandardPack``: the hooks of a typical language pack, so that a pack holds only its differences.

A pack module builds one object and points its entry point at it::

    pack = StandardPack(spec=SPEC, data=Path(__file__).parent / "data", fonts=FONTS)

    # pyproject.toml
    [project.entry-points.polyocr]
    eo = "polyocr_lang_eo:pack"

``data/charset.txt`` holds the charset slice and ``data/text/sources.json`` lists the text sources;
an optional ``data/variants.tsv`` gives the language's own forms of another variety's characters.
A pack with unusual needs implements the hooks of :mod:`polyocr.plugins.hookspecs` itself instead.
"""

from __future__ import annotations

from pathlib import Path

from polyocr.lang.sources import CharsetSlice, Confusables, FontSource, TextSource, VariantForms
from polyocr.lang.spec import LanguageSpec
from polyocr.lang.text import load_manifest
from polyocr.plugins import hookimpl


class StandardPack:
    """Answers the language hooks for one language from a spec, a data folder and font sources."""

    def __init__(self, spec: LanguageSpec, data: Path, fonts: list[FontSource], charset_description: str = "") -> None:
        self.spec = spec
        self.data = Path(data)
        self.fonts = list(fonts)
        self.charset_description = charset_description

    def _mine(self, language: LanguageSpec) -> bool:
        return language.code == self.spec.code

    @hookimpl
    def register_languages(self) -> list[LanguageSpec]:
        return [self.spec]

    @hookimpl
    def register_charsets(self, language: LanguageSpec) -> list[CharsetSlice]:
        path = self.data / "charset.txt"
        if not self._mine(language) or not path.exists() or not path.read_text(encoding="utf-8").strip():
            return []  # `polyocr lang check` reports the missing charset
        return [CharsetSlice.from_file(path, self.spec.code, self.charset_description)]

    @hookimpl
    def register_fonts(self, language: LanguageSpec) -> list[FontSource]:
        return list(self.fonts) if self._mine(language) else []

    @hookimpl
    def register_text_sources(self, language: LanguageSpec) -> list[TextSource]:
        if not self._mine(language) or not (self.data / "text" / "sources.json").exists():
            return []
        return load_manifest(self.data / "text")

    @hookimpl
    def register_variants(self, language: LanguageSpec) -> list[VariantForms]:
        path = self.data / "variants.tsv"
        if not self._mine(language) or not path.exists():
            return []
        return [VariantForms.from_file(path, self.spec.code)]

    @hookimpl
    def register_confusables(self, language: LanguageSpec) -> list[Confusables]:
        """Every ``data/confusables*.json`` (a table per script: Japanese katakana, Japanese kanji)."""
        if not self._mine(language):
            return []
        return [Confusables.from_file(path, self.spec.code) for path in sorted(self.data.glob("confusables*.json"))]
