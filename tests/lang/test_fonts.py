"""Coverage from the cmap on a real font, tofu detection on a built font, and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from polyocr.lang import FontSource
from polyocr.lang import fonts as fonts_module
from polyocr.lang.fonts import TOFU_GROUP, FontCatalog


def _glyph(points):
    pen = TTGlyphPen(None)
    if points:
        pen.moveTo(points[0])
        for p in points[1:]:
            pen.lineTo(p)
        pen.closePath()
    return pen.glyph()


def build_font(path: Path, tofu_count: int) -> Path:
    """A TrueType font: real glyphs for A and B, an empty space, and ``tofu_count`` CJK code points that
    each have their own glyph name but the very same box drawing."""
    box = [(100, 0), (100, 700), (500, 700), (500, 0)]
    names = [".notdef", "space", "A", "B", "C"] + [f"tofu{i}" for i in range(tofu_count)]
    glyphs = {
        ".notdef": _glyph(box),
        "space": _glyph([]),
        "A": _glyph([(0, 0), (300, 700), (600, 0)]),
        "B": _glyph([(0, 0), (0, 700), (400, 650), (400, 0)]),
        "C": _glyph([]),  # a letter with no outline: not covered
    }
    glyphs.update({f"tofu{i}": _glyph(box) for i in range(tofu_count)})
    cmap = {0x20: "space", ord("A"): "A", ord("B"): "B", ord("C"): "C", ord("D"): ".notdef"}
    cmap.update({0x4E00 + i: f"tofu{i}" for i in range(tofu_count)})
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Polyocr Test", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_tofu_boxes_are_not_coverage(tmp_path):
    build_font(tmp_path / "tofu.ttf", tofu_count=TOFU_GROUP + 24)
    catalog = FontCatalog(cache=tmp_path / "cache")
    [face] = catalog.faces_in(tmp_path / "tofu.ttf")
    assert (face.family, face.style) == ("Polyocr Test", "Regular")
    cov = catalog.coverage(face)
    assert cov.tofu == TOFU_GROUP + 24
    assert ord("A") in cov.covered and ord("B") in cov.covered and 0x20 in cov.covered
    assert ord("C") not in cov.covered, "a letter with an empty outline draws nothing"
    assert ord("D") not in cov.covered, "a code point mapped to .notdef draws nothing"
    assert 0x4E00 not in cov.covered


def test_a_few_shared_drawings_are_not_tofu(tmp_path):
    build_font(tmp_path / "few.ttf", tofu_count=3)  # e.g. compatibility ideographs sharing a glyph
    catalog = FontCatalog(cache=tmp_path / "cache")
    cov = catalog.coverage(catalog.faces_in(tmp_path / "few.ttf")[0])
    assert cov.tofu == 0 and 0x4E00 in cov.covered


def test_coverage_of_a_real_font():
    catalog = FontCatalog()
    faces = catalog.match(FontSource(family="DejaVu Sans", style="Book", licence="Bitstream-Vera"))
    assert faces, "fonts-dejavu-core must be installed (.ci/run installs it)"
    cov = catalog.coverage(faces[0])
    assert cov.fraction("The quick brown fox, 0123456789") == 1.0
    assert cov.fraction("Съешь же ещё этих мягких булок") == 1.0
    assert ord("日") not in cov.covered and ord("한") not in cov.covered
    assert cov.tofu == 0


def test_coverage_is_cached_by_file_hash(tmp_path, monkeypatch):
    font = build_font(tmp_path / "cached.ttf", tofu_count=2)
    FontCatalog(cache=tmp_path / "cache").coverage(FontCatalog(cache=tmp_path / "cache").faces_in(font)[0])
    assert list((tmp_path / "cache" / "fonts" / "coverage").glob("*-0.json"))

    def fail(*args):
        raise AssertionError("coverage recomputed although it was cached")

    monkeypatch.setattr(fonts_module, "compute_coverage", fail)
    fresh = FontCatalog(cache=tmp_path / "cache")  # a new process, same cache
    assert ord("A") in fresh.coverage(fresh.faces_in(font)[0]).covered


def test_damaged_font_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00 not really a font")
    catalog = FontCatalog(cache=tmp_path / "cache")
    assert catalog.faces_in(bad) == []  # skipped when scanning
    with pytest.raises(fonts_module.FontError, match="bad.ttf"):
        fonts_module.read_faces(bad)
