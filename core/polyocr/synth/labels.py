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
from polyocr.render.renderer import RenderedLine


@dataclass
class LabelledParagraph:
    """Drawn lines of one paragraph and the transform from their frame to the final page."""

    lines: list[RenderedLine]
    transform: np.ndarray


_NAN_ROW = np.full((1, 4), np.nan)
# corner order of a box (x0, y0, x1, y1) as a quad starting at the text's start-top corner, clockwise
_HORIZONTAL = (np.array([0, 2, 2, 0]), np.array([1, 1, 3, 3]))
_VERTICAL = (np.array([2, 2, 0, 0]), np.array([1, 3, 3, 1]))


def _quads_of(boxes: np.ndarray, vertical: bool | np.ndarray) -> np.ndarray:
    """Quads (n, 4, 2) of boxes (n, 4), start-top first in the text's frame (``vertical``: one flag or one per box)."""
    vertical = np.broadcast_to(np.asarray(vertical, bool), (boxes.shape[0],))[:, None]
    xs = np.where(vertical, _VERTICAL[0], _HORIZONTAL[0])
    ys = np.where(vertical, _VERTICAL[1], _HORIZONTAL[1])
    return np.stack([np.take_along_axis(boxes, xs, 1), np.take_along_axis(boxes, ys, 1)], axis=-1)


def _transform_each(mats: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """``transform_points(mats[i], quads[i])`` for every i at once (the same arithmetic, element by element)."""
    h = mats[:, :, :, None]
    x, y = quads[..., 0], quads[..., 1]
    w = h[:, 2, 0] * x + h[:, 2, 1] * y + h[:, 2, 2]
    return np.stack([(h[:, 0, 0] * x + h[:, 0, 1] * y + h[:, 0, 2]) / w,
                     (h[:, 1, 0] * x + h[:, 1, 1] * y + h[:, 1, 2]) / w], axis=-1)


def _entries(quads: np.ndarray, width: int, height: int) -> tuple[list, list]:
    """(bboxes as [x, y, w, h] lists, quads as lists), rounded to 1/100 px, bboxes clipped to the page."""
    a, b, c, d = quads[:, 0], quads[:, 1], quads[:, 2], quads[:, 3]  # (faster than reducing an axis of 4)
    limit = np.array([width, height], np.float64)
    lo = np.minimum(np.maximum(np.minimum(np.minimum(a, b), np.minimum(c, d)), 0.0), limit)
    hi = np.minimum(np.maximum(np.maximum(np.maximum(a, b), np.maximum(c, d)), 0.0), limit)
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
        self.extend([paragraph])

    def extend(self, paragraphs: list[LabelledParagraph]) -> None:
        """Label paragraphs (in reading order) with page-wide numpy: one pass over all their words.

        A line without a word box is left out, and so is a paragraph without such a line.
        """
        found = []  # (paragraph number, line, word spans) of every line that has words
        for pi, paragraph in enumerate(paragraphs):
            for line in paragraph.lines:
                spans = word_spans(line.text, self.spec)
                if spans:
                    found.append((pi, line, spans))
        if not found:
            return
        # every word's box in its line's frame: one reduceat over the lines' character boxes, each line
        # followed by a NaN row so that no span reaches into the next line
        blocks, starts, base = [], [], 0
        for _, line, spans in found:
            blocks += [line.char_boxes, _NAN_ROW]
            starts.append(np.asarray(spans, np.int64) + base)
            base += len(line.char_boxes) + 1
        padded = np.concatenate(blocks)
        idx = np.concatenate(starts).ravel()
        boxes = np.concatenate([np.fmin.reduceat(padded[:, :2], idx, axis=0)[0::2],
                                np.fmax.reduceat(padded[:, 2:], idx, axis=0)[0::2]], axis=1)
        keep = ~np.isnan(boxes).any(axis=1)
        line_of = np.repeat(np.arange(len(found)), [len(spans) for _, _, spans in found])
        live = np.bincount(line_of[keep], minlength=len(found)) > 0  # lines keeping at least one word
        if not live.any():
            return
        mats = np.stack([np.asarray(p.transform, np.float64) for p in paragraphs])
        para_of_line = np.array([pi for pi, _, _ in found])
        vertical = np.array([line.direction == "ttb" for _, line, _ in found])
        word_line = line_of[keep]
        word_bboxes, word_quads = _entries(_transform_each(mats[para_of_line[word_line]],
                                                           _quads_of(boxes[keep], vertical[word_line])),
                                           self.width, self.height)
        frames = np.stack([line.quad for (_, line, _), ok in zip(found, live, strict=True) if ok])
        live_para = para_of_line[live]
        line_bboxes, line_quads = _entries(_transform_each(mats[live_para], frames), self.width, self.height)
        # a paragraph's frame: the bounds of its lines' quads in its own frame
        firsts = np.flatnonzero(np.r_[True, live_para[1:] != live_para[:-1]])
        lo = np.minimum.reduceat(frames.min(axis=1), firsts, axis=0)
        hi = np.maximum.reduceat(frames.max(axis=1), firsts, axis=0)
        para_vertical = np.array([paragraphs[pi].lines[0].direction == "ttb" for pi in live_para[firsts].tolist()])
        para_bboxes, para_quads = _entries(_transform_each(mats[live_para[firsts]],
                                                           _quads_of(np.concatenate([lo, hi], axis=1), para_vertical)),
                                           self.width, self.height)

        keep_list = keep.tolist()
        s = w = k = 0  # next span, next kept word, next live line
        p = -1
        current = None
        para_lines: list[int] = []
        para_graph: list[list[int]] = []
        for (pi, line, spans), ok in zip(found, live.tolist(), strict=True):
            if not ok:
                s += len(spans)
                continue
            if pi != current:
                if current is not None:
                    self._close(para_lines, para_graph, para_bboxes[p], para_quads[p])
                current, p, para_lines, para_graph = pi, p + 1, [], []
            first = len(self.words)
            text = line.text
            for a, b in spans:
                if keep_list[s]:
                    self.words.append({"text": text[a:b], "bbox": word_bboxes[w], "quad": word_quads[w]})
                    w += 1
                s += 1
            word_indices = list(range(first, len(self.words)))
            para_lines.append(len(self.lines))
            self.lines.append({
                "text": text.strip(), "bbox": line_bboxes[k], "quad": line_quads[k], "para_idx": len(self.paras),
                "line_idx": len(para_graph), "word_indices": word_indices, "direction": line.direction,
            })
            para_graph.append(word_indices)
            k += 1
        self._close(para_lines, para_graph, para_bboxes[p], para_quads[p])

    def _close(self, para_lines: list[int], para_graph: list[list[int]], bbox: list, quad: list) -> None:
        text = self.spec.word_separator.join(self.lines[i]["text"] for i in para_lines)
        self.paras.append({"text": text, "bbox": bbox, "quad": quad, "line_indices": para_lines})
        self.graph.append(para_graph)

    def annotation(self) -> dict:
        return {"word_bboxes": self.words, "line_bboxes": self.lines, "para_bboxes": self.paras,
                "relation_graph": self.graph}

    def page_text(self) -> str:
        """The page's text in reading order: lines separated by newlines, paragraphs by a blank line."""
        return "\n\n".join("\n".join(self.lines[i]["text"] for i in p["line_indices"]) for p in self.paras)
