"""Detector maps → oriented line quads, in numba: connected bands, their frames, then NMS.

Each connected component of the centre band is one line, unless it is several bands joined by a
narrow bridge of cells (lines set with little leading), which are cut apart at the neck. Its reading
axis is the principal axis of its cells when it is elongated (oriented by the predicted direction),
else the mean predicted direction; its extent along that axis is the band's extent (plus the trimmed
ends); its top and bottom edges are the mean of the per-pixel predicted distances. Quads come out start-top first. NMS (polygon
IoU) removes duplicates where overlapping tiles of a large page saw the same line.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polyocr.model.targets import END_TRIM


@njit(cache=True, nogil=True)
def pixel_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    h, w = mask.shape
    labels = np.full((h, w), -1, np.int32)
    stack = np.empty(h * w * 2, np.int32)
    n = 0
    for y in range(h):
        for x in range(w):
            if not mask[y, x] or labels[y, x] >= 0:
                continue
            top = 0
            stack[0], stack[1] = y, x
            top = 2
            labels[y, x] = n
            while top > 0:
                top -= 2
                cy, cx = stack[top], stack[top + 1]
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and labels[ny, nx] < 0:
                            labels[ny, nx] = n
                            stack[top], stack[top + 1] = ny, nx
                            top += 2
            n += 1
    return labels, n


ELONGATED = 9.0
"""A band whose cells spread this many times more along its principal axis than across it (an aspect of
about 3) takes its axis from its shape; a shorter one from the predicted directions."""


@njit(cache=True, nogil=True)
def _frames(labels: np.ndarray, n: int, score: np.ndarray, dist: np.ndarray, direction: np.ndarray,
            vertical: np.ndarray, stride: float) -> tuple[np.ndarray, np.ndarray]:
    """Per component: quad (n, 4, 2) and stats (n, 3): mean score, vertical probability, pixel count."""
    h, w = labels.shape
    acc = np.zeros((n, 10))  # count, score, vertical, cos, sin, Σx, Σy, Σx², Σy², Σxy
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k >= 0:
                acc[k, 0] += 1
                acc[k, 1] += score[y, x]
                acc[k, 2] += vertical[y, x]
                acc[k, 3] += direction[0, y, x]
                acc[k, 4] += direction[1, y, x]
                acc[k, 5] += x
                acc[k, 6] += y
                acc[k, 7] += x * x
                acc[k, 8] += y * y
                acc[k, 9] += x * y
    axes = np.zeros((n, 2))
    for k in range(n):
        norm = np.sqrt(acc[k, 3] ** 2 + acc[k, 4] ** 2)
        if norm < 1e-9:
            axes[k, 0] = 1.0
        else:
            axes[k, 0] = acc[k, 3] / norm
            axes[k, 1] = acc[k, 4] / norm
        # A band several times longer than thick gives its axis by its own shape (principal axis of its
        # cells) far more precisely than the mean predicted direction, which only tells which way it reads.
        c = acc[k, 0]
        mx, my = acc[k, 5] / c, acc[k, 6] / c
        sxx, syy, sxy = acc[k, 7] / c - mx * mx, acc[k, 8] / c - my * my, acc[k, 9] / c - mx * my
        root = np.sqrt((sxx - syy) ** 2 / 4 + sxy * sxy)
        major, minor = (sxx + syy) / 2 + root, (sxx + syy) / 2 - root
        if c >= 6 and major > ELONGATED * max(minor, 1.0 / 12):
            angle = 0.5 * np.arctan2(2 * sxy, sxx - syy)
            px, py = np.cos(angle), np.sin(angle)
            if px * axes[k, 0] + py * axes[k, 1] < 0:
                px, py = -px, -py
            axes[k, 0], axes[k, 1] = px, py
    ext = np.zeros((n, 4))  # min along, max along, sum top, sum bottom
    ext[:, 0] = 1e30
    ext[:, 1] = -1e30
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k < 0:
                continue
            ux, uy = axes[k, 0], axes[k, 1]
            dx, dy = -uy, ux
            cx, cy = (x + 0.5) * stride, (y + 0.5) * stride
            a = cx * ux + cy * uy
            t = cx * dx + cy * dy
            ext[k, 0] = min(ext[k, 0], a)
            ext[k, 1] = max(ext[k, 1], a)
            ext[k, 2] += t - np.exp(dist[0, y, x]) * stride
            ext[k, 3] += t + np.exp(dist[1, y, x]) * stride
    quads = np.zeros((n, 4, 2))
    stats = np.zeros((n, 3))
    for k in range(n):
        c = acc[k, 0]
        top, bottom = ext[k, 2] / c, ext[k, 3] / c
        thick = max(bottom - top, 1.0)
        a0 = ext[k, 0] - 0.5 * stride - END_TRIM * thick
        a1 = ext[k, 1] + 0.5 * stride + END_TRIM * thick
        ux, uy = axes[k, 0], axes[k, 1]
        dx, dy = -uy, ux
        for i, (a, t) in enumerate(((a0, top), (a1, top), (a1, bottom), (a0, bottom))):
            quads[k, i, 0] = a * ux + t * dx
            quads[k, i, 1] = a * uy + t * dy
        stats[k, 0] = acc[k, 1] / c
        stats[k, 1] = acc[k, 2] / c
        stats[k, 2] = c
    return quads, stats


@njit(cache=True, nogil=True)
def split_necks(labels: np.ndarray, n: int, axes: np.ndarray, stride: float, neck: float) -> tuple[np.ndarray, int]:
    """Cut components that are several lines' bands joined by a thin bridge of cells.

    Lines set with little leading (CJK text set solid, footnotes, bulleted lists) now and then touch in
    the score map through a few cells, and one component would span two or three lines: one quad, read
    as noise. Across a component (along the normal of its reading axis ``axes[k]``), its cells are
    counted per stride-wide slice; a run of slices holding at most ``neck`` times the fullest slice's
    count, with a slice of at least half that count on either side, is a bridge, and the component is
    cut at the run's emptiest slice. A single line's band is full in every slice (even a tall heading's),
    so it is never cut. Returns new labels (cut parts get new numbers) and the new count.
    """
    h, w = labels.shape
    tmin = np.full(n, 1e30)
    tmax = np.full(n, -1e30)
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k >= 0:
                t = -axes[k, 1] * (x + 0.5) + axes[k, 0] * (y + 0.5)  # across the line, in cells
                tmin[k] = min(tmin[k], t)
                tmax[k] = max(tmax[k], t)
    start = np.zeros(n + 1, np.int64)
    for k in range(n):
        bins = int(tmax[k] - tmin[k]) + 1 if tmax[k] >= tmin[k] else 0
        start[k + 1] = start[k] + bins
    counts = np.zeros(start[n], np.int64)
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k >= 0:
                t = -axes[k, 1] * (x + 0.5) + axes[k, 0] * (y + 0.5)
                counts[start[k] + int(t - tmin[k])] += 1
    part = np.zeros(start[n], np.int64)  # per slice: which part of its component it falls in
    first_new = np.full(n, -1, np.int64)
    total = n
    for k in range(n):
        a, b = start[k], start[k + 1]
        if b - a < 3:
            continue
        peak = counts[a:b].max()
        cuts = 0
        i = a
        while i < b:
            if counts[i] > neck * peak:
                part[i] = cuts
                i += 1
                continue
            j = i  # a run of thin slices [i, j)
            while j < b and counts[j] <= neck * peak:
                j += 1
            left, right = False, False
            for q in range(a, i):
                if counts[q] >= 0.5 * peak:
                    left = True
            for q in range(j, b):
                if counts[q] >= 0.5 * peak:
                    right = True
            emptiest = i
            for q in range(i, j):
                if counts[q] < counts[emptiest]:
                    emptiest = q
            for q in range(i, j):
                part[q] = cuts + 1 if left and right and q > emptiest else cuts
            if left and right:
                cuts += 1
            i = j
        if cuts:
            first_new[k] = total
            total += cuts
    if total == n:
        return labels, n
    out = labels.copy()
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k >= 0 and first_new[k] >= 0:
                t = -axes[k, 1] * (x + 0.5) + axes[k, 0] * (y + 0.5)
                p_ = part[start[k] + int(t - tmin[k])]
                if p_ > 0:
                    out[y, x] = first_new[k] + p_ - 1
    return out, total


@njit(cache=True, nogil=True)
def _clip(subject: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sutherland–Hodgman: the part of polygon ``subject`` left of the directed edge a→b."""
    out = np.empty((subject.shape[0] * 2 + 2, 2))
    m = 0
    n = subject.shape[0]
    for i in range(n):
        p, q = subject[i], subject[(i + 1) % n]
        sp = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
        sq = (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])
        if sp >= 0:
            out[m] = p
            m += 1
        if (sp >= 0) != (sq >= 0):
            t = sp / (sp - sq)
            out[m, 0] = p[0] + t * (q[0] - p[0])
            out[m, 1] = p[1] + t * (q[1] - p[1])
            m += 1
    return out[:m]


