"""A backbone with fixed normalization, distilled from a trained one: the same heads, a faster page.

Group normalization takes its statistics per input, so on a CPU every normalized block of the backbone
costs extra passes over its map, and the detection views, which no probe stands in for, pay them in
full (docs/benchmarks.md "What a model whose normalizations fold would gain": detection 2× faster
folded). A student does without them: each block's normalization becomes a fixed per-channel map for
each kind of input (page views, rows of line crops: their statistics differ most), which folds into
the convolution (``norm="fixed"``, ``backbone.KindAffine``). It starts as the teacher with each kind's
average statistics folded in (:func:`plain_student`), its expansions optionally narrowed to their
strongest channels, and is trained to give the teacher's features (:func:`distill_losses`) on the very
inputs the teacher's pipeline sends its backbone (``tools/distill.py capture``). The detector, the
recognizer and the relational model stay the teacher's: the losses are what they read (the fused
stride-4 map, the stride-2 map), the detector's maps and the recognizer's per-step features (what its
output layer reads). No labels: any page the pipeline reads is a lesson.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model.backbone import ROWS, VIEWS, set_kind
from polyocr.model.frozen_norms import Stats, group_affine
from polyocr.model.fused import ConvNormAct
from polyocr.model.ocr import ModelConfig, OCRModel

@dataclass
class ChannelUse:
    """Per channel of a block's output over calibration inputs: the mean and the mean absolute deviation."""

    mean: torch.Tensor
    spread: torch.Tensor


KINDS = (VIEWS, ROWS)


def plain_student(teacher: OCRModel, stats: dict[int, Stats], use: dict[int, dict[str, ChannelUse]],
                  expand: int | tuple[int, ...] | None = None) -> OCRModel:
    """A model with the teacher's heads and a ``norm="fixed"`` backbone that computes the teacher's with
    ``stats[kind]`` for each kind of input (``VIEWS``, ``ROWS``); with ``expand`` below the teacher's, each
    inverted residual block keeps the expanded channels that move its output most (``use`` of its
    depthwise block: spread over both kinds × the norm of the projection's column), and the projection's
    map takes, for each kind, the mean contribution of those left out; a tuple narrows stage by stage."""
    cfg = teacher.cfg.model_dump()
    cfg.update(norm="fixed", expand=expand or teacher.cfg.expand)
    student = OCRModel(ModelConfig(**cfg))
    for part in ("detector", "recognizer", "relational"):
        getattr(student, part).load_state_dict(getattr(teacher, part).state_dict())
    t_blocks = {n: b for n, b in teacher.backbone.named_modules() if isinstance(b, ConvNormAct)}
    s_blocks = {n: b for n, b in student.backbone.named_modules() if isinstance(b, ConvNormAct)}
    rest = {k: v for k, v in teacher.backbone.state_dict().items()  # the pyramid's laterals
            if not any(k.startswith(n + ".") for n in t_blocks)}
    student.backbone.load_state_dict(rest, strict=False)
    keep: dict[str, torch.Tensor] = {}  # an inverted residual's prefix -> its kept expanded channels
    for name in t_blocks:
        if name.endswith(".block.1"):
            prefix = name[: -len(".1")]
            mid = s_blocks[name][0].out_channels
            if mid == t_blocks[name][0].out_channels:
                continue
            proj = t_blocks[prefix + ".2"][0].weight.detach().double()[:, :, 0, 0]
            scale = sum(group_affine(t_blocks[prefix + ".2"][1], *stats[k][prefix + ".2"])[0].abs() for k in KINDS)
            spread = sum(use[k][name].spread.double() for k in KINDS)
            score = spread * (proj * scale[:, None]).norm(dim=0)
            keep[prefix] = torch.sort(torch.topk(score, mid).indices).values
    with torch.no_grad():
        for name, block in s_blocks.items():
            t_block = t_blocks[name]
            weight = t_block[0].weight.detach().double()
            maps = [group_affine(t_block[1], *stats[k][name]) for k in KINDS]
            prefix, _, index = name.rpartition(".")
            if prefix in keep:
                idx = keep[prefix]
                if index in ("0", "1"):
                    weight, maps = weight[idx], [(scale[idx], shift[idx]) for scale, shift in maps]
                else:  # the projection reads only the kept channels; the others' mean goes to its shift
                    drop = torch.ones(weight.shape[1], dtype=torch.bool)
                    drop[idx] = False
                    maps = [(scale, shift + scale * (weight[:, drop, 0, 0] @ use[k][prefix + ".1"].mean.double()[drop]))
                            for k, (scale, shift) in zip(KINDS, maps, strict=True)]
                    weight = weight[:, idx]
            block[0].weight.copy_(weight.float())
            for k, (scale, shift) in zip(KINDS, maps, strict=True):
                block[1].weight[k] = scale.float()
                block[1].bias[k] = shift.float()
    return student.eval()


