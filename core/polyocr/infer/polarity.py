"""Light text on a dark ground, told from the page's grey levels.

The models trained on dark ink on light paper (with a share of coloured grounds); a dark-mode
screenshot or a photographic negative reads far worse as it is (page NED on real pages inverted
0.014 → 0.039) and as well as any page once inverted. The ground is the page's commonest level, its
median: a page whose median is dark and that holds clearly lighter marks is light on dark.
"""

from __future__ import annotations

import numpy as np


def light_on_dark(image: np.ndarray, dark: float = 100.0, contrast: float = 60.0) -> bool:
    """Whether ``image`` (H, W) or (H, W, C), uint8, is light text on a dark ground: its median grey
    below ``dark`` and its brightest percent at least ``contrast`` levels above that."""
    sample = image[:: max(1, image.shape[0] // 512), :: max(1, image.shape[1] // 512)].astype(np.float32)
    if sample.ndim == 3:
        sample = sample[..., :3].mean(axis=-1)
    ground, light = np.percentile(sample, [50, 99])
    return bool(ground < dark and light - ground >= contrast)
