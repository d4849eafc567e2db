"""Leading marks: a list's bullet (or dash, asterisk) set apart from its line, taken into the line.

Typeset lists hang their marks: the bullet sits at the margin and the text starts an indent further in,
a gap of an em or more. The detector, trained on lists whose mark is followed by one space, ends such
a line at its first word and leaves the bullet out (the real English and Chinese pages lost every
``•`` and ``*`` of their lists). A line whose start has, within ``reach`` thicknesses before it, one
small blob of ink on the line's own band (nothing above or below it: not a rule, not a taller glyph of
another block), apart from the line and from anything before it, is lengthened to take the blob in.
"""

from __future__ import annotations

import numpy as np

STEPS = 0.0125
"""Sampling step along the line, in line thicknesses (under half a pixel for lines up to 40 px thick: a
rule one pixel wide is seen in every row)."""


def grey_sample(image: np.ndarray) -> np.ndarray:
    """About 256 × 256 of the page's pixels, evenly spread, as grey levels (float32)."""
    sample = image[:: max(1, image.shape[0] // 256), :: max(1, image.shape[1] // 256)].astype(np.float32)
    return sample[..., :3].mean(axis=-1) if sample.ndim == 3 else sample


def ink_thresholds(image: np.ndarray, shares: tuple[float, ...]) -> tuple[float, ...] | None:
    """Grey levels each ``share`` of the way from the page's paper (its median) to its ink (its darkest
    percent, or on a page with less ink than that, such as a form, the darkest of what is clearly darker
    than its paper); ``None`` for a page with no contrast to speak of."""
    sample = grey_sample(image)
    paper, ink = np.percentile(sample, [50, 1])
    if paper - ink <= 40:  # under one percent of it ink: a sparse page (a form, a title page) or a blank one
        darker = sample[sample < paper - 40]  # mostly the grey edges of its strokes, blurred or smoothed
        ink = darker.min() if darker.size else ink
    return tuple(float(paper - share * (paper - ink)) for share in shares) if paper - ink > 40 else None


CHUNK = 256
"""Lines sampled at once."""


def _inked(image: np.ndarray, origin: np.ndarray, u: np.ndarray, nrm: np.ndarray, thick: np.ndarray,
           s: np.ndarray, t: np.ndarray, thresholds: tuple[float, ...]) -> list[np.ndarray]:
    """For each threshold, whether the page is darker than it (K, T, S) at ``origin + (s·u + t·nrm)·thick``
    of each line (nearest pixel; outside the page counts as paper)."""
    h, w = image.shape[:2]
    pts = origin[:, None, None] + (s[None, None, :, None] * u[:, None, None] + t[None, :, None, None] * nrm[:, None, None]) \
        * thick[:, None, None, None]  # (K, T, S, 2)
    x = np.clip(np.rint(pts[..., 0]).astype(np.int64), 0, w - 1)
    y = np.clip(np.rint(pts[..., 1]).astype(np.int64), 0, h - 1)
    inside = (pts[..., 0] >= 0) & (pts[..., 0] < w) & (pts[..., 1] >= 0) & (pts[..., 1] < h)
    grey = image[y, x].astype(np.float32)
    grey = grey[..., :3].mean(axis=-1) if grey.ndim == 4 else grey
    return [(grey < level) & inside for level in thresholds]


def leading_marks(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray, reach: float = 1.6,
                  max_width: float = 0.9, max_height: float = 0.4, min_gap: float = 0.3) -> np.ndarray:
    """How far (in pixels, along each line) to move each line's start back to take in a leading mark; 0
    where there is none. ``quads`` (N, 4, 2) start-top corner first, in the pixels of ``image`` (H, W) or
    (H, W, C), uint8.

    A mark is the one run of inked samples in the ``reach`` thicknesses before the line's start, on the
    middle of its band, at most ``max_width`` thicknesses wide and ``max_height`` tall (a bullet, a dash, an
    asterisk: smaller than a letter or a digit), with at least ``min_gap`` blank before it
    and after it, and no ink up to 0.6 thickness above or under it, nor there half a thickness before it
    (around it, grey counts as ink: a light rule, the anti-aliased strokes of another cell's text)."""
    n = len(quads)
    out = np.zeros(n, np.float32)
    levels = ink_thresholds(image, (0.5, 0.2)) if n else None
    if levels is None:
        return out
    threshold, faint = levels
    q = quads.astype(np.float64)
    along = q[:, 1] - q[:, 0]
    length = np.maximum(np.linalg.norm(along, axis=1), 1e-6)
    u = along / length[:, None]
    down = q[:, 3] - q[:, 0]
    thick = np.linalg.norm(down, axis=1)
    nrm = down / np.maximum(thick, 1e-6)[:, None]
    s = np.arange(-reach, 0.0 + 1e-9, STEPS)  # along the line, in thicknesses (0: its start)
    across = np.linspace(0.1, 0.9, 17)  # the line's band, every 0.05 thickness
    above_under = np.r_[np.arange(-0.6, -0.04, 0.05), np.arange(1.05, 1.61, 0.05)]  # a dotted rule's dots too
    middle = np.zeros((n, len(across), len(s)), bool)
    band_faint = np.zeros((n, len(s)), bool)
    outside = np.zeros((n, len(s)), bool)
    for k in range(0, n, CHUNK):  # a page of thousands of specks stays within a few MB
        part = slice(k, k + CHUNK)
        middle[part], faint_middle = _inked(image, q[part, 0], u[part], nrm[part], thick[part], s, across,
                                            (threshold, faint))
        band_faint[part] = faint_middle.any(axis=1)
        outside[part] = _inked(image, q[part, 0], u[part], nrm[part], thick[part], s, above_under, (faint,))[0].any(axis=1)
    band = middle.any(axis=1)  # (N, S)
    gap, widest, around = int(round(min_gap / STEPS)), max_width / STEPS, int(round(0.5 / STEPS))
    fringe = int(round(0.1 / STEPS))  # the mark's own anti-aliased edge
    for i in range(n):
        if vertical[i] or thick[i] < 4:
            continue
        row = band[i].copy()
        own = len(row) - 1
        while own >= 0 and row[own]:  # the line's own first character, where its quad starts on its ink
            row[own] = False
            own -= 1
        cols = np.flatnonzero(row)
        if not len(cols):
            continue
        end = int(cols[-1])
        start = end
        while start - 1 >= 0 and row[start - 1]:
            start -= 1
        if own - end < gap or end - start + 1 > widest or start < gap:
            continue  # touching the line, too wide, or too near the window's edge to know what is before it
        if band_faint[i, start - gap:start - fringe].any() or outside[i, max(0, start - around):end + 1].any():
            continue  # more ink just before it (another column's text), or above, under and before it (a
            # rule, or the arc of a note's icon whose inside is blank)
        rows = np.flatnonzero(middle[i][:, start:end + 1].any(axis=1))
        if (rows[-1] - rows[0]) * (across[1] - across[0]) > max_height:
            continue  # as tall as a letter or a digit (a table's one-character cell): no list mark
        out[i] = (-float(s[start]) + 0.05) * thick[i]
    return out


def moved_starts(quads: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Quads whose start edge (corners 0 and 3) is moved back along the line by ``shift`` pixels each."""
    along = quads[:, 1] - quads[:, 0]
    unit = along / np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-6)
    out = quads.astype(np.float64).copy()
    out[:, [0, 3]] -= (shift[:, None] * unit)[:, None, :]
    return out.astype(quads.dtype)
