import numpy as np
import pytest

from polyocr.render.composite import composite, composite_image, dilate, erode, outline


def _page(value=100):
    return np.full((20, 30, 3), value, np.uint8)


def _disc(radius):
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    return x * x + y * y <= radius * radius


def test_full_alpha_and_opacity_give_the_colour_exactly():
    page = _page()
    composite(page, np.full((4, 6), 255, np.uint8), 5, 2, (10, 200, 255), opacity=1.0)
    assert (page[2:6, 5:11] == [10, 200, 255]).all()
    page[2:6, 5:11] = 100
    assert (page == 100).all()  # nothing else was touched


def test_half_opacity_gives_the_mean():
    page = _page()
    composite(page, np.ones((4, 6), np.float32), 0, 0, (0, 50, 255), opacity=0.5)
    assert np.abs(page[0, 0].astype(int) - [50, 75, 177.5]).max() <= 1


def test_fractional_float_alpha_blends_linearly():
    page = _page(0)
    composite(page, np.full((1, 1), 0.25, np.float32), 3, 3, (200, 200, 200))
    assert page[3, 3].tolist() == [50, 50, 50]
    composite(page, np.full((1, 1), 0.5, np.float32), 0, 0, (3, 5, 255))
    assert page[0, 0].tolist() == [2, 3, 128]  # rounded to nearest: 1.5 → 2, 2.5 → 3, 127.5 → 128


@pytest.mark.parametrize("x,y", [(-3, -2), (25, 17), (-4, 15), (28, -1), (-10, -10), (35, 5)])
def test_masks_hanging_over_the_edges_are_clipped(x, y):
    rng = np.random.default_rng(5)
    alpha = rng.integers(0, 256, (6, 8), dtype=np.uint8)
    page = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    p = 16  # a reference page with margins wide enough to hold the whole mask
    ref = np.pad(page.astype(np.float64), ((p, p), (p, p), (0, 0)))
    a = alpha[:, :, None] / 255.0 * 0.8
    region = ref[p + y:p + y + 6, p + x:p + x + 8]
    region += a * (np.array([255, 0, 30]) - region)
    composite(page, alpha, x, y, (255, 0, 30), opacity=0.8)
    assert np.abs(page.astype(int) - np.floor(ref[p:p + 20, p:p + 30] + 0.5)).max() <= 1


def test_composite_image_copies_the_source_through_full_alpha():
    page = _page()
    src = np.random.default_rng(2).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    alpha = np.zeros((5, 7), np.float32)
    alpha[1:4, 2:6] = 1.0
    composite_image(page, src, alpha, 10, 12)
    assert np.array_equal(page[13:16, 12:16], src[1:4, 2:6])
    assert (page[12, 10:17] == 100).all()
    with pytest.raises(ValueError):
        composite_image(page, src[:3], alpha, 0, 0)


def test_rejects_bad_pages_and_opacities():
    with pytest.raises(ValueError):
        composite(np.zeros((4, 4), np.uint8), np.ones((2, 2), np.float32), 0, 0, (1, 2, 3))
    with pytest.raises(ValueError):
        composite(_page(), np.ones((2, 2), np.float32), 0, 0, (1, 2, 3), opacity=1.5)


@pytest.mark.parametrize("dtype,ink", [(np.uint8, 255), (np.float32, 1.0)])
def test_dilating_a_pixel_gives_a_disc(dtype, ink):
    mask = np.zeros((9, 9), dtype)
    mask[4, 4] = ink
    out = dilate(mask, 2)
    assert out.dtype == dtype
    assert (out > 0).sum() == 13
    assert np.array_equal(out[2:7, 2:7] > 0, _disc(2))
    assert np.array_equal(dilate(mask, 0), mask)


@pytest.mark.parametrize("radius", [1, 3, 5])
def test_dilate_and_erode_match_a_brute_force_disc_filter(radius):
    rng = np.random.default_rng(radius)
    mask = rng.random((31, 26)).astype(np.float32)
    pad = np.pad(mask, radius, constant_values=np.nan)
    offsets = [(dy, dx) for dy, dx in zip(*np.nonzero(_disc(radius)))]
    stack = np.stack([pad[dy:dy + 31, dx:dx + 26] for dy, dx in offsets])
    assert np.array_equal(dilate(mask, radius), np.nanmax(stack, axis=0))
    assert np.array_equal(erode(mask, radius), np.nanmin(stack, axis=0))


def test_closing_keeps_a_blob_and_erosion_shrinks_a_box():
    rng = np.random.default_rng(9)
    blob = (rng.random((40, 40)) > 0.7).astype(np.uint8) * 255
    assert (erode(dilate(blob, 2), 2) >= blob).all()
    box = np.zeros((30, 30), np.uint8)
    box[5:25, 8:20] = 255
    assert np.array_equal(np.nonzero(erode(box, 3).any(axis=0))[0], np.arange(11, 17))
    point = np.zeros((15, 15), np.float32)
    point[7, 7] = 1.0
    assert np.array_equal(erode(dilate(point, 4), 4), point)


def test_outline_is_the_ring_around_the_ink():
    mask = np.zeros((7, 7), np.uint8)
    mask[3, 3] = 255
    ring = outline(mask, 1)
    assert ring.dtype == np.float32 and ring[3, 3] == 0.0
    assert sorted(zip(*np.nonzero(ring))) == [(2, 3), (3, 2), (3, 4), (4, 3)]
    assert ring.max() == 1.0 and ring.min() == 0.0


def test_negative_radius_is_rejected():
    with pytest.raises(ValueError):
        dilate(np.zeros((3, 3), np.uint8), -1)
