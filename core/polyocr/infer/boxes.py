"""Boxes and frames a page draws, read as text: rows of empty boxes left out, the marks read on a box
or on a frame's side taken off the words beside them.

Forms draw empty boxes (check boxes, a cell for each character of a field) and frames around words
(buttons, boxed keys, one-row table cells); documentation sets code in pale-bordered blocks. The
detector sees a line in a row of boxes and the recognizer reads each box as the square letter it looks
most like (``디디 디다`` for five check boxes on an English form, ``口口``, ``OO`` from Tesseract), a box
before a word as a mark (``■Other``), a frame's side or a border beside a line as ``|`` or ``[``
(``|Delete Attachments || View``, ``|logger``). The ink tells them from text, not the reading: a box or a
frame is one connected stroke along the sides of a rectangle; a box is about square and holds no ink,
a frame is wider than the line is tall and holds the line's characters; a rule or a pale border runs on
longer than any glyph. A mark is taken off only where the ink at its place is the drawing's alone. A
letter is never a rectangle's four sides with nothing in it but ``口``-like shapes, so a line is left out
only when every mark of its ink is an empty box (a line of ``口`` alone on a page reads as boxes too: an
accepted loss), and ``口`` before a word is never taken for a box.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polyocr.infer.components import BOTTOM, LEFT, PIXELS, RIGHT, TOP, label_components
from polyocr.infer.marks import grey_sample
from polyocr.model.ctc import DecodedLine

SIDES = 0.8
"""The share of each side of a rectangle's box that its stroke must run along (within a band of 15 % of
the box's smaller side): a ring (``O``) covers ~70 % of its box's sides; rounded corners take less than
20 % off a check box's."""

SQUARE = 1.5
"""The most an empty box is wider than tall, or taller than wide (a form's character cells are not square)."""

HOLLOW = 0.7
"""The most of its box a box's or a frame's stroke covers: a square's sides 23 % of its width thick (a
small bold check box, blurred), never a solid block."""

EMPTY = 0.02
"""The most ink inside an empty box (its middle, a quarter of its side in from each side): specks."""

EDGE_MARKS = frozenset("|[]()Il1!｜丨")
"""What a frame's side is read as."""

MARGIN = (1.0, 0.5)
"""How far beside and above/below a line's box its ink is looked at, in box heights: a frame or a row of
boxes reaches past the line the detector drew, which is the text's."""

INK = 0.35
"""Ink is what is darker than this share of the way from the page's paper to the darkest pixel about the
line: forms draw their boxes in grey (half way), and fill their buttons in a lighter grey."""

FAINT = 25
"""Grey levels below the paper's that a pale border's stroke is darker than (a code block's, a card's):
too pale to be ink beside the text, dark enough for the recognizer to read it as ``|``."""

RULE = 0.2
"""Strokes at most this thick (in line thicknesses, and 2 px) and half as long again as the line is thick
are rules: a field's underline, its frame's sides, a table's or a section's border."""


@njit(cache=True, nogil=True)
def _rectangle(label: np.ndarray, k: int, t: int, lft: int, b: int, r: int) -> bool:
    """Whether component ``k`` runs along all four sides of its box (t, lft, b, r inclusive)."""
    hh, ww = b - t + 1, r - lft + 1
    depth = max(2, int(round(0.15 * min(hh, ww))))
    if 2 * depth >= min(hh, ww):
        return False
    top = bottom = 0
    for x in range(lft, r + 1):
        for y in range(t, t + depth):
            if label[y, x] == k:
                top += 1
                break
        for y in range(b, b - depth, -1):
            if label[y, x] == k:
                bottom += 1
                break
    left = right = 0
    for y in range(t, b + 1):
        for x in range(lft, lft + depth):
            if label[y, x] == k:
                left += 1
                break
        for x in range(r, r - depth, -1):
            if label[y, x] == k:
                right += 1
                break
    return min(top, bottom) >= SIDES * ww and min(left, right) >= SIDES * hh


