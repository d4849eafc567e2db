"""The pipeline orders only the lines it read as text: specks take no part in the page's geometry."""

from __future__ import annotations

import numpy as np

import polyocr
from polyocr.infer.pipeline import Detected


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_lines_read_as_nothing_do_not_join_two_columns(checkpoint):
    left = [box(40, 100 + 30 * k, 380, 124 + 30 * k) for k in range(6)]
    right = [box(420, 100 + 30 * k, 760, 124 + 30 * k) for k in range(6)]
    speck = [box(370, 160, 430, 170)]  # a mark across the gutter, read as no text
    det = Detected(np.array(left + speck + right, np.float32), np.ones(13, np.float32), np.zeros(13, bool), 1.0)
    pipeline = polyocr.OCR(checkpoint, reading_order="geometry").pipeline
    kept = [i for i in range(13) if i != 6]
    order, para = pipeline._order(None, det, kept)
    assert order == kept  # the left column, then the right one
    assert len(para) == 13 and para[0] == para[5] != para[7] == para[12]
    order_with_speck, _ = pipeline._order(None, det, list(range(13)))
    assert order_with_speck[:6] != list(range(6))  # with the speck the gutter is gone: rows read across
