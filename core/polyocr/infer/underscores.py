"""Underscores set side by side, read as one, counted from their ink: ``_init_`` is ``__init__``.

Underscores touch: two of them in a row are one unbroken stroke along the baseline, and the recognizer,
whose CTC decoding writes a repeated character only where a blank step parts its copies, reads the
stroke as one ``_`` (``getLogger(_name_)``, ``_dict_``). Identifiers with doubled underscores are
everywhere in code and its documentation. The stroke's length tells how many it holds: each underscore
is one character's advance long, so a stroke about two of the line's character pitches long is two.
A stroke far longer than a few characters is a fill-in line or a rule, and is left as it was read.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from polyocr.model.ctc import DecodedLine

TWO = (1.65, 2.1)
"""Character pitches from which a stroke is two underscores (and one more every pitch on), at a word's
edge (``__name__``, ``(__init__``) and between two letters or digits (``foo__bar``): doubled ones measure
1.7–2.6 of their line's pitch; one between letters in a wide face, or touching a descender, up to 1.95,
which is where a doubled one is rare."""

LONGEST = 4
"""The most underscores one stroke is taken for; a longer stroke (a form's fill-in line) stays as read."""


def _pitch(line: DecodedLine, px: float) -> float | None:
    """The line's character pitch in page pixels: the median distance between the middles of neighbouring
    letters and digits inside its words (``px``: page pixels per unit of the spans); ``None`` with too few."""
    middles = [(a + b) / 2 * px for a, b in line.spans]
    gaps = [middles[k + 1] - middles[k] for k in range(len(line.text) - 1)
            if line.text[k].isalnum() and line.text[k + 1].isalnum()]
    return float(np.median(gaps)) if len(gaps) >= 3 else None


def _stroke(dark: np.ndarray, x: int, gap: int, least: float) -> tuple[int, int]:
    """The underscore stroke through column ``x`` (or a pixel beside it) of ``dark`` (rows, W bool): of the
    rows whose run of dark pixels there (across breaks of at most ``gap`` pixels: touching underscores
    drawn a pixel apart) is ``least`` pixels long or longer, the shortest run, as its first and last
    column; (0, -1) for none. A descender that touches the stroke (``g_p``) lengthens one of its rows, not
    all of them."""
    best, ends = np.inf, (0, -1)
    w = dark.shape[1]
    for row in dark:
        starts = [c for c in (x, x - 1, x + 1) if 0 <= c < w and row[c]]
        if not starts:
            continue
        left = right = starts[0]
        while True:
            step = next((d for d in range(1, gap + 2) if left - d >= 0 and row[left - d]), 0)
            if not step:
                break
            left -= step
        while True:
            step = next((d for d in range(1, gap + 2) if right + d < w and row[right + d]), 0)
            if not step:
                break
            right += step
        if least <= right - left + 1 < best:
            best, ends = right - left + 1, (left, right)
    return ends


def counted(image: np.ndarray, quad: np.ndarray, line: DecodedLine, steps: int, paper: float) -> DecodedLine:
    """``line`` (read from ``quad``, a horizontal line in ``image``'s pixels, ``steps`` long) with each run
    of ``_`` whose stroke is more underscores long than were read, up to :data:`LONGEST`, written as many
    as it is long; ``paper``: the page's paper grey level."""
    if "_" not in line.text:
        return line
    length = float(np.linalg.norm(quad[1] - quad[0]))
    thick = float(np.linalg.norm(quad[3] - quad[0]))
    px = length / max(steps, 1)
    pitch = _pitch(line, px)
    if pitch is None or pitch <= 1:
        return line
    # the lower part of the line's rows and a little below them, where underscores lie
    x0, y0 = quad[0]
    h, w = image.shape[:2]
    top, bottom = max(int(y0), 0), min(int(np.ceil(y0 + 1.15 * thick)), h)
    left, right = max(int(x0) - 1, 0), min(int(np.ceil(x0 + length)) + 1, w)
    crop = image[top:bottom, left:right]
    if crop.size == 0:
        return line
    grey = crop.astype(np.float32) if crop.ndim == 2 else crop[..., :3].astype(np.float32).mean(-1)
    darkest = float(grey.min())
    if paper - darkest <= 40:
        return line
    dark = (grey < paper - 0.5 * (paper - darkest))[int(0.55 * thick):]
    gap = max(1, int(round(0.1 * pitch)))
    text, conf, spans = [], [], []
    k = 0
    while k < len(line.text):
        ch, p, (a, b) = line.text[k], line.char_conf[k], line.spans[k]
        if ch != "_":
            text.append(ch)
            conf.append(p)
            spans.append((a, b))
            k += 1
            continue
        end = k
        while end < len(line.text) and line.text[end] == "_":
            end += 1
        # the run of underscores read shares one stroke: measured once, through its middle
        a, b = line.spans[k][0], line.spans[end - 1][1]
        x = int(round(x0 + (a + b) / 2 * px)) - left
        first, last = _stroke(dark, x, gap, 0.6 * pitch) if 0 <= x < dark.shape[1] else (0, -1)
        inside = k > 0 and end < len(line.text) and line.text[k - 1].isalnum() and line.text[end].isalnum()
        n = int((last - first + 1) / pitch + 2 - TWO[inside])
        n = n if end - k < n <= LONGEST else end - k
        for j in range(n):
            text.append("_")
            conf.append(float(np.mean(line.char_conf[k:end])))
            spans.append((a + (b - a) * j / n, a + (b - a) * (j + 1) / n))
        k = end
    if len(text) == len(line.text):
        return line
    return dataclasses.replace(line, text="".join(text), char_conf=conf, spans=spans,
                               confidence=float(np.mean(conf)))
