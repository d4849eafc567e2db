"""The :class:`PolyocrEngine` (OCRmyPDF ``OcrEngine``) and its option model."""

from __future__ import annotations

import math
import os
import statistics
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrmypdf.models.ocr_element import Baseline, BoundingBox, OcrClass, OcrElement
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from PIL import Image
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from polyocr.infer.result import Document, Line, Page

MAX_SKEW = 10.0
"""Largest skew (degrees) :meth:`PolyocrEngine.get_deskew` reports; larger residuals are not skew."""

MAX_CONFIDENCE = 15.0
"""OCRmyPDF's orientation confidence scale (Tesseract's): 0 not confident, 15 very; it rotates at 14."""

DESCENT = 0.2  # share of a line's height under the baseline, as polyocr.export assumes


def _wide(text: str) -> bool:
    """Whether every character of ``text`` is East Asian wide or fullwidth (Hangul, kana, Han, fullwidth
    forms): the words OCRmyPDF's text-layer renderer joins to their neighbour without a space."""
    return bool(text) and all(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def _word_texts(line: Line) -> list[str]:
    """The words' texts as the text layer should carry them. OCRmyPDF's renderer writes a space after a
    word unless the word and the next are both CJK, which it takes to be unspaced; Korean is CJK and
    spaced, and a Korean page's text layer lost every space between its words (``pdftotext`` page NED
    0.14 where polyocr's own text had 0.02). A wide word that the recognizer read with a space after it
    keeps that space in its text, so the renderer writes it."""
    from polyocr.export import spaced_after

    words = line.words or []
    spaced = spaced_after(line)
    out = []
    for i, word in enumerate(words):
        nxt = words[i + 1].text if i + 1 < len(words) else ""
        joined = _wide(word.text) and _wide(nxt)
        out.append(word.text + " " if joined and spaced[i] else word.text)
    return out


class PolyocrOptions(BaseModel):
    """``options.polyocr``: filled from ``--polyocr-model``/``--polyocr-device``/``--polyocr-threads``/
    ``--polyocr-langs``."""

    model: str | None = Field(default=None, description="polyocr checkpoint; default $POLYOCR_MODEL or bundled")
    device: str = Field(default="cpu", description="torch device")
    threads: int = Field(default=1, ge=1, description="torch threads per worker")
    langs: str | None = Field(default=None, description="comma-separated pack codes to read as (default: all)")


# ---------------------------------------------------------------- model cache (one per worker process)

_CACHE: dict[tuple[int, str | None, str, int, tuple[str, ...]], Any] = {}
_LOCK = threading.Lock()


def _settings(options) -> tuple[str | None, str, int, tuple[str, ...]]:
    ns = None
    if options is not None:
        try:
            ns = options.polyocr
        except (AttributeError, KeyError, ValueError):
            ns = None
    model = getattr(ns, "model", None) or os.environ.get("POLYOCR_MODEL") or None
    device = getattr(ns, "device", None) or os.environ.get("POLYOCR_DEVICE") or "cpu"
    threads = int(getattr(ns, "threads", None) or 1)
    langs = tuple(c.strip() for c in (getattr(ns, "langs", None) or "").split(",") if c.strip())
    return model, device, threads, langs


def get_ocr(options) -> Any:
    """The ``polyocr.OCR`` for these options, loaded once per process (a forked worker loads its own)."""
    model, device, threads, langs = _settings(options)
    key = (os.getpid(), model, device, threads, langs)
    with _LOCK:
        ocr = _CACHE.get(key)
        if ocr is None:
            for stale in [k for k in _CACHE if k[0] != key[0]]:  # inherited through fork: not ours
                del _CACHE[stale]
            from polyocr import OCR

            ocr = _CACHE[key] = OCR(model=model, device=device, threads=threads, langs=list(langs) or None)
        return ocr


def _dpi(input_file: Path) -> float:
    with Image.open(input_file) as im:
        dpi = im.info.get("dpi")
    try:
        value = float(dpi[0] if isinstance(dpi, tuple | list) else dpi)
    except (TypeError, ValueError):
        value = 0.0
    return value if value > 0 else 300.0


# per process: the last page read, so get_orientation/get_deskew/generate_* on one image OCR it once
_LAST: dict[str, Any] = {}


def read_page(input_file: Path, options) -> Page:
    """OCR one page image (the file OCRmyPDF hands over) with polyocr; the result has one page."""
    input_file = Path(input_file)
    st = input_file.stat()
    key = (os.getpid(), str(input_file.resolve()), st.st_mtime_ns, st.st_size, _settings(options))
    if _LAST.get("key") == key:
        return _LAST["page"]
    with Image.open(input_file) as im:
        im.load()
        image = im.convert("RGB") if im.mode not in ("RGB", "L") else im.copy()
    page = get_ocr(options).read(image).pages[0]
    _LAST.update(key=key, page=page)
    return page


# ---------------------------------------------------------------- geometry helpers


def _direction_angle(line: Line) -> float:
    """Reading direction of a line in degrees, image coordinates (y down): 0 = left to right, 90 = downwards."""
    (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def _length(line: Line) -> float:
    (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
    return math.hypot(x1 - x0, y1 - y0)


def orientation(page: Page) -> OrientationConfidence:
    """``page.rotation`` (clockwise turn of the content = OCRmyPDF's orientation angle) and a confidence:
    the length-weighted share of horizontal lines voting for it times their mean recognition confidence,
    on OCRmyPDF's 0–15 scale."""
    lines = [ln for ln in page.lines if not ln.vertical and _length(ln) > 0]
    if not lines:
        return OrientationConfidence(angle=0, confidence=0.0)
    votes = [0.0] * 4
    for ln in lines:
        votes[round(_direction_angle(ln) / 90.0) % 4] += _length(ln)
    angle = int(page.rotation) % 360
    share = votes[angle // 90] / sum(votes)
    conf = statistics.fmean(ln.confidence for ln in lines)
    return OrientationConfidence(angle=angle, confidence=round(MAX_CONFIDENCE * share * conf, 3))


def skew(page: Page) -> float:
    """Median residual angle (degrees, counter-clockwise correction as ``PIL.Image.rotate`` takes it) of the
    horizontal lines' reading direction from the nearest multiple of 90°, ignoring residuals over ±10°."""
    residuals = []
    for ln in page.lines:
        if ln.vertical or _length(ln) <= 0:
            continue
        a = _direction_angle(ln)
        r = a - 90.0 * round(a / 90.0)
        if abs(r) <= MAX_SKEW:
            residuals.append(r)
    return float(statistics.median(residuals)) if residuals else 0.0


def _clamp(v: float, hi: float) -> float:
    return min(max(float(v), 0.0), float(hi))


def _bbox(box, w: float, h: float) -> BoundingBox:
    """The node's box, clipped to the page (the detector's quads may overhang the edge by a few pixels)."""
    x0, y0, x1, y1 = (_clamp(box[0], w), _clamp(box[1], h), _clamp(box[2], w), _clamp(box[3], h))
    return BoundingBox(left=x0, top=y0, right=max(x1, x0), bottom=max(y1, y0))


def _poly(quad, w: float, h: float) -> list[tuple[float, float]]:
    return [(_clamp(x, w), _clamp(y, h)) for x, y in quad]


def _baseline(line: Line, w: float, h: float) -> Baseline | None:
    """hOCR-style baseline (slope, offset from the clipped line box's bottom-left) for an upright line."""
    (sx, sy), (ex, _), (bx, by), (ax, ay) = line.quad
    if abs(ex - sx) < 1e-6:
        return None
    slope = (by - ay) / (bx - ax) if abs(bx - ax) > 1e-6 else 0.0
    height = math.hypot(ax - sx, ay - sy)
    base_y_at_left = ay - DESCENT * height  # baseline point above the start-bottom corner
    box = _bbox(line.box, w, h)
    x0, y1 = box.left, box.bottom
    intercept = base_y_at_left + slope * (x0 - ax) - y1
    return Baseline(slope=float(slope), intercept=float(intercept))


def to_ocr_element(page: Page, dpi: float, page_number: int = 0) -> OcrElement:
    """polyocr's Page › Block › Line › Word as OCRmyPDF's ocr_page › ocr_par › ocr_line › ocrx_word."""
    root = OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(left=0, top=0, right=page.width, bottom=page.height),
                      dpi=float(dpi), page_number=page_number)
    w, h = page.width, page.height
    for block in page.blocks:
        par = OcrElement(ocr_class=OcrClass.PARAGRAPH, bbox=_bbox(block.box, w, h), poly=_poly(block.quad, w, h),
                         confidence=float(block.confidence), direction="ltr")
        for line in block.lines:
            a = _direction_angle(line)
            upright = abs(a) < 45.0 and not line.vertical
            el = OcrElement(ocr_class=OcrClass.LINE, bbox=_bbox(line.box, w, h), poly=_poly(line.quad, w, h),
                            confidence=float(line.confidence), direction="ltr",
                            baseline=_baseline(line, w, h) if upright else None,
                            textangle=None if upright or line.vertical else float((-a) % 360.0))
            words = line.words or []
            for word, text in zip(words, _word_texts(line), strict=True):
                if not word.text.strip():
                    continue
                el.children.append(OcrElement(ocr_class=OcrClass.WORD, bbox=_bbox(word.box, w, h),
                                              poly=_poly(word.quad, w, h), text=text,
                                              confidence=float(word.confidence)))
            if not el.children and line.text.strip():
                el.children.append(OcrElement(ocr_class=OcrClass.WORD, bbox=_bbox(line.box, w, h), text=line.text,
                                              confidence=float(line.confidence)))
            if el.children:
                par.children.append(el)
        if par.children:
            root.children.append(par)
    return root


def _document(page: Page) -> Document:
    from polyocr.infer.result import Document

    # no source: the PDF export must not embed the page image (OCRmyPDF wants the text layer only)
    return Document(pages=[page.model_copy(update={"source": None})])


def _text(page: Page) -> str:
    from polyocr.export import export

    return export(_document(page), "txt")


def _write(path: Path, data: str | bytes) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- the engine


class PolyocrEngine(OcrEngine):
    """OCRmyPDF OCR engine backed by polyocr (multilingual, no language hint)."""

    @staticmethod
    def version() -> str:
        import polyocr

        return polyocr.__version__

    @staticmethod
    def creator_tag(options) -> str:
        return f"polyocr {PolyocrEngine.version()}"

    def __str__(self) -> str:
        return f"polyocr {PolyocrEngine.version()}"

    @staticmethod
    def languages(options) -> set[str]:
        """Installed language packs, plus whatever ``-l`` asked for: polyocr reads every script it was
        trained on without a hint, so the language option is accepted and ignored."""
        import polyocr

        try:
            packs = set(polyocr.load_languages().packs)
        except Exception:  # noqa: BLE001 - no packs installed: the model still reads
            packs = set()
        requested = set(getattr(options, "languages", None) or []) if options is not None else set()
        return packs | requested

    @staticmethod
    def get_orientation(input_file: Path, options) -> OrientationConfidence:
        return orientation(read_page(input_file, options))

    @staticmethod
    def get_deskew(input_file: Path, options) -> float:
        return skew(read_page(input_file, options))

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options, page_number: int = 0) -> tuple[OcrElement, str]:
        page = read_page(input_file, options)
        return to_ocr_element(page, _dpi(input_file), page_number), _text(page)

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options) -> None:
        from polyocr.export import export

        page = read_page(input_file, options)
        doc = _document(page)
        _write(output_hocr, export(doc, "hocr"))
        _write(output_text, export(doc, "txt"))

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options) -> None:
        """A one-page PDF holding only the invisible text (render mode 3), sized like the image at its DPI."""
        from polyocr.export import export

        page = read_page(input_file, options)
        doc = _document(page)
        _write(output_pdf, export(doc, "pdf", images=None, dpi=_dpi(input_file)))
        _write(output_text, export(doc, "txt"))
