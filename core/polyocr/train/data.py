"""Training batches as a pure function of the step number, so a resumed run sees exactly the same data.

Pages come from a :class:`PageSource`: HDF5 shards (ours or NVIDIA's, same schema) or the synthetic
engine running in the data-loader workers. Each step gets a *page batch* (whole pages resized for the
detector and the relational model) and a *crop batch* (text lines cut out of pages at a fixed height
for the recognizer: on a CPU, reading 32-pixel line crops through the backbone costs a fraction of
reading whole pages, and the backbone is fully convolutional, so the recognizer sees the same kind of
features either way).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch
from PIL import Image

from polyocr.errors import PolyocrError
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.lines import cut_lines, pack_lines
from polyocr.model.targets import make_targets


class PageSource(Protocol):
    def page(self, index: int) -> tuple[np.ndarray, dict]:
        """RGB page (H, W, 3 uint8) and its annotation (NVIDIA schema) for a global index."""


class SyntheticPages:
    """Pages made on the fly by the synthetic engine (one composer per process, built lazily).

    Each page's language is its own seeded draw (``weights``: relative shares per language, equal by
    default), never ``index % len(langs)``: the loop takes the detector's pages and the recognizer's
    crop pages from interleaved index progressions (even and odd), and a language picked by the index's
    remainder would give each head only some of the languages."""

    def __init__(self, langs: list[str], seed: int, config=None, weights: dict[str, float] | None = None) -> None:
        self.langs, self.seed, self.config = list(langs), seed, config
        unknown = sorted(set(weights or {}) - set(self.langs))
        if unknown:
            raise PolyocrError(f"language weights for languages not trained: {', '.join(unknown)}")
        share = np.array([float((weights or {}).get(code, 1.0)) for code in self.langs])
        if (share < 0).any() or share.sum() <= 0:
            raise PolyocrError("language weights must be ≥ 0 and not all 0")
        self._cumulative = np.cumsum(share / share.sum())
        self._composer = None

    def language(self, index: int) -> str:
        draw = np.random.default_rng([self.seed, 0x4C414E47, index]).random()
        return self.langs[min(int(np.searchsorted(self._cumulative, draw, side="right")), len(self.langs) - 1)]

    def page(self, index: int) -> tuple[np.ndarray, dict]:
        if self._composer is None:
            from polyocr.lang.registry import load_languages
            from polyocr.synth.composer import PageComposer

            self._composer = PageComposer(load_languages(), self.langs, self.config)
        code = self.language(index)
        sample = self._composer.compose(code, np.random.SeedSequence([self.seed, zlib.crc32(code.encode()), index]))
        return sample.image, sample.annotation


class ShardPages:
    """Pages from HDF5 shards, cycled in a seeded order (a new permutation every epoch)."""

    def __init__(self, root, langs: list[str] | None, split: str, seed: int) -> None:
        from polyocr.data.reader import DatasetReader

        self.reader = DatasetReader(root, langs=langs, split=split)
        self.seed = seed
        if len(self.reader) == 0:
            raise PolyocrError(f"no pages in {root} for split {split!r}")

    def page(self, index: int) -> tuple[np.ndarray, dict]:
        n = len(self.reader)
        epoch, pos = divmod(index, n)
        order = np.random.default_rng([self.seed, epoch]).permutation(n)
        sample = self.reader[int(order[pos])]
        return sample.image, sample.annotation


@dataclass
class Lines:
    """The lines of a page in reading order, with what the relational model must predict."""

    quads: np.ndarray
    vertical: np.ndarray
    texts: list[str]
    next_index: np.ndarray
    """Index of the next line in reading order (len = none)."""
    para: np.ndarray
    words: list[list[tuple[int, int, np.ndarray]]]
    """Per line, its words as (start, end) character span in the line's text and quad."""


