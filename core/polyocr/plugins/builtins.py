"""The core's own contributions, registered through the same hooks a third-party plugin uses.

``POLYOCR_FONT_DIRS`` (``os.pathsep``-separated directories) offers extra fonts to every language; a
face is used for a language only where it covers enough of that language's charset.
"""

from __future__ import annotations

import os
from pathlib import Path

from polyocr.lang.sources import FontSource
from polyocr.lang.spec import LanguageSpec
from polyocr.plugins import hookimpl


@hookimpl
def register_fonts(language: LanguageSpec) -> list[FontSource]:
    dirs = [d for d in os.environ.get("POLYOCR_FONT_DIRS", "").split(os.pathsep) if d.strip()]
    return [
        FontSource(path=Path(d).expanduser(), licence="as stated by each font file", min_coverage=0.98)
        for d in dirs
    ]


@hookimpl
def register_layouts() -> list:
    from polyocr.synth.layouts import BUILTIN_LAYOUTS, LayoutSpec

    return [LayoutSpec(name=cls.name, weight=weight, layout=cls()) for cls, weight in BUILTIN_LAYOUTS]
