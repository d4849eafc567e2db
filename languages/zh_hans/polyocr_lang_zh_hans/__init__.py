"""Simplified Chinese for polyocr: GB2312 hanzi, no spaces, kinsoku rules, vertical columns."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, VerticalText, system_fonts
from polyocr.lang.pack import StandardPack

# GB/T 15834 practice: closing punctuation never begins a line, opening punctuation never ends one.
NO_LINE_START = "、。，．：；？！…‥·’”）〕］｝〉》」』】〗〙〞%,.:;?!)]}"
NO_LINE_END = "‘“（〔［｛〈《「『【〖〘〝([{$￥¥"

SPEC = LanguageSpec(
    code="zh_hans",
    name="Chinese (Simplified)",
    native_name="简体中文",
    bcp47="zh-Hans",
    locale="zh_CN",
    scripts=("Hani",),
    directions=("ltr", "ttb"),
    word_separator="",
    word_unit="character",
    line_breaking=LineBreaking(no_line_start=NO_LINE_START, no_line_end=NO_LINE_END, break_between_characters=True),
    vertical=VerticalText(column_order="rtl", latin="rotate"),
    numbers=NumberFormat(decimal=".", group=",", currency=("¥", "元")),
    quotes=(("“", "”"), ("‘", "’"), ("《", "》")),
)

OFL = "OFL-1.1"
ARPHIC = "Arphic-1999"
FONTS = [
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans CJK SC", "Noto Serif CJK SC"),
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans Mono CJK SC", role="mono"),
    *system_fonts("fonts-wqy-zenhei", "GPL-2.0-only WITH Font-exception-2.0", "WenQuanYi Zen Hei",
                  "WenQuanYi Zen Hei Sharp"),
    *system_fonts("fonts-wqy-microhei", "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0",
                  "WenQuanYi Micro Hei"),
    *system_fonts("fonts-arphic-uming", ARPHIC, "AR PL UMing CN"),
    *system_fonts("fonts-arphic-ukai", ARPHIC, "AR PL UKai CN"),
    *system_fonts("fonts-arphic-gbsn00lp", ARPHIC, "AR PL SungtiL GB"),
    *system_fonts("fonts-arphic-gkai00mp", ARPHIC, "AR PL KaitiM GB"),
    *system_fonts("fonts-lxgw-wenkai", OFL, "LXGW WenKai"),
    *system_fonts("fonts-lxgw-wenkai", OFL, "LXGW WenKai Mono", role="mono"),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="GB2312: 6,763 hanzi and its symbol rows, CJK punctuation, printable ASCII",
)
