"""CTC decoding that keeps what a reader needs: each character's confidence and its column span."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from numba import njit

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
    class and the probability are worked out on the character steps only. The probability is
    1 / sum(exp(logit − max)), with no softmax tensor of the vocabulary's width. bfloat16 logits on a CPU
    (the reading head's output there) go to one numba kernel (:func:`_best_path_bf16`), others to
    :func:`best_path_torch`; ``tools/bench_best_path.py`` compares them.
    """
    if logits.device.type == "cpu" and logits.dtype == torch.bfloat16 and logits.shape[-1] > 1:
        rows = logits.reshape(-1, logits.shape[-1]).contiguous()
        ids = np.empty(len(rows), np.int64)
        conf = np.empty(len(rows), np.float32)
        _best_path_bf16(rows.view(torch.int16).numpy(), ids, conf)
        return torch.from_numpy(ids).view(logits.shape[:-1]), torch.from_numpy(conf).view(logits.shape[:-1])
    return best_path_torch(logits)


def best_path_torch(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`best_path` in PyTorch operations (any device, any precision): ``amax`` over every step (in
    the logits' own precision, several times faster on a CPU than ``max``'s values with their indices),
    the class and the probability over the character steps only."""
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


@njit(cache=True, nogil=True, inline="always")
def _order_key(bits: np.int16) -> np.int32:
    """An integer that orders like the bfloat16 number with these bits (see :func:`_best_path_bf16`)."""
    k = np.int32(bits)
    k = k ^ ((k >> 15) & 0x7FFF)
    return k if k != -1 else np.int32(0)


@njit(cache=True, nogil=True, fastmath=True)
def _best_path_bf16(bits: np.ndarray, ids: np.ndarray, conf: np.ndarray) -> None:
    """:func:`best_path` of bfloat16 logits (rows, V), given as their int16 bit patterns, into ``ids`` and
    ``conf``. Every pass is a loop the compiler vectorizes: PyTorch's version spends most of its time
    gathering the character rows, converting them to float32 and taking ``max`` with indices.

    * A bfloat16 number's bits, as a signed integer ``k``, order like the numbers once the magnitude bits
      of the negative ones are flipped (``k ^ 0x7FFF``; −0 then ranks under +0 and is moved up to it):
      the row's maximum and the blank test are integer comparisons, exactly those of the floats.
    * The class is the first index holding the maximum, as ``torch.max`` chooses.
    * exp(x − max) is 2ⁿ · e^r (n = round((x − max) / ln 2), |r| ≤ ln 2 / 2, e^r by its Taylor series to
      r⁶: relative error under 2e-7), 2ⁿ built from its exponent bits; the terms are summed in float64.
    """
    n, v = bits.shape
    wide = np.empty(v, np.int32)
    values = wide.view(np.float32)
    power_bits = np.empty(v, np.int32)
    power = power_bits.view(np.float32)
    log2e, ln2_hi, ln2_lo = np.float32(1.4426950408889634), np.float32(0.693359375), np.float32(-2.12194440e-4)
    floor_x = np.float32(-87.0)  # exp(-87) is below anything a sum of at least 1 can hold
    for r in range(n):
        row = bits[r]
        top = np.int32(-32768)
        for j in range(v):
            top = max(top, _order_key(row[j]))
        if _order_key(row[0]) == top:
            ids[r] = 0
            conf[r] = np.nan
            continue
        best = 1
        for j in range(1, v):
            if _order_key(row[j]) == top:
                best = j
                break
        ids[r] = best
        for j in range(v):
            wide[j] = np.int32(row[j]) << 16
        m = values[best]
        for j in range(v):
            x = max(values[j] - m, floor_x)
            e = np.floor(x * log2e + np.float32(0.5))
            t = x - e * ln2_hi - e * ln2_lo
            values[j] = np.float32(1.0) + t * (np.float32(1.0) + t * (np.float32(0.5) + t * (
                np.float32(1.0 / 6.0) + t * (np.float32(1.0 / 24.0) + t * (np.float32(1.0 / 120.0)
                                                                          + t * np.float32(1.0 / 720.0))))))
            power_bits[j] = (np.int32(e) + 127) << 23
        total = 0.0
        for j in range(v):
            total += values[j] * power[j]
        conf[r] = 1.0 / total


QUOTE_FAMILIES = ("'’‘`´′", '"”“″')
"""Code points of one drawing: a single quote mark, a double one. Fonts draw the members of a family
alike (a typewriter apostrophe and a right single quote differ by a curl a few pixels wide)."""
_FAMILY = {c: k for k, family in enumerate(QUOTE_FAMILIES) for c in family}


def collapse(ids: list[int], conf: list[float], vocab: Vocabulary) -> DecodedLine:
    """One line's best path → text: repeats merged, blanks dropped, each character's span kept.

    Two different quote marks of one family (:data:`QUOTE_FAMILIES`) on consecutive steps, with no blank
    between them, are one mark whose steps the recognizer split between two code points (``you’'ll``
    for ``you’ll``: 7 such pairs on the 48 real pages, none of them two marks in the truth): they merge
    as a repeat does, into the typographic mark where one is (typeset text sets curly quotes; the straight
    one beside it is the recognizer hedging), else into the surer of the two. A single mark and a double
    one so (``Debian’”``, ``'”modern``: a double mark is two strokes, and the steps that see only its
    first read a single one; 10 such pairs on the real pages, none two marks in the truth) are the double
    mark, curled the single one's way where the double one is straight (``’"`` → ``”``)."""
    chars, confs, spans = [], [], []
    prev = 0
    for t, (i, c) in enumerate(zip(ids, conf, strict=True)):
        ch = vocab.chars[i - 1] if i != 0 else ""
        if i != 0 and i != prev and prev != 0 and _same_mark(chars[-1], ch):
            if _surer_mark(ch, c, chars[-1], confs[-1]):
                chars[-1], confs[-1] = ch, c
            spans[-1] = (spans[-1][0], t + 1)
        elif i != 0 and i != prev and prev != 0 and _single_and_double(chars[-1], ch):
            chars[-1], confs[-1] = _double_of(chars[-1], ch), max(confs[-1], c)
            spans[-1] = (spans[-1][0], t + 1)
        elif i != 0 and i != prev:
            chars.append(ch)
            confs.append(c)
            spans.append((t, t + 1))
        elif i != 0 and i == prev and spans:
            spans[-1] = (spans[-1][0], t + 1)
            confs[-1] = max(confs[-1], c)
        prev = i
    return DecodedLine("".join(chars), float(sum(confs) / len(confs)) if confs else 1.0, confs, spans)


def _same_mark(a: str, b: str) -> bool:
    family = _FAMILY.get(a)
    return family is not None and family == _FAMILY.get(b)


_CURLED = {"‘": "“", "’": "”", "′": "″", "`": "“", "´": "”"}
"""A single mark's double counterpart, the same way curled."""


def _single_and_double(a: str, b: str) -> bool:
    return {_FAMILY.get(a), _FAMILY.get(b)} == {0, 1}


def _double_of(a: str, b: str) -> str:
    """The one mark a single and a double quote mark read on consecutive steps stand for."""
    single, double = (a, b) if _FAMILY[a] == 0 else (b, a)
    return _CURLED.get(single, double) if double == '"' else double


def _surer_mark(new: str, new_conf: float, old: str, old_conf: float) -> bool:
    """Whether ``new`` should replace ``old`` when both are one quote mark: typographic over ASCII, then
    the higher probability."""
    return (not new.isascii(), new_conf) > (not old.isascii(), old_conf)


def greedy_decode(logits: torch.Tensor, widths: torch.Tensor, vocab: Vocabulary) -> list[DecodedLine]:
    """Best path decoding of logits (K, W, V): collapse repeats, drop blanks, keep positions."""
    ids, conf = best_path(logits)
    return [collapse(ids[k, :int(w)].tolist(), conf[k, :int(w)].tolist(), vocab) for k, w in enumerate(widths.tolist())]
