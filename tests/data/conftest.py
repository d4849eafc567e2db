"""Fixtures for the dataset tests: hand-made pages with consistent labels, and one small generated dataset."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

from polyocr.data.shards import write_shard


@dataclass
class HandPage:
    image: np.ndarray
    annotation: dict
    text: str
    quality: int


def _rect(x: float, y: float, w: float, h: float) -> list[list[float]]:
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def hand_page(rng: np.random.Generator, height: int = 120, width: int = 200) -> HandPage:
    """A page of two paragraphs (2 lines + 1 line) of ASCII words, drawn as dark boxes, labels exact."""
    image = np.full((height, width, 3), 250, np.uint8)
    words, lines, paras, graph = [], [], [], []
    y = 8.0
    for p, n_lines in enumerate((2, 1)):
        para_lines, para_graph = [], []
        top = y
        for k in range(n_lines):
            x, ids = 6.0, []
            texts = ["".join(rng.choice(list("abcdefghij"), int(rng.integers(2, 6)))) for _ in range(3)]
            for t in texts:
                w = 8.0 * len(t)
                image[int(y):int(y + 14), int(x):int(x + w)] = 30
                ids.append(len(words))
                words.append({"text": t, "bbox": [x, y, w, 14.0], "quad": _rect(x, y, w, 14.0)})
                x += w + 6
            right = x - 6
            para_lines.append(len(lines))
            lines.append({"text": " ".join(texts), "bbox": [6.0, y, right - 6, 14.0], "quad": _rect(6.0, y, right - 6, 14.0),
                          "para_idx": p, "line_idx": k, "word_indices": ids, "direction": "ltr"})
            para_graph.append(ids)
            y += 20
        x1 = max(lines[i]["bbox"][0] + lines[i]["bbox"][2] for i in para_lines)
        paras.append({"text": " ".join(lines[i]["text"] for i in para_lines), "bbox": [6.0, top, x1 - 6, y - 6 - top],
                      "quad": _rect(6.0, top, x1 - 6, y - 6 - top), "line_indices": para_lines})
        graph.append(para_graph)
        y += 10
    text = "\n\n".join("\n".join(lines[i]["text"] for i in p["line_indices"]) for p in paras)
    annotation = {"word_bboxes": words, "line_bboxes": lines, "para_bboxes": paras, "relation_graph": graph,
                  "meta": {"language": "en", "layout": "hand", "size": [height, width]}}
    return HandPage(image, annotation, text, 90)


@pytest.fixture
def hand_pages() -> list[HandPage]:
    rng = np.random.default_rng(3)
    return [hand_page(rng) for _ in range(5)]


@pytest.fixture
def hand_dataset(tmp_path: Path, hand_pages: list[HandPage]) -> Path:
    """``en/train`` with shards of 2, 2 and 1 hand-made pages, and ``en/test`` with one shard."""
    root = tmp_path / "hand"
    for k, start in enumerate(range(0, 5, 2)):
        chunk = hand_pages[start:start + 2]
        write_shard(root / "en" / "train" / f"train_{k:03d}.h5", chunk, range(start, start + len(chunk)))
    write_shard(root / "en" / "test" / "test_000.h5", hand_pages[:1], [0])
    return root


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en and ja, 3 pages each, shards of 2, seed 7, made once in-process (read-only for the tests)."""
    from polyocr.data.generate import generate

    out = tmp_path_factory.mktemp("small") / "ds"
    generate(out, ["en", "ja"], pages=3, seed=7, workers=1, shard_size=2, progress=False)
    return out


@pytest.fixture
def small_copy(small_dataset: Path, tmp_path: Path) -> Path:
    """A writable copy of the small generated dataset."""
    dest = tmp_path / "copy"
    shutil.copytree(small_dataset, dest)
    return dest


def _tree_digest(root: Path) -> dict[str, str]:
    from polyocr.data.shards import file_sha256

    return {str(p.relative_to(root)): file_sha256(p) for p in sorted(root.rglob("*.h5")) if not p.name.startswith(".")}


@pytest.fixture(scope="session")
def tree_digest():
    """sha256 of every shard under a root, by relative path (manifest and temp files left out)."""
    return _tree_digest


def read_nvidia_schema(path: Path) -> list[dict]:
    """An independent reader of the OCR-Synthetic-Multilingual-v1 schema: h5py, json and PIL only."""
    pages = []
    with h5py.File(path, "r") as f:
        keys = ("images", "annotations", "dimensions", "labels", "qualities", "sample_ids")
        assert set(keys) <= set(f.keys())
        n = len(f["images"])
        assert all(len(f[k]) == n for k in keys)
        for i in range(n):
            img = Image.open(io.BytesIO(np.asarray(f["images"][i], dtype=np.uint8).tobytes()))
            assert img.format == "JPEG"
            h, w = (int(v) for v in f["dimensions"][i])
            assert (img.height, img.width) == (h, w)
            raw = f["annotations"][i]
            ann = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
            for key in ("word_bboxes", "line_bboxes", "para_bboxes", "relation_graph"):
                assert key in ann
            for word in ann["word_bboxes"]:
                assert set(word) >= {"text", "bbox", "quad"} and len(word["bbox"]) == 4 and len(word["quad"]) == 4
            for line in ann["line_bboxes"]:
                assert set(line) >= {"text", "bbox", "quad", "para_idx", "line_idx", "word_indices"}
            label = f["labels"][i]
            pages.append({"image": np.asarray(img.convert("RGB")), "annotation": ann,
                          "label": label.decode("utf-8") if isinstance(label, bytes) else label,
                          "quality": int(f["qualities"][i]), "sample_id": int(f["sample_ids"][i])})
    return pages


@pytest.fixture(scope="session")
def nvidia_reader():
    """``read_nvidia_schema``: reads a shard with h5py, json and PIL only, asserting the public schema."""
    return read_nvidia_schema