def channel_use(backbone: nn.Module, inputs: Iterator[torch.Tensor]) -> dict[str, ChannelUse]:
    """:class:`ChannelUse` of every depthwise block's output (after its clamp), averaged over ``inputs``."""
    sums: dict[str, list] = {}
    hooks = []
    for name, block in backbone.named_modules():
        if isinstance(block, ConvNormAct) and name.endswith(".block.1"):
            def hook(_module, _args, out, name=name):
                y = out.detach().double()
                mean = y.mean((0, 2, 3))
                spread = (y - mean[None, :, None, None]).abs().mean((0, 2, 3))
                entry = sums.setdefault(name, [0, 0.0, 0.0])
                entry[0] += 1
                entry[1] = entry[1] + mean
                entry[2] = entry[2] + spread
            hooks.append(block.register_forward_hook(hook))
    try:
        with torch.no_grad():
            for x in inputs:
                backbone((x - 0.5) / 0.25)
    finally:
        for h in hooks:
            h.remove()
    return {n: ChannelUse(m / k, s / k) for n, (k, m, s) in sums.items()}


class CapturedInputs:
    """The backbone inputs the teacher's pipeline made of some pages (``capture_inputs``): each page's
    views (H, W, 3) and rows of line crops (N, 32, W, 3), uint8, one ``.npz`` a page."""

    def __init__(self, *roots: Path) -> None:
        self.files = [p for root in roots for p in sorted(Path(root).glob("*.npz")) if not p.name.endswith(".tmp.npz")]
        if not self.files:
            raise FileNotFoundError(f"{', '.join(map(str, roots))}: no captured inputs (*.npz)")
        self._cache: dict[Path, dict[str, np.ndarray]] = {}

    def page(self, k: int) -> dict[str, np.ndarray]:
        f = self.files[k % len(self.files)]
        if f not in self._cache:
            with np.load(f) as z:
                self._cache[f] = {name: z[name] for name in z.files}
        return self._cache[f]

    def views(self, k: int) -> list[np.ndarray]:
        page = self.page(k)
        return [page[n] for n in sorted(page) if n.startswith("view")]

    def rows(self, k: int) -> list[np.ndarray]:
        page = self.page(k)
        return [page[n] for n in sorted(page) if n.startswith("rows")]


