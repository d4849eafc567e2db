"""Reading order by page geometry (recursive XY-cut): the fallback the relational model is measured against.

The lines are turned upright (by the page's dominant reading direction), their slant and their
columns' lean (a page photographed at an angle) taken out, then the set is split
recursively at whitespace channels: at each level along the axis whose widest gap, in line heights,
is the larger, reading the pieces top to bottom or left to right (vertical CJK text is turned a
quarter first, so its columns read right to left). Rows are cut where lines are clearly apart, or
where every column has a line again (list and form rows), also between the lines' cores where a form's
rows are set so tight that their boxes touch; a table cell whose text wraps keeps its
lines together and is read before the next cell. Columns are cut at whitespace ``min_col_gap`` wide, or
at a narrower gutter that a few lines poke into where the right column's lines share a left edge;
specks (a character or two at an angle of their own) are placed after the cut, in their row after the
line to their left. Lines no cut separates read in rows, each left to right. Between consecutive lines a
gap wider than ``para_gap`` line heights, or a line that is not under the one before, starts a new
paragraph.
"""

from __future__ import annotations

import numpy as np


def page_rotation(quads: np.ndarray, vertical: np.ndarray) -> int:
    """Clockwise rotation (0, 90, 180, 270) of the page content, from the reading direction of its
    horizontal lines (start-top corner first), weighted by their length."""
    horizontal = ~np.asarray(vertical, bool)
    if not horizontal.any():
        return 0
    d = quads[horizontal, 1] - quads[horizontal, 0]
    weights = np.linalg.norm(d, axis=1)
    quarter = np.round(np.degrees(np.arctan2(d[:, 1], d[:, 0])) / 90.0).astype(int) % 4
    return int(np.argmax(np.bincount(quarter, weights=weights, minlength=4))) * 90


def upright(quads: np.ndarray, rotation: int) -> np.ndarray:
    """Quads (K, 4, 2) turned so that text rotated ``rotation`` degrees clockwise reads upright."""
    pts = quads.reshape(-1, 2)
    x, y = pts[:, 0], pts[:, 1]
    turned = {0: (x, y), 90: (y, -x), 180: (-x, -y), 270: (-y, x)}[rotation % 360]
    return np.stack(turned, axis=1).reshape(quads.shape)


def _deskew(q: np.ndarray) -> np.ndarray:
    """Quads rotated by minus the median slant of the lines (a scan a few degrees off keeps rows apart)."""
    d = q[:, 1] - q[:, 0]
    angle = float(np.median(np.arctan2(d[:, 1], d[:, 0])))
    if abs(angle) < 1e-3 or abs(angle) > np.pi / 8:
        return q
    c, s = np.cos(-angle), np.sin(-angle)
    return q @ np.array([[c, s], [-s, c]])


def _unshear(q: np.ndarray, min_pairs: int = 8, min_lean: float = 0.01, max_lean: float = 0.25) -> np.ndarray:
    """Quads with the lean of their columns taken out. On a page photographed at an angle or warped, lines
    stay level while a column's left edge drifts sideways from line to line (keystone, shear): the
    columns' projections then overlap and the XY-cut finds no gap between them. The lean is the median
    slope of the left edges of pairs of lines of one column, two to twenty line heights apart (a long
    base: the detector's quads are exact to a few pixels only); an edge that moves more than a line
    height beyond the steepest lean allowed (an indent, another column) is no evidence."""
    if len(q) < 3:
        return q
    x0, y0, x1, y1 = q[..., 0].min(axis=1), q[..., 1].min(axis=1), q[..., 0].max(axis=1), q[..., 1].max(axis=1)
    thick = float(np.median(np.maximum(y1 - y0, 1.0)))
    rise = (y0 + y1)[None, :] / 2 - (y0 + y1)[:, None] / 2  # [i, j]: how far j lies under i
    shift = x0[None, :] - x0[:, None]
    overlap = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    narrow = np.minimum(x1 - x0, (x1 - x0)[:, None])
    pair = (rise >= 2 * thick) & (rise <= 20 * thick) & (overlap > 0.5 * narrow)
    pair &= np.abs(shift) <= thick + max_lean * rise
    if pair.sum() < min_pairs:
        return q
    lean = float(np.median(shift[pair] / rise[pair]))
    if not min_lean <= abs(lean) <= max_lean:
        return q
    out = q.copy()
    out[..., 0] -= lean * (q[..., 1] - float(q[..., 1].mean()))
    return out


