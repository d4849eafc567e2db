"""The metrics polyocr is judged by.

- **NED** (normalized edit distance) of a page's text in reading order: Levenshtein distance divided
  by the longer string's length, after NFKC normalization, with whitespace removed for scripts written
  without spaces and collapsed to single spaces otherwise (as Nemotron's evaluation does).
- **Detection** precision, recall and F1 of line quads matched one-to-one at IoU ≥ 0.5.
- **Reading order**: Kendall's tau between the predicted and true order of the matched lines.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from numba import njit

from polyocr.model.postprocess import quad_iou


def normalize(text: str, unspaced: bool) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text) if unspaced else re.sub(r"\s+", " ", text).strip()


@njit(cache=True, nogil=True)
def _levenshtein(a: np.ndarray, b: np.ndarray) -> int:
    n, m = a.shape[0], b.shape[0]
    prev = np.arange(m + 1)
    cur = np.empty(m + 1, np.int64)
    for i in range(1, n + 1):
        cur[0] = i
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev, cur = cur, prev
    return prev[m]


def edit_distance(a: str, b: str) -> int:
    return int(_levenshtein(np.array([ord(c) for c in a], np.int64), np.array([ord(c) for c in b], np.int64)))


def ned(prediction: str, truth: str, unspaced: bool = False) -> float:
    """Normalized edit distance in [0, 1] (0 = identical)."""
    p, t = normalize(prediction, unspaced), normalize(truth, unspaced)
    if not p and not t:
        return 0.0
    return edit_distance(p, t) / max(len(p), len(t))


def match_quads(pred: np.ndarray, truth: np.ndarray, threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one matches (pred index, truth index), greedily by IoU, each ≥ ``threshold``."""
    pairs = []
    for i in range(len(pred)):
        for j in range(len(truth)):
            iou = quad_iou(np.asarray(pred[i], np.float64), np.asarray(truth[j], np.float64))
            if iou >= threshold:
                pairs.append((iou, i, j))
    pairs.sort(reverse=True)
    used_p, used_t, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            out.append((i, j))
    return out


def detection_scores(n_pred: int, n_truth: int, n_matched: int) -> dict[str, float]:
    precision = n_matched / n_pred if n_pred else (1.0 if not n_truth else 0.0)
    recall = n_matched / n_truth if n_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def kendall_tau(order_a: list[int], order_b: list[int]) -> float:
    """Kendall's tau between two orderings of the same items (1 = same order, −1 = reversed)."""
    items = [x for x in order_a if x in set(order_b)]
    if len(items) < 2:
        return 1.0
    pos_b = {x: i for i, x in enumerate(order_b)}
    ranks = [pos_b[x] for x in items]
    concordant = discordant = 0
    for i in range(len(ranks)):
        for j in range(i + 1, len(ranks)):
            if ranks[i] < ranks[j]:
                concordant += 1
            else:
                discordant += 1
    return (concordant - discordant) / (concordant + discordant)
