"""polyocr as an OCRmyPDF (17.x) OCR engine.

``ocrmypdf --plugin polyocr_ocrmypdf in.pdf out.pdf`` (or just ``ocrmypdf in.pdf out.pdf`` once the
distribution is installed: it registers itself under OCRmyPDF's ``ocrmypdf`` entry-point group).

* Selected for ``--ocr-engine auto`` (the default); ``--ocr-engine tesseract`` and ``none`` still pick
  the built-in engines. When no ``tesseract`` binary is on PATH, the built-in Tesseract plugin is blocked
  (its option check would otherwise refuse to start) and replaced by a shim that keeps its options.
* ``-l/--language`` is accepted and ignored: polyocr needs no language hint (and OCRmyPDF fills in
  ``eng`` when none is given, so it cannot tell a choice from the default). ``--polyocr-langs en,ja``
  is the optional hint: lines are read only as characters of those packs (``polyocr read --langs``).
* ``--polyocr-model PATH`` (else ``$POLYOCR_MODEL``, else polyocr's bundled model),
  ``--polyocr-device cpu|cuda[:N]``, ``--polyocr-threads N`` (torch threads per worker, default 1:
  OCRmyPDF already runs one worker per page).
* Installed, OCRmyPDF registers ``polyocr_ocrmypdf.autoload`` (same hooks) from the entry point; when
  ``--plugin polyocr_ocrmypdf`` is given as well, the ``initialize`` hook drops the duplicate.
* The model is loaded once per worker process (cached by pid) and reused for every page.
* Implements the structured ``generate_ocr`` API (used by the default fpdf2 renderer), ``generate_hocr``
  (hOCR via ``polyocr.export``) and ``generate_pdf`` (text-only PDF for ``--pdf-renderer sandwich``).
"""

from __future__ import annotations

import logging
import shutil
import sys
from argparse import ArgumentParser

from ocrmypdf import hookimpl

from polyocr_ocrmypdf.engine import PolyocrEngine, PolyocrOptions

__all__ = ["PolyocrEngine", "PolyocrOptions"]

log = logging.getLogger(__name__)

TESSERACT_PLUGIN = "ocrmypdf.builtin_plugins.tesseract_ocr"


AUTOLOAD = "polyocr_ocrmypdf.autoload"


@hookimpl
def initialize(plugin_manager):
    package, autoload = sys.modules[__name__], sys.modules.get(AUTOLOAD)
    if autoload is not None and plugin_manager.is_registered(package) and plugin_manager.is_registered(autoload):
        plugin_manager.unregister(autoload)  # both the entry point and --plugin: keep one set of hooks
    tesseract = plugin_manager.get_plugin(TESSERACT_PLUGIN)
    if shutil.which("tesseract") is None and tesseract is not None:
        # its check_options hook fails without the binary, even when another engine does the OCR; keep its
        # options (OCRmyPDF's own validation reads options.tesseract) through a shim
        from polyocr_ocrmypdf import tesseract_shim

        plugin_manager.unregister(tesseract)
        if not plugin_manager.is_registered(tesseract_shim):
            plugin_manager.register(tesseract_shim)


@hookimpl
def register_options():
    return {"polyocr": PolyocrOptions}


@hookimpl
def add_options(parser: ArgumentParser):
    if "--polyocr-model" in getattr(parser, "_option_string_actions", {}):
        return
    group = parser.add_argument_group("polyocr", "Options for the polyocr OCR engine")
    group.add_argument("--polyocr-model", dest="polyocr_model", metavar="PATH", default=None,
                       help="polyocr checkpoint directory (default: $POLYOCR_MODEL, else the bundled model)")
    group.add_argument("--polyocr-device", dest="polyocr_device", metavar="DEVICE", default="cpu",
                       help="torch device for polyocr: cpu (default), cuda, cuda:N")
    group.add_argument("--polyocr-threads", dest="polyocr_threads", metavar="N", type=int, default=1,
                       help="torch threads per OCRmyPDF worker (default 1)")
    group.add_argument("--polyocr-langs", dest="polyocr_langs", metavar="CODES", default=None,
                       help="comma-separated polyocr pack codes the pages are in, e.g. en,ja (default: any "
                            "installed language)")


@hookimpl
def get_ocr_engine(options):
    if options is not None and getattr(options, "ocr_engine", "auto") not in ("auto", "polyocr"):
        return None
    return PolyocrEngine()
