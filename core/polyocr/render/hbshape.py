"""harfbuzz shaping that answers numpy arrays instead of one Python object per glyph.

uharfbuzz returns a ``GlyphInfo`` and a ``GlyphPosition`` object per glyph; turning a paragraph's
objects into arrays costs several times the shaping itself. This module calls the very harfbuzz
library that uharfbuzz carries (its extension exports the C API; same code, same answers) through
ctypes, and reads the glyph records straight out of the buffer into numpy. Where that library does
not export the functions, ``AVAILABLE`` is False and :mod:`polyocr.render.shaping` uses uharfbuzz.
"""

from __future__ import annotations

import ctypes
import weakref
from pathlib import Path

import numpy as np
import uharfbuzz

_RECORD = 5
"""32-bit fields per glyph record: hb_glyph_info_t is (codepoint, mask, cluster, var1, var2) and
hb_glyph_position_t is (x_advance, y_advance, x_offset, y_offset, var)."""
UNSAFE_TO_BREAK = 0x1
"""HB_GLYPH_FLAG_UNSAFE_TO_BREAK, in a glyph info's mask."""
CONTEXT = 8
"""Characters of context passed on each side of an item (harfbuzz keeps 5: HB_BUFFER_CONTEXT_LENGTH)."""


class _Feature(ctypes.Structure):
    _fields_ = [("tag", ctypes.c_uint32), ("value", ctypes.c_uint32), ("start", ctypes.c_uint),
                ("end", ctypes.c_uint)]


_P = ctypes.c_void_p
_SIGNATURES = {
    "hb_blob_create_from_file_or_fail": (_P, [ctypes.c_char_p]),
    "hb_blob_destroy": (None, [_P]),
    "hb_face_create": (_P, [_P, ctypes.c_uint]),
    "hb_face_destroy": (None, [_P]),
    "hb_font_create": (_P, [_P]),
    "hb_font_destroy": (None, [_P]),
    "hb_buffer_create": (_P, []),
    "hb_buffer_destroy": (None, [_P]),
    "hb_buffer_add_utf32": (None, [_P, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_int]),
    "hb_buffer_set_direction": (None, [_P, ctypes.c_int]),
    "hb_buffer_set_script": (None, [_P, ctypes.c_uint32]),
    "hb_buffer_set_language": (None, [_P, _P]),
    "hb_buffer_guess_segment_properties": (None, [_P]),
    "hb_buffer_get_glyph_infos": (_P, [_P, ctypes.POINTER(ctypes.c_uint)]),
    "hb_buffer_get_glyph_positions": (_P, [_P, ctypes.POINTER(ctypes.c_uint)]),
    "hb_direction_from_string": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int]),
    "hb_script_from_string": (ctypes.c_uint32, [ctypes.c_char_p, ctypes.c_int]),
    "hb_language_from_string": (_P, [ctypes.c_char_p, ctypes.c_int]),
    "hb_feature_from_string": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_Feature)]),
    "hb_shape": (None, [_P, _P, ctypes.POINTER(_Feature), ctypes.c_uint]),
}


def _bind() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(uharfbuzz._harfbuzz.__file__)
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
    except (OSError, AttributeError):
        return None
    return lib


_lib = _bind()
AVAILABLE = _lib is not None


class HBFont:
    """A harfbuzz font of one face, made as ``uharfbuzz.Font(Face(Blob.from_file_path(path), index))`` is."""

    def __init__(self, path: str | Path, index: int) -> None:
        blob = _lib.hb_blob_create_from_file_or_fail(str(path).encode())
        if not blob:
            raise OSError(f"harfbuzz cannot open {path}")
        face = _lib.hb_face_create(blob, index)
        self.ptr = _lib.hb_font_create(face)
        _lib.hb_face_destroy(face)  # the font keeps its own references
        _lib.hb_blob_destroy(blob)
        weakref.finalize(self, _lib.hb_font_destroy, self.ptr)


_features: dict[tuple, tuple[ctypes.Array, int]] = {}
_directions: dict[str, int] = {}
_scripts: dict[str, int] = {}
_languages: dict[str, int] = {}


def _feature_array(features: dict[str, bool | int]) -> tuple[ctypes.Array | None, int]:
    """``hb_feature_t`` records as ``uharfbuzz.shape`` makes them: parsed from the tag, value replaced."""
    key = tuple(features.items())
    cached = _features.get(key)
    if cached is None:
        arr = (_Feature * len(key))()
        for i, (name, value) in enumerate(key):
            packed = name.encode()
            _lib.hb_feature_from_string(packed, len(packed), ctypes.byref(arr[i]))
            arr[i].value = int(value)
        cached = _features[key] = (arr if key else None, len(key))
    return cached


def _cached(table: dict, fn, value: str):  # noqa: ANN001, ANN202
    got = table.get(value)
    if got is None:
        got = table[value] = fn(value.encode(), -1)
    return got


def shape_arrays(font: HBFont, text: str, start: int, end: int, direction: str, script: str | None,
                 language: str | None, features: dict[str, bool | int], scale: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shape ``text[start:end]`` with the whole text as context, as ``shaping.shape`` does with uharfbuzz.

    Returns glyph ids (int32), clusters (int32, indexing ``text``), unsafe-to-break flags (bool) and
    positions (N×4 float64: x_advance, y_advance, x_offset, y_offset in font units × ``scale``).
    """
    # harfbuzz keeps at most 5 characters of context on each side of the item: only those are passed
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    codepoints = text[lo:hi].encode("utf-32-le")
    buf = _lib.hb_buffer_create()
    try:
        _lib.hb_buffer_add_utf32(buf, codepoints, hi - lo, start - lo, end - start)
        _lib.hb_buffer_set_direction(buf, _cached(_directions, _lib.hb_direction_from_string, direction))
        if script is not None:
            _lib.hb_buffer_set_script(buf, _cached(_scripts, _lib.hb_script_from_string, script))
        if language:
            _lib.hb_buffer_set_language(buf, _cached(_languages, _lib.hb_language_from_string, language))
        _lib.hb_buffer_guess_segment_properties(buf)
        feats, count = _feature_array(features)
        _lib.hb_shape(font.ptr, buf, feats, count)
        n = ctypes.c_uint()
        infos = _lib.hb_buffer_get_glyph_infos(buf, ctypes.byref(n))
        size = n.value * _RECORD * 4
        info = np.frombuffer(ctypes.string_at(infos, size) if size else b"", np.uint32).reshape(-1, _RECORD)
        positions = _lib.hb_buffer_get_glyph_positions(buf, ctypes.byref(n))
        pos = np.frombuffer(ctypes.string_at(positions, size) if size else b"", np.int32).reshape(-1, _RECORD)
    finally:
        _lib.hb_buffer_destroy(buf)
    clusters = info[:, 2].astype(np.int32)
    clusters += lo
    return info[:, 0].astype(np.int32), clusters, (info[:, 1] & UNSAFE_TO_BREAK).astype(bool), pos[:, :4] * scale
