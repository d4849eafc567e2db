import pytest
import yaml

from polyocr.errors import PolyocrError
from polyocr.synth.config import DegradationConfig, dump_degradation_config, load_degradation_config


def test_defaults_are_valid_and_probabilities_in_range():
    cfg = load_degradation_config(None)
    assert cfg == DegradationConfig()
    for name in DegradationConfig.model_fields:
        if name != "background":
            assert 0.0 <= getattr(cfg, name).p <= 1.0
    assert cfg.jpeg.p == 1.0 and cfg.rotation.quarter_turn_p < 0.1


@pytest.mark.parametrize("data, key", [
    ({"gaussian_blur": {"sigmaa": [1, 2]}}, "sigmaa"),
    ({"blurr": {"p": 0.1}}, "blurr"),
    ({"background": {"kinds": {"marble": 1.0}}}, "marble"),
])
def test_unknown_key_is_an_error_naming_it(data, key):
    with pytest.raises(PolyocrError, match=key):
        load_degradation_config(data)


def test_low_above_high_is_rejected():
    with pytest.raises(PolyocrError, match="sigma: low 2.0 > high 1.0"):
        load_degradation_config({"gaussian_blur": {"sigma": [2.0, 1.0]}})
    with pytest.raises(PolyocrError, match="quality"):
        load_degradation_config({"jpeg": {"quality": [90, 50]}})


@pytest.mark.parametrize("data", [{"shadow": {"p": 1.5}}, {"elastic": {"amplitude": [0.5, 3.0]}},
                                  {"background": {"kinds": {"solid": 0, "paper": 0, "gradient": 0, "busy": 0}}}])
def test_out_of_range_values_are_rejected(data):
    with pytest.raises(PolyocrError):
        load_degradation_config(data)


def test_yaml_round_trip(tmp_path):
    cfg = load_degradation_config({"motion_blur": {"p": 0.5, "length": [3, 4]}, "background": {"white_p": 0.5}})
    path = tmp_path / "degrade.yaml"
    path.write_text(dump_degradation_config(cfg), encoding="utf-8")
    again = load_degradation_config(path)
    assert again == cfg and again.motion_blur.length == (3.0, 4.0)
    assert yaml.safe_load(path.read_text())["motion_blur"]["p"] == 0.5


def test_unreadable_yaml_is_a_polyocr_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("gaussian_blur: [unclosed", encoding="utf-8")
    with pytest.raises(PolyocrError, match="bad.yaml"):
        load_degradation_config(path)
