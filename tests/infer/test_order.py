"""The geometric reading order (XY-cut): columns, tables, forms, vertical CJK, rotated pages."""

from __future__ import annotations

import numpy as np

from polyocr.infer.order import heuristic_order, page_rotation


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A horizontal line's quad, start-top corner first."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def order_of(quads, vertical=None, rotation=0):
    q = np.array(quads, np.float64)
    v = np.zeros(len(q), bool) if vertical is None else np.asarray(vertical, bool)
    return heuristic_order(q, v, rotation)


def test_two_text_columns_under_a_spanning_heading_read_column_by_column():
    """Baselines shared by both columns and a paragraph break at the same height in both must not
    make the columns read across, line by line."""
    heading = [box(50, 50, 950, 90)]
    left, right = [], []
    for k in range(8):
        y = 140 + 24 * k + (16 if k >= 4 else 0)  # a paragraph gap after the fourth line, in both columns
        left.append(box(50, y, 470 - (60 if k in (3, 7) else 0), y + 20))
        right.append(box(520, y, 950 - (80 if k == 7 else 0), y + 20))
    order, para = order_of(heading + left + right)
    assert order == list(range(17))
    assert para[0] != para[1] and para[1] == para[2] and para[4] != para[5]


def test_table_and_form_rows_read_across():
    cells = []
    for r in range(4):  # short cells, rows clearly apart
        y = 100 + 40 * r
        cells += [box(50, y, 110, y + 18), box(300, y, 340, y + 18), box(500, y, 580, y + 18)]
    assert order_of(cells)[0] == list(range(12))
    form = []
    for r in range(5):  # "label: value", a field per row
        y = 100 + 36 * r
        form += [box(50, y, 150, y + 20), box(400, y, 520 + 10 * r, y + 20)]
    assert order_of(form)[0] == list(range(10))


def test_form_rows_set_so_tight_that_their_boxes_touch_still_read_across():
    """Label and value pairs 17 px apart in 15-px-thick boxes, the values 3 px lower than their labels
    (a slight tilt): no gap runs across the whole form, but the lines' cores leave one between rows."""
    form = []
    for r, (label, value) in enumerate([(200, 90), (120, 40), (160, 70), (90, 60)]):  # ragged, as fields are
        y = 100 + 17 * r
        form += [box(50, y, 50 + label, y + 15), box(430, y + 3, 430 + value, y + 18)]
    assert order_of(form)[0] == list(range(8))
    # a table row whose cells wrap to different numbers of lines is no form: cell by cell, as before
    row = [box(50, 100, 200, 115), box(300, 103, 400, 118), box(500, 100, 560, 115),
           box(50, 117, 180, 132), box(300, 120, 380, 135)]
    assert order_of(row)[0] == [0, 3, 1, 4, 2]


def test_a_table_row_whose_cells_wrap_is_read_cell_by_cell():
    """Rows clearly apart; in the first row the first and last cells wrap onto a second line, closer than
    the rows are: each cell's lines are read together, then the next cell."""
    rows = [box(50, 100, 150, 118), box(300, 100, 360, 118), box(500, 100, 600, 118),
            box(50, 122, 130, 140), box(500, 122, 580, 140)]
    rows += [box(50, 170, 140, 188), box(300, 170, 350, 188), box(500, 170, 590, 188)]
    assert order_of(rows)[0] == [0, 3, 1, 2, 4, 5, 6, 7]


def test_a_form_row_without_its_value_and_a_contents_entry_across_two_cells_stay_rows():
    """Rows set as close as a wrapped cell's lines would be, but evenly: a label whose value is missing is
    the next row, not the wrap of the label above; so is a line that spans both columns."""
    heading = [box(50, 20, 460, 44)]
    rows = []
    for r in range(6):
        y = 100 + 30 * r
        if r == 3:
            rows.append(box(50, y, 460, y + 22))  # one line across both columns
            continue
        rows.append(box(50, y, 200, y + 22))
        if r != 2:  # row 2 has no value
            rows.append(box(400, y, 460, y + 22))
    assert order_of(heading + rows)[0] == list(range(len(rows) + 1))


