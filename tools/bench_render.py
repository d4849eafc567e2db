"""Render the same page with polyocr and with Pillow, one core, and compare pages/s.

Each page is ~400 words (or ~1,500 CJK characters) of the pack's real text in mixed sizes, and both
renderers must return a box for every word (the pack's word unit: a character for unspaced scripts),
as a synthetic-data generator must. Pillow does what such generators do: ``textbbox`` + ``text`` per
word on an ``L`` image. polyocr shapes each line once with harfbuzz, draws all glyphs from its glyph
cache with one numba call, and derives word boxes from the glyph clusters. Both run after a warm-up
(JIT compiled, caches warm); a cold-cache figure (glyph cache emptied before every page) is printed
too. The last line is ``ratio: X`` = polyocr pages/s ÷ Pillow pages/s.

    python tools/bench_render.py --lang en
    python tools/bench_render.py --lang zh_hans --pages 20
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from polyocr.lang.registry import load_languages  # noqa: E402
from polyocr.lang.words import word_spans  # noqa: E402
from polyocr.render.layout import TextStyle, layout_line  # noqa: E402
from polyocr.render.packfonts import pack_fonts  # noqa: E402
from polyocr.render.renderer import TextRenderer  # noqa: E402

PAGE_W, PAGE_H, MARGIN = 1024, 1448, 40
SIZES = (12.0, 14.0, 16.0, 20.0, 28.0)


def page_content(pack, seed: int) -> list[tuple[str, float]]:
    """Lines of (text, size) filling about 400 words or 1,500 characters, broken to the page width."""
    rng = random.Random(seed)
    lines = [t for t in pack.text_lines() if len(t) > 20]
    unspaced = pack.spec.word_unit == "character"
    target = 1500 if unspaced else 400
    out: list[tuple[str, float]] = []
    count = 0
    while count < target:
        size = rng.choice(SIZES)
        text = rng.choice(lines)
        per_line = int((PAGE_W - 2 * MARGIN) / (size * (1.0 if unspaced else 0.5)))
        text = text[:per_line]
        n = len(text.replace(" ", "")) if unspaced else len(text.split())
        out.append((text, size))
        count += n
    return out


def render_polyocr(renderer: TextRenderer, fonts, spec, content) -> list:
    mask = np.zeros((PAGE_H, PAGE_W), np.uint8)
    placements = []
    y = MARGIN
    for text, size in content:
        y += size * 1.25
        placements.append((layout_line(text, TextStyle(fonts, size, language=spec.bcp47)), MARGIN, y))
    boxes = []
    for line in renderer.draw(mask, placements):
        boxes.extend(line.span_boxes(word_spans(line.text, spec)))
    return boxes


def render_pillow(font_path: str, index: int, spec, content, pil_fonts: dict) -> list:
    image = Image.new("L", (PAGE_W, PAGE_H), 0)
    draw = ImageDraw.Draw(image)
    boxes = []
    y = MARGIN
    for text, size in content:
        y += size * 1.25
        font = pil_fonts.get(size) or pil_fonts.setdefault(size, ImageFont.truetype(font_path, size=size, index=index))
        space = font.getlength(" ")
        x = MARGIN
        for a, b in word_spans(text, spec):
            if text[a - 1: a] == " ":
                x += space
            word = text[a:b]
            box = draw.textbbox((x, y), word, font=font, anchor="ls")
            draw.text((x, y), word, fill=255, font=font, anchor="ls")
            boxes.append(box)
            x = box[2]
    return boxes


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--pages", type=int, default=10, help="timed pages per renderer (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    pack = load_languages().get(args.lang)
    fonts = tuple(pack_fonts(pack, roles=("text",)))
    regular = min(pack.fonts().faces, key=lambda f: (f.source.role != "text", abs(f.face.weight - 400), f.face.italic))
    font = next(f for f in fonts if (f.path, f.index) == (regular.face.path, regular.face.index))
    fonts = (font, *fonts)  # the same face first for both renderers
    content = page_content(pack, args.seed)
    words = sum(len(word_spans(t, pack.spec)) for t, _ in content)
    print(f"lang {args.lang}: {len(content)} lines, {words} word boxes, font {font.path.name}#{font.index}")
    renderer = TextRenderer()
    pil_fonts: dict = {}
    ours = lambda: render_polyocr(renderer, fonts, pack.spec, content)  # noqa: E731
    pillow = lambda: render_pillow(str(font.path), font.index, pack.spec, content, pil_fonts)  # noqa: E731
    assert len(ours()) == len(pillow()) == words  # warm-up, and the same work
    t_ours, t_pil = [], []
    for _ in range(args.pages):  # interleaved, so that machine noise hits both alike
        t_ours += timed(ours, 1)
        t_pil += timed(pillow, 1)

    def cold():
        renderer.cache.clear()
        ours()

    t_cold = timed(cold, max(3, args.pages // 3))
    p_ours, p_pil, p_cold = (1 / statistics.median(t) for t in (t_ours, t_pil, t_cold))
    print(f"polyocr  {p_ours:8.1f} pages/s  ({statistics.median(t_ours) * 1e3:.1f} ms/page, glyph cache warm)")
    print(f"polyocr  {p_cold:8.1f} pages/s  ({statistics.median(t_cold) * 1e3:.1f} ms/page, glyph cache cold)")
    print(f"Pillow   {p_pil:8.1f} pages/s  ({statistics.median(t_pil) * 1e3:.1f} ms/page)")
    print(f"ratio: {p_ours / p_pil:.2f}")


if __name__ == "__main__":
    main()
