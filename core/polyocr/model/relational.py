"""The relational model: which lines form a paragraph, and which line is read after which.

A small Transformer runs over one page's lines, each embedded from its recognizer features (mean over
the strip) and its geometry (normalized quad corners, direction, size), so that a line "sees" every
other line. Two pairwise heads read the result: a pointer score for "j is read right after i" (with
a learned "end" slot for a paragraph's or page's last line) and a logit for "i and j share a paragraph".
"""

from __future__ import annotations

import torch
from torch import nn


def geometry_features(quads: torch.Tensor, vertical: torch.Tensor, height: float, width: float) -> torch.Tensor:
    """Per line: normalized corners (8), centre (2), reading direction (2), length, thickness, vertical."""
    scale = quads.new_tensor([width, height])
    q = quads / scale
    along = q[:, 1] - q[:, 0]
    down = q[:, 3] - q[:, 0]
    length = along.norm(dim=1, keepdim=True)
    thick = down.norm(dim=1, keepdim=True)
    direction = along / length.clamp(min=1e-6)
    centre = q.mean(dim=1)
    return torch.cat([q.flatten(1), centre, direction, length, thick, vertical.float()[:, None]], dim=1)


GEOMETRY = 15


class RelationalModel(nn.Module):
    def __init__(self, feature_dim: int, dim: int = 128, layers: int = 2, heads: int = 4) -> None:
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(feature_dim + GEOMETRY, dim), nn.GELU(), nn.Linear(dim, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, 0.1, batch_first=True, norm_first=True, activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.end = nn.Parameter(torch.zeros(dim))
        self.group = nn.Bilinear(dim, dim, 1)

    def forward(self, line_features: torch.Tensor, geometry: torch.Tensor,
                pad: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """For pages (B, L, ·): successor logits (B, L, L+1; last column = "end") and
        same-paragraph logits (B, L, L)."""
        x = self.encoder(self.embed(torch.cat([line_features, geometry], -1)), src_key_padding_mask=pad)
        q, k = self.query(x), self.key(x)
        keys = torch.cat([k, self.end.expand(k.shape[0], 1, -1)], dim=1)
        succ = q @ keys.transpose(1, 2) / q.shape[-1] ** 0.5
        n = x.shape[1]
        eye = torch.eye(n, dtype=torch.bool, device=x.device)
        succ[:, :, :n] = succ[:, :, :n].masked_fill(eye, float("-inf"))  # a line never follows itself
        if pad is not None:
            succ[:, :, :n] = succ[:, :, :n].masked_fill(pad[:, None, :], float("-inf"))
        # the bilinear form x_i·W·x_j for all pairs at once (not n² expanded copies of the lines)
        group = (x @ self.group.weight[0].to(x.dtype)) @ x.transpose(1, 2) + self.group.bias.to(x.dtype)
        return succ, (group + group.transpose(1, 2)) / 2


def decode_order(succ: torch.Tensor, group: torch.Tensor) -> tuple[list[int], list[int]]:
    """Reading order (line indices) and paragraph id per line for one page (succ: L×(L+1), group: L×L).

    Chains are followed from lines that are nobody's likely successor; each step takes the most
    likely unvisited successor, and a chain ends at the "end" slot. Paragraphs are connected groups of
    lines whose pairwise probability exceeds one half, numbered in reading order.
    """
    n = succ.shape[0]
    if n == 0:
        return [], []
    p = succ.softmax(-1)
    incoming = p[:, :n].sum(0)
    visited = [False] * n
    order: list[int] = []
    while len(order) < n:
        start = min((i for i in range(n) if not visited[i]), key=lambda i: float(incoming[i]))
        cur = start
        while cur is not None and not visited[cur]:
            visited[cur] = True
            order.append(cur)
            row = p[cur].clone()
            for j in range(n):
                if visited[j]:
                    row[j] = -1
            nxt = int(row.argmax())
            cur = nxt if nxt < n and row[nxt] > row[n] else None
    same = group.sigmoid() > 0.5
    para = [-1] * n
    next_id = 0
    for i in order:
        if para[i] >= 0:
            continue
        para[i] = next_id
        stack = [i]
        while stack:
            a = stack.pop()
            for b in range(n):
                if para[b] < 0 and bool(same[a, b]):
                    para[b] = next_id
                    stack.append(b)
        next_id += 1
    return order, para
