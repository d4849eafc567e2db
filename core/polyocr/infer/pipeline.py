"""The OCR pipeline on pixels: scale, one backbone pass, detect, read, order, build the result tree.

Scale: the page is first seen with its long side at ``detect_side`` pixels, and its lines are found
there. If they are thinner than the recognizer was trained on (``line_height``, the height of its
training crops), the page is seen again, enlarged so that the median line reaches it (bounded by
``max_pixels``, so a huge page never exhausts memory), and the lines are read from that pass. See
docs/model.md for why the line height matters so much for CJK.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from polyocr.infer.result import Block, Char, Line, Page, Word, box_of
from polyocr.infer.words import WordSplitter
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.ctc import DecodedLine, collapse
from polyocr.model.ocr import OCRModel
from polyocr.model.postprocess import decode
from polyocr.model.relational import decode_order


@dataclass(frozen=True)
class PipelineConfig:
    detect_side: int = 1024
    line_height: float = 32.0
    max_pixels: int = 6_000_000
    max_upscale: float = 3.0
    line_batch: int = 48
    threshold: float = 0.5
    redetect: bool = False
    """Detect again on the enlarged pass. Off: lines are found at ``detect_side``, the scale of the
    detector's training pages, and only read from the enlarged page (fewer false lines, no second
    detection)."""


@dataclass
class Detected:
    quads: np.ndarray
    scores: np.ndarray
    vertical: np.ndarray
    scale: float


def _resize(image: np.ndarray, scale: float) -> tuple[torch.Tensor, float]:
    h, w = image.shape[:2]
    nh, nw = max(32, round(h * scale)), max(32, round(w * scale))
    resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.BILINEAR)) if (nh, nw) != (h, w) else image
    ph, pw = math.ceil(nh / 32) * 32, math.ceil(nw / 32) * 32
    canvas = np.full((ph, pw, 3), 255, np.uint8)
    canvas[:nh, :nw] = resized
    return torch.from_numpy(canvas).permute(2, 0, 1)[None].float() / 255.0, nh / h


class Pipeline:
    def __init__(self, model: OCRModel, vocab: Vocabulary, splitter: WordSplitter, device: str = "cpu",
                 config: PipelineConfig | None = None) -> None:
        self.model = model.eval().to(device)
        self.vocab = vocab
        self.splitter = splitter
        self.device = torch.device(device)
        self.cfg = config or PipelineConfig()
        self.dtype = torch.float16 if self.device.type == "cuda" else torch.float32

    @torch.inference_mode()
    def _features(self, image: np.ndarray, scale: float):
        x, actual = _resize(image, scale)
        with torch.autocast(self.device.type, dtype=torch.float16, enabled=self.device.type == "cuda"):
            fused, fine = self.model.features(x.to(self.device))
        return fused, fine, actual

    @torch.inference_mode()
    def _pass(self, image: np.ndarray, scale: float):
        fused, fine, actual = self._features(image, scale)
        with torch.autocast(self.device.type, dtype=torch.float16, enabled=self.device.type == "cuda"):
            maps = self.model.detect(fused).float()[0]
        maps[0] = maps[0].sigmoid()
        maps[5] = maps[5].sigmoid()
        maps[3:5] = torch.nn.functional.normalize(maps[3:5], dim=0)
        quads, scores, vertical = decode(maps.cpu().numpy(), 4.0, self.cfg.threshold)
        return fused, fine, Detected(quads, scores, vertical, actual)

    @torch.inference_mode()
    def page(self, image: np.ndarray, index: int = 0, source: str | None = None) -> Page:
        h, w = image.shape[:2]
        cfg = self.cfg
        scale = min(cfg.detect_side / max(h, w), cfg.max_upscale)
        fused, fine, det = self._pass(image, scale)
        read_fused, read_fine, read_quads = fused, fine, det.quads
        if len(det.quads):
            thick = np.median(np.linalg.norm(det.quads[:, 3] - det.quads[:, 0], axis=1))
            want = scale * cfg.line_height / max(thick, 1.0)
            want = min(want, cfg.max_upscale, math.sqrt(cfg.max_pixels / (h * w)))
            if want > scale * 1.25 and cfg.redetect:
                fused, fine, det = self._pass(image, want)
                read_fused, read_fine, read_quads = fused, fine, det.quads
            elif want > scale * 1.25:  # the lines found at the detection scale, read from the enlarged text area
                x0, y0, x1, y1 = _text_area(det.quads / det.scale, 2.0 * thick / det.scale, w, h)
                read_fused, read_fine, actual = self._features(np.ascontiguousarray(image[y0:y1, x0:x1]), want)
                read_quads = (det.quads / det.scale - np.array([x0, y0], np.float32)) * actual
        if not len(det.quads):
            return Page(index=index, width=w, height=h, source=source)
        lines, pooled = self._read(read_fused, read_fine, read_quads, det.vertical)
        order, para = self._order(pooled, det, fused.shape[-2:])
        return self._assemble(lines, det, order, para, index, w, h, source)

    def _read(self, fused, fine, line_quads: np.ndarray, line_vertical: np.ndarray) -> tuple[list[tuple[DecodedLine, int]], torch.Tensor]:
        """Decoded lines (with their CTC step counts) and each line's pooled features; quads in the pixels of
        the image whose features are given."""
        quads = torch.from_numpy(np.asarray(line_quads, np.float32)).to(self.device)
        vertical = torch.from_numpy(line_vertical).to(self.device)
        lengths = np.linalg.norm(line_quads[:, 1] - line_quads[:, 0], axis=1)
        out: list = [None] * len(quads)
        pooled_all = torch.zeros(len(quads), self.model.cfg.rec_dim, device=self.device)
        order = np.argsort(lengths)  # batch lines of similar length: less padding
        for start in range(0, len(order), self.cfg.line_batch):
            idx = torch.from_numpy(order[start: start + self.cfg.line_batch]).to(self.device)
            with torch.autocast(self.device.type, dtype=torch.float16, enabled=self.device.type == "cuda"):
                ids, conf, pooled = self.model.read_best(fused, fine, quads[idx], torch.zeros(len(idx), dtype=torch.long,
                                                         device=self.device), vertical[idx])
            pooled_all[idx] = pooled.float()
            for j, line_ids, line_conf in zip(idx.tolist(), ids, conf, strict=True):
                out[j] = (collapse(line_ids.tolist(), line_conf.float().tolist(), self.vocab), len(line_ids))
        return out, pooled_all

    def _order(self, pooled: torch.Tensor, det: Detected, fsize) -> tuple[list[int], list[int]]:
        quads = torch.from_numpy(det.quads).float().to(self.device)
        vertical = torch.from_numpy(det.vertical).to(self.device)
        succ, group = self.model.relate(pooled, quads, vertical, (int(fsize[0]) * 4, int(fsize[1]) * 4))
        return decode_order(succ.float().cpu(), group.float().cpu())

    def _assemble(self, lines, det: Detected, order: list[int], para: list[int], index: int, w: int, h: int,
                  source: str | None) -> Page:
        inv = 1.0 / det.scale
        blocks: dict[int, list[Line]] = {}
        block_order: list[int] = []
        for i in order:
            decoded, steps = lines[i]
            if not decoded.text.strip():
                continue
            quad = det.quads[i] * inv
            line = self._line(decoded, steps, quad, bool(det.vertical[i]))
            if para[i] not in blocks:
                blocks[para[i]] = []
                block_order.append(para[i])
            blocks[para[i]].append(line)
        out = []
        for b in block_order:
            ls = blocks[b]
            pts = [p for line in ls for p in line.quad]
            box = box_of(pts)
            quad = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
            sep = self.splitter.separator("".join(line.text for line in ls))
            out.append(Block(text=sep.join(line.text for line in ls), quad=quad, box=box,
                             confidence=float(np.mean([line.confidence for line in ls])), lines=ls))
        rotation = _rotation(det)
        return Page(index=index, width=w, height=h, source=source, rotation=rotation, blocks=out)

    def _line(self, decoded: DecodedLine, steps: int, quad: np.ndarray, vertical: bool) -> Line:
        p0, p1, p2, p3 = quad

        def span_quad(a0: float, a1: float):
            top0, top1 = p0 + a0 * (p1 - p0), p0 + a1 * (p1 - p0)
            bot0, bot1 = p3 + a0 * (p2 - p3), p3 + a1 * (p2 - p3)
            return [tuple(map(float, top0)), tuple(map(float, top1)), tuple(map(float, bot1)), tuple(map(float, bot0))]

        chars = []
        for ch, conf, (t0, t1) in zip(decoded.text, decoded.char_conf, decoded.spans, strict=True):
            q = span_quad(t0 / max(steps, 1), t1 / max(steps, 1))
            chars.append(Char(text=ch, quad=_round(q), box=box_of(q), confidence=float(conf)))
        words = []
        for a, b in self.splitter.spans(decoded.text):
            cs = chars[a:b]
            q = span_quad(decoded.spans[a][0] / max(steps, 1), decoded.spans[b - 1][1] / max(steps, 1))
            words.append(Word(text=decoded.text[a:b], quad=_round(q), box=box_of(q),
                              confidence=float(np.mean([c.confidence for c in cs])), chars=cs))
        q = [tuple(map(float, p)) for p in quad]
        return Line(text=decoded.text, quad=_round(q), box=box_of(q), confidence=decoded.confidence, words=words,
                    vertical=vertical)


def _text_area(quads: np.ndarray, margin: float, w: int, h: int) -> tuple[int, int, int, int]:
    """The page region (x0, y0, x1, y1) holding every line, with ``margin`` pixels around: only it is
    enlarged for reading (a typeset page's margins are a third of its pixels)."""
    lo = np.floor(quads.reshape(-1, 2).min(0) - margin).astype(int)
    hi = np.ceil(quads.reshape(-1, 2).max(0) + margin).astype(int)
    return max(0, int(lo[0])), max(0, int(lo[1])), min(w, int(hi[0])), min(h, int(hi[1]))


def _round(quad):
    return [(round(x, 2), round(y, 2)) for x, y in quad]


def _rotation(det: Detected) -> int:
    """Clockwise rotation of the page content, from the dominant reading direction of horizontal lines."""
    horizontal = ~det.vertical
    if not horizontal.any():
        return 0
    d = det.quads[horizontal, 1] - det.quads[horizontal, 0]
    weights = np.linalg.norm(d, axis=1)
    angles = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
    votes = np.zeros(4)
    for a, wt in zip(angles, weights, strict=True):
        votes[int(round(a / 90.0)) % 4] += wt
    return int(np.argmax(votes)) * 90
