"""Stable ids: a saved vocabulary plus a newly installed pack appends, never reorders or drops."""

from __future__ import annotations

import json

import pytest

from polyocr.errors import VocabularyError
from polyocr.lang import CharsetSlice, LanguageSpec
from polyocr.lang.registry import LanguagePack
from polyocr.lang.vocabulary import Vocabulary
from polyocr.plugins import PluginInfo


def pack(code: str, chars: str, version: str = "1.0") -> LanguagePack:
    spec = LanguageSpec(code=code, name=code, native_name=code, bcp47=code, locale=code, scripts=("Latn",),
                        directions=("ltr",))
    info = PluginInfo(code, f"polyocr_lang_{code}", f"polyocr-lang-{code}", version)
    return LanguagePack(spec, info, [(info, CharsetSlice(name=code, chars=chars))], [], [])


def test_union_in_code_order_with_blank_and_space():
    v = Vocabulary.from_packs([pack("ru", "абвa"), pack("en", "abc")])
    assert v.chars == " abcабв"
    assert len(v) == 8 and v.id(" ") == 1 and v.id("a") == 2
    assert v.languages == {"en": "1.0", "ru": "1.0"}


def test_new_pack_appends_and_keeps_every_old_id(tmp_path):
    old = Vocabulary.from_packs([pack("en", "abc"), pack("ru", "абв")])
    old.save(tmp_path / "vocab.json")
    # a pack whose code sorts *before* the old ones must still go at the end
    grown = Vocabulary.load(tmp_path / "vocab.json").extended([pack("de", "aäöüß")])
    assert grown.chars.startswith(old.chars)
    assert grown.chars[len(old.chars):] == "äöüß"
    assert all(grown.id(c) == old.id(c) for c in old.chars)
    assert set(grown.languages) == {"en", "ru", "de"}


def test_encode_decode_round_trip_and_unknown_characters():
    v = Vocabulary.from_packs([pack("en", "Helo")])
    ids = v.encode("Hello\tHello")
    assert v.decode(ids) == "Hello Hello"
    with pytest.raises(VocabularyError, match="U\\+0021"):
        v.encode("Hello!")
    assert v.decode(v.encode("Hello!", skip_unknown=True)) == "Hello"


def test_damaged_file_is_detected(tmp_path):
    v = Vocabulary.from_packs([pack("en", "abc")])
    v.save(tmp_path / "v.json")
    data = json.loads((tmp_path / "v.json").read_text())
    data["chars"] = data["chars"][::-1]
    (tmp_path / "v.json").write_text(json.dumps(data))
    with pytest.raises(VocabularyError, match="checksum"):
        Vocabulary.load(tmp_path / "v.json")
    (tmp_path / "v.json").write_text("{not json")
    with pytest.raises(VocabularyError, match="cannot read"):
        Vocabulary.load(tmp_path / "v.json")


def test_installed_vocabulary_is_near_nemotrons(installed_languages):
    v = Vocabulary.from_packs(installed_languages.packs.values())
    if set(installed_languages.packs) >= {"en", "ja", "ko", "ru", "zh_hans", "zh_hant"}:
        assert 12_000 <= len(v) <= 16_000  # Nemotron OCR v2: 14,244
    again = Vocabulary.from_packs(reversed(list(installed_languages.packs.values())))
    assert again.chars == v.chars, "the order must not depend on discovery order"


def test_classes_of_a_charset_keep_blank_and_space_and_skip_unknown_characters():
    v = Vocabulary(" abcd")
    assert v.classes_of("db a?") == [0, 1, 2, 3, 5]  # a b d; "?" is not in it
    assert v.classes_of("") == [0, 1]