def page_lines(annotation: dict) -> Lines:
    lines = annotation.get("line_bboxes", [])
    order = [i for para in annotation.get("relation_graph", []) for i in _line_ids(para, lines)]
    seen = set(order)
    order += [i for i in range(len(lines)) if i not in seen]
    quads = np.array([lines[i]["quad"] for i in order], np.float32).reshape(-1, 4, 2)
    vertical = np.array([lines[i].get("direction") == "ttb" for i in order], bool)
    texts = [lines[i]["text"] for i in order]
    all_words = annotation.get("word_bboxes", [])
    words = []
    for i in order:
        spans, cursor = [], 0
        for w in lines[i].get("word_indices", []):
            text = all_words[w]["text"] if w < len(all_words) else ""
            at = lines[i]["text"].find(text, cursor) if text else -1
            if at < 0:
                spans = []
                break
            spans.append((at, at + len(text), np.array(all_words[w]["quad"], np.float32)))
            cursor = at + len(text)
        words.append(spans)
    n = len(order)
    return Lines(quads, vertical, texts, np.append(np.arange(1, n), n).astype(np.int64) if n else np.zeros(0, np.int64),
                 np.array([lines[i].get("para_idx", 0) for i in order], np.int64), words)


def window(quad: np.ndarray, text: str, words: list[tuple[int, int, np.ndarray]], max_aspect: float,
           rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A run of whole words of a long line, no longer than ``max_aspect`` times the line's thickness.

    Long lines make long CTC sequences over a 14k-class output; a window of words keeps crops short
    while their labels stay exact (word boxes are exact, so the cut falls between words).
    """
    p0, p1, p2, p3 = quad.astype(np.float64)
    length = float(np.linalg.norm(p1 - p0))
    thick = float(np.linalg.norm(p3 - p0))
    if length <= max_aspect * thick or len(words) < 2:
        return quad, text
    u = (p1 - p0) / max(length, 1e-6)
    starts = np.array([float((w[2][0] - p0) @ u) for w in words])
    ends = np.array([float((w[2][1] - p0) @ u) for w in words])
    first = int(rng.integers(len(words)))
    last = first
    while last + 1 < len(words) and ends[last + 1] - starts[first] <= max_aspect * thick:
        last += 1
    a0, a1 = max(0.0, starts[first]), min(length, ends[last])
    sub = np.array([p0 + a0 * u, p0 + a1 * u, p3 + a1 * u, p3 + a0 * u], np.float32)
    return sub, text[words[first][0]: words[last][1]]


def _line_ids(para: list[list[int]], lines: list[dict]) -> list[int]:
    """relation_graph holds word indices per line; find the line entry that owns those words."""
    out = []
    for words in para:
        for i, line in enumerate(lines):
            if line.get("word_indices") == words:
                out.append(i)
                break
    return out


def fit_page(image: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    """The page scaled to fit ``size`` × ``size`` (padded white), and the scale applied."""
    h, w = image.shape[:2]
    scale = size / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.BILINEAR))
    canvas = np.full((size, size, 3), 255, np.uint8)
    canvas[:nh, :nw] = resized
    return canvas, scale


def zoom_page(image: np.ndarray, quads: np.ndarray, size: int, zoom: float,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``size`` × ``size`` view of the page (padded white): the page scaled to a long side between
    ``size`` and ``zoom`` × ``size``, and a random square of it. Returns the view, the quads in it, and
    which lines have their centre inside it (the others are cut by the view's edge)."""
    h, w = image.shape[:2]
    scale = size * float(rng.uniform(1.0, zoom)) / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.BILINEAR))
    x0 = int(rng.integers(0, max(0, nw - size) + 1))
    y0 = int(rng.integers(0, max(0, nh - size) + 1))
    canvas = np.full((size, size, 3), 255, np.uint8)
    view = resized[y0: y0 + size, x0: x0 + size]
    canvas[: view.shape[0], : view.shape[1]] = view
    moved = quads * scale - np.array([x0, y0], np.float32)
    centre = moved.mean(axis=1) if len(moved) else np.zeros((0, 2), np.float32)
    inside = (centre >= 0).all(axis=1) & (centre[:, 0] < min(size, nw - x0)) & (centre[:, 1] < min(size, nh - y0))
    return canvas, moved.astype(np.float32), inside


