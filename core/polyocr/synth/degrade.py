"""The degradation pipeline: sample an ordered list of effect records for a page, then apply them.

A record is ``{"name": effect name, "params": plain-JSON dict}``; the list is stored with the page,
so ``Degrader.apply`` can replay it byte for byte without the config that sampled it. The order
follows the physics of a print that is scanned or photographed: ink spread on the paper
(dilate/erode) → optics (blur) → lighting (shadow) → sensor response (colour) → sensor noise →
geometry of the capture (elastic, perspective, rotation). JPEG is sampled last but not applied here:
the dataset writer encodes the page once, at the sampled quality.

>>> from polyocr.synth.config import DegradationConfig
>>> d = Degrader(DegradationConfig())
>>> records = d.sample(np.random.default_rng(7), 64, 48)
>>> image, h = d.apply(np.full((64, 48, 3), 250, np.uint8), records)
>>> h.shape
(3, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polyocr.synth.config import DegradationConfig
from polyocr.synth.degrade_geometric import GEOMETRIC
from polyocr.synth.degrade_photometric import PHOTOMETRIC, Effect

ORDER = ("ink_dilate", "ink_erode", "gaussian_blur", "motion_blur", "shadow", "color", "gaussian_noise",
         "salt_pepper", "elastic", "perspective", "rotation", "jpeg")
EFFECTS: dict[str, type[Effect]] = {cls.name: cls for cls in PHOTOMETRIC + GEOMETRIC}
Record = dict[str, Any]


class Degrader:
    """Turns a clean page into a scan or photo, and tells where every pixel went (a homography)."""

    def __init__(self, config: DegradationConfig | None = None) -> None:
        self.config = config or DegradationConfig()
        self.effects = [EFFECTS[name](getattr(self.config, name)) for name in ORDER]

    def sample(self, rng: np.random.Generator, height: int, width: int) -> list[Record]:
        """Draw the page's effects in pipeline order; effects that do not fire leave no record."""
        records = []
        for effect in self.effects:
            params = effect.sample(rng, height, width)
            if params is not None:
                records.append({"name": effect.name, "params": params})
        return records

    @staticmethod
    def apply(image: np.ndarray, records: list[Record], jpeg: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Apply ``records`` in order; returns the new image (its size may change) and H_total.

        ``H_total`` maps page coordinates to output coordinates: the product of the geometric effects'
        matrices, later ones on the left (identity when none ran). ``jpeg=True`` also runs the JPEG
        round trip (training-time augmentation); by default it is left to the dataset writer.
        """
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected a uint8 (H, W, 3) page, got {image.dtype} {image.shape}")
        total = np.eye(3)
        for record in records:
            cls = EFFECTS.get(record["name"])
            if cls is None:
                raise ValueError(f"unknown degradation {record['name']!r}; known: {sorted(EFFECTS)}")
            if cls.name == "jpeg" and not jpeg:
                continue
            result = cls().apply(image, record["params"])
            if cls.geometric:
                image, h = result
                total = h @ total
            else:
                image = result
        return image, total
