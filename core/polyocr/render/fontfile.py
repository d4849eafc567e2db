"""``Font``: one face ready to shape and draw, with its metrics and a cache of flattened outlines.

Outlines are taken from harfbuzz's draw API (the same glyphs the shaper positions), flattened once per
glyph into line segments in font units, and reused at every pixel size; only rasterization depends
on the size.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import uharfbuzz as hb
from numba import njit

from polyocr.errors import FontError

FLATNESS = 1.0 / 2000.0
"""Maximum distance between a curve and its chord, as a fraction of the em: 0.05 px at 100 px."""

_ids = itertools.count(1)


@dataclass(frozen=True)
class Outline:
    """A glyph's outline as line segments (N×4 float32: x0, y0, x1, y1; font units, y up) and bounds."""

    edges: np.ndarray
    bounds: tuple[float, float, float, float]
    """x_min, y_min, x_max, y_max in font units; all zero for an empty glyph."""

    @property
    def empty(self) -> bool:
        return self.edges.shape[0] == 0


class _RecordingPen:
    """A fontTools-protocol pen that only records the outline (op codes and coordinates, font units);
    :func:`_flatten` then turns its curves into line segments in one numba call."""

    MOVE, LINE, QUAD, CUBIC, CLOSE = 0, 1, 2, 3, 4

    def __init__(self) -> None:
        self.ops: list[int] = []
        self.coords: list[float] = []

    def moveTo(self, p):  # noqa: N802 - pen protocol
        self.ops.append(0)
        self.coords += p

    def lineTo(self, p):  # noqa: N802
        self.ops.append(1)
        self.coords += p

    def qCurveTo(self, *pts):  # noqa: N802 - may carry several off-curve points (implied on-curves)
        *offs, end = pts
        for i, c in enumerate(offs):
            nxt = end if i == len(offs) - 1 else ((c[0] + offs[i + 1][0]) / 2, (c[1] + offs[i + 1][1]) / 2)
            self.ops.append(2)
            self.coords += (c[0], c[1], nxt[0], nxt[1])

    def curveTo(self, *pts):  # noqa: N802
        c1, c2, p = pts[-3:]
        self.ops.append(3)
        self.coords += (c1[0], c1[1], c2[0], c2[1], p[0], p[1])

    def closePath(self):  # noqa: N802
        self.ops.append(4)

    endPath = closePath


