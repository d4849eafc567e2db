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

    Most steps are blank, and a step is blank exactly when the blank's logit is the row's maximum, so the
    class and the probability are worked out on the character steps only: for the others the maximum
    alone is needed (``amax`` in the logits' own precision, several times faster on a CPU than ``max``'s
    values with their indices; ``tools/bench_best_path.py``). The probability is 1 / sum(exp(logit − max)),
    with no softmax tensor of the vocabulary's width.
    """
    top = logits.amax(-1)
    ids = torch.zeros(top.shape, dtype=torch.long, device=logits.device)
    conf = torch.full(top.shape, float("nan"), device=logits.device)
    chars = logits[..., 0] < top
    if chars.any():
        scores = logits[chars].float()
        best, where = scores.max(-1)
        ids[chars] = where
        conf[chars] = (scores - best[:, None]).exp_().sum(-1).reciprocal_()
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
