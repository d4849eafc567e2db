"""A run a pack's text never writes, one unsure look-alike away from a run it writes, is read that way."""

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from polyocr.infer.lexicon import LexiconCorrection
from polyocr.lang.sources import Confusables
from polyocr.model.ctc import DecodedLine

TEXT = ["ビルド方法とパッケージのビルド", "パッケージをビルドする", "ビルドとパッケージ", "ポートとボート", "ポートとボートを"] * 2


def correction(text=TEXT, min_count=3) -> LexiconCorrection:
    conf = Confusables(name="xx", unit="ァ-ヺー力", groups=("ハバパ", "ヒビピ", "ホボポ", "カ力"), min_count=min_count)
    pack = SimpleNamespace(confusables=[conf], text_lines=lambda kinds: list(text))
    return LexiconCorrection(SimpleNamespace(packs={"xx": pack}))


def line(text: str, unsure: tuple[int, ...] = (), p: float = 0.5) -> DecodedLine:
    conf = [p if k in unsure else 0.99 for k in range(len(text))]
    return DecodedLine(text, sum(conf) / len(conf), conf, [(float(k), k + 1.0) for k in range(len(text))])


def test_an_unsure_lookalike_in_an_unwritten_run_is_read_as_the_written_run():
    fixed = correction().rewrite(line("ピルド方法とバッケージ", unsure=(0, 6)), 0.95)
    assert fixed.text == "ビルド方法とパッケージ"
    assert len(fixed.char_conf) == len(fixed.spans) == len(fixed.text)


def test_written_runs_sure_characters_and_ambiguous_swaps_stay_as_read():
    fix = correction()
    for read in [line("ビルド", unsure=(0,)),       # the text writes it
                 line("ピルド", unsure=(0,), p=0.97),  # read surely
                 line("ピルド", unsure=(1,)),       # the unsure character has no look-alike
                 line("ホート", unsure=(0,))]:      # two swaps make written runs (ポート, ボート)
        assert fix.rewrite(read, 0.95) is read
    assert fix.rewrite(line("ピルド", unsure=(0,)), 0.0).text == "ピルド"  # off


def test_a_run_the_text_writes_too_seldom_is_no_correction():
    assert correction(min_count=9).rewrite(line("ピルド", unsure=(0,)), 0.95).text == "ピルド"
    assert correction(min_count=8).rewrite(line("ピルド", unsure=(0,)), 0.95).text == "ビルド"


def test_confusables_are_checked_when_a_pack_returns_them():
    with pytest.raises(ValidationError, match="not units of text"):
        Confusables(name="xx", unit="ァ-ヺ", groups=("カ力",))
    with pytest.raises(ValidationError, match="two or more different characters"):
        Confusables(name="xx", unit="ァ-ヺ", groups=("カ",))
    with pytest.raises(ValidationError, match="character class"):
        Confusables(name="xx", unit="ヺ-ァ", groups=("カガ",))


@pytest.mark.parametrize("code, groups, read, unsure, fixed", [
    ("ja", ("ヒビピ", "カ力"), "Debian のピルド方法", 8, "Debian のビルド方法"),
    ("ru", ("ьы", "пт"), "она бьла здесь", 5, "она была здесь"),
    ("en", ("Il", "vw"), "a new Iine here", 6, "a new line here"),
])
def test_a_pack_ships_its_groups_and_its_text_corrects_them(code, groups, read, unsure, fixed):
    from polyocr.lang.registry import load_languages

    languages = load_languages()
    if code not in languages.packs:
        pytest.fail(f"the {code} pack is not installed")
    assert any(set(groups) <= set(conf.groups) for conf in languages.packs[code].confusables)
    assert LexiconCorrection(languages).rewrite(line(read, unsure=(unsure,)), 0.95, owner=code).text == fixed


def test_the_korean_pack_ships_the_groups_its_builder_makes():
    import json
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    from build_confusables import korean_groups

    data = root / "languages" / "ko" / "polyocr_lang_ko" / "data"
    shipped = json.loads((data / "confusables.json").read_text(encoding="utf-8"))
    charset = set("".join((data / "charset.txt").read_text(encoding="utf-8").split()))
    assert shipped["groups"] == korean_groups(charset)
    assert {"기키", "너녀", "떠퍼"} <= set(shipped["groups"])  # 패기지 for 패키지, 넌 for 년, 퍼 for 떠
    assert "가나" not in shipped["groups"]
    # finals a stroke apart, as small screen text is misread: 날말 for 낱말, 삼입 for 삽입
    assert {"날낱", "삼삽"} <= set(shipped["groups"])
    assert "개게" not in shipped["groups"]  # ㅐ/ㅔ: both common, a swap between them was wrong as often as right


PHRASES = ["세상을떠났다", "떠났다", "그는떠났다", "세상을보았다", "세상을", "세상"] * 3


