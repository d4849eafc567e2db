"""Lines the detector bridged across a column gutter, cut back apart.

Two columns set close (CJK set solid, a narrow gutter) now and then come out of the detector with a
line or two running across both: their bands touched at the gutter. One such line hides the gutter
from the reading order (no whitespace channel runs down the page any more), and the columns are read
across, line by line. The other lines still leave the gutter empty, and the bridged line's own
characters leave a gap there: that is where it is cut.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from polyocr.model.ctc import DecodedLine


def _frame(quads: np.ndarray) -> np.ndarray:
    """Quads turned so that their median reading direction runs along +x (a skewed or turned page's
    lines become horizontal)."""
    d = quads[:, 1] - quads[:, 0]
    angle = float(np.median(np.arctan2(d[:, 1], d[:, 0])))
    c, s = np.cos(-angle), np.sin(-angle)
    return quads @ np.array([[c, s], [-s, c]])


def bridged_cuts(quads: np.ndarray, reading: np.ndarray, lines: Sequence[DecodedLine], steps: Sequence[int],
                 min_gap: float, min_side: int = 3) -> dict[int, tuple[float, float]]:
    """Lines to cut, and where: {line index: (where the first piece ends, where the second starts), as
    fractions of its ``reading`` quad's length}.

    ``quads`` (K, 4, 2) are the lines as detected, ``reading`` the quads they were read from (padded),
    ``lines``/``steps`` what was read and each crop's length (the unit of the characters' spans). A line
    is cut where a run of ``min_gap`` line thicknesses or more that no other nearby line crosses (a
    gutter with ``min_side`` lines on either side, level with it) falls in a gap between two of its
    characters nearly as wide as the gutter (0.8 of it), if it is set in the size of those lines (not a
    heading over them). Lines that read in different directions are left
    alone (the cut is for a page's columns, not for its turned blocks)."""
    n = len(quads)
    if n < 2 * min_side + 1:
        return {}
    d = quads[:, 1] - quads[:, 0]
    angle = np.arctan2(d[:, 1], d[:, 0])
    if np.abs((angle - np.median(angle) + np.pi) % (2 * np.pi) - np.pi).max() > np.radians(10):
        return {}
    both = _frame(np.concatenate([quads, reading]))
    q, r = both[:n], both[n:]
    boxes = np.concatenate([q.min(axis=1), q.max(axis=1)], axis=1)
    thick = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    unit = float(np.median(thick))
    width = boxes[:, 2] - boxes[:, 0]
    cuts: dict[int, tuple[float, float]] = {}
    for i in np.flatnonzero(width > 2 * np.median(width)):
        near = (boxes[:, 3] > boxes[i, 1] - 10 * unit) & (boxes[:, 1] < boxes[i, 3] + 10 * unit)
        near[i] = False
        near &= (boxes[:, 0] < boxes[i, 2]) & (boxes[:, 2] > boxes[i, 0]) & (width <= 2 * np.median(width))
        others = boxes[near]
        if not len(others) or thick[i] > 1.3 * float(np.median(others[:, 3] - others[:, 1])):
            continue  # a heading over the columns, in a larger size, is not one of their lines
        gutter = _widest_channel(others, boxes[i, 0], boxes[i, 2], min_gap * unit, min_side)
        if gutter is None or len(lines[i].spans) < 2:
            continue
        x0, x1 = float(r[i, 0, 0]), float(r[i, 1, 0])
        length = max(x1 - x0, 1e-6)
        at = [(x0 + length * a / max(steps[i], 1), x0 + length * b / max(steps[i], 1)) for a, b in lines[i].spans]
        for (_, end), (start, _) in zip(at, at[1:]):
            middle = (gutter[0] + gutter[1]) / 2
            if end <= middle <= start and start - end >= 0.8 * (gutter[1] - gutter[0]):
                # the pieces end and start on the characters (reading pads them again), so that the
                # channel the order looks for stays as wide as the gap
                cuts[int(i)] = ((end - x0) / length, (start - x0) / length)
                break
    return cuts


def _widest_channel(boxes: np.ndarray, lo: float, hi: float, min_width: float, min_side: int
                    ) -> tuple[float, float] | None:
    """The widest run of x within (lo, hi) that none of ``boxes`` covers, at least ``min_width`` wide,
    with ``min_side`` boxes wholly on each side; None if there is none."""
    if len(boxes) < 2 * min_side:
        return None
    order = np.argsort(boxes[:, 0], kind="stable")
    best, reach = None, float(boxes[order[0], 2])
    for k in order[1:]:
        start = float(boxes[k, 0])
        if start - reach >= min_width and lo < reach and start < hi:
            left = int((boxes[:, 2] <= reach).sum())
            right = int((boxes[:, 0] >= start).sum())
            if left >= min_side and right >= min_side and (best is None or start - reach > best[1] - best[0]):
                best = (reach, start)
        reach = max(reach, float(boxes[k, 2]))
    return best


def cut_quad(quad: np.ndarray, reading: np.ndarray, cut: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """A detected quad cut in two pieces (start-top first both): the first ends, the second starts, where
    the fractions ``cut`` of its reading quad's length fall."""
    def at(fraction: float) -> tuple[np.ndarray, np.ndarray]:
        point = reading[0] + fraction * (reading[1] - reading[0])
        axis = quad[1] - quad[0]
        t = float(np.dot(point - quad[0], axis) / max(float(np.dot(axis, axis)), 1e-9))
        t = min(max(t, 0.0), 1.0)
        return quad[0] + t * axis, quad[3] + t * (quad[2] - quad[3])

    (top_end, bottom_end), (top_start, bottom_start) = at(cut[0]), at(cut[1])
    first = np.stack([quad[0], top_end, bottom_end, quad[3]])
    second = np.stack([top_start, quad[1], quad[2], bottom_start])
    return first.astype(quad.dtype), second.astype(quad.dtype)
