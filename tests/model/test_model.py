"""The model registry, feature contract, vocabulary growth and checkpoints."""

from __future__ import annotations

import pytest
import torch

from polyocr.errors import PolyocrError
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.checkpoint import load_checkpoint, save_checkpoint
from polyocr.model.registry import create_model, list_models


@pytest.mark.parametrize("name", list_models())
def test_every_registered_model_runs_end_to_end(name):
    torch.manual_seed(0)
    model = create_model(name, vocab_size=50).eval()
    info = model.backbone.feature_info
    assert [f["reduction"] for f in info] == [2, 4, 8, 16, 32]
    x = torch.rand(2, 3, 128, 160)
    with torch.no_grad():
        levels = model.backbone.forward_features(x)
        assert [lv.shape[1] for lv in levels] == [f["num_chs"] for f in info]
        assert [lv.shape[-1] for lv in levels] == [160 // f["reduction"] for f in info]
        fused, fine = model.features(x)
        assert fused.shape == (2, model.cfg.fpn, 32, 40) and fine.shape[-2:] == (64, 80)
        assert model.detect(fused).shape == (2, 6, 32, 40)
        quads = torch.tensor([[[8.0, 8.0], [120.0, 8.0], [120.0, 24.0], [8.0, 24.0]],
                              [[100.0, 10.0], [100.0, 110.0], [84.0, 110.0], [84.0, 10.0]]])
        logits, steps, pooled = model.read(fused, fine, quads, torch.tensor([0, 1]), torch.tensor([False, True]))
        assert logits.shape[0] == 2 and logits.shape[-1] == 50 and pooled.shape == (2, model.cfg.rec_dim)
        assert steps.tolist() == [56, 48]  # 16 rows × 7 aspect / 2; 6 upright cells × 16 / 2
        feats = model.line_features(fused, quads, torch.tensor([0, 1]), torch.tensor([False, True]))
        assert feats.shape == (2, model.cfg.fpn)
        succ, group = model.relate(feats, quads, torch.tensor([False, True]), (128, 160))
        assert succ.shape == (2, 3) and group.shape == (2, 2)


def test_inference_reading_matches_training_reading():
    """read_best (head on real steps only, no softmax tensor) gives read's best path, probabilities and pooling."""
    from polyocr.model.ctc import best_path
    from polyocr.model.testing import SMALL

    torch.manual_seed(0)
    model = create_model("tiny", vocab_size=30, **SMALL).eval()
    x = torch.rand(1, 3, 96, 256)
    quads = torch.tensor([[[4.0, 4.0], [250.0, 4.0], [250.0, 20.0], [4.0, 20.0]],   # long
                          [[10.0, 40.0], [60.0, 40.0], [60.0, 56.0], [10.0, 56.0]],  # short: padded in read
                          [[200.0, 30.0], [200.0, 90.0], [186.0, 90.0], [186.0, 30.0]]])  # vertical
    vertical = torch.tensor([False, False, True])
    with torch.no_grad():
        fused, fine = model.features(x)
        index = torch.zeros(3, dtype=torch.long)
        logits, steps, pooled = model.read(fused, fine, quads, index, vertical)
        ids, conf, pooled_best = model.read_best(fused, fine, quads, index, vertical)
        want_ids, want_conf = best_path(logits)
    assert len(set(steps.tolist())) == 3
    for k, n in enumerate(steps.tolist()):
        assert torch.equal(ids[k], want_ids[k, :n])
        chars = ids[k] != 0
        assert torch.allclose(conf[k], want_conf[k, :n], atol=1e-6, equal_nan=True)
        assert torch.allclose(conf[k][chars], logits[k, :n][chars].softmax(-1).max(-1).values, atol=1e-6)
        assert conf[k][~chars].isnan().all(), "blank steps carry no confidence"
    assert torch.allclose(pooled_best, pooled, atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_best_path_is_each_steps_argmax_with_its_softmax_probability(dtype):
    from polyocr.model.ctc import best_path

    torch.manual_seed(0)
    logits = torch.randn(3, 50, 300) * 8
    logits[..., 0] += torch.rand(3, 50) * 30  # some steps blank, some not
    logits = logits.to(dtype)
    ids, conf = best_path(logits)
    scores = logits.float()
    assert ids.shape == conf.shape == (3, 50) and 0 < int((ids == 0).sum()) < 150
    assert torch.equal(scores.gather(-1, ids[..., None])[..., 0], scores.amax(-1)), "each step's class is its best"
    chars = ids != 0
    assert torch.allclose(conf[chars], scores[chars].softmax(-1).amax(-1), rtol=1e-5)
    assert conf[~chars].isnan().all() and not conf[chars].isnan().any()


def test_the_bfloat16_kernel_chooses_as_pytorch_does():
    """ctc.best_path's numba kernel (bfloat16 on a CPU) against best_path_torch: the same class on every
    step (ties to the first index, -0 and +0 equal, negative rows, all-blank rows), the same probability."""
    from polyocr.model.ctc import best_path, best_path_torch

    torch.manual_seed(1)
    logits = (torch.randn(4, 40, 1000) * 6 - 20).to(torch.bfloat16)
    logits[0, :, 0] += 60  # blank everywhere
    logits[1, :5, 7] = logits[1, :5, 9] = logits[1, :5].amax(-1) + 1  # a tie: the first index wins
    logits[2, 0] = -0.0
    logits[2, 0, 0], logits[2, 0, 3] = -0.0, 0.0  # the blank at -0 ties +0: blank
    logits[2, 1] = -1.0
    logits[2, 1, 5] = -0.0  # a character at -0 above -1
    ids, conf = best_path(logits)
    want_ids, want_conf = best_path_torch(logits)
    assert ids.shape == (4, 40) and torch.equal(ids, want_ids)
    assert (ids[0] == 0).all() and (ids[1, :5] == 7).all() and ids[2, 0] == 0 and ids[2, 1] == 5
    assert torch.allclose(conf, want_conf, rtol=2e-6, equal_nan=True)
    assert (ids != 0).sum() > 50


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_each_steps_largest_logit_comes_with_its_class(dtype):
    """_best_steps(with_top=True): the logit of the class chosen is the row's largest (narrowing reads it)."""
    from polyocr.model.ocr import ReadingHead, _best_steps

    torch.manual_seed(4)
    layer = torch.nn.Linear(16, 700)
    head = ReadingHead.of(layer, list(range(0, 700, 3)), dtype)
    real = torch.randn(300, 16) * 3
    ids, _, top = _best_steps(real, head, with_top=True)
    logits = head(real).float()
    assert torch.equal(top, logits.amax(-1))
    assert torch.equal(head.class_ids(logits.argmax(-1)), ids)


def test_a_head_on_some_classes_chooses_among_them_only():
    """ReadingHead with ``classes``: every step's choice is the best of the kept classes, in vocabulary ids."""
    from polyocr.model.ocr import ReadingHead
    from polyocr.model.testing import SMALL

    torch.manual_seed(0)
    model = create_model("tiny", vocab_size=30, **SMALL).eval()
    x = torch.rand(1, 3, 64, 256)
    quads = torch.tensor([[[4.0, 4.0], [250.0, 4.0], [250.0, 30.0], [4.0, 30.0]]])
    keep = [0, 1, 5, 6, 17, 29]
    with torch.no_grad():
        fused, fine = model.features(x)
        index, vertical = torch.zeros(1, dtype=torch.long), torch.zeros(1, dtype=torch.bool)
        logits, steps, _ = model.read(fused, fine, quads, index, vertical)
        ids, _, _ = model.read_best(fused, fine, quads, index, vertical, ReadingHead.of(model.recognizer.head, keep))
    n = int(steps[0])
    want = torch.tensor(keep)[logits[0, :n, keep].argmax(-1)]
    assert torch.equal(ids[0], want)
    assert set(ids[0].tolist()) <= set(keep)
    with pytest.raises(ValueError, match="blank"):
        ReadingHead.of(model.recognizer.head, [1, 2])


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_the_cpu_head_computes_what_linear_computes(dtype):
    """The bias stacked under the transposed weights gives ``linear``'s logits (bit for bit on the CPUs
    measured; within rounding wherever a GEMM sums in another order)."""
    from polyocr.model.ocr import ReadingHead

    torch.manual_seed(0)
    layer = torch.nn.Linear(192, 3000)
    torch.nn.init.normal_(layer.bias, std=2.0)
    head = ReadingHead.of(layer, dtype=dtype)
    assert head.stacked is not None and head.stacked.shape == (193, 3000)
    x = torch.randn(2, 70, 192)
    want = torch.nn.functional.linear(x.to(dtype), layer.weight.detach().to(dtype), layer.bias.detach().to(dtype))
    with torch.inference_mode():
        got = head(x)
    assert got.dtype == dtype and got.shape == (2, 70, 3000)
    tol = 1e-5 if dtype == torch.float32 else 8e-3  # bfloat16 keeps 8 bits
    torch.testing.assert_close(got.float(), want.float(), rtol=tol, atol=tol)


def test_growing_the_vocabulary_keeps_old_rows_and_outputs():
    torch.manual_seed(0)
    model = create_model("tiny", vocab_size=40).eval()
    strips = torch.randn(3, model.cfg.fpn + model.cfg.stem, model.cfg.rec_height, 30)
    widths = torch.tensor([30, 20, 10])
    with torch.no_grad():
        before = model.recognizer(strips, widths)
        old_w = model.recognizer.head.weight.clone()
        model.recognizer.grow(55)
        after = model.recognizer(strips, widths)
    assert after.shape[-1] == 55
    assert torch.equal(model.recognizer.head.weight[:40], old_w)
    assert torch.allclose(after[..., :40], before, atol=1e-5)
    assert torch.equal(after[..., :40].argmax(-1), after.argmax(-1)), "new characters never win over trained ones at first"
    with pytest.raises(ValueError):
        model.recognizer.grow(10)


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    vocab = Vocabulary(" abcdefg")
    model = create_model("tiny", vocab_size=len(vocab)).eval()
    save_checkpoint(tmp_path / "ckpt", model, vocab, {"training": {"steps": 3}})
    loaded, v2, config = load_checkpoint(tmp_path / "ckpt")
    assert v2.chars == vocab.chars and config["training"]["steps"] == 3
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(model.features(x)[0], loaded.features(x)[0])
    (tmp_path / "ckpt" / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(PolyocrError, match="cannot read weights"):
        load_checkpoint(tmp_path / "ckpt")
    with pytest.raises(PolyocrError, match="not a polyocr checkpoint"):
        load_checkpoint(tmp_path)


def test_half_checkpoint_keeps_the_detector_and_backbone_in_float32(tmp_path):
    """A float16 checkpoint (the bundled model's) halves the recognizer, but the detector head and the
    backbone come back bit for bit (``checkpoint.FULL_PRECISION``)."""
    from safetensors.torch import load_file

    torch.manual_seed(0)
    vocab = Vocabulary(" abcdefg")
    model = create_model("tiny", vocab_size=len(vocab)).eval()
    with torch.no_grad():
        model.detector.out.weight.add_(1e-4)  # values float16 cannot hold
        model.backbone.stem[0][0].weight.add_(1e-4)
    save_checkpoint(tmp_path / "half", model, vocab, half=True)
    stored = load_file(str(tmp_path / "half" / "model.safetensors"))
    assert stored["recognizer.head.weight"].dtype == torch.float16
    assert all(v.dtype == torch.float32 for k, v in stored.items() if k.startswith(("detector.", "backbone.")))
    loaded, _, _ = load_checkpoint(tmp_path / "half")
    for part in ("detector", "backbone"):
        want_state, got_state = getattr(model, part).state_dict(), getattr(loaded, part).state_dict()
        for (name, want), got in zip(want_state.items(), got_state.values(), strict=True):
            assert torch.equal(want, got), f"{part}.{name}"


def test_init_from_copies_matching_weights_and_names_the_rest(tmp_path):
    from polyocr.model.checkpoint import init_from
    from polyocr.model.testing import SMALL

    vocab = Vocabulary(" abc")
    torch.manual_seed(0)
    old = create_model("tiny", vocab_size=len(vocab), **SMALL)
    save_checkpoint(tmp_path / "old", old, vocab)
    torch.manual_seed(1)
    new = create_model("tiny", vocab_size=len(vocab), **{**SMALL, "rel_dim": 48})  # the relational model changed
    fresh = init_from(new, tmp_path / "old", vocab)
    assert fresh and all(name.startswith("relational.") for name in fresh)
    assert torch.equal(new.backbone.stem[0][0].weight, old.backbone.stem[0][0].weight)
    assert torch.equal(new.recognizer.head.weight, old.recognizer.head.weight)
    with pytest.raises(PolyocrError, match="vocabulary differs"):
        init_from(new, tmp_path / "old", Vocabulary(" abd"))


def test_inference_encoder_computes_what_the_training_encoder_does():
    """The written-out attention (``Recognizer._encode``) gives the encoder module's output on every
    real step of lines of different lengths; the padding steps do not leak into them."""
    from polyocr.model.recognizer import Recognizer

    torch.manual_seed(0)
    rec = Recognizer(40, 16, 64, 2, 4, 30).eval()
    strips = torch.randn(3, 40, 16, 50)
    widths = torch.tensor([50, 31, 7])
    with torch.no_grad():
        x = rec.pos(rec.proj(rec.fold(strips).squeeze(2).transpose(1, 2)))
        pad = torch.arange(x.shape[1])[None] >= rec.steps(widths)[:, None]
        expected = rec.encoder(x, src_key_padding_mask=pad)
        got = rec._encode(x, pad)
        noisy = x.clone()
        noisy[pad] = 1e3  # whatever the padding holds
        got_noisy = rec._encode(noisy, pad)
    real = ~pad
    assert pad.any() and real.any()
    assert torch.allclose(got[real], expected[real], atol=1e-5)
    assert torch.allclose(got_noisy[real], expected[real], atol=1e-5)
    with torch.inference_mode():
        assert torch.allclose(rec.embed(strips, widths)[real], rec.norm(expected)[real], atol=1e-5)
