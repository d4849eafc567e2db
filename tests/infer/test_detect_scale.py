"""Small print is detected again closer: the second detection sees the median line at ``detect_line``,
or at the thickness the packs of the page's scripts set (``LanguageSpec.detect_line``)."""

from __future__ import annotations

import numpy as np
import pytest

import polyocr
from polyocr.infer.pipeline import Detected


def run(checkpoint, thickness: float, lines: int = 3, dpi: float | None = None, regions: list | None = None,
        **settings) -> list[float]:
    """The scales the pipeline detects a 2048 × 1536 page of resolution ``dpi`` at, when every line it
    sees is ``thickness`` thick (the regions it detects in go to ``regions``)."""
    settings.setdefault("script_sample", 0)  # the default thickness unless a test reads the page's scripts
    ocr = polyocr.OCR(checkpoint, reading_order="geometry", **settings)
    scales: list[float] = []

    def detect(image, scale, region=None):
        scales.append(scale)
        if regions is not None:
            regions.append(region)
        quads = np.array([[[10, y], [300, y], [300, y + thickness], [10, y + thickness]] for y in range(10, 10 + 60 * lines, 60)],
                         np.float32)
        return None, Detected(quads, np.ones(lines), np.zeros(lines, bool), scale)

    ocr.pipeline._detect = detect
    ocr.pipeline.page(np.full((2048, 1536, 3), 255, np.uint8), dpi=dpi)
    return scales


def test_thin_lines_are_detected_again_at_the_trained_thickness(checkpoint):
    assert run(checkpoint, 10.0) == pytest.approx([0.5, 1.0])  # 10 px at 0.5 → 20 px at 1.0


def test_the_closer_detection_sees_the_text_and_a_margin_only(checkpoint):
    regions: list = []
    run(checkpoint, 10.0, regions=regions)  # lines at x 20-600, y 20-280 of the page, 20 px thick there
    assert regions == [None, (0, 0, 700, 380)]  # 5 thicknesses (100 px) of margin, clipped at the page's edge
    regions.clear()
    run(checkpoint, 10.0, regions=regions, closer_margin=0.0)
    assert regions == [None, None]


def test_text_over_most_of_the_page_is_detected_again_whole(checkpoint):
    regions: list = []
    run(checkpoint, 10.0, lines=16, regions=regions, closer_margin=60.0)  # 60 × 20 px: past every edge
    assert regions == [None, None]


def test_lines_thick_enough_are_detected_once(checkpoint):
    assert run(checkpoint, 18.0) == [0.5]
    assert run(checkpoint, 25.0) == [0.5]


def test_the_second_detection_is_bounded(checkpoint):
    # the whole page seen again: its long side (2,048) at most detect_max_side (2,560), not 5.0
    assert run(checkpoint, 2.0, closer_margin=0.0) == pytest.approx([0.5, 2560 / 2048])
    # only the text's region (x 0-620, y 0-284 page px): the view of it is what is bounded, by max_upscale
    regions: list = []
    assert run(checkpoint, 2.0, regions=regions) == pytest.approx([0.5, 3.0])
    assert regions[1] == (0, 0, 620, 284)
    assert run(checkpoint, 2.0, max_upscale=9.0) == pytest.approx([0.5, 2560 / 620])


@pytest.fixture(scope="module")
def han_checkpoint(tmp_path_factory):
    from polyocr.model.testing import constant_checkpoint

    return constant_checkpoint(tmp_path_factory.mktemp("han") / "model", char="日")


def test_the_closer_view_takes_the_line_thickness_of_the_page_scripts(checkpoint, han_checkpoint):
    # every line reads "a…": Latin, whose pack (en) sets 16 px; "日…": Han, whose first pack (ja) sets none: 20
    assert run(checkpoint, 10.0, script_sample=8) == pytest.approx([0.5, 0.8])
    assert run(han_checkpoint, 10.0, script_sample=8) == pytest.approx([0.5, 1.0])
    assert run(checkpoint, 14.0, script_sample=8) == pytest.approx([0.5])  # 14 >= 0.85 × 16: no second view


def test_the_page_scripts_thickness_rule():
    from polyocr.infer.words import WordSplitter
    from polyocr.lang.registry import load_languages

    splitter = WordSplitter(load_languages())
    assert splitter.detect_line(["The quick brown fox", "Съешь же ещё"], 20.0) == 16.0  # en, ru: 16
    assert splitter.detect_line(["한국어 문장입니다"], 20.0) == 16.0                         # ko: 16
    assert splitter.detect_line(["日本語の文章です", "Debian"], 20.0) == 20.0               # ja sets none: the default
    assert splitter.detect_line(["Debian packages and the dpkg tool 日"], 20.0) == 16.0     # one kanji in 30 letters
    assert splitter.detect_line(["", "123 — 456"], 20.0) == 20.0                           # no letters: the default
    assert WordSplitter(None).detect_line(["abc"], 18.0) == 18.0                            # no packs: the default