@njit(cache=True, nogil=True)
def _flatten(ops: np.ndarray, coords: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Line segments (N×4 float32: x0, y0, x1, y1) of a recorded outline, every contour closed, and
    their bounds (x_min, y_min, x_max, y_max; zeros when there is no segment).

    Quadratic and cubic curves become chords whose distance to the curve stays below ``tol``; zero
    length segments are dropped.
    """
    out = np.empty((64, 4), np.float32)
    count = 0
    sx = sy = cx = cy = nsx = nsy = 0.0
    k = 0
    for i in range(ops.size + 1):
        op = ops[i] if i < ops.size else 4  # the outline ends with its contour closed
        if op == 0 or op == 4:  # close the current contour (a move starts a new one)
            pts_x = np.array([sx])
            pts_y = np.array([sy])
            if op == 0:
                nsx, nsy = coords[k], coords[k + 1]
                k += 2
        elif op == 1:
            pts_x = np.array([coords[k]])
            pts_y = np.array([coords[k + 1]])
            k += 2
        elif op == 2:
            qx, qy, px, py = coords[k], coords[k + 1], coords[k + 2], coords[k + 3]
            k += 4
            dd = math.hypot(cx - 2 * qx + px, cy - 2 * qy + py)
            n = max(1, math.ceil(math.sqrt(dd / (8 * tol))))
            pts_x = np.empty(n)
            pts_y = np.empty(n)
            for j in range(1, n + 1):
                t = j / n
                u = 1 - t
                pts_x[j - 1] = u * u * cx + 2 * u * t * qx + t * t * px
                pts_y[j - 1] = u * u * cy + 2 * u * t * qy + t * t * py
        else:
            ax, ay, bx, by, px, py = coords[k], coords[k + 1], coords[k + 2], coords[k + 3], coords[k + 4], coords[k + 5]
            k += 6
            dd = max(math.hypot(cx - 2 * ax + bx, cy - 2 * ay + by), math.hypot(ax - 2 * bx + px, ay - 2 * by + py))
            n = max(1, math.ceil(math.sqrt(0.75 * dd / tol)))
            pts_x = np.empty(n)
            pts_y = np.empty(n)
            for j in range(1, n + 1):
                t = j / n
                u = 1 - t
                a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                pts_x[j - 1] = a * cx + b * ax + c * bx + d * px
                pts_y[j - 1] = a * cy + b * ay + c * by + d * py
        for j in range(pts_x.size):
            x, y = pts_x[j], pts_y[j]
            if x != cx or y != cy:
                if count == out.shape[0]:
                    grown = np.empty((2 * count, 4), np.float32)
                    grown[:count] = out
                    out = grown
                out[count, 0], out[count, 1], out[count, 2], out[count, 3] = cx, cy, x, y
                count += 1
            cx, cy = x, y
        if op == 0:
            sx = cx = nsx
            sy = cy = nsy
    edges = out[:count].copy()
    bounds = np.zeros(4)
    if count:
        bounds[0] = bounds[2] = edges[0, 0]
        bounds[1] = bounds[3] = edges[0, 1]
        for i in range(count):
            for j in (0, 2):
                bounds[0] = min(bounds[0], edges[i, j])
                bounds[2] = max(bounds[2], edges[i, j])
                bounds[1] = min(bounds[1], edges[i, j + 1])
                bounds[3] = max(bounds[3], edges[i, j + 1])
    return edges, bounds


class Font:
    """A face of a font file. Thread-safe for reading; outlines are cached per (glyph, boldness)."""

    def __init__(self, path: str | Path, index: int = 0) -> None:
        self.path = Path(path)
        self.index = index
        try:
            blob = hb.Blob.from_file_path(str(self.path))
            self.face = hb.Face(blob, index)
            self.hb_font = hb.Font(self.face)
        except Exception as exc:
            raise FontError(f"{self.path}: cannot load face {index}: {exc}") from exc
        if self.face.upem <= 0 or self.face.glyph_count == 0:
            raise FontError(f"{self.path}: face {index} has no glyphs")
        self.id = next(_ids)
        self.upem = self.face.upem
        ext = self.hb_font.get_font_extents("ltr")
        self.ascender = float(ext.ascender)
        self.descender = float(ext.descender)
        self.line_gap = float(ext.line_gap)
        self.codepoints = frozenset(self.face.unicodes)
        self.covered = self.codepoints
        """Code points this face really draws; narrowed to the tofu-aware coverage table when known."""
        self._outlines: dict[tuple[int, float], tuple[np.ndarray, tuple[float, float, float, float]]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Font({str(self.path)!r}, {self.index})"

    def has(self, char: str) -> bool:
        """True if the face draws ``char`` (cmap, narrowed by the coverage table when one was given)."""
        return ord(char) in self.covered

    def outline(self, gid: int, bold: float = 0.0) -> Outline:
        """The flattened outline of glyph ``gid``; ``bold`` emboldens by that fraction of the em."""
        key = (gid, bold)
        cached = self._outlines.get(key)
        if cached is not None:
            return Outline(*cached)
        with self._lock:
            pen = _RecordingPen()
            if bold:
                self.hb_font.synthetic_bold = (bold, bold, True)
            try:
                self.hb_font.draw_glyph_with_pen(gid, pen)
            finally:
                if bold:
                    self.hb_font.synthetic_bold = (0.0, 0.0, True)
        edges, bounds = _flatten(np.array(pen.ops, np.int8), np.array(pen.coords, np.float64), self.upem * FLATNESS)
        outline = Outline(edges, tuple(bounds.tolist()))
        # kept as a plain tuple of an array and floats, which the garbage collector stops tracking: tens of
        # thousands of cached outlines would otherwise make every full collection slow
        self._outlines[key] = (outline.edges, outline.bounds)
        return outline


_fonts: dict[tuple[str, int], Font] = {}


def load_font(path: str | Path, index: int = 0, covered: frozenset[int] | None = None) -> Font:
    """The process-wide ``Font`` for ``path``/``index`` (loaded once, then shared).

    ``covered``: the face's tofu-aware coverage (:meth:`polyocr.lang.fonts.FontCatalog.coverage`).
    """
    key = (str(path), index)
    font = _fonts.get(key)
    if font is None:
        font = _fonts[key] = Font(path, index)
    if covered is not None:
        font.covered = font.codepoints & covered
    return font