def _gaps(lo: np.ndarray, hi: np.ndarray) -> list[tuple[float, float]]:
    """Empty intervals (start, end) between the projections [lo, hi] of the boxes on one axis."""
    order = np.argsort(lo, kind="stable")
    out, reach = [], hi[order[0]]
    for i in order[1:]:
        if lo[i] > reach:
            out.append((float(reach), float(lo[i])))
        reach = max(reach, hi[i])
    return out


def _text_columns(b: np.ndarray, xgaps: list[tuple[float, float]], fill: float = 0.8, aspect: float = 6.0) -> bool:
    """Whether the boxes ``b`` between the gaps are columns of running text: in every column of
    several lines most lines are long (``aspect`` times their height) and span nearly the column's
    width (table cells are mostly short, form values ragged)."""
    cuts = np.asarray(sorted((g[0] + g[1]) / 2 for g in xgaps))
    column = np.searchsorted(cuts, (b[:, 0] + b[:, 2]) / 2)
    width, height = b[:, 2] - b[:, 0], np.maximum(b[:, 3] - b[:, 1], 1.0)
    full = []
    for c in np.unique(column):
        w, h = width[column == c], height[column == c]
        if len(w) >= 3:
            full.append(float(np.median(w)) >= max(fill * float(w.max()), aspect * float(np.median(h))))
    return bool(full) and all(full)


def _has_text_columns(b: np.ndarray, unit: float, min_col_gap: float) -> bool:
    xgaps = [g for g in _gaps(b[:, 0], b[:, 2]) if g[1] - g[0] >= min_col_gap * unit] if len(b) > 1 else []
    return (bool(xgaps) and _text_columns(b, xgaps)) or _crossed_gutter(b, unit) is not None


def _crossed_gutter(b: np.ndarray, unit: float, align: float = 0.3, share: float = 0.25,
                    intrude: float = 1.0) -> tuple[float, float] | None:
    """A gutter between columns of running text that a few lines poke into (a mark the detector joined to
    a line's start, a line that runs a little long), so that no whitespace runs from top to bottom: the
    left edge that at least ``share`` of the lines (three or more) start on, within ``align`` line
    thicknesses, away from the region's own left edge, crossed by lines only where they reach at most
    ``intrude`` thicknesses past it (a heading or a line that spans both columns is no such line), and
    confirmed by the columns it makes (:func:`_text_columns`). Its place as a zero-width gap, or ``None``.
    CJK set solid can leave a gutter narrower than ``min_col_gap``, and a degraded scan's quads fill it."""
    n = len(b)
    if n < 6:
        return None
    x0, x1 = b[:, 0], b[:, 2]
    tol = align * unit
    starts = np.sort(x0[x0 > x0.min() + 2 * unit])
    if len(starts) < 3:
        return None
    aligned = np.searchsorted(starts, starts + tol, side="right") - np.arange(len(starts))
    best = int(np.argmax(aligned))
    if aligned[best] < max(3, share * n):
        return None
    cut = float(starts[best]) - 0.5 * tol  # just left of the aligned starts
    crossing = (x0 < cut) & (x1 > cut)
    reach = np.minimum(cut - x0, x1 - cut)
    if crossing.sum() > max(1, 0.1 * n) or (reach[crossing] > intrude * unit).any():
        return None
    left, right = (x0 + x1) / 2 < cut, (x0 + x1) / 2 >= cut
    if left.sum() < 3 or right.sum() < 3 or not _text_columns(b, [(cut, cut)]):
        return None
    return cut, cut


ROW_INSET = 0.1
"""Share of a line's thickness taken off its top and its bottom where tight rows are looked for."""


