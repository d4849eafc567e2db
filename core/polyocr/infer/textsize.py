"""The size of a page's text from its ink, where the detector cannot tell it.

The detector learned lines 17–33 px thick; shown lines much thinner than that (small print on a large
canvas: a web page's 13-px text in a 1,920-px screenshot, a 300-dpi scan, a page photographed with a
wide margin) it merges them into bands and reports every band 11–14 px thick whatever the text's true
size, so a closer view chosen from that thickness is still far too small. The ink tells the size
directly: the characters are the page's connected components of dark pixels, and a tall percentile of
their heights (ascenders and capitals in Latin, whole characters in CJK) is a fixed share of a line's
thickness whatever the script.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from PIL import Image

from polyocr.model.postprocess import pixel_components

MAX_PIXELS = 8_000_000
"""A larger region is reduced (each block's darkest pixel kept, so thin strokes stay) before labelling."""


@njit(cache=True, nogil=True)
def label_boxes(labels: np.ndarray, n: int) -> np.ndarray:
    """Bounding boxes (x0, y0, x1, y1, pixels) of the ``n`` labels of ``labels`` (-1: none)."""
    h, w = labels.shape
    boxes = np.empty((n, 5), np.int32)
    boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3], boxes[:, 4] = w, h, -1, -1, 0
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k < 0:
                continue
            boxes[k, 0] = min(boxes[k, 0], x)
            boxes[k, 1] = min(boxes[k, 1], y)
            boxes[k, 2] = max(boxes[k, 2], x)
            boxes[k, 3] = max(boxes[k, 3], y)
            boxes[k, 4] += 1
    return boxes


def component_boxes(ink: np.ndarray) -> np.ndarray:
    """Bounding boxes (x0, y0, x1, y1, pixels) of the 8-connected components of ``ink`` (H, W) bool, one
    row per component (labelled as the detector's bands are, ``postprocess.pixel_components``)."""
    labels, n = pixel_components(ink)
    return label_boxes(labels, n)


def grey_levels(image: np.ndarray) -> np.ndarray:
    """The image's grey levels (H, W) uint8 (PIL's conversion: 2 ms a page, a numpy mean 20)."""
    if image.ndim == 2:
        return image
    return np.asarray(Image.fromarray(np.ascontiguousarray(image[..., :3])).convert("L"))


def _otsu(grey: np.ndarray) -> float:
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * (total - weight))
    return float(np.argmax(np.nan_to_num(between[:-1], nan=-1.0)))


def character_height(image: np.ndarray, boxes: np.ndarray, share: float = 80.0) -> float | None:
    """The ``share`` percentile of the heights (pixels of ``image``) of the characters inside ``boxes``
    (K, 4: x0, y0, x1, y1, page pixels: where the detector found text); ``None`` when they hold too few
    characters (under 20) or no contrast. Ink is the minority side of the region's Otsu threshold, so
    light text on a dark ground counts as well."""
    h, w = image.shape[:2]
    boxes = np.asarray(boxes, np.float64)
    if not len(boxes):
        return None
    x0, y0 = (max(0, int(np.floor(v))) for v in boxes[:, :2].min(0))
    x1, y1 = min(w, int(np.ceil(boxes[:, 2].max()))), min(h, int(np.ceil(boxes[:, 3].max())))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    grey = grey_levels(image[y0:y1, x0:x1])
    step = max(1, int(np.ceil(np.sqrt(grey.size / MAX_PIXELS))))
    sample = grey[::step, ::step]
    if int(sample.max()) - int(sample.min()) < 32:  # no ink to speak of
        return None
    threshold = _otsu(sample)
    dark = grey <= threshold
    if dark.mean() > 0.5:  # light text on a dark ground
        dark = ~dark
    if step > 1:  # keep a block inked when any of its pixels is
        hh, ww = dark.shape[0] // step * step, dark.shape[1] // step * step
        dark = dark[:hh, :ww].reshape(hh // step, step, ww // step, step).any(axis=(1, 3))
    found = component_boxes(np.ascontiguousarray(dark))
    heights = (found[:, 3] - found[:, 1] + 1) * step
    widths = (found[:, 2] - found[:, 0] + 1) * step
    cx = (found[:, 0] + found[:, 2] + 1) * step / 2 + x0
    cy = (found[:, 1] + found[:, 3] + 1) * step / 2 + y0
    inside = ((cx[:, None] >= boxes[None, :, 0]) & (cx[:, None] <= boxes[None, :, 2])
              & (cy[:, None] >= boxes[None, :, 1]) & (cy[:, None] <= boxes[None, :, 3])).any(1)
    keep = inside & (heights >= 3 * step) & (found[:, 4] >= 4) & (widths <= 4 * heights)
    if keep.sum() < 20:
        return None
    return float(np.percentile(heights[keep], share))
