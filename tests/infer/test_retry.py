"""Unsure lines read again from thicker and thinner quads keep whichever reading is surest."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from polyocr.infer.pipeline import Detected, Pipeline, PipelineConfig, thicken
from polyocr.model.ctc import DecodedLine


def test_thicken_keeps_the_centre_line_and_the_length():
    q = np.array([[[0, 10], [100, 10], [100, 30], [0, 30]]], np.float32)
    t = thicken(q, 1.5)
    assert t.tolist() == [[[0, 5], [100, 5], [100, 35], [0, 35]]]


def line(text, p):
    return DecodedLine(text, p, [p] * len(text), [(k, k + 1) for k in range(len(text))]), 40


def test_only_unsure_lines_are_read_again_and_the_surer_reading_wins():
    quads = np.array([[[0, 0], [100, 0], [100, 20], [0, 20]], [[0, 40], [100, 40], [100, 60], [0, 60]]], np.float32)
    det = Detected(quads, np.ones(2), np.zeros(2, bool), 1.0)
    calls = []

    def read(image, q, vertical):
        calls.append(len(q))
        thick = float(q[0, 3, 1] - q[0, 0, 1])
        return [line("clear", 0.95) if thick > 21 else line("c1ear?", 0.6)]

    fake = SimpleNamespace(cfg=PipelineConfig(retry_below=0.9, end_pad=0.0), _read=read, _padded=lambda q: q)
    lines = [line("sure", 0.97), line("cIear", 0.7)]
    out = Pipeline._retry_unsure(fake, None, det, lines)
    assert calls == [1, 1]  # the unsure line alone, once per scale
    assert out[0][0].text == "sure" and out[1][0].text == "clear"
