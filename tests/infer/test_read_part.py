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
