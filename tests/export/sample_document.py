"""The export tests' sample: a hand-built OCR result covering what the exporters must handle, and a page
image drawn to match.

One 1200 × 900 pixel page at 150 DPI with three blocks: horizontal lines in English, Russian, Korean and
Japanese (unspaced: a word per character, as the pipeline splits it, with uneven advances); a vertical
Chinese column; and a line turned 90° counter-clockwise (read bottom to top). Every character is a cell of
a known advance, so each node's quad is known exactly; the image has a dark box at every word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from polyocr.infer.result import Block, Char, Document, Line, Page, Word, box_of

WIDTH, HEIGHT, DPI = 1200, 900, 150


@dataclass
class Spec:
    text: str
    origin: tuple[float, float]
    """Start-top corner of the line, page pixels."""
    advance: float = 24.0
    height: float = 36.0
    angle: float = 0.0
    """Counter-clockwise degrees of the reading direction as seen on the page."""
    vertical: bool = False
    spaced: bool = True
    advances: tuple[float, ...] | None = None
    """Per-character advances, when they are not all ``advance``."""


def make_line(spec: Spec, confidence: float = 0.9) -> Line:
    if spec.vertical:
        along, down = np.array([0.0, 1.0]), np.array([-1.0, 0.0])  # read downwards; start-bottom is to the left
    else:
        a = math.radians(spec.angle)
        along, down = np.array([math.cos(a), -math.sin(a)]), np.array([math.sin(a), math.cos(a)])
    origin = np.array(spec.origin, dtype=float)
    steps = spec.advances or (spec.advance,) * len(spec.text)
    assert len(steps) == len(spec.text)
    offsets = np.concatenate([[0.0], np.cumsum(steps)])

    def quad(i0: int, i1: int) -> list[tuple[float, float]]:
        t0, t1 = origin + offsets[i0] * along, origin + offsets[i1] * along
        pts = [t0, t1, t1 + spec.height * down, t0 + spec.height * down]
        return [(round(float(x), 2), round(float(y), 2)) for x, y in pts]

    def node(cls, i0: int, i1: int, **kw):
        q = quad(i0, i1)
        return cls(text=spec.text[i0:i1], quad=q, box=box_of(q), confidence=confidence, **kw)

    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(spec.text):
        if spec.text[i].isspace():
            i += 1
            continue
        j = i + 1
        if spec.spaced or spec.text[i].isascii():
            while j < len(spec.text) and not spec.text[j].isspace() and (spec.spaced or spec.text[j].isascii()):
                j += 1
        spans.append((i, j))
        i = j
    words = [node(Word, a, b, chars=[node(Char, k, k + 1) for k in range(a, b)]) for a, b in spans]
    return node(Line, 0, len(spec.text), words=words, vertical=spec.vertical)


def make_block(lines: list[Line]) -> Block:
    box = box_of([p for line in lines for p in line.quad])
    quad = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
    text = "\n".join(line.text for line in lines)
    return Block(text=text, quad=quad, box=box, confidence=0.9, lines=lines)


SPECS = {
    "latin": Spec("Hello searchable world", (80, 60)),
    "latin2": Spec("second line, & <markup> \"quoted\"", (80, 110)),
    "russian": Spec("Привет широкий мир", (80, 160)),
    "korean": Spec("안녕하세요 세계 여러분", (80, 210), advance=36),
    "japanese": Spec("日本語の文章です", (80, 260), spaced=False, advances=(36, 30, 42, 36, 30, 42, 36, 36)),
    "vertical": Spec("中文竖排文字", (1080, 80), advance=40, height=40, vertical=True, spaced=False),
    "rotated": Spec("Rotated margin note", (40, 850), angle=90.0, advance=20, height=30),
}


def build_document(source: str | None = None) -> Document:
    lines = {name: make_line(spec) for name, spec in SPECS.items()}
    blocks = [
        make_block([lines["latin"], lines["latin2"], lines["russian"], lines["korean"], lines["japanese"]]),
        make_block([lines["vertical"]]),
        make_block([lines["rotated"]]),
    ]
    return Document(pages=[Page(index=0, width=WIDTH, height=HEIGHT, source=source, blocks=blocks)])


def draw_page(document: Document) -> Image.Image:
    """White page, a grey box at every word (so the text layer can be checked against what is drawn)."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    for line in document.pages[0].lines:
        for word in line.words:
            draw.polygon([tuple(p) for p in word.quad], fill=96)
    return image
