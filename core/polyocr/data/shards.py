"""Writing one HDF5 shard: byte-deterministic, and atomic (a shard appears only when complete).

Determinism: the same pages give the same file bytes, so a dataset can be checked by hashing it and
regenerated anywhere. HDF5 records object modification times unless told not to, so every dataset is
created with ``track_times=False``; the file format version range is pinned (``libver``) so a newer
HDF5 library does not silently pick newer on-disk structures; datasets are contiguous and written in
one fixed order; JPEG is encoded with fixed options and no metadata.

Atomicity: the shard is written under a hidden temporary name in the same directory, flushed to disk,
then renamed over the final name (``os.replace`` is atomic within a filesystem). An interrupted write
leaves only a ``.*.tmp`` file, which the next ``generate`` deletes. Temporary names carry a random
token: two writers of the same shard (a resumed run racing a dying worker) never share a file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import h5py
import numpy as np
from PIL import Image

from polyocr.data import schema

LIBVER = ("earliest", "v110")
"""Oldest readable on-disk structures up to HDF5 1.10's: fixed, and readable by any h5py of the last decade."""
TMP_SUFFIX = ".tmp"


class PageLike(Protocol):
    """What the writer needs from a page (``PageComposer``'s ``PageSample`` has all of it)."""

    image: np.ndarray
    annotation: dict
    text: str
    quality: int


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    """JPEG bytes of an RGB page: fixed options, no EXIF/ICC, so the bytes depend on the pixels only."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8), "RGB").save(
        buf, "JPEG", quality=int(quality), optimize=False, progressive=False)
    return buf.getvalue()


def dump_annotation(annotation: dict) -> str:
    """The canonical JSON text of an annotation (sorted keys, compact, UTF-8 kept readable)."""
    return json.dumps(annotation, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def tmp_path_for(path: Path) -> Path:
    """A fresh hidden temporary name beside ``path`` (``.train_000.h5.<token>.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def is_tmp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TMP_SUFFIX)


@dataclass
class EncodedPage:
    """A page ready for a shard: JPEG bytes and canonical JSON (what a worker keeps in memory)."""

    jpeg: bytes
    annotation_json: str
    text: str
    quality: int
    dims: tuple[int, int]
    """[height, width]."""


def encode_page(page: PageLike) -> EncodedPage:
    """Encode a page once; a sample that already carries JPEG bytes (read from a shard) is not re-encoded."""
    if isinstance(page, EncodedPage):
        return page
    jpeg = getattr(page, "jpeg", None)
    if jpeg is None:
        h, w = page.image.shape[:2]
        jpeg = encode_jpeg(page.image, page.quality)
    else:
        h, w = (int(v) for v in page.dims)
    return EncodedPage(jpeg, dump_annotation(page.annotation), page.text, int(page.quality), (int(h), int(w)))


def write_shard(path: str | Path, samples: Sequence[PageLike | EncodedPage],
                sample_ids: Sequence[int] | None = None) -> Path:
    """Write ``samples`` as one shard at ``path`` (atomically) and return the path.

    Samples are pages (``image``, ``annotation``, ``text``, ``quality``), :class:`EncodedPage`s, or
    :class:`~polyocr.data.reader.Sample`s read from another shard (copied, not re-encoded).
    ``sample_ids`` default to the samples' own ``sample_id`` attributes, else 0, 1, 2, …

    >>> write_shard("out/en/train/train_000.h5", pages, sample_ids=range(0, len(pages)))  # doctest: +SKIP
    """
    path = Path(path)
    samples = list(samples)
    if sample_ids is None:
        sample_ids = [int(getattr(s, "sample_id", i)) for i, s in enumerate(samples)]
    sample_ids = [int(i) for i in sample_ids]
    if len(sample_ids) != len(samples):
        raise ValueError(f"{len(samples)} samples but {len(sample_ids)} sample ids")
    pages = [encode_page(s) for s in samples]
    columns = {
        schema.IMAGES: _object_array([np.frombuffer(p.jpeg, dtype=np.uint8) for p in pages]),
        schema.ANNOTATIONS: _object_array([p.annotation_json for p in pages]),
        schema.DIMENSIONS: np.array([p.dims for p in pages], dtype=np.int32).reshape(len(pages), 2),
        schema.LABELS: _object_array([p.text for p in pages]),
        schema.QUALITIES: np.array([p.quality for p in pages], dtype=np.int32),
        schema.SAMPLE_IDS: np.array(sample_ids, dtype=np.int64),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path_for(path)
    try:
        with h5py.File(tmp, "w", libver=LIBVER, track_order=False) as f:
            for name, dtype in schema.FIELDS.items():
                f.create_dataset(name, data=columns[name], dtype=dtype, track_times=False)
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):  # element-wise: equal-length arrays must not broadcast into 2-D
        out[i] = item
    return out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (best effort: some filesystems refuse directory fsync)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
