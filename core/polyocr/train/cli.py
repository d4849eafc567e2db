"""``polyocr train`` and ``polyocr train plot``."""

from __future__ import annotations

from pathlib import Path

import click

from polyocr.errors import PolyocrError


@click.group(invoke_without_command=True, context_settings={"ignore_unknown_options": False})
@click.option("--config", "config_name", default="tiny", show_default=True, help="Preset (tiny, base) or YAML file.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), help="Dataset folder of HDF5 shards.")
@click.option("--synthetic", is_flag=True, help="Generate pages on the fly instead of reading shards.")
@click.option("--langs", default=None, help="Comma-separated language codes (default: all installed).")
@click.option("--split", default="train", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Run folder; an existing run resumes with the config it recorded (plus --steps and --set).")
@click.option("--steps", type=int, help="Override the number of steps.")
@click.option("--device", default="cpu", show_default=True)
@click.option("--minutes", type=float, help="Wall-time budget: the run measures its rate and plans its steps (and "
              "the rate's schedule) to end within it, at most --steps.")
@click.option("--extend", "extend_code", help="Grow the vocabulary for this newly installed language pack…")
@click.option("--from", "from_ckpt", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="…starting from this checkpoint (also: fine-tune an existing model).")
@click.option("--init", "init_ckpt", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Start a new run from this checkpoint's weights wherever name and shape still match "
                   "(an architecture that changed in part); the vocabulary must be the same.")
@click.option("--set", "sets", multiple=True, help="Override a config key, e.g. --set lr=0.0005.")
@click.pass_context
def train(ctx: click.Context, config_name: str, data_dir: Path | None, synthetic: bool, langs: str | None, split: str,
          out: Path | None, steps: int | None, device: str, minutes: float | None, extend_code: str | None, from_ckpt: Path | None,
          init_ckpt: Path | None, sets: tuple[str, ...]) -> None:
    """Train a model (or resume the run in --out)."""
    if ctx.invoked_subcommand is not None:
        return
    import yaml

    from polyocr.lang.registry import load_languages
    from polyocr.lang.vocabulary import Vocabulary
    from polyocr.model.checkpoint import load_checkpoint
    from polyocr.train.config import run_train_config, synthetic_page_config
    from polyocr.train.data import ShardPages, SyntheticPages
    from polyocr.train.loop import train as run

    if minutes is not None and minutes <= 0:
        raise PolyocrError("--minutes must be positive")
    if out is None:
        raise PolyocrError("--out RUN is required")
    if bool(data_dir) == bool(synthetic):
        raise PolyocrError("give exactly one of --data DIR or --synthetic")
    overrides = {}
    for item in sets:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    if steps:
        overrides["steps"] = steps
    cfg, resuming = run_train_config(out, config_name, overrides)
    if resuming:
        click.echo(f"resuming {out} with the config it started with"
                   + (f", but {', '.join(f'{k}={v}' for k, v in overrides.items())}" if overrides else ""), err=True)
    languages = load_languages()
    codes = langs.split(",") if langs else sorted(languages.packs)
    packs = languages.select(codes)
    init = None
    if from_ckpt and init_ckpt:
        raise PolyocrError("give --from (the same architecture, fine-tuned) or --init (matching weights only), not both")
    if from_ckpt:
        init, vocab, _ = load_checkpoint(from_ckpt)
        if extend_code:
            vocab = vocab.extended([languages.get(extend_code)])
            init.recognizer.grow(len(vocab))
            init.cfg = init.cfg.model_copy(update={"vocab_size": len(vocab)})
            if extend_code not in codes:
                codes.append(extend_code)
    elif extend_code:
        raise PolyocrError("--extend needs --from CHECKPOINT")
    else:
        vocab = Vocabulary.from_packs(languages.packs.values())
        if init_ckpt:
            from polyocr.model.checkpoint import init_from
            from polyocr.model.registry import create_model

            init = create_model(cfg.model, vocab_size=len(vocab), **cfg.model_overrides)
            fresh = init_from(init, init_ckpt, vocab)
            click.echo(f"--init: {len(fresh)} tensors start fresh ({', '.join(fresh[:4])}{', …' if len(fresh) > 4 else ''}); "
                       "the rest come from the checkpoint", err=True)
    if synthetic:
        source = SyntheticPages(codes, cfg.seed, synthetic_page_config(cfg), cfg.lang_weights)
        manifest = {"synthetic": True, "langs": codes, "packs": {p.code: p.version for p in packs}}
    else:
        source = ShardPages(data_dir, codes, split, cfg.seed)
        manifest = {"data": str(data_dir), "split": split, "langs": codes}
    if init_ckpt:
        manifest["init"] = str(init_ckpt)
    run(cfg, source, vocab, out, device=device, init=init, manifest=manifest,
        budget_s=minutes * 60 if minutes else None)
    click.echo(f"checkpoint: {out / 'checkpoint'}")


@train.command("plot")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="PNG path (default RUN/curves.png).")
def plot(run_dir: Path, output: Path | None) -> None:
    """Draw the training curves of a run to a PNG."""
    from polyocr.train.plot import plot_metrics

    target = plot_metrics(run_dir / "metrics.jsonl", output or run_dir / "curves.png")
    click.echo(f"wrote {target}")
