"""``OCRModel``: one backbone pass feeds the detector, the recognizer and the relational model.

>>> model = create_model("tiny", vocab_size=14_000)        # doctest: +SKIP
>>> fused, fine = model.features(images)                   # one convolutional pass per page
>>> maps = model.detect(fused)                             # line bands, thickness, direction
>>> logits, steps, _ = model.read(fused, fine, quads, batch_index, vertical)
>>> succ, group = model.relate(model.line_features(fused, quads, batch_index, vertical), quads, vertical, (height, width))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import torch
from pydantic import BaseModel, ConfigDict, Field
from torch import nn

from polyocr.model.backbone import Backbone, BackboneConfig
from polyocr.model.blank_screen import BlankScreen
from polyocr.model.ctc import best_path
from polyocr.model.detector import DetectorHead
from polyocr.model.recognizer import Recognizer
from polyocr.model.rectifier import lattice_rectify, rectify
from polyocr.model.registry import register_model
from polyocr.model.relational import RelationalModel, geometry_features


class ReadingHead(nn.Module):
    """The recognizer's output layer as inference runs it: on some classes only (the characters of the
    languages a user names: an English page's layer shrinks from ~14,000 rows to ~740, and letters of
    scripts that cannot occur are never chosen) and in another precision (bfloat16 where the CPU has
    it natively: the argmax rarely changes). Class 0 stays the blank.

    On a CPU the layer is one matrix product with the bias as an extra input row, ``[x, 1] @ [Wᵀ; b]``,
    the weights stored transposed: the same numbers as ``linear(x, W, b)`` (bit for bit on this CPU), in 0.73 of
    the time in bfloat16 and 0.44 in float32 (128 steps × 14,039 classes, one core), because ``linear``
    with a bias first copies the bias into every row of the output and reads the weights transposed."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, classes: torch.Tensor | None) -> None:
        super().__init__()
        self.weight, self.bias, self.classes = weight, bias, classes
        self.stacked = torch.cat([weight, bias[:, None]], 1).t().contiguous() if weight.device.type == "cpu" else None

    @classmethod
    def of(cls, layer: nn.Linear, classes: list[int] | None = None, dtype: torch.dtype | None = None) -> ReadingHead:
        weight, bias = layer.weight.detach(), layer.bias.detach()
        index = None
        if classes is not None:
            if not classes or classes[0] != 0:
                raise ValueError("the classes a head keeps start with the blank (0)")
            index = torch.tensor(classes, dtype=torch.long, device=weight.device)
            weight, bias = weight[index], bias[index]
        if dtype is not None:
            weight, bias = weight.to(dtype), bias.to(dtype)
        return cls(weight, bias, index)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._logits(x)

    def blank_logits(self, x: torch.Tensor) -> torch.Tensor:
        """The blank's logit (class 0) of each row of ``x``, as :meth:`forward` computes it, without the rest."""
        return self._logits(x, 1)[..., 0]

    def _logits(self, x: torch.Tensor, first: int | None = None) -> torch.Tensor:
        """The logits of this head's ``first`` classes (all of them when ``None``)."""
        x = x.to(self.weight.dtype)
        if self.stacked is None:  # the weights are not on a CPU
            return torch.nn.functional.linear(x, self.weight[:first], self.bias[:first])
        return torch.cat([x, x.new_ones(*x.shape[:-1], 1)], -1) @ self.stacked[:, :first]

    def class_ids(self, local: torch.Tensor) -> torch.Tensor:
        """Vocabulary ids of this head's argmax indices."""
        return local if self.classes is None else self.classes[local]


class ModelConfig(BaseModel):
    """The architecture, as stored in a checkpoint's config.json (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    vocab_size: int = Field(gt=2)
    stem: int = 24
    channels: tuple[int, ...] = (32, 64, 96, 160)
    depths: tuple[int, ...] = (2, 3, 3, 2)
    expand: int | tuple[int, ...] = 4
    """The inverted residuals' expansion: one for all stages, or one per stage."""
    fpn: int = 64
    norm: Literal["group", "fixed"] = "group"
    """The backbone's blocks normalized per input, or by fixed maps per kind of input (``backbone.Norm``)."""
    rec_height: int = 16
    """Rows of the rectified strip: a line's thickness is sampled at this many points."""
    rec_dim: int = 192
    rec_layers: int = 2
    rec_heads: int = 4
    rel_dim: int = 128
    rel_layers: int = 2
    max_strip: int = 1024


