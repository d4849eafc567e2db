"""Font discovery and coverage: which faces exist, and which code points each one really draws.

Coverage comes from the cmap, minus code points mapped to ``.notdef``, to an empty outline, or to a
"tofu" glyph — one drawing shared by many unrelated code points (fonts that paint the same box for
every character they lack). Both the face index (keyed by path, size and mtime) and the coverage
tables (keyed by the file's SHA-256 and face index) are cached, so they are computed once per font.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polyocr.errors import FontError
from polyocr.lang.cache import cache_dir, read_json, write_json
from polyocr.lang.sources import FontSource

FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
logging.getLogger("fontTools").setLevel(logging.ERROR)  # its warnings on odd but usable fonts are noise here

TOFU_GROUP = 16
"""A drawing shared by this many code points or more is a placeholder box, not real glyphs."""
INDEX_VERSION = 1
COVERAGE_VERSION = 1


@dataclass(frozen=True, order=True)
class FaceInfo:
    """One face of a font file (a ``.ttc`` holds several), with the names a user recognizes."""

    path: Path
    index: int
    family: str
    style: str
    weight: int
    italic: bool

    @property
    def key(self) -> str:
        return f"{self.path}#{self.index}"


@dataclass(frozen=True)
class FaceCoverage:
    """The code points a face really draws, and how many it maps to placeholders (tofu)."""

    sha256: str
    covered: frozenset[int]
    tofu: int

    def fraction(self, chars: Iterable[str]) -> float:
        chars = list(chars)
        if not chars:
            return 0.0
        return sum(ord(c) in self.covered for c in chars) / len(chars)


def _ignorable(cp: int) -> bool:
    """Whitespace and format characters: they have no ink, so an empty glyph is correct."""
    return unicodedata.category(chr(cp)) in ("Zs", "Zl", "Zp", "Cc", "Cf")


def _ranges(points: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in sorted(points):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def _from_ranges(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(cp for a, b in ranges for cp in range(a, b + 1))


def _glyph_digests(font) -> dict[str, bytes | None]:  # noqa: ANN001 - fontTools TTFont
    """A digest of each glyph's outline program (``None`` for an empty glyph), read without decoding."""
    order = font.getGlyphOrder()
    out: dict[str, bytes | None] = {}
    if "glyf" in font and "loca" in font:
        raw = font.reader["glyf"]
        loca = font["loca"]
        for gid, name in enumerate(order):
            start, end = loca[gid], loca[gid + 1] if gid + 1 < len(loca) else len(raw)
            chunk = raw[start:end]
            out[name] = hashlib.blake2b(chunk, digest_size=12).digest() if chunk else None
        return out
    if "CFF " in font:
        from fontTools.pens.boundsPen import ControlBoundsPen

        cff = font["CFF "].cff
        top = cff.topDictIndex[0]
        charstrings = top.CharStrings
        glyphset = font.getGlyphSet()
        for name in order:
            cs = charstrings[name]
            code = cs.bytecode if cs.bytecode is not None else cs.compile() or cs.bytecode
            if len(code) <= 8:  # short programs may be empty glyphs (or a single subroutine call)
                pen = ControlBoundsPen(glyphset)
                glyphset[name].draw(pen)
                if pen.bounds is None:
                    out[name] = None
                    continue
            out[name] = hashlib.blake2b(bytes(code), digest_size=12).digest()
        return out
    from fontTools.pens.recordingPen import RecordingPen

    glyphset = font.getGlyphSet()
    for name in order:
        pen = RecordingPen()
        glyphset[name].draw(pen)
        out[name] = hashlib.blake2b(repr(pen.value).encode(), digest_size=12).digest() if pen.value else None
    return out


def compute_coverage(path: Path, index: int) -> tuple[frozenset[int], int]:
    """Code points of face ``index`` of ``path`` that have a real, distinct glyph; and the tofu count."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        digests = _glyph_digests(font)
    except Exception as exc:  # fontTools raises many types on a damaged file
        raise FontError(f"{path}: cannot read face {index}: {exc}") from exc
    order = font.getGlyphOrder()
    notdef = order[0] if order else ".notdef"
    covered: set[int] = set()
    groups: dict[bytes, list[int]] = defaultdict(list)
    for cp, name in cmap.items():
        if _ignorable(cp):
            covered.add(cp)
            continue
        if name == notdef or name == ".notdef":
            continue
        digest = digests.get(name)
        if digest is None:
            continue
        groups[digest].append(cp)
    tofu = 0
    for cps in groups.values():
        if len(cps) >= TOFU_GROUP:
            tofu += len(cps)
        else:
            covered.update(cps)
    return frozenset(covered), tofu


def read_faces(path: Path) -> list[FaceInfo]:
    """The faces in a font file with family, style, weight and slant from its name and OS/2 tables."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = list(TTCollection(str(path), lazy=True).fonts)
        else:
            fonts = [TTFont(str(path), lazy=True)]
        faces = []
        for index, font in enumerate(fonts):
            name = font["name"]
            family = name.getBestFamilyName() or path.stem
            style = name.getBestSubFamilyName() or "Regular"
            os2 = font["OS/2"] if "OS/2" in font else None
            weight = int(os2.usWeightClass) if os2 is not None else 400
            italic = bool(os2.fsSelection & 1) if os2 is not None else "italic" in style.lower()
            faces.append(FaceInfo(path, index, str(family), str(style), weight, italic))
        return faces
    except Exception as exc:
        raise FontError(f"{path}: not a readable font: {exc}") from exc


