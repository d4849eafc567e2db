"""The training loop, readable top to bottom.

Exactness: the batch of step ``s`` and the dropout randomness of step ``s`` are pure functions of
``(seed, s)``, and the state saved every ``ckpt_every`` steps holds the weights, the optimizer and the
step. So a run killed at any point and resumed continues with exactly the data and randomness it
would have had: on a CPU the weights match an uninterrupted run bit for bit.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist

from polyocr.allocator import keep_freed_memory
from polyocr.errors import PolyocrError
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.backbone import ROWS, VIEWS, set_kind
from polyocr.model.checkpoint import save_checkpoint
from polyocr.model.ocr import OCRModel
from polyocr.model.precision import native_bfloat16
from polyocr.model.registry import create_model
from polyocr.train.config import TrainConfig
from polyocr.train.data import PageSource, crop_batch, page_batch
from polyocr.train.losses import ctc_loss, detection_loss, relation_loss


class StepBatches(torch.utils.data.Dataset):
    """Map-style dataset whose item ``s`` is the whole batch of step ``s`` for this rank."""

    def __init__(self, source: PageSource, cfg: TrainConfig, vocab: Vocabulary, rank: int = 0, world: int = 1) -> None:
        self.source, self.cfg, self.vocab, self.rank, self.world = source, cfg, vocab, rank, world

    def __len__(self) -> int:
        return self.cfg.steps

    def page_indices(self, step: int) -> tuple[list[int], list[int]]:
        """Source indices of step ``step``'s detector pages (even) and crop pages (odd): every rank and
        step draws its own pages, and a resumed run draws the same ones."""
        c = self.cfg
        slot = step * self.world + self.rank
        pages = [2 * slot * c.page_batch + 2 * j for j in range(c.page_batch)] if c.page_batch and step % c.page_every == 0 else []
        crops = [2 * slot * c.crop_pages + 1 + 2 * j for j in range(c.crop_pages)]
        return pages, crops

    def __getitem__(self, step: int) -> dict:
        c = self.cfg
        batch: dict = {"step": step}
        pages, crops = self.page_indices(step)
        if pages:
            batch["pages"] = page_batch(self.source, pages, c.page_size, self.vocab, c.seed, c.page_zoom)
        if crops:
            batch["crops"] = crop_batch(self.source, crops, c.crops_per_page, c.crop_height, self.vocab, c.seed,
                                        int(c.max_crop_aspect * c.crop_height), c.quad_jitter)
        return batch


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Linear warm-up, then either cosine decay to ``min_lr`` over the run, or (``wsd``) a constant rate
    and a linear decay to ``min_lr`` over the last ``decay_frac`` of the steps.

    ``wsd`` suits runs spread over sessions of unknown length: resuming with a smaller ``steps`` moves
    the decay forward, and the steps already taken at the constant rate are exactly the same."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    if cfg.schedule == "wsd":
        decay = max(1, round(cfg.decay_frac * cfg.steps))
        t = (step - (cfg.steps - decay)) / decay
        return cfg.lr if t <= 0 else cfg.lr + (cfg.min_lr - cfg.lr) * min(t, 1.0)
    t = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.min_lr + 0.5 * (cfg.lr - cfg.min_lr) * (1 + math.cos(math.pi * min(t, 1.0)))


def sampled_ctc(model: OCRModel, emb: torch.Tensor, steps: torch.Tensor, targets: list[torch.Tensor],
                cfg: TrainConfig, step: int) -> torch.Tensor:
    """CTC over a sampled part of the vocabulary: the blank, every character of the batch's targets, and
    ``cfg.sampled_classes`` random others (fresh each step, so every class is pushed down regularly).

    With 14,000 classes, the output layer and its softmax dominate a CPU step; scoring ~2,000 classes
    instead is the sampled-softmax trick applied to CTC. ``sampled_classes: 0`` uses the full layer.
    """
    head = model.recognizer.head
    vocab_size = head.out_features
    if not cfg.sampled_classes or cfg.sampled_classes + 1 >= vocab_size or not targets:
        return ctc_loss(head(emb), steps, targets)
    present = torch.unique(torch.cat(targets)) if targets else torch.zeros(0, dtype=torch.long)
    gen = torch.Generator().manual_seed(cfg.seed * 7919 + step)
    negatives = torch.randint(1, vocab_size, (cfg.sampled_classes,), generator=gen)
    classes = torch.unique(torch.cat([torch.zeros(1, dtype=torch.long), present, negatives]))  # sorted: blank first
    remap = torch.full((vocab_size,), -1, dtype=torch.long)
    remap[classes] = torch.arange(len(classes))
    classes = classes.to(emb.device)
    logits = emb @ head.weight[classes].T + head.bias[classes]
    return ctc_loss(logits, steps, [remap[t] for t in targets])


def step_losses(model: OCRModel, batch: dict, cfg: TrainConfig, device: torch.device) -> dict[str, torch.Tensor]:
    """Every loss of one step (a dict, summed with the configured weights by the caller)."""
    losses: dict[str, torch.Tensor] = {}
    pages = batch.get("pages")
    if pages is not None:
        images = pages["images"].to(device)
        set_kind(model.backbone, VIEWS)  # a norm="fixed" backbone maps page views and line rows apart
        fused, fine = model.features(images)
        maps = model.detect(fused)
        targets = {k: v.to(device) for k, v in pages["targets"].items()}
        losses.update(detection_loss(maps, targets))
        quads = [p["quads"] for p in pages["pages"]]
        if sum(len(q) for q in quads):
            index = torch.cat([torch.full((len(q),), i, dtype=torch.long) for i, q in enumerate(quads)]).to(device)
            vertical = torch.cat([p["vertical"] for p in pages["pages"]]).to(device)
            all_quads = torch.cat(quads).to(device)
            if cfg.loss.page_rec > 0:  # FOTS-style: lines read from the page's own features
                strips, widths_cells = model.strips(fused, fine, all_quads, index, vertical)
                emb = model.recognizer.embed(strips, widths_cells)
                losses["page_rec"] = sampled_ctc(model, emb, model.recognizer.steps(widths_cells),
                                                 [t for p in pages["pages"] for t in p["targets"]], cfg, batch["step"])
            feats = model.line_features(fused, all_quads, index, vertical)
            rel = [relation_loss(*model.relate(feats[index == i], q.to(device), p["vertical"].to(device), (cfg.page_size,) * 2),
                                 p["next"].to(device), (p["para"][:, None] == p["para"][None]).to(device))
                   for i, (q, p) in enumerate(zip(quads, pages["pages"], strict=True)) if len(q) > 1]
            if rel:
                losses["rel"] = sum(r["rel_order"] + r["rel_group"] for r in rel) / len(rel)
    crops = batch.get("crops")
    if crops is not None and len(crops["targets"]):
        set_kind(model.backbone, ROWS)
        with torch.no_grad() if "backbone" in cfg.freeze else contextlib.nullcontext():
            fused, fine = model.features(crops["images"].to(device))
        k = len(crops["targets"])
        strips, widths_cells = model.strips(fused, fine, crops["quads"].to(device), crops["rows"].to(device),
                                            torch.zeros(k, dtype=torch.bool, device=device))
        emb = model.recognizer.embed(strips, widths_cells)
        losses["rec"] = sampled_ctc(model, emb, model.recognizer.steps(widths_cells), crops["targets"], cfg, batch["step"])
    return losses


class TrainStep(torch.nn.Module):
    """One step's forward pass as a module, so DistributedDataParallel can wrap it (it syncs gradients
    of whatever a module's ``forward`` used; our model is used through several methods)."""

    def __init__(self, model: OCRModel, cfg: TrainConfig, device: torch.device) -> None:
        super().__init__()
        self.model, self.cfg, self.device = model, cfg, device

    def forward(self, batch: dict) -> dict[str, torch.Tensor]:
        return step_losses(self.model, batch, self.cfg, self.device)