def pair_correction(pair_count: int = 3) -> LexiconCorrection:
    conf = Confusables(name="kk", unit="가-힣", groups=("떠퍼",), min_count=3, pair_count=pair_count)
    pack = SimpleNamespace(confusables=[conf], text_lines=lambda kinds: list(PHRASES))
    return LexiconCorrection(SimpleNamespace(packs={"kk": pack}))


def test_in_a_phrase_no_text_writes_whole_an_unsure_character_is_judged_by_its_pairs():
    read = line("월세상을퍼났다", unsure=(4,))  # a phrase set without spaces: no run stage match
    assert pair_correction().rewrite(read, 0.95, 0.85).text == "월세상을떠났다"
    assert pair_correction().rewrite(read, 0.95, 0.0) is read  # pairs off
    assert pair_correction(pair_count=0).rewrite(read, 0.95, 0.85) is read  # the pack does not ask for pairs
    assert pair_correction(pair_count=7).rewrite(read, 0.95, 0.85) is read  # its pairs too seldom written
    # an unsure neighbour does not vouch: the misread may be its
    assert pair_correction().rewrite(line("월세상을퍼났다", unsure=(3, 4, 5)), 0.95, 0.85).text == "월세상을퍼났다"


def test_a_lone_lookalike_is_looked_up_where_the_pack_asks_for_single_characters():
    text = ["百聞は一見", "一緒に", "一つ", "メール"] * 2
    conf = Confusables(name="xx", unit="ァ-ヺー一", groups=("ー一",), min_count=3, min_length=1)
    fix = LexiconCorrection(SimpleNamespace(packs={"xx": SimpleNamespace(confusables=[conf],
                                                                          text_lines=lambda kinds: text)}))
    assert fix.rewrite(line("百聞はー見に", unsure=(3,)), 0.95).text == "百聞は一見に"
    assert fix.rewrite(line("メール", unsure=(1,)), 0.95).text == "メール"  # the run is written
    two = conf.model_copy(update={"min_length": 2})
    fix2 = LexiconCorrection(SimpleNamespace(packs={"xx": SimpleNamespace(confusables=[two],
                                                                           text_lines=lambda kinds: text)}))
    assert fix2.rewrite(line("百聞はー見に", unsure=(3,)), 0.95).text == "百聞はー見に"



WORDS = ["we still have it", "it will do", "a correct answer", "an ASCII file", "the Debian way",
         "still", "will", "correct", "ASCII", "Debian", "Chapter", "the boot loader", "a bot", "the bot"] * 3


def repeats_correction(repeats: bool = True) -> LexiconCorrection:
    conf = Confusables(name="en", unit="A-Za-z", groups=("Il",), min_count=3, repeats=repeats)
    return LexiconCorrection(SimpleNamespace(packs={"en": SimpleNamespace(confusables=[conf],
                                                                          text_lines=lambda kinds: WORDS)}))


def spaced(text: str, wide: dict[int, float] | None = None, unsure: tuple[int, ...] = ()) -> DecodedLine:
    """A line whose characters were emitted one step each, 3 steps apart (``wide``: index → steps emitted)."""
    spans, conf = [], []
    for k in range(len(text)):
        spans.append((3.0 * k, 3.0 * k + (wide or {}).get(k, 1.0)))
        conf.append(0.5 if k in unsure else 0.99)
    return DecodedLine(text, sum(conf) / len(conf), conf, spans)


def test_a_letter_emitted_for_three_steps_is_two_where_that_makes_a_written_word():
    read = spaced("we stil have", wide={6: 3.0})
    fixed = repeats_correction().rewrite(read, 0.95)
    assert fixed.text == "we still have"
    assert len(fixed.char_conf) == len(fixed.spans) == len(fixed.text)
    assert fixed.spans[6] == (18.0, 19.5) and fixed.spans[7] == (19.5, 21.0)  # the letter's span halved
    assert fixed.spans[8] == read.spans[7]  # the rest of the line keeps its places
    assert repeats_correction(repeats=False).rewrite(read, 0.95) is read  # the pack does not ask
    assert repeats_correction().rewrite(spaced("we stil have"), 0.95).text == "we stil have"  # one step: one l
    # a short o stays one o, though "boot" is written: "bot" is a word too, and the place holds one letter
    assert repeats_correction().rewrite(spaced("a Bot here"), 0.95).text == "a Bot here"


def test_a_letter_whose_neighbours_stand_far_apart_is_two():
    spans = [(0.0, 1.0), (3.0, 4.0), (6.0, 7.0), (15.0, 16.0), (18.0, 19.0), (21.0, 22.0)]  # "r" then a gap
    read = DecodedLine("corect", 0.99, [0.99] * 6, spans)
    assert repeats_correction().rewrite(read, 0.95).text == "correct"


