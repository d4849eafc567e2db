"""``polyocr read``: OCR of images, PDFs, folders and stdin to txt, JSON, hOCR, ALTO or searchable PDF."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from polyocr.errors import PolyocrError

FORMATS = ("txt", "json", "hocr", "alto", "pdf")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True)
@click.option("--level", type=click.Choice(["word", "line", "paragraph"]), default="word", show_default=True,
              help="Finest level written to JSON, hOCR and ALTO.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per input here (default: text to stdout).")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Checkpoint (default: bundled).")
@click.option("--device", default="cpu", show_default=True, help="cpu or cuda")
@click.option("--batch", type=int, default=48, show_default=True, help="Text lines recognized per batch.")
@click.option("--dpi", type=int, default=200, show_default=True, help="Resolution PDFs are rendered at.")
@click.option("--threads", type=int, help="CPU threads (default: all available cores).")
@click.option("--order", "reading_order", type=click.Choice(["model", "geometry"]),
              help="Reading order from the relational model or the XY-cut fallback (default: what the checkpoint says).")
@click.option("--langs", help="Comma-separated pack codes the pages are written in, e.g. en,ja (default: any "
              "installed language). Like Tesseract's -l: faster, and no look-alikes from other scripts.")
@click.option("--show", is_flag=True, help="Also write each page with its boxes drawn (PNG, next to the output).")
@click.option("--bf16/--fp32", "bf16", default=None, help="On a CPU with native bfloat16: detect and read lines in "
              "bfloat16 (the default; 1.3x faster at the same accuracy on real pages) or everything in float32.")
@click.option("--retry", "retry_below", type=click.FloatRange(0.0, 1.0), default=None,
              help="Read lines whose mean character confidence is below this again from thicker and thinner "
              "crops, keeping the surest reading (0.92: a little more accurate for ~9 % more time; default off).")
def read(paths: tuple[str, ...], fmt: str, level: str, out_dir: Path | None, model: Path | None, device: str,
         batch: int, dpi: int, threads: int | None, reading_order: str | None, langs: str | None, show: bool, bf16: bool | None,
         retry_below: float | None) -> None:
    """OCR PATHS (images, PDFs, folders, or - for stdin) with every installed language at once (or those
    --langs names)."""
    from polyocr.export import export
    from polyocr.infer.api import OCR
    from polyocr.infer.inputs import InputError, expand, read_source
    from polyocr.infer.result import Document
    from polyocr.lang.cache import write_atomic

    if fmt == "pdf" and out_dir is None:
        raise PolyocrError("--format pdf writes files: give --out DIR")
    codes = [c.strip() for c in langs.split(",") if c.strip()] if langs else None
    ocr = OCR(model, device=device, threads=threads, langs=codes, line_batch=batch, reading_order=reading_order,
              cpu_bfloat16=bf16, cpu_bfloat16_detect=bf16, retry_below=retry_below)
    failed = 0
    done = 0
    start = time.perf_counter()
    tty = sys.stderr.isatty()
    for source in expand(paths):
        pages, images, dpis = [], [], []
        try:
            for item in read_source(source, dpi=dpi):
                pages.append(ocr.pipeline.page(item.image, item.page, item.source, item.dpi))
                images.append(item.image)
                dpis.append(item.dpi)
                done += 1
                if tty:
                    rate = done / (time.perf_counter() - start)
                    click.echo(f"\r{done} pages, {rate:.2f} pages/s", nl=False, err=True)
        except InputError as err:
            if tty:
                click.echo("", err=True)
            click.echo(f"polyocr: error: {err}", err=True)
            failed += 1
            continue
        doc = Document(pages=pages)
        options: dict = {"level": level}
        if fmt == "pdf":
            options.update(images=images, dpi=[d or 300 for d in dpis])
        payload = export(doc, fmt, **options)
        if out_dir is None:
            click.echo(payload if isinstance(payload, str) else payload.decode("utf-8"), nl=not str(payload).endswith("\n"))
        else:
            stem = "stdin" if source == "-" else Path(source).stem
            from polyocr.export import FORMATS

            target = out_dir / f"{stem}{FORMATS[fmt][1]}"
            write_atomic(target, payload.encode("utf-8") if isinstance(payload, str) else payload)
            if show:
                from polyocr.infer.show import draw_page

                for page, image in zip(pages, images, strict=True):
                    write_atomic(out_dir / f"{stem}.p{page.index + 1}.boxes.png", draw_page(image, page))
    if tty and done:
        click.echo("", err=True)
    if failed:
        sys.exit(1)
