"""A compact CNN with a feature pyramid, in plain PyTorch (no torchvision).

Stages of inverted-residual blocks (depthwise 3×3 between 1×1 expansions, as in MobileNetV2) reduce
the page by 2, 4, 8, 16, 32; a top-down feature pyramid fuses them into one map at stride 4 for the
detector, and keeps the stride-2 map for the recognizer, which needs more resolution than detection
does (see docs/model.md for the measurement). ``forward_features`` returns every level and
``feature_info`` describes them, the contract timm backbones offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model.fused import ConvNormAct, Pointwise


def norm(channels: int) -> nn.GroupNorm:
    """Group normalization: statistics per sample, so a page and a line crop, a batch of 1 or of 64, in
    training or at inference, are normalized alike (batch norm's running statistics are not)."""
    groups = next(g for g in (8, 4, 2, 1) if channels % g == 0)
    return nn.GroupNorm(groups, channels)


Norm = Literal["group", "fixed"]
"""``group``: every conv block group-normalized, statistics per input (:func:`norm`); ``fixed``: a fixed
per-channel affine map in its place for each kind of input (:class:`KindAffine`), which folds into the
convolution, so that oneDNN runs each block with its clamp in one pass at inference
(``frozen_norms.FoldedBackbone``). A ``fixed`` backbone is distilled from a ``group`` one
(``train/distill.py``)."""

VIEWS, ROWS = 0, 1
"""The kinds of input a ``fixed`` backbone has a map for: page views (detection), rows of line crops (reading)."""


class KindAffine(nn.Module):
    """``x * weight[kind] + bias[kind]`` per channel, for the kind of input set by :func:`set_kind`: a group
    normalization's statistics differ between a page view and a row of line crops far more than between
    two page views or two rows (docs/benchmarks.md, stop 32)."""

    def __init__(self, channels: int, kinds: int = 2) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(kinds, channels))
        self.bias = nn.Parameter(torch.zeros(kinds, channels))
        self.kind = VIEWS

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weight[self.kind][None, :, None, None] + self.bias[self.kind][None, :, None, None]


def set_kind(module: nn.Module, kind: int) -> None:
    """Make every :class:`KindAffine` in ``module`` map inputs of this kind (``VIEWS`` or ``ROWS``)."""
    for m in module.modules():
        if isinstance(m, KindAffine):
            m.kind = kind


def conv_bn(cin: int, cout: int, k: int = 3, stride: int = 1, groups: int = 1, act: bool = True,
            normalize: Norm = "group") -> nn.Sequential:
    """Convolution, group normalization, ReLU6 (``act``): one fused pass at CPU inference (model/fused.py).
    ``normalize="fixed"``: a :class:`KindAffine` where the normalization was."""
    conv = (Pointwise(cin, cout, 1, bias=False) if k == 1 and stride == 1 and groups == 1
            else nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False))
    layers: list[nn.Module] = [conv, KindAffine(cout) if normalize == "fixed" else norm(cout)]
    if act:
        layers.append(nn.ReLU6(inplace=True))
    return ConvNormAct(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, expand: int, normalize: Norm = "group") -> None:
        super().__init__()
        mid = cin * expand
        self.residual = stride == 1 and cin == cout
        self.block = nn.Sequential(
            conv_bn(cin, mid, 1, normalize=normalize) if expand != 1 else nn.Identity(),
            conv_bn(mid, mid, 3, stride, groups=mid, normalize=normalize),
            conv_bn(mid, cout, 1, act=False, normalize=normalize),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.block(x)
        return x + y if self.residual else y


@dataclass(frozen=True)
class BackboneConfig:
    stem: int = 24
    channels: tuple[int, ...] = (32, 64, 96, 160)
    depths: tuple[int, ...] = (2, 3, 3, 2)
    expand: int | tuple[int, ...] = 4
    """Expansion of the inverted residual blocks: one for all, or one per stage (the first stages run on
    the largest maps)."""
    fpn: int = 64
    norm: Norm = "group"


class Backbone(nn.Module):
    """Feature levels at strides 2, 4, 8, 16, 32, and a fused stride-4 map of ``fpn`` channels."""

    def __init__(self, cfg: BackboneConfig) -> None:
        super().__init__()
        self.cfg = cfg
        n = cfg.norm
        self.stem = nn.Sequential(conv_bn(3, cfg.stem, 3, 2, normalize=n),
                                  conv_bn(cfg.stem, cfg.stem, 3, 1, groups=cfg.stem, normalize=n),
                                  conv_bn(cfg.stem, cfg.stem, 1, normalize=n))
        stages = []
        cin = cfg.stem
        expands = cfg.expand if isinstance(cfg.expand, tuple) else (cfg.expand,) * len(cfg.channels)
        for cout, depth, expand in zip(cfg.channels, cfg.depths, expands, strict=True):
            blocks = [InvertedResidual(cin, cout, 2, expand, n)]
            blocks += [InvertedResidual(cout, cout, 1, expand, n) for _ in range(depth - 1)]
            stages.append(nn.Sequential(*blocks))
            cin = cout
        self.stages = nn.ModuleList(stages)
        self.lateral = nn.ModuleList([Pointwise(c, cfg.fpn, 1) for c in cfg.channels])
        # At stride 4 every layer is paid for on a quarter of the page's pixels: the finest level is
        # smoothed by a depthwise-separable 3×3 and the levels are fused by a 1×1. Dense 3×3 layers
        # there were 60 % of the backbone's arithmetic (26.6 GFLOP per megapixel; now 12).
        self.smooth = nn.ModuleList(
            [nn.Sequential(conv_bn(cfg.fpn, cfg.fpn, 3, groups=cfg.fpn, normalize=n),
                           conv_bn(cfg.fpn, cfg.fpn, 1, normalize=n))]
            + [conv_bn(cfg.fpn, cfg.fpn // 2, 3, normalize=n) for _ in range(len(cfg.channels) - 1)])
        fused_in = cfg.fpn + (cfg.fpn // 2) * (len(cfg.channels) - 1)
        self.fuse = conv_bn(fused_in, cfg.fpn, 1, normalize=n)
        self.feature_info = [{"num_chs": cfg.stem, "reduction": 2}] + [
            {"num_chs": c, "reduction": 2 ** (i + 2)} for i, c in enumerate(cfg.channels)
        ]
        self.out_channels = cfg.fpn
        self.high_res_channels = cfg.stem

    def forward_features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Every level, finest first (strides 2, 4, 8, 16, 32)."""
        feats = [self.stem(x)]
        for stage in self.stages:
            feats.append(stage(feats[-1]))
        return feats

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(fused stride-4 map with ``fpn`` channels, stride-2 map) for an image batch (N, 3, H, W).

        H and W must be multiples of 32.
        """
        feats = self.forward_features(x)
        levels = feats[1:]
        tops = [lat(f) for lat, f in zip(self.lateral, levels, strict=True)]
        for i in range(len(tops) - 2, -1, -1):  # top-down pathway
            tops[i] = tops[i] + F.interpolate(tops[i + 1], size=tops[i].shape[-2:], mode="nearest")
        size = tops[0].shape[-2:]
        outs = [self.smooth[0](tops[0])]
        for i in range(1, len(tops)):
            outs.append(F.interpolate(self.smooth[i](tops[i]), size=size, mode="bilinear", align_corners=False))
        return self.fuse(torch.cat(outs, dim=1)), feats[0]