def test_columns_with_a_narrow_gutter_read_one_after_the_other():
    """CJK set solid in two columns whose gutter is narrower than a line is thick (0.6 of it)."""
    left = [box(40, 100 + 30 * k, 380, 124 + 30 * k) for k in range(8)]
    right = [box(395, 100 + 30 * k, 740, 124 + 30 * k) for k in range(8)]
    assert order_of(left + right)[0] == list(range(16))


def test_columns_whose_gutter_a_few_lines_poke_into_read_one_after_the_other():
    """A degraded scan of CJK set solid: the gutter is 0.25 of a line, and two lines reach into it (a mark
    joined to a right-column line's start, a left-column line run long), so no whitespace runs from top
    to bottom; the right column's common left edge still shows it."""
    left = [box(74, 180 + 28 * k, 318, 200 + 28 * k) for k in range(12)]
    right = [box(374, 184 + 28 * k, 650, 204 + 28 * k) for k in range(12)]
    right[1] = box(354, 212, 650, 232)
    left[9] = box(74, 432, 359, 452)
    assert order_of(left + right)[0] == list(range(24))


def test_a_list_with_hanging_indents_is_no_pair_of_columns():
    """Entries whose first line starts at the margin and whose wrapped lines start one indent in: the
    indent is a common left edge, but the first lines cross it all the way."""
    quads = []
    for k in range(4):
        y = 100 + 90 * k
        quads += [box(80, y, 900, y + 20), box(130, y + 26, 880, y + 46), box(130, y + 52, 600, y + 72)]
    assert order_of(quads)[0] == list(range(12))


def test_a_speck_at_an_angle_of_its_own_does_not_join_a_forms_rows():
    """A mark the detector read as a short line at a steep angle, between two of a form's rows: its
    upright box reaches across both, yet the rows still read label, value, label, value, and the speck
    comes after the line it lies nearest."""
    quads = []
    for k in range(4):  # rows set so tight that their boxes touch
        y = 100 + 24 * k
        quads += [box(40, y, 220, y + 24), box(300, y + 2, 380, y + 22)]
    c, s = np.cos(np.radians(65)), np.sin(np.radians(65))
    along, across = np.array([c, s]) * 26, np.array([-s, c]) * 13
    start = np.array([232.0, 118.0])
    quads.append([start.tolist(), (start + along).tolist(), (start + along + across).tolist(), (start + across).tolist()])
    order, _ = order_of(quads)
    assert [i for i in order if i != 8] == list(range(8))
    assert order.index(8) == order.index(2) + 1


def test_a_value_at_an_angle_goes_after_its_own_label_not_after_the_value_above():
    """Commands after what they do, rows set tight; the last value was detected as a short quad at a steep
    angle (a speck). Its centre lies nearer the value above than its own long label's centre, yet it
    belongs to its row: it comes right after its label."""
    quads = []
    for k in range(3):
        y = 100 + 21 * k
        quads.append(box(40, y, 500, y + 18))
        if k < 2:
            quads.append(box(506, y + 1, 534, y + 17))  # a space after its label: no column gap
    c, s = np.cos(np.radians(65)), np.sin(np.radians(65))
    along, across = np.array([c, s]) * 22, np.array([-s, c]) * 11
    start = np.array([518.0, 143.0])  # inside the third row, under the second value
    quads.append([start.tolist(), (start + along).tolist(), (start + along + across).tolist(), (start + across).tolist()])
    order, _ = order_of(quads)
    assert order == [0, 1, 2, 3, 4, 5]


def test_lines_side_by_side_without_a_column_gap_read_left_to_right():
    """A row the detector split at narrow gaps (a code line's words), under and over other lines: its
    pieces read left to right even where a piece further right sits a pixel higher."""
    quads = [box(100, 400, 540, 418),
             box(190, 422, 380, 440), box(384, 423, 406, 440), box(410, 421, 504, 440),
             box(100, 444, 480, 462)]
    assert order_of(quads)[0] == [0, 1, 2, 3, 4]


