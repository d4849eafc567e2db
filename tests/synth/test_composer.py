"""Synthetic pages: every layout family in every language, with labels that match the pixels."""

from __future__ import annotations

import json

import numpy as np
import pytest

from polyocr.errors import PolyocrError
from polyocr.lang.registry import load_languages
from polyocr.synth.composer import PageComposer
from polyocr.synth.layouts import BUILTIN_LAYOUTS
from polyocr.synth.page_config import PageConfig, load_page_config

LANGS = load_languages()
CODES = sorted(LANGS.packs)
FAMILIES = [cls.name for cls, _ in BUILTIN_LAYOUTS]


def only(family: str) -> PageConfig:
    return PageConfig(layouts={name: (1.0 if name == family else 0.0) for name in FAMILIES})


@pytest.fixture(scope="module")
def composers():
    return {family: PageComposer(LANGS, CODES, only(family)) for family in FAMILIES}


def check_annotation(annotation: dict, image: np.ndarray) -> None:
    h, w = image.shape[:2]
    words, lines = annotation["word_bboxes"], annotation["line_bboxes"]
    assert lines, "a page has text"
    for entry in words + lines + annotation["para_bboxes"]:
        x, y, bw, bh = entry["bbox"]
        quad = np.array(entry["quad"])
        assert -1 <= x and -1 <= y and x + bw <= w + 1 and y + bh <= h + 1, entry
        assert quad[:, 0].min() >= -1.5 and quad[:, 0].max() <= w + 1.5 and quad[:, 1].max() <= h + 1.5
        assert entry["text"].strip()
    seen = []
    for p, para in enumerate(annotation["relation_graph"]):
        for words_of_line in para:
            [line] = [ln for ln in lines if ln["word_indices"] == words_of_line]
            assert line["para_idx"] == p
            seen.append(lines.index(line))
            joined = "".join(words[i]["text"] for i in words_of_line)
            assert joined == line["text"].replace(" ", "")
    assert sorted(seen) == list(range(len(lines))), "the relation graph covers every line exactly once"


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("code", CODES)
def test_every_family_in_every_language(composers, family, code):
    composer = composers[family]
    ctx = composer.contexts[code]
    spec = next(s for s, _ in composer.layouts if s.name == family)
    if not spec.layout.supports(ctx):
        with pytest.raises(PolyocrError, match="no enabled layout family"):
            composer.compose(code, 3)
        return
    page = composer.compose(code, 3)
    assert page.image.dtype == np.uint8 and page.image.ndim == 3
    assert page.annotation["meta"]["layout"] == family
    check_annotation(page.annotation, page.image)
    vocab_chars = set(LANGS.get(code).charset) | {" "}
    for other in LANGS.packs.values():
        vocab_chars |= set(other.charset)
    assert set(page.text.replace("\n", "")) <= vocab_chars
    json.dumps(page.annotation)  # plain data, storable as is


def test_same_seed_same_page_and_replay_from_the_record():
    composer = PageComposer(LANGS, ["en"])
    a, b = composer.compose("en", 11), composer.compose("en", 11)
    assert np.array_equal(a.image, b.image) and a.annotation == b.annotation
    replayed = composer.compose("en", 11, records=a.annotation["meta"]["degradations"])
    assert np.array_equal(replayed.image, a.image)
    assert not np.array_equal(composer.compose("en", 12).image, a.image)


