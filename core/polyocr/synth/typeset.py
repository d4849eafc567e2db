"""Typesetting: break running text into lines that fit a width, by the pack's line-breaking rules.

A paragraph is shaped once as one long line; the advance of every character gives the widths, and
lines break at word separators, or between any two characters for scripts that allow it, never
putting a kinsoku character at a line start or end. Each line is then cut from the shaped paragraph
(``slice_lines``), which gives the glyphs that shaping the line on its own would give; where harfbuzz
says a cut is not safe (a kerning pair or ligature across it) the line is shaped again on its own.
Either way the labels come from the very glyphs that are drawn.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from polyocr.lang.spec import LanguageSpec
from polyocr.render.layout import InlineRun, LineGlyphs, TextStyle, layout_line, slice_lines
from polyocr.render.shaping import UncoveredCharacterError


def drawable(text: str, style: TextStyle, direction: str = "ltr", keep_unsafe: bool = False,
             inline: tuple[InlineRun, ...] = ()) -> tuple[str, LineGlyphs]:
    """Lay out ``text``, dropping characters no font of the style draws (the label follows)."""
    text, _, glyphs = drawable_runs(text, style, direction, keep_unsafe, inline)
    return text, glyphs


def drawable_runs(text: str, style: TextStyle, direction: str = "ltr", keep_unsafe: bool = False,
                  inline: tuple[InlineRun, ...] = ()) -> tuple[str, tuple[InlineRun, ...], LineGlyphs]:
    """:func:`drawable` that also gives the ``inline`` runs re-indexed for the characters it dropped."""
    for _ in range(3):
        try:
            return text, inline, layout_line(text, style, direction, keep_unsafe=keep_unsafe, inline=inline)
        except UncoveredCharacterError as err:
            kept = [c not in err.chars for c in text]
            text, inline = "".join(c for c, k in zip(text, kept, strict=True) if k), shift_runs(inline, kept)
    return text, inline, layout_line(text, style, direction, keep_unsafe=keep_unsafe, inline=inline)


def shift_runs(inline: tuple[InlineRun, ...], kept: list[bool]) -> tuple[InlineRun, ...]:
    """``inline`` runs re-indexed for the text left once the characters not ``kept`` are removed."""
    if not inline:
        return inline
    index = np.concatenate([[0], np.cumsum(kept)])  # new index of each old position
    moved = (replace(r, start=int(index[r.start]), end=int(index[r.end])) for r in inline)
    return tuple(r for r in moved if r.end > r.start)


def clip_runs(inline: tuple[InlineRun, ...], start: int, end: int) -> tuple[InlineRun, ...]:
    """The parts of ``inline`` runs inside characters ``start:end``, indexed from ``start``."""
    return tuple(replace(r, start=max(r.start, start) - start, end=min(r.end, end) - start)
                 for r in inline if r.end > start and r.start < end)


def normalize(text: str, spec: LanguageSpec) -> str:
    """Running text as a paragraph sets it: whitespace collapsed where words are spaced, newlines
    dropped where they are not (what :func:`typeset` lays out, and what ``inline`` runs index)."""
    return " ".join(text.split()) if spec.word_separator else text.replace("\n", "")


def char_ends(glyphs: LineGlyphs) -> np.ndarray:
    """Advance position (along the line) where each character ends."""
    n = len(glyphs.text)
    axis = 3 if glyphs.direction == "ttb" else 2
    ends = np.zeros(n)
    if glyphs.clusters.size:
        np.maximum.at(ends, glyphs.clusters, glyphs.adv_box[:, axis])
    return np.maximum.accumulate(ends)


def break_lines(text: str, ends: np.ndarray, width: float, spec: LanguageSpec) -> list[tuple[int, int]]:
    """(start, end) spans of lines no longer than ``width`` (separators at breaks are dropped)."""
    rules = spec.line_breaking
    sep = spec.word_separator or " "
    n = len(text)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < n:
        while start < n and text[start].isspace():
            start += 1
        if start >= n:
            break
        origin = ends[start - 1] if start > 0 else 0.0
        limit = int(np.searchsorted(ends, origin + width, side="right"))  # chars start..limit-1 fit
        if limit >= n:
            spans.append((start, n))
            break
        best = -1
        for i in range(limit, start, -1):  # a break before character i
            if text[i] == sep or text[i].isspace():
                best = i
                break
            if rules.break_between_characters and not text[i - 1].isspace():
                if text[i] not in rules.no_line_start and text[i - 1] not in rules.no_line_end:
                    best = i
                    break
        if best <= start:
            best = max(limit, start + 1)  # one word longer than the line: break inside it
        end = best
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        start = best
    return spans


def typeset(text: str, style: TextStyle, spec: LanguageSpec, width: float, direction: str = "ltr",
            max_lines: int | None = None, inline: tuple[InlineRun, ...] = ()) -> list[LineGlyphs]:
    """Lines of ``text`` fitting ``width`` (the column height for ``ttb``), each laid out for drawing.

    ``inline`` runs (another face, bold, italic) index ``normalize(text, spec)``."""
    text, inline, whole = drawable_runs(normalize(text, spec), style, direction, keep_unsafe=True, inline=inline)
    spans = break_lines(text, char_ends(whole), width, spec)
    if max_lines is not None:
        spans = spans[:max_lines]
    spans = [(a, b) for a, b in spans if text[a:b].strip()]
    if spans == [(0, len(text))]:  # it all fits on one line (most table cells and form fields): no cut
        return [replace(whole, unsafe=None)]
    return [line if line is not None else drawable(text[a:b], style, direction, inline=clip_runs(inline, a, b))[1]
            for (a, b), line in zip(spans, slice_lines(whole, spans), strict=True)]
