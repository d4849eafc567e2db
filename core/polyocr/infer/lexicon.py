"""Words of a language's own text where one unsure character was read for its look-alike.

Some characters differ by a mark a few pixels wide (Japanese ビ and ピ: the voiced mark ゛ against the
semi-voiced ゜), and at 150 DPI the recognizer reads ``ビルド`` as ``ピルド`` now and then, unsure of that
one character. Packs name such groups and the units words are made of (``register_confusables``:
katakana runs); the pack's own text sources, counted once per process when a page first needs them,
say which runs the language writes. A run read on a page that the text never writes, which swapping
one character read unsurely (below ``below``) for another of its group makes a run the text writes at
least ``min_count`` times, and no other such swap does, is written that way. Runs the text writes are
never touched, so words it does not know stay as read.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from polyocr.lang.registry import Languages
from polyocr.lang.sources import Confusables
from polyocr.model.ctc import DecodedLine


@dataclass
class _Table:
    """One pack's confusable groups, its unit pattern and (once counted) the runs its text writes."""

    confusables: Confusables
    lines: Callable[[], list[str]]
    """The pack's text lines (read and counted on first use)."""
    pattern: re.Pattern = field(init=False)
    others: dict[str, str] = field(init=False)
    _counts: Counter | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(f"[{self.confusables.unit}]{{2,}}")
        others: dict[str, set[str]] = {}
        for group in self.confusables.groups:
            for ch in group:
                others.setdefault(ch, set()).update(c for c in group if c != ch)
        self.others = {ch: "".join(sorted(chars)) for ch, chars in others.items()}

    @property
    def counts(self) -> Counter:
        if self._counts is None:
            self._counts = Counter(run for line in self.lines() for run in self.pattern.findall(line))
        return self._counts


class LexiconCorrection:
    """The confusable groups of every installed pack that has some; :meth:`rewrite` applies them."""

    def __init__(self, languages: Languages | None) -> None:
        self.tables = [_Table(conf, _lines_of(pack)) for _, pack in sorted((languages.packs if languages else {}).items())
                       for conf in pack.confusables]

    def rewrite(self, line: DecodedLine, below: float) -> DecodedLine:
        """``line`` with each run its pack's text never writes corrected where one swap of a character
        read with a probability under ``below`` makes it one it writes (see the module docstring); the
        same object where nothing changes."""
        if not self.tables or below <= 0:
            return line
        chars = list(line.text)
        for table in self.tables:
            for match in table.pattern.finditer(line.text):
                fixed = _fixed(table, match.group(0), line.char_conf[match.start(): match.end()], below)
                if fixed is not None:
                    at, ch = fixed
                    chars[match.start() + at] = ch
        text = "".join(chars)
        return line if text == line.text else dataclasses.replace(line, text=text)



def _fixed(table: _Table, run: str, conf: list[float], below: float) -> tuple[int, str] | None:
    """(index in ``run``, its character) of the one swap that makes ``run`` a written run, if any."""
    if not any(ch in table.others and p < below for ch, p in zip(run, conf, strict=True)):
        return None  # nothing to swap: no lookup
    counts = table.counts
    if counts.get(run, 0) > 0:
        return None
    found = [(k, other) for k, (ch, p) in enumerate(zip(run, conf, strict=True)) if p < below
             for other in table.others.get(ch, "")
             if counts.get(run[:k] + other + run[k + 1:], 0) >= table.confusables.min_count]
    return found[0] if len(found) == 1 else None


def _lines_of(pack) -> Callable[[], list[str]]:
    return lambda: pack.text_lines(("prose", "ui", "verse", "words"))
