"""``Font``: one face ready to shape and draw, with its metrics and a cache of flattened outlines.

Outlines are taken from harfbuzz's draw API (the same glyphs the shaper positions), flattened once per
glyph into line segments in font units, and reused at every pixel size; only rasterization depends
on the size.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import uharfbuzz as hb
from numba import carray, cfunc, njit, types

from polyocr.errors import FontError
from polyocr.render import hbshape
from polyocr.render.hbshape import HBFont

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


# --- recording an outline: harfbuzz calls compiled callbacks that append to a float64 stream -------
# stream[0] = values used (the header included), stream[1] = capacity; then records of an op code and its
# coordinates (font units): move 0 (x, y), line 1 (x, y), quadratic 2 (cx, cy, x, y), cubic 3 (c1, c2, p),
# close 4. A glyph whose records do not fit is drawn again into a larger stream (``used`` says how large).
_POINT = types.void(types.voidptr, types.voidptr, types.voidptr, types.float32, types.float32, types.voidptr)
_QUAD = types.void(types.voidptr, types.voidptr, types.voidptr, types.float32, types.float32, types.float32,
                   types.float32, types.voidptr)
_CUBIC = types.void(types.voidptr, types.voidptr, types.voidptr, types.float32, types.float32, types.float32,
                    types.float32, types.float32, types.float32, types.voidptr)
_CLOSE = types.void(types.voidptr, types.voidptr, types.voidptr, types.voidptr)


@njit(cache=True, nogil=True)
def _record(data, op: int, a: float, b: float, c: float, d: float, e: float, f: float, count: int) -> None:  # noqa: ANN001
    """Append one record (``count`` of the coordinates a..f) to the stream at ``data``; count it even when full."""
    head = carray(data, (2,), np.float64)
    used, cap = int(head[0]), int(head[1])
    if used + 1 + count <= cap:
        out = carray(data, (cap,), np.float64)
        out[used] = op
        if count >= 2:
            out[used + 1] = a
            out[used + 2] = b
        if count >= 4:
            out[used + 3] = c
            out[used + 4] = d
        if count >= 6:
            out[used + 5] = e
            out[used + 6] = f
    head[0] = used + 1 + count


@cfunc(_POINT, nopython=True, cache=True)
def _move_to(funcs, data, state, x, y, user):  # noqa: ANN001, ARG001 - hb_draw_move_to_func_t
    _record(data, 0, x, y, 0.0, 0.0, 0.0, 0.0, 2)


@cfunc(_POINT, nopython=True, cache=True)
def _line_to(funcs, data, state, x, y, user):  # noqa: ANN001, ARG001
    _record(data, 1, x, y, 0.0, 0.0, 0.0, 0.0, 2)


@cfunc(_QUAD, nopython=True, cache=True)
def _quad_to(funcs, data, state, cx, cy, x, y, user):  # noqa: ANN001, ARG001
    _record(data, 2, cx, cy, x, y, 0.0, 0.0, 4)


@cfunc(_CUBIC, nopython=True, cache=True)
def _cubic_to(funcs, data, state, ax, ay, bx, by, x, y, user):  # noqa: ANN001, ARG001
    _record(data, 3, ax, ay, bx, by, x, y, 6)


@cfunc(_CLOSE, nopython=True, cache=True)
def _close_path(funcs, data, state, user):  # noqa: ANN001, ARG001
    _record(data, 4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)


_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)
_draw_funcs: hb.DrawFuncs | None = None


def _recorder() -> hb.DrawFuncs:
    """harfbuzz draw callbacks that write into a stream without calling back into Python (one per process)."""
    global _draw_funcs
    if _draw_funcs is None:
        funcs = hb.DrawFuncs()
        funcs.set_move_to_func(_capsule_new(_move_to.address, None, None))
        funcs.set_line_to_func(_capsule_new(_line_to.address, None, None))
        funcs.set_quadratic_to_func(_capsule_new(_quad_to.address, None, None))
        funcs.set_cubic_to_func(_capsule_new(_cubic_to.address, None, None))
        funcs.set_close_path_func(_capsule_new(_close_path.address, None, None))
        _draw_funcs = funcs
    return _draw_funcs


def _stream(size: int) -> tuple[np.ndarray, object]:
    """A stream of ``size`` values and the capsule that hands its address to harfbuzz as the draw state."""
    stream = np.empty(size, np.float64)
    return stream, _capsule_new(stream.ctypes.data, None, None)


@njit(cache=True, nogil=True)
def _unpack(stream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Op codes and coordinates of a recorded stream, as :func:`_flatten` takes them."""
    used = int(stream[0])
    ops = np.empty(used, np.int8)
    coords = np.empty(used, np.float64)
    n = k = 0
    i = 2
    while i < used:
        op = int(stream[i])
        count = 2 if op <= 1 else 4 if op == 2 else 6 if op == 3 else 0
        ops[n] = op
        n += 1
        for j in range(count):
            coords[k + j] = stream[i + 1 + j]
        k += count
        i += 1 + count
    return ops[:n], coords[:k]


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


