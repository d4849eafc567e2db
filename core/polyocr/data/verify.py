"""``polyocr dataset verify``: prove a dataset is well-formed before hours of training read it.

Every shard is checked against the schema (fields, dtypes, equal lengths) and the manifest (hash,
page count); every page for: a decodable JPEG of the stored size; an annotation matching the schema;
every box inside the image and equal to the bounds of its quad; line → word indices valid; the
relation graph covering each line exactly once with the line's own words; no empty words; every
character in the vocabulary of the installed packs; and the page label equal to the lines' text in
reading order. Boxes are compared to ±1 px (they are stored rounded to 0.01 px and clipped to the page).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
from PIL import Image
from pydantic import ValidationError

from polyocr.data import schema
from polyocr.data.shards import file_sha256, is_tmp
from polyocr.errors import PolyocrError
from polyocr.lang.vocabulary import Vocabulary

TOLERANCE = 1.0


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is (a file, and a page index within it when it concerns one page)."""

    path: Path
    message: str
    index: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}[{self.index}]" if self.index is not None else str(self.path)
        return f"{where}: {self.message}"


class Report(list[Problem]):
    """The problems found (a list, empty when all is well), and how much was checked."""

    def __init__(self, problems: Iterable[Problem] = (), pages: int = 0, shards: int = 0) -> None:
        super().__init__(problems)
        self.pages = pages
        self.shards = shards


def installed_vocabulary() -> Vocabulary:
    from polyocr.lang.registry import load_languages

    return Vocabulary.from_packs(load_languages().packs.values())


# --- one page ---------------------------------------------------------------------------------------
def _bounds(quad: Iterable[Iterable[float]], width: int, height: int) -> tuple[float, float, float, float]:
    q = np.asarray(quad, dtype=float)
    x0, y0 = np.clip(q.min(0), 0, [width, height])
    x1, y1 = np.clip(q.max(0), 0, [width, height])
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


def _box_problems(kind: str, i: int, entry: schema._Entry, width: int, height: int) -> list[str]:
    x, y, w, h = entry.bbox
    out = []
    if w < 0 or h < 0 or x < -TOLERANCE or y < -TOLERANCE or x + w > width + TOLERANCE or y + h > height + TOLERANCE:
        out.append(f"{kind} {i} bbox {list(entry.bbox)} is outside the {width}×{height} image")
    expected = _bounds(entry.quad, width, height)
    if any(abs(a - b) > TOLERANCE for a, b in zip(entry.bbox, expected, strict=True)):
        out.append(f"{kind} {i} bbox {list(entry.bbox)} is not the bounds of its quad "
                   f"({[round(v, 2) for v in expected]})")
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def check_annotation(ann: schema.Annotation, label: str, width: int, height: int,
                     vocabulary: Vocabulary | None) -> list[str]:
    """Everything wrong with one page's labels (empty when it is consistent)."""
    out: list[str] = []
    words, lines = ann.word_bboxes, ann.line_bboxes
    for i, word in enumerate(words):
        if not word.text.strip():
            out.append(f"word {i} has no text")
        out.extend(_box_problems("word", i, word, width, height))
    for i, line in enumerate(lines):
        out.extend(_box_problems("line", i, line, width, height))
    for i, para in enumerate(ann.para_bboxes):
        out.extend(_box_problems("paragraph", i, para, width, height))
        bad = [j for j in para.line_indices if not 0 <= j < len(lines)]
        if bad:
            out.append(f"paragraph {i} lists lines {bad} that do not exist")
    owner: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not line.word_indices:
            out.append(f"line {i} has no words")
        for w in line.word_indices:
            if not 0 <= w < len(words):
                out.append(f"line {i} lists word {w}, but the page has {len(words)} words")
            elif w in owner:
                out.append(f"word {w} belongs to lines {owner[w]} and {i}")
            else:
                owner[w] = i
    orphans = [w for w in range(len(words)) if w not in owner]
    if orphans:
        out.append(f"words {orphans[:10]}{'…' if len(orphans) > 10 else ''} belong to no line")
    # the relation graph: paragraphs → lines → word indices, each line exactly once
    by_words = {tuple(line.word_indices): i for i, line in enumerate(lines)}
    seen: dict[int, int] = {}
    order: list[int] = []
    for p, para in enumerate(ann.relation_graph):
        for k, line_words in enumerate(para):
            i = by_words.get(tuple(line_words))
            if i is None:
                out.append(f"relation_graph[{p}][{k}] = {line_words} are not the words of any line")
                continue
            if i in seen:
                out.append(f"line {i} appears twice in relation_graph")
                continue
            seen[i] = p
            order.append(i)
            if (lines[i].para_idx, lines[i].line_idx) != (p, k):
                out.append(f"line {i} says paragraph {lines[i].para_idx} line {lines[i].line_idx}, "
                           f"relation_graph puts it at [{p}][{k}]")
    missing = [i for i in range(len(lines)) if i not in seen]
    if missing:
        out.append(f"lines {missing[:10]}{'…' if len(missing) > 10 else ''} are missing from relation_graph")
    if vocabulary is not None:
        unknown = sorted({c for word in words for c in vocabulary.missing(word.text)})
        if unknown:
            listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in unknown[:20])
            out.append(f"characters not in the vocabulary: {listed}{' …' if len(unknown) > 20 else ''}")
    if not missing and _squash(label) != _squash("".join(lines[i].text for i in order)):
        out.append("labels is not the lines' text in reading order")
    return out


