"""Torch-free readers of HDF5 shards: ours and NVIDIA's OCR-Synthetic-Multilingual-v1 files alike.

Reads are lazy and per item (one page's JPEG bytes and JSON, never a whole shard), so a reader over
millions of pages costs nothing until indexed. The HDF5 handle is opened on first use in each process
and never pickled, which makes readers safe to hand to DataLoader workers and process pools.

Tolerant by design: NVIDIA's annotations lack our ``meta`` and ``direction`` keys, their integer
fields may be int64, and their strings may come back as bytes; all of that reads the same here.

>>> reader = DatasetReader("data/v2", langs=["ja"], split="train")   # doctest: +SKIP
>>> page = reader[17]                                                # doctest: +SKIP
>>> page.image.shape, page.annotation["line_bboxes"][0]["text"]       # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

from polyocr.data import schema
from polyocr.errors import PolyocrError


def _text(value) -> str:  # noqa: ANN001 - h5py hands back str, bytes or numpy scalars
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):  # a string stored as vlen uint8
        return value.tobytes().decode("utf-8")
    return str(value)


def _bytes(value) -> bytes:  # noqa: ANN001
    if isinstance(value, np.ndarray):
        return value.tobytes()
    if isinstance(value, np.void):
        return value.tobytes()
    if isinstance(value, str):
        return value.encode("latin-1")
    return bytes(value)


def decode_jpeg(data: bytes) -> np.ndarray:
    """RGB uint8 pixels of an encoded image."""
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGB"))


@dataclass
class Sample:
    """One page of a shard. The image is decoded only when asked for (``jpeg`` holds the raw bytes)."""

    jpeg: bytes
    annotation: dict
    text: str
    dims: tuple[int, int]
    """[height, width] as stored in the shard."""
    quality: int
    sample_id: int
    lang: str | None = None
    shard: Path | None = None
    index: int | None = field(default=None)
    """Position of the page in its shard."""

    @cached_property
    def image(self) -> np.ndarray:
        """The page as H×W×3 uint8 RGB."""
        return decode_jpeg(self.jpeg)


class ShardReader:
    """Random access to the pages of one shard file."""

    def __init__(self, path: str | Path, lang: str | None = None) -> None:
        self.path = Path(path)
        self.lang = lang
        self._file: h5py.File | None = None
        self._pid: int | None = None
        self._len: int | None = None

    # --- the handle (opened per process, never pickled) ----------------------------------------------
    @property
    def file(self) -> h5py.File:
        if self._file is None or self._pid != os.getpid():
            try:
                self._file = h5py.File(self.path, "r")
            except OSError as exc:
                raise PolyocrError(f"{self.path}: not a readable HDF5 shard ({exc})") from None
            self._pid = os.getpid()
            missing = [k for k in schema.FIELDS if k not in self._file]
            if missing:
                raise PolyocrError(f"{self.path}: not a shard of the OCR-Synthetic-Multilingual schema "
                                   f"(missing {', '.join(missing)})")
        return self._file

    def close(self) -> None:
        if self._file is not None and self._pid == os.getpid():
            self._file.close()
        self._file = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_file": None, "_pid": None}

    def __enter__(self) -> ShardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- pages ---------------------------------------------------------------------------------------
    def __len__(self) -> int:
        if self._len is None:
            self._len = int(self.file[schema.SAMPLE_IDS].shape[0])
        return self._len

    def _check(self, index: int) -> int:
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"page {index} of a shard of {n}")
        return index

    def jpeg(self, index: int) -> bytes:
        """The page's encoded image bytes, exactly as stored."""
        return _bytes(self.file[schema.IMAGES][self._check(index)])

    def annotation(self, index: int) -> dict:
        return json.loads(_text(self.file[schema.ANNOTATIONS][self._check(index)]))

    def label(self, index: int) -> str:
        return _text(self.file[schema.LABELS][self._check(index)])

    def __getitem__(self, index: int) -> Sample:
        index = self._check(index)
        f = self.file
        h, w = (int(v) for v in f[schema.DIMENSIONS][index])
        return Sample(
            jpeg=_bytes(f[schema.IMAGES][index]),
            annotation=json.loads(_text(f[schema.ANNOTATIONS][index])),
            text=_text(f[schema.LABELS][index]),
            dims=(h, w),
            quality=int(f[schema.QUALITIES][index]),
            sample_id=int(f[schema.SAMPLE_IDS][index]),
            lang=self.lang,
            shard=self.path,
            index=index,
        )

    def __iter__(self) -> Iterator[Sample]:
        for i in range(len(self)):
            yield self[i]

    def annotations(self) -> Iterator[tuple[dict, str]]:
        """Every page's (annotation, label) without touching the images (for stats)."""
        f = self.file
        for raw, label in zip(f[schema.ANNOTATIONS][:], f[schema.LABELS][:], strict=True):
            yield json.loads(_text(raw)), _text(label)


def shard_paths(root: str | Path, langs: list[str] | None = None, split: str = "train") -> list[tuple[str, Path]]:
    """(language, shard file) of ``{root}/{lang}/{split}/*.h5``, languages sorted, shards in numeric order."""
    root = Path(root)
    if not root.is_dir():
        raise PolyocrError(f"{root}: no such dataset directory")
    codes = langs if langs else sorted(p.name for p in root.iterdir() if (p / split).is_dir())
    out: list[tuple[str, Path]] = []
    for code in codes:
        folder = root / code / split
        if langs and not folder.is_dir():
            raise PolyocrError(f"{root}: no {split!r} pages for language {code!r} (expected {folder})")
        files = [p for p in folder.glob("*.h5") if not p.name.startswith(".")]
        out.extend((code, p) for p in sorted(files, key=lambda p: schema.shard_sort_key(p.name)))
    return out


class DatasetReader:
    """All pages of one split of a dataset, indexed globally: languages in order, then shards, then pages."""

    def __init__(self, root: str | Path, langs: list[str] | None = None, split: str = "train") -> None:
        self.root = Path(root)
        self.split = split
        self.shards = [ShardReader(p, lang) for lang, p in shard_paths(self.root, langs, split)]
        self.langs = list(dict.fromkeys(s.lang for s in self.shards))
        self._starts: list[int] = []
        total = 0
        for s in self.shards:
            self._starts.append(total)
            total += len(s)
            s.close()  # the length is known; keep no handle per shard open in the parent
        self._len = total

    def __len__(self) -> int:
        return self._len

    def locate(self, index: int) -> tuple[ShardReader, int]:
        """The shard holding global page ``index`` and the page's position in it."""
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(f"page {index} of a dataset of {self._len}")
        k = bisect.bisect_right(self._starts, index) - 1
        return self.shards[k], index - self._starts[k]

    def __getitem__(self, index: int) -> Sample:
        shard, local = self.locate(index)
        return shard[local]

    def __iter__(self) -> Iterator[Sample]:
        for shard in self.shards:
            yield from shard

    def close(self) -> None:
        for s in self.shards:
            s.close()