def turned_block(x: float, y: float, angle: float, lines: int = 3, length: float = 240.0) -> list:
    """Quads of a block of ``lines`` lines turned ``angle`` degrees about its start-top corner (x, y)."""
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    turn = np.array([[c, -s], [s, c]])
    out = []
    for k in range(lines):
        pts = np.array(box(0, 30 * k, length, 30 * k + 22), np.float64) @ turn.T + [x, y]
        out.append(pts.tolist())
    return out


def test_blocks_turned_every_way_read_down_the_image_each_in_its_own_frame():
    """A page with no main direction (stickers, labels): a block turned a quarter at the top left, one
    tilted at the top right whose top is level with it, another turned a quarter lower down. The quarter
    turns carry most of the text, so the page seems turned; still the blocks are read top to bottom as
    the image stands (a quarter-turned block says nothing of which side is the page's top), level ones
    left to right, and each block's lines in its own frame."""
    left = turned_block(200, 400, -90)  # reads bottom to top; its first line is the leftmost
    tilted = turned_block(500, 150, 25, length=300)
    low = turned_block(350, 650, -90)
    q = np.array(left + tilted + low, np.float64)
    vertical = np.zeros(len(q), bool)
    rotation = page_rotation(q, vertical)
    assert rotation == 270
    order, _ = heuristic_order(q, vertical, rotation)
    assert order == list(range(9))


def test_a_table_whose_rows_are_set_apart_is_no_scattered_scene():
    """A table whose cell padding sets its rows more than a line apart: no line sits right under another,
    yet its columns' common left edges show a table, read row by row with a wrapped cell whole."""
    quads, y = [], 100
    for k in range(5):
        row = [box(50, y, 220, y + 20), box(300, y, 520, y + 20), box(600, y, 700, y + 20)]
        if k == 2:  # the first cell wraps onto a second line
            row.insert(1, box(50, y + 24, 160, y + 44))
            y += 24
        quads += row
        y += 50
    assert order_of(quads)[0] == list(range(16))


def test_a_short_word_at_an_angle_in_a_scene_keeps_its_place_in_its_row():
    """Scattered words (a scene) read in rows: a two-letter word at an angle of its own is a word of its
    row like the others, not a speck to put beside its neighbour."""
    c, s = np.cos(np.radians(40)), np.sin(np.radians(40))
    start, along, across = np.array([430.0, 100.0]), np.array([c, s]) * 40, np.array([-s, c]) * 20
    short = [start.tolist(), (start + along).tolist(), (start + along + across).tolist(), (start + across).tolist()]
    quads = [box(50, 100, 200, 130), box(500, 105, 650, 135), short, box(100, 400, 300, 430), box(450, 420, 600, 450)]
    assert order_of(quads)[0] == [0, 2, 1, 3, 4]


def test_vertical_columns_read_right_to_left():
    cols = [[[x + 20, 100], [x + 20, 600], [x, 600], [x, 100]] for x in (900, 860, 820, 780)]
    quads = [[(p[0], p[1]) for p in c] for c in cols]
    # start-top corner first for a top-to-bottom column: top-right, bottom-right, bottom-left, top-left
    assert order_of(quads, vertical=[True] * 4)[0] == [0, 1, 2, 3]


def test_a_page_upside_down_reads_from_its_own_top():
    lines = [box(50, 100 + 30 * k, 600, 120 + 30 * k) for k in range(5)]
    turned = [[[1000 - x, 1000 - y] for x, y in q] for q in lines]  # rotated 180°: start corner bottom-right
    quads = np.array(turned, np.float64)
    rotation = page_rotation(quads, np.zeros(5, bool))
    assert rotation == 180
    assert heuristic_order(quads, np.zeros(5, bool), rotation)[0] == [0, 1, 2, 3, 4]
    assert page_rotation(np.array(lines, np.float64), np.zeros(5, bool)) == 0