def system_font_files() -> list[Path]:
    """Font files fontconfig knows (``fc-list``), else those under the usual font directories."""
    files: set[Path] = set()
    fc_list = shutil.which("fc-list")
    if fc_list:
        result = subprocess.run([fc_list, "--format", "%{file}\n"], capture_output=True, text=True, check=False)
        files.update(Path(line) for line in result.stdout.splitlines() if line.strip())
    else:
        for d in DEFAULT_FONT_DIRS:
            files.update(_scan(Path(d).expanduser()))
    return sorted(p for p in files if p.suffix.lower() in FONT_SUFFIXES)


def _scan(root: Path) -> list[Path]:
    if root.is_file():
        return [root] if root.suffix.lower() in FONT_SUFFIXES else []
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FontCatalog:
    """The faces on this machine and their coverage, cached across runs.

    >>> catalog = FontCatalog()
    >>> faces = catalog.match(FontSource(family="DejaVu Sans", licence="Bitstream-Vera"))  # doctest: +SKIP
    >>> catalog.coverage(faces[0]).fraction("Hello")  # doctest: +SKIP
    1.0
    """

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache or cache_dir()
        self._index_path = self.cache / "fonts" / "index.json"
        stored = read_json(self._index_path)
        valid = isinstance(stored, dict) and stored.get("version") == INDEX_VERSION
        self._index: dict[str, dict] = stored["files"] if valid else {}
        self._dirty = False
        self._system: list[FaceInfo] | None = None
        self._coverage: dict[str, FaceCoverage] = {}

    # --- the face index -------------------------------------------------------------------------
    def _entry(self, path: Path) -> dict:
        st = path.stat()
        key = str(path)
        entry = self._index.get(key)
        if entry and entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns:
            return entry
        faces = read_faces(path)
        entry = {
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": None,
            "faces": [[f.index, f.family, f.style, f.weight, f.italic] for f in faces],
        }
        self._index[key] = entry
        self._dirty = True
        return entry

    def faces_in(self, path: Path) -> list[FaceInfo]:
        """Faces of a file, or of every font file under a directory; unreadable files are skipped."""
        faces: list[FaceInfo] = []
        for file in _scan(path):
            try:
                entry = self._entry(file)
            except (OSError, FontError):
                continue
            faces.extend(FaceInfo(file, i, fam, sty, w, it) for i, fam, sty, w, it in entry["faces"])
        return faces

    def system_faces(self) -> list[FaceInfo]:
        if self._system is None:
            faces: list[FaceInfo] = []
            for file in system_font_files():
                faces.extend(self.faces_in(file))
            self._system = faces
            self.save()
        return self._system

    def match(self, source: FontSource) -> list[FaceInfo]:
        """The faces a font source designates, sorted by family, weight and style."""
        if source.path is not None:
            faces = self.faces_in(source.path)
        else:
            faces = [f for f in self.system_faces() if fnmatch.fnmatchcase(f.family.lower(), source.family.lower())]
        if source.style is not None:
            faces = [f for f in faces if fnmatch.fnmatchcase(f.style.lower(), source.style.lower())]
        self.save()
        return sorted(faces, key=lambda f: (f.family, f.weight, f.italic, f.style, str(f.path), f.index))

    # --- coverage -------------------------------------------------------------------------------
    def sha256(self, path: Path) -> str:
        entry = self._entry(path)
        if entry["sha256"] is None:
            entry["sha256"] = file_sha256(path)
            self._dirty = True
        return entry["sha256"]

    def coverage(self, face: FaceInfo) -> FaceCoverage:
        """What ``face`` draws, computed once per (file hash, face index) and cached on disk."""
        if face.key in self._coverage:
            return self._coverage[face.key]
        digest = self.sha256(face.path)
        path = self.cache / "fonts" / "coverage" / f"{digest}-{face.index}.json"
        stored = read_json(path)
        if isinstance(stored, dict) and stored.get("version") == COVERAGE_VERSION:
            result = FaceCoverage(digest, _from_ranges(stored["covered"]), int(stored["tofu"]))
        else:
            covered, tofu = compute_coverage(face.path, face.index)
            write_json(path, {"version": COVERAGE_VERSION, "covered": _ranges(covered), "tofu": tofu})
            result = FaceCoverage(digest, covered, tofu)
        self._coverage[face.key] = result
        self.save()
        return result

    def save(self) -> None:
        if self._dirty:
            try:
                write_json(self._index_path, {"version": INDEX_VERSION, "files": self._index})
            except OSError:  # a read-only cache is slower, not an error
                pass
            self._dirty = False


_default: FontCatalog | None = None


def default_catalog() -> FontCatalog:
    """One catalog per process (and per cache directory), so faces are indexed once."""
    global _default
    if _default is None or _default.cache != cache_dir():
        _default = FontCatalog()
    return _default


def environ_font_dirs() -> list[Path]:
    return [Path(d).expanduser() for d in os.environ.get("POLYOCR_FONT_DIRS", "").split(os.pathsep) if d.strip()]
