"""Searchable PDF: each page is the page image with an invisible text layer over it, so viewers show the
scan while search, selection, copy and ``pdftotext`` find the recognized text where it is printed.

This is the layout Tesseract and OCRmyPDF produce, written here by a small PDF writer (no PDF library):

* **Image.** ``images=[...]`` (a PIL image or numpy array per page) is drawn over the whole page; without
  it, ``page.source`` is loaded if it is a readable image file, and a page with neither gets the text
  layer alone. JPEG sources are embedded as they are (no re-encoding); anything else losslessly (Flate,
  PNG predictors; greyscale kept greyscale). ``jpeg_quality=N`` re-encodes images as JPEG instead.
* **Page size.** ``dpi`` (a number, or one per page) gives the resolution of the page's pixels; without
  it, the image's own DPI when it has one, else 300. A page of W×H pixels is W·72/dpi × H·72/dpi points.
* **Font.** One "glyphless" TrueType font (built with fontTools on first use, then cached): a single
  glyph that draws nothing (a zero-area contour that only gives it a bounding box), 500/1000 em wide,
  ascent 800 and descent 200, which every code point maps to (cmap format 13). It is embedded as a
  Type0/CIDFontType2 font with Identity-H encoding; the document's characters get CIDs 1…n
  (CIDToGIDMap sends all of them to that glyph) and a ToUnicode CMap maps each CID back to its text, so
  every script (Latin, Cyrillic, Hangul, kana, Han, and characters beyond the BMP) extracts correctly.
  No real font is needed, and text render mode 3 keeps the text invisible.
* **Placement.** The unit is the word (``level=word``, the default; ``char`` uses each character's quad,
  ``line`` and ``paragraph`` each line's). Units joined without white space (the characters of Han and
  kana lines, which the recognizer gives as one word each) form one run; a spaced word is a run of its
  own, followed by a space character where the line's text has one, so extractors need not guess word
  breaks from gaps. Each run is one text object: font size = the quad's height, baseline
  :data:`~polyocr.export.DESCENT` of it above the bottom edge, text matrix along the quad's reading
  direction (rotated lines extract as rotated text), horizontal scaling (``Tz``) so the run spans exactly
  from its start edge to its end edge, and ``TJ`` adjustments that put each character of an unspaced run
  where the recognizer saw it, as far as extractors still read the run as one word.
* **Skew.** A run turned less than :data:`SNAP_DEGREES` from a quarter turn is set exactly upright (or
  exactly at 90°/180°/270°), centred on where it is: poppler splits words whose characters' baselines
  differ by half a point, as they do in a run turned by even 1°. Runs turned further keep their angle.
* **Vertical CJK columns** are set like a horizontal line turned 90° clockwise (reading down the page):
  extractors read each column as one line, in order, and ``pdftotext -bbox`` reports it at its place. The
  glyphs of such a run lie on their side, which for an invisible layer only matters to tools that draw
  it; PDF's vertical writing mode (Identity-V, with vertical metrics) is not used.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

import polyocr
from polyocr.errors import PolyocrError
from polyocr.export import DESCENT, check_level, fmt_num, keeps, spaced_after
from polyocr.infer.result import Document, Line, Page

EM = 1000
ADVANCE = 500
"""Advance width of the glyphless font's one glyph (per 1000 em); ``Tz`` scales runs to their length."""
ASCENT, DESCENT_UNITS = round(EM * (1 - DESCENT)), -round(EM * DESCENT)
DEFAULT_DPI = 300.0
FONT_NAME = "GlyphLessFont"
SNAP_DEGREES = 10.0
"""Runs turned less than this from a quarter turn are skewed text (a scan put on the glass askew) and are
set upright at their place: poppler (pdftotext, Evince, Okular) splits a word into pieces as soon as its
characters' baselines differ by half a point, which a run turned by even 1° does."""
MAX_SQUEEZE, MAX_STRETCH = 0.15, 0.08
"""How far (in font sizes) a character's advance may fall short of or exceed its glyph's width when it is
moved to where the recognizer saw it (see :meth:`_TextLayer.run`)."""
GAP_CLOSE = 0.5
"""Units not separated by white space join one run when the gap between them is at most this many line
heights (a wider gap is real white space, which extractors may show as a space)."""