def _cut(idx: np.ndarray, boxes: np.ndarray, unit: float, min_col_gap: float, row_gap: float) -> list[np.ndarray]:
    """Leaves (arrays of line indices) of ``idx`` in reading order, for horizontal text."""
    if len(idx) <= 1:
        return [idx]
    b = boxes[idx]
    ygaps = _gaps(b[:, 1], b[:, 3])
    xgaps = [g for g in _gaps(b[:, 0], b[:, 2]) if g[1] - g[0] >= min_col_gap * unit]
    tight_rows = False
    if not ygaps and xgaps and not _text_columns(b, xgaps):
        # lines side by side with no gap across the region: rows of a form or table set so tight that
        # their detected boxes (which hold a margin) touch, if the lines' cores leave gaps between them
        inset = ROW_INSET * (b[:, 3] - b[:, 1])
        cores = _gaps(b[:, 1] + inset, b[:, 3] - inset)
        if cores and _full_grid(b, cores, xgaps):
            ygaps, tight_rows = cores, True
    crossed = _crossed_gutter(b, unit) if not xgaps and not tight_rows else None
    if crossed is not None:
        xgaps = [crossed]
    ywide = max((g[1] - g[0] for g in ygaps), default=0.0)
    xwide = max((g[1] - g[0] for g in xgaps), default=0.0)
    if ywide <= 0 and xwide <= 0 and crossed is None:
        # no cut: top to bottom, and lines side by side in one row (words a narrow gap apart, which the
        # detector split) left to right, not by which top happens to be a pixel higher
        return [idx[_rows(b)]]
    # rows first where they are clearly apart (tables), but not across columns of running text, whose
    # paragraph breaks can line up by chance
    along_x = crossed is not None or (not tight_rows and xwide > ywide
                                      and (ywide < row_gap * unit or _text_columns(b, xgaps)))
    gaps = xgaps if along_x else ygaps
    if not along_x:
        # rows are cut at every gap (table and form rows), except where a side of the widest gap holds
        # columns of running text (under a heading that spans them): cutting there at the narrow line
        # gaps the columns share would read them across, line by line
        gaps = _row_gaps(b, ygaps, row_gap * unit)
        widest = max(ygaps, key=lambda g: g[1] - g[0])
        middle = (b[:, 1] + b[:, 3]) / 2
        split = (widest[0] + widest[1]) / 2
        if any(_has_text_columns(b[side], unit, min_col_gap) for side in (middle < split, middle >= split)):
            gaps = [widest]
    cuts = np.asarray(sorted((g[0] + g[1]) / 2 for g in gaps))
    centre = (b[:, 0] + b[:, 2]) / 2 if along_x else (b[:, 1] + b[:, 3]) / 2
    piece = np.searchsorted(cuts, centre)
    leaves: list[np.ndarray] = []
    for p in range(len(cuts) + 1):
        sub = idx[piece == p]
        if len(sub):
            leaves += _cut(sub, boxes, unit, min_col_gap, row_gap) if len(sub) < len(idx) else [sub]
    return leaves


def _full_grid(b: np.ndarray, ygaps: list[tuple[float, float]], xgaps: list[tuple[float, float]]) -> bool:
    """Whether the gaps cut the boxes into a grid with exactly one line in every row and column (label
    and value pairs of a form); a table row whose cells wrap to different numbers of lines is no such grid."""
    row = np.searchsorted(np.asarray(sorted((g[0] + g[1]) / 2 for g in ygaps)), (b[:, 1] + b[:, 3]) / 2)
    col = np.searchsorted(np.asarray(sorted((g[0] + g[1]) / 2 for g in xgaps)), (b[:, 0] + b[:, 2]) / 2)
    cells = set(zip(row.tolist(), col.tolist(), strict=True))
    return len(cells) == len(b) == (len(ygaps) + 1) * (len(xgaps) + 1)


def _row_gaps(b: np.ndarray, ygaps: list[tuple[float, float]], apart: float) -> list[tuple[float, float]]:
    """The gaps between rows among ``ygaps``: all but those where a table cell's text wraps. A narrow gap
    (under ``apart``, and well under the region's usual gap between rows: a cell's lines are set closer
    than its padding) continues the band above it when the band below holds fewer lines, each under a
    line of the band above (the wrapped lines of some of a row's cells): the row is then read cell by
    cell once it is cut into its columns. Rows of a list or a form stay apart."""
    if len(ygaps) < 2:
        return ygaps
    cuts = np.asarray([(g[0] + g[1]) / 2 for g in ygaps])
    band = np.searchsorted(cuts, (b[:, 1] + b[:, 3]) / 2)
    narrow = min(apart, 0.6 * float(np.median([g[1] - g[0] for g in ygaps])))
    keep = []
    for k, g in enumerate(ygaps):
        above, below = b[band == k], b[band == k + 1]
        if not (g[1] - g[0] < narrow and len(below) < len(above) and _wrapped(above, below)):
            keep.append(g)
    return keep


