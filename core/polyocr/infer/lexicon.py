"""Words of a language's own text where one unsure character was read for its look-alike.

Some characters differ by a mark a few pixels wide (Japanese ビ and ピ: the voiced mark ゛ against the
semi-voiced ゜), and at 150 DPI the recognizer reads ``ビルド`` as ``ピルド`` now and then, unsure of that
one character. Packs name such groups and the units words are made of (``register_confusables``:
katakana runs); the pack's own text sources, counted once per process when a page first needs them,
say which runs the language writes. A run read on a page that the text never writes, which swapping
one character read unsurely (below ``below``) for another of its group makes a run the text writes at
least ``min_count`` times, and no other such swap does, is written that way. Runs the text writes are
never touched, so words it does not know stay as read.

A pack may also ask for pairs (``pair_count``): in a run the text never writes, still after that, a
character read more unsurely (below ``pairs_below``) that makes a pair the text never writes with a
neighbour read surely, where exactly one look-alike makes pairs with its sure neighbours that the text
writes ``pair_count`` times or more, becomes that look-alike. This reaches words set without spaces, whose
runs are whole phrases (Korean ``세상을퍼났다`` → ``세상을떠났다``).
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
    """One pack's confusable groups, its unit pattern and (once counted) the runs and pairs its text writes."""

    confusables: Confusables
    lines: Callable[[], list[str]]
    """The pack's text lines (read and counted on first use)."""
    pattern: re.Pattern = field(init=False)
    others: dict[str, str] = field(init=False)
    _runs: Counter | None = field(default=None, init=False)
    _pairs: Counter | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(f"[{self.confusables.unit}]{{{self.confusables.min_length},}}")
        others: dict[str, set[str]] = {}
        for group in self.confusables.groups:
            for ch in group:
                others.setdefault(ch, set()).update(c for c in group if c != ch)
        self.others = {ch: "".join(sorted(chars)) for ch, chars in others.items()}

    @property
    def runs(self) -> Counter:
        if self._runs is None:
            self._runs = Counter(run for line in self.lines() for run in self.pattern.findall(line))
        return self._runs

    @property
    def pairs(self) -> Counter:
        if self._pairs is None:
            self._pairs = Counter()
            for run, n in self.runs.items():
                for k in range(len(run) - 1):
                    self._pairs[run[k: k + 2]] += n
        return self._pairs


class LexiconCorrection:
    """The confusable groups of every installed pack that has some; :meth:`rewrite` applies them."""

    def __init__(self, languages: Languages | None) -> None:
        self.tables = [_Table(conf, _lines_of(pack)) for _, pack in sorted((languages.packs if languages else {}).items())
                       for conf in pack.confusables]

    def rewrite(self, line: DecodedLine, below: float, pairs_below: float = 0.0) -> DecodedLine:
        """``line`` with each run its pack's text never writes corrected where one swap of a character
        read with a probability under ``below`` makes it one it writes, then (packs with ``pair_count``)
        characters read under ``pairs_below`` by their pairs (see the module docstring); the same object
        where nothing changes."""
        if not self.tables or below <= 0:
            return line
        chars = list(line.text)
        for table in self.tables:
            for match in table.pattern.finditer(line.text):
                start, end = match.span()
                run, conf = match.group(0), line.char_conf[start:end]
                if not _unsure(table, run, conf, max(below, pairs_below)) or table.runs.get(run, 0):
                    continue  # nothing to swap, or a run the text writes: stays as read
                fixed = _by_run(table, run, conf, below)
                if fixed is not None:
                    chars[start + fixed[0]] = fixed[1]
                elif pairs_below > 0 and table.confusables.pair_count > 0:
                    chars[start:end] = _by_pairs(table, run, conf, pairs_below)
        text = "".join(chars)
        return line if text == line.text else dataclasses.replace(line, text=text)


def _unsure(table: _Table, run: str, conf: list[float], below: float) -> bool:
    """Whether ``run`` holds a character of a group read with a probability under ``below``."""
    return any(ch in table.others and p < below for ch, p in zip(run, conf, strict=True))


def _by_run(table: _Table, run: str, conf: list[float], below: float) -> tuple[int, str] | None:
    """(index in ``run``, its character) of the one swap that makes ``run``, a run the text never writes,
    a written run, if any."""
    runs = table.runs
    found = [(k, other) for k, (ch, p) in enumerate(zip(run, conf, strict=True)) if p < below
             for other in table.others.get(ch, "")
             if runs.get(run[:k] + other + run[k + 1:], 0) >= table.confusables.min_count]
    return found[0] if len(found) == 1 else None


def _by_pairs(table: _Table, run: str, conf: list[float], below: float) -> list[str]:
    """``run``'s characters (a run the text never writes), each unsure one whose pairs with its surely
    read neighbours the text does not write replaced by the one look-alike whose pairs with them it
    writes often. Only a sure neighbour vouches: next to an unsure one, the misread may be the
    neighbour (클타이언트 is 클라이언트)."""
    chars = list(run)
    pairs, need = table.pairs, table.confusables.pair_count
    sure = [p >= below for p in conf]

    def counts(k: int, ch: str) -> list[int]:
        return ([pairs.get(run[k - 1] + ch, 0)] if k > 0 and sure[k - 1] else []) + \
            ([pairs.get(ch + run[k + 1], 0)] if k + 1 < len(run) and sure[k + 1] else [])

    for k, ch in enumerate(run):
        if sure[k] or ch not in table.others or not (seen := counts(k, ch)) or min(seen) > 0:
            continue
        fits = [other for other in table.others[ch] if min(counts(k, other)) >= need]
        if len(fits) == 1:
            chars[k] = fits[0]
    return chars


def _lines_of(pack) -> Callable[[], list[str]]:
    return lambda: pack.text_lines(("prose", "ui", "verse", "words"))
