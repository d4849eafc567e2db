import json

import numpy as np
import pytest

from polyocr.synth.backgrounds import KINDS, draw_background, draw_tinted_boxes, sample_background, sample_tinted_boxes
from polyocr.synth.config import BackgroundConfig, TintConfig


def only(kind: str) -> BackgroundConfig:
    return BackgroundConfig(kinds={k: float(k == kind) for k in KINDS})


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_deterministic_with_right_shape(kind):
    params = sample_background(np.random.default_rng(5), only(kind), 70, 50)
    assert params["kind"] == kind
    assert json.loads(json.dumps(params)) == params
    again = sample_background(np.random.default_rng(5), only(kind), 70, 50)
    assert again == params
    img = draw_background(params, 70, 50)
    assert img.shape == (70, 50, 3) and img.dtype == np.uint8
    assert np.array_equal(img, draw_background(params, 70, 50))


def test_solid_colour_is_exact():
    img = draw_background({"kind": "solid", "color": [250, 240, 230], "seed": 3}, 9, 11)
    assert (img == [250, 240, 230]).all()


def test_textures_vary_and_stay_near_their_colour():
    paper = draw_background({"kind": "paper", "color": [240, 238, 230], "seed": 1, "blotch": 6.0,
                             "fibres": 2e-4, "grain": 2.0}, 200, 150)
    assert paper.std() > 0.5
    assert np.abs(paper.reshape(-1, 3).mean(0) - [240, 238, 230]).max() < 6
    other = draw_background({"kind": "paper", "color": [240, 238, 230], "seed": 2, "blotch": 6.0,
                             "fibres": 2e-4, "grain": 2.0}, 200, 150)
    assert not np.array_equal(paper, other)


def test_any_sampled_params_can_be_drawn_as_busy():
    """The composer switches ``kind`` to busy for scene layouts; the other keys must not matter."""
    for seed in range(4):
        params = {**sample_background(np.random.default_rng(seed), BackgroundConfig(), 40, 30), "kind": "busy"}
        img = draw_background(params, 40, 30)
        assert img.shape == (40, 30, 3) and np.array_equal(img, draw_background(params, 40, 30))


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="marble"):
        draw_background({"kind": "marble", "color": [1, 2, 3], "seed": 0}, 4, 4)


def test_tinted_boxes_darken_only_inside():
    page = np.full((40, 60, 3), 250, np.uint8)
    page[15:18, 10:20] = 20  # ink under the highlighter stays dark
    boxes = np.array([[5.5, 10.0, 30.0, 20.0], [35.0, 25.0, 55.0, 35.0]])
    params = sample_tinted_boxes(np.random.default_rng(0), TintConfig(p=1.0, highlighter_p=1.0), 2)
    assert json.loads(json.dumps(params)) == params
    before = page.copy()
    out = draw_tinted_boxes(page, boxes, params)
    assert out is page and (out <= before).all() and (out[15:18, 10:20] <= 20).all()
    assert (out[0:5] == 250).all() and (out[:, 0:3] == 250).all()
    assert (out[14, 10:29] < 250).any()
    skipped = {"colors": [None], "alpha": [0.0], "pad": [0.0]}
    assert np.array_equal(draw_tinted_boxes(before.copy(), boxes[:1], skipped), before)
