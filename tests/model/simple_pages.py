"""A minimal page source for model tests: a few lines of a pack's real text on a white page.

It uses the renderer and the label builder directly (no layouts, no degradations), so model tests do
not depend on the synthetic engine's randomness and stay fast.
"""

from __future__ import annotations

import numpy as np

from polyocr.lang.registry import load_languages
from polyocr.render.composite import composite
from polyocr.render.layout import TextStyle
from polyocr.render.packfonts import pack_fonts
from polyocr.render.renderer import TextRenderer
from polyocr.synth.labels import AnnotationBuilder, LabelledParagraph
from polyocr.synth.typeset import drawable


class SimplePages:
    def __init__(self, code: str, lines: list[str], size: tuple[int, int] = (256, 384), font_size: float = 24.0) -> None:
        self.pack = load_languages().get(code)
        self.fonts = tuple(pack_fonts(self.pack, roles=("text",)))[:1]
        self.lines = lines
        self.size = size
        self.font_size = font_size
        self.renderer = TextRenderer()

    def page(self, index: int) -> tuple[np.ndarray, dict]:
        h, w = self.size
        rng = np.random.default_rng(index % 4)  # four distinct pages, repeated
        picks = [self.lines[int(i)] for i in rng.permutation(len(self.lines))[:4]]
        style = TextStyle(self.fonts, self.font_size)
        placements = []
        y = 40.0
        for text in picks:
            text, glyphs = drawable(text, style)
            placements.append((glyphs, 16.0, y))
            y += self.font_size * 1.6
        mask = np.zeros((h, w), np.uint8)
        drawn = self.renderer.draw(mask, placements)
        page = np.full((h, w, 3), 255, np.uint8)
        composite(page, mask, 0, 0, (0, 0, 0), 1.0)
        builder = AnnotationBuilder(self.pack.spec, w, h)
        builder.add(LabelledParagraph(drawn[:2], np.eye(3)))
        builder.add(LabelledParagraph(drawn[2:], np.eye(3)))
        return page, builder.annotation()
