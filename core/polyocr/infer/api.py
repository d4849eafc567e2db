"""``polyocr.OCR``: the Python API.

>>> import polyocr
>>> ocr = polyocr.OCR()                         # the bundled model, on the CPU    # doctest: +SKIP
>>> doc = ocr.read("scan.png")                  # a path, PIL image, numpy array, or a list of them
>>> print(doc.text)                             # reading order                    # doctest: +SKIP
>>> doc.export("hocr")                          # txt, json, hocr, alto, pdf       # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from polyocr.allocator import keep_freed_memory
from polyocr.errors import PolyocrError
from polyocr.infer.inputs import InputError, PageImage, as_page_image, iter_pages
from polyocr.infer.lexicon import LexiconCorrection
from polyocr.infer.pipeline import Pipeline, PipelineConfig
from polyocr.infer.result import Document, Page
from polyocr.infer.variants import VariantPreference
from polyocr.infer.words import WordSplitter
from polyocr.lang.text import NEUTRAL_SCRIPTS, script_of
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.blank_screen import BlankScreen, weights_digest

BUNDLED = Path(__file__).resolve().parent.parent / "models" / "default"
log = logging.getLogger("polyocr")


def bundled_model() -> Path:
    """The checkpoint that installs with the package."""
    if not (BUNDLED / "config.json").exists():
        raise PolyocrError(f"no bundled model in {BUNDLED}; pass model=PATH to a checkpoint (polyocr train writes one)")
    return BUNDLED


class OCR:
    """Reads images and PDFs with a checkpoint (the bundled one by default), no language hint needed."""

    def __init__(self, model: str | Path | None = None, device: str = "cpu", threads: int | None = None,
                 config: PipelineConfig | None = None, langs: Sequence[str] | None = None, **settings) -> None:
        """``config`` replaces the pipeline's settings; keyword ``settings`` (e.g. ``reading_order="geometry"``,
        ``line_batch=16``) change single ones. A checkpoint may record its own defaults (``inference`` in its
        config.json: the reading order that measured better for it).

        ``langs`` (pack codes, e.g. ``["en"]``) is an optional hint, like Tesseract's ``-l``: lines are
        then read only as letters of those packs' charsets (each holds Latin letters too); digits,
        punctuation and symbols, which belong to no script, stay whatever pack brought them
        (:func:`hint_charset`). It is faster, most of all for alphabetic languages, and rules out
        look-alikes from other scripts; without it every installed language is read at once."""
        from polyocr.lang.registry import load_languages
        from polyocr.model.checkpoint import load_checkpoint

        if device.startswith("cuda") and not torch.cuda.is_available():
            raise PolyocrError("--device cuda was asked for, but PyTorch sees no CUDA GPU here")
        if device == "cpu":
            keep_freed_memory()
            torch.set_num_threads(threads or max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
        path = Path(model) if model is not None else bundled_model()
        net, vocab, self.config = load_checkpoint(path, device)
        try:
            languages = load_languages()
        except PolyocrError:
            languages = None
        if config is None:
            defaults = {k: v for k, v in self.config.get("inference", {}).items() if k in PipelineConfig.__dataclass_fields__}
            config = PipelineConfig(**{**defaults, **{k: v for k, v in settings.items() if v is not None}})
        classes = None
        if langs:
            if languages is None:
                raise PolyocrError("langs= names language packs, but the installed packs could not be loaded")
            classes = vocab.classes_of(hint_charset(vocab, [pack.charset for pack in languages.select(list(langs))]))
        screen = _blank_screen(path, self.config, net.cfg.rec_dim) if config.screen_blanks and device == "cpu" else None
        self.pipeline = Pipeline(net, vocab, WordSplitter(languages), device, config, classes,
                                 VariantPreference(languages), screen, LexiconCorrection(languages))
        self.langs = list(langs) if langs else None
        self.model_path = path

    def pages(self, inputs: Iterable[PageImage | InputError]) -> Iterator[Page | InputError]:
        """OCR each page as it comes; errors pass through in place of their pages."""
        for item in inputs:
            if isinstance(item, InputError):
                yield item
                continue
            yield self.pipeline.page(item.image, item.page, item.source, item.dpi)

    def read(self, source, dpi: int = 200) -> Document:
        """OCR a path (image, PDF, folder), a PIL image, a numpy array, or a list of these.

        Raises :class:`~polyocr.infer.inputs.InputError` for an input that cannot be read.
        """
        items = source if isinstance(source, list | tuple) else [source]
        pages: list[Page] = []
        for obj in items:
            if isinstance(obj, Image.Image | np.ndarray):
                stream: Iterable = [as_page_image(obj, len(pages))]
            else:
                stream = iter_pages([obj], dpi=dpi)
            for result in self.pages(stream):
                if isinstance(result, InputError):
                    raise result
                pages.append(result)
        return Document(pages=pages)


def hint_charset(vocab: Vocabulary, charsets: Sequence[str]) -> str:
    """The characters a page hinted to be in the packs of ``charsets`` may be read as: theirs, and every
    character of the vocabulary that belongs to no script (digits, punctuation, symbols). A pack's
    charset lists what its source texts use, and a Chinese text may well use the dashes and bullets that
    only the English pack lists: with the Simplified Chinese hint and the packs' charsets alone, the
    real pages' en dashes and bullets were read as hyphens and katakana middle dots (page NED 0.036;
    0.024 with this, as without a hint)."""
    neutral = "".join(ch for ch in vocab.chars if script_of(ch) in NEUTRAL_SCRIPTS)
    return "".join(charsets) + neutral


def _blank_screen(path: Path, config: dict, features: int) -> BlankScreen | None:
    """The checkpoint's blank screen (``inference.blank_screen`` in its config.json), where it has one fitted
    to these very weights; a screen fitted to other weights is left out, with a warning. ``features``:
    the recognizer's step features, as many as the screen must weigh."""
    from pydantic import ValidationError

    raw = config.get("inference", {}).get("blank_screen")
    if raw is None:
        return None
    try:
        screen = BlankScreen.model_validate(raw)
    except ValidationError as exc:
        raise PolyocrError(f"{path}: the blank screen in config.json is malformed ({exc.error_count()} errors)") from exc
    if len(screen.weight) != features:
        raise PolyocrError(f"{path}: the blank screen in config.json weighs {len(screen.weight)} features, "
                           f"the recognizer gives {features}")
    if screen.weights_sha256 != weights_digest(path):
        log.warning("%s: the blank screen was fitted to other weights; reading without it "
                    "(fit it again: python tools/fit_blank_screen.py --model %s --write)", path, path)
        return None
    return screen
