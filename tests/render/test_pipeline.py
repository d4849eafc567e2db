"""Text drawn, coloured, composited and warped: the quads follow the pixels; the cache stays bounded."""

from __future__ import annotations

import numpy as np
import pytest

from polyocr.lang.registry import load_languages
from polyocr.render.composite import composite, outline
from polyocr.render.geometry import affine, fit_canvas, perspective_from_points, transform_points
from polyocr.render.glyphs import GlyphCache
from polyocr.render.layout import TextStyle, layout_line
from polyocr.render.packfonts import pack_fonts
from polyocr.render.renderer import TextRenderer
from polyocr.render.warp import warp_image

LANGS = load_languages()


def _pack(code):
    return LANGS.get(code) if code in LANGS.packs else pytest.skip(f"needs {code}")


def _page_with_text(code: str, text: str, direction: str = "ltr"):
    fonts = tuple(pack_fonts(_pack(code), roles=("text",)))
    mask = np.zeros((240, 320), np.uint8)
    origin = (20.0, 60.0) if direction == "ltr" else (290.0, 10.0)
    [line] = TextRenderer().draw(mask, [(layout_line(text, TextStyle(fonts, 26.0), direction), *origin)])
    page = np.full((240, 320, 3), 235, np.uint8)
    composite(page, mask, 0, 0, (20, 30, 120), 1.0)
    return page, line


def _ink_inside(page: np.ndarray, quad: np.ndarray, tol: float) -> bool:
    """Every dark pixel lies inside the (convex) quad grown by ``tol`` pixels."""
    rows, cols = np.nonzero(page.mean(axis=2) < 200)
    pts = np.stack([cols + 0.5, rows + 0.5], 1)
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        edge = b - a
        normal = np.array([edge[1], -edge[0]]) / np.hypot(*edge)
        side = (pts - a) @ normal
        # all points must be on the inner side (same sign as the quad's centroid) within tol
        inner = np.sign((quad.mean(0) - a) @ normal)
        if np.any(side * inner < -tol):
            return False
    return True


@pytest.mark.parametrize("code,text,direction", [("en", "Warped text, exact quads", "ltr"),
                                                 ("ja", "縦書きの文章です", "ttb"),
                                                 ("ko", "한국어 문장입니다", "ltr")])
def test_quads_follow_rotation_and_perspective(code, text, direction):
    page, line = _page_with_text(code, text, direction)
    assert _ink_inside(page, line.quad, 1.0)
    rotation, w, h = fit_canvas(affine(rotate_deg=17.0, center=(160, 120)), 320, 240)
    tilt = perspective_from_points(np.array([[0, 0], [w, 0], [w, h], [0, h]], float),
                                   np.array([[12, 5], [w - 30, 20], [w - 4, h - 9], [3, h - 25]], float))
    for hmat, size in ((rotation, (h, w)), (tilt @ rotation, (h, w))):
        warped = warp_image(page, hmat, size, border=(235, 235, 235))
        quad = transform_points(hmat, line.quad)
        assert _ink_inside(warped, quad, 1.5), "ink escaped the transformed quad"
        assert (warped.mean(axis=2) < 200).sum() > 0.5 * (page.mean(axis=2) < 200).sum()


def test_outlined_text_effect():
    fonts = tuple(pack_fonts(_pack("en"), roles=("text",)))
    mask = np.zeros((60, 200), np.uint8)
    TextRenderer().draw(mask, [(layout_line("Outline", TextStyle(fonts, 30.0)), 10.0, 40.0)])
    ring = outline(mask.astype(np.float32) / 255, 2)
    assert ring.max() > 0.9
    assert ring[mask == 255].max() == 0, "the outline surrounds the glyphs, it does not cover them"


def test_glyph_cache_is_bounded_and_pages_survive_a_new_generation():
    fonts = tuple(pack_fonts(_pack("zh_hans"), roles=("text",)))[:1]
    cache = GlyphCache(max_bytes=1 << 16)
    renderer = TextRenderer(cache)
    chars = _pack("zh_hans").charset
    texts = ["".join(chars[100 + 40 * i: 140 + 40 * i]) for i in range(4)]  # 160 glyphs > 64 KiB
    mask = np.zeros((4 * 50 + 30, 40 * 40), np.uint8)
    placements = [(layout_line(t, TextStyle(fonts, 36.0)), 5.0, 50.0 + 50 * i) for i, t in enumerate(texts)]
    lines = renderer.draw(mask, placements)
    assert cache.stats()["bytes"] <= 1 << 16
    assert cache.generation >= 1 and cache.evictions > 0
    reference = np.zeros_like(mask)
    expected = TextRenderer().draw(reference, placements)
    assert np.array_equal(mask, reference), "a page drawn across cache generations is still exact"
    for got, want in zip(lines, expected, strict=True):
        assert np.array_equal(got.char_boxes, want.char_boxes)
