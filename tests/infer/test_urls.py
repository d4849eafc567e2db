"""A web address's scheme read short is written whole; nothing else changes."""

import pytest

from polyocr.infer.urls import restore_schemes
from polyocr.model.ctc import DecodedLine


def line_of(text: str) -> DecodedLine:
    return DecodedLine(text, 0.9, [0.9] * len(text), [(float(k), k + 1.0) for k in range(len(text))])


@pytest.mark.parametrize("read,whole", [
    ("see (http:/www.debian.org/doc/) now", "see (http://www.debian.org/doc/) now"),
    ("(htp://git-dpm.alioth.debian.org)", "(http://git-dpm.alioth.debian.org)"),
    ("Tracker (htps://tracker.debian.org)", "Tracker (https://tracker.debian.org)"),
    ("参考 (htp//www.debian.org/doc)", "参考 (http://www.debian.org/doc)"),
    ("ftp:/ftp.debian.org/debian", "ftp://ftp.debian.org/debian"),
    ("а также https:/www.debian.org", "а также https://www.debian.org"),
])
def test_a_scheme_read_short_is_written_whole(read, whole):
    fixed = restore_schemes(line_of(read))
    assert fixed.text == whole
    assert len(fixed.char_conf) == len(fixed.spans) == len(whole)
    assert fixed.spans[0][0] == 0.0 and fixed.spans[-1][1] == float(len(read)), "the line spans as much as it did"
    assert all(a[1] <= b[0] + 1e-9 for a, b in zip(fixed.spans, fixed.spans[1:])), "spans stay in order"


@pytest.mark.parametrize("text", [
    "http://www.debian.org and https://example.com/a",  # already whole
    "the http protocol and ftp: both",                   # no address follows
    "htp is not a word; tp:/x.org neither",              # no scheme
    "file:/usr/share/doc and mailto:me@example.org",
])
def test_other_text_is_left_as_read(text):
    line = line_of(text)
    assert restore_schemes(line) is line
