import json

import numpy as np
import pytest

from polyocr.render.geometry import transform_points
from polyocr.render.warp import warp_image
from polyocr.synth.config import DegradationConfig
from polyocr.synth.degrade import EFFECTS, ORDER, Degrader
from polyocr.synth.degrade_photometric import gaussian_blur


def page(h: int = 60, w: int = 80) -> np.ndarray:
    """Light paper with dark text-like bars, so every effect has something to act on."""
    img = np.full((h, w, 3), 235, np.uint8)
    img += np.random.default_rng(0).integers(0, 8, img.shape, dtype=np.uint8)
    for y in range(8, h - 8, 10):
        img[y:y + 3, 6:w - 6] = (30, 25, 40)
        img[y - 2:y + 5, 20:22] = (30, 25, 40)
    return img


def effect(name: str, **cfg):
    sub = getattr(DegradationConfig(), name).model_copy(update={"p": 1.0, **cfg})
    return EFFECTS[name](sub)


def run(name: str, img: np.ndarray, params: dict) -> np.ndarray:
    out = EFFECTS[name]().apply(img, params)
    return out[0] if EFFECTS[name].geometric else out


DARK = (slice(8, 11), slice(6, 74))  # a bar of ink


PLAUSIBLE = {
    "ink_dilate": lambda a, b: b.astype(int).sum() < a.astype(int).sum(),
    "ink_erode": lambda a, b: b.astype(int).sum() > a.astype(int).sum(),
    "gaussian_blur": lambda a, b: b.std() < a.std(),
    "motion_blur": lambda a, b: b.std() < a.std(),
    "shadow": lambda a, b: (b <= a).all() and (b < a).any(),
    "color": lambda a, b: b.shape == a.shape and np.abs(b.astype(int) - a).mean() < 60,
    "gaussian_noise": lambda a, b: abs(float(b.mean()) - float(a.mean())) < 2 and np.abs(b.astype(int) - a).mean() > 0.5,
    "salt_pepper": lambda a, b: ((b == 0) | (b == 255) | (b == a)).all(),
    "jpeg": lambda a, b: b.shape == a.shape and np.abs(b.astype(int) - a).mean() < 15,
    "elastic": lambda a, b: b.shape == a.shape and np.abs(b.astype(int) - a).mean() < 20,
    "perspective": lambda a, b: abs(float(b.mean()) - float(a.mean())) < 20,
    "rotation": lambda a, b: b.ndim == 3 and b.shape != a.shape,
}


@pytest.mark.parametrize("name", ORDER)
def test_each_effect_changes_the_page_plausibly_and_deterministically(name):
    img = page()
    extra = {"amount": (0.05, 0.1)} if name == "salt_pepper" else {}
    params = effect(name, **extra).sample(np.random.default_rng(1), *img.shape[:2])
    assert params is not None
    assert json.loads(json.dumps(params)) == params
    out = run(name, img, params)
    assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
    assert out.shape != img.shape or not np.array_equal(out, img)
    assert PLAUSIBLE[name](img, out)
    assert np.array_equal(out, run(name, img, params))
    assert np.array_equal(img, page())  # the input is never modified


def test_probability_zero_never_fires_and_one_always_does():
    rng = np.random.default_rng(0)
    for name in ORDER:
        off = getattr(DegradationConfig(), name).model_copy(update={"p": 0.0})
        if name == "rotation":
            off = off.model_copy(update={"quarter_turn_p": 0.0})
        assert all(EFFECTS[name](off).sample(rng, 30, 40) is None for _ in range(20))
        assert all(effect(name).sample(rng, 30, 40) is not None for _ in range(5))


def test_gaussian_blur_of_a_constant_image_is_constant():
    img = np.full((37, 53, 3), 201, np.uint8)
    for sigma in (0.3, 1.0, 3.7):
        assert np.array_equal(gaussian_blur(img, sigma), img)
    flat = np.full((20, 20), 0.25, np.float32)
    assert np.allclose(gaussian_blur(flat, 2.0), 0.25, atol=1e-6)


def test_gaussian_blur_matches_a_direct_convolution():
    img = np.random.default_rng(2).integers(0, 256, (16, 19, 3), dtype=np.uint8)
    sigma = 1.1
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(img.astype(float), ((r, r), (r, r), (0, 0)), mode="edge")
    rows = sum(k[i] * pad[:, i:i + 19] for i in range(2 * r + 1))
    ref = sum(k[i] * rows[i:i + 16] for i in range(2 * r + 1))
    assert np.abs(gaussian_blur(img, sigma).astype(float) - ref).max() <= 0.51


def square_page() -> tuple[np.ndarray, np.ndarray]:
    img = np.zeros((80, 100, 3), np.uint8)
    img[30:50, 40:60] = 255
    corners = np.array([[40.0, 30.0], [60.0, 30.0], [60.0, 50.0], [40.0, 50.0]])
    return img, corners


