"""The shard format, in one place: field names and dtypes of an HDF5 shard, and the annotation JSON.

It is the schema of NVIDIA's OCR-Synthetic-Multilingual-v1, so their public files and ours are
interchangeable. The writer, the readers and ``dataset verify`` all import it from here, which keeps
the three from drifting apart.

One shard holds N pages; every field has N entries:

=============  ===================================  ===============================================
field          dtype                                content
=============  ===================================  ===============================================
images         vlen uint8                           the page as JPEG bytes
annotations    vlen str (UTF-8)                     the page's :class:`Annotation` as JSON
dimensions     int32, shape (N, 2)                  [height, width] of the decoded image
labels         vlen str (UTF-8)                     the page text in reading order
qualities      int32                                the JPEG quality the page was encoded with
sample_ids     int64                                the page's index within its language and split
=============  ===================================  ===============================================
"""

from __future__ import annotations

import re

import h5py
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

SPLITS = ("train", "test", "validation")

IMAGES = "images"
ANNOTATIONS = "annotations"
DIMENSIONS = "dimensions"
LABELS = "labels"
QUALITIES = "qualities"
SAMPLE_IDS = "sample_ids"

FIELDS: dict[str, np.dtype] = {
    IMAGES: h5py.vlen_dtype(np.uint8),
    ANNOTATIONS: h5py.string_dtype("utf-8"),
    DIMENSIONS: np.dtype(np.int32),
    LABELS: h5py.string_dtype("utf-8"),
    QUALITIES: np.dtype(np.int32),
    SAMPLE_IDS: np.dtype(np.int64),
}
"""What our writer produces. Readers accept any integer width, and bytes or str for the strings."""

SHARD_NAME = re.compile(r"^(?P<split>[a-z]+)_(?P<index>\d+)\.h5$")


def shard_name(split: str, index: int) -> str:
    """``train_007.h5``: three digits at least, like NVIDIA's files (more when there are > 1000)."""
    return f"{split}_{index:03d}.h5"


def shard_sort_key(name: str) -> tuple[str, int, str]:
    """Numeric order of shard files, so ``train_1000.h5`` comes after ``train_999.h5``."""
    m = SHARD_NAME.match(name)
    return (m["split"], int(m["index"]), name) if m else (name, -1, name)


# --- the annotation JSON --------------------------------------------------------------------------
Point = tuple[float, float]


class _Entry(BaseModel):
    """Extra keys (``direction``, future additions, NVIDIA's own) are kept, not rejected."""

    model_config = ConfigDict(extra="allow")

    text: str
    bbox: tuple[float, float, float, float]
    """[x, y, w, h] in pixels of the decoded image."""
    quad: tuple[Point, Point, Point, Point]
    """Four corners, starting at the text's start-top corner, clockwise in the text's frame."""


class WordBox(_Entry):
    pass


class LineBox(_Entry):
    para_idx: int
    line_idx: int
    word_indices: list[int]


class ParaBox(_Entry):
    line_indices: list[int] = Field(default_factory=list)


class Annotation(BaseModel):
    """One page's labels. ``meta`` (how the page was made) is ours; NVIDIA's files lack it."""

    model_config = ConfigDict(extra="allow")

    word_bboxes: list[WordBox]
    line_bboxes: list[LineBox]
    para_bboxes: list[ParaBox] = Field(default_factory=list)
    relation_graph: list[list[list[int]]]
    """Paragraphs in reading order → their lines in reading order → each line's word indices."""
    meta: dict | None = None
