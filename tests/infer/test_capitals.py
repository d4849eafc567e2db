"""Letters shaped as their capitals, read in the wrong case, take the case their word is set in."""

import pytest

from polyocr.infer.capitals import in_capitals

SHAPED = frozenset("вгджзийклмнопстхцчшщъыьэюя")


@pytest.mark.parametrize("read, fixed", [
    ("ВСтАвКА", "ВСТАВКА"),                            # small between capitals
    ("ДоПолНИТЕЛЬНыЕ ВозМОКНОСТИ", "ДОПОЛНИТЕЛЬНЫЕ ВОЗМОКНОСТИ"),
    ("кОМАНДА", "КОМАНДА"),                            # a small run begins a word of capitals
    ("продоволЬсТвИя", "продовольствия"),              # capitals read in a word of small letters
    ("ВклочиТь", "Вклочить"),
])
def test_letters_read_in_the_wrong_case_take_their_word_s(read, fixed):
    assert in_capitals(read, SHAPED) == fixed


@pytest.mark.parametrize("text", [
    "ГОСТов",             # a declined abbreviation: the small ending stays
    "ЧаВО",               # а is not shaped as А
    "ВКонтакте",          # a capital that begins a part stays
    "ПроектСоздать",      # words run together
    "МГц ТВ",             # words under four letters
    "Обычный текст, HTML и URLs.",
])
def test_words_set_so_on_purpose_stay(text):
    assert in_capitals(text, SHAPED) == text


def test_a_pack_names_its_letters_and_nothing_changes_without_them():
    from polyocr.infer.words import WordSplitter
    from polyocr.lang.registry import load_languages

    languages = load_languages()
    if "ru" not in languages.packs:
        pytest.fail("the ru pack is not installed")
    shaped = WordSplitter(languages).capital_shaped
    assert {"в", "н", "т", "ш", "ы"} <= shaped and not {"а", "б", "е", "s", "o"} & shaped
    assert in_capitals("ВСтАвКА", frozenset()) == "ВСтАвКА"
