"""verify, stats and show on hand-made pages (independent of the page composer)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

from polyocr.data.reader import ShardReader
from polyocr.data.shards import write_shard
from polyocr.data.show import reading_order, render_labels, show_sample
from polyocr.data.stats import dataset_stats
from polyocr.data.verify import verify_dataset
from polyocr.lang.vocabulary import Vocabulary

VOCAB = Vocabulary("abcdefghij")


class _Pack:
    charset = "abcdefghijk"


def _rewrite(path: Path, index: int, edit) -> None:
    """Copy a shard with page ``index``'s annotation passed through ``edit`` (images kept byte for byte)."""
    samples = list(ShardReader(path))
    edit(samples[index].annotation)
    write_shard(path, samples)


def test_good_dataset_has_no_problems(hand_dataset: Path) -> None:
    report = verify_dataset(hand_dataset, vocabulary=VOCAB)
    assert list(report) == [] and report.pages == 6 and report.shards == 4


def test_verify_finds_corruption(hand_dataset: Path) -> None:
    shard = hand_dataset / "en" / "train" / "train_001.h5"

    def corrupt(ann: dict) -> None:
        ann["word_bboxes"][0]["bbox"] = [190.0, 8.0, 40.0, 14.0]      # sticks out of the 200 px page
        ann["relation_graph"][0].pop(1)                               # line 1 is no longer in reading order
        ann["word_bboxes"][2]["text"] = "aΩb"                         # a character no pack has

    _rewrite(shard, 1, corrupt)
    found = [str(p) for p in verify_dataset(hand_dataset, vocabulary=VOCAB)]
    assert all("train_001.h5[1]" in p for p in found), found
    joined = "\n".join(found)
    assert "word 0 bbox [190.0, 8.0, 40.0, 14.0] is outside the 200×120 image" in joined
    assert "word 0 bbox" in joined and "is not the bounds of its quad" in joined
    assert "lines [1] are missing from relation_graph" in joined
    assert "'Ω' (U+03A9)" in joined


def test_verify_finds_broken_files(hand_dataset: Path) -> None:
    train = hand_dataset / "en" / "train"
    with h5py.File(train / "train_000.h5", "a") as f:
        del f["labels"]
    with h5py.File(train / "train_001.h5", "a") as f:
        f["dimensions"][0] = [10, 10]
    (train / ".train_002.h5.ab.tmp").write_bytes(b"")
    found = [str(p) for p in verify_dataset(hand_dataset, vocabulary=VOCAB)]
    assert any("train_000.h5: missing fields: labels" in p for p in found)
    assert any("train_001.h5[0]: image is 120×200, dimensions say 10×10" in p for p in found)
    assert any("temporary file of an interrupted generate" in p for p in found)


def test_verify_checks_labels_and_word_indices(hand_dataset: Path) -> None:
    shard = hand_dataset / "en" / "test" / "test_000.h5"

    def corrupt(ann: dict) -> None:
        ann["line_bboxes"][2]["word_indices"] = [99]
        ann["word_bboxes"][1]["text"] = " "

    samples = list(ShardReader(shard))
    corrupt(samples[0].annotation)
    samples[0].text = "something else"
    write_shard(shard, samples)
    joined = "\n".join(map(str, verify_dataset(hand_dataset, vocabulary=VOCAB)))
    assert "line 2 lists word 99, but the page has" in joined
    assert "word 1 has no text" in joined
    assert "relation_graph[1][0]" in joined


def test_stats(hand_dataset: Path, hand_pages) -> None:
    stats = dataset_stats(hand_dataset, packs={"en": _Pack(), "ja": _Pack()})
    assert stats.pages == {"en": {"train": 5, "test": 1}}
    chars = sum(len(w["text"]) for p in hand_pages for w in p.annotation["word_bboxes"])
    assert stats.characters["en"] == chars + len("".join(w["text"] for w in hand_pages[0].annotation["word_bboxes"]))
    assert stats.layouts == {"hand": 6}
    assert set(stats.coverage) == {"en"}  # only languages present in the dataset
    cov = stats.coverage["en"]
    assert cov["charset"] == 11 and cov["seen"] == 10 / 11 and 0 < cov["enough"] <= cov["seen"]
    assert "charset seen" in stats.format()
    json.dumps(stats.to_dict())


def test_show_draws_boxes_and_order(tmp_path: Path, hand_pages) -> None:
    page = hand_pages[0]
    assert reading_order(page.annotation) == [0, 1, 2]
    drawn = np.asarray(render_labels(page.image, page.annotation))
    assert drawn.shape == page.image.shape and (drawn != page.image).any()
    x, y = (int(v) for v in page.annotation["word_bboxes"][0]["quad"][0])
    assert tuple(drawn[y, x]) != tuple(page.image[y, x])
    path = write_shard(tmp_path / "s.h5", hand_pages)
    out = show_sample(ShardReader(path)[0], tmp_path / "out" / "page.png")
    assert Image.open(out).size == (200, 120)


def test_verify_a_single_file_and_missing_shards(hand_dataset: Path) -> None:
    shard = hand_dataset / "en" / "train" / "train_000.h5"
    assert list(verify_dataset(shard, vocabulary=VOCAB)) == []
    shutil.rmtree(hand_dataset / "en")
    assert "no shards found" in str(verify_dataset(hand_dataset, vocabulary=VOCAB)[0])
