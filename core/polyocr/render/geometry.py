"""Exact plane transforms as 3×3 float64 homographies, so every quad stays exact after warping.

Coordinates are continuous pixel coordinates: x to the right, y down, and pixel (column c, row r)
covers the unit square [c, c+1) × [r, r+1) with its centre at (c + 0.5, r + 0.5). A glyph box whose
left edge is x = 10 therefore starts at column 10, and the same matrix that moves the pixels
(``warp.warp_image``) moves the boxes (``transform_points``).
"""

from __future__ import annotations

import math

import numpy as np

_EPS = 1e-9  # slack for canvas rounding: 90° rotations must not grow the canvas by a pixel


def _translation(tx: float, ty: float) -> np.ndarray:
    return np.array([[1.0, 0.0, tx], [0.0, 1.0, ty], [0.0, 0.0, 1.0]])


def _cos_sin(deg: float) -> tuple[float, float]:
    """Exact values at multiples of 90°, so quarter turns move pixels without resampling."""
    if deg % 90.0 == 0.0:
        return {0: (1.0, 0.0), 1: (0.0, 1.0), 2: (-1.0, 0.0), 3: (0.0, -1.0)}[int(deg // 90) % 4]
    rad = math.radians(deg)
    return math.cos(rad), math.sin(rad)


def affine(
    rotate_deg: float = 0.0,
    scale: tuple[float, float] = (1.0, 1.0),
    shear_x: float = 0.0,
    translate: tuple[float, float] = (0.0, 0.0),
    center: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Scale, then shear, then rotate about ``center``, then translate.

    ``rotate_deg > 0`` turns counter-clockwise as seen on screen (like ``PIL.Image.rotate``);
    ``shear_x`` is a factor: x moves by ``shear_x · (y − cy)`` (a slant of atan(shear_x)).

    >>> affine(rotate_deg=90) @ [1.0, 0.0, 1.0]
    array([ 0., -1.,  1.])
    """
    c, s = _cos_sin(rotate_deg)
    rotation = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
    shear = np.array([[1.0, shear_x, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    scaling = np.diag([float(scale[0]), float(scale[1]), 1.0])
    cx, cy = center
    return (_translation(translate[0] + cx, translate[1] + cy) @ rotation @ shear @ scaling
            @ _translation(-cx, -cy))


def _normalizer(pts: np.ndarray) -> np.ndarray:
    """Hartley normalisation: centroid to 0, mean distance √2 (keeps the 8×8 system well conditioned)."""
    centroid = pts.mean(axis=0)
    spread = np.sqrt(((pts - centroid) ** 2).sum(axis=1)).mean()
    if spread == 0.0:
        raise ValueError("perspective_from_points: all points coincide")
    k = math.sqrt(2.0) / spread
    return np.array([[k, 0.0, -k * centroid[0]], [0.0, k, -k * centroid[1]], [0.0, 0.0, 1.0]])


def perspective_from_points(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The homography that maps the 4 ``src`` points onto the 4 ``dst`` points (exact DLT, H[2,2] = 1)."""
    src = np.asarray(src, dtype=np.float64).reshape(4, 2)
    dst = np.asarray(dst, dtype=np.float64).reshape(4, 2)
    ns, nd = _normalizer(src), _normalizer(dst)
    s, d = transform_points(ns, src), transform_points(nd, dst)
    a = np.zeros((8, 8))
    b = np.empty(8)
    for i, ((x, y), (u, v)) in enumerate(zip(s, d)):
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u]
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v]
        b[2 * i], b[2 * i + 1] = u, v
    try:
        h = np.linalg.solve(a, b)
    except np.linalg.LinAlgError as err:
        raise ValueError("perspective_from_points: three of the points are collinear") from err
    m = np.linalg.inv(nd) @ np.append(h, 1.0).reshape(3, 3) @ ns
    return m / m[2, 2]


def transform_points(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Apply ``h`` to points of any leading shape (``(2,)``, ``(N, 2)``, ``(N, 4, 2)`` quads …)."""
    pts = np.asarray(pts, dtype=np.float64)
    if pts.shape[-1] != 2:
        raise ValueError(f"transform_points: last axis must be (x, y), got shape {pts.shape}")
    x, y = pts[..., 0], pts[..., 1]
    w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
    return np.stack([(h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w,
                     (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w], axis=-1)


def bounding_box(pts: np.ndarray) -> tuple[float, float, float, float]:
    """The axis-aligned box ``(x, y, w, h)`` around points of any leading shape."""
    flat = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    (x0, y0), (x1, y1) = flat.min(axis=0), flat.max(axis=0)
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def fit_canvas(h: np.ndarray, width: int, height: int) -> tuple[np.ndarray, int, int]:
    """Shift ``h`` so the whole warped ``width × height`` image lands in a canvas starting at (0, 0).

    Returns the shifted matrix and the canvas size; a rotated page is thus never cropped.
    """
    corners = np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])
    w = corners @ h[2, :2] + h[2, 2]
    if not (np.all(w > 0.0) or np.all(w < 0.0)):
        raise ValueError("fit_canvas: the transform sends part of the image beyond the horizon")
    x, y, bw, bh = bounding_box(transform_points(h, corners))
    x0, y0 = math.floor(x + _EPS), math.floor(y + _EPS)
    x1, y1 = math.ceil(x + bw - _EPS), math.ceil(y + bh - _EPS)
    return _translation(-x0, -y0) @ h, max(x1 - x0, 1), max(y1 - y0, 1)
