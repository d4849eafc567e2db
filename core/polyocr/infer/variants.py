"""A page's characters in its own variety: Traditional forms on a Traditional-Chinese page.

The recognizer reads every installed language at once, and two varieties of a script write some
characters as look-alikes a stroke apart (Simplified 内, Traditional 內): a page set in one variety
comes out with a few of the other's. Packs that know such pairs ship them (``register_variants``).
The page's variety is the pack whose charset explains the page's characters best, by at least
``margin`` more than any other pack's (Japanese writes many Traditional forms: on a Traditional-Chinese
page of 794 characters its charset held 96.9 % of them, Traditional Chinese's 98.1 %); the characters its charset lacks and its table maps are then
written in its own form. A page no pack clearly owns (too few characters, two packs alike, or a pack
without a table, such as Japanese, whose kanji are its own) is left as read.
"""

from __future__ import annotations

from polyocr.lang.registry import Languages


class VariantPreference:
    def __init__(self, languages: Languages | None, min_chars: int = 20, margin: float = 0.005) -> None:
        packs = sorted((languages.packs if languages else {}).items())
        self.packs = [(code, frozenset(pack.charset), pack.variants) for code, pack in packs]
        self.forms = {code: forms for code, _, forms in self.packs}
        self.min_chars = min_chars
        self.margin = margin

    def owner(self, texts: list[str]) -> str | None:
        """The code of the pack whose variety the page is in, when one has variant forms and clearly owns it."""
        chars = [c for text in texts for c in text if ord(c) > 127 and not c.isspace()]
        if len(chars) < self.min_chars or not any(forms for _, _, forms in self.packs):
            return None
        scores = sorted(((sum(c in charset for c in chars) / len(chars), code, bool(forms))
                         for code, charset, forms in self.packs), reverse=True)
        (best, code, has_forms), second = scores[0], (scores[1][0] if len(scores) > 1 else 0.0)
        return code if has_forms and best - second >= self.margin else None

    def rewrite(self, texts: list[str]) -> list[str]:
        """``texts`` (a page's lines) with the owner's forms; the same strings where no pack owns the page."""
        code = self.owner(texts)
        if code is None:
            return texts
        forms = self.forms[code]
        return ["".join(forms.get(ch, ch) for ch in text) for text in texts]
