"""Full-width punctuation and Latin letters in narrow text written in their narrow forms.

East Asian typesetting gives punctuation a full-width form (``：``, ``！``, ``（``, ``。``), and the
recognizer, which learned them in Japanese and Chinese lines, now and then reads an English or Russian
line's colon or parenthesis as one (``NOTE：``, ``качествах：``). In a line with no wide character, on a
page whose letters are nearly all narrow, such a form is the narrow one: ``：`` is ``:``, ``。`` is ``.``.
Which characters are wide is Unicode's East Asian Width property, not a list of languages, so a page of
a new script that sets wide characters keeps its forms.

The same recognizer reads a narrow mark now and then as a wide letter that looks like it: ``>>`` as
``ン>``, ``>=`` as ``>ニ``, ``<<`` as ``<く``, a Python prompt ``>>>`` as ``ンンン``. On a page whose letters
are nearly all narrow, a wide letter between narrow characters is such a misread (every one on the
English and Russian real and web pages was): the pipeline reads its line again with the narrow classes
only and the letter takes what that read found over its steps (``PipelineConfig.lone_wide``). A run of
a few wide letters in a narrow line may be a word (``日本``): it takes the narrow read only where that is
sure, and surer than the run.
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


RUN = 4
"""The longest run of wide letters on a narrow page read again with the narrow classes (``>>>`` read as
``ンンン``); a run of two or more takes the narrow read only where that is sure (:data:`SURE`): it may be a
word (``日本``)."""

SURE = 0.8
"""The least mean probability of the narrow characters that take a run of two or more wide letters' steps,
and they must be surer than the run was."""


def lone_wide_lines(texts: list[str], max_wide_share: float = 0.05) -> list[int]:
    """Indices of the lines (``texts``, a page's) with a run of at most :data:`RUN` wide letters among
    narrow characters (:func:`wide_runs`), where at most ``max_wide_share`` of the page's letters are wide:
    on a page of English or Russian a lone one is a misread narrow character (``ン>`` for ``>>``), and a
    run may be (``ンンン`` for ``>>>``)."""
    if not any(wide(ch) for text in texts for ch in text) or not _narrow_page(texts, max_wide_share):
        return []
    return [i for i, text in enumerate(texts) if wide_runs(text)]


def _narrow_page(texts: list[str], max_wide_share: float) -> bool:
    """Whether the page has letters and at most ``max_wide_share`` of them are wide."""
    letters = [ch for text in texts for ch in text if ch.isalpha()]
    return bool(letters) and sum(wide(ch) for ch in letters) <= max_wide_share * len(letters)


def wide_runs(text: str) -> list[tuple[int, int, bool]]:
    """Runs ``[a, b)`` of at most :data:`RUN` wide letters in a line whose other characters, if any, are
    narrow, each with whether it is lone (one letter beside a narrow character, which is a misread
    whatever the narrow read finds); a run alone on its line (``ンンン``, a prompt the detector set apart
    from its code) is not lone."""
    runs, k, n = [], 0, len(text)
    while k < n:
        if not (text[k].isalpha() and wide(text[k])):
            k += 1
            continue
        a = k
        while k < n and text[k].isalpha() and wide(text[k]):
            k += 1
        runs.append((a, k))
    inside = {j for a, b in runs for j in range(a, b)}
    rest = [ch for j, ch in enumerate(text) if j not in inside]
    if not runs or any(wide(ch) for ch in rest):
        return []
    out = []
    for a, b in runs:
        if b - a > RUN:
            continue
        near = [text[j] for j in (a - 1, b) if 0 <= j < n and not text[j].isspace()]
        out.append((a, b, b - a == 1 and bool(near)))
    return out


def without_lone_wide(read: DecodedLine, narrow: DecodedLine) -> DecodedLine:
    """``read`` with each run of wide letters (:func:`wide_runs`) replaced by what ``narrow`` (the same line
    read with the narrow classes only) read over the same steps, a run of two or more only where that
    read is sure; the rest of the line stays as read. A character ``narrow`` read over a neighbour's
    steps too, the neighbour's own, is that neighbour (``>ン>`` read ``>>`` there: the three steps merged
    into two marks)."""
    runs = {a: (b, lone) for a, b, lone in wide_runs(read.text)}
    kept: list[tuple[str, float, tuple[float, float]]] = []  # (character, probability, span)
    k = 0
    while k < len(read.text):
        if k not in runs:
            kept.append((read.text[k], read.char_conf[k], read.spans[k]))
            k += 1
            continue
        b, lone = runs[k]
        lo, hi = read.spans[k][0], read.spans[b - 1][1]
        beside = [(read.text[j], read.spans[j]) for j in (k - 1, b) if 0 <= j < len(read.text)]
        taken = [(ch2, p2, (max(lo, a2), min(hi, b2)))
                 for ch2, p2, (a2, b2) in zip(narrow.text, narrow.char_conf, narrow.spans, strict=True)
                 if a2 < hi and b2 > lo and not ch2.isspace()
                 and not any(ch2 == ch3 and a2 < b3 and b2 > a3 for ch3, (a3, b3) in beside)]
        mean = sum(p for _, p, _ in taken) / len(taken) if taken else 0.0
        sure = mean >= SURE and mean > sum(read.char_conf[k:b]) / (b - k)
        if lone or sure:
            kept += taken
        else:
            kept += [(read.text[j], read.char_conf[j], read.spans[j]) for j in range(k, b)]
        k = b
    text = "".join(ch for ch, _, _ in kept)
    if text == read.text:
        return read
    conf = [p for _, p, _ in kept]
    return dataclasses.replace(read, text=text, char_conf=conf, spans=[span for _, _, span in kept],
                               confidence=float(sum(conf) / len(conf)) if conf else 1.0)
