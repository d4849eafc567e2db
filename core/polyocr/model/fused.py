"""Convolution, group normalization and ReLU6 as inference on one CPU core runs them best.

PyTorch runs a ``conv_bn`` block as three passes over a feature map: the convolution, the group
normalization (into a new map), the clamp. On a page's maps (tens of megabytes at stride 2 and 4) the
two passes after the convolution cost more than the convolution itself (docs/benchmarks.md "Where a
page's time went"). :class:`ConvNormAct` keeps the three layers, their parameters and their
``state_dict`` keys, and at inference on a CPU with one thread normalizes and clamps the
convolution's output in place with one numba kernel: one pass for the statistics, one for the rest.

A 1×1 convolution on a channels-last map is a matrix product over pixels; with one thread and a small
batch, PyTorch sends it to a generic path that copies the map (3× slower on a page's stride-2 map),
so :class:`Pointwise` multiplies directly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from numba import njit
from torch import nn

from polyocr.model.bitcast import bits_of_float, float_of_bits


@njit(cache=True, nogil=True, fastmath=True)
def _scale_shift(total: np.ndarray, total2: np.ndarray, groups: int, count: int, gamma: np.ndarray,
                 beta: np.ndarray, eps: float, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per channel, the normalization and affine as one ``x * scale + shift``, from per-channel sums;
    each group's mean and variance into ``stats`` (groups, 2)."""
    c = total.shape[0]
    per = c // groups
    scale, shift = np.empty(c, np.float32), np.empty(c, np.float32)
    for g in range(groups):
        mean, square = 0.0, 0.0
        for k in range(g * per, (g + 1) * per):
            mean += total[k]
            square += total2[k]
        mean /= count
        var = max(square / count - mean * mean, 0.0)
        stats[g, 0], stats[g, 1] = mean, var
        rstd = 1.0 / np.sqrt(var + eps)
        for k in range(g * per, (g + 1) * per):
            scale[k] = gamma[k] * rstd
            shift[k] = beta[k] - mean * gamma[k] * rstd
    return scale, shift


