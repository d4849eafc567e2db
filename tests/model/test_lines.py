"""Lines cut from a page's bytes are the crops ``cut_lines`` samples from its floats."""

from __future__ import annotations

import numpy as np
import torch

from polyocr.model.lines import cut_lines, cut_page_lines


def test_lines_cut_from_the_pages_bytes_are_the_crops_of_its_floats():
    rng = np.random.default_rng(5)
    page = rng.integers(0, 256, (240, 360, 3), dtype=np.uint8)
    quads = np.array([
        [[50.3, 40.7], [210.9, 45.2], [209.1, 70.4], [48.5, 66.0]],  # skewed
        [[120.5, 150.5], [260.2, 150.5], [260.2, 171.8], [120.5, 171.8]],  # upright, between pixels
        [[300.6, 20.4], [322.1, 20.4], [322.1, 180.9], [300.6, 180.9]],  # a column
        [[330.0, 200.0], [420.0, 200.0], [420.0, 230.0], [330.0, 230.0]],  # past the page's right edge
        [[200.0, 120.0], [120.0, 120.0], [120.0, 100.0], [200.0, 100.0]],  # upside down
    ], np.float32)
    vertical = np.array([False, False, True, False, False])
    pixels = torch.from_numpy(page).permute(2, 0, 1)[None].float() / 255.0
    expected = cut_lines(pixels, torch.from_numpy(quads), torch.from_numpy(vertical), 32, 6400)
    got = cut_page_lines(page, quads, vertical, 32, 6400)
    assert len(got) == len(expected) == 5
    for g, e in zip(got, expected, strict=True):
        assert g.shape == e.shape and g.dtype == torch.float32
        # grid_sample goes through normalized coordinates in float32: ~1e-4 px apart on a page of noise
        assert (g - e).abs().max() < 5e-4 and (g - e).abs().mean() < 5e-5
    assert torch.allclose(got[3][:, :, -5:], torch.ones(3, 32, 5)), "white beyond the page"
    assert not torch.allclose(got[4], got[4].flip(-1).flip(-2), atol=0.1), "an upside-down line turns upright"


def test_a_page_without_columns_never_becomes_floats(monkeypatch):
    import polyocr.model.lines as lines

    monkeypatch.setattr(lines, "cut_lines", lambda *a: (_ for _ in ()).throw(AssertionError("float path")))
    page = np.full((50, 80, 3), 200, np.uint8)
    page[20:30, 10:60] = 0
    quads = np.array([[[5, 15], [70, 15], [70, 35], [5, 35]]], np.float32)
    (crop,) = cut_page_lines(page, quads, np.array([False]), 32, 6400)
    assert crop.shape == (3, 32, round(32 * 65 / 20))
    assert float(crop.min()) < 0.05 and abs(float(crop[:, 0, 0].mean()) - 200 / 255) < 1e-5
