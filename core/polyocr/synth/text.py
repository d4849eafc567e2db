"""Where page text comes from: a pack's real lines, its word lists, generated form fields, and mixing.

Sampling is character-aware: with probability ``rare_char_p`` a line is chosen *because it contains* a
uniformly drawn character of the pack's charset (through an inverted index), so that rare characters
appear on pages far more often than in running text and the model sees every character it must read.
All randomness comes from the ``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from polyocr.lang.registry import LanguagePack

RUNNING = ("prose", "ui", "verse")


@dataclass
class TextSampler:
    """Text of one language pack, indexed for character-balanced sampling."""

    pack: LanguagePack
    rare_char_p: float = 0.3

    def __post_init__(self) -> None:
        # a character outside the pack's charset is not in the model's vocabulary: it would be a label
        # the model can never produce, so it is dropped from the text before anything is drawn
        self._allowed = frozenset(self.pack.charset) | {" "}
        self.lines = [t for t in (self.clean(line) for line in self.pack.text_lines(RUNNING)) if t]
        if not self.lines:
            raise ValueError(f"language {self.pack.code!r} has no running text to render")
        self.words = [t for t in (self.clean(w) for w in self.pack.text_lines(("words",))) if t]
        self.charset = np.array([c for c in self.pack.charset if not c.isspace()])
        index: dict[str, list[int]] = defaultdict(list)
        for i, line in enumerate(self.lines):
            for ch in set(line):
                index[ch].append(i)
        words_index: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self.words):
            for ch in set(word):
                words_index[ch].append(i)
        self._index = {c: np.array(v, np.int32) for c, v in index.items()}
        self._words_index = {c: np.array(v, np.int32) for c, v in words_index.items()}
        self._faker = None

    def clean(self, text: str) -> str:
        """``text`` without the characters the pack's charset lacks (and without doubled spaces)."""
        if all(c in self._allowed for c in text):
            return text
        return " ".join("".join(c for c in text if c in self._allowed).split())

    # --- running text -----------------------------------------------------------------------------
    def line(self, rng: np.random.Generator) -> str:
        """One line of real text; sometimes chosen for a rare character it contains."""
        if rng.random() < self.rare_char_p and self.charset.size:
            ch = str(rng.choice(self.charset))
            hits = self._index.get(ch)
            if hits is not None:
                return self.lines[int(rng.choice(hits))]
            word_hits = self._words_index.get(ch)
            if word_hits is not None:
                return self.words[int(rng.choice(word_hits))]
        return self.lines[int(rng.integers(len(self.lines)))]

    def text(self, rng: np.random.Generator, min_chars: int) -> str:
        """Consecutive-looking running text of at least ``min_chars`` characters (lines joined)."""
        sep = self.pack.spec.word_separator or ""
        parts: list[str] = []
        total = 0
        while total < min_chars:
            piece = self.line(rng)
            parts.append(piece)
            total += len(piece)
        return sep.join(parts)

    def phrase(self, rng: np.random.Generator, max_chars: int) -> str:
        """A short phrase (a heading, a table cell): a line cut at a word boundary."""
        line = self.line(rng)
        if len(line) <= max_chars:
            return line
        sep = self.pack.spec.word_separator
        if sep:
            cut = line[:max_chars].rsplit(sep, 1)[0]
            return cut if cut else line[:max_chars]
        return line[:max_chars]

    def word(self, rng: np.random.Generator) -> str:
        if self.words and rng.random() < 0.7:
            return self.words[int(rng.integers(len(self.words)))]
        return self.phrase(rng, 8)

    # --- form fields ------------------------------------------------------------------------------
    @property
    def faker(self):
        if self._faker is None:
            from faker import Faker

            try:
                self._faker = Faker(self.pack.spec.locale)
            except AttributeError:  # Faker has no such locale: fall back to its default
                self._faker = Faker()
        return self._faker

    FIELDS = ("name", "address", "company", "date", "phone", "price", "number", "email", "id")

    def field(self, rng: np.random.Generator, kind: str) -> str:
        """A form value of ``kind`` in the pack's locale (names, addresses, dates, prices…)."""
        return self.clean(self._field(rng, kind)) or self.clean(self._field(rng, "number"))

    def _field(self, rng: np.random.Generator, kind: str) -> str:
        fake = self.faker
        fake.seed_instance(int(rng.integers(2**31)))
        numbers = self.pack.spec.numbers
        if kind == "name":
            return fake.name()
        if kind == "address":
            return fake.address().replace("\n", " ")
        if kind == "company":
            return fake.company()
        if kind == "phone":
            return fake.phone_number()
        if kind == "email":
            return fake.email()
        if kind == "date":
            return _format_date(date(2000, 1, 1) + timedelta(days=int(rng.integers(0, 11000))), self.pack.spec.locale, rng)
        if kind == "price":
            amount = float(rng.choice([rng.uniform(0.5, 100), rng.uniform(100, 100000)]))
            return _format_price(amount, numbers, rng)
        if kind == "number":
            return _group(int(rng.integers(0, 10**int(rng.integers(1, 8)))), numbers.group)
        if kind == "id":
            return f"{''.join(rng.choice(list('ABCDEFGHJKLMNPRSTUVWXYZ'), 2))}-{int(rng.integers(10000, 999999))}"
        raise ValueError(f"unknown field kind {kind!r}; one of {self.FIELDS}")


def _group(n: int, sep: str) -> str:
    s = f"{n:,}"
    return s.replace(",", sep) if sep else s.replace(",", "")


def _format_price(amount: float, numbers, rng: np.random.Generator) -> str:
    whole, frac = divmod(round(amount * 100), 100)
    text = _group(int(whole), numbers.group)
    if rng.random() < 0.6:
        text += f"{numbers.decimal}{int(frac):02d}"
    if numbers.currency:
        cur = str(rng.choice(list(numbers.currency)))
        text = f"{cur}{text}" if len(cur) == 1 and not cur.isalpha() and rng.random() < 0.7 else f"{text} {cur}"
    return text


def _format_date(day: date, locale: str, rng: np.random.Generator) -> str:
    from babel.dates import format_date

    try:
        return format_date(day, format=str(rng.choice(["short", "medium", "long"])), locale=locale)
    except Exception:  # babel lacks the locale: ISO dates are universal
        return day.isoformat()
