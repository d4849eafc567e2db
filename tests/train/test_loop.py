"""The training loop: it can memorize a few pages, and a killed-and-resumed run is bit-identical."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "model"))
from simple_pages import SimplePages  # noqa: E402

from polyocr.eval.metrics import ned  # noqa: E402
from polyocr.lang.vocabulary import Vocabulary  # noqa: E402
from polyocr.model.ctc import greedy_decode  # noqa: E402
from polyocr.train.config import TrainConfig  # noqa: E402
from polyocr.train.data import crop_batch  # noqa: E402
from polyocr.train.loop import train  # noqa: E402

LINES = ["The quick brown fox", "jumps over the lazy dog", "Pack my box with five", "dozen liquor jugs",
         "Sphinx of black quartz", "judge my vow now", "How vexingly quick", "daft zebras jump"]
SMALL = dict(channels=(16, 32, 48, 64), depths=(1, 1, 1, 1), fpn=32, stem=16, rec_dim=96, rec_layers=1, rel_dim=32,
             rel_layers=1)


def config(**kw) -> TrainConfig:
    base = dict(model="tiny", model_overrides=SMALL, steps=6, page_batch=1, page_size=256, crop_pages=2,
                crops_per_page=4, lr=3e-3, warmup=10, workers=0, log_every=1, ckpt_every=1000)
    base.update(kw)
    return TrainConfig(**base)


@pytest.fixture(scope="module")
def source():
    return SimplePages("en", LINES)


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary(" " + "".join(sorted(set("".join(LINES)) - {" "})))


def read_crops(model, source, vocab):
    batch = crop_batch(source, [0, 1, 2, 3], 4, 32, vocab, 0)
    k = len(batch["targets"])
    model.eval()
    with torch.no_grad():
        fused, fine = model.features(batch["images"])
        logits, steps, _ = model.read(fused, fine, batch["quads"], batch["rows"], torch.zeros(k, dtype=torch.bool))
    return [(d.text, t) for d, t in zip(greedy_decode(logits, steps, vocab), batch["texts"], strict=True)]


def test_crops_are_packed_without_overlap(source, vocab):
    batch = crop_batch(source, [0, 1, 2, 3], 4, 32, vocab, 0, max_width=640)
    quads, rows = batch["quads"], batch["rows"]
    assert batch["images"].shape[0] < len(batch["targets"])  # short lines share rows
    assert torch.equal(quads[:, 1, 0] - quads[:, 0, 0], batch["widths"].float())
    assert float(quads[:, 1, 0].max()) <= batch["images"].shape[-1] <= 640
    for r in rows.unique():
        spans = sorted((float(q[0, 0]), float(q[1, 0])) for q in quads[rows == r])
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))  # a gap between neighbours


def test_overfits_a_few_pages(tmp_path, source, vocab):
    cfg = config(steps=160, page_batch=0, crop_pages=2, crops_per_page=4, warmup=20, log_every=40, quad_jitter=0.0)
    model = train(cfg, source, vocab, tmp_path / "run", progress=False)
    pairs = read_crops(model, source, vocab)
    mean = sum(ned(p, t) for p, t in pairs) / len(pairs)
    assert mean < 0.15, pairs
    assert (tmp_path / "run" / "checkpoint" / "model.safetensors").exists()
    assert (tmp_path / "run" / "metrics.jsonl").read_text().count("\n") == 4


def test_frozen_parts_keep_their_weights_while_the_recognizer_learns(tmp_path, source, vocab):
    """``freeze: [backbone, detector, relational]`` trains the recognizer alone: the other parts (so the
    page's detection) stay bit for bit what they started as."""
    from polyocr.errors import PolyocrError
    from polyocr.model.registry import create_model

    torch.manual_seed(3)
    start = create_model("tiny", vocab_size=len(vocab), **SMALL)
    before = {k: v.clone() for k, v in start.state_dict().items()}
    cfg = config(steps=4, page_batch=0, freeze=["backbone", "detector", "relational"])
    model = train(cfg, source, vocab, tmp_path / "run", init=start, progress=False)
    after = model.state_dict()
    for name, value in before.items():
        if name.startswith("recognizer."):
            continue
        assert torch.equal(after[name], value), name
    moved = [n for n, v in before.items() if n.startswith("recognizer.") and not torch.equal(after[n], v)]
    assert len(moved) > 10
    everything = config(freeze=["backbone", "detector", "recognizer", "relational"])
    with pytest.raises(PolyocrError, match="nothing to train"):
        train(everything, source, vocab, tmp_path / "none", progress=False)


def test_the_detector_alone_trains_on_pages_that_come_every_other_step(tmp_path, source, vocab):
    """No crops and a page every second step: the steps between have no loss and change nothing (they
    crashed the loop once); the detector head learns, everything else stays as it was."""
    from polyocr.model.registry import create_model

    torch.manual_seed(5)
    start = create_model("tiny", vocab_size=len(vocab), **SMALL)
    before = {k: v.clone() for k, v in start.state_dict().items()}
    cfg = config(steps=4, page_batch=1, page_every=2, crop_pages=0, freeze=["backbone", "recognizer", "relational"])
    model = train(cfg, source, vocab, tmp_path / "run", init=start, progress=False)
    after = model.state_dict()
    moved = {n for n, v in before.items() if not torch.equal(after[n], v)}
    assert moved and all(n.startswith("detector.") for n in moved)
    rows = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert len(rows) == 4 and sum('"loss"' in row for row in rows) == 2  # the two page steps


def test_resume_is_bit_identical(tmp_path, source, vocab):
    cfg = config(steps=6, ckpt_every=3)
    straight = train(cfg, source, vocab, tmp_path / "a", progress=False)
    train(cfg, source, vocab, tmp_path / "b", progress=False, until=3)  # "killed" after step 3
    resumed = train(cfg, source, vocab, tmp_path / "b", progress=False)
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    steps = [line for line in (tmp_path / "b" / "metrics.jsonl").read_text().splitlines()]
    assert len(steps) == 6, "metrics are not duplicated across the resume"


def test_a_resumed_run_keeps_the_config_it_started_with(tmp_path, source, vocab):
    from polyocr.errors import PolyocrError
    from polyocr.train.config import run_train_config

    run = tmp_path / "run"
    cfg, resuming = run_train_config(run, "tiny", {"lr": 0.0004, "lang_weights": {"en": 2.0}})
    assert not resuming and cfg.lr == 0.0004 and cfg.steps == 20000  # a new run: the preset, plus the overrides
    train(config(steps=6, ckpt_every=3, lr=0.0004, seed=7), source, vocab, run, progress=False, until=3)
    again, resuming = run_train_config(run, "tiny", {"steps": 5})  # only --steps: not the preset's rate
    assert resuming and (again.lr, again.seed, again.steps, again.page_size) == (0.0004, 7, 5, 256)
    (run / "checkpoint" / "config.json").write_text("{")
    with pytest.raises(PolyocrError, match="no readable checkpoint/config.json"):
        run_train_config(run, "tiny", {})


def test_planned_steps_fit_the_time_left_and_never_exceed_the_config():
    from polyocr.train.loop import planned_steps

    assert planned_steps(1000, done=10, steps_per_s=2.0, seconds_left=100.0, margin=1.0) == 210
    assert planned_steps(100, done=10, steps_per_s=2.0, seconds_left=100.0) == 100  # capped by the config
    assert planned_steps(1000, done=10, steps_per_s=2.0, seconds_left=-5.0) == 10  # overrun: stop now


def test_a_spent_budget_ends_the_run_with_its_state_and_schedule_saved(tmp_path, source, vocab):
    run = tmp_path / "run"
    cfg = config(steps=50, ckpt_every=1000)
    train(cfg, source, vocab, run, progress=False, budget_s=1e-6)  # spent after the first step
    state = torch.load(run / "state.pt", weights_only=False)
    assert state["step"] == 1  # stopped (and saved) at once, not after 50 steps
    recorded = json.loads((run / "checkpoint" / "config.json").read_text())["training"]
    assert recorded["steps"] == 1 and recorded["config"]["steps"] == 1  # the resume continues the same schedule
    metrics = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1]


def _ddp_worker(rank: int, out: str, port: int) -> None:
    os.environ.update(RANK=str(rank), WORLD_SIZE="2", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    lines = LINES
    src = SimplePages("en", lines)
    vocab = Vocabulary(" " + "".join(sorted(set("".join(lines)) - {" "})))
    model = train(config(steps=2), src, vocab, Path(out), progress=False)
    torch.save(model.state_dict(), Path(out) / f"rank{rank}.pt")
    torch.distributed.destroy_process_group()


def test_two_process_gloo_training_keeps_ranks_in_sync(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mp.spawn(_ddp_worker, args=(str(tmp_path), port), nprocs=2, join=True)
    a = torch.load(tmp_path / "rank0.pt")
    b = torch.load(tmp_path / "rank1.pt")
    for name in a:
        assert torch.equal(a[name], b[name]), name
