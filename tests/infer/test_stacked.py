"""Close lines the detector took for one band (thick, or turned from one line down to the next) are cut
into their rows; one row of large type, and a block of lines set at an angle, are not."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from polyocr.infer.stacked import stacked_rows, text_rows

FONT = ImageFont.load_default(size=20)


def test_rows_of_ink_apart_and_a_thin_gap_inside_a_row():
    counts = np.array([0] * 3 + [30] * 14 + [0] * 4 + [25] * 14 + [0] * 3)
    assert text_rows(counts, 200, 24.0) == [(3, 17), (21, 35)]
    counts = np.array([0] * 3 + [5] * 2 + [0] + [30] * 12 + [0] * 3)  # an i's dot one pixel above its stem
    assert text_rows(counts, 200, 24.0) == [(3, 18)]
    assert text_rows(np.array([0, 40, 0, 0, 0, 30] + [0] * 4), 200, 24.0) == []  # specks


def page() -> tuple[np.ndarray, list[list[list[float]]]]:
    """Three lines on their own, then two lines set close (a line's height apart, no leading)."""
    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    quads = []
    for k, y in enumerate((20, 60, 100)):
        draw.text((20, y), f"a line of its own {k}", font=FONT, fill="black")
        quads.append([[18, y - 2], [260, y - 2], [260, y + 24], [18, y + 24]])
    draw.text((20, 200), "Gender:", font=FONT, fill="black")
    draw.text((20, 224), "Female or Male", font=FONT, fill="black")
    return np.asarray(image), quads


def test_a_thick_band_over_two_close_lines_is_cut_into_level_rows():
    image, quads = page()
    band = [[18, 196], [200, 196], [200, 250], [18, 250]]
    cuts = stacked_rows(image, np.array(quads + [band], np.float32), np.zeros(4, bool))
    assert list(cuts) == [3] and cuts[3].shape == (2, 4, 2)
    first, second = cuts[3]
    assert first[:, 1].max() <= second[:, 1].min() + 1e-3  # one above the other
    assert 196 <= first[0, 1] <= 204 and 240 <= second[2, 1] <= 250  # each about its own text
    assert first[1, 0] < second[1, 0]  # each as long as its own ink: "Gender:" is shorter


def test_a_band_turned_alone_is_cut_and_a_turned_block_is_not():
    image, quads = page()
    turned = [[18, 200], [200, 228], [200, 252], [18, 224]]  # from "Gender:" down to the next line
    cuts = stacked_rows(image, np.array(quads + [turned], np.float32), np.zeros(4, bool))
    assert list(cuts) == [3] and len(cuts[3]) == 2
    block = [[[18, 20 + d], [260, 48 + d], [260, 72 + d], [18, 44 + d]] for d in (0, 40, 80)]
    assert stacked_rows(image, np.array(block + [turned], np.float32), np.zeros(4, bool)) == {}


def test_one_row_of_large_type_is_not_cut():
    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    quads = [[[18, y], [260, y], [260, y + 26], [18, y + 26]] for y in (150, 190, 230)]
    for y in (152, 192, 232):
        draw.text((20, y), "small body text", font=FONT, fill="black")
    draw.text((20, 20), "Heading", font=ImageFont.load_default(size=64), fill="black")
    quads.append([[18, 10], [320, 10], [320, 100], [18, 100]])
    assert stacked_rows(np.asarray(image), np.array(quads, np.float32), np.zeros(4, bool)) == {}
