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

A pack may also ask for repeats (``repeats``): CTC merges a doubled letter unless a blank step falls
between its two, and now and then splits one. A run the text never writes, still after that, takes one
letter doubled where the letter's place on the line holds two (emitted for three steps or more, or its
neighbours two and a half pitches apart: ``stil``, ``corect``), or one doubled letter undoubled where a
copy was read unsurely (``CHHAPTER``), where exactly one such change makes a run the text writes.
Lookups count a word in capitals, or capitalized, as written where the text writes it in small letters.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from polyocr.lang.cache import cache_dir, read_json, write_json
from polyocr.lang.registry import Languages
from polyocr.lang.sources import Confusables
from polyocr.model.ctc import DecodedLine


@dataclass
class _Table:
    """One pack's confusable groups, its unit pattern and (once counted) the runs and pairs its text writes."""

    confusables: Confusables
    lines: Callable[[], list[str]]
    """The pack's text lines (read and counted on first use)."""
    code: str = ""
    """The pack's code."""
    fingerprint: str | None = None
    """What identifies the pack's text (its sources' paths, sizes and times): the counts are kept in the
    cache under it and read back by the next process (counting a Chinese pack's text takes ~0.5 s, an
    OCRmyPDF page worker pays it per file); ``None``: counted every time."""
    pattern: re.Pattern = field(init=False)
    _others: dict[str, str] | None = field(default=None, init=False)
    _runs: Counter | None = field(default=None, init=False)
    _pairs: Counter | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(f"[{self.confusables.unit}]{{{self.confusables.min_length},}}")

    @property
    def others(self) -> dict[str, str]:
        """Each grouped character's look-alikes (built on first use: a process that reads no page of the
        pack's script never pays for its 20,000 groups)."""
        if self._others is None:
            others: dict[str, set[str]] = {}
            for group in self.confusables.groups:
                for ch in group:
                    others.setdefault(ch, set()).update(c for c in group if c != ch)
            self._others = {ch: "".join(sorted(chars)) for ch, chars in others.items()}
        return self._others

    def count(self, run: str) -> int:
        """How often the text writes ``run``, or, for a run in capitals or capitalized, the same word in
        small letters too (a heading set in capitals, a word that begins a sentence: ``Nov``, ``nov``)."""
        n = self.runs.get(run, 0)
        if run[:1].isupper() and run[1:] == run[1:].lower():
            n += self.runs.get(run.lower(), 0)
        elif len(run) > 1 and run.isupper():
            n += self.runs.get(run.lower(), 0) + self.runs.get(run.capitalize(), 0)
        return n

    @property
    def runs(self) -> Counter:
        if self._runs is None:
            self._runs = self._cached("runs", lambda: Counter(run for line in self.lines()
                                                              for run in self.pattern.findall(line)))
        return self._runs

    @property
    def pairs(self) -> Counter:
        if self._pairs is None:
            self._pairs = self._cached("pairs", self._count_pairs)
        return self._pairs

    def _count_pairs(self) -> Counter:
        pairs: Counter = Counter()
        for run, n in self.runs.items():
            for k in range(len(run) - 1):
                pairs[run[k: k + 2]] += n
        return pairs

    def _cached(self, what: str, count: Callable[[], Counter]) -> Counter:
        """``count()``, kept in the cache under the text's fingerprint, the unit and ``what``."""
        if self.fingerprint is None:
            return count()
        key = hashlib.sha256(f"{self.fingerprint}|{self.confusables.unit}|{self.confusables.min_length}|{what}"
                             .encode()).hexdigest()[:24]
        path = cache_dir() / "lexicon" / f"{self.code}-{what}-{key}.json"
        kept = read_json(path)
        if isinstance(kept, dict) and all(isinstance(n, int) for n in kept.values()):
            return Counter(kept)
        counts = count()
        try:
            write_json(path, counts)
        except OSError:
            pass  # a read-only cache: count again next time
        return counts


