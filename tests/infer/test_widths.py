"""Full-width punctuation read in narrow text is written in its narrow form; wide text keeps its forms."""

from polyocr.infer.widths import narrow_forms, wide


def test_full_width_forms_in_a_narrow_page_are_narrow():
    page = ["NOTE： type :！dir （end of word）", "качествах： терминалу，", "the end。", "plain text"]
    assert narrow_forms(page) == ["NOTE: type :!dir (end of word)", "качествах: терминалу,", "the end.", "plain text"]


def test_a_line_with_a_wide_character_and_a_wide_page_keep_their_forms():
    assert narrow_forms(["ン> text：", "more text here and there"]) == ["ン> text：", "more text here and there"]
    japanese = ["日本語のテキストです。", "NOTE：", "設定ファイル（例）"]
    assert narrow_forms(japanese) == japanese  # a Japanese page's Latin line may set ：
    assert narrow_forms([]) == []


def test_wide_is_unicode_s_east_asian_width_not_a_language():
    assert wide("日") and wide("ン") and wide("한") and wide("「")
    assert not wide("：") and not wide("a") and not wide("д")
