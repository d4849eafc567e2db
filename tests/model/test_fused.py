"""The fused inference kernels compute what the layers they replace compute."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from polyocr.model import fused
from polyocr.model.backbone import conv_bn
from polyocr.model.fused import ConvNormAct, Pointwise, group_norm_clamp_, group_norm_clamp_bf16_


@pytest.mark.parametrize("shape", [(1, 16, 37, 23), (3, 24, 8, 40), (2, 8, 1, 1)])
@pytest.mark.parametrize("clamp", [True, False])
def test_group_norm_clamp_matches_group_norm_then_relu6(shape, clamp):
    torch.manual_seed(0)
    n, c, h, w = shape
    x = (torch.randn(shape) * 5 + 3).contiguous(memory_format=torch.channels_last)
    gamma, beta = torch.randn(c), torch.randn(c)
    expected = F.group_norm(x, 4, gamma, beta, 1e-5)
    if clamp:
        expected = expected.clamp(0, 6)
    y = x.clone()
    lo, hi = (0.0, 6.0) if clamp else (-float("inf"), float("inf"))
    stats = np.zeros((n, 4, 2))
    group_norm_clamp_(y.permute(0, 2, 3, 1).view(n, h * w, c).numpy(), 4, gamma.numpy(), beta.numpy(), 1e-5, lo, hi,
                      stats)
    assert torch.allclose(y, expected, atol=2e-4)
    assert not torch.allclose(y, x)  # it wrote in place
    var, mean = torch.var_mean(x.double().reshape(n, 4, -1), dim=2, unbiased=False)
    assert np.allclose(stats[..., 0], mean.numpy(), rtol=1e-5, atol=1e-5), "the statistics it normalized by"
    assert np.allclose(stats[..., 1], var.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("k,groups,act", [(1, 1, True), (3, 1, True), (3, 24, True), (1, 1, False)])
def test_a_conv_bn_block_reads_alike_fused_and_unfused(one_thread, k, groups, act):
    torch.manual_seed(1)
    block = conv_bn(24, 24, k, groups=groups, act=act)
    assert isinstance(block, ConvNormAct) and isinstance(block[0], Pointwise) == (k == 1 and groups == 1)
    for p in block.parameters():
        nn.init.normal_(p)
    block = block.eval().to(memory_format=torch.channels_last)
    x = torch.randn(2, 24, 19, 33).contiguous(memory_format=torch.channels_last)
    expected = nn.Sequential(*list(block)[1:])(block[0]._conv_forward(x, block[0].weight, None))  # one by one
    with torch.inference_mode():
        got = block(x)
    assert torch.allclose(got, expected, atol=2e-4)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        got16 = block(x)
        torch.set_num_threads(2)  # PyTorch's own layers, on the bfloat16 map
        unfused16 = block(x)
        torch.set_num_threads(1)
    # both in bfloat16, at most a step or two of its precision apart
    assert got16.dtype == unfused16.dtype == torch.bfloat16
    assert torch.allclose(got16.float(), unfused16.float(), rtol=2**-6, atol=2e-2)
    assert torch.allclose(got16.float(), expected, atol=0.1, rtol=0.05)


def test_the_blocks_keep_the_state_dict_keys_of_plain_layers():
    plain = nn.Sequential(nn.Conv2d(8, 16, 1, bias=False), nn.GroupNorm(8, 16), nn.ReLU6())
    assert conv_bn(8, 16, 1).state_dict().keys() == plain.state_dict().keys()
    conv_bn(8, 16, 1).load_state_dict(plain.state_dict())


def test_several_threads_or_training_take_pytorchs_own_layers(monkeypatch):
    def refuse(*args):
        raise AssertionError("the fused kernel ran")

    monkeypatch.setattr(fused, "group_norm_clamp_", refuse)
    block = conv_bn(8, 8, 3).eval().to(memory_format=torch.channels_last)
    x = torch.randn(1, 8, 16, 16).contiguous(memory_format=torch.channels_last)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        with torch.inference_mode():
            block(x)
        torch.set_num_threads(1)
        block(x).sum().backward()  # with gradients
        with torch.inference_mode(), pytest.raises(AssertionError, match="fused kernel ran"):
            block(x)
    finally:
        torch.set_num_threads(before)


def test_the_bundled_model_reads_a_page_alike_with_and_without_the_fused_kernels(one_thread, monkeypatch):
    from pathlib import Path

    import numpy as np
    from PIL import Image

    import polyocr
    from polyocr.eval.metrics import ned

    image = np.asarray(Image.open(Path(__file__).resolve().parents[2] / "samples" / "ru.jpg").convert("RGB"))
    ocr = polyocr.OCR(threads=1)
    calls = []
    monkeypatch.setattr(fused, "group_norm_clamp_", lambda *a: calls.append("float32") or group_norm_clamp_(*a))
    monkeypatch.setattr(fused, "group_norm_clamp_bf16_", lambda *a: calls.append("bfloat16") or group_norm_clamp_bf16_(*a))
    ours = ocr.read(image).text
    assert calls, "the fused kernels ran"
    monkeypatch.setattr(fused, "ENABLED", False)
    theirs = ocr.read(image).text
    assert len(theirs) > 200
    assert ned(ours, theirs, False) < 0.02  # 0.0105 on this blurred sample: a few unsure characters flip


@pytest.mark.parametrize("clamp", [True, False])
def test_the_bfloat16_kernel_rounds_each_value_as_pytorch_rounds_float32_to_bfloat16(clamp):
    """Given the statistics it normalized by, every output is the float32 ``x * scale + shift`` (clamped)
    rounded to the nearest bfloat16 (ties to even), bit for bit: the bit casts widen and narrow exactly."""
    torch.manual_seed(3)
    n, p, c, groups = 2, 300, 24, 4
    x = (torch.randn(n, p, c) * 4 + 1).to(torch.bfloat16)
    gamma, beta = torch.randn(c), torch.randn(c)
    lo, hi = (0.0, 6.0) if clamp else (-float("inf"), float("inf"))
    bits = x.clone().view(torch.uint16)
    stats = np.zeros((n, groups, 2))
    group_norm_clamp_bf16_(bits.numpy(), groups, gamma.numpy(), beta.numpy(), 1e-5, lo, hi, stats)
    per = c // groups  # scale and shift as the kernel makes them: in float64, stored as float32
    rstd = torch.from_numpy(1.0 / np.sqrt(stats[..., 1] + 1e-5)).repeat_interleave(per, dim=1)  # (n, c)
    mean = torch.from_numpy(stats[..., 0]).repeat_interleave(per, dim=1)
    scale = (gamma.double() * rstd).float().double()
    shift = (beta.double() - mean * gamma.double() * rstd).float().double()
    # x * scale + shift rounded once to float32 (a fused multiply-add), then to bfloat16
    expected = (x.double() * scale[:, None] + shift[:, None]).float().clamp(lo, hi).to(torch.bfloat16)
    got = bits.view(torch.bfloat16)
    assert torch.equal(got, expected)
    assert not torch.equal(got, x)