class LexiconCorrection:
    """The confusable groups of every installed pack that has some; :meth:`rewrite` applies them.

    Packs that write one script (Han: Japanese and both Chinese varieties) each have their own groups and
    text; a table whose units another pack's table shares corrects only the pages its pack owns
    (:meth:`owner`), so that a Simplified-Chinese page is not mended into Traditional words."""

    def __init__(self, languages: Languages | None, min_chars: int = 20, margin: float = 0.005) -> None:
        packs = sorted((languages.packs if languages else {}).items())
        self.tables = [_Table(conf, _lines_of(pack), code, _fingerprint(pack)) for code, pack in packs
                       for conf in pack.confusables]
        self.shared = {id(t) for t in self.tables if any(o.code != t.code and _overlap(t, o) for o in self.tables)}
        self.charsets = [(code, frozenset(pack.charset)) for code, pack in packs
                         if any(t.code == code and id(t) in self.shared for t in self.tables)]
        self.min_chars, self.margin = min_chars, margin

    def owner(self, texts: list[str]) -> str | None:
        """The pack whose charset holds the most of the page's (``texts``) characters beyond ASCII, by
        ``margin`` more than any other pack with a shared table; ``None`` where none does so or the page
        holds under ``min_chars`` such characters."""
        chars = [c for text in texts for c in text if ord(c) > 127 and not c.isspace()]
        if len(chars) < self.min_chars or not self.charsets:
            return None
        scores = sorted(((sum(c in charset for c in chars) / len(chars), code) for code, charset in self.charsets),
                        reverse=True)
        second = scores[1][0] if len(scores) > 1 else 0.0
        return scores[0][1] if scores[0][0] - second >= self.margin else None

    def rewrite(self, line: DecodedLine, below: float, pairs_below: float = 0.0, owner: str | None = None
                ) -> DecodedLine:
        """``line`` with each run its pack's text never writes corrected where one swap of a character
        read with a probability under ``below`` makes it one it writes, then (packs with ``pair_count``)
        characters read under ``pairs_below`` by their pairs, then (packs with ``repeats``) one letter
        doubled or undoubled (see the module docstring); the same object where nothing changes. Tables of
        a shared script apply only where their pack is ``owner`` (the page's, :meth:`owner`)."""
        if not self.tables or below <= 0:
            return line
        text, conf, spans = line.text, list(line.char_conf), list(line.spans)
        for table in self.tables:
            if id(table) in self.shared and table.code != owner:
                continue
            room: _Room | None = None  # measured when a run first asks for repeats
            edits: list[tuple[int, int, str]] = []  # (start, end, run written there), left to right
            for match in table.pattern.finditer(text):
                start, end = match.span()
                run, run_conf = match.group(0), conf[start:end]
                if table.count(run):
                    continue  # a run the text writes: stays as read
                fixed = None
                if _unsure(table, run, run_conf, max(below, pairs_below)):
                    swap = _by_run(table, run, run_conf, below)
                    if swap is not None:
                        fixed = run[:swap[0]] + swap[1] + run[swap[0] + 1:]
                    elif pairs_below > 0 and table.confusables.pair_count > 0:
                        fixed = "".join(_by_pairs(table, run, run_conf, pairs_below))
                if (fixed is None or fixed == run) and table.confusables.repeats and not _cut(text, end):
                    room = room or _Room.of(spans)
                    fixed = _by_repeat(table, run, [k for k in range(start, end) if room.holds_two(spans, k)],
                                       [p < below for p in run_conf], start)
                if fixed is not None and fixed != run:
                    edits.append((start, end, fixed))
            for start, end, fixed in reversed(edits):
                conf[start:end], spans[start:end] = _realigned(text[start:end], fixed, conf[start:end],
                                                               spans[start:end])
                text = text[:start] + fixed + text[end:]
        return line if text == line.text else dataclasses.replace(line, text=text, char_conf=conf, spans=spans)


def _overlap(a: _Table, b: _Table) -> bool:
    """Whether a character of one table's groups is a unit of the other's."""
    return any(re.search(f"[{y.confusables.unit}]", "".join({ch for group in x.confusables.groups for ch in group}))
               for x, y in ((a, b), (b, a)))


def _unsure(table: _Table, run: str, conf: list[float], below: float) -> bool:
    """Whether ``run`` holds a character of a group read with a probability under ``below``."""
    return any(ch in table.others and p < below for ch, p in zip(run, conf, strict=True))


