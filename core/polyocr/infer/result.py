"""The OCR result tree (pydantic): Document › Page › Block (paragraph) › Line › Word › Char.

Every node has its quad (4 points, start-top first, clockwise in the text's own frame, in page pixels),
its axis-aligned box ``[x0, y0, x1, y1]``, its text and a confidence in [0, 1]: the recognizer's
probability of the characters it read (a word's and a line's confidence is the mean over their
characters; a block's over its lines). ``Document.model_json_schema()`` is the documented JSON schema.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

Quad = list[tuple[float, float]]


class Node(BaseModel):
    text: str
    quad: Quad = Field(description="start-top, end-top, end-bottom, start-bottom corners, page pixels")
    box: tuple[float, float, float, float] = Field(description="axis-aligned x0, y0, x1, y1")
    confidence: float = Field(ge=0.0, le=1.0)


class Char(Node):
    pass


class Word(Node):
    chars: list[Char] = []


class Line(Node):
    words: list[Word] = []
    vertical: bool = False
    """Set top to bottom (a CJK column) rather than along its reading direction with glyphs turned."""


class Block(Node):
    lines: list[Line] = []


class Page(BaseModel):
    index: int
    width: int
    height: int
    source: str | None = None
    rotation: int = Field(default=0, description="clockwise degrees the page content was turned (0, 90, 180, 270)")
    blocks: list[Block] = []

    @property
    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.lines]

    @property
    def text(self) -> str:
        """Text in reading order: a line per line, a blank line between blocks."""
        return "\n\n".join("\n".join(line.text for line in block.lines) for block in self.blocks)


class Document(BaseModel):
    pages: list[Page] = []

    @property
    def text(self) -> str:
        return "\n\f".join(page.text for page in self.pages)

    def export(self, fmt: str, **options) -> str | bytes:
        """The document as ``txt``, ``json``, ``hocr``, ``alto`` or ``pdf`` (bytes)."""
        from polyocr.export import export

        return export(self, fmt, **options)


def box_of(quad: Quad) -> tuple[float, float, float, float]:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))
