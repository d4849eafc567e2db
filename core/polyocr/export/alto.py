"""ALTO v4 XML: the layout-and-text format libraries and digitisation pipelines (METS/ALTO) archive.

Written against ALTO 4.2 (``MeasurementUnit`` pixel, so positions are the page image's pixels)::

    Description (MeasurementUnit, sourceImageInformation, OCRProcessing › ocrProcessingStep › processingSoftware)
    Layout › Page (WIDTH, HEIGHT, PHYSICAL_IMG_NR) › PrintSpace › TextBlock › TextLine › String, SP

``OCRProcessing`` is deprecated in 4.x in favour of ``Processing`` but is what ALTO readers look for, and
remains valid. ``WC`` is the word confidence (0–1). ``SP`` stands between two words only where the line's
text has a space (scripts written with spaces); CJK characters follow each other with none.

Geometry. ALTO positions (HPOS, VPOS, WIDTH, HEIGHT) are axis-aligned, so every element gets its box in
whole pixels. An element whose quad is not an upright rectangle (rotated and vertical lines and their
words) also gets ``Shape/Polygon`` with its four corners in reading order ("x,y x,y x,y x,y"). A block
whose lines are all turned by the same angle gets ``ROTATION`` (degrees counter-clockwise, the only
rotation ALTO has; it sits on blocks). Vertical CJK columns get no ROTATION: their glyphs are upright,
and the order of the Strings (top to bottom) with their boxes says how the column reads.

``level``: word (default) writes a String per word; line and paragraph write one String per line holding
the line's text (ALTO needs Strings in a TextLine); char adds a ``Glyph`` per character (with ``GC``).
"""

from __future__ import annotations

from html import escape

import polyocr
from polyocr.export import (angle_near, check_level, fmt_num, int_box, is_upright_box, keeps, reading_angle,
                            spaced_after, xml_safe)
from polyocr.infer.result import Block, Document, Line, Node, Page, Word, box_of

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"


def _attr(value: object) -> str:
    return escape(xml_safe(str(value)), quote=True)


def _attrs(**values: object) -> str:
    return "".join(f' {k}="{_attr(v)}"' for k, v in values.items() if v is not None)


def _position(box) -> dict[str, int]:
    x0, y0, x1, y1 = int_box(box)
    return {"HPOS": x0, "VPOS": y0, "WIDTH": x1 - x0, "HEIGHT": y1 - y0}


def _shape(node: Node, indent: str) -> str:
    if is_upright_box(node.quad):
        return ""
    points = " ".join(f"{fmt_num(x)},{fmt_num(y)}" for x, y in node.quad)
    return f'{indent}<Shape><Polygon POINTS="{points}"/></Shape>\n'


def _block_rotation(block: Block) -> str | None:
    """The counter-clockwise angle shared by all the block's (non-vertical) lines, if it is not 0."""
    if not block.lines or any(line.vertical for line in block.lines):
        return None
    angles = [reading_angle(line.quad) for line in block.lines]
    if angle_near(angles[0], 0.0, 1.0) or not all(angle_near(a, angles[0], 1.0) for a in angles):
        return None
    return fmt_num(angles[0], 1)


class _Writer:
    def __init__(self, level: str) -> None:
        self.level = level
        self.out: list[str] = []

    def page(self, page: Page, n: int) -> None:
        """``n``: the page's position in the document (IDs must be unique even if page indexes repeat)."""
        attrs = _attrs(ID=f"page_{n}", PHYSICAL_IMG_NR=page.index + 1, WIDTH=page.width, HEIGHT=page.height)
        self.out.append(f"  <Page{attrs}>\n")
        self.out.append(f"   <PrintSpace{_attrs(HPOS=0, VPOS=0, WIDTH=page.width, HEIGHT=page.height)}>\n")
        for b, block in enumerate(page.blocks, 1):
            self.block(block, f"{n}_{b}")
        self.out.append("   </PrintSpace>\n  </Page>\n")

    def block(self, block: Block, ident: str) -> None:
        attrs = _attrs(ID=f"block_{ident}", **_position(block.box), ROTATION=_block_rotation(block))
        self.out.append(f"    <TextBlock{attrs}>\n")
        self.out.append(_shape(block, "     "))
        for i, line in enumerate((ln for ln in block.lines if ln.text), 1):
            self.line(line, f"{ident}_{i}")
        self.out.append("    </TextBlock>\n")

    def line(self, line: Line, ident: str) -> None:
        self.out.append(f"     <TextLine{_attrs(ID=f'line_{ident}', **_position(line.box))}>\n")
        self.out.append(_shape(line, "      "))
        if not keeps(self.level, "word") or not line.words:
            self.string(line, f"string_{ident}_1", line.text)
        else:
            words = line.words
            for i, (word, space) in enumerate(zip(words, spaced_after(line), strict=True)):
                self.string(word, f"string_{ident}_{i + 1}", word.text, word)
                if space:
                    gap = box_of([word.quad[1], words[i + 1].quad[0], words[i + 1].quad[3], word.quad[2]])
                    self.out.append(f"      <SP{_attrs(**_position(gap))}/>\n")
        self.out.append("     </TextLine>\n")

    def string(self, node: Node, ident: str, content: str, word: Word | None = None) -> None:
        attrs = _attrs(ID=ident, CONTENT=content, **_position(node.box), WC=fmt_num(node.confidence, 3))
        shape = _shape(node, "       ")
        glyphs = ""
        if word is not None and keeps(self.level, "char"):
            glyphs = "".join(
                f"       <Glyph{_attrs(CONTENT=ch.text, **_position(ch.box), GC=fmt_num(ch.confidence, 3))}/>\n"
                for ch in word.chars if len(ch.text) == 1)
        if shape or glyphs:
            self.out.append(f"      <String{attrs}>\n{shape}{glyphs}      </String>\n")
        else:
            self.out.append(f"      <String{attrs}/>\n")


def export_alto(document: Document, *, level: str | None = None) -> str:
    level = check_level(level, "alto", default="word")
    sources = {p.source for p in document.pages if p.source}
    source = (f"  <sourceImageInformation>\n   <fileName>{_attr(sources.pop())}</fileName>\n"
              f"  </sourceImageInformation>\n") if len(sources) == 1 else ""
    writer = _Writer(level)
    for position, page in enumerate(document.pages, 1):
        writer.page(page, position)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<alto xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{SCHEMA_LOCATION}" SCHEMAVERSION="4.2">\n'
        " <Description>\n"
        "  <MeasurementUnit>pixel</MeasurementUnit>\n"
        f"{source}"
        '  <OCRProcessing ID="OCR_0">\n'
        "   <ocrProcessingStep>\n"
        "    <processingSoftware>\n"
        "     <softwareName>polyocr</softwareName>\n"
        f"     <softwareVersion>{_attr(polyocr.__version__)}</softwareVersion>\n"
        "    </processingSoftware>\n"
        "   </ocrProcessingStep>\n"
        "  </OCRProcessing>\n"
        " </Description>\n"
        " <Layout>\n"
        f"{''.join(writer.out)}"
        " </Layout>\n"
        "</alto>\n"
    )
