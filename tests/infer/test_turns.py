"""Pages turned a quarter or a half are read upright and their result placed back on the page given;
light text on a dark ground is read inverted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from polyocr.eval.metrics import ned
from polyocr.infer.orientation import content_rotation, reads_upright, running_down
from polyocr.infer.polarity import light_on_dark
from polyocr.infer.result import Block, Line, Page, Word
from polyocr.infer.turns import back_points, turned_back, upright_image

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def quad(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_points_of_the_upright_image_map_back_to_the_same_pixel(rotation):
    image = np.zeros((30, 50), np.uint8)
    image[7, 41] = 255
    upright = upright_image(image, rotation)
    y, x = np.argwhere(upright == 255)[0]
    assert tuple(back_points(np.array([x + 0.5, y + 0.5]), rotation, 50, 30)) == pytest.approx((41.5, 7.5))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_content_turned_clockwise_reads_upright_once_turned(rotation):
    """A line along +x turned ``rotation`` clockwise (PIL turns counter-clockwise), then made upright."""
    image = np.zeros((40, 60), np.uint8)
    image[10, 5:30] = 255  # a 'line' reading left to right
    turned = np.asarray(Image.fromarray(image).rotate(-rotation, expand=True))
    back = upright_image(turned, rotation)
    assert np.array_equal(back, image)


def test_the_reading_direction_of_lines_and_columns_tells_the_turn():
    line = quad(0, 0, 100, 10)[None]
    assert content_rotation(line, np.array([False])) == 0
    assert content_rotation(line[:, [2, 3, 0, 1]], np.array([False])) == 180
    down = np.array([[[10, 0], [10, 100], [0, 100], [0, 0]]], np.float64)  # read top to bottom
    assert content_rotation(down, np.array([False])) == 90  # a line turned clockwise
    assert content_rotation(down, np.array([True])) == 0  # an upright column
    assert content_rotation(down[:, [2, 3, 0, 1]], np.array([True])) == 180
    assert content_rotation(down[:, [2, 3, 0, 1]], np.array([False])) == 270


def test_only_lines_along_x_count_as_upright():
    lines = np.stack([quad(0, y, 300, y + 10) for y in range(0, 100, 20)])
    assert reads_upright(lines, np.zeros(5, bool))
    assert not reads_upright(lines[:, [2, 3, 0, 1]], np.zeros(5, bool))
    columns = np.array([[[x + 10, 0], [x + 10, 300], [x, 300], [x, 0]] for x in range(0, 100, 20)], np.float64)
    assert not reads_upright(columns, np.ones(5, bool))


def test_a_result_read_upright_is_placed_back_on_the_page_given():
    def node(cls, q, **kw):
        return cls(text="a", quad=[tuple(p) for p in q.tolist()], box=(0, 0, 0, 0), confidence=0.9, **kw)

    q = quad(10, 20, 60, 30)  # in the upright image of a 100 × 200 (w × h) page turned 90° clockwise
    word = node(Word, q)
    page = Page(index=0, width=200, height=100, rotation=0,
                blocks=[node(Block, q, lines=[node(Line, q, words=[word])])])
    back = turned_back(page, 90, 100, 200)
    assert (back.width, back.height, back.rotation) == (100, 200, 90)
    got = back.blocks[0].lines[0].words[0]
    assert np.allclose(got.quad, back_points(q, 90, 100, 200))
    assert got.box == (70, 10, 80, 60)  # x = 100 − y, y = x
    assert back.blocks[0].box == got.box and back.blocks[0].lines[0].box == got.box


def test_light_text_on_a_dark_ground_is_told_from_its_levels():
    page = np.full((200, 300, 3), 245, np.uint8)
    page[50:60, 20:280] = 30
    assert not light_on_dark(page)
    assert light_on_dark(255 - page)
    assert not light_on_dark(np.full((200, 300), 40, np.uint8))  # dark, but nothing light on it


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR

    return OCR(threads=2)


@pytest.fixture(scope="module")
def page():
    """The top half of the Traditional Chinese sample."""
    image = Image.open(SAMPLES / "zh_hant.jpg").convert("RGB")
    return image.crop((0, 0, image.width, image.height // 2))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_reads_as_the_upright_page_and_its_words_stay_in_place(ocr, page, rotation):
    upright = ocr.read(page).pages[0]
    turned = ocr.read(page.rotate(-rotation, expand=True)).pages[0]
    assert turned.rotation == rotation
    assert (turned.width, turned.height) == ((page.height, page.width) if rotation % 180 else page.size)
    assert ned(turned.text, upright.text) < 0.005  # the same text: the same upright pixels are read
    # the first line's box, turned as the image was, is where the upright reading put it
    first = np.asarray(upright.lines[0].quad, np.float64)
    w, h = page.size
    x, y = first[:, 0], first[:, 1]
    expected = {90: (h - y, x), 180: (w - x, h - y), 270: (y, w - x)}[rotation]
    expected = np.stack(expected, axis=1)
    box = np.asarray(turned.lines[0].box)
    assert np.allclose(box, [*expected.min(0), *expected.max(0)], atol=6)


@pytest.mark.parametrize(("setting", "change", "worse"), [
    ("turn_pages", lambda im: im.rotate(-90, expand=True), 0.05),
    ("invert_dark", lambda im: __import__("PIL.ImageOps").ImageOps.invert(im), 0.03),
])
def test_turned_and_inverted_pages_read_as_the_page_and_worse_without_the_fix(ocr, page, setting, change, worse):
    upright = ocr.read(page).text
    assert ned(ocr.read(change(page)).text, upright) < 0.005
    ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, setting: False})
    try:
        assert ned(ocr.read(change(page)).text, upright) > worse
    finally:
        ocr.pipeline.cfg = type(ocr.pipeline.cfg)(**{**ocr.pipeline.cfg.__dict__, setting: True})


def probe_lines(truths: list[int]) -> np.ndarray:
    """A quad per line whose content is turned ``truth`` degrees clockwise, given reading backwards (as a
    detector wrong by 180° gives it): only reading tells the turn."""
    base = quad(0, 0, 120, 10)
    out = []
    for k, truth in enumerate(truths):
        turned = {0: base, 90: base[:, ::-1] * [-1, 1], 180: -base, 270: base[:, ::-1] * [1, -1]}[truth]
        out.append(turned[[2, 3, 0, 1]] + [400 + 20 * k, 400])
    return np.stack(out)


@pytest.mark.parametrize(("truths", "expected"), [
    ([0] * 6 + [90] * 2, 0),     # a turned block among upright ones: left to each block's check
    ([90] * 8, 90),
    ([270] * 7 + [0], 270),
    ([180] * 6 + [0] * 2, 180),
    ([90] * 5 + [0] * 3, 0),     # no clear majority
])
def test_the_page_turns_when_most_probe_lines_read_surest_turned_one_way(checkpoint, truths, expected):
    from polyocr import OCR
    from polyocr.infer.pipeline import _Probe
    from polyocr.model.ctc import DecodedLine

    pipeline = OCR(checkpoint).pipeline
    quads = probe_lines(truths)

    def read(image, quads, vertical):  # sure of a line read the way its content is turned, noise otherwise
        out = []
        for q, v in zip(quads, vertical, strict=True):
            k = int(np.argmin(np.abs(probe_lines(truths)[:, :, 0].mean(1) - q[:, 0].mean())))
            sure = content_rotation(q[None], np.array([v])) == truths[k] and not v
            conf = [0.99] * 10 if sure else [0.3] * 10
            out.append((DecodedLine("x" * 10, float(np.mean(conf)), conf, [(i, i + 1) for i in range(10)]), 100))
        return out

    pipeline._read = read
    reads = [r for r, _ in read(None, quads, np.zeros(len(quads), bool))]
    probe = _Probe(quads, np.zeros(len(quads), bool), reads, upright=False, down=running_down(quads))
    assert pipeline._page_turn(None, probe) == expected
    if expected % 180:  # lines that lie across the page are not turned a quarter, whatever reads surest
        lying = _Probe(quads, np.zeros(len(quads), bool), reads, upright=False, down=0.5)
        assert pipeline._page_turn(None, lying) == 0


def test_light_lines_on_dark_bars_are_inverted_and_dark_lines_kept():
    import torch

    from polyocr.infer.polarity import dark_on_light

    rng = np.random.default_rng(0)
    ink = torch.from_numpy(rng.random((32, 400)) < 0.15)

    def crop(ground, text):
        grey = torch.where(ink, torch.tensor(text), torch.tensor(ground)).float()
        return grey.expand(3, -1, -1).clone()

    dark, light, blue, flat = crop(0.95, 0.05), crop(0.05, 0.95), crop(0.25, 1.0), torch.full((3, 32, 400), 0.4)
    out = dark_on_light([dark, light, blue, flat])
    assert torch.equal(out[0], dark) and torch.equal(out[3], flat)
    assert torch.allclose(out[1], 1.0 - light) and torch.allclose(out[2], 1.0 - blue)
