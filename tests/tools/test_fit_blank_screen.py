"""tools/fit_blank_screen.py: fitted on generated pages, written into a checkpoint the OCR then reads with."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from fit_blank_screen import main  # noqa: E402


def test_a_screen_fitted_on_generated_pages_is_written_and_read_with(tmp_path, capsys):
    from polyocr import OCR
    from polyocr.data.generate import generate
    from polyocr.infer.api import BUNDLED
    from polyocr.model.blank_screen import weights_digest

    data = tmp_path / "calib"
    generate(data, ["en", "ja"], pages=1, seed=3, workers=1, split="validation", progress=False)
    model = tmp_path / "model"
    shutil.copytree(BUNDLED, model)
    config = json.loads((model / "config.json").read_text())
    del config["inference"]["blank_screen"]
    (model / "config.json").write_text(json.dumps(config))
    assert OCR(model, threads=1).pipeline.screen is None

    before = torch.get_num_threads()
    try:
        assert main(["--model", str(model), "--data", str(data), "--write"]) == 0
    finally:
        torch.set_num_threads(before)
    written = json.loads((model / "config.json").read_text())["inference"]
    assert written["reading_order"] == config["inference"]["reading_order"]  # the rest of the section kept
    screen = written["blank_screen"]
    assert screen["weights_sha256"] == weights_digest(model) and len(screen["weight"]) == 192
    assert screen["steps"] > 1000 and 0.0 < screen["screened_share"] < screen["blank_share"] < 1.0
    assert "screened" in capsys.readouterr().out
    ocr = OCR(model, threads=1)
    assert ocr.pipeline.screen is not None
    assert np.allclose(ocr.pipeline.screen.weight, screen["weight"])
