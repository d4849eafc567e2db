import numpy as np
import pytest

from polyocr.render.geometry import (affine, bounding_box, fit_canvas, perspective_from_points,
                                     transform_points)
from polyocr.render.warp import warp_image, warp_mask


@pytest.fixture
def noise():
    return np.random.default_rng(3).integers(0, 256, (23, 37, 3), dtype=np.uint8)


@pytest.mark.parametrize("channels", [None, 1, 2, 3, 4])
def test_identity_is_byte_exact(channels):
    shape = (17, 29) if channels is None else (17, 29, channels)
    img = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    out = warp_image(img, np.eye(3), img.shape[:2])
    assert out.dtype == np.uint8 and out.shape == img.shape
    assert np.array_equal(out, img)


def test_translation_moves_pixels_exactly(noise):
    out = warp_image(noise, affine(translate=(3, 0)), noise.shape[:2], border=(1, 2, 3))
    assert np.array_equal(out[:, 3:], noise[:, :-3])
    assert (out[:, :3] == [1, 2, 3]).all()
    down = warp_image(noise, affine(translate=(0, -2)), noise.shape[:2])
    assert np.array_equal(down[:-2], noise[2:]) and (down[-2:] == 0).all()


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_quarter_turns_equal_rot90(noise, quarter_turns):
    h, w, ht = fit_canvas(affine(rotate_deg=90 * quarter_turns), noise.shape[1], noise.shape[0])
    out = warp_image(noise, h, (ht, w))
    expected = np.rot90(noise, quarter_turns)
    assert out.shape == expected.shape
    assert np.abs(out.astype(int) - expected).max() <= 1


def test_half_pixel_shift_splits_a_pixel_evenly():
    mask = np.zeros((5, 5), np.float32)
    mask[2, 2] = 1.0
    out = warp_mask(mask, affine(translate=(0.5, 0)), (5, 5))
    assert out.dtype == np.float32
    assert out[2, 2] == pytest.approx(0.5) and out[2, 3] == pytest.approx(0.5)
    assert out.sum() == pytest.approx(1.0)
    img = np.zeros((1, 5), np.uint8)
    img[0, 2] = 3
    assert warp_image(img, affine(translate=(0.5, 0)), (1, 5)).tolist() == [[0, 0, 2, 2, 0]]  # 1.5 → 2


def test_upscaling_keeps_a_flat_image_flat():
    img = np.full((10, 10), 77, np.uint8)
    out = warp_image(img, affine(scale=(2, 2)), (20, 20), border=77)
    assert (out == 77).all()


def test_perspective_ink_stays_in_the_warped_quad():
    img = np.zeros((100, 100), np.uint8)
    img[30:60, 20:70] = 255
    quad = np.array([[20, 30], [70, 30], [70, 60], [20, 60]], float)
    h = perspective_from_points([[0, 0], [100, 0], [100, 100], [0, 100]],
                                [[10, 5], [95, 20], [80, 90], [0, 110]])
    out = warp_image(img, h, (120, 110))
    x, y, w, ht = bounding_box(transform_points(h, quad))
    rows, cols = np.nonzero(out)
    q = transform_points(h, quad)
    area = 0.5 * abs(np.dot(q[:, 0], np.roll(q[:, 1], -1)) - np.dot(q[:, 1], np.roll(q[:, 0], -1)))
    assert out.sum() / 255 == pytest.approx(area, rel=0.01)  # bilinear ink equals the quad's area
    assert cols.min() >= x - 1 and cols.max() <= x + w + 1
    assert rows.min() >= y - 1 and rows.max() <= y + ht + 1
    cy, cx = int(transform_points(h, [45.0, 45.0])[1]), int(transform_points(h, [45.0, 45.0])[0])
    assert out[cy, cx] == 255


def test_out_of_source_pixels_take_the_border(noise):
    out = warp_image(noise, affine(translate=(100, 100)), (10, 10), border=(9, 8, 7))
    assert (out == [9, 8, 7]).all()


def test_rejects_bad_inputs(noise):
    with pytest.raises(TypeError):
        warp_image(noise.astype(np.float32), np.eye(3), (5, 5))
    with pytest.raises(ValueError):
        warp_image(np.zeros((4, 4, 5), np.uint8), np.eye(3), (5, 5))
    with pytest.raises(ValueError):
        warp_image(noise, np.eye(3), (5, 5), border=300)
