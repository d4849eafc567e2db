"""Line crops for the recognizer: cut each line upright at a fixed height, pack the crops into rows.

Training and inference read lines the same way: each line quad is sampled out of the page image at
the recognizer's height (``rectify`` on pixels), the crops are packed side by side into rows with
blank gaps, the rows go through the shared backbone, and each crop is cut back out of the features
by its quad in its row. Reading the same kind of input in both is what makes crop training count at
inference; reading lines from whole-page features instead was measured to lose much of it
(docs/model.md, "Does crop training transfer").

Long lines are read in overlapping chunks (:func:`chunks`) no longer than the crops of training, so
the recognizer never sees a sequence longer than it learned on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from numba import njit

from polyocr.model.rectifier import rectify, strip_widths


@dataclass
class PackedLines:
    """Crops packed into rows: ``images`` (R, 3, height, W) on white, each crop's quad in its row
    (K, 4, 2), its row (K,) and its width (K,)."""

    images: torch.Tensor
    quads: torch.Tensor
    rows: torch.Tensor
    widths: torch.Tensor


def cut_lines(image: torch.Tensor, quads: torch.Tensor, vertical: torch.Tensor, height: int,
              max_width: int) -> list[torch.Tensor]:
    """Each line of ``image`` (1, 3, H, W, values in [0, 1]) upright at ``height`` px: (3, height, w) crops.

    Vertical columns come out as upright character cells side by side (see ``rectify``). Sampling is
    bilinear without a low-pass filter: scale the page first so that lines are near ``height``.
    """
    if len(quads) == 0:
        return []
    quads = quads.to(image.dtype)
    zero = torch.zeros(len(quads), dtype=torch.long)
    cells: list[torch.Tensor | None] = [None] * len(quads)
    if bool(vertical.any()):
        columns = torch.nonzero(vertical).flatten()
        turned, lengths = rectify(image, 1.0, quads[columns], zero[columns], torch.zeros(len(columns), dtype=torch.bool),
                                  height, max_width)
        for j, strip, length in zip(columns.tolist(), turned, lengths.tolist(), strict=True):
            cells[j] = column_cells(strip[:, :, :length], height)
    # rectify pads with zeros; a crop is cut back to its own width so padding never reaches a row
    strips, widths = rectify(image - 1.0, 1.0, quads, zero, vertical, height, max_width, cells)
    return [strips[k, :, :, : int(w)] + 1.0 for k, w in enumerate(widths.tolist())]


def cut_page_lines(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray, height: int,
                   max_width: int) -> list[torch.Tensor]:
    """:func:`cut_lines` from the page's own bytes, ``image`` (H, W, C) uint8: the lines set across the
    page are sampled by one numba kernel (:func:`_cut_across`), with no float copy of the page and no
    ``grid_sample``; columns (``vertical``) go through :func:`cut_lines`. The same crops to float rounding
    (``tests/model/test_lines.py``); ``tools/bench_cut_lines.py`` times both."""
    quads = np.ascontiguousarray(quads, np.float32)
    across = np.flatnonzero(~vertical)
    crops: list[torch.Tensor | None] = [None] * len(quads)
    if len(across):
        widths = strip_widths(torch.from_numpy(quads[across]), torch.zeros(len(across), dtype=torch.bool), height,
                              max_width).numpy()
        offsets = np.concatenate([[0], np.cumsum(widths)])
        strips = np.empty((image.shape[2], height, int(offsets[-1])), np.float32)
        ringed = np.pad(image, ((1, 1), (1, 1), (0, 0)), constant_values=255)
        _cut_across(ringed, quads[across], widths, offsets, strips)
        whole = torch.from_numpy(strips)
        for j, k in enumerate(across.tolist()):
            crops[k] = whole[:, :, offsets[j]: offsets[j + 1]]
    columns = np.flatnonzero(vertical)
    if len(columns):
        pixels = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None].float().div_(255.0)
        for k, crop in zip(columns.tolist(), cut_lines(pixels, torch.from_numpy(quads[columns]),
                                                         torch.ones(len(columns), dtype=torch.bool), height, max_width),
                           strict=True):
            crops[k] = crop
    return crops  # type: ignore[return-value]


@njit(cache=True, nogil=True, fastmath=True)
def _cut_across(image: np.ndarray, quads: np.ndarray, widths: np.ndarray, offsets: np.ndarray,
                out: np.ndarray) -> None:
    """Each quad (start-top, end-top, end-bottom, start-bottom; page pixels) of ``image`` (H + 2, W + 2, C)
    uint8, the page with a ring of white around it, sampled into ``out`` (C, height, Σ widths) at columns
    ``offsets[k]`` on, as :func:`rectify` samples it: the cell centres of a ``height`` × ``widths[k]`` grid
    spanning the quad, bilinear, in [0, 1]. ``rectify`` pads ``image − 1`` with zeros: beyond the page
    every sample reads the white ring (``image − 1`` = 0 there), so the loops need no bounds tests and
    write each row of a strip in order."""
    h, w, channels = image.shape
    rows = out.shape[1]
    scale = np.float32(1.0 / 255.0)
    half, zero = np.float32(0.5), np.float32(0.0)
    last_x, last_y = np.float32(w - 1), np.float32(h - 1)
    span = widths.max() if len(widths) else 0
    at = np.empty(span, np.int64)  # a row's samples: the flat index of each top-left pixel, and weights
    wx, wy = np.empty(span, np.float32), np.empty(span, np.float32)
    flat = image.reshape(-1)
    down = w * channels
    for k in range(quads.shape[0]):
        q = quads[k]
        n = widths[k]
        for i in range(rows):
            b = (np.float32(i) + half) / np.float32(rows)
            # the row of cell centres from the start edge to the end edge, at height b across the line;
            # pixel j covers [j, j + 1) and sits at j + 1 in the ringed image
            sx, sy = q[0, 0] + b * (q[3, 0] - q[0, 0]) + half, q[0, 1] + b * (q[3, 1] - q[0, 1]) + half
            dx = (q[1, 0] + b * (q[2, 0] - q[1, 0]) + half - sx) / np.float32(n)
            dy = (q[1, 1] + b * (q[2, 1] - q[1, 1]) + half - sy) / np.float32(n)
            for j in range(n):
                a = np.float32(j) + half
                # past the page, a sample stops on the ring: both its columns (rows) are white there
                x = min(max(sx + a * dx, zero), last_x)
                y = min(max(sy + a * dy, zero), last_y)
                x0, y0 = min(np.floor(x), last_x - 1), min(np.floor(y), last_y - 1)
                wx[j], wy[j] = x - x0, y - y0
                at[j] = int(y0) * down + int(x0) * channels
            for c in range(channels):
                row = out[c, i, offsets[k]: offsets[k] + n]
                for j in range(n):
                    p = at[j] + c
                    top = np.float32(flat[p]) + wx[j] * (np.float32(flat[p + channels]) - np.float32(flat[p]))
                    bottom = np.float32(flat[p + down]) + wx[j] * (
                        np.float32(flat[p + down + channels]) - np.float32(flat[p + down]))
                    row[j] = (top + wy[j] * (bottom - top)) * scale


def column_cells(strip: torch.Tensor, pitch: int, search: float = 0.3, blank: float = 0.4) -> torch.Tensor | None:
    """Where to cut a vertical column into character cells: fractions of its length, from 0 to 1.

    ``strip`` (3, pitch, L) is the column sampled along its length (as a line turned a quarter: one
    thickness is ``pitch`` samples). CJK set down a column advances about one thickness per character,
    but not exactly: a column's box is a little wider than its characters, and punctuation, Latin set
    sideways and spaces advance less or more. Cells of equal length drift off the characters within a
    few of them and cut glyphs in half; here each cut is put where the column holds the least ink within
    ``search`` of a thickness from one thickness past the last cut, and a run of blank paper at least
    ``blank`` of a thickness long becomes a cell of its own (a space). ``None`` when the column is under
    two thicknesses long (one cell either way)."""
    length = strip.shape[-1]
    if length < 2 * pitch:
        return None
    background = strip.flatten(1).median(dim=1).values[:, None, None]
    ink = (strip - background).abs().mean(dim=(0, 1)).double().numpy()
    ink = np.convolve(ink, np.ones(3) / 3, mode="same")
    empty = 0.1 * float(np.percentile(ink, 95))
    cuts, pos = [0], 0
    while length - pos > (1 + search) * pitch:
        lo, hi = pos + int(round((1 - search) * pitch)), min(length - 1, pos + int(round((1 + search) * pitch)))
        window = ink[lo: hi + 1] + 0.05 * empty * np.abs(np.arange(lo, hi + 1) - (pos + pitch)) / pitch
        pos = lo + int(np.argmin(window))
        cuts.append(pos)
        run = pos
        while run < length and ink[run] <= empty:
            run += 1
        if run - pos >= blank * pitch and length - run > 0:
            pos = run
            cuts.append(pos)
    if length - pos < (1 - search) * pitch and len(cuts) > 1:
        cuts.pop()
    cuts.append(length)
    return torch.tensor(cuts, dtype=torch.float64) / length


def pack_rows(widths: list[int], max_width: int, gap: int) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Place crops side by side in rows at most ``max_width`` wide (first fit, longest first).

    Padding every crop to the longest one wasted about half of a CPU step on blank pixels; packed rows
    are what the backbone reads instead, and each crop is cut back out by its quad, as a line of a page
    would be. The ``gap`` of blank pixels keeps neighbours apart: at half a line height the backbone
    mixed them (a few-page overfit ended at NED 0.43 instead of < 0.15); two line heights do not.
    Returns each crop's row and x offset, and the rows' common width (a multiple of 32).
    """
    order = sorted(range(len(widths)), key=lambda j: (-widths[j], j))
    fill: list[int] = []
    rows = torch.zeros(len(widths), dtype=torch.long)
    offsets = torch.zeros(len(widths), dtype=torch.long)
    for j in order:
        w = widths[j]
        r = next((r for r, used in enumerate(fill) if used + gap + w <= max_width), None)
        if r is None:
            fill.append(0)
            r, x = len(fill) - 1, 0
        else:
            x = fill[r] + gap
        rows[j], offsets[j] = r, x
        fill[r] = x + w
    return rows, offsets, (max(fill) + 31) // 32 * 32


