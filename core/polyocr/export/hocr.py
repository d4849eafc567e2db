"""hOCR 1.2 (XHTML with the layout in ``class`` and ``title``): what hocr-tools, OCRmyPDF, gImageReader
and many viewers and search indexers read.

Structure, as Tesseract writes it so hOCR tools find what they expect::

    ocr_page (image, bbox, ppageno) › ocr_carea › ocr_par (= a Block) › ocr_line › ocrx_word (› ocrx_cinfo)

Each block gets an ``ocr_carea`` around its one ``ocr_par``. No ``lang`` attribute: the recognizer reads
every language at once and does not say which one a word is in. ``bbox`` values are whole pixels.

Lines. A line read left to right (within 5°) gets ``baseline``: the quad's bottom edge raised by
:data:`~polyocr.export.DESCENT` of the line height, as slope and offset from the bbox's bottom-left corner,
plus ``x_size`` (line height) and ``x_descenders``. Any other line gets ``textangle`` instead, the
counter-clockwise angle of its reading direction, as the hOCR spec defines it and Tesseract writes it for
turned text: 90 for a line read bottom to top, 180 upside down, and 270 for a top-to-bottom CJK column
(``Line.vertical``), whose reading direction points down the page. hOCR has no class for vertical
writing, so a column stays an ``ocr_line``; that its glyphs stand upright is not expressible.

Words are written on one line with a space between them only where the line's text has one, so the text
content of an ``ocr_line`` is the line's text (CJK characters are not split apart by spaces).
``x_wconf`` is the word confidence in percent. ``level`` (char, word, line, paragraph; default word)
leaves out the finer elements; at ``char`` each character is an ``ocrx_cinfo`` with ``x_bboxes`` and
``x_conf``.
"""

from __future__ import annotations

from html import escape

import polyocr
from polyocr.export import (DESCENT, angle_near, check_level, fmt_num, int_box, keeps, reading_angle,
                            spaced_after, xml_safe)
from polyocr.infer.result import Block, Document, Line, Page, Word

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
 <head>
  <title>{title}</title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name="ocr-system" content="polyocr {version}"/>
  <meta name="ocr-capabilities" content="{capabilities}"/>
  <meta name="ocr-number-of-pages" content="{pages}"/>
 </head>
 <body>
"""

UPRIGHT_TOLERANCE = 5.0
"""Lines turned less than this (degrees) are skewed, not rotated: they get ``baseline``, not ``textangle``."""


def _text(value: str) -> str:
    return escape(xml_safe(value), quote=True)


def _bbox(box) -> str:
    return "bbox {} {} {} {}".format(*int_box(box))


def _line_title(line: Line) -> str:
    parts = [_bbox(line.box)]
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.quad
    height = (((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5 + ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5) / 2
    angle = reading_angle(line.quad)
    if not line.vertical and angle_near(angle, 0.0, UPRIGHT_TOLERANCE):
        bx0, _, _, by1 = int_box(line.box)
        slope = (y2 - y3) / (x2 - x3) if x2 != x3 else 0.0
        # baseline y at the bbox's left edge, relative to its bottom (negative: above it)
        base_y = y3 - DESCENT * height + slope * (bx0 - x3)
        parts.append(f"baseline {fmt_num(slope, 3)} {fmt_num(base_y - by1, 0)}")
        parts.append(f"x_size {fmt_num(height, 1)}; x_descenders {fmt_num(DESCENT * height, 1)}")
    else:
        parts.append(f"textangle {round(angle) % 360}")
        parts.append(f"x_size {fmt_num(height, 1)}")
    return "; ".join(parts)


class _Writer:
    def __init__(self, level: str) -> None:
        self.level = level
        self.out: list[str] = []
        self.counts = {"block": 0, "par": 0, "line": 0, "word": 0}

    def _id(self, kind: str, page: int) -> str:
        self.counts[kind] += 1
        return f"{kind}_{page}_{self.counts[kind]}"

    def page(self, page: Page, n: int) -> None:
        """``n``: the page's position in the document (IDs must be unique even if page indexes repeat)."""
        props = []
        if page.source:
            source = page.source.replace("\\", "\\\\").replace('"', '\\"')
            props.append(f'image "{source}"')
        props.append(f"bbox 0 0 {page.width} {page.height}")
        props.append(f"ppageno {page.index}")
        self.out.append(f'  <div class="ocr_page" id="page_{n}" title="{_text("; ".join(props))}">\n')
        for block in page.blocks:
            self.block(block, n)
        self.out.append("  </div>\n")

    def block(self, block: Block, n: int) -> None:
        title = _text(_bbox(block.box))
        self.out.append(f'   <div class="ocr_carea" id="{self._id("block", n)}" title="{title}">\n')
        self.out.append(f'    <p class="ocr_par" id="{self._id("par", n)}" title="{title}">')
        if keeps(self.level, "line"):
            self.out.append("\n")
            for line in block.lines:
                self.line(line, n)
            self.out.append("    </p>\n")
        else:
            self.out.append(f"{_text(block.text)}</p>\n")
        self.out.append("   </div>\n")

    def line(self, line: Line, n: int) -> None:
        self.out.append(f'     <span class="ocr_line" id="{self._id("line", n)}" title="{_text(_line_title(line))}">')
        if keeps(self.level, "word") and line.words:
            self.out.append("\n      ")
            for word, space in zip(line.words, spaced_after(line), strict=True):
                self.word(word, n)
                if space:
                    self.out.append(" ")
            self.out.append("\n     </span>\n")
        else:
            self.out.append(f"{_text(line.text)}</span>\n")

    def word(self, word: Word, n: int) -> None:
        conf = round(100 * word.confidence)
        title = _text(f"{_bbox(word.box)}; x_wconf {conf}")
        self.out.append(f'<span class="ocrx_word" id="{self._id("word", n)}" title="{title}">')
        if keeps(self.level, "char") and word.chars:
            for ch in word.chars:
                box = " ".join(map(str, int_box(ch.box)))
                ctitle = _text(f"x_bboxes {box}; x_conf {fmt_num(100 * ch.confidence, 1)}")
                self.out.append(f'<span class="ocrx_cinfo" title="{ctitle}">{_text(ch.text)}</span>')
        else:
            self.out.append(_text(word.text))
        self.out.append("</span>")


def export_hocr(document: Document, *, level: str | None = None) -> str:
    level = check_level(level, "hocr", default="word")
    classes = ["ocr_page", "ocr_carea", "ocr_par"]
    if keeps(level, "line"):
        classes.append("ocr_line")
    if keeps(level, "word"):
        classes += ["ocrx_word", "ocrp_wconf"]
    if keeps(level, "char"):
        classes.append("ocrx_cinfo")
    sources = {p.source for p in document.pages if p.source}
    title = _text(sources.pop()) if len(sources) == 1 else ""
    writer = _Writer(level)
    for position, page in enumerate(document.pages, 1):
        writer.counts = dict.fromkeys(writer.counts, 0)
        writer.page(page, position)
    head = HEAD.format(title=title, version=_text(polyocr.__version__), capabilities=" ".join(classes),
                       pages=len(document.pages))
    return head + "".join(writer.out) + " </body>\n</html>\n"
