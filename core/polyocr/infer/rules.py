"""Rules erased before lines are read: a table's borders, a form's fill-in lines, underlines.

A rule in the gap between two lines lies at the top or bottom of both lines' crops, and the recognizer,
trained on crops with little of that, reads it into the characters beside it (real pages with every gap
between lines ruled, as tables are: page NED 0.014 → 0.034 with 2-px rules). A rule is dark pixels in a
run far longer than a character along one axis and thin across it; text that crosses a rule keeps the
crossing (there the ink is thicker than a rule), so letters keep their strokes. Inside a dark ground (a
banner of light text) the dark gaps between letters look like rules too: no rule is looked for there.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polyocr.infer.marks import ink_thresholds
from polyocr.infer.textsize import grey_levels


@njit(cache=True, nogil=True)
def rule_mask(dark: np.ndarray, length: int, thickness: int) -> np.ndarray:
    """Pixels of ``dark`` (H, W) bool that belong to a horizontal run of at least ``length`` and a
    vertical run of at most ``thickness`` (a horizontal rule), or the other way round (a vertical one).
    Each pixel is labelled with the length of its run along its row, and of its run down its column
    (in row order, for the cache: the run so far top-down, then its total bottom-up); lengths saturate
    at 32,000."""
    h, w = dark.shape
    across = np.zeros((h, w), np.int16)
    down = np.zeros((h, w), np.int16)
    for y in range(h):
        x = 0
        while x < w:
            if not dark[y, x]:
                x += 1
                continue
            end = x
            while end < w and dark[y, end]:
                end += 1
            run = min(end - x, 32000)
            for k in range(x, end):
                across[y, k] = run
            x = end
        if y > 0:
            for x in range(w):
                if dark[y, x]:
                    down[y, x] = min(down[y - 1, x] + 1, 32000)
        else:
            for x in range(w):
                if dark[y, x]:
                    down[y, x] = 1
    mask = np.zeros((h, w), np.bool_)
    for y in range(h - 1, -1, -1):
        for x in range(w):
            if not dark[y, x]:
                continue
            if y < h - 1 and dark[y + 1, x]:
                down[y, x] = down[y + 1, x]
            a, d = across[y, x], down[y, x]
            if (a >= length and d <= thickness) or (d >= length and a <= thickness):
                mask[y, x] = True
    return mask


@njit(cache=True, nogil=True)
def _paint(image: np.ndarray, mask: np.ndarray, colour: np.ndarray) -> None:
    h, w, c = image.shape
    for y in range(h):
        for x in range(w):
            if mask[y, x]:
                for k in range(c):
                    image[y, x, k] = colour[k]


def _dark_ground(grey: np.ndarray, level: float, tile: int = 16) -> np.ndarray:
    """Pixels in tiles darker on average than ``level`` whose neighbours mostly are too: a dark bar or a
    photo, where the gaps between light letters are thin dark runs too and no rule is looked for."""
    h, w = grey.shape
    th, tw = -(-h // tile), -(-w // tile)
    padded = np.full((th * tile, tw * tile), 255, np.uint8)
    padded[:h, :w] = grey
    dark = np.pad(padded.reshape(th, tile, tw, tile).mean(axis=(1, 3)) < level, 1)
    # a ground, not a bold letter's tile: most of the tiles around it dark as well
    around = sum(dark[1 + dy: 1 + dy + th, 1 + dx: 1 + dx + tw].astype(np.int8) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return np.repeat(np.repeat(around >= 5, tile, axis=0), tile, axis=1)[:h, :w]


def without_rules(image: np.ndarray, line: float, length: float = 5.0, thickness: float = 0.25) -> np.ndarray:
    """``image`` (H, W, 3) uint8 with its rules painted in the paper's colour: runs of ink at least
    ``length`` line thicknesses long and at most ``thickness`` of one (and 2 px) thick; ``line`` is the
    page's median line thickness in its pixels. The image itself when it has none."""
    levels = ink_thresholds(image, (0.5,))
    if levels is None:
        return image
    grey = grey_levels(image)
    dark = grey < levels[0]
    mask = rule_mask(dark, max(24, round(length * line)), max(2, round(thickness * line)))
    if not mask.any():
        return image
    mask &= ~_dark_ground(grey, levels[0])
    if not mask.any():
        return image
    sample = image[:: max(1, image.shape[0] // 256), :: max(1, image.shape[1] // 256)].reshape(-1, image.shape[-1])
    out = np.array(image, copy=True, order="C")
    _paint(out, mask, np.median(sample, axis=0).astype(np.uint8))
    return out
