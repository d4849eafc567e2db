"""Every head sees every language: the synthetic pages' language is drawn per page, not read off the
index progressions the loop takes detector pages and crop pages from."""

from __future__ import annotations

from collections import Counter

import pytest

from polyocr.errors import PolyocrError
from polyocr.train.config import TrainConfig, synthetic_page_config
from polyocr.train.data import SyntheticPages
from polyocr.train.loop import StepBatches

LANGS = ["en", "ja", "ko", "ru", "zh_hans", "zh_hant"]


@pytest.mark.parametrize("world", [1, 2])
def test_crop_and_detector_pages_cover_every_language(world):
    source = SyntheticPages(LANGS, seed=0)
    cfg = TrainConfig(steps=400, page_batch=1, page_every=2, crop_pages=3)
    crop_langs, page_langs = Counter(), Counter()
    for rank in range(world):
        batches = StepBatches(source, cfg, vocab=None, rank=rank, world=world)  # type: ignore[arg-type]
        for step in range(200):
            pages, crops = batches.page_indices(step)
            page_langs.update(source.language(i) for i in pages)
            crop_langs.update(source.language(i) for i in crops)
    for counts in (crop_langs, page_langs):
        assert set(counts) == set(LANGS)
        expected = sum(counts.values()) / len(LANGS)
        assert min(counts.values()) > 0.6 * expected, counts


def test_language_weights_shift_the_shares_and_are_checked():
    source = SyntheticPages(LANGS, seed=3, weights={"ko": 3.0, "en": 0.0})
    counts = Counter(source.language(i) for i in range(6000))
    assert "en" not in counts
    assert counts["ko"] > 2.4 * counts["ja"]
    assert source.language(17) == SyntheticPages(LANGS, seed=3, weights={"ko": 3.0, "en": 0.0}).language(17)
    with pytest.raises(PolyocrError, match="xx"):
        SyntheticPages(LANGS, seed=0, weights={"xx": 1.0})
    with pytest.raises(PolyocrError, match="≥ 0"):
        SyntheticPages(LANGS, seed=0, weights={code: 0.0 for code in LANGS})


def test_a_run_sets_its_synthetic_pages_and_a_wrong_setting_is_named():
    pages = synthetic_page_config(TrainConfig(rare_char_p=0.1, synth={"inline_p": 0.5, "code_p": 0.9}))
    assert (pages.rare_char_p, pages.inline_p, pages.code_p) == (0.1, 0.5, 0.9)
    with pytest.raises(PolyocrError, match=r"synth\.bogus"):
        synthetic_page_config(TrainConfig(synth={"bogus": 1}))
    with pytest.raises(PolyocrError, match=r"synth\.inline_p"):
        synthetic_page_config(TrainConfig(synth={"inline_p": 2.0}))
