"""Words of a recognized line without a language hint: the word unit follows the line's script.

The installed packs say which scripts they write and whether their words are space-separated or single
characters; a line whose dominant script belongs to an unspaced pack (Han, kana) is split per
character (with Latin runs and numbers kept whole), any other line at spaces.
"""

from __future__ import annotations

from collections import Counter

from polyocr.lang.registry import Languages
from polyocr.lang.spec import LanguageSpec
from polyocr.lang.text import script_counts
from polyocr.lang.words import word_spans

SPACED = LanguageSpec(code="xx", name="spaced", native_name="spaced", bcp47="und", locale="en",
                      scripts=("Latn",), directions=("ltr",))


class WordSplitter:
    def __init__(self, languages: Languages | None) -> None:
        self.by_script: dict[str, LanguageSpec] = {}
        packs = sorted((languages.packs if languages else {}).items())
        self.capital_shaped = frozenset("".join(pack.spec.capital_shaped for _, pack in packs))
        """Small letters the packs name as shaped like their capitals (``infer/capitals.py``)."""
        for _, pack in packs:
            for script in pack.spec.scripts:
                self.by_script.setdefault(script, pack.spec)

    def spec_for(self, text: str) -> LanguageSpec:
        counts: Counter[str] = script_counts(text)
        if not counts:
            return SPACED
        script = counts.most_common(1)[0][0]
        return self.by_script.get(script, SPACED)

    def detect_line(self, texts: list[str], default: float, share: float = 0.2) -> float:
        """The line thickness to detect a page at, from some of its lines read: the largest
        ``LanguageSpec.detect_line`` (``default`` where a pack sets none, or no pack writes the script)
        among the scripts that make up at least ``share`` of the letters read; ``default`` if none."""
        return self._largest(texts, "detect_line", default, share)

    def ink_thickness(self, texts: list[str], default: float, share: float = 0.2) -> float:
        """A line's thickness in its ink's heights on a page whose lines read ``texts``: the largest
        ``LanguageSpec.ink_thickness`` among its main scripts, as :meth:`detect_line` (the largest trusts
        the ink least)."""
        return self._largest(texts, "ink_thickness", default, share)

    def _largest(self, texts: list[str], field: str, default: float, share: float) -> float:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(script_counts(text))
        total = sum(counts.values())
        if not total:
            return default
        needs = [(getattr(spec, field) or default) if (spec := self.by_script.get(script)) else default
                 for script, n in counts.items() if n >= share * total]
        return max(needs) if needs else default

    def spans(self, text: str) -> list[tuple[int, int]]:
        return word_spans(text, self.spec_for(text))

    def separator(self, text: str) -> str:
        """What joins the lines of a paragraph: nothing for unspaced scripts, a space otherwise."""
        spec = self.spec_for(text)
        return spec.word_separator if spec.word_unit == "separated" else ""