# --- the glyphless font ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def glyphless_font() -> bytes:
    """A TrueType font whose one glyph draws nothing, with a format-13 cmap sending every code point to it."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    fb = FontBuilder(EM, isTTF=True)
    fb.setupGlyphOrder([".notdef", "blank"])
    fb.setupCharacterMap({0x20: "blank"})
    # The glyph draws nothing: its one contour is a zero-area diagonal. The contour is there so the glyph
    # has a bounding box (the em cell), without which pdfium (Chrome, Edge) drops single characters and
    # rotated text from its text layer.
    pen = TTGlyphPen(None)
    pen.moveTo((0, DESCENT_UNITS))
    pen.lineTo((ADVANCE, ASCENT))
    pen.closePath()
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "blank": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (ADVANCE, 0), "blank": (ADVANCE, 0)})
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT_UNITS)
    fb.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular", "psName": FONT_NAME})
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT_UNITS, sTypoLineGap=0,
                usWinAscent=ASCENT, usWinDescent=-DESCENT_UNITS, fsType=0)
    fb.setupPost()
    out = io.BytesIO()
    fb.font.save(out)
    # Then the cmap, written by hand: (3, 1) format 4 with just the space, and (3, 10) format 13
    # (many-to-one) sending all of Unicode to the blank glyph in two groups. fontTools would build format
    # 13 from a dict of 1.1 million code points (a second), and OS/2 would be recomputed from it; the
    # reopened font copies OS/2 as it is and takes this cmap as raw data.
    font = TTFont(io.BytesIO(out.getvalue()))
    bmp = CmapSubtable.newSubtable(4)
    bmp.platformID, bmp.platEncID, bmp.language, bmp.cmap = 3, 1, 0, {0x20: "blank"}
    fmt4 = bmp.compile(font)
    groups = [(0x0020, 0xD7FF, 1), (0xE000, 0x10FFFF, 1)]
    fmt13 = struct.pack(">HHLLL", 13, 0, 16 + 12 * len(groups), 0, len(groups))
    fmt13 += b"".join(struct.pack(">LLL", *g) for g in groups)
    header = struct.pack(">HH", 0, 2) + struct.pack(">HHL", 3, 1, 20) + struct.pack(">HHL", 3, 10, 20 + len(fmt4))
    cmap = DefaultTable("cmap")
    cmap.data = header + fmt4 + fmt13
    font["cmap"] = cmap
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# --- a minimal PDF object writer -------------------------------------------------------------------------

class Name(str):
    """A PDF name (``/Type``)."""


@dataclass(frozen=True)
class Ref:
    number: int


def _string(text: str) -> bytes:
    if text.isascii():
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _serialize(obj: Any) -> bytes:
    if isinstance(obj, Name):
        return b"/" + obj.encode("ascii")
    if isinstance(obj, Ref):
        return b"%d 0 R" % obj.number
    if isinstance(obj, bool):
        return b"true" if obj else b"false"
    if isinstance(obj, int):
        return b"%d" % obj
    if isinstance(obj, float):
        return fmt_num(obj, 4).encode("ascii")
    if isinstance(obj, str):
        return _string(obj)
    if isinstance(obj, dict):
        return b"<<" + b"".join(b"/" + k.encode("ascii") + b" " + _serialize(v) for k, v in obj.items()) + b">>"
    if isinstance(obj, list | tuple):
        return b"[" + b" ".join(_serialize(v) for v in obj) + b"]"
    raise TypeError(f"cannot write {type(obj).__name__} to a PDF")


class _Writer:
    """Objects numbered from 1 in the order they are reserved, then one classic cross-reference table."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> Ref:
        self.objects.append(None)
        return Ref(len(self.objects))

    def add(self, obj: Any, ref: Ref | None = None) -> Ref:
        ref = ref or self.reserve()
        self.objects[ref.number - 1] = _serialize(obj)
        return ref

    def stream(self, entries: dict[str, Any], data: bytes, compress: bool = True, ref: Ref | None = None) -> Ref:
        entries = dict(entries)
        if compress:
            data = zlib.compress(data, 6)
            entries["Filter"] = Name("FlateDecode")
        entries["Length"] = len(data)
        ref = ref or self.reserve()
        self.objects[ref.number - 1] = _serialize(entries) + b"\nstream\n" + data + b"\nendstream"
        return ref

    def finish(self, root: Ref, info: Ref) -> bytes:
        out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, 1):
            if body is None:
                raise AssertionError(f"PDF object {number} was reserved but never written")
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        trailer = {"Size": len(self.objects) + 1, "Root": root, "Info": info}
        out += b"trailer\n" + _serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


