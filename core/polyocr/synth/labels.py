"""Labels in the schema of NVIDIA's OCR-Synthetic-Multilingual-v1, built from what was drawn.

Every quad is computed from the glyphs actually drawn (see ``polyocr.render.renderer``) and carried
through each block's transform and the page's geometric degradations by the same 3×3 matrices that
moved the pixels. Words follow the pack's word unit (``polyocr.lang.words``).

Schema (one JSON object per page)::

    word_bboxes:  [{text, bbox: [x, y, w, h], quad: [[x, y] × 4]}]
    line_bboxes:  [{text, bbox, quad, para_idx, line_idx, word_indices, direction}]
    para_bboxes:  [{text, bbox, quad, line_indices}]
    relation_graph: [[[word indices of line] for each line of the paragraph] for each paragraph]

Quads start at the text's start-top corner and go clockwise in the text's frame; ``line_idx`` counts
lines within their paragraph; ``direction`` (``ltr`` or ``ttb``) is our addition to the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from polyocr.lang.spec import LanguageSpec
from polyocr.lang.words import word_spans
from polyocr.render.geometry import transform_points
from polyocr.render.renderer import RenderedLine


@dataclass
class LabelledParagraph:
    """Drawn lines of one paragraph and the transform from their frame to the final page."""

    lines: list[RenderedLine]
    transform: np.ndarray


def _bbox(quad: np.ndarray, width: int, height: int) -> list[float]:
    x0 = float(np.clip(quad[:, 0].min(), 0, width))
    y0 = float(np.clip(quad[:, 1].min(), 0, height))
    x1 = float(np.clip(quad[:, 0].max(), 0, width))
    y1 = float(np.clip(quad[:, 1].max(), 0, height))
    return [round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)]


def _quad(quad: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 2), round(float(y), 2)] for x, y in quad]


@dataclass
class AnnotationBuilder:
    spec: LanguageSpec
    width: int
    height: int
    words: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    paras: list[dict] = field(default_factory=list)
    graph: list[list[list[int]]] = field(default_factory=list)

    def add(self, paragraph: LabelledParagraph) -> None:
        h = paragraph.transform
        para_idx = len(self.paras)
        para_lines: list[int] = []
        para_graph: list[list[int]] = []
        frame_boxes = []
        for line_idx, line in enumerate(paragraph.lines):
            spans = word_spans(line.text, self.spec)
            boxes = line.span_boxes(spans)
            word_indices = []
            for (a, b), box in zip(spans, boxes, strict=True):
                if np.isnan(box).any():
                    continue
                quad = transform_points(h, line.box_quad(box))
                word_indices.append(len(self.words))
                self.words.append({"text": line.text[a:b], "bbox": _bbox(quad, self.width, self.height), "quad": _quad(quad)})
            if not word_indices:
                continue
            quad = transform_points(h, line.quad)
            para_lines.append(len(self.lines))
            self.lines.append({
                "text": line.text.strip(), "bbox": _bbox(quad, self.width, self.height), "quad": _quad(quad),
                "para_idx": para_idx, "line_idx": len(para_graph), "word_indices": word_indices,
                "direction": line.direction,
            })
            para_graph.append(word_indices)
            frame_boxes.append(line.quad)
        if not para_lines:
            return
        pts = np.concatenate(frame_boxes)
        x0, y0 = pts.min(0)
        x1, y1 = pts.max(0)
        vertical = paragraph.lines[0].direction == "ttb"
        frame = (np.array([[x1, y0], [x1, y1], [x0, y1], [x0, y0]]) if vertical
                 else np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
        quad = transform_points(h, frame)
        sep = self.spec.word_separator
        text = sep.join(self.lines[i]["text"] for i in para_lines)
        self.paras.append({"text": text, "bbox": _bbox(quad, self.width, self.height), "quad": _quad(quad),
                           "line_indices": para_lines})
        self.graph.append(para_graph)

    def annotation(self) -> dict:
        return {"word_bboxes": self.words, "line_bboxes": self.lines, "para_bboxes": self.paras,
                "relation_graph": self.graph}

    def page_text(self) -> str:
        """The page's text in reading order: lines separated by newlines, paragraphs by a blank line."""
        return "\n\n".join("\n".join(self.lines[i]["text"] for i in p["line_indices"]) for p in self.paras)
