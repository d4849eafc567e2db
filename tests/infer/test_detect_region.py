"""The closer detection may see only the region that holds the text: same pixels, lines in page coordinates."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import polyocr
from polyocr.infer.pipeline import _resize

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "en.jpg"


@pytest.mark.parametrize("scale", [0.8, 1.0, 1.37, 2.1])
def test_a_region_is_the_same_pixels_as_that_part_of_the_whole_view(scale):
    image = np.asarray(Image.open(SAMPLE).convert("RGB"))
    h, w = image.shape[:2]
    whole, whole_scale, corner = _resize(image, scale)
    region = (100, 150, 700, 900)
    part, part_scale, (x0, y0) = _resize(image, scale, region)
    assert corner == (0, 0) and part_scale == whole_scale
    assert x0 % 32 == 0 and y0 % 32 == 0 and x0 <= region[0] * scale and y0 <= region[1] * scale  # on the grid
    assert part.shape[-2] % 32 == 0 and part.shape[-1] % 32 == 0 and part.shape[-1] < whole.shape[-1]
    x1, y1 = math.ceil(region[2] * round(w * scale) / w), math.ceil(region[3] * round(h * scale) / h)
    diff = (whole[..., y0:y1, x0:x1] - part[..., :y1 - y0, :x1 - x0]).abs() * 255
    assert diff.max() <= 2.0 + 1e-3 and diff.mean() < 0.1  # resampled from the same positions: rounding apart


def test_lines_detected_in_a_region_are_placed_on_the_page():
    """The bundled model finds the sample's lines in the region where it finds them on the whole page."""
    image = np.asarray(Image.open(SAMPLE).convert("RGB"))
    pipeline = polyocr.OCR(threads=1).pipeline
    _, whole = pipeline._detect(image, 1.2)
    pts = whole.quads.reshape(-1, 2) / whole.scale
    region = (int(pts[:, 0].min()) - 40, int(pts[:, 1].min()) - 40, int(pts[:, 0].max()) + 40, int(pts[:, 1].max()) + 40)
    _, part = pipeline._detect(image, 1.2, region)
    assert part.origin != (0, 0) and part.frame == whole.frame and part.scale == whole.scale
    assert abs(len(part.quads) - len(whole.quads)) <= 2 and len(whole.quads) > 20
    centres_whole, centres_part = whole.quads.mean(1), part.quads.mean(1)
    nearest = np.linalg.norm(centres_part[:, None] - centres_whole[None], axis=-1).min(1)
    assert np.median(nearest) < 2.0 and (nearest < 8.0).mean() > 0.9, nearest
