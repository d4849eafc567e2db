"""Pages/s per core of the synthetic page engine against a plain Pillow page renderer, in the same run.

For every page polyocr makes (a random layout, default degradations, JPEG at the page's quality), a
SynthDoG-style Pillow renderer does the same work on the same page: it draws the page's words, word
by word with ``ImageDraw.textbbox`` + ``text`` at each word's box, font size ≈ the box height (width for
vertical lines), in the pack's first text face; then ``GaussianBlur(1)``, Gaussian noise with numpy
and a JPEG encode at quality 90. Both run pinned to one core after a warm-up, interleaved page by page
(so a load beside the benchmark slows both alike). Then ``generate()`` is timed end to end (process
start, composer build, shards written) with 1 and 2 workers.

Pages are 1024 × 1024, as issue 4 asks (``--page-size N`` for N × N, ``--page-size 0`` for the layouts'
own sizes; ``PageConfig.page_size``). Besides wall-clock rates, the CPU time each renderer used is
reported: on a busy machine it says what the work costs without the time spent waiting for the core.

The last line is ``ratio: X`` = polyocr pages/s ÷ Pillow pages/s (wall clock), one core each.

    python tools/bench_generate.py --lang en --pages 20 [--page-size 0] [--generate-pages 200]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from functools import lru_cache

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from polyocr.data.generate import build_composer, generate, page_seed  # noqa: E402
from polyocr.data.shards import encode_jpeg  # noqa: E402
from polyocr.lang.registry import load_languages  # noqa: E402
from polyocr.synth.page_config import PageConfig  # noqa: E402


class PillowPages:
    """The baseline: the same words at the same places, drawn the way Pillow-based generators do."""

    def __init__(self, font_path: str, font_index: int) -> None:
        self.path, self.index = font_path, font_index
        self.rng = np.random.default_rng(0)

    @lru_cache(maxsize=256)  # noqa: B019 - one renderer per run; fonts per size are loaded once, as SynthDoG does
    def font(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(self.path, size, index=self.index)

    def render(self, annotation: dict, height: int, width: int) -> bytes:
        vertical = {w for line in annotation["line_bboxes"] if line.get("direction") == "ttb"
                    for w in line["word_indices"]}
        page = Image.new("RGB", (width, height), (248, 247, 243))
        draw = ImageDraw.Draw(page)
        boxes = []
        for i, word in enumerate(annotation["word_bboxes"]):
            x, y, w, h = word["bbox"]
            font = self.font(max(6, round(w if i in vertical else h)))
            boxes.append(draw.textbbox((x, y), word["text"], font=font))
            draw.text((x, y), word["text"], font=font, fill=(25, 25, 25))
        page = page.filter(ImageFilter.GaussianBlur(1))
        pixels = np.asarray(page, dtype=np.float32) + self.rng.normal(0.0, 6.0, (height, width, 3)).astype(np.float32)
        buf = io.BytesIO()
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=90)
        return buf.getvalue()


def first_text_face(pack) -> tuple[str, int]:  # noqa: ANN001
    for resolved in pack.fonts().faces:
        if resolved.source.role == "text":
            return str(resolved.face.path), resolved.face.index
    face = pack.fonts().faces[0].face
    return str(face.path), face.index


def bench_one_core(lang: str, pages: int, warmup: int, seed: int, config: PageConfig | None = None
                   ) -> tuple[float, float, float, float, float]:
    """(polyocr pages/s, Pillow pages/s, mean megapixels per page, polyocr and Pillow CPU ms per page)
    on one core."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        composer = build_composer([lang], config)
        pillow = PillowPages(*first_text_face(load_languages().get(lang)))
        ours, theirs, megapixels, cpu_ours, cpu_theirs = [], [], [], [], []
        for i in range(warmup + pages):
            t0, c0 = time.perf_counter(), time.thread_time()
            page = composer.compose(lang, page_seed(seed, lang, "bench", i))
            encode_jpeg(page.image, page.quality)
            t1, c1 = time.perf_counter(), time.thread_time()
            h, w = page.image.shape[:2]
            pillow.render(page.annotation, h, w)
            t2, c2 = time.perf_counter(), time.thread_time()
            if i >= warmup:
                ours.append(t1 - t0)
                theirs.append(t2 - t1)
                cpu_ours.append(c1 - c0)
                cpu_theirs.append(c2 - c1)
                megapixels.append(h * w / 1e6)
    finally:
        os.sched_setaffinity(0, allowed)
    return (len(ours) / sum(ours), len(theirs) / sum(theirs), statistics.mean(megapixels),
            1000 * statistics.mean(cpu_ours), 1000 * statistics.mean(cpu_theirs))


def bench_generate(lang: str, pages: int, workers: int, seed: int, config: PageConfig | None = None) -> float:
    """Wall-clock pages/s of a whole ``generate()`` call (worker start-up and composer builds included)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        generate(tmp, [lang], pages=pages, seed=seed, workers=workers, config=config,
                 shard_size=max(1, pages // 4), progress=False)
        return pages / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--pages", type=int, default=20, help="timed pages per renderer (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generate-pages", type=int, default=None,
                        help="pages for the generate() timings (default: --pages; start-up is amortized over them)")
    parser.add_argument("--no-generate", action="store_true", help="skip the generate() timings")
    parser.add_argument("--page-size", type=int, default=1024,
                        help="make every page N x N (default 1024, as issue 4 asks); 0: the layouts' own sizes")
    args = parser.parse_args()

    config = PageConfig(page_size=(args.page_size, args.page_size)) if args.page_size else None
    ours, theirs, mp, cpu_ours, cpu_theirs = bench_one_core(args.lang, args.pages, args.warmup, args.seed, config)
    size = f"{args.page_size} x {args.page_size} pages (before warps)" if args.page_size else "the layouts' page sizes"
    print(f"lang {args.lang}: {args.pages} pages after {args.warmup} warm-up, {size}, {mp:.2f} Mpx per page on average")
    print(f"polyocr (layout, render, degradations, JPEG), one core: {ours:.2f} pages/s ({cpu_ours:.1f} ms CPU a page)")
    print(f"Pillow (textbbox + text per word, blur, noise, JPEG q90), one core: {theirs:.2f} pages/s "
          f"({cpu_theirs:.1f} ms CPU a page)")
    print(f"CPU-time ratio (Pillow CPU ms ÷ polyocr CPU ms): {cpu_theirs / cpu_ours:.2f}")
    if not args.no_generate:
        for workers in (1, 2):
            n = args.generate_pages or args.pages
            rate = bench_generate(args.lang, n, workers, args.seed, config)
            print(f"generate() of {n} pages with {workers} worker{'s' if workers > 1 else ''}, wall clock incl. "
                  f"start-up ({len(os.sched_getaffinity(0))} CPUs here): {rate:.2f} pages/s")
    print(f"ratio: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
