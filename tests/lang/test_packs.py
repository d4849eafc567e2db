"""The contract every discovered language pack must meet (parametrized over what is installed)."""

from __future__ import annotations

import unicodedata

import pytest

from polyocr.lang.check import check_pack
from polyocr.lang.registry import load_languages
from polyocr.lang.text import charset_fraction, script_fraction

PACKS = sorted(load_languages().packs)
BUNDLED = {"en", "ja", "ko", "ru", "zh_hans", "zh_hant"}


def test_the_six_bundled_packs_are_installed():
    assert BUNDLED <= set(PACKS)


@pytest.fixture(scope="module")
def langs():
    return load_languages()


@pytest.mark.parametrize("code", PACKS)
def test_pack_passes_lang_check(langs, code):
    errors = [str(f) for f in check_pack(langs.get(code)) if f.level == "error"]
    assert errors == []


@pytest.mark.parametrize("code", PACKS)
def test_fonts_cover_the_charset(langs, code):
    pack = langs.get(code)
    fonts = pack.fonts()
    assert len(fonts.families) >= 3
    assert fonts.coverage(pack.charset) >= 0.999
    assert {f.source.licence for f in fonts.faces} and all(f.source.licence for f in fonts.faces)


@pytest.mark.parametrize("code", PACKS)
def test_text_is_real_in_script_and_in_charset(langs, code):
    pack = langs.get(code)
    assert all(src.licence and src.provenance for _, src in pack.text_sources)
    lines = pack.text_lines()
    if code in BUNDLED:
        assert len(lines) >= 20_000
        assert len(set(lines)) == len(lines), "lines are deduplicated"
    inside, missing = charset_fraction(lines, pack.charset)
    assert inside >= 0.95, missing.most_common(10)
    assert script_fraction(lines, pack.spec.scripts) >= 0.5
    assert all(unicodedata.is_normalized("NFC", line) for line in lines[:5000])


def test_traditional_chinese_is_not_simplified(langs):
    if "zh_hant" not in langs.packs:
        pytest.skip("zh_hant pack not installed")
    lines = langs.get("zh_hant").text_lines()
    simplified_only = 0
    han = 0
    for line in lines:
        for ch in line:
            if unicodedata.name(ch, "").startswith("CJK UNIFIED"):
                han += 1
                try:
                    ch.encode("big5")
                except UnicodeEncodeError:
                    simplified_only += 1
    assert han > 100_000 and simplified_only / han < 0.02