# --- page images -----------------------------------------------------------------------------------------

@dataclass
class _Image:
    entries: dict[str, Any]
    data: bytes
    size: tuple[int, int]
    dpi: float | None


def _dpi_of(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    if value <= 1:
        return None
    # PNG stores dots per metre: 150 DPI comes back as 149.9866
    return float(round(value)) if abs(value - round(value)) < 0.05 else value


def _to_pil(obj: Any, page: int) -> Image.Image:
    if isinstance(obj, Image.Image):
        return obj
    if isinstance(obj, np.ndarray):
        arr = obj
        if arr.dtype == np.bool_:
            arr = arr.astype(np.uint8) * 255
        elif arr.dtype != np.uint8:
            arr = np.clip(arr * (255 if arr.size and arr.max() <= 1.0 else 1), 0, 255).astype(np.uint8)
        if arr.ndim == 3 and arr.shape[2] == 1:
            arr = arr[:, :, 0]
        if arr.ndim == 2:
            return Image.fromarray(np.ascontiguousarray(arr), "L")
        if arr.ndim == 3 and arr.shape[2] in (3, 4):
            return Image.fromarray(np.ascontiguousarray(arr), "RGB" if arr.shape[2] == 3 else "RGBA")
        raise PolyocrError(f"pdf: image of page {page + 1} has shape {obj.shape}; expected H×W, H×W×3 or H×W×4")
    raise PolyocrError(f"pdf: image of page {page + 1} is a {type(obj).__name__}, not a PIL image or numpy array")


def _plain(image: Image.Image) -> Image.Image:
    """The image in a mode PDF draws directly: 1-bit, grey or RGB (alpha composited on white)."""
    if image.mode in ("1", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    elif image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(image, dtype=np.float64)
        arr = arr / 257.0 if arr.size and arr.max() > 255 else arr
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    rgb = image.convert("RGB")
    arr = np.asarray(rgb)
    if np.array_equal(arr[:, :, 0], arr[:, :, 1]) and np.array_equal(arr[:, :, 0], arr[:, :, 2]):
        return Image.fromarray(np.ascontiguousarray(arr[:, :, 0]), "L")
    return rgb


def _png_idat(image: Image.Image) -> bytes:
    """The zlib stream of the image as PNG: exactly what PDF's FlateDecode with Predictor 15 reads."""
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=6)
    png = buf.getvalue()
    pos, idat = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat.append(png[pos + 8:pos + 8 + length])
        pos += 12 + length
    return b"".join(idat)


def _encode(image: Image.Image, jpeg_quality: int | None, dpi: float | None) -> _Image:
    image = _plain(image)
    w, h = image.size
    gray = image.mode in ("1", "L")
    entries: dict[str, Any] = {"Type": Name("XObject"), "Subtype": Name("Image"), "Width": w, "Height": h,
                               "ColorSpace": Name("DeviceGray" if gray else "DeviceRGB"),
                               "BitsPerComponent": 1 if image.mode == "1" else 8}
    if jpeg_quality is not None and image.mode != "1":
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=int(jpeg_quality))
        entries["Filter"] = Name("DCTDecode")
        return _Image(entries, buf.getvalue(), (w, h), dpi)
    entries["Filter"] = Name("FlateDecode")
    entries["DecodeParms"] = {"Predictor": 15, "Colors": 1 if gray else 3,
                              "BitsPerComponent": entries["BitsPerComponent"], "Columns": w}
    return _Image(entries, _png_idat(image), (w, h), dpi)


