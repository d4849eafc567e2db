"""What a "word" is, per the pack's ``word_unit``: the unit every word label and word box uses.

- ``separated``: maximal runs of non-space characters (English, Russian, Korean eojeol).
- ``character``: for scripts written without spaces, each character of the language's own scripts is
  a word; runs of other letters and digits inside it (an English word, a number) stay one word.
"""

from __future__ import annotations

import re

from polyocr.lang.spec import LanguageSpec
from polyocr.lang.text import NEUTRAL_SCRIPTS, script_of

_NON_SPACE = re.compile(r"\S+")


def word_spans(text: str, spec: LanguageSpec) -> list[tuple[int, int]]:
    """(start, end) character spans of the words of ``text``, in order.

    >>> from polyocr.lang import LanguageSpec
    >>> ja = LanguageSpec(code="ja", name="J", native_name="J", bcp47="ja", locale="ja_JP",
    ...                   scripts=("Hani", "Hira"), directions=("ltr",), word_separator="", word_unit="character")
    >>> [("日本語でOCR 2.0です"[a:b]) for a, b in word_spans("日本語でOCR 2.0です", ja)]
    ['日', '本', '語', 'で', 'OCR', '2.0', 'で', 'す']
    """
    if spec.word_unit != "character":  # maximal runs of non-space characters (``\s`` is ``str.isspace``)
        return [m.span() for m in _NON_SPACE.finditer(text)]
    spans: list[tuple[int, int]] = []
    own = set(spec.scripts)
    start = None
    for i, ch in enumerate(text):
        if ch.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
            continue
        if spec.word_unit == "character":
            script = script_of(ch)
            if script in own or (script in NEUTRAL_SCRIPTS and not ch.isalnum() and not _joins(text, i)):
                if start is not None:
                    spans.append((start, i))
                    start = None
                spans.append((i, i + 1))
                continue
        if start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def _joins(text: str, i: int) -> bool:
    """Punctuation inside a Latin word or number (``2.0``, ``e-mail``) belongs to it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
