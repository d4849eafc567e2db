"""Lines are cut from the part of the page that holds them: the same crops as from the whole page."""

from __future__ import annotations

import numpy as np
import torch

from polyocr.infer.pipeline import _around
from polyocr.model.lines import cut_lines


def crops(image: np.ndarray, quads: np.ndarray, corner=(0.0, 0.0)) -> list[torch.Tensor]:
    pixels = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None].float() / 255.0
    shifted = torch.from_numpy((quads - np.asarray(corner, np.float32)).astype(np.float32))
    return cut_lines(pixels, shifted, torch.tensor([False, False, True]), 32, 6400)


def test_the_part_around_the_lines_gives_the_crops_the_whole_page_gives():
    rng = np.random.default_rng(3)
    page = rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)
    quads = np.array([
        [[50.3, 40.7], [210.9, 45.2], [209.1, 70.4], [48.5, 66.0]],  # a skewed line
        [[120.5, 150.5], [260.2, 150.5], [260.2, 171.8], [120.5, 171.8]],
        [[330.6, 20.4], [352.1, 20.4], [352.1, 180.9], [330.6, 180.9]],  # a column
    ], np.float32)
    part, corner = _around(page, quads)
    assert part.shape[0] * part.shape[1] < 0.6 * 300 * 400
    for whole, cut in zip(crops(page, quads), crops(part, quads, corner), strict=True):
        assert whole.shape == cut.shape
        assert torch.allclose(whole, cut, atol=1e-4)


def test_lines_past_the_page_edge_sample_white_as_before():
    page = np.full((100, 200, 3), 40, np.uint8)
    quads = np.array([[[150, 10], [260, 10], [260, 40], [150, 40]]] * 3, np.float32)
    part, corner = _around(page, quads)
    assert part.shape[:2] == (35, 52) and corner.tolist() == [148, 8]
    for whole, cut in zip(crops(page, quads), crops(part, quads, corner), strict=True):
        assert torch.allclose(whole, cut, atol=1e-4)
    outside = np.array([[[300, 10], [360, 10], [360, 40], [300, 40]]], np.float32)
    assert _around(page, outside)[0] is page


def test_a_page_reduced_for_reading_is_reduced_only_where_its_lines_are():
    """A page whose lines are far taller than the recognizer reads is reduced first; only the part that
    holds the lines is, and its pixels are the whole reduced page's (PIL samples the same places)."""
    from PIL import Image

    from polyocr.infer.pipeline import _box_around

    rng = np.random.default_rng(5)
    page = rng.integers(0, 256, (700, 500, 3), dtype=np.uint8)
    w, h, factor = 500, 700, 0.43
    nw, nh = round(w * factor), round(h * factor)
    whole = np.asarray(Image.fromarray(page).resize((nw, nh), Image.LANCZOS))
    quads = np.array([[[40.2, 55.7], [157.0, 55.7], [157.0, 80.1], [40.2, 80.1]],
                      [[60.0, 190.5], [120.3, 190.5], [120.3, 219.0], [60.0, 219.0]]], np.float32)
    x0, y0, x1, y1 = _box_around(quads, nw, nh)
    assert (x0, y0, x1, y1) == (38, 53, 160, 222)
    sx, sy = nw / w, nh / h
    part = np.asarray(Image.fromarray(page).resize((x1 - x0, y1 - y0), Image.LANCZOS,
                                                   box=(x0 / sx, y0 / sy, x1 / sx, y1 / sy)))
    assert np.abs(part.astype(int) - whole[y0:y1, x0:x1]).max() <= 1  # float rounding, a level at most
