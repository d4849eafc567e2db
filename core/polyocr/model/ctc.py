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
    spans: list[tuple[float, float]]
    """For each character, the strip columns [start, end) where CTC emitted it (or, for a line read in
    chunks, the pixels of its crop)."""


def best_path(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The most likely class of every step and, where it is a character (not the blank), its
    probability, for logits (..., V); blank steps get NaN (decoding never reads them).

    The probability is exp(max − logsumexp): no softmax tensor of the vocabulary's width is made,
    which on a page of long lines would be hundreds of megabytes; and the logsumexp over the 14,000
    classes is paid only on the character steps (most steps are blank).
    """
    top, ids = logits.max(-1)  # in the logits' own precision: no float copy of the vocabulary-wide tensor
    top = top.float()
    conf = torch.full_like(top, float("nan"))
    chars = ids != 0
    conf[chars] = (top[chars] - torch.logsumexp(logits[chars].float(), -1)).exp()
    return ids, conf


def collapse(ids: list[int], conf: list[float], vocab: Vocabulary) -> DecodedLine:
    """One line's best path → text: repeats merged, blanks dropped, each character's span kept."""
    chars, confs, spans = [], [], []
    prev = 0
    for t, (i, c) in enumerate(zip(ids, conf, strict=True)):
        if i != 0 and i != prev:
            chars.append(vocab.chars[i - 1])
            confs.append(c)
            spans.append((t, t + 1))
        elif i != 0 and i == prev and spans:
            spans[-1] = (spans[-1][0], t + 1)
            confs[-1] = max(confs[-1], c)
        prev = i
    return DecodedLine("".join(chars), float(sum(confs) / len(confs)) if confs else 1.0, confs, spans)


def greedy_decode(logits: torch.Tensor, widths: torch.Tensor, vocab: Vocabulary) -> list[DecodedLine]:
    """Best path decoding of logits (K, W, V): collapse repeats, drop blanks, keep positions."""
    ids, conf = best_path(logits)
    return [collapse(ids[k, :int(w)].tolist(), conf[k, :int(w)].tolist(), vocab) for k, w in enumerate(widths.tolist())]
