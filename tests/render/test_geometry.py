import math

import numpy as np
import pytest

from polyocr.render.geometry import (affine, bounding_box, fit_canvas, perspective_from_points,
                                     transform_points)


def test_default_affine_is_identity_and_translation_moves_points():
    assert np.array_equal(affine(), np.eye(3))
    assert transform_points(affine(translate=(3, -2)), [1.0, 1.0]).tolist() == [4.0, -1.0]


def test_rotation_is_counter_clockwise_on_screen_and_keeps_its_centre():
    h = affine(rotate_deg=90, center=(10, 20))
    assert transform_points(h, [10.0, 20.0]).tolist() == [10.0, 20.0]
    # a point to the right of the centre goes up (y down on screen): counter-clockwise
    assert transform_points(h, [11.0, 20.0]).tolist() == [10.0, 19.0]
    p = transform_points(affine(rotate_deg=30), [1.0, 0.0])
    assert np.allclose(p, [math.cos(math.pi / 6), -math.sin(math.pi / 6)], atol=1e-15)


def test_scale_then_shear_order():
    h = affine(scale=(2, 3), shear_x=0.5)
    # scale first: (1, 1) -> (2, 3); then shear: x += 0.5 * y -> (3.5, 3)
    assert transform_points(h, [1.0, 1.0]).tolist() == [3.5, 3.0]


def test_perspective_maps_the_four_points_exactly():
    rng = np.random.default_rng(7)
    for _ in range(20):
        src = np.array([[0, 0], [800, 0], [800, 600], [0, 600]], float) + rng.uniform(-50, 50, (4, 2))
        dst = src + rng.uniform(-120, 120, (4, 2))
        h = perspective_from_points(src, dst)
        assert h[2, 2] == 1.0
        assert np.abs(transform_points(h, src) - dst).max() < 1e-9


def test_perspective_of_an_affine_correspondence_is_affine():
    src = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], float)
    a = affine(rotate_deg=17, scale=(1.5, 0.5), translate=(4, 9))
    h = perspective_from_points(src, transform_points(a, src))
    assert np.allclose(h, a, atol=1e-12)


def test_perspective_rejects_collinear_points():
    with pytest.raises(ValueError, match="collinear"):
        perspective_from_points([[0, 0], [1, 1], [2, 2], [3, 3]], [[0, 0], [1, 0], [1, 1], [0, 1]])


def test_transform_of_quads_equals_transforming_each_point():
    h = perspective_from_points([[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [2, 0.2], [1.8, 1.5], [0.1, 1]])
    quads = np.random.default_rng(1).uniform(0, 1, (5, 4, 2))
    out = transform_points(h, quads)
    assert out.shape == (5, 4, 2) and out.dtype == np.float64
    for q, o in zip(quads, out):
        for p, po in zip(q, o):
            v = h @ [p[0], p[1], 1.0]
            assert np.allclose(po, v[:2] / v[2], rtol=0, atol=1e-14)
    with pytest.raises(ValueError):
        transform_points(h, np.zeros((4, 3)))


def test_bounding_box():
    assert bounding_box(np.array([[[1, 5], [4, 2]], [[3, 9], [2, 3]]])) == (1.0, 2.0, 3.0, 7.0)


def test_fit_canvas_for_a_quarter_turn_swaps_the_size_without_a_spare_pixel():
    h, w, ht = fit_canvas(affine(rotate_deg=90), 40, 30)
    assert (w, ht) == (30, 40)
    corners = transform_points(h, [[0, 0], [40, 0], [40, 30], [0, 30]])
    assert bounding_box(corners) == (0.0, 0.0, 30.0, 40.0)


@pytest.mark.parametrize("deg", [13.0, 45.0, 170.0, -60.0])
def test_fit_canvas_contains_the_rotated_image(deg):
    h, w, ht = fit_canvas(affine(rotate_deg=deg, center=(50, 20)), 100, 40)
    x, y, bw, bh = bounding_box(transform_points(h, [[0, 0], [100, 0], [100, 40], [0, 40]]))
    assert 0 <= x < 1 and 0 <= y < 1 and x + bw <= w < x + bw + 1 and y + bh <= ht < y + bh + 1
    rad = math.radians(deg)
    assert w == pytest.approx(abs(100 * math.cos(rad)) + abs(40 * math.sin(rad)), abs=2)


def test_fit_canvas_rejects_a_horizon_through_the_image():
    h = np.array([[1, 0, 0], [0, 1, 0], [-0.01, 0, 1.0]])
    with pytest.raises(ValueError, match="horizon"):
        fit_canvas(h, 200, 10)
