import numpy as np
import pytest

from polyocr.eval.metrics import detection_scores, edit_distance, kendall_tau, match_quads, ned


def test_edit_distance_and_ned():
    assert edit_distance("kitten", "sitting") == 3
    assert ned("kitten", "sitting") == pytest.approx(3 / 7)
    assert ned("日本 語", "日本語", unspaced=True) == 0.0
    assert ned("a  b\nc", "a b c") == 0.0
    assert ned("ＡＢＣ", "ABC") == 0.0  # NFKC
    assert ned("", "") == 0.0 and ned("abc", "") == 1.0


def test_matching_and_f1():
    truth = np.array([[[0, 0], [10, 0], [10, 5], [0, 5]], [[0, 10], [10, 10], [10, 15], [0, 15]]], float)
    pred = np.array([[[0, 0.5], [10, 0.5], [10, 5.5], [0, 5.5]], [[50, 50], [60, 50], [60, 55], [50, 55]]], float)
    pairs = match_quads(pred, truth)
    assert pairs == [(0, 0)]
    s = detection_scores(len(pred), len(truth), len(pairs))
    assert s["precision"] == 0.5 and s["recall"] == 0.5 and s["f1"] == 0.5


def test_kendall_tau():
    assert kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert kendall_tau([1, 2, 3], [2, 1, 3]) == pytest.approx(1 / 3)