def as_batch(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, H, W, 3) → float (N, 3, H, W) in [0, 1], channels-last."""
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float().div_(255.0)
    return x.contiguous(memory_format=torch.channels_last)


def random_crop(view: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """A crop of at most ``size`` × ``size`` (multiples of 32) of a view."""
    h, w = view.shape[:2]
    ch, cw = min(size, h // 32 * 32), min(size, w // 32 * 32)
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    return view[y: y + ch, x: x + cw]


def _norm_mse(got: torch.Tensor, want: torch.Tensor, var: torch.Tensor | None = None) -> torch.Tensor:
    """Mean squared error per channel (dim 1), each over the target's variance: channels count alike.
    ``var``: each channel's variance over many inputs (:func:`reference_scales`); else this batch's, which
    a blank crop makes tiny."""
    if var is None:
        dims = [d for d in range(want.dim()) if d != 1]
        var = want.var(dims, keepdim=True).clamp(min=1e-4)
    else:
        var = var.to(want.dtype).clamp(min=1e-6).view(1, -1, *([1] * (want.dim() - 2)))
    return ((got - want) ** 2 / var).mean()


class _Moments:
    def __init__(self) -> None:
        self.n, self.sum, self.sq = 0, 0.0, 0.0

    def add(self, x: torch.Tensor) -> None:
        """Add the values of ``x`` (channels on dim 1)."""
        x = x.detach().double().transpose(0, 1).reshape(x.shape[1], -1)
        self.n += x.shape[1]
        self.sum = self.sum + x.sum(1)
        self.sq = self.sq + (x * x).sum(1)

    def var(self) -> torch.Tensor:
        mean = self.sum / self.n
        return (self.sq / self.n - mean * mean).float()


def reference_scales(teacher: OCRModel, views: list[torch.Tensor], rows: list[torch.Tensor]) -> dict[str, torch.Tensor]:
    """Each channel's variance of what the losses compare, over whole views and rows of the teacher's:
    ``views.fused``, ``views.fine``, ``views.maps``, ``rows.fused``, ``rows.fine``, ``rows.steps``."""
    moments = {key: _Moments() for key in ("views.fused", "views.fine", "views.maps", "rows.fused", "rows.fine",
                                           "rows.steps")}
    with torch.no_grad():
        for view in views:
            fused, fine = teacher.features(view)
            moments["views.fused"].add(fused)
            moments["views.fine"].add(fine)
            moments["views.maps"].add(teacher.detect(fused))
        for row in rows:
            fused, fine = teacher.features(row)
            moments["rows.fused"].add(fused)
            moments["rows.fine"].add(fine)
            moments["rows.steps"].add(row_steps(teacher, fused, fine)[:, :, None])
    return {key: m.var() for key, m in moments.items()}


def row_steps(teacher: OCRModel, fused: torch.Tensor, fine: torch.Tensor) -> torch.Tensor:
    """The teacher recognizer's features of every step (S, rec_dim) of rows of line crops, each row read
    as one line of its whole width."""
    n, width = fused.shape[0], float(fused.shape[-1] * 4)
    x0, x1 = torch.zeros(n), torch.full((n,), width)
    y0, y1 = torch.zeros(n), torch.full((n,), float(fused.shape[-2] * 4))
    quads = torch.stack([torch.stack([x0, y0], 1), torch.stack([x1, y0], 1), torch.stack([x1, y1], 1),
                         torch.stack([x0, y1], 1)], 1)
    strips, cells = teacher.strips(fused, fine, quads, torch.arange(n), torch.zeros(n, dtype=torch.bool))
    emb = teacher.recognizer.embed(strips, cells)
    return emb[torch.arange(emb.shape[1])[None] < teacher.recognizer.steps(cells)[:, None]]


@dataclass
class Losses:
    fused: float = 0.0
    fine: float = 0.0
    maps: float = 0.0
    steps: float = 0.0

    def total(self) -> float:
        return self.fused + self.fine + self.maps + self.steps


def distill_losses(teacher: OCRModel, student: OCRModel, view: torch.Tensor | None, view_stats: Stats | None,
                   rows: torch.Tensor | None, folded_teacher: nn.Module | None = None,
                   scales: dict[str, torch.Tensor] | None = None) -> tuple[torch.Tensor, Losses]:
    """The student's loss on a view crop (the teacher normalizing by its whole view's ``view_stats``,
    folded into ``folded_teacher``) and on rows of line crops (the teacher normalizing each row by its
    own statistics, as it trained); each channel's error over its variance (``scales``, or the batch's)."""
    scales = scales or {}
    parts = Losses()
    total = torch.zeros(())
    if view is not None:
        with torch.no_grad():
            folded_teacher.fold(view_stats)
            t_fused, t_fine = teacher.features(view, folded_teacher)
            t_maps = teacher.detect(t_fused)
        set_kind(student.backbone, VIEWS)
        s_fused, s_fine = student.features(view)
        s_maps = teacher.detect(s_fused)
        terms = (_norm_mse(s_fused, t_fused, scales.get("views.fused")), _norm_mse(s_fine, t_fine, scales.get("views.fine")),
                 _norm_mse(s_maps, t_maps, scales.get("views.maps")))
        total = total + sum(terms)
        parts.fused, parts.fine, parts.maps = (float(t.detach()) for t in terms)
    if rows is not None:
        with torch.no_grad():
            t_fused, t_fine = teacher.features(rows)
            t_steps = row_steps(teacher, t_fused, t_fine)
        set_kind(student.backbone, ROWS)
        s_fused, s_fine = student.features(rows)
        s_steps = row_steps(teacher, s_fused, s_fine)
        terms = (_norm_mse(s_fused, t_fused, scales.get("rows.fused")), _norm_mse(s_fine, t_fine, scales.get("rows.fine")),
                 _norm_mse(s_steps[:, :, None], t_steps[:, :, None], scales.get("rows.steps")))
        total = total + sum(terms)
        parts.fused += float(terms[0].detach())
        parts.fine += float(terms[1].detach())
        parts.steps = float(terms[2].detach())
    return total, parts