def _wrapped(above: np.ndarray, below: np.ndarray) -> bool:
    """Whether each box of ``below`` could be the wrapped text of a box of ``above``: it overlaps that one
    alone (a line across two cells, a contents entry and its page number, is a row of its own)."""
    return all(((above[:, 0] < x1) & (above[:, 2] > x0)).sum() == 1 for x0, x1 in below[:, [0, 2]])


def heuristic_order(quads: np.ndarray, vertical: np.ndarray, rotation: int = 0, para_gap: float = 0.8,
                    min_col_gap: float = 0.5, row_gap: float = 0.5) -> tuple[list[int], list[int]]:
    """Reading order (line indices) and a paragraph id per line, from the lines' geometry alone.

    Vertical text (most of the text set in columns) is turned a quarter so that its columns, read
    right to left, become rows read top to bottom; the same cut then serves both settings. Blocks set
    at their own angles (labels, stamps, text turned in a margin) are found by the direction of their
    lines, ordered among themselves by the XY-cut of their boxes, and each read along its own axis. A page
    with no main direction (:data:`MAIN_DIRECTION`: stickers and labels turned every way) is read as scene
    text instead: its blocks top to bottom down the image as it stands, each in its own frame.
    """
    n = len(quads)
    if n == 0:
        return [], []
    vertical = np.asarray(vertical, bool)
    q = upright(np.asarray(quads, np.float64), rotation)
    groups = direction_groups(q)
    if len(groups) > 1 and _no_main_direction(q, vertical):
        return _order_scattered_blocks(np.asarray(quads, np.float64), q, groups, para_gap, min_col_gap, row_gap)
    if len(groups) > 1:
        return _order_blocks(q, groups, para_gap, min_col_gap, row_gap)
    length = np.linalg.norm(q[:, 1] - q[:, 0], axis=1)
    if length[vertical].sum() > length[~vertical].sum():
        q = upright(q, 90)
    return _order_one_direction(_unshear(_deskew(q)), para_gap, min_col_gap, row_gap)


def _order_one_direction(q: np.ndarray, para_gap: float, min_col_gap: float, row_gap: float
                         ) -> tuple[list[int], list[int]]:
    """Order and paragraphs of lines that all read left to right (give or take a small skew)."""
    n = len(q)
    boxes = np.concatenate([q.min(axis=1), q.max(axis=1)], axis=1)  # x0, y0, x1, y1
    thick = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    unit = float(np.median(thick))
    if _scattered(boxes):
        order = _rows(boxes)
    else:
        order = np.concatenate(_cut(np.arange(n), boxes, unit, min_col_gap, row_gap)).tolist()
    para = [0] * n
    for prev, i in zip(order, order[1:]):
        same = _same_paragraph(boxes[prev], boxes[i], para_gap, 0.25 * unit)
        para[i] = para[prev] if same else para[prev] + 1
    return order, para


ANGLE_TOLERANCE = np.radians(12.0)


def _angle_differences(q: np.ndarray) -> np.ndarray:
    """(K, K) absolute differences, in radians within [0, π], of the lines' reading directions."""
    d = q[:, 1] - q[:, 0]
    angle = np.arctan2(d[:, 1], d[:, 0])
    return np.abs((angle[:, None] - angle[None, :] + np.pi) % (2 * np.pi) - np.pi)


def direction_groups(q: np.ndarray) -> list[np.ndarray]:
    """Lines grouped into blocks of one reading direction: neighbours (close across and along their
    direction) whose directions differ by less than ``ANGLE_TOLERANCE``. One group when every line
    reads the same way, however far apart."""
    d = q[:, 1] - q[:, 0]
    diff = _angle_differences(q)
    if diff.max() < ANGLE_TOLERANCE:
        return [np.arange(len(q))]
    length = np.maximum(np.linalg.norm(d, axis=1), 1e-6)
    u = d / length[:, None]
    normal = np.stack([-u[:, 1], u[:, 0]], axis=1)
    thick = np.linalg.norm(q[:, 3] - q[:, 0], axis=1)
    unit = float(np.median(thick))
    rel = q.mean(axis=1)[None, :] - q.mean(axis=1)[:, None]  # [i, j]: centre j - centre i
    along = np.abs((rel * u[:, None]).sum(-1))
    across = np.abs((rel * normal[:, None]).sum(-1))
    near = (diff < ANGLE_TOLERANCE) & (across < 2.5 * unit) & (along < (length[:, None] + length[None, :]) / 2 + 2 * unit)
    near |= near.T
    group = _components(near)
    return [np.flatnonzero(group == g) for g in np.unique(group)]


