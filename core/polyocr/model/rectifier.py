"""The RoI rectifier: samples each text quad out of a feature map into a fixed-height strip.

Quads are in image pixels, ordered start-top, end-top, end-bottom, start-bottom in the text's frame
(see ``polyocr.render.renderer``), so a rotated or upside-down line comes out reading left to right.
A horizontal line becomes a strip ``height`` rows tall and as long as its aspect ratio says. A vertical
column is cut into cells along its length, each sampled upright as a square and laid side by side, so
CJK glyphs reach the recognizer upright whether they were set across or down the page.

Sampling is bilinear (``grid_sample``) at the centres of the strip's cells; all quads of one image are
sampled in one call by concatenating their grids along the width.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def strip_widths(quads: torch.Tensor, vertical: torch.Tensor, height: int, max_width: int) -> torch.Tensor:
    """Width in strip cells of each quad (K,): its length over its thickness, times ``height``."""
    length = (quads[:, 1] - quads[:, 0]).norm(dim=1)
    thick = (quads[:, 3] - quads[:, 0]).norm(dim=1).clamp(min=1e-3)
    cells = torch.where(vertical, torch.clamp(torch.round(length / thick), min=1) * height,
                        torch.round(height * length / thick))
    return cells.clamp(min=1, max=max_width).long()


def quad_grid(quad: torch.Tensor, vertical: bool, height: int, width: int, cells: torch.Tensor | None = None
              ) -> torch.Tensor:
    """Image coordinates (height, width, 2) of the strip cells' centres for one quad. A vertical column is
    cut into ``width // height`` cells of equal length, or at ``cells`` (increasing fractions of its
    length, from 0 to 1: where its characters meet, ``lines.column_cells``), each cell laid out square."""
    p0, p1, p2, p3 = quad
    dev, dt = quad.device, quad.dtype
    if not vertical:
        a = (torch.arange(width, device=dev, dtype=dt) + 0.5) / width  # along the line
        b = (torch.arange(height, device=dev, dtype=dt) + 0.5) / height  # across, top to bottom
        top = p0 + a[:, None] * (p1 - p0)
        bottom = p3 + a[:, None] * (p2 - p3)
        return top[None] + b[:, None, None] * (bottom - top)[None]
    n = max(1, width // height)
    u = torch.arange(n * height, device=dev, dtype=dt)
    cell = torch.div(u, height, rounding_mode="floor")
    across = ((u - cell * height) + 0.5) / height  # left (p3 side) to right (p0 side) within a cell
    v = (torch.arange(height, device=dev, dtype=dt) + 0.5) / height
    if cells is not None and len(cells) == n + 1:
        at = cell.long()
        start, size = cells[:-1].to(dev, dt)[at], (cells[1:] - cells[:-1]).to(dev, dt)[at]
        a = start[None, :] + v[:, None] * size[None, :]  # (height, width): position along the column
    else:
        a = (cell[None, :] + v[:, None]) / n
    left = p3 + a[..., None] * (p2 - p3)
    right = p0 + a[..., None] * (p1 - p0)
    grid = left + across[None, :, None] * (right - left)
    if grid.shape[1] < width:
        grid = torch.cat([grid, grid[:, -1:].expand(height, width - grid.shape[1], 2)], dim=1)
    return grid


def rectify(features: torch.Tensor, stride: float, quads: torch.Tensor, batch_index: torch.Tensor,
            vertical: torch.Tensor, height: int = 8, max_width: int = 512,
            cells: list[torch.Tensor | None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Strips (K, C, height, W) of every quad, and their valid widths (K,). ``cells``: for each quad, None
    or where to cut its column (see :func:`quad_grid`; ignored where the column would not fit ``max_width``).

    ``features`` (N, C, Hf, Wf) has feature cell (i, j) covering image pixels [j·s, (j+1)·s) ×
    [i·s, (i+1)·s); ``quads`` (K, 4, 2) are image pixels; ``batch_index`` (K,) picks the image.

    Every strip's grid is padded to the longest one with points far outside the map (which sample
    exact zeros), so one ``grid_sample`` per image yields the padded batch with no per-line slicing:
    copying each line out of a shared sample made the backward pass allocate a full-size gradient per
    line, quadratic in the lines of a page (2.5 s of a 5 s CPU training step on an 86-line page).
    """
    k = quads.shape[0]
    n, c, hf, wf = features.shape
    if k == 0:
        return features.new_zeros((0, c, height, 1)), torch.zeros(0, dtype=torch.long, device=features.device)
    widths = strip_widths(quads, vertical, height, max_width)
    cells = list(cells) if cells is not None else [None] * k
    for i, cut in enumerate(cells):
        if cut is not None and bool(vertical[i]) and (len(cut) - 1) * height <= max_width:
            widths[i] = (len(cut) - 1) * height
        else:
            cells[i] = None
    out_w = int(widths.max())
    scale = torch.tensor([2.0 / (stride * wf), 2.0 / (stride * hf)], device=features.device, dtype=features.dtype)
    grids = torch.full((k, height, out_w, 2), OUTSIDE, device=features.device, dtype=features.dtype)
    for i, (w, vert) in enumerate(zip(widths.tolist(), vertical.tolist(), strict=True)):
        grids[i, :, :w] = quad_grid(quads[i].to(features.dtype), bool(vert), height, w, cells[i]) * scale - 1.0
    parts, order = [], []
    for img in range(n):
        sel = torch.nonzero(batch_index == img).flatten()
        if sel.numel() == 0:
            continue
        grid = grids[sel].permute(1, 0, 2, 3).reshape(1, height, sel.numel() * out_w, 2)
        sampled = F.grid_sample(features[img: img + 1], grid, mode="bilinear", padding_mode="zeros",
                                align_corners=False)[0]  # (C, height, n_sel · out_w)
        parts.append(sampled.view(c, height, sel.numel(), out_w).permute(2, 0, 1, 3))
        order.append(sel)
    out = torch.cat(parts) if len(parts) > 1 else parts[0]
    if len(parts) > 1 or not torch.equal(order[0], torch.arange(k, device=order[0].device)):
        out = out[torch.argsort(torch.cat(order))]
    return out, widths