@njit(cache=True, nogil=True)
def _outline_of(stream: np.ndarray, tol: float) -> np.ndarray:
    """:func:`_flatten` of a recorded stream with its bounds as an extra last row: one array back to
    Python instead of three (boxing each array a compiled function returns costs microseconds)."""
    ops, coords = _unpack(stream)
    edges, bounds = _flatten(ops, coords, tol)
    out = np.empty((edges.shape[0] + 1, 4), np.float32)
    out[:-1] = edges
    out[-1] = bounds  # float32 holds them exactly: they are values of ``edges``
    return out


_FULL_WIDTH_SAMPLE = tuple(ord(c) for c in "一国永字書中文日本あいうアイウ가나한글")
"""Full-width characters whose vertical metrics tell whether a face's vertical tables can be trusted."""


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
        self.shaper = HBFont(self.path, index) if hbshape.AVAILABLE else None
        """The same face for :func:`polyocr.render.hbshape.shape_arrays` (None: shape with uharfbuzz)."""
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
        self._stream = _stream(4096)

    def __repr__(self) -> str:
        return f"Font({str(self.path)!r}, {self.index})"

    @functools.cached_property
    def vertical_metrics_usable(self) -> bool:
        """Whether harfbuzz's vertical metrics of this face set full-width glyphs one under the other.

        Some CJK faces carry broken vertical tables: WenQuanYi Zen Hei gives its ideographs a vertical
        advance of 0 (a column collapses onto one cell), WenQuanYi Micro Hei a vertical origin that
        wanders by up to 0.75 em from glyph to glyph (neighbours overlap, gaps open), and faces without
        them get origins from each glyph's own box (a wobble of a few percent of the em). Usable: the
        full-width glyphs sampled (ideographs, kana, hangul the face has) advance by one common 0.9–1.3
        em and share one origin height (within 2 % of the em). Faces with none of them: usable."""
        ys, advances = [], []
        for cp in _FULL_WIDTH_SAMPLE:
            if cp in self.codepoints:
                gid = self.hb_font.get_nominal_glyph(cp)
                if gid:
                    advances.append(-self.hb_font.get_glyph_v_advance(gid))
                    ys.append(self.hb_font.get_glyph_v_origin(gid)[1])
        if not advances:
            return True
        em = self.upem
        return (0.9 * em <= min(advances) and max(advances) <= 1.3 * em and max(advances) - min(advances) <= 0.02 * em
                and max(ys) - min(ys) <= 0.02 * em)

    def horizontal_advance(self, gid: int) -> float:
        """Horizontal advance of glyph ``gid`` in font units."""
        return float(self.hb_font.get_glyph_h_advance(int(gid)))

    def has(self, char: str) -> bool:
        """True if the face draws ``char`` (cmap, narrowed by the coverage table when one was given)."""
        return ord(char) in self.covered

    def outline(self, gid: int, bold: float = 0.0) -> Outline:
        """The flattened outline of glyph ``gid``; ``bold`` emboldens by that fraction of the em."""
        return Outline(*self.outline_parts(gid, bold))

    def outline_parts(self, gid: int, bold: float = 0.0) -> tuple[np.ndarray, tuple[float, float, float, float]]:
        """``outline``'s (edges, bounds), without building an ``Outline`` (the glyph cache asks for hundreds a page)."""
        key = (gid, bold)
        cached = self._outlines.get(key)
        if cached is not None:
            return cached
        with self._lock:
            if bold:
                self.hb_font.synthetic_bold = (bold, bold, True)
            try:
                while True:
                    stream, capsule = self._stream
                    stream[:2] = (2.0, stream.size)
                    self.hb_font.draw_glyph(gid, _recorder(), capsule)
                    if stream[0] <= stream.size:
                        break
                    self._stream = _stream(2 * int(stream[0]))
                flat = _outline_of(stream, self.upem * FLATNESS)
            finally:
                if bold:
                    self.hb_font.synthetic_bold = (0.0, 0.0, True)
        # kept as a plain tuple of an array and floats, which the garbage collector stops tracking: tens of
        # thousands of cached outlines would otherwise make every full collection slow
        parts = self._outlines[key] = (flat[:-1], tuple(flat[-1].tolist()))
        return parts


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
