"""Entry-point target (group ``ocrmypdf``): the package's hooks under a second module object, so that
``--plugin polyocr_ocrmypdf`` on top of auto-discovery does not make pluggy refuse the same module twice."""

from polyocr_ocrmypdf import add_options, get_ocr_engine, initialize, register_options

__all__ = ["add_options", "get_ocr_engine", "initialize", "register_options"]