def _components(linked: np.ndarray) -> np.ndarray:
    """A label per item of the symmetric relation ``linked`` (K, K): items linked directly or through
    others share one, the smallest index among them."""
    group = np.full(len(linked), -1)
    for start in range(len(linked)):
        if group[start] >= 0:
            continue
        group[start] = start
        stack = [start]
        while stack:
            i = stack.pop()
            for j in np.flatnonzero(linked[i] & (group < 0)):
                group[j] = start
                stack.append(j)
    return group


MAIN_DIRECTION = 0.75
"""Share of the text (by line length) that must read along the page's own direction (across it, or down
it for vertical lines) for the page to have one: blocks turned away from it are then read where the
XY-cut of the page puts them (:func:`_order_blocks`)."""


def _no_main_direction(q: np.ndarray, vertical: np.ndarray) -> bool:
    """Whether no direction carries :data:`MAIN_DIRECTION` of the text of upright lines ``q``: blocks at
    angles of their own (stickers, stamps, labels turned every way, a scene) rather than a page."""
    d = q[:, 1] - q[:, 0]
    angle = np.arctan2(d[:, 1], d[:, 0])
    length = np.linalg.norm(d, axis=1)
    along = np.where(vertical, np.abs(angle - np.pi / 2), np.abs(angle)) < ANGLE_TOLERANCE
    return bool(length[along].sum() < MAIN_DIRECTION * max(float(length.sum()), 1e-6))


def _order_in_own_frame(q: np.ndarray, para_gap: float, min_col_gap: float, row_gap: float
                        ) -> tuple[list[int], list[int]]:
    """Order and paragraphs of one block's lines, turned by their median direction to read left to right."""
    dg = q[:, 1] - q[:, 0]
    theta = float(np.arctan2(np.median(dg[:, 1]), np.median(dg[:, 0])))
    c, s = np.cos(theta), np.sin(theta)
    return _order_one_direction(q @ np.array([[c, -s], [s, c]]), para_gap, min_col_gap, row_gap)


def _overlapping_joined(image_q: np.ndarray, groups: list[np.ndarray], share: float = 0.5) -> list[np.ndarray]:
    """Groups whose boxes overlap by ``share`` of the smaller one joined into one block: a turned block's
    line the detector broke into pieces at angles a little apart is one block still, not several."""
    boxes = np.array([np.r_[image_q[g].reshape(-1, 2).min(0), image_q[g].reshape(-1, 2).max(0)] for g in groups])
    w = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    h = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1])
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    smaller = np.maximum(np.minimum(area[:, None], area[None, :]), 1e-6)
    label = _components((w > 0) & (h > 0) & (w * h >= share * smaller))
    return [np.sort(np.concatenate([groups[k] for k in np.flatnonzero(label == lab)])) for lab in np.unique(label)]


def _order_scattered_blocks(image_q: np.ndarray, q: np.ndarray, groups: list[np.ndarray], para_gap: float,
                            min_col_gap: float, row_gap: float) -> tuple[list[int], list[int]]:
    """Blocks of a page with no main direction, read as scene text is: top to bottom down the image as it
    is (``image_q``: a block turned a quarter says nothing of which side is the top), blocks whose tops
    are level within a line's thickness left to right, each block's lines in the block's own frame."""
    groups = _overlapping_joined(image_q, groups)
    boxes = np.array([[image_q[g][..., 0].min(), image_q[g][..., 1].min(), image_q[g][..., 0].max(),
                       image_q[g][..., 1].max()] for g in groups])
    order: list[int] = []
    para = [0] * len(q)
    next_para = 0
    unit = float(np.median(np.linalg.norm(q[:, 3] - q[:, 0], axis=1)))
    for k in _rows(boxes, tolerance=unit):
        g = groups[k]
        local, local_para = _order_in_own_frame(q[g], para_gap, min_col_gap, row_gap)
        for j in local:
            order.append(int(g[j]))
            para[int(g[j])] = next_para + local_para[j]
        next_para += max(local_para) + 1
    return order, para