def assert_corners_on_ink(out: np.ndarray, h: np.ndarray, corners: np.ndarray) -> None:
    ink = np.argwhere(out[:, :, 0] > 127)[:, ::-1] + 0.5  # pixel centres (x, y)
    for p in transform_points(h, corners):
        assert np.sqrt(((ink - p) ** 2).sum(1)).min() <= 1.5, p
    centre = transform_points(h, corners.mean(0))
    assert out[int(centre[1]), int(centre[0]), 0] > 200


@pytest.mark.parametrize("seed", range(4))
def test_perspective_matrix_moves_labels_with_the_ink(seed):
    img, corners = square_page()
    eff = effect("perspective", jitter=(0.08, 0.15), dark_border_p=1.0)
    params = eff.sample(np.random.default_rng(seed), 80, 100)
    out, h = eff.apply(img, params)
    assert_corners_on_ink(out, h, corners)
    # the whole page fits on the canvas: its corners land inside it
    page_corners = transform_points(h, np.array([[0, 0], [100, 0], [100, 80], [0, 80]], float))
    assert (page_corners >= -1e-6).all() and (page_corners <= [out.shape[1] + 1e-6, out.shape[0] + 1e-6]).all()


@pytest.mark.parametrize("angle", [-27.0, -2.5, 1.0, 14.0, 93.0, 200.0])
def test_rotation_matrix_moves_labels_with_the_ink(angle):
    img, corners = square_page()
    out, h = EFFECTS["rotation"]().apply(img, {"angle": angle, "border": [0, 0, 0]})
    assert_corners_on_ink(out, h, corners)


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_quarter_turns_map_a_marker_pixel_exactly(turns):
    img = np.zeros((7, 5, 3), np.uint8)
    img[1, 3] = (255, 10, 20)
    out, h = EFFECTS["rotation"]().apply(img, {"angle": 90.0 * turns, "border": None})
    assert out.shape == ((5, 7, 3) if turns % 2 else (7, 5, 3))
    x, y = transform_points(h, np.array([3.5, 1.5]))
    assert x % 1 == 0.5 and y % 1 == 0.5
    assert out[int(y), int(x)].tolist() == [255, 10, 20]
    assert (out.reshape(-1, 3).any(1)).sum() == 1
    assert np.array_equal(out, warp_image(img, h, out.shape[:2]))  # np.rot90 agrees with the matrix


def test_rotation_has_its_own_quarter_turn_probability():
    cfg = DegradationConfig().rotation.model_copy(update={"p": 0.0, "quarter_turn_p": 1.0})
    angles = {EFFECTS["rotation"](cfg).sample(np.random.default_rng(s), 10, 10)["angle"] for s in range(30)}
    assert angles == {90.0, 180.0, 270.0}


def test_elastic_moves_pixels_by_at_most_its_amplitude():
    ramp = np.tile((np.arange(120) * 2).astype(np.uint8)[None, :, None], (50, 1, 3))
    params = {"amplitude": 1.5, "spacing": 10.0, "seed": 3}
    out = run("elastic", ramp, params)
    diff = np.abs(out.astype(int) - ramp)[:, 2:-2]
    assert diff.max() <= 2 * 1.5 + 1 and diff.mean() > 0.2


def all_on() -> DegradationConfig:
    return DegradationConfig.model_validate({name: {"p": 1.0} for name in ORDER})


def test_degrader_replays_records_byte_for_byte():
    img = page()
    d = Degrader(all_on())
    records = d.sample(np.random.default_rng(11), *img.shape[:2])
    assert [r["name"] for r in records] == list(ORDER)
    assert records == d.sample(np.random.default_rng(11), *img.shape[:2])
    replayed = json.loads(json.dumps(records))
    out, h = d.apply(img, records)
    out2, h2 = Degrader().apply(img, replayed)  # no config needed to replay
    assert np.array_equal(out, out2) and np.array_equal(h, h2)
    geo = [r for r in records if r["name"] in ("perspective", "rotation")]
    mid, h_persp = Degrader.apply(img, geo[:1])
    _, h_rot = Degrader.apply(mid, geo[1:])  # each matrix belongs to the image it was applied to
    assert np.allclose(h, h_rot @ h_persp)
    with_jpeg, _ = d.apply(img, records, jpeg=True)
    assert with_jpeg.shape == out.shape and not np.array_equal(with_jpeg, out)


def test_degrader_with_all_probabilities_zero_is_the_identity():
    data = {name: {"p": 0.0} for name in ORDER}
    data["rotation"]["quarter_turn_p"] = 0.0
    d = Degrader(DegradationConfig.model_validate(data))
    img = page()
    records = d.sample(np.random.default_rng(0), *img.shape[:2])
    assert records == []
    out, h = d.apply(img, records)
    assert np.array_equal(out, img) and np.array_equal(h, np.eye(3))


def test_unknown_record_is_an_error():
    with pytest.raises(ValueError, match="sharpen"):
        Degrader.apply(page(), [{"name": "sharpen", "params": {}}])
