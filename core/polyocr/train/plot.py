"""Training curves to a PNG, drawn with Pillow (no plotting library needed)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from PIL import Image, ImageDraw

from polyocr.errors import PolyocrError
from polyocr.lang.cache import write_atomic

COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75), (23, 190, 207)]
SERIES = ("loss", "rec", "page_rec", "det_score", "det_dist", "det_dir", "rel")


def plot_metrics(metrics: Path, output: Path, width: int = 900, height: int = 500) -> Path:
    try:
        rows = [json.loads(line) for line in metrics.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise PolyocrError(f"{metrics}: cannot read metrics: {exc}") from exc
    if not rows:
        raise PolyocrError(f"{metrics}: no metrics yet")
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 60, width - 170, 20, height - 40
    steps = [r["step"] for r in rows]
    series = {k: [(r["step"], r[k]) for r in rows if k in r and r[k] > 0] for k in SERIES}
    series = {k: v for k, v in series.items() if v}
    values = [v for pts in series.values() for _, v in pts]
    lo, hi = math.log10(min(values)), math.log10(max(values))
    hi = hi if hi > lo else lo + 1
    s0, s1 = min(steps), max(steps) if max(steps) > min(steps) else min(steps) + 1

    def xy(step: float, value: float) -> tuple[float, float]:
        return (left + (step - s0) / (s1 - s0) * (right - left),
                bottom - (math.log10(value) - lo) / (hi - lo) * (bottom - top))

    draw.rectangle([left, top, right, bottom], outline=(0, 0, 0))
    for e in range(math.floor(lo), math.ceil(hi) + 1):
        for m in (1, 2, 5):
            v = m * 10**e
            if lo <= math.log10(v) <= hi:
                y = xy(s0, v)[1]
                draw.line([left, y, right, y], fill=(230, 230, 230))
                draw.text((5, y - 6), f"{v:g}", fill=(0, 0, 0))
    for i in range(6):
        s = s0 + (s1 - s0) * i / 5
        x = xy(s, 10**lo)[0]
        draw.text((x - 15, bottom + 8), f"{int(s)}", fill=(0, 0, 0))
    draw.text(((left + right) / 2 - 20, height - 18), "step", fill=(0, 0, 0))
    for i, (name, pts) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        draw.line([xy(s, v) for s, v in pts], fill=color, width=2) if len(pts) > 1 else None
        draw.line([right + 15, top + 15 + 18 * i, right + 40, top + 15 + 18 * i], fill=color, width=3)
        draw.text((right + 45, top + 8 + 18 * i), name, fill=(0, 0, 0))
    buf = __import__("io").BytesIO()
    image.save(buf, format="PNG")
    write_atomic(Path(output), buf.getvalue())
    return Path(output)
