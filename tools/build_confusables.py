"""Write the Korean pack's ``data/confusables.json``: Hangul syllables the recognizer reads for each
other (``register_confusables``).

A syllable block draws its initial consonant and its vowel a few pixels high at 150 DPI, and the
recognizer now and then reads one for a look-alike a stroke away: ㄱ/ㅋ, ㄷ/ㅌ, ㄸ/ㅍ, ㅁ/ㅂ, ㅁ/ㄹ,
ㅈ/ㅊ, ㅅ/ㅊ (initials), ㅓ/ㅕ, ㅏ/ㅑ, ㅗ/ㅛ, ㅜ/ㅠ, ㅔ/ㅖ, ㅐ/ㅒ, ㅗ/ㅜ, ㅡ/ㅜ, ㅡ/ㅗ, ㅏ/ㅣ, ㅓ/ㅣ, ㅐ/ㅔ
(vowels) and ㄹ/ㅌ, ㅁ/ㅂ, ㅁ/ㄹ (finals) — on the real pages 패기지 for 패키지, 년 as 넌, 떠 as 퍼, and on
small screen text 날말 for 낱말, 삼입 for 삽입 (the pairs the recognizer's output on the dev split's and
the web pages' Korean confuses most, by the jamo that differ). A group is two syllables of the pack's charset that differ in exactly one of
those pairs, the rest of the block the same. Korean is often set without a space between words (a
run of syllables is then a phrase no text writes whole), so its unsure syllables are also checked by
their pairs with their neighbours (``pair_count``). Deterministic (sorted):

    .venv/bin/python tools/build_confusables.py
"""

from __future__ import annotations

import json
from pathlib import Path

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


def main() -> int:
    data = ROOT / "languages" / "ko" / "polyocr_lang_ko" / "data"
    charset = set("".join((data / "charset.txt").read_text(encoding="utf-8").split()))
    groups = korean_groups(charset)
    out = {"unit": "가-힣", "groups": groups, "min_count": 3, "pair_count": 5}
    (data / "confusables.json").write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(groups)} groups -> {data / 'confusables.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
