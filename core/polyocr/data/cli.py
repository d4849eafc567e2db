"""``polyocr generate`` and ``polyocr dataset verify|show|stats``: thin shells over :mod:`polyocr.data`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from polyocr.data.schema import SPLITS
from polyocr.errors import PolyocrError

MAX_LISTED = 200


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _langs(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


@click.command()
@click.option("--langs", required=True, help="Comma-separated language codes, e.g. en,ja.")
@click.option("--pages", type=int, required=True, help="Pages per language.")
@click.option("--split", type=click.Choice(SPLITS), default="train", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset directory.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed and config, same bytes.")
@click.option("--workers", type=int, default=None, help="Processes (local) or CPUs of a new local Ray [default: all cores].")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--ray-address", default=None, help="Ray cluster to use (default: $RAY_ADDRESS, else a local Ray).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Page config YAML (layouts, degradations…).")
@click.option("--shard-size", type=int, default=None, help="Pages per shard [default: 1000].")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Progress bar on stderr (TTY only).")
def generate(langs: str, pages: int, split: str, out: Path, seed: int, workers: int | None, engine: str,
             ray_address: str | None, config_path: Path | None, shard_size: int | None, progress: bool) -> None:
    """Render synthetic pages into {out}/{lang}/{split}/{split}_NNN.h5 shards (resumes if interrupted)."""
    from polyocr.data.generate import DEFAULT_SHARD_SIZE
    from polyocr.data.generate import generate as run

    if config_path is not None and not config_path.is_file():
        raise PolyocrError(f"{config_path}: no such config file")
    try:
        result = run(out, _langs(langs), pages, split=split, seed=seed, workers=workers or _cpus(), engine=engine,
                     config=config_path, shard_size=shard_size or DEFAULT_SHARD_SIZE, progress=progress,
                     ray_address=ray_address)
    except KeyboardInterrupt:
        click.echo(f"polyocr: interrupted; complete shards are kept in {out}: "
                   "run the same command again to resume", err=True)
        sys.exit(130)
    click.echo(result.summary())


@click.group()
def dataset() -> None:
    """Check and inspect generated datasets (ours or NVIDIA's OCR-Synthetic-Multilingual-v1)."""


@dataset.command()
@click.argument("root", type=click.Path(path_type=Path))
def verify(root: Path) -> None:
    """Check every shard and page (schema, boxes, relation graph, vocabulary, labels); exit 1 on problems."""
    from polyocr.data.verify import verify_dataset

    report = verify_dataset(root)
    for problem in report[:MAX_LISTED]:
        click.echo(str(problem))
    if len(report) > MAX_LISTED:
        click.echo(f"… and {len(report) - MAX_LISTED} more")
    if report:
        click.echo(f"{len(report)} problems in {report.pages} pages of {report.shards} shards", err=True)
        sys.exit(1)  # not ctx.exit: polyocr.cli.main runs click with standalone_mode=False, which drops its code
    click.echo(f"ok: {report.pages} pages in {report.shards} shards, no problems")


@dataset.command()
@click.argument("root", type=click.Path(path_type=Path))
@click.option("--index", type=int, required=True, help="Page number within the chosen languages and split.")
@click.option("--lang", default=None, help="Only this language (default: all, in order).")
@click.option("--split", default="train", show_default=True)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PNG to write.")
def show(root: Path, index: int, lang: str | None, split: str, out: Path) -> None:
    """Draw page INDEX with its word, line and paragraph boxes and reading-order arrows."""
    from polyocr.data.reader import DatasetReader
    from polyocr.data.show import show_sample

    reader = DatasetReader(root, langs=[lang] if lang else None, split=split)
    if not len(reader):
        raise PolyocrError(f"{root}: no {split!r} pages{f' for {lang!r}' if lang else ''}")
    if not 0 <= index < len(reader):
        raise PolyocrError(f"--index {index} is out of range: the {split!r} split has {len(reader)} pages")
    sample = reader[index]
    show_sample(sample, out)
    click.echo(f"wrote {out} ({sample.lang} {split} page {sample.sample_id}, "
               f"{len(sample.annotation.get('line_bboxes', []))} lines)")


@dataset.command()
@click.argument("root", type=click.Path(path_type=Path))
@click.option("--split", "splits", multiple=True, type=click.Choice(SPLITS), help="Only these splits (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(root: Path, splits: tuple[str, ...], as_json: bool) -> None:
    """Pages, characters per language, layout mix, and how much of each charset the pages show."""
    from polyocr.data.stats import dataset_stats

    result = dataset_stats(root, splits or SPLITS)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(result.format())