def page_batch(source: PageSource, indices: list[int], size: int, vocab: Vocabulary, seed: int = 0,
               zoom: float = 1.0) -> dict:
    """Pages for the detector and the relational model. Lines cut by the view's edge still teach the
    detector (their visible part is text) but are left out of the reading order and page recognition."""
    images, targets, pages = [], [], []
    for index in indices:
        image, annotation = source.page(index)
        lines = page_lines(annotation)
        if zoom > 1.0:
            canvas, quads, inside = zoom_page(image, lines.quads, size, zoom, np.random.default_rng([seed, index, 1]))
        else:
            canvas, scale = fit_page(image, size)
            quads, inside = lines.quads * scale, np.ones(len(lines.texts), bool)
        images.append(torch.from_numpy(canvas).permute(2, 0, 1))
        targets.append(make_targets(quads, lines.vertical, size, size))
        keep = np.flatnonzero(inside)
        # successor indices renumbered among the kept lines (a line whose successor was cut ends its chain)
        renumber = np.full(len(lines.texts) + 1, len(keep), np.int64)
        renumber[keep] = np.arange(len(keep))
        texts = [lines.texts[k] for k in keep]
        pages.append({"quads": torch.from_numpy(np.ascontiguousarray(quads[keep])),
                      "vertical": torch.from_numpy(lines.vertical[keep]),
                      "next": torch.from_numpy(renumber[lines.next_index[keep]]), "para": torch.from_numpy(lines.para[keep]),
                      "texts": texts, "targets": [torch.tensor(vocab.encode(t, skip_unknown=True)) for t in texts]})
    stacked = {k: torch.from_numpy(np.stack([t[k] for t in targets])) for k in targets[0]}
    return {"images": torch.stack(images).float() / 255.0, "targets": stacked, "pages": pages}


def jitter(quad: np.ndarray, vertical: bool, rng: np.random.Generator, amount: float) -> np.ndarray:
    """The quad with its edges moved by up to ``amount`` of its thickness (ends mostly outwards), as a
    detector's quads are off the exact ones: the recognizer learns to read loose and tight boxes alike.
    Vertical columns keep their length (their character cells are counted from it)."""
    if amount <= 0:
        return quad
    p0, p1, p2, p3 = quad.astype(np.float64)
    along, down = (p1 - p0 + p2 - p3) / 2, (p3 - p0 + p2 - p1) / 2
    length, thick = float(np.hypot(*along)), float(np.hypot(*down))
    if length < 1e-6 or thick < 1e-6:
        return quad
    u, d = along / length, down / thick
    top, bottom = rng.uniform(-amount, amount, 2) * thick
    start, end = (0.0, 0.0) if vertical else rng.uniform(-amount, 2 * amount, 2) * thick
    return np.array([p0 - start * u - top * d, p1 + end * u - top * d, p2 + end * u + bottom * d,
                     p3 - start * u + bottom * d], np.float32)


def crop_batch(source: PageSource, indices: list[int], per_page: int, height: int, vocab: Vocabulary,
               seed: int, max_width: int = 640, quad_jitter: float = 0.0) -> dict:
    """Line crops read from pages, upright, packed side by side into rows (R, 3, height, W) on white;
    each crop's quad in its row, its row, width and target."""
    crops, targets, texts = [], [], []
    for index in indices:
        image, annotation = source.page(index)
        lines = page_lines(annotation)
        if len(lines.texts) == 0:
            continue
        rng = np.random.default_rng([seed, index])
        pick = rng.permutation(len(lines.texts))[:per_page]
        img = torch.from_numpy(image).permute(2, 0, 1)[None].double() / 255.0
        cut = [window(lines.quads[k], lines.texts[k], lines.words[k], max_width / height, rng) for k in pick]
        quads = np.stack([jitter(q, bool(lines.vertical[k]), rng, quad_jitter) for k, (q, _) in zip(pick, cut, strict=True)])
        strips = cut_lines(img, torch.from_numpy(quads).double(), torch.from_numpy(lines.vertical[pick]), height, max_width)
        for strip, (_, text) in zip(strips, cut, strict=True):
            ids = vocab.encode(text, skip_unknown=True)
            if not ids:
                continue
            crops.append(strip.float())
            targets.append(torch.tensor(ids, dtype=torch.long))
            texts.append(text)
    packed = pack_lines(crops, height, max_width)
    return {"images": packed.images, "widths": packed.widths, "targets": targets, "texts": texts, "quads": packed.quads,
            "rows": packed.rows}
