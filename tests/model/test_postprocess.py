"""Detector post-processing: ideal maps decode back to their lines; pieces of one line are joined."""

import numpy as np

from polyocr.model.postprocess import decode, link, quad_iou
from polyocr.model.targets import make_targets


def horizontal(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


def ideal_maps(quads, vertical, h, w):
    """The maps a perfect detector would output (probabilities on channels 0 and 5)."""
    t = make_targets(np.asarray(quads, np.float32), np.asarray(vertical, bool), h, w)
    return np.concatenate([t["score"][None], t["dist"], t["dir"], t["vertical"][None]]).astype(np.float32)


def test_ideal_maps_decode_to_their_lines():
    lines = [horizontal(20, 20, 300, 44), horizontal(20, 60, 220, 84), horizontal(340, 20, 500, 44)]
    quads, scores, vertical = decode(ideal_maps(lines, [False] * 3, 128, 512))
    assert len(quads) == 3 and not vertical.any()
    for line in lines:
        assert max(quad_iou(line, q) for q in quads) > 0.7


def test_pieces_of_one_line_are_joined_and_neighbours_are_not():
    pieces = np.stack([horizontal(20, 20, 120, 44), horizontal(128, 21, 300, 45),  # a wide word space: one line
                       horizontal(20, 60, 220, 84),                                 # the next line
                       horizontal(340, 20, 500, 44)]).astype(np.float64)            # the next column
    into = link(pieces.copy(), np.zeros(4, bool), 0.6)
    assert into.tolist() == [0, 0, 2, 3]
    joined = pieces.copy()
    link(joined, np.zeros(4, bool), 0.6)
    assert quad_iou(joined[0], horizontal(20, 20, 300, 45)) > 0.95


def test_joining_works_in_any_direction():
    # the same two pieces on a page turned 90 degrees (reading downwards)
    turn = np.array([[0.0, 1.0], [-1.0, 0.0]])
    pieces = np.stack([horizontal(20, 20, 120, 44), horizontal(128, 20, 300, 44)]) @ turn.T + [600.0, 0.0]
    into = link(np.ascontiguousarray(pieces), np.zeros(2, bool), 0.6)
    assert into.tolist() == [0, 0]
    far = np.stack([horizontal(20, 20, 120, 44), horizontal(150, 20, 300, 44)])  # 30 px = 1.25 thicknesses apart
    assert link(far, np.zeros(2, bool), 0.6).tolist() == [0, 1]
