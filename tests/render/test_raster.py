"""The rasterizer's coverage is exact area: checked on shapes whose area is known."""

import numpy as np
import pytest

from polyocr.render.raster import rasterize_edges


def polygon(points):
    pts = np.array(points, dtype=np.float32)
    return np.concatenate([pts, np.roll(pts, -1, axis=0)], axis=1)


def test_pixel_aligned_square_is_solid():
    out = rasterize_edges(polygon([(2, 2), (6, 2), (6, 5), (2, 5)]), 8, 8)
    expected = np.zeros((8, 8), np.uint8)
    expected[2:5, 2:6] = 255
    assert np.array_equal(out, expected)


def test_winding_direction_does_not_matter():
    a = rasterize_edges(polygon([(1.3, 1.7), (6.2, 2.1), (5.5, 6.6)]), 8, 8)
    b = rasterize_edges(polygon([(5.5, 6.6), (6.2, 2.1), (1.3, 1.7)]), 8, 8)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("shape", [
    [(0.5, 0.5), (7.25, 0.5), (7.25, 3.75), (0.5, 3.75)],
    [(1.3, 1.7), (6.2, 2.1), (5.5, 6.6)],
    [(4, 0.2), (7.8, 4), (4, 7.8), (0.2, 4)],
])
def test_total_coverage_equals_polygon_area(shape):
    pts = np.array(shape)
    area = 0.5 * abs(np.dot(pts[:, 0], np.roll(pts[:, 1], -1)) - np.dot(pts[:, 1], np.roll(pts[:, 0], -1)))
    out = rasterize_edges(polygon(shape), 8, 8).astype(float) / 255
    assert out.sum() == pytest.approx(area, abs=0.02 * len(shape) + 0.05)


def test_half_pixel_edge_gives_half_coverage():
    out = rasterize_edges(polygon([(0, 0), (2.5, 0), (2.5, 1), (0, 1)]), 4, 1)
    assert list(out[0]) == [255, 255, 128, 0]


def test_hole_is_empty():
    outer = polygon([(0, 0), (9, 0), (9, 9), (0, 9)])
    inner = polygon([(3, 3), (3, 6), (6, 6), (6, 3)])  # opposite winding: a counter
    out = rasterize_edges(np.concatenate([outer, inner]), 9, 9)
    assert out[4, 4] == 0 and out[1, 1] == 255 and out[2:7, 2:7].sum() == 255 * (25 - 9)


def test_shapes_partly_outside_are_clipped():
    out = rasterize_edges(polygon([(-3, -3), (3, -3), (3, 3), (-3, 3)]), 6, 6)
    assert out[:3, :3].min() == 255 and out[3:, :].max() == 0 and out[:, 3:].max() == 0