OUTSIDE = -8.0
"""A normalized grid coordinate far outside [-1, 1]: bilinear sampling with zero padding gives 0 there."""


def lattice_rectify(levels: list[tuple[torch.Tensor, int]], quads: torch.Tensor, batch_index: torch.Tensor,
                    vertical: torch.Tensor, height: int, max_width: int) -> tuple[torch.Tensor, torch.Tensor] | None:
    """What :func:`rectify` gives for each (features, stride) level, concatenated along channels,
    computed without ``grid_sample`` when every quad is an upright rectangle whose strip cells sit on a
    lattice of the maps; ``None`` when they do not.

    Line crops packed into rows (``model/lines.py``) are such rectangles at inference: each is as tall
    as its row, ``height`` strip cells of ``cell`` pixels, and starts on a multiple of every stride. The
    cell centres then fall on the centres of a map's cells (``stride == cell``) or between them at
    fixed fractions (``stride == u · cell``), so the strips are the map itself, or the map upsampled ``u``
    times (bilinear, zero outside as in ``rectify``), cut into pieces: a copy instead of a gather,
    2–4× cheaper than the generic sampling for a batch of crops on one CPU core (tools/bench_rectify.py).
    """
    k = quads.shape[0]
    if k == 0 or bool(vertical.any()):
        return None
    x0, y0, x1, y1 = quads[:, 0, 0], quads[:, 0, 1], quads[:, 2, 0], quads[:, 2, 1]
    upright = (torch.equal(quads[:, 1, 1], y0) and torch.equal(quads[:, 3, 0], x0)
               and torch.equal(quads[:, 1, 0], x1) and torch.equal(quads[:, 3, 1], y1))
    thick = y1 - y0
    if not upright or not bool((thick == thick[0]).all()) or float(thick[0]) <= 0:
        return None
    cell = float(thick[0]) / height
    widths = (x1 - x0) / cell
    if not (bool((widths == widths.round()).all()) and bool((widths >= 1).all()) and bool((widths <= max_width).all())):
        return None
    maps = []
    for features, stride in levels:
        up = stride / cell
        if up != int(up) or up < 1 or not bool((x0 % stride == 0).all()) or not bool((y0 % stride == 0).all()):
            return None
        up = int(up)
        if up > 1:  # one cell of zeros around the map gives rectify's zero padding at the borders
            features = F.interpolate(F.pad(features, (1, 1, 1, 1)), scale_factor=up, mode="bilinear",
                                     align_corners=False)[..., up:-up, up:-up]
        maps.append(features)
    widths = widths.long()
    rows0, cols0 = (y0 / cell).long().tolist(), (x0 / cell).long().tolist()
    channels = [m.shape[1] for m in maps]
    # in the maps' own layout: channels-last maps are copied pixel by pixel, and the recognizer's first
    # convolution reads the strips without converting them
    layout = torch.channels_last if levels[0][0].is_contiguous(memory_format=torch.channels_last) else torch.contiguous_format
    out = torch.empty((k, sum(channels), height, int(widths.max())), dtype=maps[0].dtype, device=maps[0].device,
                      memory_format=layout)
    for i, (img, r, c0, w) in enumerate(zip(batch_index.tolist(), rows0, cols0, widths.tolist(), strict=True)):
        at = 0
        for m, c in zip(maps, channels, strict=True):
            piece = m[img, :, r: r + height, c0: c0 + w]
            if piece.shape[-2:] != (height, w):  # the rectangle leaves the map: the generic path pads it
                return None
            out[i, at: at + c, :, :w] = piece
            at += c
        out[i, :, :, w:] = 0.0
    return out, widths