def _order_blocks(q: np.ndarray, groups: list[np.ndarray], para_gap: float, min_col_gap: float,
                  row_gap: float) -> tuple[list[int], list[int]]:
    """Lines that read across the page (as turned upright by its rotation) stay single, each block turned
    away from that becomes one item (even where more text is turned than not: its lines are then still
    read in their own block's frame); the items are ordered by the XY-cut of their boxes, and inside each
    turned block its lines, turned to read left to right, are ordered as one page."""
    d = q[:, 1] - q[:, 0]
    off = np.abs(np.arctan2(d[:, 1], d[:, 0])) >= ANGLE_TOLERANCE
    blocks = [g for g in groups if off[g].all()]
    singles = [i for g in groups if not off[g].all() for i in g]
    items = blocks + [np.array([i]) for i in singles]
    unit = float(np.median(np.linalg.norm(q[:, 3] - q[:, 0], axis=1)))
    boxes_of = np.concatenate([q.min(axis=1), q.max(axis=1)], axis=1)  # each line's upright box
    height = np.maximum(boxes_of[:, 3] - boxes_of[:, 1], 1.0)
    boxes = np.array([[q[g][..., 0].min(), q[g][..., 1].min(), q[g][..., 0].max(), q[g][..., 1].max()] for g in items])
    singles_only = np.array([len(g) == 1 and not off[g[0]] for g in items])
    if _scattered(boxes, stacked=singles_only):  # in rows, a speck is a word like any other
        items = [items[k] for k in _rows(boxes)]
    else:
        specks = _specks(q, items, off)
        main = np.flatnonzero(~specks)
        ranked = main[np.concatenate(_cut(np.arange(len(main)), boxes[main], unit, min_col_gap, row_gap))]
        items = [items[k] for k in _with_specks(ranked.tolist(), np.flatnonzero(specks).tolist(), boxes)]
    order: list[int] = []
    para = [0] * len(q)
    next_para, prev_single = 0, False
    for g in items:
        if len(g) == 1 and not off[g[0]]:  # a line of the page's direction: it may continue the paragraph before
            i = int(g[0])
            if not (prev_single and _same_paragraph(boxes_of[order[-1]], boxes_of[i], para_gap,
                                                    0.25 * min(height[order[-1]], height[i]))):
                next_para += 1
            order.append(i)
            para[i] = next_para
            prev_single = True
            continue
        local, local_para = _order_in_own_frame(q[g], para_gap, min_col_gap, row_gap)
        next_para += 1
        for k in local:
            order.append(int(g[k]))
            para[int(g[k])] = next_para + local_para[k]
        next_para += max(local_para)
        prev_single = False
    return order, para


SPECK = 3.0
"""A line turned away from the page that is shorter than this many times its thickness (a character or
two, at an angle of its own) is a speck: a mark, a stamp's fragment, a rule's piece read as a line."""


def _specks(q: np.ndarray, items: list[np.ndarray], off: np.ndarray) -> np.ndarray:
    """Which items are specks (:data:`SPECK`), when some items are not. A speck's upright box, a short
    quad at a steep angle, reaches across the rows around it and would join them in the XY-cut (a
    form's label and value rows then read as one block), so specks are placed after the cut."""
    length = np.linalg.norm(q[:, 1] - q[:, 0], axis=1)
    thick = np.linalg.norm(q[:, 3] - q[:, 0], axis=1)
    speck = np.array([len(g) == 1 and bool(off[g[0]]) and length[g[0]] < SPECK * thick[g[0]] for g in items])
    return speck if (~speck).sum() >= 2 else np.zeros(len(items), bool)


