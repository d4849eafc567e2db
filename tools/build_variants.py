"""Write the Chinese packs' ``data/variants.tsv``: each Simplified/Traditional look-alike pair as the
other variety's character and the pack's own form (``register_variants``).

From OpenCC's character conversion (``pip install opencc``; its dictionaries are Apache-2.0):

* zh_hans: a Traditional character outside the zh_hans charset whose Simplified form (``t2s``) is
  in it (many Traditional characters may share one Simplified form: 乾, 幹 → 干);
* zh_hant: a Simplified character outside the zh_hant charset whose Traditional form (``s2t``) is in
  it, where that is the only Traditional character of the charset that simplifies to it (发 → 發 or
  髮 is left out: the recognizer's choice is kept where the page cannot tell which).

Deterministic for one OpenCC version (sorted by code point):

    .venv/bin/pip install opencc && .venv/bin/python tools/build_variants.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def charset(code: str) -> str:
    path = ROOT / "languages" / code / f"polyocr_lang_{code}" / "data" / "charset.txt"
    return "".join(path.read_text(encoding="utf-8").split())


def variant_tables(hans: str, hant: str, s2t, t2s) -> tuple[dict[str, str], dict[str, str]]:
    """(forms for zh_hans, forms for zh_hant), each other → own, from converters of one character."""
    in_hans, in_hant = set(hans), set(hant)
    to_hans = {}
    for t in hant:
        s = t2s(t)
        if len(s) == 1 and s != t and t not in in_hans and s in in_hans:
            to_hans[t] = s
    simplifies_to: dict[str, set[str]] = defaultdict(set)
    for t in hant:
        s = t2s(t)
        if len(s) == 1 and s != t:
            simplifies_to[s].add(t)
    to_hant = {}
    for s in hans:
        t = s2t(s)
        if (len(t) == 1 and t != s and s not in in_hant and t in in_hant
                and simplifies_to.get(s, set()) == {t}):
            to_hant[s] = t
    return to_hans, to_hant


def write(code: str, forms: dict[str, str], source: str) -> Path:
    path = ROOT / "languages" / code / f"polyocr_lang_{code}" / "data" / "variants.tsv"
    lines = [f"# source: {source}", "# licence: Apache-2.0 (OpenCC dictionaries)",
             *(f"{k}\t{forms[k]}" for k in sorted(forms))]
    tmp = path.with_suffix(".tsv.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def main() -> int:
    try:
        import opencc
    except ImportError:
        print("build_variants: needs OpenCC: .venv/bin/pip install opencc", file=sys.stderr)
        return 2
    s2t, t2s = opencc.OpenCC("s2t").convert, opencc.OpenCC("t2s").convert
    to_hans, to_hant = variant_tables(charset("zh_hans"), charset("zh_hant"), s2t, t2s)
    source = f"OpenCC {version('opencc')} character conversion (t2s for zh_hans, s2t for zh_hant)"
    for code, forms in (("zh_hans", to_hans), ("zh_hant", to_hant)):
        print(f"build_variants: {code}: {len(forms)} forms -> {write(code, forms, source)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