def weighted(losses: dict[str, torch.Tensor], cfg: TrainConfig) -> torch.Tensor:
    """The training objective: each loss times its configured weight."""
    w = cfg.loss

    def factor(name: str) -> float:
        if name.startswith("det"):
            return w.det
        return {"rel": w.rel, "page_rec": w.page_rec}.get(name, w.rec)

    return sum((factor(name) * value.float() for name, value in losses.items()), torch.zeros(()))


@dataclass
class RunPaths:
    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state.pt"

    @property
    def metrics(self) -> Path:
        return self.root / "metrics.jsonl"

    @property
    def checkpoint(self) -> Path:
        return self.root / "checkpoint"


def train(cfg: TrainConfig, source: PageSource, vocab: Vocabulary, out: Path, device: str = "cpu",
          init: OCRModel | None = None, manifest: dict | None = None, progress: bool = True,
          until: int | None = None, budget_s: float | None = None) -> OCRModel:
    """Train (or resume training) into ``out``; returns the model. Safe to kill and rerun.

    ``until`` stops after that step (state saved), to spread a long CPU run over several sessions.
    ``budget_s`` fits the run into that many seconds of wall time (see ``planned_steps``).
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if budget_s is not None and world > 1:
        raise PolyocrError("a wall-time budget (--minutes) plans the steps of one process; with torchrun give --steps")
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    dev = torch.device(device)
    if dev.type == "cpu":
        keep_freed_memory()
    paths = RunPaths(Path(out))
    paths.root.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    model = init if init is not None else create_model(cfg.model, vocab_size=len(vocab), **cfg.model_overrides)
    model.to(dev)
    for part in cfg.freeze:
        getattr(model, part).requires_grad_(False)
    trained = [p for p in model.parameters() if p.requires_grad]
    if not trained:
        raise PolyocrError(f"freeze: {', '.join(cfg.freeze)} leaves nothing to train")
    decay = [p for p in trained if p.ndim > 1]
    no_decay = [p for p in trained if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lr)
    start, seen = 0, Counter()
    if paths.state.exists():
        state = torch.load(paths.state, map_location=dev, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        start, seen = state["step"], Counter(state.get("seen", {}))
        _truncate_metrics(paths.metrics, start)
        if rank == 0:
            print(f"resuming {paths.root} at step {start}", file=sys.stderr)
    stepper: torch.nn.Module = TrainStep(model, cfg, dev)
    if world > 1:
        stepper = torch.nn.parallel.DistributedDataParallel(stepper, find_unused_parameters=True)
    loader = torch.utils.data.DataLoader(StepBatches(source, cfg, vocab, rank, world), batch_size=None,
                                         sampler=range(start, min(cfg.steps, until or cfg.steps)), num_workers=cfg.workers,
                                         persistent_workers=False, prefetch_factor=2 if cfg.workers else None)
    use_amp = cfg.amp and native_bfloat16(dev)
    bar = _progress(start, cfg.steps, progress and rank == 0)
    t0, lines_done, pages_done = time.perf_counter(), 0, 0
    t_first: float | None = None  # when this session's first step ended (worker start-up excluded from the rate)
    window: dict[str, list[float]] = {}  # each loss over the steps since the last log line (pages come every few steps)
    model.train()
    for batch in loader:
        step = batch["step"]
        torch.manual_seed(cfg.seed * 1_000_003 + step)  # dropout of step s depends on s only
        for group in opt.param_groups:
            group["lr"] = lr_at(step, cfg)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=use_amp):
            losses = stepper(batch)
        total = weighted(losses, cfg)
        opt.zero_grad(set_to_none=True)
        # a step whose losses all fall on frozen parts, or that has none (no crops, and pages only every
        # page_every steps), changes nothing
        if total.requires_grad:
            total.backward()
            torch.nn.utils.clip_grad_norm_(trained, cfg.grad_clip)
            opt.step()
        crops = batch.get("crops")
        if crops is not None:
            lines_done += len(crops["targets"])
            for t in crops["targets"]:
                seen.update(t.tolist())
        if batch.get("pages") is not None:
            pages_done += len(batch["pages"]["pages"])
        done = step + 1
        if budget_s is not None:
            now = time.perf_counter()
            if t_first is None:
                t_first, first_done = now, done
            elif now - t0 < budget_s / 2:  # plan during the first half only: the decay then runs undisturbed
                cfg.steps = planned_steps(cfg.steps, done, (done - first_done) / (now - t_first), budget_s - (now - t0))
            if now - t0 >= budget_s:
                cfg.steps = done
        logged = {"loss": total, **losses} if losses else {}  # a step with no loss logs none
        for name, value in logged.items():
            window.setdefault(name, []).append(float(value.detach()))
        if rank == 0 and (done % cfg.log_every == 0 or done == cfg.steps):
            elapsed = time.perf_counter() - t0
            means = {k: round(sum(v) / len(v), 5) for k, v in window.items()}
            window.clear()
            record = {"step": done, "lr": lr_at(step, cfg), **means,
                      "lines_per_s": round(lines_done / elapsed, 2), "pages_per_s": round(pages_done / elapsed, 3),
                      "vocab_seen_10": round(sum(1 for c in seen.values() if c >= 10) / max(1, len(vocab) - 1), 4),
                      "time": round(time.time(), 1)}
            with open(paths.metrics, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
            bar(done, f"loss {record.get('loss', float('nan')):.3f} {record['lines_per_s']} lines/s")
        if rank == 0 and (done % cfg.ckpt_every == 0 or done == cfg.steps or done == until):
            _save(paths, model, opt, done, seen, vocab, cfg, manifest)
        if done >= cfg.steps:
            break
    bar(None, "")
    if world > 1:
        dist.barrier()
    return model


def planned_steps(steps: int, done: int, steps_per_s: float, seconds_left: float, margin: float = 0.95) -> int:
    """The number of steps a run with a wall-time budget ends at: what the rate measured so far fits into
    the time left (less a margin for the last checkpoint), never more than the config's ``steps``.

    The schedule follows (``lr_at`` reads ``cfg.steps``), so a run given 8 minutes on a GPU of unknown
    speed still warms up, decays and ends at ``min_lr`` instead of being killed at full rate; the saved
    config records the planned number, so a resume continues the same schedule."""
    return max(done, min(steps, done + int(steps_per_s * max(0.0, seconds_left) * margin)))


def _save(paths: RunPaths, model: OCRModel, opt, step: int, seen: Counter, vocab: Vocabulary, cfg: TrainConfig,
          manifest: dict | None) -> None:
    tmp = paths.state.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step, "seen": dict(seen)}, tmp)
    os.replace(tmp, paths.state)
    save_checkpoint(paths.checkpoint, model, vocab, {"training": {"config": cfg.model_dump(mode="json"), "steps": step,
                                                                  "data": manifest or {}}})


def _truncate_metrics(path: Path, step: int) -> None:
    """Drop metric lines written after the state we resume from (they will be written again)."""
    if not path.exists():
        return
    keep = [line for line in path.read_text(encoding="utf-8").splitlines() if line and json.loads(line)["step"] <= step]
    path.write_text("".join(line + "\n" for line in keep), encoding="utf-8")


def _progress(start: int, total: int, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return lambda done, text: None
    from tqdm import tqdm

    bar = tqdm(total=total, initial=start, unit="step", dynamic_ncols=True)

    def update(done, text):
        if done is None:
            bar.close()
            return
        bar.n = done
        bar.set_postfix_str(text)
        bar.refresh()

    return update
