"""Short lines read unsurely with marks that are not letters (icons, logos the detector took for text) are left out."""

from __future__ import annotations

from polyocr.infer.pipeline import _without_noise
from polyocr.model.ctc import DecodedLine


def line(text: str, p: float) -> tuple[DecodedLine, int]:
    return DecodedLine(text, p, [p] * len(text), [(k, k + 1) for k in range(len(text))]), 40


def test_short_unsure_lines_are_emptied_and_the_rest_kept_as_read():
    lines = [line("(令)", 0.67), line(")。", 0.59), line("75", 0.99), line("•", 0.95),
             line("a long line read unsurely", 0.5), line("", 1.0), line("謝柏容", 0.6), line("27 件", 0.5)]
    out = _without_noise(lines, below=0.7, chars=4)
    # short words of letters alone are kept however unsure (a large charset's probabilities are low)
    assert [d.text for d, _ in out] == ["", "", "75", "•", "a long line read unsurely", "", "謝柏容", "27 件"]
    assert out[0][0].char_conf == [] and out[0][0].spans == []  # no characters left without a place
    assert [steps for _, steps in out] == [40] * 8
    assert out[2][0] is lines[2][0] and out[4][0] is lines[4][0]
