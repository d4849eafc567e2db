"""Light text on a dark ground, told from the page's grey levels.

The models trained on dark ink on light paper (with a share of coloured grounds); a dark-mode
screenshot or a photographic negative reads far worse as it is (page NED on real pages inverted
0.014 → 0.039) and as well as any page once inverted. The ground is the page's commonest level, its
median: a page whose median is dark and that holds clearly lighter marks is light on dark.

A light page may hold dark grounds of its own: a web page's banner, a dark or coloured box, a table's
head row, a button. The crops of their lines can be inverted one by one (:func:`dark_on_light`), but
the detector sees them first, and it merged or missed lines of light text on a bar (a third of a page
set on a black bar: page NED 0.014 → 0.051). :func:`dark_grounds` finds such grounds exactly, as
connected regions of dark pixels with what they enclose, and :func:`grounds_inverted` turns them into
dark ink on white paper before anything is detected.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from polyocr.infer.textsize import grey_levels, label_boxes
from polyocr.model.postprocess import pixel_components


def light_on_dark(image: np.ndarray, dark: float = 100.0, contrast: float = 60.0) -> bool:
    """Whether ``image`` (H, W) or (H, W, C), uint8, is light text on a dark ground: its median grey
    below ``dark`` and its brightest percent at least ``contrast`` levels above that."""
    sample = image[:: max(1, image.shape[0] // 512), :: max(1, image.shape[1] // 512)].astype(np.float32)
    if sample.ndim == 3:
        sample = sample[..., :3].mean(axis=-1)
    ground, light = np.percentile(sample, [50, 99])
    return bool(ground < dark and light - ground >= contrast)


def _holes(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What ``mask`` (H, W) bool encloses: the pixels of its complement's components that do not reach
    the edge of the array, and those components' labels (-1 elsewhere)."""
    rest, m = pixel_components(np.ascontiguousarray(~mask))
    outer = np.unique(np.concatenate([rest[0], rest[-1], rest[:, 0], rest[:, -1]]))
    enclosed = np.ones(m + 1, bool)
    enclosed[outer[outer >= 0]] = False
    enclosed[m] = False
    holes = enclosed[np.where(rest >= 0, rest, m)]
    return holes, np.where(holes, rest, -1)


def light_panel(image: np.ndarray, share: float = 0.1, tile: int = 8) -> np.ndarray | None:
    """Where the light part of ``image`` is one large region (``share`` of the image or more, in
    ``tile``-px tiles) rather than marks — a page photographed on a dark desk, a white window on a dark
    screen — the region with what it encloses, as a mask (H, W) bool; else ``None``.
    :func:`light_on_dark` takes such an image for a dark-mode page, as its median is the dark surround:
    inverted, the page's own dark text turned light on black; read as it is, the surround led the
    text's size astray (page NED 0.10). Painted over in the page's paper colour (:func:`on_paper`), the
    page reads as a page on a white canvas does."""
    h, w = image.shape[:2]
    sample = np.asarray(Image.fromarray(grey_levels(image)).reduce(tile), np.float32)
    ground, light = np.percentile(sample, [50, 99])
    lit = sample > (ground + light) / 2
    if not lit.any():
        return None
    labels, n = pixel_components(np.ascontiguousarray(lit))
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    if sizes.max() < share * lit.size:
        return None
    panel = labels == int(sizes.argmax())
    panel |= _holes(panel)[0]  # the panel's own dark text and figures
    # the tiles on its edge hold some of the surround: left out, as a page's margin is blank anyway
    edge = np.pad(panel, 1)
    panel &= edge[:-2, 1:-1] & edge[2:, 1:-1] & edge[1:-1, :-2] & edge[1:-1, 2:]
    return np.repeat(np.repeat(panel, tile, axis=0), tile, axis=1)[:h, :w]  # PIL's tiles cover the image


def on_paper(image: np.ndarray, panel: np.ndarray) -> np.ndarray:
    """``image`` with everything outside ``panel`` painted in the panel's paper colour (its median)."""
    out = np.array(image, copy=True)
    out[~panel] = np.median(image[panel].reshape(-1, image.shape[-1]) if image.ndim == 3 else image[panel], axis=0)
    return out


def dark_on_light(crops: list[torch.Tensor], dark: float = 0.45, contrast: float = 0.3,
                  share: float = 0.02) -> list[torch.Tensor]:
    """Line crops (3, h, w) in [0, 1], those of light text on a dark ground inverted: a light line on a
    dark bar of an otherwise white page (a web page's header, a table's head row, a highlighted note)
    is not caught by :func:`light_on_dark`. A crop's ground is the median of its top and bottom rows
    (a line's crop has a margin above and below its ink; its middle can be mostly ink: dense CJK, bold
    type); the crop is light on dark where that is below ``dark`` and ``share`` of its pixels are
    ``contrast`` brighter (one channel, every other row and fourth column)."""
    out = []
    for crop in crops:
        grey = crop[1, ::2, ::4]
        if grey.shape[0] < 4 or grey.shape[1] < 4:
            out.append(crop)
            continue
        ground = float(torch.cat([grey[0], grey[-1]]).median())
        light = ground < dark and float((grey > ground + contrast).float().mean()) > share
        out.append(1.0 - crop if light else crop)
    return out


