"""PyTorch datasets: pages from shards, or pages made on the fly in the DataLoader workers.

Both split their work deterministically over the DataLoader workers of every ``torch.distributed``
rank (a *consumer* is one worker of one rank), so no page is read twice and none is skipped, and
neither depends on how many workers there are:

- :class:`ShardDataset` orders the pages shard by shard (shards and the pages inside them shuffled
  with ``seed`` and the epoch when ``shuffle``), then gives each consumer one contiguous, equal-sized
  range of that order: each worker reads few files, and every rank gets the same number of pages ±1.
- :class:`OnTheFlyDataset` gives global page ``g`` to consumer ``g mod consumers``; page ``g`` is
  language ``langs[g mod len(langs)]``, page ``g div len(langs)`` of it, composed from the same seed as
  ``polyocr generate`` would use, so the pages (and, with one consumer per rank, their order) are the
  same whatever ``num_workers`` is — and equal to the generated dataset's pages.

Items are :class:`~polyocr.data.reader.Sample` / :class:`GeneratedPage` objects (``image``,
``annotation``, ``text``, ``lang``, ``sample_id``) or whatever ``transform`` makes of them. Pages differ
in size, so use ``batch_size=None`` or a ``collate_fn`` that resizes or crops.

>>> loader = DataLoader(ShardDataset("data/v2", split="train", shuffle=True), batch_size=None,
...                     num_workers=4)                                            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import IterableDataset, get_worker_info

from polyocr.data.reader import ShardReader, decode_jpeg, shard_paths
from polyocr.data.shards import encode_jpeg


def consumer(rank: int | None = None, world_size: int | None = None) -> tuple[int, int]:
    """(this consumer's id, number of consumers) for the current DataLoader worker and distributed rank."""
    if world_size is None:
        dist = torch.distributed
        initialized = dist.is_available() and dist.is_initialized()
        world_size = dist.get_world_size() if initialized else 1
        rank = dist.get_rank() if initialized else 0
    info = get_worker_info()
    workers, worker = (info.num_workers, info.id) if info is not None else (1, 0)
    return (rank or 0) * workers + worker, world_size * workers


def even_range(n: int, part: int, parts: int) -> range:
    """The ``part``-th of ``parts`` contiguous ranges covering ``range(n)``, sizes differing by at most 1."""
    base, extra = divmod(n, parts)
    start = part * base + min(part, extra)
    return range(start, start + base + (1 if part < extra else 0))


class ShardDataset(IterableDataset):
    """Pages of HDF5 shards (``{root}/{lang}/{split}/*.h5``, or a list of shard files)."""

    def __init__(self, source: str | Path | Sequence[str | Path], langs: list[str] | None = None,
                 split: str = "train", shuffle: bool = False, seed: int = 0,
                 transform: Callable[[Any], Any] | None = None,
                 rank: int | None = None, world_size: int | None = None) -> None:
        super().__init__()
        if isinstance(source, (str, Path)):
            pairs = shard_paths(source, langs, split)
        else:
            pairs = [(None, Path(p)) for p in source]
        self.shards = [ShardReader(path, lang) for lang, path in pairs]
        self.lengths = []
        for s in self.shards:
            self.lengths.append(len(s))
            s.close()
        self.shuffle, self.seed, self.epoch = shuffle, seed, 0
        self.transform = transform
        self.rank, self.world_size = rank, world_size

    def set_epoch(self, epoch: int) -> None:
        """A new shuffle order per epoch (call it before each epoch, as with ``DistributedSampler``)."""
        self.epoch = epoch

    def __len__(self) -> int:
        """Pages in the whole dataset (not per consumer)."""
        return sum(self.lengths)

    def order(self) -> list[tuple[int, int]]:
        """(shard, page) pairs in this epoch's order, shard by shard."""
        rng = np.random.default_rng([self.seed, self.epoch]) if self.shuffle else None
        shards = rng.permutation(len(self.shards)) if rng is not None else range(len(self.shards))
        out: list[tuple[int, int]] = []
        for k in shards:
            pages = rng.permutation(self.lengths[k]) if rng is not None else range(self.lengths[k])
            out.extend((int(k), int(i)) for i in pages)
        return out

    def __iter__(self) -> Iterator[Any]:
        me, consumers = consumer(self.rank, self.world_size)
        order = self.order()
        for j in even_range(len(order), me, consumers):
            k, i = order[j]
            sample = self.shards[k][i]
            yield self.transform(sample) if self.transform else sample


@dataclass
class GeneratedPage:
    image: np.ndarray
    """H×W×3 uint8 RGB (after the JPEG round trip, unless ``jpeg=False``)."""
    annotation: dict
    text: str
    quality: int
    lang: str
    sample_id: int
    """The page's index within its language: the ``sample_id`` it would have in a generated shard."""


class OnTheFlyDataset(IterableDataset):
    """Synthetic pages composed in the DataLoader workers: training data without a disk.

    ``pages`` is the total over all languages (None: endless). With ``jpeg`` (the default) each page
    goes through the same JPEG encoding as a shard, so it equals the page ``polyocr generate`` would
    store for the same seed, split and config.
    """

    def __init__(self, langs: Sequence[str], seed: int = 0, pages: int | None = None, split: str = "train",
                 config: Any = None, jpeg: bool = True, start: int = 0,
                 transform: Callable[[Any], Any] | None = None,
                 rank: int | None = None, world_size: int | None = None) -> None:
        super().__init__()
        from polyocr.synth.page_config import load_page_config

        self.langs = list(langs)
        self.seed, self.pages, self.split, self.start = seed, pages, split, start
        self.config = config if hasattr(config, "model_dump") else load_page_config(config)
        self.jpeg, self.transform = jpeg, transform
        self.rank, self.world_size = rank, world_size
        self._composer = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_composer": None}

    @property
    def composer(self):  # noqa: ANN201
        if self._composer is None:  # once per worker process
            from polyocr.data.generate import build_composer

            self._composer = build_composer(self.langs, self.config)
        return self._composer

    def page(self, g: int) -> GeneratedPage:
        """Global page ``g``."""
        from polyocr.data.generate import page_seed

        lang = self.langs[g % len(self.langs)]
        index = g // len(self.langs)
        sample = self.composer.compose(lang, page_seed(self.seed, lang, self.split, index))
        image = decode_jpeg(encode_jpeg(sample.image, sample.quality)) if self.jpeg else sample.image
        return GeneratedPage(image, sample.annotation, sample.text, sample.quality, lang, index)

    def __iter__(self) -> Iterator[Any]:
        me, consumers = consumer(self.rank, self.world_size)
        g = self.start + me
        stop = None if self.pages is None else self.start + self.pages
        while stop is None or g < stop:
            page = self.page(g)
            yield self.transform(page) if self.transform else page
            g += consumers