def _from_source(page: Page, jpeg_quality: int | None) -> _Image | None:
    """The page's source image file, or None when it is not a readable image (a PDF, a missing file)."""
    if not page.source:
        return None
    path = Path(page.source)
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > 1:
                image.seek(min(page.index, frames - 1))
            dpi = _dpi_of(image)
            orientation = image.getexif().get(0x0112, 1)
            if image.format == "JPEG" and image.mode in ("L", "RGB") and orientation == 1 and jpeg_quality is None:
                entries = {"Type": Name("XObject"), "Subtype": Name("Image"), "Width": image.width,
                           "Height": image.height, "BitsPerComponent": 8, "Filter": Name("DCTDecode"),
                           "ColorSpace": Name("DeviceGray" if image.mode == "L" else "DeviceRGB")}
                return _Image(entries, path.read_bytes(), image.size, dpi)
            image.load()
            return _encode(ImageOps.exif_transpose(image), jpeg_quality, dpi)
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return None


# --- the text layer --------------------------------------------------------------------------------------

Quad = Sequence[tuple[float, float]]
Unit = tuple[str, Quad, bool]
"""Text, quad (page pixels) and whether a space follows it."""


def _units(line: Line, level: str) -> list[Unit]:
    if not keeps(level, "word") or not line.words:
        return [(line.text, line.quad, False)]
    units: list[Unit] = []
    for word, space in zip(line.words, spaced_after(line), strict=True):
        chars = word.chars
        if keeps(level, "char") and chars and "".join(c.text for c in chars) == word.text:
            units += [(c.text, c.quad, space and j == len(chars) - 1) for j, c in enumerate(chars)]
        else:
            units.append((word.text, word.quad, space))
    return units