@njit(cache=True, nogil=True)
def _ink_inside(label: np.ndarray, t: int, lft: int, b: int, r: int, inset: int) -> tuple[int, int]:
    """Ink pixels (any component's) and all pixels of the box (t, lft, b, r) ``inset`` pixels in from each side."""
    ink = 0
    for y in range(t + inset, b - inset + 1):
        for x in range(lft + inset, r - inset + 1):
            if label[y, x]:
                ink += 1
    return ink, max(b - t + 1 - 2 * inset, 0) * max(r - lft + 1 - 2 * inset, 0)


@njit(cache=True, nogil=True)
def _rows_inked(label: np.ndarray, k: int, t: int, b: int, x0: int, x1: int) -> int:
    """Rows ``t``..``b`` in which component ``k`` has a pixel between columns ``x0`` and ``x1`` (exclusive)."""
    n = 0
    for y in range(t, b + 1):
        for x in range(x0, x1):
            if label[y, x] == k:
                n += 1
                break
    return n


@njit(cache=True, nogil=True)
def _holds(stats: np.ndarray, k: int, side: int) -> bool:
    """Whether another component's middle lies inside component ``k``'s box, ``side`` pixels in from its
    left and right."""
    t, lft, b, r = stats[k, TOP], stats[k, LEFT], stats[k, BOTTOM], stats[k, RIGHT]
    for j in range(stats.shape[0]):
        cy, cx = (stats[j, TOP] + stats[j, BOTTOM]) / 2.0, (stats[j, LEFT] + stats[j, RIGHT]) / 2.0
        if j != k and t < cy < b and lft + side < cx < r - side:
            return True
    return False


