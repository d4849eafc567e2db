"""Rebuild the charset slices of the six bundled language packs from the national standards.

Why a script and a shipped file: the slices define model output ids, so they must be stable and
reviewable. They are derived once from the codecs of the standards (JIS X 0208, KS X 1001, GB2312,
Big5) and written to ``languages/<code>/polyocr_lang_<code>/data/charset.txt``; Python codec changes
can then never silently reorder a vocabulary.

    python tools/build_charsets.py            # rewrite all six
    python tools/build_charsets.py --check    # exit 1 if a shipped file differs
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ASCII = "".join(chr(c) for c in range(0x21, 0x7F))  # printable, without space
TYPOGRAPHIC = "‘’“”‚„‹›«»–—…•·′″§¶†‡©®™°±×÷¹²³¼½¾µ"
CURRENCY = "€£¥¢₩₽₹"


def _decode_range(codec: str, lead: range, trail: range) -> str:
    """All characters a double-byte codec decodes in the given lead/trail byte ranges, in code order."""
    out: list[str] = []
    for hi in lead:
        for lo in trail:
            try:
                ch = bytes([hi, lo]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and unicodedata.category(ch) not in ("Co", "Cn", "Cc", "Cf"):
                out.append(ch)
    return "".join(out)


def _unique(*parts: str) -> str:
    seen: dict[str, None] = {}
    for part in parts:
        for ch in part:
            if not ch.isspace():
                seen.setdefault(ch, None)
    return "".join(seen)


def build() -> dict[str, str]:
    cyrillic = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    jis = _decode_range("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))  # JIS X 0208 rows 1-84
    ksx_symbols = _decode_range("euc_kr", range(0xA1, 0xAD), range(0xA1, 0xFF))  # rows 1-12
    hangul = _decode_range("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # 2,350 syllables
    gb_symbols = _decode_range("gb2312", range(0xA1, 0xAA), range(0xA1, 0xFF))  # rows 1-9
    gb_hanzi = _decode_range("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))  # 6,763 hanzi
    big5_symbols = _decode_range("big5", range(0xA1, 0xA4), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
    big5_frequent = _decode_range("big5", range(0xA4, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
    big5_frequent = "".join(c for c in big5_frequent if unicodedata.name(c, "").startswith("CJK"))
    halfwidth_kana = "".join(chr(c) for c in range(0xFF61, 0xFFA0))
    cjk_punct = "、。〃〈〉《》「」『』【】〔〕〖〗〘〙〜・ー～！（），．：；？［］｛｝｡｢｣､･"
    return {
        "en": _unique(ASCII, TYPOGRAPHIC, CURRENCY),
        "ru": _unique(cyrillic, ASCII, "«»„“”–—…№°§", "₽€$"),
        "ja": _unique(jis, halfwidth_kana, cjk_punct, ASCII),
        "ko": _unique(hangul, ksx_symbols, "".join(chr(c) for c in range(0x3131, 0x318F)), ASCII, "₩·…"),
        "zh_hans": _unique(gb_hanzi, gb_symbols, cjk_punct, ASCII),
        "zh_hant": _unique(big5_frequent, big5_symbols, cjk_punct, ASCII),
    }


def path_for(code: str) -> Path:
    return ROOT / "languages" / code / f"polyocr_lang_{code}" / "data" / "charset.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    status = 0
    for code, chars in build().items():
        path = path_for(code)
        text = chars + "\n"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path}: differs from the standard-derived slice", file=sys.stderr)
                status = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{code}: {len(chars)} characters -> {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
