"""The recognizer: a rectified strip of features → per-column character logits, trained with CTC.

Two convolutions fold the strip's height into channels, a small Transformer encoder gives every column
the context of the whole line, and a linear layer scores every vocabulary entry (id 0 = CTC blank).
One pass, no autoregression: the whole line is read at once. ``grow`` adds output rows for new
characters of a newly installed language pack while keeping the old rows (and so the old outputs).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model.backbone import norm


class PositionalEncoding(nn.Module):
    def __init__(self, dim: int, max_len: int = 2048) -> None:
        super().__init__()
        pos = torch.arange(max_len)[:, None]
        div = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pe[: x.shape[1]][None]


class Recognizer(nn.Module):
    def __init__(self, in_channels: int, height: int, dim: int, layers: int, heads: int, vocab_size: int,
                 dropout: float = 0.1) -> None:
        super().__init__()
        if height % 2:
            raise ValueError(f"the strip height must be even, got {height}")
        mid = dim // 2
        # Two convolutions fold the height away: a 3×3 that halves height and width (2 cells per CTC
        # step), then one whose kernel spans the whole remaining height. A ladder of dense 3×3 layers
        # halving the height one step at a time cost three times the arithmetic, and the fold is a
        # large part of a CPU training step (docs/model.md).
        self.fold = nn.Sequential(
            nn.Conv2d(in_channels, mid, 3, 2, 1, bias=False), norm(mid), nn.GELU(),
            nn.Conv2d(mid, dim, (height // 2, 3), 1, (0, 1), bias=False), norm(dim), nn.GELU(),
        )
        c = dim
        self.proj = nn.Linear(c, dim)
        self.pos = PositionalEncoding(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, dropout, batch_first=True, norm_first=True,
                                           activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab_size)

    WIDTH_STRIDE = 2

    def steps(self, widths: torch.Tensor) -> torch.Tensor:
        """CTC time steps of strips of the given widths."""
        return torch.div(widths + self.WIDTH_STRIDE - 1, self.WIDTH_STRIDE, rounding_mode="floor")

    def embed(self, strips: torch.Tensor, widths: torch.Tensor) -> torch.Tensor:
        """Per-step features (K, T, dim) with the context of the whole line."""
        x = self.fold(strips).squeeze(2).transpose(1, 2)  # (K, T, C)
        x = self.pos(self.proj(x))
        pad = torch.arange(x.shape[1], device=x.device)[None] >= self.steps(widths)[:, None]
        if self.training or torch.is_grad_enabled():
            return self.norm(self.encoder(x, src_key_padding_mask=pad))
        return self.norm(self._encode(x, pad))

    def _encode(self, x: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        """What ``self.encoder`` computes in eval mode, written out around
        ``scaled_dot_product_attention``: PyTorch's own inference path for the layer masks its
        softmax on the full (K, heads, T, T) scores, 2.2× slower on a CPU core for a batch of line
        crops (48 × 160 steps; docs/benchmarks.md "Where a page's time went")."""
        k, t, dim = x.shape
        keep = (~pad)[:, None, None, :]  # True: a real step, attended to
        for layer in self.encoder.layers:
            attn = layer.self_attn
            heads = attn.num_heads
            qkv = F.linear(layer.norm1(x), attn.in_proj_weight, attn.in_proj_bias)
            q, key, v = qkv.view(k, t, 3, heads, dim // heads).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, key, v, attn_mask=keep)
            x = x + attn.out_proj(y.transpose(1, 2).reshape(k, t, dim))
            x = x + layer.linear2(layer.activation(layer.linear1(layer.norm2(x))))
        return x

    def forward(self, strips: torch.Tensor, widths: torch.Tensor) -> torch.Tensor:
        """Logits (K, T, vocab) for strips (K, C, height, W); T = ceil(W / 2)."""
        return self.head(self.embed(strips, widths))

    @torch.no_grad()
    def grow(self, vocab_size: int) -> None:
        """Extend the output layer to ``vocab_size`` rows; old rows are kept bit for bit."""
        old = self.head
        if vocab_size < old.out_features:
            raise ValueError("a vocabulary only grows")
        new = nn.Linear(old.in_features, vocab_size).to(old.weight.device, old.weight.dtype)
        new.weight[: old.out_features] = old.weight
        new.bias[: old.out_features] = old.bias
        # new characters start unlikely, so the extended model reads old text exactly as before
        new.bias[old.out_features:] = old.bias[1:].min() - 4.0
        nn.init.normal_(new.weight[old.out_features:], std=old.weight[1:].std().item())
        self.head = new