def turned(quad, degrees: float, centre=(0.0, 0.0), at=(0.0, 0.0)):
    t = np.radians(degrees)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return ((np.array(quad, np.float64) - centre) @ rot.T + at).tolist()


def test_blocks_turned_away_from_the_page_read_along_their_own_axis():
    """A paragraph on the page, then a block turned 35° below it and one turned 90° beside it: each block
    is read as a unit, its lines in their own top-to-bottom order."""
    page = [box(60, 60 + 30 * k, 560, 80 + 30 * k) for k in range(3)]
    tilted = [turned(box(0, 30 * k, 320, 30 * k + 20), 35, (160, 45), (300, 600)) for k in range(4)]
    sideways = [turned(box(0, 30 * k, 260, 30 * k + 20), 90, (130, 30), (850, 300)) for k in range(3)]
    order, para = order_of(page + tilted + sideways)
    assert order[:3] == [0, 1, 2]
    assert order[3:] in ([3, 4, 5, 6, 7, 8, 9], [7, 8, 9, 3, 4, 5, 6])  # blocks as units, each in its own order
    assert len({para[i] for i in (3, 4, 5, 6)}) == 1 and para[3] != para[7] and para[0] != para[3]


def test_turned_blocks_keep_their_own_order_where_they_carry_more_text_than_the_upright_lines():
    """Two blocks turned a quarter (reading down, so their first line is the rightmost) with more text
    than the page's two short upright lines: each block's lines still read in the block's own order."""
    upright_lines = [box(60, 60, 200, 80), box(60, 90, 180, 110)]
    first = [turned(box(0, 30 * k, 400, 30 * k + 20), 90, (200, 45), (300, 500)) for k in range(3)]
    second = [turned(box(0, 30 * k, 400, 30 * k + 20), 90, (200, 45), (700, 500)) for k in range(3)]
    order, _ = order_of(upright_lines + first + second)
    position = {i: order.index(i) for i in range(8)}
    assert position[2] < position[3] < position[4] and position[5] < position[6] < position[7]
    assert all(abs(position[k + 1] - position[k]) == 1 for k in (2, 3, 5, 6))  # each block read as a unit


def test_scattered_words_read_in_rows_top_to_bottom_then_left_to_right():
    """Words set anywhere, at sizes of their own (a scene, a poster): no paragraph, column or table to cut
    along, so they read in rows; the XY-cut would read the left ones first, down the page."""
    words = [box(50, 100, 250, 160), box(50, 150, 250, 180), box(500, 120, 650, 150), box(500, 200, 650, 230)]
    assert order_of(words)[0] == [0, 2, 1, 3]
    stacked = [box(50, 100, 250, 130), box(50, 140, 250, 170), box(500, 100, 650, 130), box(500, 140, 650, 170)]
    assert order_of(stacked)[0] == [0, 1, 2, 3]  # lines set one under the other: the XY-cut's columns, as before


def test_columns_leaning_on_a_photographed_page_read_one_after_the_other():
    """Level lines whose columns lean (a page photographed at an angle): the left edges drift 5 px a
    line, so the columns' projections overlap and only a cut along their lean finds the gutter."""
    left = [box(100 - 5 * k, 100 + 26 * k, 420 - 5 * k, 120 + 26 * k) for k in range(12)]
    right = [box(445 - 5 * k, 100 + 26 * k, 765 - 5 * k, 120 + 26 * k) for k in range(12)]
    assert order_of(left + right)[0] == list(range(24))
    # the same page upright keeps its reading (no lean is found where there is none)
    left = [box(100, 100 + 26 * k, 420, 120 + 26 * k) for k in range(12)]
    right = [box(445, 100 + 26 * k, 765, 120 + 26 * k) for k in range(12)]
    assert order_of(left + right)[0] == list(range(24))
