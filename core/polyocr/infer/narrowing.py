"""A page read with the output classes of the scripts it shows, and the whole layer where it shows more.

The recognizer's output layer has a row per character of every installed pack: ~14,000 with the six
shipped packs, 10,288 of them Han and 2,501 Hangul. On a Latin or Cyrillic page those rows are nearly
all of the layer's cost (and of the best path's), and never the answer. The probe's lines (read with
the whole layer) tell which scripts a page shows; the large scripts (``min_classes`` rows or more) it
does not show are left out of the layer for the rest of the page.

A character of a left-out script can still occur (a Japanese name in an English bibliography). Where
its step is read with the narrowed layer, no row fits: the step's largest logit is far under the page's
usual (on 12 real pages, 2 a language, half of those steps under 0.25 of the median step's, where 98–99 %
of the other steps are over 0.7 of it). Such steps, ``weak_share`` of the batch's median or less, are read again with
the whole layer, step by step: the best path takes each step's best class on its own, so those steps
come out exactly as the whole layer reads them, and the others differ only in probabilities that lost
the left-out rows' tiny share. Which scripts are large comes from the vocabulary, not from a list of
languages: a new pack's script is narrowed as soon as it has enough characters.
"""

from __future__ import annotations

from collections import Counter

import torch
from fontTools import unicodedata as fu

from polyocr.lang.text import NEUTRAL_SCRIPTS, script_counts
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.ocr import ReadingHead


class ScriptNarrowing:
    """Reading heads without the large scripts a page does not show (built once per set of scripts)."""

    def __init__(self, vocab: Vocabulary, full: ReadingHead, layer: torch.nn.Linear,
                 min_classes: int = 256) -> None:
        self.full, self.layer = full, layer
        kept = full.classes.tolist() if full.classes is not None else list(range(len(vocab)))
        self.classes = kept
        self.script_of = {k: fu.script(vocab.chars[k - 1]) if k > 0 else "Zyyy" for k in kept}
        sizes = Counter(s for s in self.script_of.values() if s not in NEUTRAL_SCRIPTS)
        self.large = frozenset(s for s, n in sizes.items() if n >= min_classes)
        self._heads: dict[frozenset[str], ReadingHead] = {}

    def head_for(self, texts: list[str]) -> ReadingHead | None:
        """The head for a page whose probe read ``texts``: ``None`` (the whole layer) when the probe
        shows every large script or read no letters at all."""
        seen: Counter[str] = Counter()
        for text in texts:
            seen.update(script_counts(text))
        if not seen:
            return None
        dropped = frozenset(s for s in self.large if s not in seen)
        if not dropped:
            return None
        if dropped not in self._heads:
            keep = [k for k in self.classes if self.script_of[k] not in dropped]
            self._heads[dropped] = ReadingHead.of(self.layer, keep, self.full.weight.dtype)
        return self._heads[dropped]
