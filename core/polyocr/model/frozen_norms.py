"""Group normalization with statistics taken from a sample of a page: its line rows as plain convolutions.

Group normalization takes a mean and a variance per input and group, so at inference on a CPU each
``conv → GroupNorm → ReLU6`` block of the backbone makes three passes over its output after the
convolution wrote it (statistics, then normalize and clamp): about half of the backbone's time, most of
it moving memory (docs/benchmarks.md "Where a page's time went"). The rows of line crops one page sends
to the backbone resemble each other: the same type, the same 32-px scale, the same paper. So the
statistics of the first rows read (the probe's, a dozen characters of each of a few lines spread over
the page), averaged, stand in for those of every later row of that page (:class:`NormRecorder`): each
block is then an affine map of its convolution, folded into the convolution's weights and bias, and
oneDNN clamps as it writes (:class:`FoldedConv`), one pass instead of four.

Measured on the real pages (docs/benchmarks.md): the same page NED, the lines read faster. Statistics
measured once on synthetic pages, or a page's first detection view standing in for its closer one, cost
accuracy (the scale of a view changes them): detection keeps its own. A backbone distilled to do without
statistics (``norm="fixed"``, ``train/distill.py``) folds once per kind of input, for views too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model.backbone import KindAffine
from polyocr.model.fused import ConvNormAct

Stats = dict[str, tuple[torch.Tensor, torch.Tensor]]
"""Per normalized block (its name in the backbone), each group's mean and variance (float64)."""


class NormRecorder:
    """Averages, over the inputs the backbone normalizes while :meth:`recording`, the statistics each
    block normalized them by (every input's group means and variances, as the block computed them).

    >>> recorder = NormRecorder(model.backbone)          # doctest: +SKIP
    >>> with recorder.recording():                       # doctest: +SKIP
    ...     model.features(rows)
    >>> stats = recorder.result()                        # doctest: +SKIP
    """

    def __init__(self, backbone: nn.Module) -> None:
        self._blocks = [(name, block) for name, block in backbone.named_modules() if isinstance(block, ConvNormAct)]
        if not self._blocks:
            raise ValueError("the backbone has no normalized block")
        self._sums: dict[str, list] = {}

    def _observer(self, name: str):
        def observe(stats: torch.Tensor) -> None:  # (N, groups, 2)
            entry = self._sums.setdefault(name, [0, torch.zeros(stats.shape[1:], dtype=torch.float64)])
            entry[0] += stats.shape[0]
            entry[1] += stats.sum(0)
        return observe

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Measure the inputs normalized within (from nothing: earlier measurements are dropped)."""
        self._sums = {}
        for name, block in self._blocks:
            block.observe = self._observer(name)
        try:
            yield
        finally:
            for _, block in self._blocks:
                block.observe = None

    @property
    def samples(self) -> int:
        """Inputs measured (each block saw every one)."""
        return max((entry[0] for entry in self._sums.values()), default=0)

    def result(self) -> Stats | None:
        """The averaged statistics of every block, or ``None`` where some block saw no input."""
        if len(self._sums) < len(self._blocks):
            return None
        return {name: (total[:, 0] / count, total[:, 1] / count) for name, (count, total) in self._sums.items()}


def group_affine(norm: nn.GroupNorm, mean: torch.Tensor, var: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The group normalization for these group means and variances as one per-channel ``x * scale + shift``
    (float64)."""
    per = norm.num_channels // norm.num_groups
    scale = norm.weight.detach().double() * (var.double() + norm.eps).rsqrt().repeat_interleave(per)
    return scale, norm.bias.detach().double() - mean.double().repeat_interleave(per) * scale


POINTWISE_OP = torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_convolution_pointwise")
"""oneDNN's convolution with a fused clamp, the one PyTorch's compiler uses on CPUs."""


