"""Normalization statistics measured on some inputs and folded into the convolutions (model/frozen_norms.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model.backbone import conv_bn
from polyocr.model.frozen_norms import FoldedBackbone, FoldedConv, NormRecorder
from polyocr.model.fused import ConvNormAct
from polyocr.model.registry import create_model
from polyocr.model.testing import SMALL


def _randomized(block: nn.Module) -> nn.Module:
    for p in block.parameters():
        nn.init.normal_(p)
    return block.eval().to(memory_format=torch.channels_last)


@pytest.mark.parametrize("k,stride,groups,act", [(3, 2, 1, True), (3, 1, 16, True), (1, 1, 1, True), (1, 1, 1, False)])
def test_a_folded_block_normalizes_by_the_statistics_given(k, stride, groups, act):
    torch.manual_seed(0)
    block = _randomized(conv_bn(16, 16 if groups > 1 else 32, k, stride, groups=groups, act=act))
    norm = block[1]
    mean, var = torch.randn(norm.num_groups).double(), torch.rand(norm.num_groups).double() + 0.5
    folded = FoldedConv(block, torch.float32)
    folded.fold(mean, var)
    x = torch.randn(2, 16, 20, 28).contiguous(memory_format=torch.channels_last)
    y = F.conv2d(x.double(), block[0].weight.double(), None, stride, k // 2, 1, groups)
    per = y.shape[1] // norm.num_groups
    expected = ((y - mean.repeat_interleave(per)[:, None, None]) / (var.repeat_interleave(per)[:, None, None] + norm.eps).sqrt()
                * norm.weight.double()[:, None, None] + norm.bias.double()[:, None, None])
    if act:
        expected = expected.clamp(0, 6)
    with torch.inference_mode():
        got = folded(x)
    assert got.shape == expected.shape
    assert torch.allclose(got.double(), expected, atol=1e-4)
    assert not torch.allclose(got.double(), F.group_norm(y, norm.num_groups).clamp(0, 6) if act else y, atol=1e-2)


@pytest.mark.parametrize("threads", [1, 2])  # the fused kernel reports its statistics; PyTorch's layers are measured
def test_folded_with_an_inputs_own_statistics_a_backbone_reads_it_as_before(threads):
    torch.manual_seed(1)
    model = create_model("tiny", vocab_size=20, **SMALL).eval().to(memory_format=torch.channels_last)
    for p in model.backbone.parameters():
        nn.init.normal_(p, std=0.3)
    backbone = model.backbone
    x = torch.rand(1, 3, 64, 96).contiguous(memory_format=torch.channels_last)
    recorder = NormRecorder(backbone)
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with torch.inference_mode():
            with recorder.recording():
                fused, fine = backbone(x)
            assert recorder.samples == 1
            folded = FoldedBackbone(backbone)
            folded.fold(recorder.result())
            fused2, fine2 = folded(x)
    finally:
        torch.set_num_threads(before)
    assert torch.allclose(fused2, fused, atol=1e-3) and torch.allclose(fine2, fine, atol=1e-3)
    assert any(isinstance(m, ConvNormAct) for m in backbone.modules()), "the backbone itself is unchanged"
    assert not any(isinstance(m, ConvNormAct) for m in folded.modules())
    params = {id(p) for p in backbone.parameters()}
    assert all(id(p) in params for p in folded.parameters()), "the other layers are shared, not copied"
    assert all(block.observe is None for block in backbone.modules() if isinstance(block, ConvNormAct))


def test_the_recorder_averages_the_inputs_statistics_and_starts_afresh_each_time(one_thread):
    torch.manual_seed(2)
    block = _randomized(conv_bn(8, 16, 3))
    backbone = nn.Sequential(block)
    recorder = NormRecorder(backbone)
    assert recorder.result() is None, "nothing measured yet"
    a, b = (torch.randn(1, 8, 12, 12).contiguous(memory_format=torch.channels_last) for _ in range(2))
    with torch.inference_mode():
        with recorder.recording():
            backbone(torch.randn(3, 8, 12, 12).contiguous(memory_format=torch.channels_last))
        with recorder.recording():
            backbone(a)
            backbone(b)
    mean, var = recorder.result()["0"]
    y = block[0](torch.cat([a, b])).double().reshape(2, block[1].num_groups, -1)
    want_var, want_mean = torch.var_mean(y, dim=2, unbiased=False)
    assert recorder.samples == 2
    assert torch.allclose(mean, want_mean.mean(0), atol=1e-5) and torch.allclose(var, want_var.mean(0), rtol=1e-4)


def test_the_pipeline_reads_a_pages_lines_with_its_probes_statistics(monkeypatch):
    import polyocr
    from polyocr.eval.metrics import ned

    page = Path(__file__).resolve().parents[2] / "samples" / "en.jpg"
    calls = []
    original = FoldedConv.forward
    monkeypatch.setattr(FoldedConv, "forward", lambda self, x: calls.append(1) or original(self, x))
    plain = polyocr.OCR(threads=1, frozen_norms=False).read(page).text
    assert not calls
    ocr = polyocr.OCR(threads=1)
    folded = ocr.read(page).text
    assert calls and ocr.pipeline._folded_ready
    assert len(plain) > 500 and ned(folded, plain, False) < 0.03  # 0.009: a few unsure characters flip


def test_after_its_probe_a_pages_rows_go_through_the_backbone_with_the_probes_statistics(tmp_path, monkeypatch):
    """The plumbing for any group-normalized checkpoint (the bundled one may have fixed norms): the probe's
    rows are recorded, folded in, and the page's later rows read through the folded backbone."""
    import numpy as np

    import polyocr
    from polyocr.infer.pipeline import Detected
    from polyocr.model.testing import constant_checkpoint

    ocr = polyocr.OCR(str(constant_checkpoint(tmp_path / "ckpt")), threads=1)
    pipe = ocr.pipeline
    assert pipe._recorder is not None and pipe._folded is not None and not pipe._fixed
    page = np.full((200, 300, 3), 255, np.uint8)
    quads = np.array([[[20, y], [280, y], [280, y + 30], [20, y + 30]] for y in (20, 80, 140)], np.float32)
    for y in (25, 85, 145):
        page[y: y + 20, 30:270:12] = 0
    det = Detected(quads, np.ones(3, np.float32), np.zeros(3, bool), 1.0)
    calls = []
    original = FoldedConv.forward
    monkeypatch.setattr(FoldedConv, "forward", lambda self, x: calls.append(1) or original(self, x))
    with torch.inference_mode():
        probe = pipe._probe(page, det)
        assert probe is not None and pipe._folded_ready and not calls, "the probe itself is normalized per row"
        pipe._read(page, quads, np.zeros(3, bool))
    assert calls, "the page's rows went through the folded backbone"
