"""The model's output vocabulary: the ordered union of the installed charset slices, with stable ids.

Id 0 is the CTC blank and id 1 the space; characters follow. A vocabulary built on a machine with
packs A, B is ``A's slice, then B's new characters`` (packs in code order). Extending a saved
vocabulary with a newly installed pack *appends*: existing ids never move and are never dropped, so a
checkpoint's output rows keep their meaning (the model grows new rows, old rows untouched).

>>> v = Vocabulary(" ab")
>>> v.encode("ba a")
[3, 2, 1, 2]
>>> v.extended_with("bc").chars
' abc'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from polyocr.errors import VocabularyError
from polyocr.lang.cache import write_atomic

if TYPE_CHECKING:
    from polyocr.lang.registry import LanguagePack

FORMAT = "polyocr-vocabulary"
VERSION = 1


class Vocabulary:
    """Characters in id order (``chars[i]`` has id ``i + 1``; id 0 is the blank)."""

    BLANK = 0

    def __init__(self, chars: str, languages: Mapping[str, str | None] | None = None) -> None:
        if not chars.startswith(" "):
            chars = " " + chars.replace(" ", "")
        if len(set(chars)) != len(chars):
            raise VocabularyError("a vocabulary lists each character once")
        self.chars = chars
        self.languages: dict[str, str | None] = dict(languages or {})
        self._ids = {c: i + 1 for i, c in enumerate(chars)}

    # --- building ---------------------------------------------------------------------------------
    @classmethod
    def from_packs(cls, packs: Iterable[LanguagePack]) -> Vocabulary:
        """The vocabulary of a set of packs: the space, then each pack's charset in code order."""
        packs = sorted(packs, key=lambda p: p.code)
        return cls(" ", {}).extended(packs)

    def extended(self, packs: Iterable[LanguagePack]) -> Vocabulary:
        """This vocabulary plus the new characters of ``packs`` appended (packs in code order)."""
        packs = sorted(packs, key=lambda p: p.code)
        vocab = self.extended_with("".join(p.charset for p in packs))
        vocab.languages = {**self.languages, **{p.code: p.version for p in packs}}
        return vocab

    def extended_with(self, chars: str) -> Vocabulary:
        new = "".join(dict.fromkeys(c for c in chars if c not in self._ids and not c.isspace()))
        return Vocabulary(self.chars + new, self.languages)

    # --- using ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of output classes, blank included."""
        return len(self.chars) + 1

    def __contains__(self, char: object) -> bool:
        return char in self._ids

    def id(self, char: str) -> int:
        return self._ids[char]

    def encode(self, text: str, *, skip_unknown: bool = False) -> list[int]:
        """Ids of ``text``'s characters; whitespace becomes the space id. Unknown characters raise
        :class:`~polyocr.errors.VocabularyError` unless ``skip_unknown``."""
        out: list[int] = []
        for c in text:
            if c.isspace():
                c = " "
            i = self._ids.get(c)
            if i is None:
                if skip_unknown:
                    continue
                raise VocabularyError(f"character {c!r} (U+{ord(c):04X}) is not in the vocabulary")
            out.append(i)
        return out

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids`` (blanks skipped; no CTC collapsing here)."""
        return "".join(self.chars[i - 1] for i in ids if i > 0)

    def classes_of(self, chars: str) -> list[int]:
        """The output classes that can write ``chars`` (the charsets of the languages a user names): the
        blank and the space always, then each character's id in id order; characters the vocabulary
        lacks are left out."""
        return [self.BLANK, self._ids[" "], *sorted({self._ids[c] for c in chars if c in self._ids and c != " "})]

    def missing(self, text: str) -> set[str]:
        return {c for c in text if not c.isspace() and c not in self._ids}

    # --- saving -----------------------------------------------------------------------------------
    @property
    def digest(self) -> str:
        return hashlib.sha256(self.chars.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "size": len(self),
            "sha256": self.digest,
            "languages": self.languages,
            "chars": self.chars,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Vocabulary:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise VocabularyError(f"not a {FORMAT} v{VERSION} document")
        chars = data.get("chars")
        if not isinstance(chars, str):
            raise VocabularyError("vocabulary 'chars' must be a string")
        vocab = cls(chars, data.get("languages") or {})
        if data.get("sha256") not in (None, vocab.digest):
            raise VocabularyError("vocabulary checksum does not match its characters (file damaged?)")
        return vocab

    def save(self, path: Path) -> None:
        write_atomic(Path(path), json.dumps(self.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise VocabularyError(f"{path}: cannot read vocabulary: {exc}") from exc
        return cls.from_dict(data)