def _solid_tiles(grey: Image.Image, level: float, tile: int = 4, tall: int = 3, wide: int = 24,
                 share: float = 0.8) -> bool:
    """Whether some ``tall`` × ``wide`` block of ``tile``-px tiles of ``grey`` is mostly (``share``) dark on
    average (under ``level``): a dark ground at least that large may be on the page (lines of text, rules
    and most bold type leave far more of such a block light). PIL averages the tiles in one pass."""
    dark = (np.asarray(grey.reduce(tile)) < level).astype(np.int32)
    if dark.shape[0] < tall or dark.shape[1] < wide:
        return False
    total = np.pad(dark.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    blocks = total[tall:, wide:] - total[:-tall, wide:] - total[tall:, :-wide] + total[:-tall, :-wide]
    return bool((blocks >= share * tall * wide).any())


def dark_grounds(image: np.ndarray, level: float = 110.0, min_height: int = 10, min_width: int = 64,
                 fill: float = 0.5, edge: float = 0.8, light: float = 0.002, largest: float = 0.2
                 ) -> np.ndarray | None:
    """Where ``image`` (H, W, C) uint8 has dark grounds holding light text (a banner, a dark box, a
    table's head row), as labels (H, W) int32 (0: none, k: the k-th ground and what it encloses);
    ``None`` where it has none.

    A ground is one connected region of dark pixels (grey under 128) at least ``min_height`` ×
    ``min_width`` px that fills at least ``fill`` of its box (a table's rules or a line of dark words
    connect far less of their box), runs along ``edge`` of its box's border (a bar's or a box's sides
    are dark throughout; a word of heavy letters that touch only meets its box here and there) and
    encloses light marks (``light`` of its box at least, none over ``largest`` of it: a light panel in a
    dark frame, or a page photographed on a dark desk, holds dark text). What it encloses is everything
    in its box cut off from the box's edge by the ground: light letters with their dark counters, which
    :func:`grounds_inverted` turns into dark letters with light counters. Dark text beside a ground is
    never part of it, however close: it is not connected to it."""
    grey = grey_levels(image)
    if not _solid_tiles(Image.fromarray(grey), level):  # most pages
        return None
    dark = grey < 128
    labels, n = pixel_components(dark)
    boxes = label_boxes(labels, n)
    heights, widths = boxes[:, 3] - boxes[:, 1] + 1, boxes[:, 2] - boxes[:, 0] + 1
    big = np.flatnonzero((heights >= min_height) & (widths >= min_width) & (boxes[:, 4] >= fill * heights * widths))
    mask = None
    for k in big.tolist():
        x0, y0, x1, y1 = (int(v) for v in boxes[k, :4])
        ground = labels[y0: y1 + 1, x0: x1 + 1] == k
        if np.concatenate([ground[0], ground[-1], ground[:, 0], ground[:, -1]]).mean() < edge:
            continue
        holes, which = _holes(ground)
        if holes.sum() < light * ground.size:  # a dark box or photo with nothing light on it
            continue
        if np.bincount(which[holes]).max() > largest * ground.size:  # a light panel in a dark frame, a page on a desk
            continue
        if mask is None:
            mask = np.zeros(dark.shape, np.int32)
        mask[y0: y1 + 1, x0: x1 + 1][ground | holes] = int(mask.max()) + 1
    return mask


def grounds_inverted(image: np.ndarray, grounds: np.ndarray) -> np.ndarray:
    """``image`` with each ground of ``grounds`` (labels > 0, :func:`dark_grounds`) turned into dark ink on
    white paper: its grey levels stretched so that the ground (their median) becomes white and its
    lightest marks black. A plain inversion would leave a coloured bar's complement as the ground (a
    blue bar a dark yellow one) and its marks fainter than ink on paper."""
    out = np.array(image, copy=True)
    grey = grey_levels(image).astype(np.float32)
    for k in range(1, int(grounds.max()) + 1):
        where = grounds == k
        levels = grey[where]
        ground, light = np.percentile(levels, [50, 99.5])
        span = max(float(light - ground), 1.0)
        ink = (255.0 * (1.0 - np.clip((levels - ground) / span, 0.0, 1.0))).round().astype(np.uint8)
        out[where] = ink[:, None] if out.ndim == 3 else ink
    return out
