"""Detector training targets from line quads: the centre band, thickness and direction maps.

A line's centre band keeps the middle half of its thickness and drops a quarter of the thickness at
each end, so neighbouring lines stay apart at stride 4. Every band pixel stores its distances to the
line's top and bottom edges and the line's reading direction; the post-processing inverts this.
"""

from __future__ import annotations

import numpy as np

from polyocr.render.raster import rasterize_edges

BAND = (0.25, 0.75)
"""The part of a line's thickness (from its top) that is its centre band."""
END_TRIM = 0.25
"""How much of its thickness is trimmed from each end of the band."""


def line_frame(quad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Origin (start-top), unit reading axis, unit down axis, length and thickness of a quad."""
    p0, p1, p2, p3 = quad
    along = (p1 - p0 + p2 - p3) / 2
    down = (p3 - p0 + p2 - p1) / 2
    length = float(np.hypot(*along))
    thick = float(np.hypot(*down))
    u = along / max(length, 1e-6)
    d = down - (down @ u) * u  # make the down axis perpendicular to the reading axis
    d = d / max(float(np.hypot(*d)), 1e-6)
    return p0.astype(np.float64), u, d, length, thick


def band_quad(quad: np.ndarray) -> np.ndarray:
    origin, u, d, length, thick = line_frame(quad)
    trim = min(END_TRIM * thick, 0.25 * length)
    a, b = trim, length - trim
    t0, t1 = BAND[0] * thick, BAND[1] * thick
    return np.array([origin + a * u + t0 * d, origin + b * u + t0 * d, origin + b * u + t1 * d, origin + a * u + t1 * d])


def make_targets(quads: np.ndarray, vertical: np.ndarray, height: int, width: int, stride: int = 4,
                 ignore: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Targets on the stride grid (height/stride × width/stride) for a page with lines ``quads`` (K,4,2).

    Returns ``score`` (0/1), ``dist`` (2×h×w log distances in cells), ``dir`` (2×h×w), ``vertical``
    (h×w) and ``weight`` (h×w; 0 where a pixel belongs to several bands or to an ignored line).
    """
    h, w = height // stride, width // stride
    score = np.zeros((h, w), np.float32)
    count = np.zeros((h, w), np.int32)
    dist = np.zeros((2, h, w), np.float32)
    direction = np.zeros((2, h, w), np.float32)
    vert = np.zeros((h, w), np.float32)
    ys, xs = np.mgrid[0:h, 0:w]
    centres = np.stack([(xs + 0.5) * stride, (ys + 0.5) * stride], -1).astype(np.float64)
    for k, quad in enumerate(quads):
        band = band_quad(np.asarray(quad, np.float64)) / stride
        q = band.astype(np.float32)
        mask = rasterize_edges(np.concatenate([q, np.roll(q, -1, axis=0)], axis=1), w, h) >= 128
        if not mask.any():  # a band thinner than a cell: mark the cell under its centre
            cx, cy = band.mean(0)
            if 0 <= int(cy) < h and 0 <= int(cx) < w:
                mask[int(cy), int(cx)] = True
            else:
                continue
        origin, u, d, _, thick = line_frame(np.asarray(quad, np.float64))
        across = (centres[mask] - origin) @ d
        dist[0][mask] = np.log(np.maximum(across, 0.5) / stride)
        dist[1][mask] = np.log(np.maximum(thick - across, 0.5) / stride)
        direction[0][mask], direction[1][mask] = u
        vert[mask] = float(vertical[k])
        score[mask] = 1.0
        count[mask] += 1
        if ignore is not None and ignore[k]:
            count[mask] += 2
    weight = np.where(count > 1, 0.0, 1.0).astype(np.float32)
    score[count > 1] = 0.0
    return {"score": score, "dist": dist, "dir": direction, "vertical": vert, "weight": weight}
