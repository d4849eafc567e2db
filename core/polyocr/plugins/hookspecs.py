"""Every hook a polyocr plugin can implement. The docstrings here *are* the contributor documentation.

Conventions, shared by all hooks:

- A hook is named ``register_*`` and **returns** objects (pydantic specs, or plain dicts that validate
  as them); it never mutates core state. Return an empty list when the hook does not concern you.
- Hooks that take ``language`` are called once per installed language with its
  :class:`~polyocr.lang.spec.LanguageSpec`; a language pack answers for its own code, and any other
  plugin may answer too (a font pack adding faces to ``ja``, say).
- A hook that raises, or returns something that does not validate, is reported by plugin name and
  skipped; the other plugins still contribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

from polyocr.plugins import PROJECT_NAME

if TYPE_CHECKING:
    from polyocr.lang.sources import CharsetSlice, Confusables, FontSource, TextSource, VariantForms
    from polyocr.lang.spec import LanguageSpec

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def register_languages() -> list[LanguageSpec | dict[str, Any]]:
    """Declare the languages this plugin provides.

    Return a list of :class:`~polyocr.lang.spec.LanguageSpec`: code, names, scripts, the directions
    text may be set in, word separator, line-breaking (kinsoku) rules, vertical-text rules and number
    conventions. A language code may be claimed by one installed distribution only; two claiming the
    same code is an error that names both.

    >>> @hookimpl
    ... def register_languages():
    ...     return [LanguageSpec(code="eo", name="Esperanto", native_name="Esperanto", locale="eo",
    ...                          bcp47="eo", scripts=("Latn",), directions=("ltr",), word_separator=" ")]
    """


@hookspec
def register_charsets(language: LanguageSpec) -> list[CharsetSlice | dict[str, Any]]:
    """Return the charset slices guaranteed for ``language``: the characters the model must read.

    The model vocabulary is the ordered union of every installed slice; a slice's order is kept, so
    ship it as a file that never reorders (append only). Every character of a slice must be covered by
    at least one of the language's fonts (``polyocr lang check`` verifies it).
    """


@hookspec
def register_fonts(language: LanguageSpec) -> list[FontSource | dict[str, Any]]:
    """Return the font sources to draw ``language`` with.

    A :class:`~polyocr.lang.sources.FontSource` names a fontconfig family (glob patterns allowed, e.g.
    ``"Noto Serif CJK JP"``), a font file the plugin ships, or a directory. polyocr resolves each to
    faces, measures their coverage of the language's charset from the cmap (catching "tofu" fonts that
    draw one box for many code points) and keeps the faces that cover at least ``min_coverage``.
    Record the licence, and the Debian package that provides a system font so a missing one gets an
    actionable message.
    """


@hookspec
def register_text_sources(language: LanguageSpec) -> list[TextSource | dict[str, Any]]:
    """Return the real, human-written text ``language`` is rendered from.

    Each :class:`~polyocr.lang.sources.TextSource` is a file of one sample per line (plain, ``.gz`` or
    ``.xz``) with its provenance and licence; :func:`polyocr.lang.text.load_manifest` builds them from a
    ``sources.json`` that a pack's build script writes. Text converted from another variety (e.g.
    Simplified to Traditional Chinese) must say so in ``converted_from``.
    """


@hookspec
def register_variants(language: LanguageSpec) -> list[VariantForms | dict[str, Any]]:
    """Return characters that another variety of ``language``'s script writes differently, each with
    ``language``'s own form (optional; Chinese packs ship them).

    The recognizer reads every installed language at once, so on a Traditional-Chinese page it may
    choose the Simplified look-alike of a character (内 for 內). Where a page's characters are best
    explained by ``language``'s charset (clearly better than by any other pack's), polyocr replaces
    such characters by their ``language`` form, if that form is in the charset and the other is not.
    A :class:`~polyocr.lang.sources.VariantForms` maps one character to one character, and says where
    the table came from and its licence.
    """


@hookspec
def register_confusables(language: LanguageSpec) -> list[Confusables | dict[str, Any]]:
    """Return groups of ``language``'s characters the recognizer reads for each other, with the unit of
    text they are looked up in (optional; the Japanese pack ships its kana's voiced and semi-voiced
    marks: ビ and ピ).

    A :class:`~polyocr.lang.sources.Confusables` names a character class (``unit``) whose runs are the
    language's word-like units (katakana words), and groups of characters within it. polyocr counts
    those runs in ``language``'s text sources; a run read on a page that they never write, which
    swapping one unsurely read character for another of its group makes a run they write at least
    ``min_count`` times (and no other swap does), is written that way.
    """


@hookspec
def register_layouts() -> list[Any]:
    """Return page layout families for the synthetic document engine.

    Each item is a :class:`~polyocr.synth.layouts.LayoutSpec` (``name``, ``weight``, ``layout``) whose
    ``layout`` implements :class:`~polyocr.synth.layouts.Layout`: ``supports(ctx)`` says whether it
    applies to a page's language (e.g. only packs with vertical rules), ``compose(ctx, rng)`` returns a
    :class:`~polyocr.synth.draft.PageDraft` of laid-out paragraphs in reading order. ``weight`` sets
    how often the family is drawn relative to the others. The core's own families (columns, table,
    toc, slide, form, scene, vertical, rotated) are registered through this same hook.
    """
