"""Russian for polyocr: Cyrillic with Ё/ё, space-separated words, decimal comma, «ёлочки» quotes."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, system_fonts
from polyocr.lang.pack import StandardPack

SPEC = LanguageSpec(
    code="ru",
    name="Russian",
    native_name="Русский",
    bcp47="ru",
    locale="ru_RU",
    scripts=("Cyrl",),
    directions=("ltr",),
    word_separator=" ",
    line_breaking=LineBreaking(no_line_start=",.;:!?)]}»”…", no_line_end="([{«„№", hyphenate=True),
    numbers=NumberFormat(decimal=",", group="\u00a0", currency=("₽", "руб.")),
    quotes=(("«", "»"), ("„", "“")),
    capital_shaped="вгджзийклмнопстхцчшщъыьэюя",
    detect_line=16.0,
    ink_thickness=1.55,
)

OFL = "OFL-1.1"
URW = "AGPL-3.0-only WITH PS-or-PDF-font-exception-20170817"
FONTS = [
    *system_fonts("fonts-paratype", "ParaType-Free-Font-License", "PT Sans", "PT Serif", "PT Sans Narrow",
                  "PT Sans Caption", "PT Serif Caption"),
    *system_fonts("fonts-paratype", "ParaType-Free-Font-License", "PT Mono", role="mono"),
    *system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans", "DejaVu Serif"),
    *system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans Mono", role="mono"),
    # Times and Arial by their metric clones: the faces of office documents, drawn twice as often
    *system_fonts("fonts-liberation2", OFL, "Liberation Sans", "Liberation Serif", weight=2.0),
    *system_fonts("fonts-liberation2", OFL, "Liberation Mono", role="mono"),
    *system_fonts("fonts-freefont-ttf", "GPL-3.0-or-later WITH Font-exception-2.0", "FreeSans", "FreeSerif"),
    *system_fonts("fonts-urw-base35", URW, "Nimbus Roman", "Nimbus Sans", "C059", "P052", "URW Bookman", "URW Gothic"),
    *system_fonts("fonts-noto-core", OFL, "Noto Sans", "Noto Serif", "Noto Sans Display", "Noto Serif Display"),
    *system_fonts("fonts-roboto-unhinted", "Apache-2.0", "Roboto", "Roboto Condensed"),
    *system_fonts("fonts-open-sans", "Apache-2.0", "Open Sans"),
    *system_fonts("fonts-ebgaramond", OFL, "EB Garamond"),
    # Computer Modern with its Cyrillic, the face of Russian LaTeX documents
    *system_fonts("fonts-cmu", OFL, "CMU Serif", weight=3.0),
    *system_fonts("fonts-cmu", OFL, "CMU Sans Serif", "CMU Concrete", "CMU Bright"),
    *system_fonts("fonts-lato", OFL, "Lato"),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="Russian Cyrillic with Ё/ё, printable ASCII, Russian punctuation («»„“–—…№), ₽",
)
