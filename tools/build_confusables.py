"""Write the Korean pack's ``data/confusables.json`` and the Han packs' ``data/confusables-han.json``:
characters the recognizer reads for each other (``register_confusables``).

A syllable block draws its initial consonant and its vowel a few pixels high at 150 DPI, and the
recognizer now and then reads one for a look-alike a stroke away: ㄱ/ㅋ, ㄷ/ㅌ, ㄸ/ㅍ, ㅁ/ㅂ, ㅁ/ㄹ,
ㅈ/ㅊ, ㅅ/ㅊ (initials), ㅓ/ㅕ, ㅏ/ㅑ, ㅗ/ㅛ, ㅜ/ㅠ, ㅔ/ㅖ, ㅐ/ㅒ, ㅗ/ㅜ, ㅡ/ㅜ, ㅡ/ㅗ, ㅏ/ㅣ, ㅓ/ㅣ, ㅐ/ㅔ
(vowels) and ㄹ/ㅌ, ㅁ/ㅂ, ㅁ/ㄹ (finals) — on the real pages 패기지 for 패키지, 년 as 넌, 떠 as 퍼, and on
small screen text 날말 for 낱말, 삼입 for 삽입 (the pairs the recognizer's output on the dev split's and
the web pages' Korean confuses most, by the jamo that differ). A group is two syllables of the pack's charset that differ in exactly one of
those pairs, the rest of the block the same. Korean is often set without a space between words (a
run of syllables is then a phrase no text writes whole), so its unsure syllables are also checked by
their pairs with their neighbours (``pair_count``).

Han characters (Japanese, Simplified and Traditional Chinese, each pack its own charset and text) that
look alike at the size the recognizer reads them (殺/設, 末/未, 採/探, 倉/會, 雜/離 on the real pages):
each character of the pack's charset drawn in the pack's Noto Sans CJK face at 24 px and reduced to
12 × 12, the drawings compared by correlation; a group is a character and one of its 6 nearest, where
they correlate 0.75 or more. Chinese and Japanese are set without spaces, so these are checked by
pairs too, with a stricter count (10). Deterministic (sorted):

    .venv/bin/python tools/build_confusables.py
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ",
          "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
INITIAL_PAIRS = ["ㄱㅋ", "ㄷㅌ", "ㄸㅍ", "ㅁㅂ", "ㅁㄹ", "ㅈㅊ", "ㅅㅊ"]
VOWEL_PAIRS = ["ㅓㅕ", "ㅏㅑ", "ㅗㅛ", "ㅜㅠ", "ㅔㅖ", "ㅐㅒ", "ㅗㅜ", "ㅡㅜ", "ㅏㅣ", "ㅓㅣ"]
FINAL_PAIRS = ["ㄹㅌ", "ㅁㅂ", "ㅁㄹ"]


def syllable(initial: int, vowel: int, final: int) -> str:
    return chr(0xAC00 + (initial * 21 + vowel) * 28 + final)


def korean_groups(charset: set[str]) -> list[str]:
    groups = set()
    for final in range(28):
        for vowel in range(21):
            for a, b in INITIAL_PAIRS:
                groups.add(syllable(INITIALS.index(a), vowel, final) + syllable(INITIALS.index(b), vowel, final))
        for initial in range(19):
            for a, b in VOWEL_PAIRS:
                groups.add(syllable(initial, VOWELS.index(a), final) + syllable(initial, VOWELS.index(b), final))
    for initial in range(19):
        for vowel in range(21):
            for a, b in FINAL_PAIRS:
                groups.add(syllable(initial, vowel, FINALS.index(a)) + syllable(initial, vowel, FINALS.index(b)))
    return sorted(g for g in groups if all(ch in charset for ch in g))


HAN_FACES = {"ja": "Noto Sans CJK JP", "zh_hans": "Noto Sans CJK SC", "zh_hant": "Noto Sans CJK TC"}
HAN_UNIT = "一-鿿"
"""CJK Unified Ideographs (U+4E00–U+9FFF), the Han runs looked up."""


def han_chars(charset: str) -> list[str]:
    """The charset's CJK unified ideographs in the block the Han tables look up, in charset order."""
    return [c for c in charset if "\u4e00" <= c <= "\u9fff" and unicodedata.name(c, "").startswith("CJK UNIFIED")]


def face_of(family: str) -> tuple[str, int]:
    """The file and collection index fontconfig finds for ``family`` (regular)."""
    out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", f"{family}:style=Regular"], capture_output=True,
                         text=True, check=True).stdout
    file, _, index = out.partition("\t")
    if family.split()[0].lower() not in Path(file).name.lower():
        raise SystemExit(f"build_confusables: fontconfig has no {family!r} (got {file}); install fonts-noto-cjk")
    return file, int(index or 0)


def han_groups(chars: list[str], face: tuple[str, int], k: int = 6, min_sim: float = 0.75,
               size: int = 24, small: int = 12) -> list[str]:
    """Pairs of ``chars`` whose drawings in ``face`` (file, index) at ``size`` px, reduced to ``small`` ×
    ``small``, correlate ``min_sim`` or more, each one of the other's ``k`` nearest (sorted)."""
    font = ImageFont.truetype(face[0], size, index=face[1])
    x = np.zeros((len(chars), small * small), np.float32)
    for i, ch in enumerate(chars):
        image = Image.new("L", (size, size), 0)
        ImageDraw.Draw(image).text((size // 2, size // 2), ch, font=font, fill=255, anchor="mm")
        x[i] = np.asarray(image.resize((small, small), Image.BILINEAR), np.float32).ravel() / 255
    x -= x.mean(1, keepdims=True)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-6
    groups = set()
    for at in range(0, len(chars), 1024):
        sim = x[at: at + 1024] @ x.T
        sim[np.arange(len(sim)), np.arange(at, at + len(sim))] = -1.0
        near = np.argsort(-sim, axis=1, kind="stable")[:, :k]
        for row, js in enumerate(near):
            for j in js:
                if sim[row, j] >= min_sim:
                    groups.add("".join(sorted((chars[at + row], chars[j]))))
    return sorted(groups)


def main() -> int:
    data = ROOT / "languages" / "ko" / "polyocr_lang_ko" / "data"
    charset = set("".join((data / "charset.txt").read_text(encoding="utf-8").split()))
    groups = korean_groups(charset)
    out = {"unit": "가-힣", "groups": groups, "min_count": 3, "pair_count": 5}
    (data / "confusables.json").write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(groups)} groups -> {data / 'confusables.json'}")
    for code, family in HAN_FACES.items():
        data = ROOT / "languages" / code / f"polyocr_lang_{code}" / "data"
        chars = han_chars("".join((data / "charset.txt").read_text(encoding="utf-8").split()))
        groups = han_groups(chars, face_of(family))
        out = {"unit": HAN_UNIT, "groups": groups, "min_count": 3, "pair_count": 10}
        (data / "confusables-han.json").write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n",
                                                   encoding="utf-8")
        print(f"{len(groups)} groups of {len(chars)} Han characters -> {data / 'confusables-han.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
