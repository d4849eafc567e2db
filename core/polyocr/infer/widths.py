"""Full-width punctuation and Latin letters in narrow text written in their narrow forms.

East Asian typesetting gives punctuation a full-width form (``：``, ``！``, ``（``, ``。``), and the
recognizer, which learned them in Japanese and Chinese lines, now and then reads an English or Russian
line's colon or parenthesis as one (``NOTE：``, ``качествах：``). In a line with no wide character, on a
page whose letters are nearly all narrow, such a form is the narrow one: ``：`` is ``:``, ``。`` is ``.``.
Which characters are wide is Unicode's East Asian Width property, not a list of languages, so a page of
a new script that sets wide characters keeps its forms.

The same recognizer reads a narrow mark now and then as a wide letter that looks like it: ``>>`` as
``ン>``, ``>=`` as ``>ニ``, ``<<`` as ``<く``. On a page whose letters are nearly all narrow, a wide letter
between narrow characters is such a misread (every one on the English and Russian real and web pages
was): the pipeline reads its line again with the narrow classes only and the letter takes what that
read found over its steps (``PipelineConfig.lone_wide``).
"""

from __future__ import annotations

import dataclasses
import unicodedata

from polyocr.model.ctc import DecodedLine

NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"。": ".", "、": ",", "\u3000": " "}
"""Full-width forms and their narrow ones (U+FF01–U+FF5E are ASCII's ``!`` to ``~`` shifted by 0xFEE0)."""


def wide(ch: str) -> bool:
    """Whether ``ch`` is a wide character of running text (Han, kana, Hangul, CJK punctuation), not one
    of the full-width forms of narrow characters."""
    return ch not in NARROW and unicodedata.east_asian_width(ch) in ("W", "F")


def narrow_forms(texts: list[str], max_wide_share: float = 0.05) -> list[str]:
    """``texts`` (a page's lines) with the full-width forms of lines that hold no wide character written
    narrow, where at most ``max_wide_share`` of the page's letters are wide (a Japanese page's line of
    Latin may well set ``：``)."""
    if not any(ch in NARROW for text in texts for ch in text) or not _narrow_page(texts, max_wide_share):
        return texts
    return [text if any(wide(ch) for ch in text) else "".join(NARROW.get(ch, ch) for ch in text) for text in texts]


def lone_wide_lines(texts: list[str], max_wide_share: float = 0.05) -> list[int]:
    """Indices of the lines (``texts``, a page's) with a wide letter between narrow characters (or at a
    line's end beside one), where at most ``max_wide_share`` of the page's letters are wide: on a page of
    English or Russian such a letter is a misread narrow character (``ン>`` for ``>>``)."""
    if not any(wide(ch) for text in texts for ch in text) or not _narrow_page(texts, max_wide_share):
        return []
    return [i for i, text in enumerate(texts) if any(_lone_wide(text, k) for k in range(len(text)))]


def _narrow_page(texts: list[str], max_wide_share: float) -> bool:
    """Whether the page has letters and at most ``max_wide_share`` of them are wide."""
    letters = [ch for text in texts for ch in text if ch.isalpha()]
    return bool(letters) and sum(wide(ch) for ch in letters) <= max_wide_share * len(letters)


def _lone_wide(text: str, k: int) -> bool:
    """Whether ``text[k]`` is a wide letter with no wide neighbour and a narrow one."""
    if not (text[k].isalpha() and wide(text[k])):
        return False
    near = [text[j] for j in (k - 1, k + 1) if 0 <= j < len(text) and not text[j].isspace()]
    return bool(near) and not any(wide(ch) for ch in near)


def without_lone_wide(read: DecodedLine, narrow: DecodedLine) -> DecodedLine:
    """``read`` with each lone wide letter replaced by what ``narrow`` (the same line read with the narrow
    classes only) read over the same steps; the rest of the line stays as read. A character ``narrow``
    read over a neighbour's steps too, the neighbour's own, is that neighbour (``>ン>`` read ``>>``
    there: the three steps merged into two marks)."""
    kept: list[tuple[str, float, tuple[float, float]]] = []  # (character, probability, span)
    for k, (ch, p, span) in enumerate(zip(read.text, read.char_conf, read.spans, strict=True)):
        if not _lone_wide(read.text, k):
            kept.append((ch, p, span))
            continue
        a, b = span
        beside = [(read.text[j], read.spans[j]) for j in (k - 1, k + 1) if 0 <= j < len(read.text)]
        kept += [(ch2, p2, (max(a, a2), min(b, b2)))
                 for ch2, p2, (a2, b2) in zip(narrow.text, narrow.char_conf, narrow.spans, strict=True)
                 if a2 < b and b2 > a and not ch2.isspace()
                 and not any(ch2 == ch3 and a2 < b3 and b2 > a3 for ch3, (a3, b3) in beside)]
    text = "".join(ch for ch, _, _ in kept)
    if text == read.text:
        return read
    conf = [p for _, p, _ in kept]
    return dataclasses.replace(read, text=text, char_conf=conf, spans=[span for _, _, span in kept],
                               confidence=float(sum(conf) / len(conf)) if conf else 1.0)
