"""Words whose letters were read in the wrong case, where the letter's small form is its capital's shape.

Many Cyrillic small letters are their capitals, smaller (``в``, ``н``, ``т``, ``ш``, ``ы``): the
recognizer tells them apart by height alone, and now and then reads a few of a word set in capitals
small (``ВСтАвКА``, ``ДоПолНИТЕЛЬНыЕ`` in screen headings) or a few of a word in small letters tall
(``продоволЬсТвИя``). Packs name such letters (``LanguageSpec.capital_shaped``). In a word of four
letters or more:

- mostly capitals: a run of such small letters between two capitals is capitals, and so is such a
  run that begins the word where the rest are all capitals, three or more; a run that ends the word
  stays (a declined abbreviation: ``ГОСТов``), as does any run with a letter whose small form differs
  (``ЧаВО``);
- mostly small letters: such a capital past the first letter is small, unless three small letters or
  more follow it (words run together, ``ПроектСоздать``, or a name, ``ВКонтакте``).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]{4,}")
_SMALL_RUN = re.compile(r"[^\W\d_]+")


def in_capitals(text: str, shaped: frozenset[str]) -> str:
    """``text`` with each word's letters of ``shaped`` (small forms) put in the case the word is set in
    (see the module docstring)."""
    if not shaped:
        return text
    return _WORD.sub(lambda m: _word_in_case(m.group(0), shaped), text)


def _word_in_case(word: str, shaped: frozenset[str]) -> str:
    capitals = sum(ch.isupper() for ch in word)
    if capitals < 2:
        return word
    chars = list(word)
    if 2 * capitals < len(word):
        for k in range(1, len(word)):
            if word[k].isupper() and word[k].lower() in shaped and not _begins_part(word, k):
                chars[k] = word[k].lower()
        return "".join(chars)
    runs = [m.span() for m in _SMALL_RUN.finditer("".join(ch if ch.islower() else " " for ch in word))]
    for start, end in runs:
        if 0 < start and end < len(word) and all(ch in shaped for ch in word[start:end]):
            chars[start:end] = word[start:end].upper()
    if runs and runs[0][0] == 0 and all(ch in shaped for ch in word[:runs[0][1]]):
        rest = chars[runs[0][1]:]
        if len(rest) >= 3 and all(ch.isupper() for ch in rest):
            chars[:runs[0][1]] = word[:runs[0][1]].upper()
    return "".join(chars)


def _begins_part(word: str, k: int) -> bool:
    """Whether the capital at ``k`` has three small letters or more after it (it begins a part)."""
    small = 0
    for ch in word[k + 1:]:
        if not ch.islower():
            break
        small += 1
    return small >= 3
