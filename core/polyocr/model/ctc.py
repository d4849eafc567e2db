"""CTC decoding that keeps what a reader needs: each character's confidence and its column span."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from polyocr.lang.vocabulary import Vocabulary


@dataclass
class DecodedLine:
    text: str
    confidence: float
    """Mean of the per-character probabilities (1.0 for an empty line)."""
    char_conf: list[float]
    spans: list[tuple[int, int]]
    """For each character, the strip columns [start, end) where CTC emitted it."""


def greedy_decode(logits: torch.Tensor, widths: torch.Tensor, vocab: Vocabulary) -> list[DecodedLine]:
    """Best path decoding of logits (K, W, V): collapse repeats, drop blanks, keep positions."""
    probs = logits.float().softmax(-1)
    conf, ids = probs.max(-1)
    out = []
    for k in range(logits.shape[0]):
        w = int(widths[k])
        seq, cf = ids[k, :w].tolist(), conf[k, :w].tolist()
        chars, confs, spans = [], [], []
        prev = 0
        for t, (i, c) in enumerate(zip(seq, cf, strict=True)):
            if i != 0 and i != prev:
                chars.append(vocab.chars[i - 1])
                confs.append(c)
                spans.append((t, t + 1))
            elif i != 0 and i == prev and spans:
                spans[-1] = (spans[-1][0], t + 1)
                confs[-1] = max(confs[-1], c)
            prev = i
        text = "".join(chars)
        out.append(DecodedLine(text, float(sum(confs) / len(confs)) if confs else 1.0, confs, spans))
    return out
