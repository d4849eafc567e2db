"""A line the detector ran across a column gutter is cut there; a heading over the columns is not."""

from __future__ import annotations

import numpy as np

from polyocr.infer.gutters import bridged_cuts, cut_quad
from polyocr.infer.order import heuristic_order
from polyocr.model.ctc import DecodedLine


def box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def read_as(x0: float, x1: float, chars: list[tuple[float, float]]) -> tuple[DecodedLine, int]:
    """What the recognizer would give for a line from x0 to x1 (read unpadded, 1 crop pixel per page
    pixel): characters at the given page x ranges."""
    spans = [(a - x0, b - x0) for a, b in chars]
    return DecodedLine("x" * len(chars), 0.9, [0.9] * len(chars), spans), int(x1 - x0)


def page(heading_gap: bool = False):
    """A heading, then two columns of eight lines (gutter 380–400, lines 24 thick); the first body line
    runs across both columns, its characters leaving the gutter empty."""
    quads = [box(40, 20, 740, 68)]  # the heading, twice as thick
    lines = [read_as(40, 740, [(x, x + 40) for x in range(40, 700, 44)])]
    if heading_gap:
        lines[0] = read_as(40, 740, [(x, x + 40) for x in range(40, 360, 44)] + [(402, 442)])
    quads.append(box(40, 90, 740, 114))
    lines.append(read_as(40, 740, [(x, x + 16) for x in range(40, 372, 20)] + [(x, x + 16) for x in range(402, 730, 20)]))
    for k in range(1, 8):
        y = 90 + 30 * k
        for x0, x1 in ((40, 380), (400, 740)):
            quads.append(box(x0, y, x1, y + 24))
            lines.append(read_as(x0, x1, [(x, x + 16) for x in range(x0, x1 - 16, 20)]))
    return np.array(quads, np.float64), lines


def test_the_bridged_line_is_cut_at_the_gutter_and_the_columns_read_one_after_the_other():
    quads, lines = page()
    cuts = bridged_cuts(quads, quads, [d for d, _ in lines], [s for _, s in lines], min_gap=0.5)
    assert list(cuts) == [1]
    first, second = cut_quad(quads[1], quads[1], cuts[1])
    assert first[:, 0].max() <= 385 and second[:, 0].min() >= 395 and first[0, 0] == 40 and second[1, 0] == 740
    pieces = np.concatenate([quads[:1], first[None], quads[2:], second[None]])
    order, _ = heuristic_order(pieces, np.zeros(len(pieces), bool))
    left = [0, 1] + list(range(2, 16, 2))  # heading, the cut line's first piece, the left column
    assert order[:9] == left and order[9] == len(pieces) - 1  # then the second piece heads the right column


def test_a_heading_over_the_columns_is_not_cut_even_with_a_gap_at_the_gutter():
    quads, lines = page(heading_gap=True)
    cuts = bridged_cuts(quads, quads, [d for d, _ in lines], [s for _, s in lines], min_gap=0.5)
    assert 0 not in cuts
