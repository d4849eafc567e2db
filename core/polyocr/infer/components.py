"""Connected components of a line's ink: what tells a drawing (an icon's ring, a form's box, a button's
frame) from the characters the recognizer read there.

The crops are a line's box and a margin around it, a few thousand pixels: one numba flood fill with its
own stack labels them, and the tests built on it (``infer/pictograms.py``, ``infer/boxes.py``) read the
labels and each component's box.
"""

from __future__ import annotations

import numpy as np
from numba import njit

TOP, LEFT, BOTTOM, RIGHT, PIXELS = range(5)
"""Columns of :func:`label_components`'s statistics."""


@njit(cache=True, nogil=True)
def label_components(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 8-connected components of ``ink`` (H, W bool): a label per pixel (0 for paper, ``k + 1`` for
    component ``k``) and per component its box and size, (K, 5) int32 rows of top, left, bottom, right
    (inclusive) and pixel count, in the order a row-major scan meets them."""
    h, w = ink.shape
    label = np.zeros((h, w), np.int32)
    stack = np.empty((h * w, 2), np.int32)
    stats = np.empty((h * w // 2 + 1, 5), np.int32)  # 8-connected: at most one in four pixels, rounded up
    count = 0
    for y0 in range(h):
        for x0 in range(w):
            if not ink[y0, x0] or label[y0, x0]:
                continue
            count += 1
            label[y0, x0] = count
            stack[0, 0], stack[0, 1] = y0, x0
            size, pixels = 1, 0
            t, lft, b, r = y0, x0, y0, x0
            while size:
                size -= 1
                pixels += 1
                y, x = stack[size, 0], stack[size, 1]
                t, b, lft, r = min(t, y), max(b, y), min(lft, x), max(r, x)
                for dy in range(-1, 2):
                    for dx in range(-1, 2):
                        yy, xx = y + dy, x + dx
                        if 0 <= yy < h and 0 <= xx < w and ink[yy, xx] and not label[yy, xx]:
                            label[yy, xx] = count
                            stack[size, 0], stack[size, 1] = yy, xx
                            size += 1
            stats[count - 1, TOP], stats[count - 1, LEFT] = t, lft
            stats[count - 1, BOTTOM], stats[count - 1, RIGHT], stats[count - 1, PIXELS] = b, r, pixels
    return label, stats[:count].copy()


@njit(cache=True, nogil=True)
def is_rule(height: int, width: int, thickness: int) -> bool:
    """A component at most ``thickness`` pixels thick and five times as long: a frame's or a table's line,
    not a glyph (a dot of an ellipsis is as thin, but not as long)."""
    return min(height, width) <= thickness and max(height, width) >= 5 * thickness
