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


def _line(text, spans):
    from polyocr.model.ctc import DecodedLine
    return DecodedLine(text, 0.9, [0.9] * len(text), spans)


def test_lines_with_a_lone_wide_letter_on_a_narrow_page_are_found():
    from polyocr.infer.widths import lone_wide_lines

    page = ["ン> Move the cursor", "plain English text with many letters in it", ">=, C-hメ", "日本 in a name",
            "and two more lines of English text, so that the wide letters are few", "among all the page's letters"]
    assert lone_wide_lines(page) == [0, 2, 3]  # 日本: a run, read again too (it stays unless the narrow read is surer)
    assert lone_wide_lines(["日本語の文章です", "ン> もう一度"]) == []  # a wide page
    assert lone_wide_lines(page, max_wide_share=0.0) == []


def test_a_lone_wide_letter_takes_what_the_narrow_read_found_over_its_steps():
    from polyocr.infer.widths import without_lone_wide

    read = _line(">ン> Mo", [(0, 1), (1, 2), (2, 3), (4, 5), (5, 6), (6, 7)])
    narrow = _line(">> Mo", [(0, 2), (2, 3), (4, 5), (5, 6), (6, 7)])  # the first two steps merged
    fixed = without_lone_wide(read, narrow)
    assert fixed.text == ">> Mo"  # not >>>: the merged mark is the neighbour's
    assert len(fixed.spans) == len(fixed.char_conf) == len(fixed.text)
    read = _line("ン> a", [(0, 1), (2, 3), (3, 4), (4, 5)])
    narrow = _line(">> b", [(0, 1), (2, 3), (3, 4), (4, 5)])
    assert without_lone_wide(read, narrow).text == ">> a"  # the rest of the line stays as read
    kept = _line("text 日本", [(k, k + 1) for k in range(7)])
    assert without_lone_wide(kept, _line("text ab", [(k, k + 1) for k in range(7)])) is kept  # not surer


def test_a_run_of_wide_letters_takes_the_narrow_read_only_where_it_is_surer():
    from polyocr.infer.widths import wide_runs, without_lone_wide
    from polyocr.model.ctc import DecodedLine

    assert wide_runs("ンンン ten_years") == [(0, 3, False)] and wide_runs(">ン> a") == [(1, 2, True)]
    assert wide_runs("ンンン") == [(0, 3, False)] and wide_runs("日本語ですね a") == []  # a run too long
    assert wide_runs("日本語「です」") == []  # wide punctuation: a wide line
    read = DecodedLine("ンンン ten", 0.7, [0.6, 0.5, 0.6, 0.9, 0.9, 0.9, 0.9], [(k, k + 1) for k in range(7)])
    sure = DecodedLine(">>> ten", 0.95, [0.97, 0.96, 0.97, 0.9, 0.9, 0.9, 0.9], [(k, k + 1) for k in range(7)])
    assert without_lone_wide(read, sure).text == ">>> ten"
    unsure = DecodedLine("BAE ten", 0.6, [0.5, 0.4, 0.6, 0.9, 0.9, 0.9, 0.9], [(k, k + 1) for k in range(7)])
    assert without_lone_wide(read, unsure) is read
