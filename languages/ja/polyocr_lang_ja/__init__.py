"""Japanese for polyocr: kana and kanji (JIS X 0208), no spaces, kinsoku rules, vertical columns."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, VerticalText, system_fonts
from polyocr.lang.pack import StandardPack

# JIS X 4051 line-breaking: closing brackets, small kana, prolonged sound mark and punctuation may not
# begin a line; opening brackets may not end one.
NO_LINE_START = (
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー‐゠–〜～…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "）〕］｝〉》」』】〙〗〟’”｠»,.:;?!)]}"
)
NO_LINE_END = "（〔［｛〈《「『【〘〖〝‘“｟«([{"

SPEC = LanguageSpec(
    code="ja",
    name="Japanese",
    native_name="日本語",
    bcp47="ja",
    locale="ja_JP",
    scripts=("Hira", "Kana", "Hani"),
    directions=("ltr", "ttb"),
    word_separator="",
    word_unit="character",
    line_breaking=LineBreaking(no_line_start=NO_LINE_START, no_line_end=NO_LINE_END, break_between_characters=True),
    vertical=VerticalText(column_order="rtl", latin="rotate"),
    numbers=NumberFormat(decimal=".", group=",", currency=("¥", "円"), fullwidth_digits=True),
    quotes=(("「", "」"), ("『", "』")),
)

OFL = "OFL-1.1"
IPA = "IPA"
FONTS = [
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans CJK JP", "Noto Serif CJK JP"),
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans Mono CJK JP", role="mono"),
    *system_fonts("fonts-ipafont-gothic", IPA, "IPAGothic", "IPAPGothic"),
    *system_fonts("fonts-ipafont-mincho", IPA, "IPAMincho", "IPAPMincho"),
    *system_fonts("fonts-ipaexfont-gothic", IPA, "IPAexGothic"),
    *system_fonts("fonts-ipaexfont-mincho", IPA, "IPAexMincho"),
    *system_fonts("fonts-takao-gothic", IPA, "TakaoGothic", "TakaoPGothic"),
    *system_fonts("fonts-takao-mincho", IPA, "TakaoMincho", "TakaoPMincho"),
    *system_fonts("fonts-vlgothic", "BSD-3-Clause AND mplus AND Sazanami", "VL Gothic", "VL PGothic"),
    *system_fonts("fonts-morisawa-bizud-gothic", OFL, "BIZ UDGothic", "BIZ UDPGothic"),
    *system_fonts("fonts-morisawa-bizud-mincho", OFL, "BIZ UDMincho", "BIZ UDPMincho"),
    *system_fonts("fonts-motoya-l-cedar", "Apache-2.0", "MotoyaLCedar"),
    *system_fonts("fonts-motoya-l-maruberi", "Apache-2.0", "MotoyaLMaru"),
    *system_fonts("fonts-seto", OFL, "SetoFont", role="handwriting", min_coverage=0.8),
    *system_fonts("fonts-kouzan-mouhitsu", "public-domain", "KouzanBrushFont*", role="handwriting",
                  min_coverage=0.5),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="JIS X 0208 (kana, level 1 and 2 kanji, symbols, full-width forms), half-width kana, "
    "CJK punctuation, printable ASCII",
)
