"""CPU inference layouts and precisions: channels-last convolutions compute what the default layout
computes, and the bfloat16 reading (the default where the CPU has it) reads a real page nearly as float32
does, and the bfloat16 detection finds the lines float32 finds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import polyocr
from polyocr.eval.metrics import ned
from polyocr.model.precision import native_bfloat16

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "en.jpg"


def test_channels_last_features_match_the_default_layout():
    ocr = polyocr.OCR(threads=1)
    model = ocr.pipeline.model
    assert model.backbone.stem[0][0].weight.is_contiguous(memory_format=torch.channels_last)
    x = torch.rand(2, 3, 64, 256)
    with torch.inference_mode():
        fused_cl, fine_cl = model.features(x.contiguous(memory_format=torch.channels_last))
        plain = model.to(memory_format=torch.contiguous_format)
        fused, fine = plain.features(x)
    assert torch.allclose(fused_cl, fused, atol=1e-4) and torch.allclose(fine_cl, fine, atol=1e-4)


@pytest.mark.skipif(not native_bfloat16("cpu"), reason="this CPU has no native bfloat16: the option does nothing here")
def test_bfloat16_reads_a_real_page_nearly_as_float32():
    image = np.asarray(Image.open(SAMPLE).convert("RGB"))
    fp32 = polyocr.OCR(threads=1, cpu_bfloat16=False, cpu_bfloat16_detect=False).read(image).text
    bf16_ocr = polyocr.OCR(threads=1, cpu_bfloat16=True, cpu_bfloat16_detect=False)
    reading = bf16_ocr.pipeline._autocast("read")
    assert reading.fast_dtype == torch.bfloat16 and reading._enabled
    assert not bf16_ocr.pipeline._autocast("detect")._enabled
    bf16 = bf16_ocr.read(image).text
    assert len(fp32) > 200
    assert ned(bf16, fp32, False) < 0.2  # 0.087 with the model bundled before runs/tiny-s6


@pytest.mark.skipif(not native_bfloat16("cpu"), reason="this CPU has no native bfloat16: both pipelines are float32")
def test_each_precision_option_moves_only_its_own_part():
    """Reading in bfloat16 finds the page's lines exactly where float32 does; detecting in bfloat16
    finds the same lines within a pixel, and the page reads nearly the same."""
    image = np.asarray(Image.open(SAMPLE).convert("RGB"))
    fp32 = polyocr.OCR(threads=1, cpu_bfloat16=False, cpu_bfloat16_detect=False).pipeline
    bf16_read = polyocr.OCR(threads=1, cpu_bfloat16=True, cpu_bfloat16_detect=False).pipeline
    bf16 = polyocr.OCR(threads=1).pipeline  # the default: both
    assert bf16._autocast("detect")._enabled and not bf16._autocast("order")._enabled
    _, a = fp32._detect(image, 0.5)
    _, b = bf16_read._detect(image, 0.5)
    fused, c = bf16._detect(image, 0.5)
    assert fused.dtype == torch.float32  # what the relational model reads
    assert len(a.quads) > 5 and np.array_equal(a.quads, b.quads)
    assert len(c.quads) == len(a.quads)
    corner = np.abs(np.sort(c.quads.reshape(len(c.quads), -1), 0) - np.sort(a.quads.reshape(len(a.quads), -1), 0))
    assert np.median(corner) < 0.1 and corner.max() < 1.0  # 0.002 and 0.02 px here
    page32 = polyocr.OCR(threads=1, cpu_bfloat16_detect=False).read(image).text
    assert ned(polyocr.OCR(threads=1).read(image).text, page32, False) < 0.1  # 0.034: a garbled block reordered


@pytest.mark.parametrize("flag, want", [("--fp32", False), ("--bf16", True), (None, None)])
def test_the_precision_flag_sets_detection_and_reading_alike(monkeypatch, flag, want):
    """``polyocr read --fp32`` is float32 throughout; with neither flag the pipeline's defaults hold."""
    from click.testing import CliRunner

    from polyocr.infer import api, cli

    seen: dict = {}

    def recording_ocr(*args, **settings):
        seen.update(settings)
        raise SystemExit(3)

    monkeypatch.setattr(api, "OCR", recording_ocr)
    result = CliRunner().invoke(cli.read, [*([flag] if flag else []), str(SAMPLE)])
    assert result.exit_code == 3
    assert seen["cpu_bfloat16"] is want and seen["cpu_bfloat16_detect"] is want
