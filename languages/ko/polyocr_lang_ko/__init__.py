"""Korean for polyocr: Hangul (KS X 1001 syllables and jamo), words (eojeol) separated by spaces."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, VerticalText, system_fonts
from polyocr.lang.pack import StandardPack

SPEC = LanguageSpec(
    code="ko",
    name="Korean",
    native_name="한국어",
    bcp47="ko",
    locale="ko_KR",
    scripts=("Hang",),
    directions=("ltr", "ttb"),
    word_separator=" ",
    line_breaking=LineBreaking(no_line_start=",.;:!?)]}”’»…、。」』", no_line_end="([{“‘«「『"),
    vertical=VerticalText(column_order="rtl", latin="rotate"),
    numbers=NumberFormat(decimal=".", group=",", currency=("₩", "원")),
    quotes=(("“", "”"), ("‘", "’"), ("「", "」")),
    detect_line=16.0,
)

OFL = "OFL-1.1"
FONTS = [
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans CJK KR", "Noto Serif CJK KR"),
    *system_fonts("fonts-noto-cjk", OFL, "Noto Sans Mono CJK KR", role="mono"),
    *system_fonts("fonts-nanum", OFL, "NanumGothic", "NanumMyeongjo", "NanumBarunGothic", "NanumSquare",
                  "NanumSquareRound", "NanumSquare_ac"),
    *system_fonts("fonts-nanum-extra", OFL, "NanumGothicCoding", role="mono"),
    *system_fonts("fonts-nanum-extra", OFL, "Nanum Pen Script", "Nanum Brush Script", "NanumBarunpen",
                  role="handwriting", min_coverage=0.8),
    *system_fonts("fonts-unfonts-core", "GPL-2.0-only", "UnBatang", "UnDotum", "UnGraphic", "UnGungseo",
                  "UnPilgi", "UnDinaru"),
    *system_fonts("fonts-unfonts-extra", "GPL-2.0-only", "UnShinmun", "UnTaza", "UnVada", "UnYetgul",
                  "UnPen", "UnPenheulim", "UnPilgia", role="display", min_coverage=0.9),
    *system_fonts("fonts-baekmuk", "Baekmuk", "Baekmuk Batang", "Baekmuk Dotum", "Baekmuk Gulim",
                  "Baekmuk Headline"),
    *system_fonts("fonts-alee", "Artistic-1.0", "Bandal", "Bangwool", "Eunjin", "Guseul", role="display",
                  min_coverage=0.9),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="the 2,350 KS X 1001 Hangul syllables, compatibility jamo, KS X 1001 symbols, printable "
    "ASCII",
)