def pack_lines(crops: list[torch.Tensor], height: int, max_width: int, align: int = 1) -> PackedLines:
    """Crops (3, height, w) packed into white rows ``max_width`` wide (wider only for a longer crop).

    ``align`` > 1 starts every crop on a multiple of ``align`` pixels and rounds its quad's width up to
    one (the extra pixels are the row's white): inference packs with the backbone's coarsest stride, so
    that the strips are a plain copy of the features (``rectifier.lattice_rectify``). The ``widths``
    returned are the quads' widths.
    """
    widths = [-(-int(c.shape[-1]) // align) * align for c in crops]
    if not crops:
        return PackedLines(torch.ones(0, 3, height, 32), torch.zeros(0, 4, 2), torch.zeros(0, dtype=torch.long),
                           torch.zeros(0, dtype=torch.long))
    gap = -(-2 * height // align) * align
    rows, offsets, row_width = pack_rows(widths, max(max_width, max(widths)), gap=gap)
    images = torch.ones(int(rows.max()) + 1, 3, height, row_width, dtype=crops[0].dtype)
    for j, c in enumerate(crops):
        x = int(offsets[j])
        images[int(rows[j]), :, :, x: x + c.shape[-1]] = c
    x0 = offsets.float()
    x1 = x0 + torch.tensor(widths, dtype=torch.float32)
    top, bottom = torch.zeros_like(x0), torch.full_like(x0, float(height))
    quads = torch.stack([torch.stack([x0, top], 1), torch.stack([x1, top], 1), torch.stack([x1, bottom], 1),
                         torch.stack([x0, bottom], 1)], 1)
    return PackedLines(images, quads, rows, torch.tensor(widths))


def chunks(width: int, size: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """Overlapping windows over a crop ``width`` px long, each at most ``size`` px.

    Returns (start, end, keep_from, keep_to): read pixels [start, end), keep the characters whose
    centre falls in [keep_from, keep_to). The kept parts tile the crop exactly, each boundary in the
    middle of an overlap, so a character cut by one window's edge is kept from the other window.
    Every window but the last is ``size`` long, ``overlap`` into the next; the last ends at the crop's
    end and is shorter (at least ``2 * overlap``): it packs into a row beside other short pieces. (Ending
    a last full window at the crop's end read most of the window before it again: a 1,300-px line took
    three full windows, 1,920 px, where these take 1,428.)
    """
    if width <= size:
        return [(0, width, 0, width)]
    starts = list(range(0, width - overlap, size - overlap))
    starts[-1] = min(starts[-1], width - 2 * overlap)
    ends = [s + size for s in starts[:-1]] + [width]
    out = []
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        keep_from = 0 if i == 0 else (s + ends[i - 1]) // 2
        keep_to = width if i == len(starts) - 1 else (starts[i + 1] + e) // 2
        out.append((s, e, keep_from, keep_to))
    return out