def test_a_doubled_letter_is_undoubled_only_where_one_copy_was_unsure():
    fix = repeats_correction()
    assert fix.rewrite(spaced("an AASCII file", unsure=(4,)), 0.95).text == "an ASCII file"
    assert fix.rewrite(spaced("the Debiaan way", unsure=(9,)), 0.95).text == "the Debian way"
    sure = spaced("an AASCII file")
    assert fix.rewrite(sure, 0.95) is sure  # read surely twice: spelt so on purpose
    fixed = fix.rewrite(spaced("an AASCII file", unsure=(4,)), 0.95)
    assert fixed.spans[3] == (9.0, 13.0) and len(fixed.spans) == len(fixed.text)  # the two spans joined


def test_a_word_broken_at_the_line_end_and_capitals_are_looked_up_as_words():
    fix = repeats_correction()
    assert fix.rewrite(spaced("the stil-", wide={7: 3.0}), 0.95).text == "the stil-"  # a part of a word
    assert fix.rewrite(spaced("CHAPTER 3", unsure=(0,)), 0.95).text == "CHAPTER 3"  # written as Chapter
    assert fix.rewrite(spaced("CHHAPTER 3", unsure=(2,)), 0.95).text == "CHAPTER 3"


def test_tables_of_a_shared_script_correct_only_the_pages_their_pack_owns():
    hans_text = ["技术支持", "技术文档", "技术"] * 4
    hant_text = ["技術支援", "技術文件", "技術"] * 4
    unit, groups = "一-鿿", ("木术", "枝技")
    packs = {
        "hans": SimpleNamespace(confusables=[Confusables(name="hans", unit=unit, groups=groups, pair_count=3)],
                                text_lines=lambda kinds: hans_text, charset="技术支持文档枝木"),
        "hant": SimpleNamespace(confusables=[Confusables(name="hant", unit=unit, groups=("術衍", "枝技"), pair_count=3)],
                                text_lines=lambda kinds: hant_text, charset="技術支援文件枝衍"),
    }
    fix = LexiconCorrection(SimpleNamespace(packs=packs))
    assert len(fix.shared) == 2
    page = ["技术支持和技术文档" * 3]
    assert fix.owner(page) == "hans"
    assert fix.owner(["技術支援" * 6]) == "hant"
    assert fix.owner(["技"]) is None  # too few characters to tell
    read = line("枝术支持", unsure=(0,))
    assert fix.rewrite(read, 0.95, 0.85, owner="hans").text == "技术支持"
    assert fix.rewrite(read, 0.95, 0.85, owner=None) is read  # no owner: shared tables stay out
    assert fix.rewrite(line("枝術支援", unsure=(0,)), 0.95, 0.85, owner="hans").text == "枝術支援"  # not its page


def test_the_han_packs_ship_look_alikes_their_builder_finds():
    import json
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    from build_confusables import HAN_FACES, face_of, han_chars, han_groups

    # drawn alike at the recognizer's size: found among a handful of others
    found = han_groups(han_chars("末未採探殺設倉會技枝挑桃東束中国語"), face_of(HAN_FACES["ja"]))
    def pairs(*texts):
        return {"".join(sorted(t)) for t in texts}

    assert pairs("未末", "採探", "技枝", "挑桃", "東束") <= set(found)
    assert not pairs("中語", "国語") & set(found)
    for code, shipped_pairs in [("ja", pairs("未末", "採探", "殺設", "緑線")), ("zh_hant", pairs("未末", "倉會", "技枝"))]:
        shipped = json.loads((root / "languages" / code / f"polyocr_lang_{code}" / "data" / "confusables-han.json")
                             .read_text(encoding="utf-8"))
        assert shipped_pairs <= set(shipped["groups"]) and shipped["pair_count"] == 10


def test_the_text_s_counts_are_kept_in_the_cache_and_a_broken_cache_is_counted_again(tmp_path, monkeypatch):
    from polyocr.lang.sources import TextSource

    monkeypatch.setenv("POLYOCR_CACHE_DIR", str(tmp_path / "cache"))
    text = tmp_path / "words.txt"
    text.write_text("\n".join(TEXT) + "\n", encoding="utf-8")
    source = TextSource.model_construct(kind="prose", path=text)
    calls = []

    def make():
        conf = Confusables(name="xx", unit="ァ-ヺー力", groups=("ヒビピ",), min_count=3)
        pack = SimpleNamespace(confusables=[conf], text_sources=[(None, source)], charset="",
                               text_lines=lambda kinds: calls.append(kinds) or list(TEXT))
        return LexiconCorrection(SimpleNamespace(packs={"xx": pack}))

    first = make().tables[0].runs
    assert len(calls) == 1 and first["ビルド"] == 8
    assert make().tables[0].runs == first and len(calls) == 1  # read back, not counted
    for kept in (tmp_path / "cache" / "lexicon").glob("xx-runs-*.json"):
        kept.write_text("{not json", encoding="utf-8")
    assert make().tables[0].runs == first and len(calls) == 2  # counted again
    text.write_text("\n".join(TEXT[:2]) + "\n", encoding="utf-8")  # the text changed: a new key
    make().tables[0].runs
    assert len(calls) == 3
