"""Lines set close one under another that the detector took for one band, cut into their rows.

Forms list their choices close together (a line's height apart, no leading), and a detector that saw
few such pages can take two or three of those lines for one thick band; the recognizer, which reads one
row of text at a time, then reads garbage across them (``ае О маlе`` for ``Gender:`` over ``○ Female
○ Male``); or it draws one band from a line down to the next, turned from every other line on the
page. Such a band whose ink, counted row by row across its box, stops for a few pixels between two
stretches each as tall as text is cut at those gaps into level rows, each read alone; the pipeline keeps
the rows where they read surer than the band. A band of one row (a heading in large type) has no such
gap; nor has a line with marks above it, whose ascenders reach up to them.
"""

from __future__ import annotations

import numpy as np

from polyocr.infer.marks import ink_thresholds


def text_rows(counts: np.ndarray, width: int, line: float) -> list[tuple[int, int]]:
    """The stretches of rows (start, end exclusive) that hold ink, from each row's dark pixels (``counts``)
    across a band ``width`` wide: apart by gaps of at least 2 px and 6 % of ``line`` (the page's median
    line thickness), each at least ``0.2 line`` tall."""
    inked = counts >= max(2, 0.01 * width)
    runs: list[list[int]] = []
    gap = max(2, round(0.06 * line))
    y = 0
    n = len(inked)
    while y < n:
        if not inked[y]:
            y += 1
            continue
        start = y
        while y < n and inked[y]:
            y += 1
        if runs and start - runs[-1][1] < gap:
            runs[-1][1] = y  # a thin gap inside a row of text (between a letter's dot and its stem)
        else:
            runs.append([start, y])
    return [(a, b) for a, b in runs if b - a >= 0.2 * line]  # not specks, nor a rule's remains


def _angles(quads: np.ndarray) -> np.ndarray:
    """Each quad's direction along its top side, degrees in (-90, 90]."""
    d = quads[:, 1] - quads[:, 0]
    a = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
    return np.where(a <= -90, a + 180, np.where(a > 90, a - 180, a))


def stacked_rows(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray, thicker: float = 1.6,
                 askew: float = 4.0) -> dict[int, np.ndarray]:
    """For each horizontal band (``quads`` in ``image``'s pixels) at least ``thicker`` times the page's median
    line thickness, or turned ``askew`` degrees or more from the page's lines and from all but two other
    bands (a band drawn from one line down to the next, not a line of a block set at an angle), whose box
    holds rows of text apart (:func:`text_rows`): a quad for each row, the row's inked stretch of the
    box, level (R, 4, 2)."""
    flat = ~np.asarray(vertical, bool)
    if flat.sum() < 3:
        return {}
    thick = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)
    line = float(np.median(thick[flat]))
    angle = _angles(quads)
    off = angle - np.median(angle[flat])
    # turned alone, or nearly: the lines of a block set at an angle share their turn
    alone = (np.abs(off[:, None] - off[None, flat]) < askew / 2).sum(1) <= 3
    turned = (np.abs(off) >= askew) & alone
    todo = np.flatnonzero(flat & ((thick >= thicker * line) | turned))
    level = ink_thresholds(image, (0.5,)) if len(todo) else None
    if level is None:
        return {}
    h, w = image.shape[:2]
    out = {}
    for i in todo.tolist():
        (x0, y0), (x1, y1) = np.floor(quads[i].min(0)).astype(int), np.ceil(quads[i].max(0)).astype(int)
        # a little above and below the band: its first and last rows whole (rows centred outside it are
        # its neighbours', read in their own bands)
        reach = int(round(0.25 * line))
        inner = (y0, y1)
        x0, y0, x1, y1 = max(x0, 0), max(y0 - reach, 0), min(x1, w), min(y1 + reach, h)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        crop = image[y0:y1, x0:x1]
        grey3 = crop.astype(np.int32) * 3 if crop.ndim == 2 else \
            crop[..., 0].astype(np.int32) + crop[..., 1] + crop[..., 2]
        dark = grey3 < 3 * level[0]
        rows = [(a, b) for a, b in text_rows(dark.sum(1), x1 - x0, line) if inner[0] <= y0 + (a + b) / 2 <= inner[1]]
        if len(rows) < 2 or any(b - a < 0.35 * line for a, b in rows):  # rows of text, each as tall as one
            continue
        cuts = [0.0] + [(rows[k][1] + rows[k + 1][0]) / 2 for k in range(len(rows) - 1)] + [float(y1 - y0)]
        parts = []
        for k, (a, b) in enumerate(rows):
            columns = np.flatnonzero(dark[a:b].any(0))
            pad = 0.3 * (b - a)
            left, right = max(columns[0] - pad, 0.0), min(columns[-1] + 1 + pad, float(x1 - x0))
            # as tall as the row's ink and a little more, as the detector draws a line, within the gaps
            top, bottom = y0 + max(cuts[k], a - 0.15 * (b - a)), y0 + min(cuts[k + 1], b + 0.15 * (b - a))
            parts.append([[x0 + left, top], [x0 + right, top], [x0 + right, bottom], [x0 + left, bottom]])
        out[i] = np.asarray(parts, quads.dtype)
    return out
