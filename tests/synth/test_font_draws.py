"""How often the engine draws each face: families by their pack's weight, not by how many styles they ship."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from polyocr.lang import system_fonts
from polyocr.lang.registry import load_languages
from polyocr.lang.sources import FontSource
from polyocr.render.packfonts import REGULAR_SHARE, PackFace, draw_shares, pack_faces
from polyocr.synth.composer import PageComposer

LANGS = load_languages()


def _face(family: str, weight: float = 1.0, weight_class: int = 400, italic: bool = False) -> PackFace:
    return PackFace(font=None, family=family, weight=weight, weight_class=weight_class, italic=italic)  # type: ignore[arg-type]


def test_a_family_of_many_styles_is_drawn_as_often_as_a_family_of_one():
    faces = [_face("Many", weight_class=w, italic=i) for w in (100, 300, 400, 700, 900) for i in (False, True)]
    faces.append(_face("One"))
    shares = draw_shares(faces)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[:-1].sum() == pytest.approx(0.5)
    assert shares[-1] == pytest.approx(0.5)


def test_weights_set_the_families_shares_and_regular_faces_take_their_share():
    faces = [_face("Common", 3.0), _face("Common", 3.0, 700), _face("Rare"), _face("Rare", 1.0, 400, True)]
    shares = draw_shares(faces)
    assert shares[0] + shares[1] == pytest.approx(0.75)
    assert shares[0] == pytest.approx(0.75 * REGULAR_SHARE)
    assert shares[2] == pytest.approx(0.25 * REGULAR_SHARE)


def test_the_regular_face_is_the_upright_one_nearest_400():
    """Computer Modern's Roman has weight class 500 and no 400: it is the family's regular face."""
    faces = [_face("CM", weight_class=500), _face("CM", weight_class=500, italic=True), _face("CM", weight_class=700)]
    shares = draw_shares(faces)
    assert shares[0] == pytest.approx(REGULAR_SHARE)
    assert shares[1] == shares[2] == pytest.approx((1 - REGULAR_SHARE) / 2)


def test_font_sources_refuse_a_weight_that_is_not_positive():
    with pytest.raises(ValueError):
        FontSource(family="X", licence="OFL-1.1", weight=0.0)
    assert [s.weight for s in system_fonts("fonts-x", "OFL-1.1", "A", "B", weight=2.5)] == [2.5, 2.5]


def test_pack_faces_carry_their_pack_weight():
    faces = pack_faces(LANGS.get("en"), roles=("text",))
    weights = {f.family: f.weight for f in faces}
    assert weights["CMU Serif"] > weights["Lato"] == 1.0
    shares = draw_shares(faces)
    by_family = Counter()
    for face, share in zip(faces, shares):
        by_family[face.family] += share
    assert by_family["CMU Serif"] == pytest.approx(3 * by_family["Lato"])


def test_pages_draw_faces_by_the_shares():
    """Over many draws the engine's text faces follow ``draw_shares`` (a family of 18 files is not 18 times
    as likely as one of 4)."""
    composer = PageComposer(LANGS, ["en"])
    ctx = composer.contexts["en"]
    rng = np.random.default_rng(0)
    families = {id(f.font): f.family for f in pack_faces(LANGS.get("en"), roles=("text",))}
    drawn = Counter(families[id(ctx.face(rng))] for _ in range(6000))
    assert drawn["CMU Serif"] / 6000 == pytest.approx(3 / 34, abs=0.02)
    assert drawn["Lato"] / 6000 == pytest.approx(1 / 34, abs=0.012)
    mono = ctx.fonts["mono"][:2]
    assert all(ctx.face(rng, "mono", among=mono) in mono for _ in range(50))


def test_a_context_without_shares_draws_every_face_alike():
    composer = PageComposer(LANGS, ["en"])
    ctx = composer.contexts["en"]
    ctx.shares = {}
    rng = np.random.default_rng(1)
    counts = Counter(id(ctx.face(rng)) for _ in range(3000))
    assert len(counts) > 0.8 * len(ctx.fonts["text"])