@njit(cache=True, nogil=True, fastmath=True)
def group_norm_clamp_(x: np.ndarray, groups: int, gamma: np.ndarray, beta: np.ndarray, eps: float,
                      lo: float, hi: float, stats: np.ndarray) -> None:
    """Group-normalize ``x`` (N, pixels, C), a channels-last map, in place, then clamp it to [lo, hi];
    each sample's group means and variances into ``stats`` (N, groups, 2).

    Sums are taken per channel in float32 over 256 pixels at a time, then added in float64, so a page
    of a million pixels is summed as precisely as PyTorch's kernel does. (The sums stay written out in
    both kernels: a helper called per pixel made them 1.5× slower, even inlined.) The clamp's bounds
    are float32: float64 ones widened every value to double before the clamp (1.2–2.7× slower)."""
    n, p, c = x.shape
    lo32, hi32 = np.float32(lo), np.float32(hi)
    for b in range(n):
        part, part2 = np.zeros(c, np.float32), np.zeros(c, np.float32)
        total, total2 = np.zeros(c, np.float64), np.zeros(c, np.float64)
        for i in range(p):
            for k in range(c):
                v = x[b, i, k]
                part[k] += v
                part2[k] += v * v
            if (i & 255) == 255 or i == p - 1:
                for k in range(c):
                    total[k] += part[k]
                    total2[k] += part2[k]
                    part[k] = 0.0
                    part2[k] = 0.0
        scale, shift = _scale_shift(total, total2, groups, p * (c // groups), gamma, beta, eps, stats[b])
        for i in range(p):
            for k in range(c):
                x[b, i, k] = min(max(x[b, i, k] * scale[k] + shift[k], lo32), hi32)


@njit(cache=True, nogil=True, fastmath=True)
def group_norm_clamp_bf16_(x: np.ndarray, groups: int, gamma: np.ndarray, beta: np.ndarray, eps: float,
                           lo: float, hi: float, stats: np.ndarray) -> None:
    """:func:`group_norm_clamp_` for a bfloat16 map, given as its bits (uint16): computed in float32
    and rounded back to bfloat16 (to nearest, ties to even), as PyTorch's bfloat16 kernel does. Each
    value is widened and narrowed by bit casts in registers (a scratch row of float32 in memory, as
    before, kept the loops from vectorizing as well)."""
    n, p, c = x.shape
    lo32, hi32 = np.float32(lo), np.float32(hi)
    sixteen, half, one = np.uint32(16), np.uint32(0x7FFF), np.uint32(1)
    for b in range(n):
        part, part2 = np.zeros(c, np.float32), np.zeros(c, np.float32)
        total, total2 = np.zeros(c, np.float64), np.zeros(c, np.float64)
        for i in range(p):
            for k in range(c):
                v = float_of_bits(np.uint32(x[b, i, k]) << sixteen)
                part[k] += v
                part2[k] += v * v
            if (i & 255) == 255 or i == p - 1:
                for k in range(c):
                    total[k] += part[k]
                    total2[k] += part2[k]
                    part[k] = 0.0
                    part2[k] = 0.0
        scale, shift = _scale_shift(total, total2, groups, p * (c // groups), gamma, beta, eps, stats[b])
        for i in range(p):
            for k in range(c):
                v = float_of_bits(np.uint32(x[b, i, k]) << sixteen)
                u = bits_of_float(min(max(v * scale[k] + shift[k], lo32), hi32))
                x[b, i, k] = np.uint16((u + half + ((u >> sixteen) & one)) >> sixteen)


ENABLED = True
"""False: always PyTorch's own layers (tools/bench_fused.py compares both)."""


def _one_cpu_thread_inference(x: torch.Tensor, half: bool = False) -> bool:
    return (ENABLED and not torch.is_grad_enabled() and x.device.type == "cpu" and x.dim() == 4
            and torch.get_num_threads() == 1 and x.dtype == (torch.bfloat16 if half else torch.float32))


class Pointwise(nn.Conv2d):
    """A 1×1 convolution that, at inference on one CPU thread, multiplies a channels-last map directly."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if (_one_cpu_thread_inference(x) and x.shape[0] < 16 and self.weight.dtype == torch.float32
                and x.is_contiguous(memory_format=torch.channels_last)):
            w = self.weight.view(self.out_channels, self.in_channels)
            return F.linear(x.permute(0, 2, 3, 1), w, self.bias).permute(0, 3, 1, 2)
        return super().forward(x)


class ConvNormAct(nn.Sequential):
    """``Sequential(conv, GroupNorm[, ReLU6])``, fused at inference on one CPU thread."""

    observe: Callable[[torch.Tensor], None] | None = None
    """Called, where set, with the statistics each input was normalized by: (N, groups, 2), every sample's
    group means and variances (``frozen_norms.NormRecorder`` sets it)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self[0](x)
        norm = self[1]
        act = self[2] if len(self) > 2 else None
        pixels = y.permute(0, 2, 3, 1)  # a view of the same memory, C innermost when y is channels-last
        # bfloat16 maps come from autocast's convolutions; autocast normalizes them in bfloat16 too
        half = y.dtype == torch.bfloat16 and torch.is_autocast_enabled("cpu")
        if not (_one_cpu_thread_inference(y, half) and pixels.is_contiguous()
                and isinstance(norm, nn.GroupNorm) and norm.affine and norm.weight.dtype == torch.float32
                and (act is None or isinstance(act, nn.ReLU6))):
            if self.observe is not None and isinstance(norm, nn.GroupNorm):
                var, mean = torch.var_mean(y.detach().float().reshape(y.shape[0], norm.num_groups, -1), dim=2,
                                           unbiased=False)
                self.observe(torch.stack([mean, var], -1).double())
            for layer in list(self)[1:]:
                y = layer(y)
            return y
        lo, hi = (0.0, 6.0) if act is not None else (-np.inf, np.inf)
        n, c, h, w = y.shape
        stats = np.empty((n, norm.num_groups, 2), np.float64)
        kernel, view = (group_norm_clamp_bf16_, pixels.view(torch.uint16)) if half else (group_norm_clamp_, pixels)
        kernel(view.view(n, h * w, c).numpy(), norm.num_groups, norm.weight.detach().numpy(),
               norm.bias.detach().numpy(), norm.eps, lo, hi, stats)
        if self.observe is not None:
            self.observe(torch.from_numpy(stats))
        return y