@njit(cache=True, nogil=True)
def _area(poly: np.ndarray) -> float:
    s = 0.0
    n = poly.shape[0]
    for i in range(n):
        j = (i + 1) % n
        s += poly[i, 0] * poly[j, 1] - poly[j, 0] * poly[i, 1]
    return abs(s) / 2


@njit(cache=True, nogil=True)
def quad_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two convex quads (any winding)."""
    pa = a.copy()
    pb = b.copy()
    signed = 0.0
    for i in range(4):
        j = (i + 1) % 4
        signed += pb[i, 0] * pb[j, 1] - pb[j, 0] * pb[i, 1]
    if signed < 0:  # clip edges must wind counter-clockwise in y-up terms
        pb = pb[::-1].copy()
    signed = 0.0
    for i in range(4):
        j = (i + 1) % 4
        signed += pa[i, 0] * pa[j, 1] - pa[j, 0] * pa[i, 1]
    if signed < 0:
        pa = pa[::-1].copy()
    inter = pa
    for i in range(4):
        if inter.shape[0] == 0:
            break
        inter = _clip(inter, pb[i], pb[(i + 1) % 4])
    ia = _area(inter) if inter.shape[0] >= 3 else 0.0
    union = _area(pa) + _area(pb) - ia
    return ia / union if union > 0 else 0.0


@njit(cache=True, nogil=True)
def nms(quads: np.ndarray, scores: np.ndarray, iou: float) -> np.ndarray:
    """Indices of quads kept by greedy non-maximum suppression, best first."""
    order = np.argsort(-scores)
    keep = np.zeros(order.shape[0], np.bool_)
    removed = np.zeros(order.shape[0], np.bool_)
    for ii in range(order.shape[0]):
        i = order[ii]
        if removed[i]:
            continue
        keep[i] = True
        for jj in range(ii + 1, order.shape[0]):
            j = order[jj]
            if not removed[j] and quad_iou(quads[i], quads[j]) > iou:
                removed[j] = True
    out = np.empty(keep.sum(), np.int64)
    m = 0
    for ii in range(order.shape[0]):
        if keep[order[ii]]:
            out[m] = order[ii]
            m += 1
    return out


@njit(cache=True, nogil=True)
def link(quads: np.ndarray, vertical: np.ndarray, max_gap: float) -> np.ndarray:
    """Join pieces of one line: quads with the same reading direction and setting, about the same
    thickness, on the same centre line, less than ``max_gap`` thicknesses apart end to start.

    A band broken at a wide word space (justified text, a change of font) becomes one line again,
    so the recognizer reads whole words and the reading order sees whole lines. Returns, per quad,
    the index of the quad it was joined into (itself if it was kept); joined quads are widened in place.
    """
    n = quads.shape[0]
    into = np.arange(n)
    changed = True
    while changed:
        changed = False
        for i in range(n):
            if into[i] != i:
                continue
            for j in range(n):
                if j == i or into[j] != j or vertical[i] != vertical[j]:
                    continue
                a, b = quads[i], quads[j]
                ua = a[1] - a[0]
                la = np.sqrt(ua[0] ** 2 + ua[1] ** 2)
                ub = b[1] - b[0]
                lb = np.sqrt(ub[0] ** 2 + ub[1] ** 2)
                if la < 1e-6 or lb < 1e-6:
                    continue
                ux, uy = ua[0] / la, ua[1] / la
                if (ub[0] * ux + ub[1] * uy) / lb < 0.995:  # not the same direction
                    continue
                dx, dy = -uy, ux
                ta = (a[3, 0] - a[0, 0]) * dx + (a[3, 1] - a[0, 1]) * dy
                tb = (b[3, 0] - b[0, 0]) * dx + (b[3, 1] - b[0, 1]) * dy
                if ta <= 0 or tb <= 0 or max(ta, tb) > 1.4 * min(ta, tb):
                    continue
                # b's start-top corner in a's frame: along the line and across it
                along = (b[0, 0] - a[0, 0]) * ux + (b[0, 1] - a[0, 1]) * uy
                across = (b[0, 0] - a[0, 0]) * dx + (b[0, 1] - a[0, 1]) * dy
                if abs(across) > 0.3 * ta or along < 0:
                    continue
                gap = along - la
                if gap > max_gap * ta or gap < -0.5 * ta:
                    continue
                # the joined frame takes the longer piece's axis: a short piece's own (a bullet's, a
                # word's) is a few degrees off, and over a long line that slides the quad into the next
                if lb > la:
                    ux, uy = ub[0] / lb, ub[1] / lb
                    dx, dy = -uy, ux
                ox, oy = a[0, 0], a[0, 1]
                s0, s1, t0, t1 = 1e30, -1e30, 1e30, -1e30
                for piece in (a, b):
                    for k in range(4):
                        s_ = (piece[k, 0] - ox) * ux + (piece[k, 1] - oy) * uy
                        t_ = (piece[k, 0] - ox) * dx + (piece[k, 1] - oy) * dy
                        s0, s1 = min(s0, s_), max(s1, s_)
                        if k < 2:
                            t0 = min(t0, t_)
                        else:
                            t1 = max(t1, t_)
                for k, (s_, t_) in enumerate(((s0, t0), (s1, t0), (s1, t1), (s0, t1))):
                    quads[i, k, 0] = ox + s_ * ux + t_ * dx
                    quads[i, k, 1] = oy + s_ * uy + t_ * dy
                into[j] = i
                changed = True
    return into


def straighten(quads: np.ndarray, tolerance: float = 2.5) -> np.ndarray:
    """Quads whose reading axis is within ``tolerance`` degrees of the page's skew, turned about their
    centres onto it (rectangles of their mean length and thickness); the others as they were.

    The lines of a page share one skew (a scan's, a photo's); a band's own principal axis tilts by a
    degree or two where its thickness varies along it (a run of monospace in a serif line), and over
    a long line that tilt slides the quad's end into the next line. The skew is the median deviation
    of the long lines' axes from the nearest multiple of 90°.
    """
    if len(quads) == 0:
        return quads
    along = ((quads[:, 1] - quads[:, 0]) + (quads[:, 2] - quads[:, 3])) / 2
    across = ((quads[:, 3] - quads[:, 0]) + (quads[:, 2] - quads[:, 1])) / 2
    length, thick = np.linalg.norm(along, axis=1), np.linalg.norm(across, axis=1)
    angle = np.degrees(np.arctan2(along[:, 1], along[:, 0]))
    base = np.round(angle / 90.0) * 90.0
    deviation = angle - base
    long = length >= 3 * thick
    if not long.any():
        return quads
    skew = float(np.median(deviation[long]))
    turn = np.abs(deviation - skew) < tolerance
    if not turn.any():
        return quads
    out = quads.copy()
    theta = np.radians(base[turn] + skew)
    u = np.stack([np.cos(theta), np.sin(theta)], 1)
    side = np.sign(u[:, 0] * across[turn, 1] - u[:, 1] * across[turn, 0])[:, None]  # keep the quad's handedness
    v = side * np.stack([-u[:, 1], u[:, 0]], 1)
    centre = quads[turn].mean(1)
    half_l, half_t = (length[turn] / 2)[:, None], (thick[turn] / 2)[:, None]
    out[turn, 0] = centre - half_l * u - half_t * v
    out[turn, 1] = centre + half_l * u - half_t * v
    out[turn, 2] = centre + half_l * u + half_t * v
    out[turn, 3] = centre - half_l * u + half_t * v
    return out


def decode(maps: np.ndarray, stride: float = 4.0, threshold: float = 0.5, min_score: float = 0.6,
           min_cells: int = 2, iou: float = 0.3, max_gap: float = 0.6, skew_tolerance: float = 2.5,
           neck: float = 0.2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quads (K, 4, 2) in image pixels, scores (K,) and vertical flags (K,) from one page's maps.

    ``maps`` is the detector output for one page (6, h, w) *after* sigmoid on channels 0 and 5. Pieces
    of one line are joined (:func:`link`) when they are less than ``max_gap`` thicknesses apart; lines
    within ``skew_tolerance`` degrees of the page's skew are set on it (:func:`straighten`; 0: never).
    Bands of several lines joined by a bridge thinner than ``neck`` are cut apart (:func:`split_necks`;
    0: never).
    """
    score = np.ascontiguousarray(maps[0], np.float32)
    labels, n = pixel_components(score > threshold)
    if n == 0:
        return np.zeros((0, 4, 2)), np.zeros(0), np.zeros(0, bool)
    dist, direction = np.ascontiguousarray(maps[1:3], np.float32), np.ascontiguousarray(maps[3:5], np.float32)
    vert = np.ascontiguousarray(maps[5], np.float32)
    quads, stats = _frames(labels, n, score, dist, direction, vert, stride)
    if neck > 0:
        along = quads[:, 1] - quads[:, 0]
        axes = along / np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-9)
        parts, m = split_necks(labels, n, axes, stride, neck)
        if m > n:
            labels, n = parts, m
            quads, stats = _frames(labels, n, score, dist, direction, vert, stride)
    ok = (stats[:, 0] >= min_score) & (stats[:, 2] >= min_cells)
    quads, stats = quads[ok], stats[ok]
    keep = nms(quads, stats[:, 0], iou) if len(quads) else np.zeros(0, np.int64)
    quads, scores, vertical = np.ascontiguousarray(quads[keep]), stats[keep, 0], stats[keep, 1] > 0.5
    if max_gap > 0 and len(quads) > 1:
        into = link(quads, vertical, max_gap)
        kept = into == np.arange(len(quads))
        quads, scores, vertical = quads[kept], scores[kept], vertical[kept]
    if skew_tolerance > 0:
        quads = straighten(quads, skew_tolerance)
    return quads, scores, vertical