class FoldedConv(nn.Module):
    """A :class:`~polyocr.model.fused.ConvNormAct` whose normalization is a fixed affine map folded into the
    convolution, ``clamp(conv(x, W · s) + b)`` (the clamp where the block has its ReLU6), for given
    statistics (:meth:`fold`)."""

    def __init__(self, block: ConvNormAct, dtype: torch.dtype, kind: int | None = None) -> None:
        super().__init__()
        conv, norm = block[0], block[1]
        self.fixed = isinstance(norm, KindAffine)
        """A block of a ``norm="fixed"`` backbone: its map for inputs of ``kind``, folded in once."""
        if self.fixed and kind is None:
            raise ValueError("a block with fixed maps per kind of input is folded for one kind")
        if not self.fixed and (not isinstance(norm, nn.GroupNorm) or not norm.affine or conv.bias is not None):
            raise ValueError("a folded block is a convolution without bias and an affine group normalization "
                             "or a fixed map per kind of input")
        if len(block) > 2 and not isinstance(block[2], nn.ReLU6):
            raise ValueError("a folded block ends in ReLU6 or in nothing")
        self.block = [block]  # the original (in a list: not a submodule, its parameters stay its own)
        self.register_buffer("weight", conv.weight.detach().to(dtype).clone())
        self.register_buffer("bias", torch.zeros(conv.out_channels, device=conv.weight.device))
        self.stride, self.padding, self.groups = list(conv.stride), list(conv.padding), conv.groups
        self.clamp = len(block) > 2
        if self.fixed:
            with torch.no_grad():
                scale = norm.weight[kind].detach().double()
                self.weight.copy_(conv.weight.detach().double() * scale[:, None, None, None])
                self.bias.copy_(norm.bias[kind].detach().double())

    @torch.no_grad()
    def fold(self, mean: torch.Tensor, var: torch.Tensor) -> None:
        """Normalize by these group means and variances from now on."""
        if self.fixed:
            raise ValueError("a block with fixed maps has no statistics to fold")
        conv, norm = self.block[0][0], self.block[0][1]
        scale, shift = group_affine(norm, mean.to(conv.weight.device), var.to(conv.weight.device))
        self.weight.copy_(conv.weight.detach().double() * scale[:, None, None, None])
        self.bias.copy_(shift)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(self.weight.dtype)
        if POINTWISE_OP and x.device.type == "cpu" and not torch.is_grad_enabled():
            attr, scalars = ("hardtanh", [0.0, 6.0]) if self.clamp else ("none", [])
            return torch.ops.mkldnn._convolution_pointwise(x, self.weight, self.bias, self.padding, self.stride,
                                                           [1, 1], self.groups, attr, scalars, "")
        y = F.conv2d(x, self.weight, self.bias.to(x.dtype), self.stride, self.padding, 1, self.groups)
        return y.clamp_(0.0, 6.0) if self.clamp else y


class FoldedBackbone(nn.Module):
    """A backbone whose normalized blocks are :class:`FoldedConv` (weights in ``dtype``, the precision its
    work runs in), for the statistics last given to :meth:`fold`. It shares every other layer with the
    backbone it was made from; made once, folded again for each page. From a ``norm="fixed"`` backbone,
    made for one ``kind`` of input (``backbone.VIEWS``, ``ROWS``) and ready as made (:attr:`fixed`)."""

    def __init__(self, backbone: nn.Module, dtype: torch.dtype = torch.float32, kind: int | None = None) -> None:
        super().__init__()
        blocks = {name: block for name, block in backbone.named_modules() if isinstance(block, ConvNormAct)}
        memo = {id(p): p for p in backbone.parameters()} | {id(b): b for b in backbone.buffers()}
        self.net = copy.deepcopy(backbone, memo)  # the same parameters; new containers to hold the folds
        self.folds: dict[str, FoldedConv] = {}
        for name, block in blocks.items():
            parent_name, _, child = name.rpartition(".")
            parent = self.net.get_submodule(parent_name) if parent_name else self.net
            self.folds[name] = FoldedConv(block, dtype, kind)
            setattr(parent, child, self.folds[name])

    @property
    def fixed(self) -> bool:
        """Made from a ``norm="fixed"`` backbone for one kind of input: ready as it is, nothing to fold."""
        return all(folded.fixed for folded in self.folds.values())

    def fold(self, stats: Stats) -> None:
        for name, folded in self.folds.items():
            folded.fold(*stats[name])

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.net(x)
