"""polyocr: fast multilingual OCR whose languages are plugin packages.

>>> import polyocr
>>> langs = polyocr.load_languages()          # every installed language pack
>>> sorted(langs.packs)                        # doctest: +SKIP
['en', 'ja', 'ko', 'ru', 'zh_hans', 'zh_hant']
>>> print(polyocr.OCR().read("scan.png").text)   # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from polyocr.errors import PolyocrError
from polyocr.lang.registry import LanguagePack, Languages, load_languages
from polyocr.lang.vocabulary import Vocabulary

try:
    __version__ = version("polyocr")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["OCR", "LanguagePack", "Languages", "PolyocrError", "Vocabulary", "__version__", "load_languages"]


def __getattr__(name: str):
    """``polyocr.OCR`` is imported lazily: it pulls in torch, which the data tools do not need."""
    if name == "OCR":
        from polyocr.infer.api import OCR

        return OCR
    raise AttributeError(f"module 'polyocr' has no attribute {name!r}")
