"""A block read the wrong way round (reversed, or the wrong kind of vertical line) is caught by reading it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from polyocr.eval.metrics import ned
from polyocr.infer.orientation import other_ways, reversed_quads, sureness, turn
from polyocr.model.ctc import DecodedLine

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def line(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_reversing_twice_gives_the_same_quads_and_keeps_the_start_top_corner_rule():
    q = np.array([line(10, 20, 300, 40)], np.float32)
    r = reversed_quads(q)
    assert r[0, 0].tolist() == [300, 40] and r[0, 1].tolist() == [10, 40]  # reads right to left, upside down
    assert np.array_equal(reversed_quads(r), q)


def test_lines_running_down_the_page_are_also_tried_as_the_other_kind_of_line():
    across = np.array([line(10, 20, 300, 40)], np.float32)
    assert other_ways(across) == [(True, False)]
    column = np.array([[[40, 10], [40, 300], [20, 300], [20, 10]]], np.float32)
    assert set(other_ways(column)) == {(True, False), (False, True), (True, True)}
    quads, vertical = turn(column, np.array([True]), (True, True))
    assert np.array_equal(quads, reversed_quads(column)) and vertical.tolist() == [False]


def test_sureness_prefers_many_sure_characters_to_many_guessed_ones():
    sure = DecodedLine("hello", 0.95, [0.95] * 5, [(0, 1)] * 5)
    guessed = DecodedLine("oʃʃǝɥ日", 0.55, [0.7, 0.5, 0.4, 0.6, 0.5, 0.6], [(0, 1)] * 6)
    assert sureness([sure]) > sureness([guessed])


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR
    return OCR(threads=2)


def test_a_page_the_detector_reads_backwards_is_turned_back(ocr, monkeypatch):
    """Every detected line reversed (the detector's direction wrong by 180°): read as detected the page is
    noise; with the check, the bundled model reads it as it reads the page the right way round."""
    image = np.asarray(Image.open(SAMPLES / "en.jpg").convert("RGB"))
    image = image[: image.shape[0] // 2]
    pipeline = ocr.pipeline
    upright = pipeline.page(image).text
    detect = type(pipeline)._detect

    def backwards(self, *args, **kwargs):
        fused, det = detect(self, *args, **kwargs)
        det.quads = reversed_quads(det.quads)
        return fused, det

    monkeypatch.setattr(type(pipeline), "_detect", backwards)
    checked = pipeline.page(image).text
    monkeypatch.setattr(pipeline, "cfg", type(pipeline.cfg)(**{**pipeline.cfg.__dict__, "orientation_check": 0.0}))
    unchecked = pipeline.page(image).text
    assert ned(unchecked, upright) > 0.5
    assert ned(checked, upright) < 0.05