def _by_run(table: _Table, run: str, conf: list[float], below: float) -> tuple[int, str] | None:
    """(index in ``run``, its character) of the one swap that makes ``run``, a run the text never writes,
    a written run, if any."""
    found = [(k, other) for k, (ch, p) in enumerate(zip(run, conf, strict=True)) if p < below
             for other in table.others.get(ch, "")
             if table.count(run[:k] + other + run[k + 1:]) >= table.confusables.min_count]
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


def _by_repeat(table: _Table, run: str, wide: list[int], unsure: list[bool], start: int) -> str | None:
    """``run`` (a run the text never writes) with one letter doubled where its place on the line holds
    two (``wide``: line indices), or one doubled letter undoubled where either copy was read unsurely,
    if exactly one such change makes a run the text writes ``min_count`` times or more. A doubled letter
    read surely twice stays (a word spelt so on purpose, ``thhe`` in a lesson on typos)."""
    changed = {run[:k + 1] + run[k] + run[k + 1:] for k in (i - start for i in wide)}
    changed |= {run[:k] + run[k + 1:] for k in range(len(run) - 1)
                if run[k] == run[k + 1] and (unsure[k] or unsure[k + 1])}
    found = [other for other in changed if len(other) >= 3 and table.count(other) >= table.confusables.min_count]
    return found[0] if len(found) == 1 else None


def _cut(text: str, end: int) -> bool:
    """Whether the run ending at ``end`` is the first part of a word broken at the line's end (``обще-``)."""
    return text[end:].rstrip() in ("-", "‐", "­")


@dataclass
class _Room:
    """A line's step (the narrowest span: one step of the recognizer) and pitch (the median distance
    between the centres of neighbouring characters), by which a letter's place is judged to hold two."""

    step: float
    pitch: float

    @classmethod
    def of(cls, spans: list) -> _Room:
        widths = [b - a for a, b in spans if b > a]
        centres = [(a + b) / 2 for a, b in spans]
        gaps = sorted(y - x for x, y in zip(centres, centres[1:]) if y > x)
        return cls(min(widths, default=1.0), gaps[len(gaps) // 2] if gaps else 0.0)

    def holds_two(self, spans: list, k: int) -> bool:
        """Whether character ``k`` was emitted for three steps or more (two letters merged: ``stil``), or
        its neighbours' centres lie two and a half pitches apart or more (the second letter's steps
        went blank: ``corect``)."""
        a, b = spans[k]
        if b - a >= 3 * self.step:
            return True
        if 0 < k < len(spans) - 1 and self.pitch > 0:
            return (spans[k + 1][0] + spans[k + 1][1]) / 2 - (spans[k - 1][0] + spans[k - 1][1]) / 2 >= 2.5 * self.pitch
        return False


def _realigned(run: str, fixed: str, conf: list[float], spans: list) -> tuple[list[float], list]:
    """Per-character probabilities and spans for ``fixed``, which is ``run`` with characters swapped or
    one letter doubled (the letter's span halved between the two) or undoubled (the two spans joined)."""
    if len(fixed) == len(run):
        return conf, spans
    k = next((i for i, (a, b) in enumerate(zip(run, fixed)) if a != b), min(len(run), len(fixed)))
    if len(fixed) > len(run):  # run[k - 1] doubled: fixed[k - 1] == fixed[k]
        a, b = spans[k - 1]
        mid = (a + b) / 2
        return conf[:k] + [conf[k - 1]] + conf[k:], spans[:k - 1] + [(a, mid), (mid, b)] + spans[k:]
    # run[k] == run[k - 1]: the letter read twice, the second copy dropped into the first
    return (conf[:k - 1] + [max(conf[k - 1], conf[k])] + conf[k + 1:],
            spans[:k - 1] + [(spans[k - 1][0], spans[k][1])] + spans[k + 1:])


KINDS = ("prose", "ui", "verse", "words")


def _lines_of(pack) -> Callable[[], list[str]]:
    return lambda: pack.text_lines(KINDS)


def _fingerprint(pack) -> str | None:
    """The pack's text sources of the kinds counted, by path, size and modification time; ``None`` for a
    pack that names no files."""
    parts = []
    for _, source in getattr(pack, "text_sources", None) or []:
        if source.kind in KINDS:
            try:
                stat = source.path.stat()
            except OSError:
                return None
            parts.append(f"{source.kind}:{source.path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts) if parts else None