@njit(cache=True, nogil=True)
def drawn_boxes(ink: np.ndarray, band_top: int, band_bottom: int, line: float, rule: int
                ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The drawings among the ink of a line's crop (H, W bool; the line's text between rows ``band_top``
    and ``band_bottom``, ``line`` pixels thick): how many marks that are not empty boxes cross that band
    (rules, specks of two pixels and strokes around other marks, such as a field's frame around its
    boxes, are not counted), the empty boxes, (B, 4) rows of left and right crop column, height and
    label, the sides of frames (strokes around other marks, wider than the line is tall and about as
    tall: each of their sides that runs down the whole of them) and vertical rules (a code block's or a
    table's border beside the line), rows (left, right, label) of crop columns, (F, 3), and the crop's
    labels (``components.label_components``)."""
    label, stats = label_components(ink)
    n = stats.shape[0]
    others = 0
    boxes = np.empty((n, 4), np.int32)
    sides = np.empty((2 * n, 3), np.int32)
    nb = ns = 0
    for k in range(n):
        t, lft, b, r, pixels = stats[k, TOP], stats[k, LEFT], stats[k, BOTTOM], stats[k, RIGHT], stats[k, PIXELS]
        hh, ww = b - t + 1, r - lft + 1
        if pixels <= 2 or b < band_top or t > band_bottom:
            continue
        if min(hh, ww) <= rule and max(hh, ww) >= 1.5 * line:  # a rule; a vertical one is a side of what it bounds
            if hh > ww:
                sides[ns, 0], sides[ns, 1], sides[ns, 2] = lft, r + 1, k + 1
                ns += 1
            continue
        hollow = pixels <= HOLLOW * hh * ww
        if hollow and max(hh, ww) <= SQUARE * min(hh, ww) and _rectangle(label, k + 1, t, lft, b, r):
            inside, area = _ink_inside(label, t, lft, b, r, max(2, int(round(0.25 * min(hh, ww)))))
            if area > 0 and inside <= EMPTY * area:
                boxes[nb, 0], boxes[nb, 1], boxes[nb, 2], boxes[nb, 3] = lft, r + 1, hh, k + 1
                nb += 1
                continue
        side = max(2, int(round(0.15 * min(hh, ww))))
        if not (hollow and _holds(stats, k, side)):
            others += 1
        elif ww >= 1.5 * line and hh >= 0.7 * line:
            # a frame's side is a stroke down the whole of its box (a frame wider than the crop shows one)
            for j in range(2):
                x0 = lft if j == 0 else r + 1 - side
                if _rows_inked(label, k + 1, t, b, x0, x0 + side) >= SIDES * hh:
                    sides[ns, 0], sides[ns, 1], sides[ns, 2] = x0, x0 + side, k + 1
                    ns += 1
    return others, boxes[:nb].copy(), sides[:ns].copy(), label


def _box_candidates(text: str) -> list[int]:
    """Where an empty box before a word may have been read: a mark at the start of a word (``■Other``,
    ``□ Yes``), or a word of one ``O``, ``0`` or ``D`` (never a letter of a longer word, nor ``口``)."""
    n = len(text)
    return [k for k, ch in enumerate(text) if (k == 0 or text[k - 1] == " ") and ch != " "
            and (not ch.isalnum() or ch in "OoD0" and (k == n - 1 or text[k + 1] == " "))]


def _edge_candidates(text: str) -> list[int]:
    """Where a frame's side may have been read: an :data:`EDGE_MARKS` mark at the start or the end of a
    word (``|Delete``, ``Attachments ||``), never inside one (``Hello``); a letter or digit (``I``, ``l``,
    ``1``) only as a word of its own (``Instead`` and ``1,633`` set close to a cell's side keep theirs)."""
    n = len(text)
    start = [k == 0 or text[k - 1] == " " for k in range(n)]
    end = [k == n - 1 or text[k + 1] == " " for k in range(n)]
    return [k for k, ch in enumerate(text) if ch in EDGE_MARKS
            and (start[k] and end[k] if ch.isalnum() else start[k] or end[k])]


def _drawn_only(label: np.ndarray, x: float, reach: int, drawing: int) -> bool:
    """Whether the columns ``reach`` either side of ``x`` in ``label`` (a line's rows) hold no ink but the
    drawing's: a letter beside a frame's side or a box is ink of its own."""
    seen = np.unique(label[:, max(int(round(x)) - reach, 0): int(round(x)) + reach + 1])
    return all(v in (0, drawing) for v in seen.tolist())


def _pale_rule(grey3: np.ndarray, x: float, reach: int, paper: float, line: float) -> bool:
    """Whether a column within ``reach`` of ``x`` in a line's crop (``grey3``: the crop's channels summed)
    is a pale stroke (a code block's or a card's border: lighter than the crop's darkest ink by far,
    darker than its paper by :data:`FAINT`) that runs on longer than any glyph: 1.3 line thicknesses or
    more. A typed ``|`` is as dark as its text, and a glyph's length."""
    darkest = grey3.min() / 3
    window = grey3[:, max(int(round(x)) - reach, 0): int(round(x)) + reach + 1] / 3
    pale = (window < paper - FAINT) & (window > paper - 0.6 * (paper - darkest))
    if not pale.size or (window <= paper - 0.6 * (paper - darkest)).any():
        return False
    longest = 0
    for column in pale.T:
        run = 0
        for inked in column:
            run = run + 1 if inked else 0
            longest = max(longest, run)
    return longest >= 1.3 * line


def _crop(image: np.ndarray, quad: np.ndarray, paper: float) -> tuple[np.ndarray | None, np.ndarray, int, int, int]:
    """The ink of ``quad``'s box and :data:`MARGIN` around it (darker than :data:`INK` of the way from the
    page's ``paper`` to the crop's darkest pixel: a button's grey fill is paper beside its black label,
    a grey box alone is ink), the crop's channels summed, its left column on the page and the line's
    rows in it; no ink (``None``) where the crop has no contrast."""
    h, w = image.shape[:2]
    (x0, y0), (x1, y1) = quad.min(0), quad.max(0)
    mx, my = MARGIN[0] * (y1 - y0), MARGIN[1] * (y1 - y0)
    cx0, cy0 = max(int(x0 - mx), 0), max(int(y0 - my), 0)
    cx1, cy1 = min(int(np.ceil(x1 + mx)), w), min(int(np.ceil(y1 + my)), h)
    crop = image[cy0:cy1, cx0:cx1]
    # the channels added as integers: 9× faster than their float mean over a line's crop
    grey3 = crop.astype(np.int32) * 3 if crop.ndim == 2 else crop[..., 0].astype(np.int32) + crop[..., 1] + crop[..., 2]
    if grey3.shape[0] < 4 or grey3.shape[1] < 4 or paper - grey3.min() / 3 <= 40:
        return None, grey3, cx0, 0, 0
    level = paper - INK * (paper - grey3.min() / 3)
    return grey3 < 3 * level, grey3, cx0, int(y0) - cy0, int(np.ceil(y1)) - cy0


def boxed(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray, texts: list[str],
          spans: list[np.ndarray], paper: float | None = None, chars: int = 24
          ) -> tuple[list[int], dict[int, list[int]]]:
    """The lines (``quads`` in ``image``'s pixels, read as ``texts``) that are rows of empty boxes, and for
    other lines the characters read on a frame's side or over an empty box before a word (indices into
    the text, from ``spans``: each character's start and end as fractions of its line's quad, (N, 2));
    ``paper``: the page's grey level (its median, when not given).
    Only horizontal lines are looked at, rows of boxes only when read as at most ``chars`` characters,
    and nothing about a line without contrast."""
    empty: list[int] = []
    edges: dict[int, list[int]] = {}
    todo = [i for i, text in enumerate(texts) if text.strip() and not bool(vertical[i])
            and (len(text) <= chars or _edge_candidates(text) or _box_candidates(text))]
    if not todo:
        return empty, edges
    paper = float(np.median(grey_sample(image))) if paper is None else paper
    for i in todo:
        quad, text = quads[i], texts[i]
        line = float(np.linalg.norm(quad[3] - quad[0]))
        ink, grey3, cx0, top, bottom = _crop(image, quad, paper)
        if ink is None:
            continue
        rule = max(2, int(round(RULE * line)))
        band = slice(top + (bottom - top) // 4, bottom - (bottom - top) // 4)
        others, boxes, sides, label = drawn_boxes(ink, band.start, band.stop, line, rule)
        boxes = boxes[boxes[:, 2] >= 0.5 * line]  # not a small square mark of the text
        if len(boxes) and not others and len(text) <= chars:
            empty.append(i)
            continue
        length = float(np.linalg.norm(quad[1] - quad[0]))
        middles = quad[0, 0] - cx0 + (spans[i][:, 0] + spans[i][:, 1]) / 2 * length
        reach = max(1, int(round(0.1 * line)))
        rows = label[band]
        drop = [k for k in _edge_candidates(text)
                if any(a - (b - a) <= middles[k] <= b + (b - a) and _drawn_only(rows, middles[k], reach, d)
                       for a, b, d in sides.tolist())
                or _pale_rule(grey3, middles[k], reach, paper, line)]
        drop += [k for k in _box_candidates(text)
                 if any(a <= middles[k] <= b and _drawn_only(rows, middles[k], reach, d)
                        for a, b, _, d in boxes.tolist())]
        if drop:
            edges[i] = sorted(set(drop))
    return empty, edges


def without_chars(line: DecodedLine, drop: list[int]) -> DecodedLine:
    """``line`` without the characters at ``drop``, and without the spaces that leaves at its ends or
    doubled; its confidence the mean of the characters kept."""
    gone = set(drop)
    keep = [k for k in range(len(line.text)) if k not in gone]
    kept: list[int] = []
    for k in keep:
        if line.text[k] == " " and (not kept or line.text[kept[-1]] == " "):
            continue
        kept.append(k)
    while kept and line.text[kept[-1]] == " ":
        kept.pop()
    conf = [line.char_conf[k] for k in kept]
    return DecodedLine(text="".join(line.text[k] for k in kept), confidence=float(np.mean(conf)) if conf else 1.0,
                       char_conf=conf, spans=[line.spans[k] for k in kept])
