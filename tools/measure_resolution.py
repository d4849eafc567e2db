"""How many pixels does a CJK character need? Distinctness of glyphs at a given em height.

Each character of a charset is rendered (our renderer, a regular text face of the pack) into an
em-sized square at ``h`` pixels, and counted *confusable* if another character's bitmap is closer to
it (mean absolute coverage difference) than the same character drawn half a pixel to the right: at
that size, the difference between two characters is smaller than what mere placement changes, so no
recognizer can separate them reliably. The fraction of distinct characters at each height is what the recognizer's
input resolution must preserve; docs/model.md turns it into the choice of feature stride and page scale.

    python tools/measure_resolution.py --lang zh_hans --heights 6 8 10 12 16 20
"""

from __future__ import annotations

import argparse

import numpy as np

from polyocr.lang.registry import load_languages
from polyocr.render.glyphs import rasterize_glyph
from polyocr.render.packfonts import pack_fonts


def em_bitmap(font, ch: str, size: int, phase: int = 0) -> np.ndarray:
    """The glyph in an em square of ``size`` pixels (baseline at 0.88 em), coverage in [0, 1]."""
    gid = font.hb_font.get_nominal_glyph(ord(ch))
    pixels, left, top = rasterize_glyph(font, gid, float(size), phase)
    canvas = np.zeros((size, size), np.float32)
    oy = int(round(size * 0.88)) + top
    for r in range(pixels.shape[0]):
        y = oy + r
        if 0 <= y < size:
            row = pixels[r].astype(np.float32) / 255
            x0 = max(0, left)
            x1 = min(size, left + pixels.shape[1])
            if x1 > x0:
                canvas[y, x0:x1] = row[x0 - left: x1 - left]
    return canvas


def distinct_fraction(bitmaps: np.ndarray, shifted: np.ndarray) -> float:
    """Fraction of characters whose nearest other character is farther than their own half-pixel shift."""
    flat = bitmaps.reshape(len(bitmaps), -1).astype(np.float32)
    self_dist = np.abs(flat - shifted.reshape(len(shifted), -1)).mean(1)
    n = len(flat)
    nearest = np.full(n, np.inf, np.float32)
    for a in range(0, n, 64):
        d = np.abs(flat[a:a + 64, None, :] - flat[None, :, :]).mean(-1)
        d[np.arange(d.shape[0]), a + np.arange(d.shape[0])] = np.inf
        nearest[a:a + 64] = d.min(1)
    return float((nearest > self_dist).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="zh_hans")
    parser.add_argument("--heights", type=int, nargs="+", default=[6, 8, 10, 12, 16, 20, 24])
    parser.add_argument("--sample", type=int, default=3000, help="characters measured (random subset)")
    args = parser.parse_args()
    pack = load_languages().get(args.lang)
    faces = sorted(pack.fonts().faces, key=lambda f: (f.source.role != "text", abs(f.face.weight - 400)))
    font = next(f for f in pack_fonts(pack, roles=("text",)) if (f.path, f.index) == (faces[0].face.path, faces[0].face.index))
    chars = [c for c in pack.charset if ord(c) > 0x2E80]  # the CJK part of the slice
    rng = np.random.default_rng(0)
    chars = list(rng.choice(chars, min(args.sample, len(chars)), replace=False))
    print(f"{args.lang}: {len(chars)} characters, face {font.path.name}#{font.index}")
    print("em px  distinct")
    for h in args.heights:
        bitmaps = np.stack([em_bitmap(font, c, h) for c in chars])
        shifted = np.stack([em_bitmap(font, c, h, phase=2) for c in chars])
        print(f"{h:5d}  {distinct_fraction(bitmaps, shifted):.4f}")


if __name__ == "__main__":
    main()
