"""A form's empty boxes read as text are left out, a button frame's sides are taken off its words; text,
ticked boxes, rings and a true ``|`` are kept."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from polyocr.infer.boxes import boxed, drawn_boxes, without_chars
from polyocr.infer.pipeline import _without_drawn_boxes
from polyocr.model.ctc import DecodedLine

FONT = ImageFont.load_default(size=22)


def canvas(h: int, w: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (w, h), 255)
    return image, ImageDraw.Draw(image)


def marks(image: Image.Image, line: float = 26.0) -> tuple[int, int, float, np.ndarray]:
    """drawn_boxes over the whole image, the line's text in its middle half: empty boxes, other marks,
    the smallest box's height, the frames' sides."""
    h = image.height
    others, boxes, sides, _ = drawn_boxes(np.ascontiguousarray(np.asarray(image) < 166), h // 4, 3 * h // 4, line, 5)
    return len(boxes), others, float(boxes[:, 2].min()) if len(boxes) else np.inf, sides[:, :2]


def boxes_row(draw: ImageDraw.ImageDraw, x: int, y: int, n: int, size: int = 22, grey: int = 128) -> None:
    for k in range(n):
        draw.rectangle((x + k * (size + 4), y, x + k * (size + 4) + size, y + size), outline=grey, width=2)


def test_a_row_of_empty_boxes_is_nothing_but_boxes():
    image, draw = canvas(52, 200)
    boxes_row(draw, 10, 14, 5)                          # grey, as forms draw them
    draw.rectangle((2, 8, 400, 44), outline=0, width=1)   # the field's frame around them, cut by the crop
    draw.line((0, 0, 0, 51), fill=0, width=4)             # a section's thick border
    boxes, others, smallest, frames = marks(image)
    assert (boxes, others) == (5, 0) and smallest == 23 and frames[:, 0].tolist() == [0]  # the field frame's side


def test_ticked_boxes_rings_and_letters_are_not_empty_boxes():
    image, draw = canvas(52, 200)
    boxes_row(draw, 10, 14, 3)
    draw.line((36, 16, 56, 34), fill=0, width=3)          # the second box ticked
    assert marks(image)[:2] == (2, 1)
    image, draw = canvas(52, 200)
    for x in (10, 40, 70):
        draw.ellipse((x, 14, x + 22, 36), outline=0, width=2)
    assert marks(image)[:2] == (0, 3)
    image, draw = canvas(52, 200)
    draw.text((10, 12), "Hello", font=FONT, fill=0)
    boxes, others, _, _ = marks(image)
    assert boxes == 0 and others >= 4


def test_a_frame_around_words_is_found_with_its_sides():
    image, draw = canvas(52, 220)
    draw.rectangle((10, 8, 190, 44), outline=0, width=1, fill=192)   # a button, filled light grey
    draw.text((24, 14), "Delete", font=FONT, fill=0)
    boxes, others, _, frames = marks(image)
    assert boxes == 0 and others >= 5 and frames.tolist() == [[10, 16], [185, 191]]  # sides 15 % of its height
    image, draw = canvas(52, 220)
    draw.rectangle((10, 8, 400, 44), outline=0, width=1)    # a field's frame going on past the crop
    draw.text((24, 14), "Alice", font=FONT, fill=0)
    assert marks(image)[3].tolist() == [[10, 16]]
    image, draw = canvas(52, 220)
    draw.text((24, 10), "Typing", font=FONT, fill=0)
    draw.line((20, 36, 200, 36), fill=0, width=2)           # underlined, descenders on the line: no side
    assert not len(marks(image)[3])


def _line(text: str, ends: list[tuple[float, float]]) -> DecodedLine:
    return DecodedLine(text=text, confidence=0.9, char_conf=[0.9] * len(text), spans=ends)


def test_boxed_lines_on_a_page_and_what_the_pipeline_makes_of_them():
    image, draw = canvas(200, 400)
    boxes_row(draw, 40, 30, 5)                                            # line 0: five empty boxes
    draw.rectangle((40, 100, 200, 136), outline=0, width=1, fill=192)    # line 1: a button
    draw.text((60, 106), "Delete", font=FONT, fill=0)
    draw.text((40, 160), "a | b", font=FONT, fill=0)                     # line 2: a true bar, no frame
    rgb = np.asarray(image.convert("RGB"))
    quads = np.array([[[38, 28], [172, 28], [172, 54], [38, 54]],
                      [[42, 104], [198, 104], [198, 132], [42, 132]],
                      [[38, 158], [110, 158], [110, 186], [38, 186]]], np.float32)
    texts = ["디디 디다", "|Delete|", "a | b"]
    n1 = len(texts[1])  # the bar at each end on the frame's sides, the word between
    spans1 = [(0.0, 0.02)] + [(0.1 + 0.1 * k, 0.15 + 0.1 * k) for k in range(n1 - 2)] + [(0.98, 1.0)]
    spans = [np.array([(k / 5, (k + 1) / 5) for k in range(5)]), np.array(spans1),
             np.array([(k / 5, (k + 1) / 5) for k in range(5)])]
    empty, edges = boxed(rgb, quads, np.zeros(3, bool), texts, spans)
    assert empty == [0] and edges == {1: [0, n1 - 1]}
    lines = [(_line(t, [tuple(s) for s in (sp * 100).tolist()]), 100) for t, sp in zip(texts, spans, strict=True)]
    out = _without_drawn_boxes(rgb, quads, np.zeros(3, bool), lines, 24, 255.0)
    assert [line.text for line, _ in out] == ["", "Delete", "a | b"]
    assert len(out[1][0].spans) == len(out[1][0].char_conf) == 6


def test_without_chars_leaves_no_space_at_the_ends_or_doubled():
    line = _line("|Delete || View|", [(k, k + 1) for k in range(16)])
    out = without_chars(line, [0, 8, 9, 15])
    assert out.text == "Delete View" and out.spans[0] == (1, 2) and len(out.char_conf) == 11
    assert without_chars(_line("||", [(0, 1), (1, 2)]), [0, 1]).text == ""


def test_a_box_before_a_word_goes_and_a_letter_beside_a_frame_stays():
    image, draw = canvas(120, 400)
    draw.rectangle((40, 20, 62, 42), outline=0, width=3)                 # line 0: a check box, then its word
    draw.text((72, 20), "Other", font=FONT, fill=0)
    draw.rectangle((40, 70, 300, 106), outline=0, width=1)               # line 1: a cell's frame, "If" close to it
    draw.text((44, 76), "If so", font=FONT, fill=0)
    rgb = np.asarray(image.convert("RGB"))
    quads = np.array([[[38, 16], [140, 16], [140, 46], [38, 46]],
                      [[42, 72], [298, 72], [298, 104], [42, 104]]], np.float32)
    texts = ["■Other", "If so"]
    spans = [np.array([(0.1, 0.14)] + [(0.35 + 0.12 * k, 0.4 + 0.12 * k) for k in range(5)]),
             np.array([(0.01, 0.02), (0.04, 0.05), (0.08, 0.09), (0.1, 0.11), (0.13, 0.14)])]
    empty, edges = boxed(rgb, quads, np.zeros(2, bool), texts, spans)
    assert empty == [] and edges == {0: [0]}


def test_what_may_have_been_read_on_a_frame_side_or_a_box():
    from polyocr.infer.boxes import _box_candidates, _edge_candidates

    assert _edge_candidates("|Delete ||") == [0, 8, 9]
    assert _edge_candidates("Instead 1,633 Hello") == []   # a letter or digit inside a word is the word's
    assert _edge_candidates("I said [") == [0, 7]
    assert _box_candidates("■Other □ Yes O No 口号 Over") == [0, 7, 13]  # never 口, nor a word's O


def test_a_bar_read_on_a_long_vertical_rule_goes_and_a_typed_bar_stays():
    image, draw = canvas(200, 400)
    draw.line((40, 0, 40, 199), fill=120, width=2)          # a code block's border, far taller than the line
    draw.text((44, 80), "logger", font=FONT, fill=0)
    draw.text((200, 80), "a | b", font=FONT, fill=0)
    rgb = np.asarray(image.convert("RGB"))
    quads = np.array([[[38, 76], [110, 76], [110, 104], [38, 104]],
                      [[198, 76], [260, 76], [260, 104], [198, 104]]], np.float32)
    spans = [np.array([(0.02, 0.05)] + [(0.12 + 0.14 * k, 0.16 + 0.14 * k) for k in range(6)]),
             np.array([(0.05, 0.1), (0.2, 0.25), (0.38, 0.45), (0.55, 0.6), (0.75, 0.85)])]
    empty, edges = boxed(rgb, quads, np.zeros(2, bool), ["|logger", "a | b"], spans)
    assert empty == [] and edges == {0: [0]}


def test_a_bar_read_on_a_pale_border_goes_and_dark_bars_of_a_typed_table_stay():
    image, draw = canvas(200, 400)
    draw.line((40, 60, 40, 130), fill=175, width=1)         # a code block's pale border: 2.5 lines long
    draw.text((46, 80), "logger", font=FONT, fill=40)
    for y in (40, 68, 96, 124):                              # an ASCII table: a bar a line, a gap between
        draw.line((220, y, 220, y + 24), fill=40, width=2)
    draw.text((228, 80), "a b", font=FONT, fill=40)
    rgb = np.asarray(image.convert("RGB"))
    quads = np.array([[[38, 78], [112, 78], [112, 106], [38, 106]],
                      [[216, 78], [270, 78], [270, 106], [216, 106]]], np.float32)
    spans = [np.array([(0.02, 0.05)] + [(0.14 + 0.14 * k, 0.18 + 0.14 * k) for k in range(6)]),
             np.array([(0.05, 0.1), (0.25, 0.3), (0.45, 0.5), (0.65, 0.7)])]
    empty, edges = boxed(rgb, quads, np.zeros(2, bool), ["|logger", "| a b"], spans)
    assert empty == [] and edges == {0: [0]}
