"""CPU inference layouts and precisions: channels-last convolutions compute what the default layout
computes, and the bfloat16 reading (the default where the CPU has it) reads a real page nearly as float32
does, with the lines detected in float32."""

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
    fp32 = polyocr.OCR(threads=1, cpu_bfloat16=False).read(image).text
    bf16_ocr = polyocr.OCR(threads=1, cpu_bfloat16=True)
    reading = bf16_ocr.pipeline._autocast(reading=True)
    assert reading.fast_dtype == torch.bfloat16 and reading._enabled and bf16_ocr.pipeline._cpu_bf16
    assert not bf16_ocr.pipeline._autocast()._enabled, "detection stays in float32"
    bf16 = bf16_ocr.read(image).text
    assert len(fp32) > 200
    assert ned(bf16, fp32, False) < 0.2  # 0.087 with the model bundled before runs/tiny-s6


@pytest.mark.skipif(not native_bfloat16("cpu"), reason="this CPU has no native bfloat16: both pipelines are float32")
def test_bfloat16_reading_detects_as_float32():
    """Only the reading runs in bfloat16: the page's lines are found exactly where float32 finds them."""
    image = np.asarray(Image.open(SAMPLE).convert("RGB"))
    fp32 = polyocr.OCR(threads=1, cpu_bfloat16=False).pipeline
    bf16 = polyocr.OCR(threads=1, cpu_bfloat16=True).pipeline
    _, a = fp32._detect(image, 0.5)
    _, b = bf16._detect(image, 0.5)
    assert len(a.quads) > 5 and np.array_equal(a.quads, b.quads)