def test_text_ink_lies_inside_the_line_quads():
    """On a clean page (no degradations), dark pixels belong to some line quad or a ruled stroke."""
    config = load_page_config({"layouts": {n: (1.0 if n == "columns" else 0.0) for n in FAMILIES},
                               "degradations": {k: {"p": 0.0} for k in ("ink_dilate", "ink_erode", "gaussian_blur",
                                                "motion_blur", "shadow", "color", "gaussian_noise", "salt_pepper",
                                                "elastic", "perspective", "rotation")}})
    composer = PageComposer(LANGS, ["ru"], config)
    page = composer.compose("ru", 5)
    ink = np.zeros(page.image.shape[:2], bool)
    from polyocr.render.raster import rasterize_edges

    for line in page.annotation["line_bboxes"]:
        q = np.array(line["quad"], np.float32)
        q = q + np.sign(q - q.mean(0)) * 1.5  # 1.5 px of slack
        edges = np.concatenate([q, np.roll(q, -1, axis=0)], axis=1)
        ink |= rasterize_edges(edges, ink.shape[1], ink.shape[0]) > 0
    gray = page.image.mean(axis=2)
    dark = gray < np.median(gray) - 60
    assert dark.sum() > 1000
    assert (dark & ~ink).sum() / dark.sum() < 0.02, "nearly all dark pixels are text inside line quads"


def test_bad_config_is_a_clear_error():
    with pytest.raises(PolyocrError, match="colour"):
        load_page_config({"colour": 3})
    with pytest.raises(PolyocrError, match="unknown layout families"):
        PageComposer(LANGS, ["en"], PageConfig(layouts={"poster": 1.0}))


def test_pages_only_hold_characters_of_the_vocabulary():
    """Source text may contain a few characters outside a pack's charset; they never reach a page."""
    composer = PageComposer(LANGS, CODES)
    vocab = set().union(*(set(p.charset) for p in LANGS.packs.values())) | {" ", "\n"}
    for code in CODES:
        for seed in range(4):
            page = composer.compose(code, 100 + seed)
            words = "".join(w["text"] for w in page.annotation["word_bboxes"])
            assert set(words) <= vocab, (code, seed, set(words) - vocab)


@pytest.mark.parametrize("family", ["rotated", "scene"])
def test_scattered_blocks_are_labelled_top_to_bottom_then_left_to_right(composers, family):
    """Blocks placed at random get a reading order from where they are, not from when they were placed:
    each paragraph starts no higher than a band (40 px) above the one before, or is further right."""
    for seed in range(6):
        page = composers[family].compose("en", 40 + seed)
        tops = []
        for para in page.annotation["para_bboxes"]:
            quad = np.array(para["quad"])
            tops.append((quad[:, 1].min(), quad[:, 0].min()))
        for (y0, x0), (y1, x1) in zip(tops, tops[1:]):
            assert y1 >= y0 - 40 or x1 > x0, (family, seed, tops)


def test_forms_draw_empty_check_boxes_and_cells_outside_every_line():
    """Form rows of choices and blank fields: boxes drawn as rules, empty (no line quad over a box's
    middle), each choice's word a line of its own beside its box."""
    from polyocr.synth.layouts.form import _choices, _empty_field

    ctx = PageComposer(LANGS, ["en"], only("form")).contexts["en"]
    rng = np.random.default_rng(11)
    style = ctx.style(rng, 16.0, italic=False)
    for seed in range(6):
        para, rules, height = _choices(ctx, np.random.default_rng(seed), style, 100.0, 50.0, 500.0, 16.0)
        assert len(para.lines) >= 1 and len(rules) == 4 * len(para.lines) and height >= 16.0 * 1.4
        for k, line in enumerate(para.lines):
            box = rules[4 * k: 4 * k + 4]
            left, right = min(r.x0 for r in box), max(r.x0 for r in box)
            top, bottom = min(r.y0 for r in box), max(r.y0 for r in box)
            assert abs((right - left) - (bottom - top)) < 1e-6 and right < line.x  # a square before its word
            assert top < line.y and bottom > line.y - line.glyphs.ascent  # beside the word's letters
    kinds = set()
    for seed in range(12):
        para, rules, height = _empty_field(np.random.default_rng(seed), 100.0, 50.0, 400.0, 16.0)
        assert not para.lines and height > 0
        kinds.add("frame" if len(rules) == 4 else "cells")
        if len(rules) > 4:  # a row of cells: top and bottom, and one more side than cells
            assert len({round(r.x0, 3) for r in rules[2:]}) == len(rules) - 2 >= 5
    assert kinds == {"frame", "cells"}
