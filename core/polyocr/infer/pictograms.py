"""Pictograms: a note's icon in a ring, read as text, left out.

Manuals, web pages and forms set small icons beside their notes, tips and warnings (a hand, an
exclamation mark, an ``i``, each in a ring). The detector sees a short line there and the recognizer
reads it as whatever the shapes inside suggest: ``(ue5)``, ``(9)``, ``(uas’)`` on the real pages, often
surely enough to pass the noise filter (``pipeline._is_noise``). What tells such a line from text is
its ink, not its reading: one connected stroke, the ring, spans all of the line's ink; it goes round
(a frame's corner does not), is about as wide as it is tall, as tall as the line the detector drew or
taller (glyphs run together by bold type or blur are shorter than their line), and ends a short way
above and below the line (a table cell's or a form field's frame around a number goes on). A word's
letters, a CJK word's characters, a bracket and its contents are apart. A single character is never
taken for a pictogram: ``口``, ``回``, ``$`` or ``@`` is one stroke spanning its ink too.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from polyocr.infer.components import BOTTOM, LEFT, RIGHT, TOP, is_rule, label_components
from polyocr.infer.marks import ink_thresholds

SQUARE = 1.5
"""The most a pictogram's ink is wider than tall, or taller than wide."""

SPAN = 0.9
"""The share of the ink's width and height that one connected stroke must span."""

MARGIN = (0.1, 0.5)
"""How far beside and above/below a line's box its ink is looked at, in box heights: the detector's box
of a ring often cuts its top and bottom off (a cut ring is two arcs), while its width takes the ring
in, and text often follows a short way to the right. A stroke that reaches above or below that is a
table's or a form's frame around the line, not a pictogram's ring: it is never taken for one."""


RULE = 2
"""A connected stroke at most this many pixels thick and five times as long is a rule (a note's frame),
not ink of the line (a dot of an ellipsis is as thin, but not long)."""


@njit(cache=True, nogil=True)
def widest_component(ink: np.ndarray, rule: int = RULE) -> tuple[int, int, int, int, bool, bool]:
    """Of the 8-connected components of ``ink`` (H, W bool), the one whose bounding box is largest: its
    box's (height, width), then the box of all the ink together (height, width), whether that component
    reaches the crop's top or bottom and whether it goes round (it has ink in each quarter of its box, as a ring
    does and a frame's corner does not). Components at most ``rule`` pixels thick and five times as long
    (a frame's line) are left out; zeros when nothing is left."""
    h, w = ink.shape
    label, stats = label_components(ink)
    best, best_label = 0, 0
    top, left, bottom, right = h, w, -1, -1
    for k in range(stats.shape[0]):
        t, lft, b, r = stats[k, TOP], stats[k, LEFT], stats[k, BOTTOM], stats[k, RIGHT]
        ch, cw = b - t + 1, r - lft + 1
        if is_rule(ch, cw, rule):
            continue
        if ch * cw > best:
            best, best_label = ch * cw, k + 1
        top, left, bottom, right = min(top, t), min(left, lft), max(bottom, b), max(right, r)
    if bottom < 0:
        return 0, 0, 0, 0, False, False
    bt, bl, bb, br = stats[best_label - 1, TOP], stats[best_label - 1, LEFT], stats[best_label - 1, BOTTOM], \
        stats[best_label - 1, RIGHT]
    cy, cx = (bt + bb) / 2.0, (bl + br) / 2.0
    quarters = np.zeros(4, np.bool_)
    for y in range(bt, bb + 1):
        for x in range(bl, br + 1):
            if label[y, x] == best_label:
                quarters[(2 if y > cy else 0) + (1 if x > cx else 0)] = True
    edge = bt == 0 or bb == h - 1
    return bb - bt + 1, br - bl + 1, bottom - top + 1, right - left + 1, edge, bool(quarters.all())


def is_pictogram(ink: np.ndarray, text: str, line_height: float) -> bool:
    """Whether a line ``line_height`` pixels thick, read as ``text``, whose box (with :data:`MARGIN` around
    it) holds ``ink`` (H, W bool, the page's dark pixels) is a pictogram: its ink about square and
    spanned by one connected stroke that goes round, ends near the line and is at least as tall as it;
    its reading more than one character."""
    if len("".join(text.split())) < 2:
        return False
    part_h, part_w, all_h, all_w, edge, round_ = widest_component(np.ascontiguousarray(ink, dtype=np.bool_))
    if not all_h or edge or not round_ or max(all_h, all_w) > SQUARE * min(all_h, all_w):
        return False
    return part_h >= SPAN * all_h and part_w >= SPAN * all_w and part_h >= SPAN * line_height


def pictograms_among(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray, texts: list[str],
                     chars: int = 6) -> list[int]:
    """Indices of the lines (``quads`` in ``image``'s pixels, read as ``texts``) that are pictograms
    (:func:`is_pictogram`); only horizontal lines of at most ``chars`` characters are looked at, and none
    on a page without contrast (``marks.ink_thresholds``)."""
    short = [i for i, text in enumerate(texts) if 0 < len("".join(text.split())) <= chars and not bool(vertical[i])]
    level = ink_thresholds(image, (0.5,)) if short else None
    if level is None:
        return []
    h, w = image.shape[:2]
    found = []
    for i in short:
        (x0, y0), (x1, y1) = quads[i].min(0), quads[i].max(0)
        mx, my = MARGIN[0] * (y1 - y0), MARGIN[1] * (y1 - y0)
        x0, y0 = max(int(x0 - mx), 0), max(int(y0 - my), 0)
        x1, y1 = min(int(np.ceil(x1 + mx)), w), min(int(np.ceil(y1 + my)), h)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        crop = image[y0:y1, x0:x1]
        grey = crop[..., :3].mean(-1) if crop.ndim == 3 else crop
        if is_pictogram(grey < level[0], texts[i], float(quads[i][:, 1].max() - quads[i][:, 1].min())):
            found.append(i)
    return found
