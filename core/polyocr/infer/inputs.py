"""Reading what users give us: image files (PNG, JPEG, TIFF with all its pages, WebP, BMP), PDFs
(rendered with pypdfium2), folders (recursively), stdin, PIL images and numpy arrays.

Every failure is an :class:`InputError` naming the file, yielded in place of the pages it would have
produced, so one bad file never stops the others: empty files, files that are neither image nor PDF,
corrupt or truncated images, encrypted PDFs, PDFs without pages, unreadable paths, and images too large
to hold in memory (above ``max_pixels``; images above ``work_pixels`` are reduced as they are decoded).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from polyocr.errors import PolyocrError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif", ".jp2", ".pbm", ".pgm", ".ppm"}
PDF_SUFFIXES = {".pdf"}
MAX_PIXELS = 200_000_000
"""Refuse images larger than this (a 20,000 × 20,000 scan is 400 MP: 1.2 GB as RGB)."""
WORK_PIXELS = 40_000_000
"""Decode larger images reduced to about this size (OCR needs no more)."""


class InputError(PolyocrError):
    """One input could not be read; the message names it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class PageImage:
    image: np.ndarray
    """RGB, uint8, (H, W, 3), upright as the file's EXIF orientation says."""
    source: str
    page: int
    dpi: float | None = None


def to_rgb(image: Image.Image) -> np.ndarray:
    """EXIF orientation applied; alpha composited on white; palette, grey and CMYK turned to RGB."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode == "I;16" or image.mode == "I":
        image = image.point(lambda v: v / 256).convert("L")
    return np.asarray(image.convert("RGB"))


def _dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    try:
        return float(dpi[0]) if dpi and float(dpi[0]) > 1 else None
    except (TypeError, ValueError):
        return None


def _image_pages(data: bytes | Path, source: str, max_pixels: int, work_pixels: int) -> Iterator[PageImage]:
    Image.MAX_IMAGE_PIXELS = None  # we check sizes ourselves, with a message that says what to do
    try:
        image = Image.open(io.BytesIO(data) if isinstance(data, bytes) else data)
    except UnidentifiedImageError:
        raise InputError(source, "not an image or a PDF") from None
    except OSError as exc:
        raise InputError(source, f"corrupt or truncated image ({exc})") from None
    with image:
        frames = getattr(image, "n_frames", 1)
        for index in range(frames):
            try:
                image.seek(index)
                w, h = image.size
                if w * h > max_pixels:
                    raise InputError(source, f"image of {w} × {h} pixels is larger than the {max_pixels // 1_000_000} MP "
                                             f"limit (--max-pixels)")
                if w * h > work_pixels:
                    factor = int(np.ceil(np.sqrt(w * h / work_pixels)))
                    if image.format == "JPEG":
                        image.draft("RGB", (w // factor, h // factor))
                    frame = image.reduce(factor) if image.size == (w, h) else image.copy()
                else:
                    image.load()
                    frame = image
                dpi = _dpi(image)
                if dpi is not None and frame.size[0] != w:  # decoded reduced: fewer dots per inch
                    dpi *= frame.size[0] / w
                yield PageImage(to_rgb(frame), source, index, dpi)
            except InputError:
                raise
            except (OSError, ValueError, SyntaxError) as exc:
                raise InputError(source, f"corrupt or truncated image ({exc})") from None


def _pdf_pages(data: bytes | Path, source: str, dpi: int, max_pixels: int) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data if isinstance(data, bytes) else str(data))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise InputError(source, "encrypted PDF (a password is needed)") from None
        if "success" in text:  # PDFium refuses a document whose page tree is empty with a "success" code
            raise InputError(source, "PDF has no pages") from None
        raise InputError(source, f"not a readable PDF ({exc})") from None
    try:
        if len(pdf) == 0:
            raise InputError(source, "PDF has no pages")
        for index in range(len(pdf)):
            page = pdf[index]
            w_pt, h_pt = page.get_size()
            scale = dpi / 72.0
            if w_pt * h_pt * scale * scale > max_pixels:
                scale = (max_pixels / (w_pt * h_pt)) ** 0.5
            bitmap = page.render(scale=scale)
            yield PageImage(np.asarray(bitmap.to_pil().convert("RGB")), source, index, scale * 72.0)
    finally:
        pdf.close()


def read_source(path: Path | str, dpi: int = 200, max_pixels: int = MAX_PIXELS,
                work_pixels: int = WORK_PIXELS) -> Iterator[PageImage]:
    """Pages of one file (or of stdin for ``"-"``); raises :class:`InputError` at the first problem."""
    source = str(path)
    if source == "-":
        data: bytes | Path = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        p = Path(path)
        try:
            size = p.stat().st_size
            with open(p, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise InputError(source, "no such file") from None
        except PermissionError:
            raise InputError(source, "permission denied") from None
        except OSError as exc:
            raise InputError(source, f"cannot read ({exc.strerror or exc})") from None
        if size == 0:
            raise InputError(source, "empty file")
        data = p
    if isinstance(data, bytes):
        if not data:
            raise InputError(source, "empty input")
        head = data[:8]
    if head.startswith(b"%PDF"):
        yield from _pdf_pages(data, source, dpi, max_pixels)
    else:
        yield from _image_pages(data, source, max_pixels, work_pixels)


def expand(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files named by ``paths``: folders are searched recursively for images and PDFs (sorted)."""
    for path in paths:
        p = Path(path)
        if str(path) != "-" and p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES | PDF_SUFFIXES:
                    yield str(f)
        else:
            yield str(path)


def iter_pages(paths: Iterable[str | Path], dpi: int = 200, max_pixels: int = MAX_PIXELS) -> Iterator[PageImage | InputError]:
    """Every page of every input, with an :class:`InputError` in place of a file that failed."""
    for source in expand(paths):
        try:
            yield from read_source(source, dpi, max_pixels)
        except InputError as err:
            yield err


def as_page_image(obj, index: int = 0) -> PageImage:
    """A PIL image or a numpy array (H×W, H×W×3 or H×W×4; uint8 or float in [0, 1]) as a page."""
    if isinstance(obj, Image.Image):
        return PageImage(to_rgb(obj), "<image>", index, _dpi(obj))
    if isinstance(obj, np.ndarray):
        arr = obj
        if arr.dtype != np.uint8:
            arr = np.clip(arr * (255 if arr.max() <= 1.0 else 1), 0, 255).astype(np.uint8)
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, axis=-1)
        if arr.ndim != 3 or arr.shape[2] not in (3, 4):
            raise InputError("<array>", f"expected an H×W, H×W×3 or H×W×4 array, got shape {obj.shape}")
        if arr.shape[2] == 4:
            return PageImage(to_rgb(Image.fromarray(arr, "RGBA")), "<array>", index)
        return PageImage(np.ascontiguousarray(arr), "<array>", index)
    raise InputError(repr(type(obj).__name__), "not a path, PIL image or numpy array")
