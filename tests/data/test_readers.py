"""Torch-free readers: global indexing over shards, laziness, and NVIDIA's variant of the schema."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import h5py
import numpy as np
import pytest

from polyocr.data.reader import DatasetReader, ShardReader, shard_paths
from polyocr.data.shards import encode_jpeg
from polyocr.errors import PolyocrError


def test_dataset_reader_indexes_globally(hand_dataset: Path, hand_pages) -> None:
    reader = DatasetReader(hand_dataset, split="train")
    assert len(reader) == 5 and reader.langs == ["en"]
    assert [reader[i].sample_id for i in range(5)] == [0, 1, 2, 3, 4]
    assert reader[-1].text == hand_pages[4].text
    assert reader[3].lang == "en" and reader[3].index == 1
    with pytest.raises(IndexError):
        reader[5]
    assert len(DatasetReader(hand_dataset, split="test")) == 1
    assert len(DatasetReader(hand_dataset, split="validation")) == 0


def test_shards_sort_numerically(tmp_path: Path, hand_pages) -> None:
    from polyocr.data.shards import write_shard

    for k in (2, 10, 1000, 999):
        write_shard(tmp_path / "en" / "train" / f"train_{k:03d}.h5", hand_pages[:1], [k])
    (tmp_path / "en" / "train" / ".train_003.h5.ab12.tmp").write_bytes(b"partial")
    names = [p.name for _, p in shard_paths(tmp_path, None, "train")]
    assert names == ["train_002.h5", "train_010.h5", "train_999.h5", "train_1000.h5"]


def test_reader_pickles_without_its_handle(hand_dataset: Path) -> None:
    reader = DatasetReader(hand_dataset)
    _ = reader[0]
    clone = pickle.loads(pickle.dumps(reader))
    assert clone[4].sample_id == 4


def test_unknown_language_or_root(hand_dataset: Path) -> None:
    with pytest.raises(PolyocrError, match="no 'train' pages for language 'xx'"):
        DatasetReader(hand_dataset, langs=["xx"])
    with pytest.raises(PolyocrError, match="no such dataset"):
        DatasetReader(hand_dataset / "nope")


def test_reads_nvidia_style_files(tmp_path: Path, hand_pages) -> None:
    """Their files: int64 dimensions, bytes strings, no ``meta`` or ``direction``, chunked and compressed."""
    path = tmp_path / "ja" / "validation" / "validation_000.h5"
    path.parent.mkdir(parents=True)
    anns = []
    for p in hand_pages:
        ann = {k: v for k, v in p.annotation.items() if k != "meta"}
        ann["line_bboxes"] = [{k: v for k, v in line.items() if k != "direction"} for line in ann["line_bboxes"]]
        anns.append(json.dumps(ann).encode())
    with h5py.File(path, "w") as f:
        images = f.create_dataset("images", (len(hand_pages),), dtype=h5py.vlen_dtype(np.uint8), chunks=True)
        for i, p in enumerate(hand_pages):
            images[i] = np.frombuffer(encode_jpeg(p.image, 100), np.uint8)
        f.create_dataset("annotations", data=np.array(anns, dtype=object), dtype=h5py.string_dtype("ascii"))
        f.create_dataset("dimensions", data=np.array([p.image.shape[:2] for p in hand_pages], np.int64))
        f.create_dataset("labels", data=np.array([p.text.encode() for p in hand_pages], dtype=object),
                         dtype=h5py.string_dtype("ascii"))
        f.create_dataset("qualities", data=np.full(len(hand_pages), 100, np.int64), compression="gzip")
        f.create_dataset("sample_ids", data=np.arange(len(hand_pages), dtype=np.int64) + 5000)
    reader = DatasetReader(tmp_path, split="validation")
    sample = reader[2]
    assert sample.lang == "ja" and sample.sample_id == 5002 and sample.quality == 100
    assert sample.text == hand_pages[2].text and sample.image.shape == hand_pages[2].image.shape
    assert "meta" not in sample.annotation

    from polyocr.data.verify import verify_dataset
    from polyocr.lang.vocabulary import Vocabulary

    assert list(verify_dataset(tmp_path, vocabulary=Vocabulary("abcdefghij"))) == []


def test_not_a_shard(tmp_path: Path) -> None:
    bad = tmp_path / "x.h5"
    bad.write_bytes(b"nope")
    with pytest.raises(PolyocrError, match="not a readable HDF5 shard"):
        len(ShardReader(bad))