def _with_specks(ranked: list[int], specks: list[int], boxes: np.ndarray) -> list[int]:
    """``ranked`` items with each speck put in its row: right after the nearest item of its row to its left
    (a value after its label), else right before the nearest to its right; a speck in no item's row goes
    after the item whose box centre is nearest its own. (By centres alone a short value at the end of a
    long label went after the value above it, whose centre is nearer than its own label's.)"""
    if not specks:
        return ranked
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    main = np.asarray(ranked)
    after: dict[int, list[int]] = {}
    before: dict[int, list[int]] = {}
    for k in specks:
        cx, cy = centre[k]
        row = main[(boxes[main, 1] <= cy) & (boxes[main, 3] >= cy)]
        left, right = row[boxes[row, 2] <= cx], row[boxes[row, 0] >= cx]
        if len(left):
            after.setdefault(int(left[np.argmax(boxes[left, 2])]), []).append(k)
        elif len(right):
            before.setdefault(int(right[np.argmin(boxes[right, 0])]), []).append(k)
        else:
            nearest = min(ranked, key=lambda m: float(np.hypot(*(centre[m] - centre[k]))))
            after.setdefault(nearest, []).append(k)
    return [k for m in ranked for k in [*before.get(m, []), m, *after.get(m, [])]]


ALIGNED = 0.3
"""Left edges this many line thicknesses apart or closer are one edge (a table column's, a list's)."""
TABLE_ROW = 2.5
"""Lines on one left edge with at most this many line thicknesses between them are set, not scattered:
table rows are a line or two apart (cell padding), words of a scene seldom share an edge."""


def _scattered(boxes: np.ndarray, stacked: np.ndarray | None = None, share: float = 0.5) -> bool:
    """Whether items (upright boxes x0, y0, x1, y1) lie scattered over the page, as words in a scene or
    blocks stuck on at their own angles do, rather than set in paragraphs, columns, lists or tables:
    three or more, and fewer than ``share`` of them sit right above or below a like one (a gap under a
    line's thickness, overlapping across, of similar thickness) or in a table's column (three or more on
    one left edge, each a row or two from the next). Only items flagged in ``stacked`` (all
    by default) can count as set; a turned block counts as scattered among the rest."""
    n = len(boxes)
    if n < 3:
        return False
    thick = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    small = np.minimum(thick[:, None], thick[None, :])
    gap = np.maximum(boxes[None, :, 1] - boxes[:, None, 3], boxes[:, None, 1] - boxes[None, :, 3])
    overlap = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    width = np.minimum(boxes[:, None, 2] - boxes[:, None, 0], boxes[None, :, 2] - boxes[None, :, 0])
    like = np.maximum(thick[:, None], thick[None, :]) <= 1.5 * small
    near = (gap >= -0.25 * small) & (gap <= small) & (overlap >= 0.3 * width) & like
    np.fill_diagonal(near, False)
    # a table's column: three cells or more, each a row from the next (the cells' padding makes the gap
    # wider than a line), on one left edge
    aligned = (np.abs(boxes[:, None, 0] - boxes[None, :, 0]) <= ALIGNED * small) & like
    aligned &= (gap >= -0.25 * small) & (gap <= TABLE_ROW * small)
    np.fill_diagonal(aligned, False)
    column = _components(aligned)
    set_ = near.any(axis=1) | (np.bincount(column, minlength=n)[column] >= 3)
    set_ = set_ if stacked is None else set_ & stacked
    return bool(set_.mean() < share)


def _rows(boxes: np.ndarray, tolerance: float | None = None) -> list[int]:
    """Scattered items in reading order: top to bottom in rows (an item starts a new row when its top lies
    below the row's first item by more than half that item's height, or than ``tolerance`` when given:
    blocks of several lines start a row of their own unless their tops are level), each row left to right."""
    order = np.lexsort((boxes[:, 0], boxes[:, 1]))
    rows: list[list[int]] = []
    for i in order.tolist():
        if rows:
            first = rows[-1][0]
            within = 0.5 * (boxes[first, 3] - boxes[first, 1]) if tolerance is None else tolerance
            if boxes[i, 1] - boxes[first, 1] <= within:
                rows[-1].append(i)
                continue
        rows.append([i])
    return [i for row in rows for i in sorted(row, key=lambda k: boxes[k, 0])]


def _same_paragraph(a: np.ndarray, b: np.ndarray, para_gap: float, slack: float) -> bool:
    """Whether upright line ``b`` (box x0, y0, x1, y1) continues the paragraph of line ``a`` before it:
    under it (overlapping it by at most ``slack``), closer than ``para_gap`` line heights, and not
    beside it."""
    thick = max(a[3] - a[1], b[3] - b[1], 1.0)
    gap = b[1] - a[3]
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    return bool(0 <= gap + slack and gap <= para_gap * thick and overlap > 0)
