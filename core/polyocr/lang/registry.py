"""Installed languages: each pack's spec, charset, fonts and text, gathered through the plugin hooks.

>>> from polyocr.lang.registry import load_languages
>>> langs = load_languages()
>>> ja = langs.get("ja")                      # doctest: +SKIP
>>> ja.fonts().families[:2]                   # doctest: +SKIP
['IPAGothic', 'IPAMincho']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from polyocr.errors import LanguageNotFoundError, PluginConflictError
from polyocr.lang.fonts import FaceInfo, FontCatalog, default_catalog
from polyocr.lang.sources import CharsetSlice, Confusables, FontSource, TextSource, VariantForms
from polyocr.lang.spec import LanguageSpec
from polyocr.plugins import PluginInfo, PluginManager, PluginProblem, get_plugin_manager


@dataclass(frozen=True)
class ResolvedFace:
    """A face chosen for a language, with the fraction of the language's charset it covers."""

    face: FaceInfo
    source: FontSource
    covered: frozenset[str]
    """The characters of the language's charset this face draws."""
    coverage: float


@dataclass
class FontSet:
    """The faces that draw one language, and what could not be resolved."""

    faces: list[ResolvedFace]
    missing: list[FontSource] = field(default_factory=list)
    """Sources that matched no face on this machine (not installed)."""
    rejected: list[tuple[FaceInfo, float]] = field(default_factory=list)
    """Faces found but below their source's ``min_coverage``."""

    @property
    def families(self) -> list[str]:
        return sorted({f.face.family for f in self.faces})

    def coverers(self, char: str) -> list[ResolvedFace]:
        return [f for f in self.faces if char in f.covered]

    def uncovered(self, chars: str) -> list[str]:
        """Characters of ``chars`` that no face draws."""
        union: set[str] = set().union(*(f.covered for f in self.faces)) if self.faces else set()
        return [c for c in chars if c not in union]

    def coverage(self, chars: str) -> float:
        return 1.0 - len(self.uncovered(chars)) / len(chars) if chars else 0.0


@dataclass
class LanguagePack:
    """Everything the installed plugins say about one language."""

    spec: LanguageSpec
    plugin: PluginInfo
    slices: list[tuple[PluginInfo, CharsetSlice]]
    font_sources: list[tuple[PluginInfo, FontSource]]
    text_sources: list[tuple[PluginInfo, TextSource]]
    variant_sources: list[tuple[PluginInfo, VariantForms]] = field(default_factory=list)
    confusable_sources: list[tuple[PluginInfo, Confusables]] = field(default_factory=list)
    _fonts: FontSet | None = field(default=None, repr=False)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def package(self) -> str:
        return self.plugin.distribution or self.plugin.name

    @property
    def version(self) -> str | None:
        return self.plugin.version

    @cached_property
    def charset(self) -> str:
        """The ordered union of the language's slices (first occurrence wins)."""
        return "".join(dict.fromkeys(c for _, s in self.slices for c in s.chars))

    @cached_property
    def variants(self) -> dict[str, str]:
        """Another variety's characters → the language's own forms (``register_variants``), kept where
        the own form is in the charset and the other is not."""
        own = set(self.charset)
        return {other: mine for _, src in self.variant_sources for other, mine in src.forms.items()
                if mine in own and other not in own}

    def fonts(self, catalog: FontCatalog | None = None) -> FontSet:
        """Resolve the font sources to faces with their coverage (cached per pack)."""
        if self._fonts is None:
            self._fonts = resolve_fonts([s for _, s in self.font_sources], self.charset, catalog or default_catalog())
        return self._fonts

    @property
    def confusables(self) -> list[Confusables]:
        """The character groups the recognizer reads for each other in this language (``register_confusables``)."""
        return [src for _, src in self.confusable_sources]

    def text_lines(self, kinds: tuple[str, ...] = ("prose", "ui", "verse")) -> list[str]:
        """All lines of the text sources of the given kinds, in source order."""
        return [line for _, src in self.text_sources if src.kind in kinds for line in src.read_lines()]


def resolve_fonts(sources: list[FontSource], charset: str, catalog: FontCatalog) -> FontSet:
    """Turn font sources into faces that cover enough of ``charset``; the same face counts once."""
    faces: list[ResolvedFace] = []
    seen: set[tuple[str, int]] = set()
    result = FontSet(faces)
    for source in sources:
        matched = catalog.match(source)
        if not matched:
            result.missing.append(source)
            continue
        for face in matched:
            cov = catalog.coverage(face)
            identity = (cov.sha256, face.index)
            if identity in seen:
                continue
            covered = frozenset(c for c in charset if ord(c) in cov.covered)
            fraction = len(covered) / len(charset) if charset else 0.0
            if fraction < source.min_coverage:
                result.rejected.append((face, fraction))
                continue
            seen.add(identity)
            faces.append(ResolvedFace(face, source, covered, fraction))
    return result


@dataclass
class Languages:
    """The installed language packs by code, and the plugin problems met while gathering them."""

    packs: dict[str, LanguagePack]
    problems: list[PluginProblem]
    manager: PluginManager

    def get(self, code: str) -> LanguagePack:
        try:
            return self.packs[code]
        except KeyError:
            installed = ", ".join(self.packs) or "none"
            raise LanguageNotFoundError(
                f"no language pack provides {code!r} (installed: {installed}); "
                f"install polyocr-lang-{code.replace('_', '-')} or create one with `polyocr lang new {code}`"
            ) from None

    def select(self, codes: list[str] | None) -> list[LanguagePack]:
        return [self.get(c) for c in codes] if codes else list(self.packs.values())


def load_languages(manager: PluginManager | None = None) -> Languages:
    """Gather every language the plugins declare, with their charsets, fonts and text sources.

    A plugin that fails is recorded in ``problems`` and skipped; two plugins declaring the same
    language code raise :class:`~polyocr.errors.PluginConflictError` naming both distributions.
    """
    manager = manager or get_plugin_manager()
    specs: dict[str, tuple[PluginInfo, LanguageSpec]] = {}
    for info, spec in manager.collect("register_languages", LanguageSpec):
        if spec.code in specs:
            other = specs[spec.code][0]
            raise PluginConflictError(
                f"language {spec.code!r} is declared by both {other.label} and {info.label}; uninstall one of them"
            )
        specs[spec.code] = (info, spec)
    packs: dict[str, LanguagePack] = {}
    for code in sorted(specs):
        info, spec = specs[code]
        packs[code] = LanguagePack(
            spec=spec,
            plugin=info,
            slices=list(manager.collect("register_charsets", CharsetSlice, language=spec)),
            font_sources=list(manager.collect("register_fonts", FontSource, language=spec)),
            text_sources=list(manager.collect("register_text_sources", TextSource, language=spec)),
            variant_sources=list(manager.collect("register_variants", VariantForms, language=spec)),
            confusable_sources=list(manager.collect("register_confusables", Confusables, language=spec)),
        )
    return Languages(packs, manager.problems, manager)
