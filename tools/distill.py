"""Distill a backbone with fixed normalization (``norm="fixed"``) from a checkpoint's, resumably.

First capture what the teacher's pipeline sends its backbone on some synthetic training pages (page views,
rows of line crops), and on real page images if you have some (``--images``: no labels needed;
tools/unlabelled_pages.py renders Debian manuals that the benchmarks do not read), then train the student
on them; the run resumes from its last state:

    .venv/bin/polyocr generate --langs en,ja,ko,ru,zh_hans,zh_hant --pages 40 --split train --seed 3201 \\
        --out data/distill/pages --no-progress
    .venv/bin/python tools/distill.py capture --pages data/distill/pages --out data/distill/inputs
    .venv/bin/python tools/distill.py capture --images data/unlabelled --out data/distill/real
    .venv/bin/python tools/distill.py train --inputs data/distill/inputs --run runs/plain-e2 --expand 2 --steps 3000
    .venv/bin/python tools/distill.py export --run runs/plain-e2      # -> runs/plain-e2/checkpoint

``capture`` and ``train`` take ``--part K/N`` and ``--threads`` to share a machine's cores. The exported
checkpoint reads with ``polyocr.OCR("runs/plain-e2/checkpoint")``; compare it with the teacher with
``tools/measure_settings.py "teacher:" "student:model='runs/plain-e2/checkpoint'"``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np


def capture(args: argparse.Namespace) -> None:
    import torch

    import polyocr
    from polyocr.data.reader import DatasetReader

    part, parts = (int(v) for v in args.part.split("/"))
    args.out.mkdir(parents=True, exist_ok=True)
    ocr = polyocr.OCR(args.teacher, threads=1)
    pipe = ocr.pipeline
    seen: list[np.ndarray] = []
    features = pipe._features

    def recording(images: torch.Tensor, rows: bool = False):
        seen.append(images.detach().float().clamp(0, 1).mul(255).round().to(torch.uint8)
                    .permute(0, 2, 3, 1).contiguous().numpy())
        return features(images, rows)

    pipe._features = recording
    if args.images:  # real page images, no labels needed (tools/unlabelled_pages.py)
        from PIL import Image

        files = sorted(f for f in args.images.rglob("*.png")  # not under .cache (a package's own icons)
                       if not any(part.startswith(".") for part in f.relative_to(args.images).parts))
        if not files:
            raise SystemExit(f"distill: error: no .png page images under {args.images}")
        count = len(files)

        def image_at(i: int) -> np.ndarray:
            with Image.open(files[i]) as im:
                return np.asarray(im.convert("RGB"))
    else:
        reader = DatasetReader(args.pages, split=args.split)
        count = len(reader)

        def image_at(i: int) -> np.ndarray:
            return reader[i].image
    for i in range(part, count, parts):
        dest = args.out / f"{i:05d}.npz"
        if dest.exists():
            continue
        seen.clear()
        pipe.page(image_at(i), index=i)
        views = [x[0] for x in seen if x.shape[1] != 32]
        rows = [x for x in seen if x.shape[1] == 32]
        tmp = args.out / f"{i:05d}.tmp.npz"
        np.savez_compressed(tmp, **{f"view{k}": v for k, v in enumerate(views)},
                            **{f"rows{k:02d}": r for k, r in enumerate(rows)})
        tmp.rename(dest)
        print(f"page {i}: {len(views)} views, {sum(len(r) for r in rows)} rows", flush=True)


def _teacher(path: Path | None):
    from polyocr.infer.api import bundled_model
    from polyocr.model.checkpoint import load_checkpoint

    path = Path(path) if path else bundled_model()
    model, vocab, config = load_checkpoint(path)
    model = model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return path, model, vocab, config


def _calibrate(teacher, data, pages: int):
    """Average statistics of the teacher's blocks and its channels' use, on page views and on line rows."""
    import torch

    from polyocr.model.backbone import ROWS, VIEWS
    from polyocr.model.frozen_norms import NormRecorder
    from polyocr.train.distill import as_batch, channel_use, reference_scales

    recorder = NormRecorder(teacher.backbone)
    picks = np.linspace(0, len(data.files) - 1, pages).round().astype(int)
    views = [as_batch(data.views(k)[0][None]) for k in picks]
    rows = [as_batch(data.rows(k)[-1]) for k in picks if data.rows(k)]
    halves = []
    with torch.no_grad():
        for inputs in (views, rows):
            with recorder.recording():
                for x in inputs:
                    teacher.features(x)
            halves.append(recorder.result())
    stats = {VIEWS: halves[0], ROWS: halves[1]}
    use = {VIEWS: channel_use(teacher.backbone, iter(views)), ROWS: channel_use(teacher.backbone, iter(rows))}
    return stats, use, reference_scales(teacher, views, rows)


def train(args: argparse.Namespace) -> None:
    import torch

    from polyocr.model.frozen_norms import FoldedBackbone, NormRecorder
    from polyocr.model.ocr import ModelConfig, OCRModel
    from polyocr.train.config import TrainConfig
    from polyocr.train.distill import CapturedInputs, as_batch, distill_losses, plain_student, random_crop
    from polyocr.train.loop import lr_at

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    teacher_path, teacher, vocab, _ = _teacher(args.teacher)
    data = CapturedInputs(*args.inputs)
    args.run.mkdir(parents=True, exist_ok=True)
    state_path = args.run / "state.pt"
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        student = OCRModel(ModelConfig(**state["architecture"]))
        student.load_state_dict(state["model"])
        start, scales = state["step"], state.get("scales")
        rng = np.random.default_rng([args.seed, start])
        print(f"resumed {args.run} at step {start}", flush=True)
    else:
        t = time.time()
        stats, use, scales = _calibrate(teacher, data, args.calibration_pages)
        student = plain_student(teacher, stats, use, args.expand)
        start, state = 0, None
        print(f"student from {teacher_path}: expand {student.cfg.expand}, "
              f"{sum(p.numel() for p in student.backbone.parameters()):,} backbone parameters "
              f"(teacher {sum(p.numel() for p in teacher.backbone.parameters()):,}), {time.time() - t:.0f} s", flush=True)
    student.train()
    params = list(student.backbone.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    if state is not None:
        opt.load_state_dict(state["optimizer"])
    schedule = TrainConfig(steps=args.steps, lr=args.lr, min_lr=0.05 * args.lr, warmup=50, schedule="cosine")
    folded_teacher = FoldedBackbone(teacher.backbone, torch.float32)
    recorder = NormRecorder(teacher.backbone)
    view_stats: dict[tuple[int, int], dict] = {}
    log = (args.run / "log.jsonl").open("a")
    t0, sums, count = time.time(), {}, 0
    for step in range(start, args.steps):
        k = int(rng.integers(len(data.files)))
        views, rows = data.views(k), data.rows(k)
        v = int(rng.integers(len(views)))
        if (k, v) not in view_stats:  # the teacher normalizes a view by the whole view's statistics
            with torch.no_grad(), recorder.recording():
                teacher.features(as_batch(views[v][None]))
            view_stats[(k, v)] = recorder.result()
        view = as_batch(random_crop(views[v], args.crop, rng)[None])
        batch = None
        if rows:
            r = rows[int(rng.integers(len(rows)))]
            pick = np.sort(rng.choice(len(r), size=min(args.rows, len(r)), replace=False))
            batch = as_batch(r[pick])
        for group in opt.param_groups:
            group["lr"] = lr_at(step, schedule)
        loss, parts = distill_losses(teacher, student, view, view_stats[(k, v)], batch, folded_teacher, scales)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        for key, value in vars(parts).items():
            sums[key] = sums.get(key, 0.0) + value
        count += 1
        if (step + 1) % args.log_every == 0:
            row = {"step": step + 1, "lr": opt.param_groups[0]["lr"], "s_per_step": (time.time() - t0) / count,
                   **{key: value / count for key, value in sums.items()}}
            log.write(json.dumps(row) + "\n")
            log.flush()
            print(" ".join(f"{key} {value:.4g}" if isinstance(value, float) else f"{key} {value}"
                           for key, value in row.items()), flush=True)
            t0, sums, count = time.time(), {}, 0
        if (step + 1) % args.save_every == 0 or step + 1 == args.steps:
            tmp = args.run / "state.pt.tmp"
            torch.save({"architecture": student.cfg.model_dump(), "model": student.state_dict(),
                        "optimizer": opt.state_dict(), "step": step + 1, "teacher": str(teacher_path),
                        "scales": scales}, tmp)
            tmp.replace(state_path)


def export(args: argparse.Namespace) -> None:
    import torch

    from polyocr.model.checkpoint import extras, save_checkpoint
    from polyocr.model.ocr import ModelConfig, OCRModel

    state = torch.load(args.run / "state.pt", weights_only=False)
    teacher_path, _, vocab, config = _teacher(Path(state["teacher"]))
    student = OCRModel(ModelConfig(**state["architecture"]))
    student.load_state_dict(state["model"])
    extra = extras(config)
    extra.get("inference", {}).pop("blank_screen", None)  # fitted to the teacher's weights
    extra["distilled"] = {"teacher": str(teacher_path), "steps": state["step"]}
    out = save_checkpoint(args.run / "checkpoint", student.eval(), vocab, extra, half=True)
    print(f"wrote {out}")


def _expand(text: str) -> int | tuple[int, ...]:
    values = tuple(int(v) for v in text.split(","))
    return values[0] if len(values) == 1 else values


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="save the teacher pipeline's backbone inputs on pages")
    source = cap.add_mutually_exclusive_group(required=True)
    source.add_argument("--pages", type=Path, help="a synthetic dataset (polyocr generate)")
    source.add_argument("--images", type=Path, help="a folder of page images, searched for .png (tools/unlabelled_pages.py)")
    cap.add_argument("--split", default="train")
    cap.add_argument("--out", type=Path, required=True)
    cap.add_argument("--part", default="0/1")
    cap.add_argument("--teacher", type=Path)
    tr = sub.add_parser("train", help="train (or resume) a student")
    tr.add_argument("--inputs", type=Path, nargs="+", required=True, help="folders of captured inputs")
    tr.add_argument("--run", type=Path, required=True)
    tr.add_argument("--teacher", type=Path)
    tr.add_argument("--expand", type=_expand, help="the student's expansion: 2, or one per stage: 2,2,4,4")
    tr.add_argument("--steps", type=int, default=3000)
    tr.add_argument("--lr", type=float, default=5e-4)
    tr.add_argument("--crop", type=int, default=512)
    tr.add_argument("--rows", type=int, default=8)
    tr.add_argument("--threads", type=int, default=2)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--calibration-pages", type=int, default=24)
    tr.add_argument("--log-every", type=int, default=10)
    tr.add_argument("--save-every", type=int, default=100)
    ex = sub.add_parser("export", help="write the student as a checkpoint folder (RUN/checkpoint)")
    ex.add_argument("--run", type=Path, required=True)
    args = parser.parse_args(argv)
    {"capture": capture, "train": train, "export": export}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