class OCRModel(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.backbone = Backbone(BackboneConfig(cfg.stem, cfg.channels, cfg.depths, cfg.expand, cfg.fpn, cfg.norm))
        self.detector = DetectorHead(cfg.fpn)
        rec_in = cfg.fpn + cfg.stem
        self.recognizer = Recognizer(rec_in, cfg.rec_height, cfg.rec_dim, cfg.rec_layers, cfg.rec_heads, cfg.vocab_size)
        self.relational = RelationalModel(cfg.fpn, cfg.rel_dim, cfg.rel_layers)

    def features(self, images: torch.Tensor, backbone: nn.Module | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """(fused stride-4 map, stride-2 map) of images (N, 3, H, W) in [0, 1], H and W multiples of 32;
        ``backbone``: another form of this model's own (``frozen_norms.FoldedBackbone``)."""
        return (self.backbone if backbone is None else backbone)((images - 0.5) / 0.25)

    def detect(self, fused: torch.Tensor) -> torch.Tensor:
        return self.detector(fused)

    def strips(self, fused: torch.Tensor, fine: torch.Tensor, quads: torch.Tensor, batch_index: torch.Tensor,
               vertical: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Rectified strips of both feature levels, concatenated along channels."""
        h, w = self.cfg.rec_height, self.cfg.max_strip
        if not torch.is_grad_enabled():  # upright crops on a lattice (packed rows at inference): a copy
            lattice = lattice_rectify([(fused, 4), (fine, 2)], quads, batch_index, vertical, h, w)
            if lattice is not None:
                return lattice
        coarse, widths = rectify(fused, 4.0, quads, batch_index, vertical, h, w)
        detail, _ = rectify(fine, 2.0, quads, batch_index, vertical, h, w)
        return torch.cat([coarse, detail], dim=1), widths

    def read(self, fused: torch.Tensor, fine: torch.Tensor, quads: torch.Tensor, batch_index: torch.Tensor,
             vertical: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """CTC logits (K, T, V), time steps (K,) and a pooled feature per line (K, rec_dim)."""
        strips, widths = self.strips(fused, fine, quads, batch_index, vertical)
        steps = self.recognizer.steps(widths)
        emb = self.recognizer.embed(strips, widths)
        logits = self.recognizer.head(emb)
        valid = (torch.arange(emb.shape[1], device=emb.device)[None] < steps[:, None]).float()[..., None]
        pooled = (emb * valid).sum(1) / valid.sum(1).clamp(min=1)
        return logits, steps, pooled

    def read_best(self, fused: torch.Tensor, fine: torch.Tensor, quads: torch.Tensor, batch_index: torch.Tensor,
                  vertical: torch.Tensor, head: ReadingHead | None = None, whole: ReadingHead | None = None,
                  weak_share: float = 0.7, screen: BlankScreen | None = None,
                  observe: Callable[[torch.Tensor], None] | None = None
                  ) -> tuple[list[torch.Tensor], list[torch.Tensor], torch.Tensor]:
        """Inference form of :meth:`read`: each line's best CTC path (class ids, probabilities) and its
        pooled feature. The vocabulary-wide output layer runs on the lines' real steps only, not on the
        padding of a batch, and its logits are reduced as they come (see :func:`best_path`); ``head``
        runs that layer on some classes only and/or in another precision (:class:`ReadingHead`).

        With ``whole`` (a head of more classes than ``head``), steps whose largest logit under ``head``
        is at most ``weak_share`` of the median step's are read again with ``whole``: no class of
        ``head`` fits them (``infer/narrowing.py``). Steps that ``screen`` finds surely blank skip the
        layer (``model/blank_screen.py``). ``observe`` is called with the features of the lines' real
        steps (``tools/fit_blank_screen.py`` collects them)."""
        head = head or ReadingHead.of(self.recognizer.head)
        strips, widths = self.strips(fused, fine, quads, batch_index, vertical)
        steps = self.recognizer.steps(widths)
        emb = self.recognizer.embed(strips, widths)
        valid = torch.arange(emb.shape[1], device=emb.device)[None] < steps[:, None]
        real = emb[valid]
        if observe is not None:
            observe(real)
        ids, conf = best_steps(real, head, whole, weak_share, screen)
        counts = steps.tolist()
        pooled = torch.stack([e.mean(0) if len(e) else e.new_zeros(e.shape[-1]) for e in real.split(counts)])
        return list(ids.split(counts)), list(conf.split(counts)), pooled

    def line_features(self, fused: torch.Tensor, quads: torch.Tensor, batch_index: torch.Tensor,
                      vertical: torch.Tensor) -> torch.Tensor:
        """A feature vector per line (K, fpn) for the relational model: the shared map averaged over the
        line's quad. It is cheap and the same in training and at inference (the recognizer reads line
        crops, not the page, so its features are not at hand where the page is)."""
        strips, widths = rectify(fused, 4.0, quads, batch_index, vertical, 4, 64)
        valid = (torch.arange(strips.shape[-1], device=strips.device)[None] < widths[:, None]).to(strips.dtype)
        return (strips.mean(2) * valid[:, None]).sum(-1) / valid.sum(-1, keepdim=True).clamp(min=1)

    def relate(self, line_features: torch.Tensor, quads: torch.Tensor, vertical: torch.Tensor,
               page_size: tuple[int, int]) -> tuple[torch.Tensor, torch.Tensor]:
        """Successor and same-paragraph logits for the lines of one page."""
        geo = geometry_features(quads, vertical, float(page_size[0]), float(page_size[1]))
        succ, group = self.relational(line_features[None], geo[None].to(line_features.dtype))
        return succ[0], group[0]


def best_steps(real: torch.Tensor, head: ReadingHead, whole: ReadingHead | None = None, weak_share: float = 0.7,
               screen: BlankScreen | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Best class (vocabulary ids) and probability (NaN on blank steps) of each step, rows of ``real``
    (steps, rec_dim), under ``head``; with ``whole``, steps whose largest logit is at most ``weak_share``
    of the median step's (which is a blank's, large and positive in a trained model) are read with
    ``whole`` instead: no class of ``head`` fits them. Steps ``screen`` finds surely blank are the blank
    without the output layer (their largest logit, for the median, is the blank's)."""
    if screen is not None and len(real):
        ids, conf, top = _screened_steps(real, head, screen, with_top=whole is not None)
    else:
        ids, conf, top = _best_steps(real, head, with_top=whole is not None)
    if whole is not None and len(real):
        median = top.median()
        weak = top < median - (1.0 - weak_share) * median.abs()
        if bool(weak.any()):
            ids[weak], conf[weak], _ = _best_steps(real[weak], whole)
    return ids, conf


def _screened_steps(real: torch.Tensor, head: ReadingHead, screen: BlankScreen, with_top: bool = False
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """:func:`_best_steps` with the steps ``screen`` finds surely blank left out of the output layer: the
    others are packed together, so that the layer runs on full chunks of them."""
    sure = screen.sure_blank(real)
    if not bool(sure.any()):
        return _best_steps(real, head, with_top)
    rest = ~sure
    ids = torch.zeros(len(real), dtype=torch.long, device=real.device)
    conf = torch.full((len(real),), float("nan"), device=real.device)
    top = torch.empty(len(real), device=real.device) if with_top else None
    if top is not None:
        top[sure] = head.blank_logits(real[sure]).float()
    if bool(rest.any()):
        ids[rest], conf[rest], rest_top = _best_steps(real[rest], head, with_top)
        if top is not None and rest_top is not None:
            top[rest] = rest_top
    return ids, conf, top


def _best_steps(real: torch.Tensor, head: ReadingHead, with_top: bool = False
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """Best class (vocabulary ids) and probability of each step (rows of ``real``) under ``head``, and
    with ``with_top`` each step's largest logit. At most ``rows`` × V logits exist at once."""
    rows = 2048 if real.is_cuda else 128  # a CPU reduces ~2× faster over logits that stay in its cache
    ids, conf, tops = [], [], []
    for chunk in real.split(rows):
        logits = head(chunk)
        best, prob = best_path(logits)
        ids.append(best)
        conf.append(prob)
        if with_top:  # the best class's logit is the row's largest: a gather, not another pass over the row
            tops.append(logits.gather(-1, best[:, None])[:, 0].float())
    if not ids:
        return real.new_zeros(0, dtype=torch.long), real.new_zeros(0), real.new_zeros(0) if with_top else None
    return head.class_ids(torch.cat(ids)), torch.cat(conf), torch.cat(tops) if with_top else None


@register_model
def tiny(vocab_size: int, **overrides) -> OCRModel:
    """A few million parameters (most of them the output layer): trains on a 2-core CPU."""
    return OCRModel(ModelConfig(name="tiny", vocab_size=vocab_size, **overrides))


@register_model
def base(vocab_size: int, **overrides) -> OCRModel:
    """Wider and deeper, for a GPU."""
    cfg = dict(name="base", vocab_size=vocab_size, stem=32, channels=(48, 96, 160, 256), depths=(2, 4, 6, 3), fpn=128,
               rec_height=16, rec_dim=384, rec_layers=4, rec_heads=8, rel_dim=192, rel_layers=3)
    cfg.update(overrides)
    return OCRModel(ModelConfig(**cfg))


def build(cfg: ModelConfig) -> OCRModel:
    return OCRModel(cfg)
