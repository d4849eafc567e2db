"""A long line read in overlapping chunks is put back together once, not twice, at each boundary."""

from __future__ import annotations

from polyocr.infer.pipeline import _Chunk, _merge
from polyocr.model.ctc import DecodedLine


def chunk_read(text: str, centres: list[float]) -> DecodedLine:
    """A chunk's reading: characters 4 px wide centred at the given crop pixels of the chunk."""
    return DecodedLine(text, 0.9, [0.9] * len(text), [(c - 2, c + 2) for c in centres])


def test_a_character_both_chunks_place_on_their_own_side_of_the_boundary_is_kept_once():
    first, second = _Chunk(0, 0, 0, 320), _Chunk(0, 256, 320, 1000)
    # the last character of the first chunk's part, seen by the second chunk 3 px further on
    a = chunk_read("ab关", [200.0, 260.0, 318.0])
    b = chunk_read("关系", [65.0, 100.0])  # crop pixels 321 and 356
    merged = _merge([(first, a, 1.0), (second, b, 1.0)], same=6.4)
    assert merged.text == "ab关系"
    assert _merge([(first, a, 1.0), (second, b, 1.0)]).text == "ab关关系"  # without the rule


def test_a_real_double_letter_at_the_boundary_stays():
    first, second = _Chunk(0, 0, 0, 320), _Chunk(0, 256, 320, 1000)
    a = chunk_read("fo", [300.0, 312.0])
    b = chunk_read("o8", [68.0, 80.0])  # crop pixels 324 and 336: a letter's width after the first o
    assert _merge([(first, a, 1.0), (second, b, 1.0)], same=6.4).text == "foo8"
