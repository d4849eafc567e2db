"""Detector post-processing: ideal maps decode back to their lines; pieces of one line are joined."""

import numpy as np

from polyocr.model.postprocess import decode, link, quad_iou, straighten
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


def rect(cx: float, cy: float, length: float, thick: float, degrees: float) -> np.ndarray:
    """A line's quad, start-top first, reading at ``degrees`` (image axes, y down)."""
    t = np.radians(degrees)
    u, v = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
    c = np.array([cx, cy])
    return np.array([c - length / 2 * u - thick / 2 * v, c + length / 2 * u - thick / 2 * v,
                     c + length / 2 * u + thick / 2 * v, c - length / 2 * u + thick / 2 * v])


def axis(quad: np.ndarray) -> float:
    d = quad[1] - quad[0]
    return float(np.degrees(np.arctan2(d[1], d[0])))


def test_lines_near_the_page_skew_are_set_on_it():
    page = np.stack([rect(300, 40 * k, 400, 20, 1.0) for k in range(1, 6)]
                    + [rect(300, 260, 400, 20, 2.8),   # tilted by its band: turned to 1°
                       rect(300, 300, 400, 20, 15.0),  # a rotated line: kept
                       rect(300, 340, 400, 20, 181.5)])  # upside down, near the skew: turned to 181°
    out = straighten(page, tolerance=2.5)
    assert [round(axis(q), 3) for q in out] == [1.0] * 6 + [15.0, -179.0]
    np.testing.assert_allclose(out[6], page[6])
    for before, after in zip(page, out, strict=True):  # same centre, length, thickness and handedness
        np.testing.assert_allclose(after.mean(0), before.mean(0), atol=1e-9)
        np.testing.assert_allclose(np.linalg.norm(after[3] - after[0]), np.linalg.norm(before[3] - before[0]), rtol=1e-6)
        np.testing.assert_allclose(np.linalg.norm(after[1] - after[0]), np.linalg.norm(before[1] - before[0]), rtol=1e-6)
        assert np.dot(after[3] - after[0], before[3] - before[0]) > 0.99 * 20 * 20  # top stays top
    assert not np.array_equal(out[5], page[5])


def test_straighten_leaves_pages_without_long_lines_alone():
    short = np.stack([rect(100, 50 * k, 40, 20, 2.0 * k) for k in range(1, 4)])
    np.testing.assert_array_equal(straighten(short), short)
    assert straighten(np.zeros((0, 4, 2))).shape == (0, 4, 2)


def bridged_maps(turn: np.ndarray | None = None, offset=(0.0, 0.0)):
    """Ideal maps of two close lines whose bands a detector joined through a one-cell-wide bridge."""
    lines = [horizontal(20, 20, 300, 44), horizontal(20, 52, 300, 76)]
    h, w = 128, 512
    if turn is not None:
        lines = [np.ascontiguousarray(q @ turn.T + offset) for q in lines]
        h, w = w, h
    maps = ideal_maps(lines, [False, False], h, w)
    p0 = (lines[0][0] + lines[0][3]) / 2 * 0.8 + (lines[0][1] + lines[0][2]) / 2 * 0.2  # on each centre line
    p1 = (lines[1][0] + lines[1][3]) / 2 * 0.8 + (lines[1][1] + lines[1][2]) / 2 * 0.2
    x0, y0 = (p0 / 4).astype(int)
    for t in np.linspace(0, 1, 40):
        x, y = ((p0 + t * (p1 - p0)) / 4).astype(int)
        if maps[0, y, x] < 0.5:
            maps[0, y, x] = 0.9
            maps[1:, y, x] = maps[1:, y0, x0]
    return lines, maps


def test_bands_joined_by_a_bridge_are_cut_into_their_lines():
    lines, maps = bridged_maps()
    merged, _, _ = decode(maps, neck=0.0)
    assert len(merged) == 1  # the bridge makes one component: one quad over two lines
    quads, _, _ = decode(maps)
    assert len(quads) == 2
    for line in lines:
        assert max(quad_iou(line, q) for q in quads) > 0.7


def test_cutting_works_across_a_turned_page_and_spares_tall_single_lines():
    turn = np.array([[0.0, -1.0], [1.0, 0.0]])  # reading downwards on a page turned 90 degrees
    lines, maps = bridged_maps(turn, (120.0, 0.0))
    quads, _, _ = decode(maps)
    assert len(quads) == 2 and all(max(quad_iou(line, q) for q in quads) > 0.7 for line in lines)
    heading = [horizontal(20, 20, 400, 84)]  # one line 64 px thick: a band 8 cells tall, full in each
    single, _, _ = decode(ideal_maps(heading, [False], 128, 512))
    assert len(single) == 1 and quad_iou(heading[0], single[0]) > 0.7


def test_a_joined_line_takes_the_axis_of_its_longer_piece():
    # a bullet whose tiny band gave an axis 2.3 degrees off, then its 826-px line: the joined quad must
    # lie on the line, not slide 33 px up at its far end along the bullet's axis
    bullet = np.array([[196.2, 582.1], [211.2, 581.5], [211.7, 595.5], [196.7, 596.1]])
    line = horizontal(207.2, 580.2, 1032.8, 599.3)
    pieces = np.stack([bullet, line])
    assert link(pieces, np.zeros(2, bool), 0.6).tolist() == [0, 0]
    assert quad_iou(pieces[0], horizontal(196.2, 580.2, 1032.8, 599.3)) > 0.95