class _TextLayer:
    """The invisible text of one page, as text-showing operators in page points."""

    def __init__(self, cids: dict[str, int], sx: float, sy: float, height_pt: float) -> None:
        self.cids = cids
        self.sx, self.sy, self.height_pt = sx, sy, height_pt
        self.ops: list[str] = []

    def point(self, p: Sequence[float]) -> np.ndarray:
        return np.array([p[0] * self.sx, self.height_pt - p[1] * self.sy])

    def line(self, line: Line, level: str) -> None:
        """Place the line as runs: units joined without white space and without a real gap form one run."""
        units = [u for u in _units(line, level) if u[0]]
        run: list[Unit] = []
        for i, unit in enumerate(units):
            run.append(unit)
            if unit[2] or i + 1 == len(units) or not self._adjacent(unit[1], units[i + 1][1]):
                self.run(run)
                run = []

    @staticmethod
    def _adjacent(quad: Quad, nxt: Quad) -> bool:
        """Whether ``nxt`` starts ahead of ``quad``'s start, at most :data:`GAP_CLOSE` heights past its end."""
        p0, p1, p2, p3 = (np.asarray(p, dtype=float) for p in quad)
        n0, n3 = np.asarray(nxt[0], dtype=float), np.asarray(nxt[3], dtype=float)
        direction = (p1 + p2 - p0 - p3) / 2
        norm = float(np.linalg.norm(direction))
        if norm == 0:
            return False
        ahead = float(np.dot((n0 + n3 - p0 - p3) / 2, direction)) > 0
        gap = float(np.dot((n0 + n3 - p1 - p2) / 2, direction)) / norm
        return ahead and gap <= GAP_CLOSE * float(np.linalg.norm(p3 - p0))

    def run(self, units: list[Unit]) -> None:
        """One text object from the first unit's start edge to the last one's end edge.

        Glyphs are as wide as the run's mean advance (horizontal scaling, ``Tz``), and ``TJ`` adjustments
        move each character towards where the recognizer saw it (the characters of one unit share its
        length evenly), as far as extractors still read the run as one word. One object per run, rather
        than per character, also keeps extractors that reason about text objects (pdfium) from breaking
        CJK lines apart.
        """
        t0, b0 = self.point(units[0][1][0]), self.point(units[0][1][3])
        t1, b1 = self.point(units[-1][1][1]), self.point(units[-1][1][2])
        u = (t1 + b1 - t0 - b0) / 2
        v = (t0 - b0 + t1 - b1) / 2
        length, size = float(np.linalg.norm(u)), float(np.linalg.norm(v))
        if length < 0.01 or size < 0.01:
            return
        u, v = u / length, v / size
        angle = math.degrees(math.atan2(u[1], u[0]))
        quarter = round(angle / 90.0)
        if abs(angle - 90.0 * quarter) <= SNAP_DEGREES:
            # skewed, not turned: set upright in the nearest quarter turn, centred where the run is
            u = np.array([math.cos(math.pi / 2 * quarter), math.sin(math.pi / 2 * quarter)]).round()
            v = np.array([-u[1], u[0]])
        centre = (t0 + b0 + t1 + b1) / 4
        begin, end = (float(np.dot(p - centre, u)) for p in ((t0 + b0) / 2, (t1 + b1) / 2))
        length = end - begin
        if length < 0.01:
            return
        start = centre + begin * u
        text = "".join(unit[0] for unit in units)
        targets: list[float] = []  # where each character should start, along u from the run's start
        for k, (unit_text, quad, _) in enumerate(units):
            here = float(np.dot((self.point(quad[0]) + self.point(quad[3])) / 2 - start, u))
            if k + 1 < len(units):
                nxt = units[k + 1][1]
                there = float(np.dot((self.point(nxt[0]) + self.point(nxt[3])) / 2 - start, u))
            else:
                there = length
            targets += [here + (there - here) * j / len(unit_text) for j in range(len(unit_text))]
        natural = length / len(text)  # every glyph's own width (set by Tz): the run's mean advance
        scale = natural / (size * ADVANCE / EM)
        # Advances that bring each character to its target, within what extractors still read as one word:
        # poppler ends a word where a glyph's box leaves a gap over 0.1 or an overlap over 0.2 of the font
        # size before the next one.
        low, high = max(natural - MAX_SQUEEZE * size, natural / 2), natural + MAX_STRETCH * size
        pieces: list[str] = []
        codes = ""
        position = 0.0
        for j, ch in enumerate(text):
            codes += f"{self.cids[ch]:04X}"
            if j + 1 == len(text):
                break
            advance = min(max(targets[j + 1] - position, low), high)
            position += advance
            adjust = 1000.0 * (ADVANCE / EM - advance / (size * scale))
            if abs(adjust) > 0.05:
                pieces += [f"<{codes}>", fmt_num(adjust, 2)]
                codes = ""
        if units[-1][2]:
            codes += f"{self.cids[' ']:04X}"
        pieces.append(f"<{codes}>")
        origin = start + (DESCENT - 0.5) * size * v  # on the baseline
        matrix = " ".join(fmt_num(float(x), 4) for x in (*u, *v, *origin))
        self.ops.append(f"/F1 {fmt_num(size, 3)} Tf {fmt_num(100 * scale, 3)} Tz {matrix} Tm [{' '.join(pieces)}] TJ")


