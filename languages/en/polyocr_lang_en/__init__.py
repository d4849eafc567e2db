"""English for polyocr: Latin script, words separated by spaces, never set vertically."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, NumberFormat, system_fonts
from polyocr.lang.pack import StandardPack

SPEC = LanguageSpec(
    code="en",
    name="English",
    native_name="English",
    bcp47="en",
    locale="en_US",
    scripts=("Latn",),
    directions=("ltr",),
    word_separator=" ",
    line_breaking=LineBreaking(no_line_start=",.;:!?)]}”’»%", no_line_end="([{“‘«$£€", hyphenate=True),
    numbers=NumberFormat(decimal=".", group=",", currency=("$", "£", "€")),
    quotes=(("“", "”"), ("‘", "’"), ('"', '"')),
    detect_line=16.0,
)


FONTS = [
    *system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans", "DejaVu Serif"),
    *system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans Mono", role="mono"),
    # Times and Arial by their metric clones: the faces of office documents, drawn twice as often
    *system_fonts("fonts-liberation2", "OFL-1.1", "Liberation Sans", "Liberation Serif", weight=2.0),
    *system_fonts("fonts-liberation2", "OFL-1.1", "Liberation Mono", role="mono"),
    *system_fonts("fonts-freefont-ttf", "GPL-3.0-or-later WITH Font-exception-2.0", "FreeSans", "FreeSerif"),
    *system_fonts("fonts-freefont-ttf", "GPL-3.0-or-later WITH Font-exception-2.0", "FreeMono", role="mono"),
    *system_fonts("fonts-urw-base35", "AGPL-3.0-only WITH PS-or-PDF-font-exception-20170817", "Nimbus Roman",
            "Nimbus Sans", "Nimbus Sans Narrow", "C059", "P052", "URW Bookman", "URW Gothic"),
    *system_fonts("fonts-urw-base35", "AGPL-3.0-only WITH PS-or-PDF-font-exception-20170817", "Nimbus Mono PS", role="mono"),
    *system_fonts("fonts-urw-base35", "AGPL-3.0-only WITH PS-or-PDF-font-exception-20170817", "Z003", role="handwriting",
            min_coverage=0.8),
    *system_fonts("fonts-paratype", "ParaType-Free-Font-License", "PT Sans", "PT Serif", "PT Sans Narrow"),
    *system_fonts("fonts-paratype", "ParaType-Free-Font-License", "PT Mono", role="mono"),
    *system_fonts("fonts-noto-core", "OFL-1.1", "Noto Sans", "Noto Serif", "Noto Sans Display", "Noto Serif Display"),
    *system_fonts("fonts-roboto-unhinted", "Apache-2.0", "Roboto", "Roboto Condensed"),
    *system_fonts("fonts-open-sans", "Apache-2.0", "Open Sans", "Open Sans Condensed"),
    *system_fonts("fonts-lato", "OFL-1.1", "Lato"),
    *system_fonts("fonts-ebgaramond", "OFL-1.1", "EB Garamond"),
    # Computer Modern, LaTeX's faces: most scientific and technical PDFs are set in them
    *system_fonts("fonts-cmu", "OFL-1.1", "CMU Serif", weight=3.0),
    *system_fonts("fonts-cmu", "OFL-1.1", "CMU Sans Serif", "CMU Concrete", "CMU Bright"),
    *system_fonts("fonts-cmu", "OFL-1.1", "CMU Typewriter Text", role="mono", weight=3.0),
]

pack = StandardPack(
    spec=SPEC,
    data=Path(__file__).parent / "data",
    fonts=FONTS,
    charset_description="printable ASCII, typographic punctuation, common currency signs and symbols",
)
