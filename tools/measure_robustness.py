"""Page NED on the real pages under the changes users' inputs bring: turned, inverted, on a wide canvas,
at other resolutions, compressed, blurred, noisy, binarized, tinted, shaded, skewed, ruled as a table,
underlined, part of it set light on a dark bar.

Our real pages are clean 150-dpi renderings; users send screenshots (dark mode, small text in a wide
window), phone photos, faxes and 300-dpi scans turned a quarter. Each transform is applied to every
page picked (``--per`` a language) and the page is read as it comes out, against the page's ground
truth (as ``tools/bench_ocr.py`` scores it), one core, the bundled model unless ``--model``:

    .venv/bin/python tools/measure_robustness.py                  # 2 pages a language, every transform
    .venv/bin/python tools/measure_robustness.py --per 8 --only plain,rot90,margin
    .venv/bin/python tools/measure_robustness.py --set turn_pages=False   # a pipeline setting changed

The table gives mean page NED per language and transform and CPU seconds per page; ``plain`` is the
page untouched, the yardstick of every other row.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageOps  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ocr import ned_of  # noqa: E402


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _scaled(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.LANCZOS)


def _tinted(image: Image.Image) -> Image.Image:
    """Blue-black ink on yellowed paper."""
    a = np.asarray(image).astype(np.float32) / 255
    paper, ink = np.array([0.93, 0.88, 0.72]), np.array([0.15, 0.10, 0.35])
    return Image.fromarray(((ink + (paper - ink) * a) * 255).clip(0, 255).astype(np.uint8))


def _shaded(image: Image.Image) -> Image.Image:
    """Light falling off across the page, as in a photograph."""
    a = np.asarray(image).astype(np.float32)
    h, w = a.shape[:2]
    shade = (0.55 + 0.45 * np.linspace(0, 1, w))[None, :, None] * (0.7 + 0.3 * np.linspace(1, 0, h))[:, None, None]
    return Image.fromarray((a * shade).clip(0, 255).astype(np.uint8))


def _noisy(image: Image.Image) -> Image.Image:
    a = np.asarray(image).astype(np.float32) + np.random.default_rng(0).normal(0, 25, (image.height, image.width, 1))
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def _on_canvas(image: Image.Image, wide: float, tall: float, grey: int) -> Image.Image:
    """The page on a canvas ``wide`` × ``tall`` its size (a screenshot of a wide window, a photo with
    a margin): its text is then far smaller than the image."""
    canvas = Image.new("RGB", (int(image.width * wide), int(image.height * tall)), (grey,) * 3)
    canvas.paste(image, (image.width // 3, image.height // 4))
    return canvas


def _dark_bar(image: Image.Image, color: tuple[int, int, int] | None = None) -> Image.Image:
    """A third of the page (its edges on rows without ink) set light on a black or coloured bar, as a
    web page's banner or a highlighted box."""
    a = np.asarray(image).copy()
    blank = np.flatnonzero(a.min(axis=(1, 2)) > 200)
    y0, y1 = (int(blank[np.argmin(np.abs(blank - share * a.shape[0]))]) for share in (0.1, 0.45))
    part = 255 - a[y0:y1]
    if color is not None:
        t = part.astype(np.float32) / 255
        part = (np.array(color, np.float32) * (1 - t) + 255 * t).clip(0, 255).astype(np.uint8)
    a[y0:y1] = part
    return Image.fromarray(a)


def _head_rows(image: Image.Image, color: tuple[int, int, int] = (40, 40, 40)) -> Image.Image:
    """Every fourth line of ink set light on its own dark band (the head rows of tables, buttons),
    the band reaching a third of the gap to the lines beside it."""
    a = np.asarray(image).copy()
    ink = a.min(axis=(1, 2)) <= 200
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ink.astype(np.int8), [0]])))
    runs = list(zip(edges[::2], edges[1::2], strict=True))  # [start, end) of each line of ink
    for k in range(0, len(runs), 4):
        y0, y1 = runs[k]
        above = runs[k - 1][1] if k > 0 else 0
        below = runs[k + 1][0] if k + 1 < len(runs) else a.shape[0]
        y0, y1 = y0 - (y0 - above) // 3, y1 + (below - y1) // 3
        t = (255 - a[y0:y1]).astype(np.float32) / 255
        a[y0:y1] = (np.array(color, np.float32) * (1 - t) + 255 * t).clip(0, 255).astype(np.uint8)
    return Image.fromarray(a)


