"""Stands in for OCRmyPDF's built-in Tesseract plugin when no ``tesseract`` binary is installed.

OCRmyPDF 17 reads ``options.tesseract`` in its own validation whatever the engine, so the Tesseract option
model and command-line options must stay registered; only the plugin's ``check_options`` (which fails
without the binary) and ``validate`` (which sets Tesseract thread limits) are left out.
"""

from __future__ import annotations

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins import tesseract_ocr


@hookimpl
def register_options():
    return tesseract_ocr.register_options()


@hookimpl
def add_options(parser):
    tesseract_ocr.add_options(parser)