def test_a_page_with_too_few_lines_keeps_its_first_detection(checkpoint):
    assert run(checkpoint, 10.0, lines=2) == [0.5]


def test_lines_are_lengthened_along_their_axis_before_reading():
    from polyocr.infer.pipeline import lengthen

    quads = np.array([[[10, 20], [110, 20], [110, 40], [10, 40]],   # left to right, 20 thick
                      [[50, 10], [50, 90], [40, 90], [40, 10]]], np.float32)  # a column read downwards, 10 thick
    out = lengthen(quads, 0.25)
    np.testing.assert_allclose(out[0], [[5, 20], [115, 20], [115, 40], [5, 40]])
    np.testing.assert_allclose(out[1], [[50, 7.5], [50, 92.5], [40, 92.5], [40, 7.5]])
    from polyocr.infer.pipeline import _middle  # the script sample reads each line's middle only

    np.testing.assert_allclose(_middle(quads, 4.0), [[[20, 20], [100, 20], [100, 40], [20, 40]],  # 5 thicknesses: 4 kept
                                                 [[50, 30], [50, 70], [40, 70], [40, 30]]])


def test_a_page_of_known_resolution_is_first_seen_at_detect_dpi(checkpoint):
    assert run(checkpoint, 20.0, dpi=256.0, detect_dpi=128.0) == pytest.approx([0.5])  # 128 / 256
    assert run(checkpoint, 20.0, dpi=160.0, detect_dpi=128.0) == pytest.approx([0.8])


def test_a_view_from_the_resolution_is_still_corrected(checkpoint):
    assert run(checkpoint, 10.0, dpi=256.0, detect_dpi=128.0) == pytest.approx([0.5, 1.0])  # small print: closer
    assert run(checkpoint, 40.0, dpi=256.0, detect_dpi=128.0) == pytest.approx([0.5, 0.25])  # large type: farther, 20 px
    assert run(checkpoint, 40.0, dpi=None, detect_dpi=128.0) == pytest.approx([0.5])  # from detect_side: as it always was


def test_resolutions_cameras_write_regardless_are_not_trusted(checkpoint):
    assert run(checkpoint, 20.0, dpi=72.0, detect_dpi=128.0) == pytest.approx([0.5])  # detect_side, not 128/72
    assert run(checkpoint, 20.0, dpi=256.0, detect_dpi=0.0) == pytest.approx([0.5])  # off: detect_side


def test_the_view_from_the_resolution_is_bounded(checkpoint):
    assert run(checkpoint, 20.0, dpi=100.0, detect_dpi=128.0) == pytest.approx([2560 / 2048])  # not 1.28: detect_max_side


def test_the_ink_share_of_a_line_is_the_page_scripts():
    from polyocr.infer.words import WordSplitter
    from polyocr.lang.registry import load_languages

    splitter = WordSplitter(load_languages())
    assert splitter.ink_thickness(["Съешь же ещё этих мягких булок"], 1.4) == 1.55  # ru: x-height letters
    assert splitter.ink_thickness(["The quick brown fox"], 1.4) == 1.4              # en sets none
    assert splitter.ink_thickness(["The quick brown fox", "Съешь же ещё"], 1.4) == 1.55  # the largest
    assert splitter.ink_thickness(["123"], 1.4) == 1.4


def test_a_page_scripts_ink_share_decides_whether_the_ink_is_trusted(checkpoint):
    """Bands 42 px thick (12.6 in the view), characters 20 px tall: at 1.4 character heights a line the
    ink says 28 px, under 0.7 of 42, and the closer view is scaled from it (20 / 28); at Cyrillic's 1.55
    it says 31, which is not, and the bands' 42 stand (20 / 42)."""
    ocr = polyocr.OCR(checkpoint, reading_order="geometry")
    image = np.full((800, 1000, 3), 255, np.uint8)
    bands = []
    for y in range(40, 760, 60):
        for x in range(40, 960, 20):
            image[y + 11: y + 31, x: x + 12] = 20  # characters 20 px tall in a band 42 px thick
        bands.append([[30, y], [970, y], [970, y + 42], [30, y + 42]])
    quads = np.array(bands, np.float32) * 0.3
    det = Detected(quads, np.ones(len(bands)), np.zeros(len(bands), bool), 0.3)
    assert ocr.pipeline._closer_scale(image, det, None, 20.0, 1.4) == pytest.approx(20 / 28)
    assert ocr.pipeline._closer_scale(image, det, None, 20.0, 1.55) == pytest.approx(20 / 42)
