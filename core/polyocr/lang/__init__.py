"""Languages: the specs a pack declares (pydantic), their fonts, text, charset and the vocabulary."""

from polyocr.lang.sources import CharsetSlice, FontSource, TextSource, system_fonts
from polyocr.lang.spec import LanguageSpec, LineBreaking, NumberFormat, VerticalText

__all__ = [
    "CharsetSlice",
    "FontSource",
    "LanguageSpec",
    "LineBreaking",
    "NumberFormat",
    "TextSource",
    "system_fonts",
    "VerticalText",
]
