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


def _quads_of(boxes: np.ndarray, vertical: bool) -> np.ndarray:
    """Quads (n, 4, 2) of boxes (n, 4), start-top first in the text's frame."""
    x0, y0, x1, y1 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    if vertical:
        pts = [(x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    else:
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return np.stack([np.stack(p, axis=-1) for p in pts], axis=1)


def _entries(quads: np.ndarray, width: int, height: int) -> tuple[list, list]:
    """(bboxes as [x, y, w, h] lists, quads as lists), rounded to 1/100 px, bboxes clipped to the page."""
    lo = np.clip(quads.min(axis=1), 0, [width, height])
    hi = np.clip(quads.max(axis=1), 0, [width, height])
    bboxes = np.round(np.concatenate([lo, hi - lo], axis=1), 2).tolist()
    return bboxes, np.round(quads, 2).tolist()


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
        for line in paragraph.lines:
            spans = word_spans(line.text, self.spec)
            if not spans:
                continue
            boxes = line.span_boxes(spans)
            keep = ~np.isnan(boxes).any(axis=1)
            if not keep.any():
                continue
            spans = [sp for sp, k in zip(spans, keep, strict=True) if k]
            quads = transform_points(h, _quads_of(boxes[keep], line.direction == "ttb"))
            bboxes, qlists = _entries(quads, self.width, self.height)
            first = len(self.words)
            self.words.extend({"text": line.text[a:b], "bbox": bb, "quad": q}
                              for (a, b), bb, q in zip(spans, bboxes, qlists, strict=True))
            word_indices = list(range(first, len(self.words)))
            [bbox], [quad] = _entries(transform_points(h, line.quad)[None], self.width, self.height)
            para_lines.append(len(self.lines))
            self.lines.append({
                "text": line.text.strip(), "bbox": bbox, "quad": quad, "para_idx": para_idx,
                "line_idx": len(para_graph), "word_indices": word_indices, "direction": line.direction,
            })
            para_graph.append(word_indices)
            frame_boxes.append(line.quad)
        if not para_lines:
            return
        pts = np.concatenate(frame_boxes)
        x0, y0 = pts.min(0)
        x1, y1 = pts.max(0)
        vertical = paragraph.lines[0].direction == "ttb"
        frame = _quads_of(np.array([[x0, y0, x1, y1]]), vertical)
        [bbox], [quad] = _entries(transform_points(h, frame), self.width, self.height)
        sep = self.spec.word_separator
        text = sep.join(self.lines[i]["text"] for i in para_lines)
        self.paras.append({"text": text, "bbox": bbox, "quad": quad, "line_indices": para_lines})
        self.graph.append(para_graph)

    def annotation(self) -> dict:
        return {"word_bboxes": self.words, "line_bboxes": self.lines, "para_bboxes": self.paras,
                "relation_graph": self.graph}

    def page_text(self) -> str:
        """The page's text in reading order: lines separated by newlines, paragraphs by a blank line."""
        return "\n\n".join("\n".join(self.lines[i]["text"] for i in p["line_indices"]) for p in self.paras)
