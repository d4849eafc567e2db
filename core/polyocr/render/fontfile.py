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


class _FlattenPen:
    """A fontTools-protocol pen that turns quadratic and cubic curves into short line segments."""

    def __init__(self, tolerance: float) -> None:
        self.tol = tolerance
        self.points: list[float] = []
        self.start = (0.0, 0.0)
        self.cur = (0.0, 0.0)

    def _line(self, p: tuple[float, float]) -> None:
        if p != self.cur:
            self.points.extend((self.cur[0], self.cur[1], p[0], p[1]))
        self.cur = p

    def moveTo(self, p):  # noqa: N802 - pen protocol
        self.closePath()
        self.start = self.cur = (float(p[0]), float(p[1]))

    def lineTo(self, p):  # noqa: N802
        self._line((float(p[0]), float(p[1])))

    def qCurveTo(self, *pts):  # noqa: N802 - may carry several off-curve points (implied on-curves)
        pts = [(float(x), float(y)) for x, y in pts]
        *offs, end = pts
        for i, c in enumerate(offs):
            nxt = end if i == len(offs) - 1 else ((c[0] + offs[i + 1][0]) / 2, (c[1] + offs[i + 1][1]) / 2)
            self._quad(c, nxt)

    def _quad(self, c, p):
        x0, y0 = self.cur
        dd = math.hypot(x0 - 2 * c[0] + p[0], y0 - 2 * c[1] + p[1])
        n = max(1, math.ceil(math.sqrt(dd / (8 * self.tol))))
        for i in range(1, n + 1):
            t = i / n
            u = 1 - t
            self._line((u * u * x0 + 2 * u * t * c[0] + t * t * p[0], u * u * y0 + 2 * u * t * c[1] + t * t * p[1]))

    def curveTo(self, *pts):  # noqa: N802
        c1, c2, p = [(float(x), float(y)) for x, y in pts[-3:]]
        x0, y0 = self.cur
        dd = max(math.hypot(x0 - 2 * c1[0] + c2[0], y0 - 2 * c1[1] + c2[1]),
                 math.hypot(c1[0] - 2 * c2[0] + p[0], c1[1] - 2 * c2[1] + p[1]))
        n = max(1, math.ceil(math.sqrt(0.75 * dd / self.tol)))
        for i in range(1, n + 1):
            t = i / n
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            self._line((a * x0 + b * c1[0] + c * c2[0] + d * p[0], a * y0 + b * c1[1] + c * c2[1] + d * p[1]))

    def closePath(self):  # noqa: N802
        if self.cur != self.start:
            self._line(self.start)
        self.cur = self.start

    endPath = closePath


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
        self._outlines: dict[tuple[int, float], Outline] = {}
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
            return cached
        with self._lock:
            pen = _FlattenPen(self.upem * FLATNESS)
            if bold:
                self.hb_font.synthetic_bold = (bold, bold, True)
            try:
                self.hb_font.draw_glyph_with_pen(gid, pen)
            finally:
                if bold:
                    self.hb_font.synthetic_bold = (0.0, 0.0, True)
            pen.closePath()
        edges = np.array(pen.points, dtype=np.float32).reshape(-1, 4)
        if edges.shape[0]:
            xs, ys = edges[:, 0::2], edges[:, 1::2]
            bounds = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        else:
            bounds = (0.0, 0.0, 0.0, 0.0)
        outline = Outline(edges, bounds)
        self._outlines[key] = outline
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
