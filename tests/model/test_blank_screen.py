"""The blank screen passes as blank only steps like those that were blank by a clear margin, the bundled
model's screen changes no step of a real page it reads, and a screen fitted to other weights is left out."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from polyocr.model.blank_screen import BlankScreen, fit_blank_screen, weights_digest
from polyocr.model.ocr import ReadingHead, best_steps

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _steps(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features of ``n`` steps and their gaps: a linear function of the features plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 12)).astype(np.float32)
    gap = 3.0 * x[:, 0] - 2.0 * x[:, 1] + x[:, 2] + 2.0 + rng.normal(scale=0.5, size=n)
    return x, gap.astype(np.float32)


def test_the_fitted_screen_passes_no_step_that_was_not_blank():
    x, gap = _steps(20_000, 0)
    screen = fit_blank_screen(x, gap, "digest", "test steps")
    sure = screen.sure_blank(torch.from_numpy(x)).numpy()
    assert not (sure & (gap < 0)).any()
    score = torch.from_numpy(x) @ torch.tensor(screen.weight, dtype=torch.float32) + screen.bias
    assert screen.threshold == pytest.approx(float(score[torch.from_numpy(gap < 0)].max()) + 1.0, abs=1e-4)
    assert 0.3 < sure.mean() < screen.blank_share  # it passes many blank steps, never all of them
    assert screen.screened_share == pytest.approx(sure.mean())
    held_x, held_gap = _steps(20_000, 1)  # steps it was not fitted on, alike
    held = screen.sure_blank(torch.from_numpy(held_x)).numpy()
    assert not (held & (held_gap < 0)).any()


def test_fitting_needs_both_kinds_of_step():
    x, gap = _steps(1000, 2)
    with pytest.raises(ValueError, match="clear margin"):
        fit_blank_screen(x, np.abs(gap) + 0.1, "digest")
    with pytest.raises(ValueError, match="same steps"):
        fit_blank_screen(x, gap[:10], "digest")


def test_a_step_passed_as_blank_skips_the_output_layer():
    class Counted(ReadingHead):
        calls = 0

        def forward(self, x):
            Counted.calls += 1
            return super().forward(x)

    layer = torch.nn.Linear(6, 9)
    head = Counted(layer.weight.detach(), layer.bias.detach(), None)
    steps = torch.randn(40, 6)
    everything = BlankScreen(weight=[0.0] * 6, bias=1.0, threshold=0.0, weights_sha256="x")
    ids, conf = best_steps(steps, head, screen=everything)
    assert Counted.calls == 0 and ids.tolist() == [0] * 40 and bool(conf.isnan().all())
    with pytest.raises(ValueError, match="features a step"):
        best_steps(torch.randn(4, 5), head, screen=everything)


@pytest.fixture(scope="module")
def english_steps():
    """The bundled OCR and the features of every step it reads on the English sample page."""
    from polyocr import OCR

    before = torch.get_num_threads()
    ocr = OCR(threads=1, screen_blanks=False)
    steps: list[torch.Tensor] = []
    ocr.pipeline.step_observer = lambda real: steps.append(real.clone())
    ocr.pipeline.page(np.asarray(Image.open(SAMPLES / "en.jpg").convert("RGB")))
    torch.set_num_threads(before)
    return ocr, torch.cat(steps)


def test_the_bundled_screen_changes_no_step_of_a_real_page(english_steps):
    from polyocr.infer.api import BUNDLED

    ocr, steps = english_steps
    screen = BlankScreen.model_validate(json.loads((BUNDLED / "config.json").read_text())["inference"]["blank_screen"])
    assert screen.weights_sha256 == weights_digest(BUNDLED)
    head = ocr.pipeline.head
    assert screen.sure_blank(steps).float().mean() > 0.3  # the page's steps do go the screen's way
    truth, truth_conf = best_steps(steps, head)
    ids, conf = best_steps(steps, head, screen=screen)
    assert torch.equal(ids, truth)
    assert torch.allclose(conf, truth_conf, equal_nan=True)
    narrow = ocr.pipeline.narrowing.head_for(["a Latin line"])  # narrowed, with the whole layer behind it
    truth, _ = best_steps(steps, narrow, head, 0.7)
    ids, _ = best_steps(steps, narrow, head, 0.7, screen)
    assert torch.equal(ids, truth)


def test_the_bundled_model_reads_with_its_screen_unless_its_weights_changed(tmp_path, caplog):
    from polyocr import OCR
    from polyocr.infer.api import BUNDLED

    assert OCR(threads=1).pipeline.screen is not None
    assert OCR(threads=1, screen_blanks=False).pipeline.screen is None
    copy = tmp_path / "model"
    shutil.copytree(BUNDLED, copy)
    config = json.loads((copy / "config.json").read_text())
    config["inference"]["blank_screen"]["weights_sha256"] = "0" * 64
    (copy / "config.json").write_text(json.dumps(config))
    with caplog.at_level(logging.WARNING, logger="polyocr"):
        assert OCR(copy, threads=1).pipeline.screen is None
    assert "fitted to other weights" in caplog.text
    from polyocr.errors import PolyocrError

    config["inference"]["blank_screen"]["weights_sha256"] = weights_digest(copy)
    config["inference"]["blank_screen"]["weight"] = [0.5] * 7  # fitted to these weights, but not to 192 features
    (copy / "config.json").write_text(json.dumps(config))
    with pytest.raises(PolyocrError, match="weighs 7 features, the recognizer gives 192"):
        OCR(copy, threads=1)
    config["inference"]["blank_screen"]["weight"] = "not numbers"
    (copy / "config.json").write_text(json.dumps(config))
    with pytest.raises(PolyocrError, match="blank screen"):
        OCR(copy, threads=1)
