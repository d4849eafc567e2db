"""A page read turned upright, its result placed back on the page as it was given.

A page scanned or photographed a quarter or half turn off is read best upright: the detector learned
upright lines and columns, and a turned CJK line is a column of sideways characters it takes for a
vertical column. The pipeline turns the pixels (``numpy.rot90``: exact, no resampling) and reads the
upright page; :func:`turned_back` maps every node's quad back, so that quads and boxes stay in the
pixels of the image the user gave, as for any page, and ``Page.rotation`` says how its content was turned.
"""

from __future__ import annotations

import numpy as np

from polyocr.infer.result import Block, Char, Line, Page, Word, box_of


def upright_image(image: np.ndarray, rotation: int) -> np.ndarray:
    """The image turned so that content turned ``rotation`` degrees clockwise reads upright."""
    return np.ascontiguousarray(np.rot90(image, rotation // 90 % 4))


def back_points(points: np.ndarray, rotation: int, width: int, height: int) -> np.ndarray:
    """Points (..., 2) in the pixels of :func:`upright_image` of an image ``width`` × ``height``, in the
    image's own pixels. One counter-clockwise quarter turn sends (x, y) to (y, width − x)."""
    x, y = points[..., 0], points[..., 1]
    quarters = rotation // 90 % 4
    if quarters == 1:
        x, y = width - y, x
    elif quarters == 2:
        x, y = width - x, height - y
    elif quarters == 3:
        x, y = y, height - x
    return np.stack([x, y], axis=-1)


def turned_back(page: Page, rotation: int, width: int, height: int) -> Page:
    """``page``, read from :func:`upright_image`, with its nodes' quads and boxes in the given image's
    pixels (``width`` × ``height``) and its rotation counted from that image."""

    def place(node):
        quad = back_points(np.asarray(node.quad, np.float64), rotation, width, height).tolist()
        quad = [(round(x, 2), round(y, 2)) for x, y in quad]
        return quad, box_of(quad)

    def char(c: Char) -> Char:
        quad, box = place(c)
        return c.model_copy(update={"quad": quad, "box": box})

    def word(wd: Word) -> Word:
        quad, box = place(wd)
        return wd.model_copy(update={"quad": quad, "box": box, "chars": [char(c) for c in wd.chars]})

    def line(ln: Line) -> Line:
        quad, box = place(ln)
        return ln.model_copy(update={"quad": quad, "box": box, "words": [word(wd) for wd in ln.words]})

    def block(bl: Block) -> Block:
        quad, box = place(bl)
        return bl.model_copy(update={"quad": quad, "box": box, "lines": [line(ln) for ln in bl.lines]})

    return page.model_copy(update={"width": width, "height": height, "rotation": (page.rotation + rotation) % 360,
                                   "blocks": [block(b) for b in page.blocks]})
