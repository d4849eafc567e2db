"""CTC best-path collapse: repeats, blanks, and one quote mark split over two code points."""

from __future__ import annotations

import pytest

from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.ctc import collapse

VOCAB = Vocabulary(" abst'’‘\"”“")


def ids(text: str) -> list[int]:
    """A best path: ``_`` is the blank, every other character its class."""
    return [0 if c == "_" else VOCAB.id(c) for c in text]


def read(path: str, conf: list[float] | None = None) -> str:
    return collapse(ids(path), conf or [0.9] * len(path), VOCAB).text


def test_repeats_merge_and_blanks_separate():
    assert read("_aa_a_bb") == "aab"


@pytest.mark.parametrize("path, want", [
    ("_a__’'_s", "a’s"),    # one apostrophe, its steps split between curly and straight
    ("_a__'’_s", "a’s"),    # either order: the typographic mark is kept
    ("_“\"_a_", "“a"),
    ("_a_\"”_", "a”"),
])
def test_one_mark_split_over_two_code_points_is_one_mark(path, want):
    assert read(path) == want


def test_two_marks_with_a_blank_between_stay_two():
    assert read("_’_'_") == "’'"


@pytest.mark.parametrize("path, want", [
    ("_’”_", "”"),     # a double mark whose first steps saw one stroke
    ("_'”_", "”"),
    ("_“‘_a", "“a"),
    ("_’\"_", "”"),    # a straight double mark curled the single one's way
    ("_‘\"_a", "“a"),
    ("_'\"_", "\""),
])
def test_a_single_and_a_double_mark_on_consecutive_steps_are_the_double_mark(path, want):
    assert read(path) == want


def test_a_single_and_a_double_mark_with_a_blank_between_stay_two():
    assert read("_’_”_") == "’”"


def test_the_surer_of_two_typographic_marks_is_kept():
    assert read("_”“_", [0.5, 0.6, 0.9, 0.5]) == "“"
    assert read("_”“_", [0.5, 0.9, 0.6, 0.5]) == "”"


def test_a_merged_mark_keeps_one_span_over_both_steps():
    line = collapse(ids("a’'_b"), [0.9, 0.8, 0.7, 0.5, 0.9], VOCAB)
    assert line.text == "a’b"
    assert line.spans == [(0, 1), (1, 3), (4, 5)]
    assert len(line.char_conf) == 3
