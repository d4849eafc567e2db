"""The shard writer: same pages → same bytes; a shard appears whole or not at all; any HDF5 reader reads it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from polyocr.data import schema
from polyocr.data.reader import ShardReader
from polyocr.data.shards import file_sha256, write_shard


def test_same_pages_same_bytes(tmp_path: Path, hand_pages) -> None:
    a = write_shard(tmp_path / "a" / "train_000.h5", hand_pages)
    time.sleep(1.1)  # HDF5 timestamps have one-second resolution: they would differ now
    b = write_shard(tmp_path / "b" / "train_000.h5", hand_pages)
    assert file_sha256(a) == file_sha256(b)


def test_fields_and_dtypes(tmp_path: Path, hand_pages) -> None:
    path = write_shard(tmp_path / "s.h5", hand_pages, range(10, 15))
    with h5py.File(path, "r") as f:
        assert sorted(f.keys()) == sorted(schema.FIELDS)
        assert f["dimensions"].dtype == np.int32 and f["dimensions"].shape == (5, 2)
        assert f["qualities"].dtype == np.int32 and f["sample_ids"].dtype == np.int64
        assert h5py.check_vlen_dtype(f["images"].dtype) == np.uint8
        assert h5py.check_string_dtype(f["annotations"].dtype).encoding == "utf-8"
        assert f["sample_ids"][:].tolist() == [10, 11, 12, 13, 14]
        text = f["annotations"][0].decode("utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def test_round_trip(tmp_path: Path, hand_pages) -> None:
    path = write_shard(tmp_path / "s.h5", hand_pages)
    reader = ShardReader(path)
    assert len(reader) == len(hand_pages)
    for page, sample in zip(hand_pages, reader, strict=True):
        assert sample.annotation == page.annotation
        assert sample.text == page.text
        assert sample.dims == page.image.shape[:2] and sample.quality == 90
        assert sample.image.shape == page.image.shape
        assert np.abs(sample.image.astype(int) - page.image).mean() < 3  # JPEG at q90
        assert sample.jpeg[:2] == b"\xff\xd8" and b"Exif" not in sample.jpeg[:64]
    # a sample read back is copied as is, not re-encoded
    copy = write_shard(tmp_path / "copy.h5", list(reader))
    assert file_sha256(copy) == file_sha256(path)


def test_independent_reader_accepts_our_files(tmp_path: Path, hand_pages, nvidia_reader) -> None:
    pages = nvidia_reader(write_shard(tmp_path / "s.h5", hand_pages))
    assert [p["label"] for p in pages] == [p.text for p in hand_pages]


def test_failed_write_leaves_nothing(tmp_path: Path, hand_pages, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    original = h5py.Group.create_dataset
    monkeypatch.setattr(h5py.Group, "create_dataset", boom)
    with pytest.raises(KeyboardInterrupt):
        write_shard(tmp_path / "s.h5", hand_pages)
    assert list(tmp_path.iterdir()) == []
