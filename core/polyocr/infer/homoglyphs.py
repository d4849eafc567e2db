"""One script per word: letters that look the same in Latin, Cyrillic and Greek are read in the word's script.

A recognizer that reads every installed language at once cannot tell Latin ``A`` from Cyrillic ``А`` or
Greek ``Α`` by their pixels: they are the same drawing. Real words do not mix those scripts, so a look-
alike letter takes the script of the other letters of its word; a word made only of look-alikes
(``ОС``, ``TOP``) takes the script that dominates its line (then its page). Digits that look like a
letter (``З`` for ``3``) become digits in a word of digits, and so does a word made only of such letters
of another script than its line's, which has no letter drawn so (``CHAPTER З``). The substitution is
one character for one character, so confidences and positions stay attached to their characters.

Latin capital ``I`` and small ``l`` are one drawing in sans-serif faces (those of CJK documents above
all), and the recognizer reads ``libfoo`` set in them as ``Iibfoo``: a word that begins with ``Ii``
and goes on in small letters, which no English word does, begins with ``li`` (:func:`small_l`).

Letters that only resemble each other (Cyrillic ``п`` and Latin ``n``, ``и`` and ``u`` as italics draw
them) are a recognizer's likely confusions but different drawings: they change only inside a word whose
other letters tell its script, never by the line's script, so a Latin word read right inside Russian
text (``run``) stays as it is, while ``pythoп`` becomes ``python``. A word left of two scripts that way
(no word is) is made whole: in the page's script where it can be, else as a Latin word quoted in the
line (``іmаkе`` in Russian text → ``imake``; ``Aпуопе`` in English text → ``Anyone``).

A word's parts between punctuation are words of their own (``Java-приложений``, ``не-Linux-ядро``); a
part with no telling letter takes its word's script (``C-f``). No letter the recognizer cannot read is
ever written (``readable``): with the shipped packs Cyrillic ``ѕ``, ``і``, ``ј`` are none of its classes
(Russian writes none of them), so a word of Latin ``s`` or ``i`` read in a Russian line is not made
Cyrillic (``Етасѕ``, ``МІРЅ``) but Latin (``Emacs``, ``MIPS``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

# (Latin, Cyrillic, Greek) drawings of the same letter; "" where a script has none
_GROUPS = [
    ("A", "А", "Α"), ("B", "В", "Β"), ("C", "С", ""), ("E", "Е", "Ε"), ("H", "Н", "Η"), ("I", "І", "Ι"),
    ("J", "Ј", ""), ("K", "К", "Κ"), ("M", "М", "Μ"), ("N", "", "Ν"), ("O", "О", "Ο"), ("P", "Р", "Ρ"),
    ("S", "Ѕ", ""), ("T", "Т", "Τ"), ("X", "Х", "Χ"), ("Y", "Ү", "Υ"), ("Z", "", "Ζ"),
    ("a", "а", ""), ("c", "с", ""), ("e", "е", ""), ("i", "і", ""), ("j", "ј", ""), ("o", "о", "ο"),
    ("p", "р", ""), ("s", "ѕ", ""), ("x", "х", ""), ("y", "у", ""), ("v", "", "ν"),
]
# (Latin, Cyrillic, Greek) letters that resemble each other in common typefaces without being the same drawing
_NEAR_GROUPS = [("n", "п", ""), ("u", "и", ""), ("m", "т", ""), ("r", "г", ""), ("k", "к", "κ")]
SCRIPTS = ("Latin", "Cyrillic", "Greek")


def _tables(groups: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    to: dict[str, dict[str, str]] = {script: {} for script in SCRIPTS}
    for group in groups:
        for script, target in zip(SCRIPTS, group, strict=True):
            if target:
                for other in group:
                    if other and other != target:
                        to[script][other] = target
    return to


_TO = _tables(_GROUPS)
_TO_NEAR = _tables(_GROUPS + _NEAR_GROUPS)


@functools.lru_cache(maxsize=8)
def _tables_for(readable: frozenset[str] | None) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The look-alike tables without the letters outside ``readable``: a word is never written with a
    letter the recognizer cannot read (Cyrillic ``ѕ``, ``і``, ``ј`` with the shipped packs, whose Russian
    does not write them: ``Emacs`` read in a Russian line came out ``Етасѕ``)."""
    if readable is None:
        return _TO, _TO_NEAR

    def keep(groups: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        return [tuple(c if c in readable else "" for c in group) for group in groups]

    return _tables(keep(_GROUPS)), _tables(keep(_GROUPS + _NEAR_GROUPS))


LOOKALIKES = frozenset(c for group in _GROUPS for c in group if c)
_UNTELLING = LOOKALIKES | frozenset(c for group in _NEAR_GROUPS for c in group if c)
_DIGIT_LOOKALIKES = {"З": "3", "О": "0", "O": "0", "б": "6", "l": "1", "I": "1"}
_WORD = re.compile(r"\S+")
_PART = re.compile(r"[^\W_]+")
"""A word's letters and digits between punctuation: the parts of ``не-Linux-ядро``, ``большой.diff`` are
words of their own scripts; a part with no telling letter takes its word's (``C-f``)."""


def script_of(ch: str) -> str | None:
    """``Latin``, ``Cyrillic`` or ``Greek`` for a letter of those scripts, else None."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return next((s for s in SCRIPTS if name.startswith(s.upper())), None)


def _votes(text: str) -> Counter:
    """Letters of each script that are not look-alikes (the ones that tell the script)."""
    return Counter(s for ch in text if ch not in _UNTELLING and (s := script_of(ch)))


def harmonize(text: str, fallback: str | None = None, readable: frozenset[str] | None = None) -> str:
    """``text`` with every look-alike letter in its word's script (see the module docstring).

    ``fallback`` decides words whose letters are all look-alikes when the text itself has no telling
    letter (e.g. the page's dominant script). ``readable``: the letters the recognizer can read (its
    vocabulary's); no other letter is written.
    """
    to, to_near = _tables_for(readable)

    def digits(match: re.Match) -> str:
        word = match.group(0)
        letters = sum(ch.isalpha() for ch in word)
        n = sum(ch.isdigit() for ch in word)
        if n and n >= letters and all(ch in _DIGIT_LOOKALIKES or not ch.isalpha() for ch in word):
            return "".join(_DIGIT_LOOKALIKES.get(ch, ch) for ch in word)
        return word

    text = _WORD.sub(digits, text)  # first, so that a З read in 199З does not vote for Cyrillic
    line_votes = _votes(text)
    line_script = line_votes.most_common(1)[0][0] if line_votes else fallback

    def fix(match: re.Match) -> str:
        word = match.group(0)
        letters = [ch for ch in word if ch.isalpha()]
        if letters and line_script and all(ch in _DIGIT_LOOKALIKES and script_of(ch) != line_script
                                           and ch not in to[line_script] for ch in letters):
            # a lone foreign letter drawn like a digit (З in "CHAPTER З"): the line has no such letter
            return "".join(_DIGIT_LOOKALIKES.get(ch, ch) for ch in word)
        if not any(ch in _UNTELLING for ch in word):
            return word
        word_votes = _votes(word)
        if not word_votes and line_script is None:
            return word
        if not word_votes:
            # nothing telling anywhere in it: one word where one script writes it whole (C-k, МIРS: the
            # k and the I are Latin only), else part by part (mаkе),по: a space the reading lost)
            whole = _written_whole(word, (line_script, fallback, QUOTED_SCRIPT), to)
            if whole is not None:
                return whole
            return _PART.sub(lambda m: _in_one_script(m.group(0), line_script, fallback, to, to_near), word)
        word_script = _winner(word_votes, line_script)

        def fix_part(part_match: re.Match) -> str:
            part = part_match.group(0)
            if not any(ch in _UNTELLING for ch in part):
                return part
            if votes := _votes(part):  # near look-alikes change only on the part's own evidence
                table = to_near[_winner(votes, word_script)]
                return "".join(table.get(ch, ch) for ch in part)
            # no telling letter of its own: the word's other parts tell (C-f, Java-приложений)
            return _in_one_script(part, word_script, fallback, to, to_near)

        return _PART.sub(fix_part, word)

    return _WORD.sub(fix, text)


QUOTED_SCRIPT = "Latin"
"""The script other scripts' text quotes words in (names, commands, code): a word of another script's
line that only it can write whole is taken to be such a word."""


def _in_one_script(word: str, line_script: str | None, page_script: str | None = None,
                   to: dict[str, dict[str, str]] = _TO, to_near: dict[str, dict[str, str]] = _TO_NEAR) -> str:
    """A word with no telling letter in its line's script, where the line's script can write its
    look-alikes whole (as read otherwise). A word that would stay of two scripts so, which no word is,
    is written whole in the page's script where that can be (``пpи`` in a line of Latin commands on a
    Russian page: ``при``); else, in a line of :data:`QUOTED_SCRIPT`, with its near look-alikes read in
    it too (``Aпуопе`` → ``Anyone``, ``Maг`` → ``Mar``); else, in another script's line, a word that
    script writes whole only by changing its near look-alikes is a quoted word, written in
    :data:`QUOTED_SCRIPT` where it can be whole (``іmаkе`` in a Russian line holds Latin ``m`` and ``k``:
    ``imake``, not ``ітаке``), with its near look-alikes too where only they keep it from being whole
    (``Етасs``: Russian writes no ``s``, so the word is ``Emacs``)."""
    if line_script is None:
        return word
    mapped = "".join(to[line_script].get(ch, ch) for ch in word)
    if line_script == QUOTED_SCRIPT:
        whole = _written_whole(word, (line_script, page_script), to)
        if whole is not None:
            return whole
        quoted = "".join(to_near[QUOTED_SCRIPT].get(ch, ch) for ch in word)
        return quoted if _whole(quoted, QUOTED_SCRIPT) else mapped
    whole = _written_whole(word, (line_script, page_script, QUOTED_SCRIPT), to)
    if whole is not None:
        return whole
    # near look-alikes too, where they are no more than the letters the line's script cannot write: one
    # such letter vouches for one near look-alike (Етасs → Emacs), not for a word of them (апiаратуру)
    quoted = "".join(to[QUOTED_SCRIPT].get(ch, ch) for ch in word)
    near = "".join(to_near[QUOTED_SCRIPT].get(ch, ch) for ch in quoted)
    changed = sum(a != b for a, b in zip(quoted, near, strict=True))
    foreign = sum(1 for ch in mapped if ch.isalpha() and script_of(ch) != line_script)
    return near if _whole(near, QUOTED_SCRIPT) and changed <= foreign else mapped


def _written_whole(word: str, scripts: tuple[str | None, ...], to: dict[str, dict[str, str]]) -> str | None:
    """``word`` with its look-alikes in the first of ``scripts`` that writes it whole, or ``None``."""
    for script in dict.fromkeys(s for s in scripts if s):
        written = "".join(to[script].get(ch, ch) for ch in word)
        if _whole(written, script):
            return written
    return None


def _whole(text: str, script: str) -> bool:
    """Whether every letter of ``text`` is of ``script``."""
    return all(script_of(ch) == script for ch in text if ch.isalpha())


_II_WORD = re.compile(r"(?<![A-Za-z\u00c0-\u024f])Ii(?=[a-z])")


def small_l(text: str) -> str:
    """``text`` with a word that begins ``Ii`` and goes on in small letters begun ``li`` (``Iibfoo`` →
    ``libfoo``): the capital is the small ``l`` drawn alike (see the module docstring)."""
    return _II_WORD.sub("li", text)


def _winner(votes: Counter, line_script: str | None) -> str:
    """The word's majority script; a tie goes to the line's script when it is one of the tied."""
    ranked = votes.most_common()
    tied = [script for script, n in ranked if n == ranked[0][1]]
    return line_script if len(tied) > 1 and line_script in tied else ranked[0][0]


def dominant_script(texts: list[str]) -> str | None:
    votes = Counter()
    for text in texts:
        votes.update(_votes(text))
    return votes.most_common(1)[0][0] if votes else None
