"""Full-width punctuation and Latin letters in narrow text written in their narrow forms.

East Asian typesetting gives punctuation a full-width form (``：``, ``！``, ``（``, ``。``), and the
recognizer, which learned them in Japanese and Chinese lines, now and then reads an English or Russian
line's colon or parenthesis as one (``NOTE：``, ``качествах：``). In a line with no wide character, on a
page whose letters are nearly all narrow, such a form is the narrow one: ``：`` is ``:``, ``。`` is ``.``.
Which characters are wide is Unicode's East Asian Width property, not a list of languages, so a page of
a new script that sets wide characters keeps its forms.
"""

from __future__ import annotations

import unicodedata

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
    if not any(ch in NARROW for text in texts for ch in text):
        return texts
    letters = sum(ch.isalpha() for text in texts for ch in text)
    wides = sum(ch.isalpha() and wide(ch) for text in texts for ch in text)
    if letters == 0 or wides > max_wide_share * letters:
        return texts
    return [text if any(wide(ch) for ch in text) else "".join(NARROW.get(ch, ch) for ch in text) for text in texts]
