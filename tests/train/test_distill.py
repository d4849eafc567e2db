"""A backbone without normalization, made from a normalized one and distilled (train/distill.py, tools/distill.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from polyocr.model.backbone import ROWS, VIEWS, KindAffine, conv_bn, set_kind
from polyocr.model.frozen_norms import FoldedBackbone, NormRecorder
from polyocr.model.fused import ConvNormAct
from polyocr.model.registry import create_model
from polyocr.model.testing import SMALL
from polyocr.train.distill import (CapturedInputs, ChannelUse, channel_use, distill_losses, plain_student, random_crop,
                                    reference_scales)

ROOT = Path(__file__).resolve().parents[2]


def _teacher(seed: int = 0):
    torch.manual_seed(seed)
    model = create_model("tiny", vocab_size=20, **SMALL).eval()
    for name, p in model.backbone.named_parameters():
        nn.init.normal_(p, mean=1.0 if name.endswith("1.weight") else 0.0, std=0.3)
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def _own_stats(model, x):
    recorder = NormRecorder(model.backbone)
    with torch.no_grad(), recorder.recording():
        model.features(x)
    return recorder.result()


def test_a_fixed_block_maps_each_kind_of_input_its_own_way():
    block = conv_bn(8, 16, 3, normalize="fixed")
    assert isinstance(block[1], KindAffine) and block[0].bias is None
    assert block.state_dict().keys() == {"0.weight", "1.weight", "1.bias"}
    with torch.no_grad():
        block[1].weight.copy_(torch.stack([torch.full((16,), 2.0), torch.full((16,), -1.0)]))
        block[1].bias.copy_(torch.stack([torch.zeros(16), torch.full((16,), 3.0)]))
    x = torch.randn(2, 8, 10, 10)
    y = nn.functional.conv2d(x, block[0].weight, None, 1, 1)
    set_kind(block, VIEWS)
    assert torch.allclose(block(x), (2 * y).clamp(0, 6), atol=1e-6)
    set_kind(block, ROWS)
    assert torch.allclose(block(x), (3 - y).clamp(0, 6), atol=1e-6)


def _features(model, x, kind):
    set_kind(model.backbone, kind)
    with torch.no_grad():
        return model.features(x)


def test_with_each_kinds_statistics_the_student_computes_the_teachers_features():
    teacher = _teacher()
    view, rows = torch.rand(1, 3, 64, 96), torch.rand(3, 3, 32, 64) * 0.5
    stats = {VIEWS: _own_stats(teacher, view), ROWS: _own_stats(teacher, rows[:1])}
    student = plain_student(teacher, stats, {}, None)
    assert student.cfg.norm == "fixed" and student.cfg.expand == teacher.cfg.expand
    assert not any(isinstance(m, nn.GroupNorm) for m in student.backbone.modules())
    for x, kind in ((view, VIEWS), (rows[:1], ROWS)):
        with torch.no_grad():
            want = teacher.features(x)
        for w, g in zip(want, _features(student, x, kind), strict=True):
            assert torch.allclose(g, w, atol=1e-4), float((g - w).abs().max())
    with torch.no_grad():  # the other kind's map is another one
        assert not torch.allclose(teacher.features(view)[0], _features(student, view, ROWS)[0], atol=1e-2)
    for part in ("detector", "recognizer", "relational"):
        for (name, p), q in zip(getattr(teacher, part).state_dict().items(), getattr(student, part).state_dict().values(),
                                strict=True):
            assert torch.equal(p, q), name


@pytest.mark.parametrize("expand", [2, (2, 4, 2, 4)])
def test_a_narrower_student_drops_the_expanded_channels_that_do_not_move_and_keeps_their_mean(expand):
    teacher = _teacher(1)
    stuck = {}
    with torch.no_grad():
        for name, block in teacher.backbone.named_modules():
            if isinstance(block, ConvNormAct) and name.endswith(".block.1"):
                mid = block[1].num_channels
                idx = torch.randperm(mid)[: mid // 2]  # half the depthwise outputs clamped at 6 whatever comes
                block[1].bias[idx] = 100.0
                stuck[name] = idx
    x = torch.rand(1, 3, 64, 96)
    use = channel_use(teacher.backbone, iter([x]))
    for name, idx in stuck.items():
        assert torch.allclose(use[name].spread[idx], torch.zeros(len(idx), dtype=torch.float64))
        assert torch.allclose(use[name].mean[idx], torch.full((len(idx),), 6.0, dtype=torch.float64))
    stats = _own_stats(teacher, x)
    student = plain_student(teacher, {VIEWS: stats, ROWS: stats}, {VIEWS: use, ROWS: use}, expand)
    assert student.cfg.expand == expand
    mids = [b.block[1][0].out_channels for stage in student.backbone.stages for b in stage]
    assert mids == [c * (expand if isinstance(expand, int) else expand[i]) for i, stage in enumerate(student.backbone.stages)
                    for c in [stage[0].block[0][0].in_channels] + [stage[0].block[2][0].out_channels] * (len(stage) - 1)]
    assert sum(p.numel() for p in student.backbone.parameters()) < sum(p.numel() for p in teacher.backbone.parameters())
    with torch.no_grad():
        want = teacher.features(x)
    for w, g in zip(want, _features(student, x, ROWS), strict=True):
        assert torch.allclose(g, w, atol=1e-3), float((g - w).abs().max())
    # without the stuck channels' mean in the projections' maps the features would be far off
    no_mean = {k: ChannelUse(torch.zeros_like(u.mean), u.spread) for k, u in use.items()}
    off = _features(plain_student(teacher, {VIEWS: stats, ROWS: stats}, {VIEWS: no_mean, ROWS: no_mean}, expand),
                    x, VIEWS)[0]
    assert not torch.allclose(off, want[0], atol=1e-2)


def test_the_folded_form_of_a_student_reads_as_its_layers_do():
    teacher = _teacher(2)
    x = torch.rand(2, 3, 32, 64).contiguous(memory_format=torch.channels_last)
    stats = {VIEWS: _own_stats(teacher, x[:1]), ROWS: _own_stats(teacher, x[1:])}
    student = plain_student(teacher, stats, {}, None).to(memory_format=torch.channels_last)
    for kind in (VIEWS, ROWS):
        folded = FoldedBackbone(student.backbone, kind=kind)
        assert folded.fixed
        want = _features(student, x, kind)
        with torch.inference_mode():
            got = student.features(x, folded)
        for w, g in zip(want, got, strict=True):
            assert torch.allclose(g, w, atol=1e-4)


def test_distillation_moves_a_student_towards_its_teacher():
    teacher = _teacher(3)
    view, rows = torch.rand(1, 3, 64, 64), torch.rand(3, 3, 32, 96)
    stats = _own_stats(teacher, view)
    student = plain_student(teacher, {VIEWS: _own_stats(teacher, rows), ROWS: stats}, {}, None).train()
    folded = FoldedBackbone(teacher.backbone)
    opt = torch.optim.Adam(student.backbone.parameters(), lr=3e-4)
    first = None
    for _ in range(30):
        loss, parts = distill_losses(teacher, student, view, stats, rows, folded)
        first = first if first is not None else parts
        opt.zero_grad()
        loss.backward()
        opt.step()
    _, last = distill_losses(teacher, student, view, stats, rows, folded)
    assert last.total() < 0.5 * first.total(), (first, last)
    assert all(p.grad is None for p in teacher.parameters()), "the teacher learns nothing"


def test_a_view_crop_is_a_multiple_of_32_within_the_view():
    rng = np.random.default_rng(0)
    view = np.arange(100 * 150 * 3, dtype=np.uint32).reshape(100, 150, 3)
    for _ in range(20):
        crop = random_crop(view, 64, rng)
        assert crop.shape[:2] == (64, 64)
        y, x = divmod(int(crop[0, 0, 0]) // 3, 150)
        assert np.array_equal(crop, view[y: y + 64, x: x + 64])
    assert random_crop(view, 512, rng).shape[:2] == (96, 128)


def _tool():
    spec = importlib.util.spec_from_file_location("distill_tool", ROOT / "tools" / "distill.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tool_trains_resumes_and_exports_a_checkpoint_the_pipeline_reads(tmp_path):
    import polyocr
    from polyocr.model.checkpoint import load_checkpoint
    from polyocr.model.testing import constant_checkpoint

    teacher = constant_checkpoint(tmp_path / "teacher")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    rng = np.random.default_rng(0)
    for k in range(3):
        np.savez_compressed(inputs / f"{k:05d}.npz", view0=rng.integers(0, 256, (96, 128, 3), dtype=np.uint8),
                            rows00=rng.integers(0, 256, (4, 32, 128, 3), dtype=np.uint8))
    tool = _tool()
    run = tmp_path / "run"
    common = ["train", "--inputs", str(inputs), "--run", str(run), "--teacher", str(teacher), "--expand", "2",
              "--crop", "64", "--rows", "2", "--threads", "1", "--calibration-pages", "3", "--save-every", "2", "--log-every", "1"]
    assert tool.main(common + ["--steps", "2"]) == 0
    first = torch.load(run / "state.pt", weights_only=False)
    assert first["step"] == 2
    assert tool.main(common + ["--steps", "4"]) == 0
    second = torch.load(run / "state.pt", weights_only=False)
    assert second["step"] == 4
    assert len((run / "log.jsonl").read_text().splitlines()) == 4
    assert any(not torch.equal(first["model"][k], second["model"][k]) for k in first["model"] if "backbone" in k)
    assert tool.main(["export", "--run", str(run)]) == 0
    model, _, config = load_checkpoint(run / "checkpoint")
    assert model.cfg.norm == "fixed" and model.cfg.expand == 2
    assert config["distilled"]["steps"] == 4
    page = np.full((256, 384, 3), 255, np.uint8)
    page[100:140, 40:340] = 0
    ocr = polyocr.OCR(str(run / "checkpoint"), threads=1)
    assert ocr.read(page).text.strip()
    # page views and line rows went through the backbone folded for their own kind, nothing normalized
    assert {kind for _, kind in ocr.pipeline._fixed} == {VIEWS, ROWS}
    assert ocr.pipeline._folded is None and ocr.pipeline._recorder is None


def test_the_tool_captures_the_teachers_inputs_on_page_images(tmp_path):
    from PIL import Image

    from polyocr.model.testing import constant_checkpoint

    teacher = constant_checkpoint(tmp_path / "teacher")
    images = tmp_path / "images"
    (images / "en").mkdir(parents=True)
    (images / ".cache" / "icons").mkdir(parents=True)  # a package's own images are not pages
    page = np.full((320, 480, 3), 255, np.uint8)
    page[100:140, 40:440] = 0
    Image.fromarray(page).save(images / "en" / "doc-p001.png")
    Image.fromarray(page[:64, :64]).save(images / ".cache" / "icons" / "note.png")
    out = tmp_path / "captured"
    tool = _tool()
    assert tool.main(["capture", "--images", str(images), "--out", str(out), "--teacher", str(teacher)]) == 0
    assert [f.name for f in out.iterdir()] == ["00000.npz"]
    data = CapturedInputs(out)
    views = data.views(0)
    assert views and views[0].dtype == np.uint8 and views[0].shape[-1] == 3 and views[0].shape[0] % 32 == 0
    with pytest.raises(SystemExit, match="no .png page images"):
        tool.main(["capture", "--images", str(tmp_path / "teacher"), "--out", str(out), "--teacher", str(teacher)])


def test_the_reference_scales_are_each_channels_variance_over_all_inputs():
    teacher = _teacher(4)
    views = [torch.rand(1, 3, 64, 64), torch.rand(1, 3, 32, 96) * 0.3]
    rows = [torch.rand(2, 3, 32, 64)]
    scales = reference_scales(teacher, views, rows)
    with torch.no_grad():
        fused = [teacher.features(v)[0] for v in views]
    flat = torch.cat([f.transpose(0, 1).reshape(f.shape[1], -1) for f in fused], 1).double()
    assert torch.allclose(scales["views.fused"].double(), flat.var(1, unbiased=False), rtol=1e-3)
    assert scales["rows.steps"].shape == (teacher.cfg.rec_dim,)
    assert scales["views.maps"].shape == (6,)
    # a blank crop's own variance is tiny; the reference one keeps its error in proportion
    blank = torch.ones(1, 3, 64, 64)
    student = plain_student(teacher, {VIEWS: _own_stats(teacher, views[0]), ROWS: _own_stats(teacher, rows[0])}, {})
    stats = _own_stats(teacher, blank)
    folded = FoldedBackbone(teacher.backbone)
    with torch.no_grad():
        _, own = distill_losses(teacher, student, blank, stats, None, folded)
        _, ref = distill_losses(teacher, student, blank, stats, None, folded, scales)
    assert ref.fused < own.fused