def _to_unicode(cids: dict[str, int]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted(cids.items(), key=lambda kv: kv[1])
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch, cid in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def _per_page(value: Any, n: int, name: str) -> list[Any]:
    if value is None or isinstance(value, int | float):
        return [value] * n
    values = list(value)
    if len(values) != n:
        raise PolyocrError(f"pdf: {name} has {len(values)} entries for a document of {n} pages")
    return values


def export_pdf(document: Document, *, images: Sequence[Any] | None = None,
               dpi: float | Sequence[float | None] | None = None, level: str | None = None,
               jpeg_quality: int | None = None) -> bytes:
    level = check_level(level, "pdf", default="word")
    pages = document.pages
    page_images = _per_page(images, len(pages), "images") if images is not None else [None] * len(pages)
    dpis = _per_page(dpi, len(pages), "dpi")

    chars = sorted({ch for page in pages for line in page.lines for unit in _units(line, level) for ch in unit[0]}
                   | {" "})
    if len(chars) >= 0xFFFF:
        raise PolyocrError(f"pdf: {len(chars)} distinct characters do not fit one font (65,534 at most)")
    cids = {ch: i for i, ch in enumerate(chars, 1)}

    pdf = _Writer()
    catalog, tree = pdf.reserve(), pdf.reserve()
    font_file = pdf.stream({"Length1": len(glyphless_font())}, glyphless_font())
    descriptor = pdf.add({"Type": Name("FontDescriptor"), "FontName": Name(FONT_NAME), "Flags": 5,
                          "FontBBox": [0, DESCENT_UNITS, ADVANCE, ASCENT], "ItalicAngle": 0, "Ascent": ASCENT,
                          "Descent": DESCENT_UNITS, "CapHeight": ASCENT, "StemV": 80, "FontFile2": font_file})
    cid_to_gid = pdf.stream({}, b"\x00\x00" + b"\x00\x01" * len(cids))
    cid_font = pdf.add({"Type": Name("Font"), "Subtype": Name("CIDFontType2"), "BaseFont": Name(FONT_NAME),
                        "CIDSystemInfo": {"Registry": "Adobe", "Ordering": "Identity", "Supplement": 0},
                        "FontDescriptor": descriptor, "DW": ADVANCE, "CIDToGIDMap": cid_to_gid})
    to_unicode = pdf.stream({}, _to_unicode(cids))
    font = pdf.add({"Type": Name("Font"), "Subtype": Name("Type0"), "BaseFont": Name(FONT_NAME),
                    "Encoding": Name("Identity-H"), "DescendantFonts": [cid_font], "ToUnicode": to_unicode})

    kids = []
    for i, page in enumerate(pages):
        if page_images[i] is not None:
            pil = _to_pil(page_images[i], i)
            image: _Image | None = _encode(pil, jpeg_quality, _dpi_of(pil))
        else:
            image = _from_source(page, jpeg_quality)
        width_px, height_px = max(page.width, 1), max(page.height, 1)
        resolution = dpis[i]
        if resolution is None and image is not None and image.dpi:
            resolution = image.dpi * width_px / image.size[0]  # the image's DPI, carried over to page pixels
        resolution = float(resolution or DEFAULT_DPI)
        if not resolution > 0:
            raise PolyocrError(f"pdf: dpi must be positive, got {resolution}")
        w_pt, h_pt = width_px * 72.0 / resolution, height_px * 72.0 / resolution
        layer = _TextLayer(cids, w_pt / width_px, h_pt / height_px, h_pt)
        for line in page.lines:
            layer.line(line, level)

        ops = []
        resources: dict[str, Any] = {"Font": {"F1": font}}
        if image is not None:
            resources["XObject"] = {"Im0": pdf.stream(image.entries, image.data, compress=False)}
            ops.append(f"q {fmt_num(w_pt, 4)} 0 0 {fmt_num(h_pt, 4)} 0 0 cm /Im0 Do Q")
        if layer.ops:
            ops += ["BT", "3 Tr", *layer.ops, "ET"]
        contents = pdf.stream({}, ("\n".join(ops) + "\n").encode("ascii"))
        kids.append(pdf.add({"Type": Name("Page"), "Parent": tree, "MediaBox": [0, 0, round(w_pt, 4), round(h_pt, 4)],
                             "Resources": resources, "Contents": contents}))
    pdf.add({"Type": Name("Pages"), "Kids": kids, "Count": len(kids)}, tree)
    pdf.add({"Type": Name("Catalog"), "Pages": tree}, catalog)
    info = pdf.add({"Producer": f"polyocr {polyocr.__version__}"})
    return pdf.finish(catalog, info)
