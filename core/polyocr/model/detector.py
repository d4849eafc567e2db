"""The text detector head: per-pixel line-centre score, line thickness and reading direction.

Why this design rather than EAST boxes or DB shrink maps: text lines are long (a line of a page is
30–60 times longer than tall), often vertical (CJK columns) or rotated, and tightly stacked. EAST
regresses distances to all four edges, which a small receptive field cannot do for long lines; DB
recovers the box by "unclipping" a shrunk polygon, which is fragile when the shrunk region is one
feature cell thick. Here each pixel of a line's centre band predicts only local, short-range
quantities — its distance to the line's top and bottom edge and the reading direction — and the
length of the line comes from the extent of the connected band. The reading direction (a unit
vector) plus a "set vertically" flag orient every quad (start-top corner first), which is how
rotated pages and vertical columns are read without guessing from aspect ratios.

Outputs at stride 4: channel 0 centre score (logit), 1–2 log distances to the top and bottom edges
(in feature cells), 3–4 reading direction (cos, sin), 5 vertical-setting logit.
"""

from __future__ import annotations

import torch
from torch import nn

from polyocr.model.backbone import conv_bn
from polyocr.model.fused import Pointwise

CHANNELS = 6


class DetectorHead(nn.Module):
    def __init__(self, in_channels: int, hidden: int = 64) -> None:
        super().__init__()
        self.body = nn.Sequential(conv_bn(in_channels, hidden, 3), conv_bn(hidden, hidden, 3))
        self.out = Pointwise(hidden, CHANNELS, 1)
        nn.init.constant_(self.out.bias, 0.0)
        with torch.no_grad():
            self.out.bias[0] = -4.0  # text is rare: start with a low score everywhere

    def forward(self, fused: torch.Tensor) -> torch.Tensor:
        return self.out(self.body(fused))
