"""``polyocr dataset show``: a page with its labels drawn on it, to see at a glance that they fit.

Word boxes are thin blue quads, lines orange, paragraphs green; red arrows join the centres of
consecutive lines in reading order (the relation graph), so a wrong reading order shows as a zigzag.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from polyocr.data.reader import Sample

WORD = (30, 110, 255)
LINE = (255, 140, 0)
PARA = (0, 170, 70)
ORDER = (230, 20, 20)


def _polygon(draw: ImageDraw.ImageDraw, quad: list, color: tuple[int, int, int], width: int) -> None:
    points = [tuple(map(float, p)) for p in quad]
    draw.line([*points, points[0]], fill=color, width=width)


def _arrow(draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], width: int) -> None:
    draw.line([a, b], fill=ORDER, width=width)
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    size = 4 + 3 * width
    for side in (-0.45, 0.45):
        tip = (b[0] - size * math.cos(angle + side), b[1] - size * math.sin(angle + side))
        draw.line([b, tip], fill=ORDER, width=width)


def reading_order(annotation: dict) -> list[int]:
    """Line indices in reading order: from the relation graph, else paragraph then line number."""
    lines = annotation.get("line_bboxes", [])
    by_words = {tuple(line.get("word_indices", ())): i for i, line in enumerate(lines)}
    order = [by_words[tuple(ws)] for para in annotation.get("relation_graph", []) for ws in para
             if tuple(ws) in by_words]
    if len(order) == len(lines):
        return order
    return sorted(range(len(lines)), key=lambda i: (lines[i].get("para_idx", 0), lines[i].get("line_idx", 0)))


def render_labels(image: np.ndarray, annotation: dict) -> Image.Image:
    """The page with word, line and paragraph quads and reading-order arrows drawn over it."""
    page = Image.fromarray(np.ascontiguousarray(image)).convert("RGB")
    scale = max(1, round(max(page.size) / 1200))
    draw = ImageDraw.Draw(page)
    for para in annotation.get("para_bboxes", []):
        _polygon(draw, para["quad"], PARA, 2 * scale)
    for line in annotation.get("line_bboxes", []):
        _polygon(draw, line["quad"], LINE, scale)
    for word in annotation.get("word_bboxes", []):
        _polygon(draw, word["quad"], WORD, 1)
    lines = annotation.get("line_bboxes", [])
    centres = [tuple(np.asarray(lines[i]["quad"], float).mean(0)) for i in reading_order(annotation)]
    for a, b in zip(centres, centres[1:]):
        _arrow(draw, a, b, scale)
    return page


def show_sample(sample: Sample, out: str | Path) -> Path:
    """Save ``sample`` with its labels drawn as a PNG at ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    render_labels(sample.image, sample.annotation).save(out, "PNG")
    return out
