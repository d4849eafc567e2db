"""tools/ned_breakdown.py: the order oracle puts detected lines in the rank of the true line they match."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from ned_breakdown import order_oracle  # noqa: E402


def box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_detected_lines_take_the_rank_of_their_true_line():
    truth = np.array([box(0, 0, 100, 20), box(0, 30, 100, 50), box(0, 60, 100, 80)], np.float64)
    # detected in the wrong order; the last one is half of the first true line (split), one is noise
    pred = np.array([box(0, 60, 100, 80), box(0, 30, 100, 50), box(0, 0, 100, 20), box(0, 0, 40, 20),
                     box(500, 500, 600, 520)], np.float64)
    pairs = [(0, 2), (1, 1), (2, 0)]
    assert order_oracle(pred, truth, pairs) == [2, 3, 1, 0, 4]
