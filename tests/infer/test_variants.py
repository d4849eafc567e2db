"""A page's look-alike characters of another variety are written in the variety of the pack that owns it."""

from __future__ import annotations

import pytest

from polyocr.infer.variants import VariantPreference
from polyocr.lang.registry import LanguagePack, Languages
from polyocr.lang.sources import CharsetSlice, VariantForms
from polyocr.lang.spec import LanguageSpec
from polyocr.plugins import PluginInfo

COMMON = "的是不人了在有中一上大"
HANS = COMMON + "们这个内说"
HANT = COMMON + "們這個內說"
JA = COMMON + "内個説のはにをがでと"


def _pack(code: str, chars: str, forms: dict[str, str] | None = None) -> LanguagePack:
    spec = LanguageSpec(code=code, name=code, native_name=code, bcp47="zh", locale="zh", scripts=("Hani",),
                        directions=("ltr",))
    info = PluginInfo(name=code, module=code)
    variants = [(info, VariantForms(name=code, forms=forms, source="test", licence="CC0-1.0"))] if forms else []
    return LanguagePack(spec, info, [(info, CharsetSlice(name=code, chars=chars))], [], [], variants)


@pytest.fixture
def languages() -> Languages:
    packs = {
        "zh_hans": _pack("zh_hans", HANS, {"們": "们", "這": "这", "個": "个", "內": "内", "說": "说"}),
        "zh_hant": _pack("zh_hant", HANT, {"们": "們", "这": "這", "个": "個", "内": "內", "说": "說"}),
        "ja": _pack("ja", JA),
    }
    return Languages(packs, [], None)


def test_a_traditional_page_gets_traditional_forms(languages):
    page = ["這是中文的內容，說了們個", "在有中一上大的是不人了", "内容這個們說的是"]  # two Simplified 内
    out = VariantPreference(languages).rewrite(page)
    assert VariantPreference(languages).owner(page) == "zh_hant"
    assert out == ["這是中文的內容，說了們個", "在有中一上大的是不人了", "內容這個們說的是"]


def test_a_simplified_page_gets_simplified_forms(languages):
    page = ["这是中文的内容，说了们个", "在有中一上大的是不人了", "這个们说的是"]
    assert VariantPreference(languages).rewrite(page)[2] == "这个们说的是"


def test_a_japanese_page_keeps_its_kanji(languages):
    page = ["内容はこの個のページにあります", "説明を見てください", "中で上の大きいのが"]
    prefs = VariantPreference(languages)
    assert prefs.owner(page) is None  # ja owns it, and ja ships no forms
    assert prefs.rewrite(page) == page


def test_a_short_or_undecided_page_is_left_as_read(languages):
    prefs = VariantPreference(languages)
    assert prefs.rewrite(["內容内"]) == ["內容内"]  # too few characters
    even = ["的是不人了在有中一上大" * 3]  # characters every pack writes: no pack owns the page
    assert prefs.owner(even) is None
    assert VariantPreference(None).rewrite(["這内" * 20]) == ["這内" * 20]


def test_forms_outside_the_charset_or_already_in_it_are_not_kept():
    pack = _pack("zh_hant", HANT, {"内": "內", "的": "是", "们": "們", "乾": "幹"})
    assert pack.variants == {"内": "內", "们": "們"}  # 的 is the pack's own; 幹 is not in its charset


def test_variant_forms_map_one_character_to_another():
    with pytest.raises(ValueError, match="one character"):
        VariantForms(name="x", forms={"内容": "內容"}, source="s", licence="l")
    with pytest.raises(ValueError, match="one character"):
        VariantForms(name="x", forms={"内": "内"}, source="s", licence="l")


def test_the_chinese_packs_ship_their_forms():
    import polyocr

    packs = polyocr.load_languages().packs
    if not {"zh_hans", "zh_hant"} <= set(packs):
        pytest.fail("the six bundled packs are installed by tools/setup.sh")
    assert packs["zh_hant"].variants["内"] == "內" and packs["zh_hant"].variants["这"] == "這"
    assert packs["zh_hans"].variants["況"] == "况" and packs["zh_hans"].variants["們"] == "们"
    assert "发" not in packs["zh_hant"].variants  # 發 or 髮: the page cannot tell
    assert not packs["ja"].variants
