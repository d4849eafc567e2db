"""Traditional Chinese for polyocr: Big5 frequent hanzi, no spaces, kinsoku rules, vertical columns."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, VerticalText, system_fonts
from polyocr.lang.pack import StandardPack

NO_LINE_START = "、。，．：；？！…‥·’”）〕］｝〉》」』】〗〙〞%,.:;?!)]}"
NO_LINE_END = "‘“（〔［｛〈《「『【〖〘〝([{$"

SPEC = LanguageSpec(
    code="zh_hant",
    name="Chinese (Traditional)",
    native_name="繁體中文",
    bcp47="zh-Hant",
    locale="zh_TW",
    scripts=("Hani",),
    directions=("ltr", "ttb"),
    word_separator="",
    word_unit="character",
    line_breaking=LineBreaking(no_line_start=NO_LINE_START, no_line_end=NO_LINE_END, break_between_characters=True),
    vertical=VerticalText(column_order="rtl", latin="rotate"),
    numbers=NumberFormat(decimal=".", group=",", currency=("NT$", "元")),
    quotes=(("「", "」"), ("『", "』")),
)

OFL = "OFL-1.1"
ARPHIC = "Arphic-1999"
FONTS = [
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans CJK TC", "Noto Serif CJK TC", "Noto Sans CJK HK",
                  "Noto Serif CJK HK"),
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans Mono CJK TC", role="mono"),
    *system_fonts("fonts-arphic-uming", ARPHIC, "AR PL UMing TW", "AR PL UMing HK"),
    *system_fonts("fonts-arphic-ukai", ARPHIC, "AR PL UKai TW", "AR PL UKai HK"),
    *system_fonts("fonts-arphic-bsmi00lp", ARPHIC, "AR PL Mingti2L Big5"),
    *system_fonts("fonts-arphic-bkai00mp", ARPHIC, "AR PL KaitiM Big5"),
    *system_fonts("fonts-wqy-zenhei", "GPL-2.0-only WITH Font-exception-2.0", "WenQuanYi Zen Hei"),
    *system_fonts("fonts-wqy-microhei", "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0",
                  "WenQuanYi Micro Hei"),
    *system_fonts("fonts-cwtex-ming", "GPL-2.0-or-later", "cwTeXMing"),
    *system_fonts("fonts-cwtex-kai", "GPL-2.0-or-later", "cwTeXKai"),
    *system_fonts("fonts-cwtex-heib", "GPL-2.0-or-later", "cwTeXHeiBold", role="display"),
    *system_fonts("fonts-lxgw-wenkai", OFL, "LXGW WenKai", min_coverage=0.9),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="Big5: the 5,401 frequent hanzi and its symbol rows, CJK punctuation, printable ASCII",
)