def _ruled(image: Image.Image, under: bool = False) -> Image.Image:
    """A 2-px rule in the middle of every gap between lines of ink, across the text's width, with the
    table's sides (a table with ruled rows); with ``under``, 2 px under every line of ink instead
    (fill-in lines, underlined links)."""
    a = np.asarray(image)
    ink = a.min(axis=2) < 160
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    left, right = int(xs[0]) - 12, int(xs[-1]) + 12
    blank = ~ink[ys[0]: ys[-1]].any(axis=1)
    rules, start = [int(ys[0]) - 6], None
    for i, b in enumerate(blank):
        if b and start is None:
            start = i
        if not b and start is not None:
            if i - start >= 3:
                rules.append(int(ys[0]) + (start + 2 if under else (start + i) // 2))
            start = None
    rules.append(int(ys[-1]) + 6)
    out = image.copy()
    draw = ImageDraw.Draw(out)
    for y in rules[1:-1] if under else rules:
        draw.line([(left, y), (right, y)], fill=(0, 0, 0), width=2)
    if not under:
        for x in (left, right):
            draw.line([(x, rules[0]), (x, rules[-1])], fill=(0, 0, 0), width=2)
    return out


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "plain": lambda im: im,
    "invert": ImageOps.invert,
    "dpi100": lambda im: _scaled(im, 100 / 150),
    "dpi75": lambda im: _scaled(im, 0.5),
    "dpi300": lambda im: _scaled(im, 2.0),
    "jpeg20": lambda im: _jpeg(im, 20),
    "blur": lambda im: im.filter(ImageFilter.GaussianBlur(1.2)),
    "rot90": lambda im: im.rotate(90, expand=True),
    "rot180": lambda im: im.rotate(180, expand=True),
    "rot270": lambda im: im.rotate(270, expand=True),
    "skew4": lambda im: im.rotate(4, expand=True, fillcolor=(255, 255, 255), resample=Image.BICUBIC),
    "tint": _tinted,
    "shade": _shaded,
    "noise": _noisy,
    "binary": lambda im: im.convert("L").point(lambda v: 255 if v > 140 else 0).convert("RGB"),
    "margin": lambda im: _on_canvas(im, 2.0, 2.0, 255),
    "margin3": lambda im: _on_canvas(im, 3.0, 2.0, 235),
    "desk": lambda im: _on_canvas(im, 2.0, 1.6, 45),
    "ruled": _ruled,
    "underlined": lambda im: _ruled(im, under=True),
    "bar": _dark_bar,
    "bar_blue": lambda im: _dark_bar(im, (30, 60, 140)),
    "head_rows": _head_rows,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=Path("data/realpages"))
    parser.add_argument("--per", type=int, default=2, help="pages a language (the first of the manifest)")
    parser.add_argument("--langs", default="en,ja,ko,ru,zh_hans,zh_hant")
    parser.add_argument("--only", help="transforms, comma-separated (default: all)")
    parser.add_argument("--set", action="append", default=[], help="a pipeline setting KEY=VALUE (Python literal)")
    parser.add_argument("--model", help="a checkpoint folder (default: the bundled model)")
    args = parser.parse_args(argv)

    import torch

    import polyocr

    torch.set_num_threads(1)
    transforms = {k: TRANSFORMS[k] for k in args.only.split(",")} if args.only else TRANSFORMS
    settings = {k.strip(): ast.literal_eval(v.strip()) for k, _, v in (s.partition("=") for s in args.set)}
    manifest = json.loads((args.pages / "manifest.json").read_text())
    langs = args.langs.split(",")
    taken: dict[str, int] = {}
    pages = []
    for page in manifest["pages"]:
        if page["lang"] in langs and taken.get(page["lang"], 0) < args.per:
            taken[page["lang"]] = taken.get(page["lang"], 0) + 1
            pages.append(page)
    ocr = polyocr.OCR(args.model, threads=1, **settings)
    neds: dict[str, dict[str, list[float]]] = {name: {} for name in transforms}
    seconds = dict.fromkeys(transforms, 0.0)
    for page in pages:
        truth = (args.pages / page["text"]).read_text(encoding="utf-8")
        image = Image.open(args.pages / page["image"]).convert("RGB")
        row = [page["lang"], page["name"]]
        for name, change in transforms.items():
            changed = np.asarray(change(image))
            start = time.process_time()
            text = ocr.read(changed).text
            seconds[name] += time.process_time() - start
            neds[name].setdefault(page["lang"], []).append(ned_of(text, truth, page["lang"]))
            row.append(f"{name} {neds[name][page['lang']][-1]:.3f}")
        print(*row, flush=True)
    langs = [lang for lang in langs if lang in taken]
    print("| transform | " + " | ".join(langs) + " | all | CPU s/page |")
    print("|---" * (len(langs) + 3) + "|")
    for name in transforms:
        per = [float(np.mean(neds[name][lang])) for lang in langs]
        print(f"| {name} | " + " | ".join(f"{x:.3f}" for x in per)
              + f" | {float(np.mean([x for v in neds[name].values() for x in v])):.4f} | {seconds[name] / len(pages):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
