"""A page with what was found drawn on it: line quads, word boxes, and the reading order."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from polyocr.infer.result import Page


def draw_page(image: np.ndarray, page: Page) -> bytes:
    canvas = Image.fromarray(image).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    centres = []
    for block in page.blocks:
        draw.polygon([tuple(p) for p in block.quad], outline=(40, 160, 40))
        for line in block.lines:
            draw.polygon([tuple(p) for p in line.quad], outline=(220, 40, 40))
            draw.line([tuple(line.quad[0]), tuple(line.quad[3])], fill=(220, 40, 40), width=3)  # the start edge
            for word in line.words:
                draw.polygon([tuple(p) for p in word.quad], outline=(40, 80, 220))
            centres.append(tuple(np.mean(np.array(line.quad), axis=0)))
    if len(centres) > 1:
        draw.line(centres, fill=(250, 160, 0), width=1)
    buf = io.BytesIO()
    canvas.save(buf, format="PNG")
    return buf.getvalue()
