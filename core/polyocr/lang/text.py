"""Reading a pack's text sources, and measuring what script a text is in.

A pack's build script writes ``data/text/sources.json`` next to its compressed line files; the pack's
``register_text_sources`` hook returns :func:`load_manifest` of that folder.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools import unicodedata as fu

from polyocr.errors import PluginError
from polyocr.lang.sources import TextSource

# scripts shared by every language (digits, punctuation) or inherited from the base letter
NEUTRAL_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})


def load_manifest(folder: Path) -> list[TextSource]:
    """The text sources listed in ``folder/sources.json`` (paths made absolute)."""
    manifest = folder / "sources.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PluginError(f"{manifest}: cannot read text manifest: {exc}") from exc
    sources = []
    for entry in data.get("sources", []):
        entry = dict(entry)
        entry["path"] = folder / entry.pop("file")
        sources.append(TextSource.model_validate(entry))
    return sources


@lru_cache(maxsize=65536)
def script_of(ch: str) -> str:
    """The ISO 15924 script of one character, cached: a page asks for the same few hundred characters
    thousands of times (words split by script, the scripts of each line)."""
    return fu.script(ch)


def script_counts(text: str) -> Counter[str]:
    """ISO 15924 script of each letter-like character of ``text`` (neutral characters not counted)."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isspace():
            continue
        script = script_of(ch)
        if script not in NEUTRAL_SCRIPTS:
            counts[script] += 1
    return counts


def script_fraction(lines: Iterable[str], scripts: Iterable[str]) -> float:
    """Fraction of the script-bearing characters of ``lines`` that are in ``scripts`` (1.0 if none)."""
    wanted = set(scripts)
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(script_counts(line))
    total = sum(counts.values())
    return sum(n for s, n in counts.items() if s in wanted) / total if total else 1.0


def charset_fraction(lines: Iterable[str], charset: str) -> tuple[float, Counter[str]]:
    """Fraction of non-space characters of ``lines`` in ``charset``, and the most common misses."""
    inside = set(charset)
    total = 0
    missing: Counter[str] = Counter()
    for line in lines:
        for ch in line:
            if ch.isspace():
                continue
            total += 1
            if ch not in inside:
                missing[ch] += 1
    return (1.0 - sum(missing.values()) / total if total else 1.0), missing
