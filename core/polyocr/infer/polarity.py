"""Light text on a dark ground, told from the page's grey levels.

The models trained on dark ink on light paper (with a share of coloured grounds); a dark-mode
screenshot or a photographic negative reads far worse as it is (page NED on real pages inverted
0.014 → 0.039) and as well as any page once inverted. The ground is the page's commonest level, its
median: a page whose median is dark and that holds clearly lighter marks is light on dark.
"""

from __future__ import annotations

import numpy as np
import torch


def light_on_dark(image: np.ndarray, dark: float = 100.0, contrast: float = 60.0) -> bool:
    """Whether ``image`` (H, W) or (H, W, C), uint8, is light text on a dark ground: its median grey
    below ``dark`` and its brightest percent at least ``contrast`` levels above that."""
    sample = image[:: max(1, image.shape[0] // 512), :: max(1, image.shape[1] // 512)].astype(np.float32)
    if sample.ndim == 3:
        sample = sample[..., :3].mean(axis=-1)
    ground, light = np.percentile(sample, [50, 99])
    return bool(ground < dark and light - ground >= contrast)


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