def check_page(jpeg: bytes, annotation_json: str, label: str, dims: tuple[int, int],
               vocabulary: Vocabulary | None) -> list[str]:
    """Everything wrong with one stored page: its image, its annotation and its label."""
    out: list[str] = []
    height, width = dims
    try:
        with Image.open(io.BytesIO(jpeg)) as img:
            img.load()
            if (img.height, img.width) != (height, width):
                out.append(f"image is {img.height}×{img.width}, dimensions say {height}×{width}")
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the finding
        out.append(f"image does not decode: {exc}")
    try:
        ann = schema.Annotation.model_validate(json.loads(annotation_json))
    except json.JSONDecodeError as exc:
        return [*out, f"annotation is not JSON: {exc}"]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return [*out, f"annotation does not match the schema: {where}: {first['msg']}"]
    return out + check_annotation(ann, label, width, height, vocabulary)


# --- one shard --------------------------------------------------------------------------------------
def _schema_problems(f: h5py.File) -> list[str]:
    out = []
    missing = [k for k in schema.FIELDS if k not in f]
    if missing:
        return [f"missing fields: {', '.join(missing)}"]
    lengths = {k: f[k].shape[0] if f[k].shape else 0 for k in schema.FIELDS}
    if len(set(lengths.values())) != 1:
        out.append(f"fields have different lengths: {lengths}")
    for name in (schema.ANNOTATIONS, schema.LABELS):
        if h5py.check_string_dtype(f[name].dtype) is None:
            out.append(f"{name} is {f[name].dtype}, not variable-length strings")
    images = f[schema.IMAGES].dtype
    if h5py.check_vlen_dtype(images) is None and h5py.check_string_dtype(images) is None and images.kind != "V":
        out.append(f"images is {images}, not variable-length bytes")
    dims = f[schema.DIMENSIONS]
    if dims.dtype.kind not in "iu" or dims.ndim != 2 or dims.shape[1] != 2:
        out.append(f"dimensions is {dims.dtype} {dims.shape}, not integer N×2")
    for name in (schema.QUALITIES, schema.SAMPLE_IDS):
        if f[name].dtype.kind not in "iu":
            out.append(f"{name} is {f[name].dtype}, not integers")
    return out


def verify_shard(path: Path, vocabulary: Vocabulary | None) -> tuple[list[Problem], int]:
    """The problems of one shard file, and its number of pages."""
    from polyocr.data.reader import _bytes, _text

    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        return [Problem(path, f"not a readable HDF5 file ({exc})")], 0
    with f:
        found = [Problem(path, m) for m in _schema_problems(f)]
        if found:
            return found, 0
        n = f[schema.SAMPLE_IDS].shape[0]
        images, anns, labels, dims = (f[schema.IMAGES], f[schema.ANNOTATIONS], f[schema.LABELS],
                                      f[schema.DIMENSIONS][:])
        ids = f[schema.SAMPLE_IDS][:]
        if len(set(ids.tolist())) != len(ids):
            found.append(Problem(path, "sample_ids are not unique"))
        for i in range(n):
            messages = check_page(_bytes(images[i]), _text(anns[i]), _text(labels[i]),
                                  (int(dims[i][0]), int(dims[i][1])), vocabulary)
            found.extend(Problem(path, m, i) for m in messages)
    return found, n


# --- a dataset --------------------------------------------------------------------------------------
def _manifest_shards(root: Path) -> dict[Path, dict]:
    path = root / "manifest.json"
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return {root / lang / split / s["file"]: s
                for lang, splits in manifest.get("splits", {}).items()
                for split, entry in splits.items() for s in entry.get("shards", [])}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PolyocrError(f"{path}: unreadable manifest ({exc})") from None


def verify_dataset(root: str | Path, vocabulary: Vocabulary | None = None,
                   on_shard: Callable[[Path], None] | None = None) -> Report:
    """Check every shard under ``root`` (``{lang}/{split}/*.h5``; or one shard file) and return the problems.

    ``vocabulary`` defaults to the installed packs' vocabulary.

    >>> problems = verify_dataset("data/v2")          # doctest: +SKIP
    >>> print("\\n".join(map(str, problems)) or "ok")  # doctest: +SKIP
    """
    root = Path(root)
    vocabulary = vocabulary if vocabulary is not None else installed_vocabulary()
    if root.is_file():
        found, n = verify_shard(root, vocabulary)
        return Report(found, n, 1)
    if not root.is_dir():
        raise PolyocrError(f"{root}: no such dataset directory")
    listed = _manifest_shards(root)
    report = Report()
    files = sorted((p for p in root.glob("*/*/*") if p.is_file()),
                   key=lambda p: (p.parent.parent.name, p.parent.name, schema.shard_sort_key(p.name)))
    for path in files:
        if is_tmp(path):
            report.append(Problem(path, "temporary file of an interrupted generate (rerun generate, or delete it)"))
            continue
        if path.suffix != ".h5":
            continue
        if on_shard:
            on_shard(path)
        found, n = verify_shard(path, vocabulary)
        report.extend(found)
        report.pages += n
        report.shards += 1
        entry = listed.pop(path, None)
        if entry is not None:
            if entry.get("pages") != n:
                report.append(Problem(path, f"has {n} pages, the manifest says {entry.get('pages')}"))
            if entry.get("sha256") and entry["sha256"] != file_sha256(path):
                report.append(Problem(path, "sha256 differs from the manifest (file changed since it was written)"))
    for path in listed:
        report.append(Problem(path, "listed in the manifest but missing"))
    if report.shards == 0 and not report:
        report.append(Problem(root, "no shards found (expected {lang}/{split}/{split}_NNN.h5)"))
    return report
