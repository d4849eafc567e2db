"""Torch datasets: every page once across workers and ranks, and the same pages whatever num_workers is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.utils.data import DataLoader  # noqa: E402

from polyocr.data.reader import DatasetReader  # noqa: E402
from polyocr.data.torch_data import OnTheFlyDataset, ShardDataset, even_range  # noqa: E402


def _ids(dataset, workers: int) -> list[tuple[str, int]]:
    loader = DataLoader(dataset, batch_size=None, num_workers=workers)
    return [(s.shard.name, s.sample_id) for s in loader]


def test_even_ranges_cover_once() -> None:
    for n in range(0, 12):
        for parts in range(1, 5):
            got = [i for p in range(parts) for i in even_range(n, p, parts)]
            assert got == list(range(n))
            sizes = [len(even_range(n, p, parts)) for p in range(parts)]
            assert max(sizes) - min(sizes) <= 1


def test_two_workers_no_duplicates(hand_dataset: Path) -> None:
    dataset = ShardDataset(hand_dataset, split="train")
    assert len(dataset) == 5
    one = _ids(dataset, 0)
    two = _ids(dataset, 2)
    assert len(one) == 5 and sorted(two) == sorted(one) and len(set(two)) == 5


def test_ranks_split_the_pages(hand_dataset: Path) -> None:
    parts = [_ids(ShardDataset(hand_dataset, rank=r, world_size=2), 2) for r in range(2)]
    assert not set(parts[0]) & set(parts[1])
    assert sorted(parts[0] + parts[1]) == sorted(_ids(ShardDataset(hand_dataset), 0))
    assert abs(len(parts[0]) - len(parts[1])) <= 1


def test_shuffle_is_seeded_per_epoch(hand_dataset: Path) -> None:
    dataset = ShardDataset(hand_dataset, shuffle=True, seed=5)
    first = _ids(dataset, 0)
    assert _ids(dataset, 0) == first
    assert sorted(_ids(dataset, 2)) == sorted(first)
    orders = set()
    for epoch in range(6):
        dataset.set_epoch(epoch)
        orders.add(tuple(_ids(dataset, 0)))
    assert len(orders) > 1


def test_transform_and_shard_list(hand_dataset: Path) -> None:
    files = sorted((hand_dataset / "en" / "train").glob("*.h5"))
    dataset = ShardDataset(files, transform=lambda s: torch.from_numpy(s.image.copy()))
    images = list(DataLoader(dataset, batch_size=None))
    assert len(images) == 5 and images[0].shape == (120, 200, 3) and images[0].dtype == torch.uint8


def test_on_the_fly_pages_do_not_depend_on_workers(small_dataset: Path) -> None:
    dataset = OnTheFlyDataset(["en", "ja"], seed=7, pages=4)
    runs = {}
    for workers in (0, 2):
        pages = list(DataLoader(dataset, batch_size=None, num_workers=workers))
        runs[workers] = [(p.lang, p.sample_id, p.image.tobytes(), p.text) for p in pages]
    assert runs[0] == runs[2]
    assert [(lang, i) for lang, i, _, _ in runs[0]] == [("en", 0), ("ja", 0), ("en", 1), ("ja", 1)]
    # and they are the pages `generate` stored for the same seed
    stored = {(s.lang, s.sample_id): s for s in DatasetReader(small_dataset)}
    for lang, i, image, text in runs[0]:
        assert np.frombuffer(image, np.uint8).tobytes() == stored[(lang, i)].image.tobytes()
        assert text == stored[(lang, i)].text
