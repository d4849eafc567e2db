"""``polyocr dataset stats``: what a dataset holds, and whether the model can learn every character.

The number that matters most is, per language pack, the fraction of its charset seen at least 10 times
(and at least once) in the dataset's words: a character the model never sees in pixels it cannot
learn, whatever the vocabulary says (DESIGN.md §1). Characters are counted over all languages of the
chosen splits, because the model's vocabulary, and what it learns, is shared between them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from polyocr.data import schema
from polyocr.data.reader import ShardReader, shard_paths
from polyocr.errors import PolyocrError

ENOUGH = 10
"""Sightings of a character taken as enough to learn it."""


@dataclass
class DatasetStats:
    pages: dict[str, dict[str, int]] = field(default_factory=dict)
    """Pages by language, then split."""
    characters: dict[str, int] = field(default_factory=dict)
    """Characters (in words, spaces excluded) by language."""
    layouts: dict[str, int] = field(default_factory=dict)
    """Pages by layout family (from each page's ``meta``; ``unknown`` for files without it)."""
    coverage: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per pack of a language in the dataset: charset size, fraction seen ≥ 1 time, and ≥ ENOUGH times."""
    counts: Counter = field(default_factory=Counter, repr=False)
    """How often each character occurs."""

    def to_dict(self) -> dict:
        return {"pages": self.pages, "characters": self.characters, "layouts": self.layouts,
                "coverage": self.coverage}

    def format(self) -> str:
        """A short plain-text report."""
        lines = ["pages:"]
        for lang, splits in self.pages.items():
            lines.append(f"  {lang:8s} " + "  ".join(f"{s} {n}" for s, n in splits.items())
                         + f"   ({self.characters.get(lang, 0)} characters)")
        total = sum(self.layouts.values()) or 1
        lines.append("layouts:")
        lines.extend(f"  {name:12s} {n:6d}  {100 * n / total:5.1f}%" for name, n in
                     sorted(self.layouts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"charset seen (≥1 / ≥{ENOUGH} times):")
        lines.extend(f"  {code:8s} {c['seen']:6.1%} / {c['enough']:6.1%}  of {c['charset']} characters"
                     for code, c in self.coverage.items())
        return "\n".join(lines)


def dataset_stats(root: str | Path, splits: tuple[str, ...] = schema.SPLITS,
                  packs: dict | None = None) -> DatasetStats:
    """Count pages, characters and layouts under ``root`` and each pack's charset coverage.

    ``packs`` (code → pack with a ``charset``) defaults to the installed language packs.

    >>> print(dataset_stats("data/v2").format())   # doctest: +SKIP
    """
    root = Path(root)
    if not root.is_dir():
        raise PolyocrError(f"{root}: no such dataset directory")
    if packs is None:
        from polyocr.lang.registry import load_languages

        packs = load_languages().packs
    stats = DatasetStats()
    chars: Counter = Counter()
    layouts: Counter = Counter()
    for split in splits:
        for lang, path in shard_paths(root, None, split):
            with ShardReader(path, lang) as shard:
                for annotation, _ in shard.annotations():
                    stats.pages.setdefault(lang, {}).setdefault(split, 0)
                    stats.pages[lang][split] += 1
                    meta = annotation.get("meta") or {}
                    layouts[meta.get("layout", "unknown")] += 1
                    page = Counter(c for w in annotation.get("word_bboxes", []) for c in w.get("text", "")
                                   if not c.isspace())
                    stats.characters[lang] = stats.characters.get(lang, 0) + sum(page.values())
                    chars.update(page)
    stats.layouts = dict(layouts)
    stats.counts = chars
    for code, pack in sorted(packs.items()):
        if code not in stats.pages:
            continue
        charset = [c for c in pack.charset if not c.isspace()]
        n = len(charset) or 1
        stats.coverage[code] = {
            "charset": len(charset),
            "seen": sum(1 for c in charset if chars[c] >= 1) / n,
            "enough": sum(1 for c in charset if chars[c] >= ENOUGH) / n,
        }
    return stats
