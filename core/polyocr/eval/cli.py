"""``polyocr eval``: a checkpoint against a dataset split, per language, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("eval")
@click.option("--checkpoint", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Checkpoint folder (default: the bundled model).")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--split", default="test", show_default=True)
@click.option("--langs", default=None, help="Comma-separated language codes (default: all in the dataset).")
@click.option("--limit", type=int, help="At most this many pages.")
@click.option("--device", default="cpu", show_default=True)
@click.option("--order", "reading_order", type=click.Choice(["model", "geometry"]),
              help="Reading order from the relational model or the XY-cut fallback (default: what the checkpoint says).")
@click.option("--recognition", is_flag=True, help="Also read every true line from its true quad (line NED: the recognizer alone).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results here.")
def evaluate_cmd(checkpoint: Path | None, data_dir: Path, split: str, langs: str | None, limit: int | None,
                 device: str, reading_order: str | None, recognition: bool, json_out: Path | None) -> None:
    """Page NED, line detection P/R/F1 at IoU 0.5, reading-order τ and pages/s, per language."""
    from polyocr.eval.runner import evaluate, format_table
    from polyocr.infer.api import OCR
    from polyocr.lang.cache import write_atomic
    from polyocr.lang.registry import load_languages

    ocr = OCR(checkpoint, device=device, reading_order=reading_order)
    languages = load_languages()
    unspaced = {code: pack.spec.word_unit == "character" for code, pack in languages.packs.items()}
    table = evaluate(ocr.pipeline, data_dir, langs.split(",") if langs else None, split, limit, unspaced, recognition)
    click.echo(format_table(table))
    if json_out:
        write_atomic(json_out, json.dumps({"checkpoint": str(ocr.model_path), "data": str(data_dir), "split": split,
                                           "reading_order": ocr.pipeline.cfg.reading_order, "results": table}, indent=2).encode("utf-8"))
