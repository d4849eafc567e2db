"""RoI rectifier exactness: a known quad gives the expected pixels."""

import pytest
import torch

from polyocr.model.rectifier import rectify, strip_widths


def same(a, b):
    return a.shape == b.shape and torch.allclose(a, b, atol=1e-9, rtol=0)


def image(h=24, w=40):
    return torch.arange(h * w, dtype=torch.float64).reshape(1, 1, h, w)


def test_axis_aligned_quad_is_an_exact_crop():
    img = image()
    quad = torch.tensor([[[5.0, 3.0], [21.0, 3.0], [21.0, 11.0], [5.0, 11.0]]], dtype=torch.float64)
    strips, widths = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([False]), height=8)
    assert widths.tolist() == [16]
    assert same(strips[0, 0], img[0, 0, 3:11, 5:21])


def test_stride_maps_image_pixels_to_feature_cells():
    feats = image()
    quad = torch.tensor([[[20.0, 12.0], [84.0, 12.0], [84.0, 44.0], [20.0, 44.0]]], dtype=torch.float64)
    strips, widths = rectify(feats, 4.0, quad, torch.tensor([0]), torch.tensor([False]), height=8)
    assert same(strips[0, 0, :, : int(widths[0])], feats[0, 0, 3:11, 5:21])


def test_upside_down_quad_reads_reversed():
    img = image()
    quad = torch.tensor([[[21.0, 11.0], [5.0, 11.0], [5.0, 3.0], [21.0, 3.0]]], dtype=torch.float64)
    strips, _ = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([False]), height=8)
    assert same(strips[0, 0], torch.flip(img[0, 0, 3:11, 5:21], dims=(0, 1)))


def test_rotated_quad_equals_rot90_of_the_crop():
    img = image()
    # a line read bottom-to-top (page turned 90° counter-clockwise): start-top is bottom-left
    quad = torch.tensor([[[4.0, 20.0], [4.0, 4.0], [12.0, 4.0], [12.0, 20.0]]], dtype=torch.float64)
    strips, widths = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([False]), height=8)
    assert widths.tolist() == [16]
    assert same(strips[0, 0], torch.rot90(img[0, 0, 4:20, 4:12], k=-1))


def test_vertical_column_is_cut_into_upright_cells():
    img = image(h=32, w=24)
    # a column 8 px wide, 24 px long: start-top = top-right, reading down the right edge
    quad = torch.tensor([[[16.0, 4.0], [16.0, 28.0], [8.0, 28.0], [8.0, 4.0]]], dtype=torch.float64)
    strips, widths = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([True]), height=8)
    assert widths.tolist() == [24]
    cells = [img[0, 0, 4 + 8 * k: 12 + 8 * k, 8:16] for k in range(3)]
    assert same(strips[0, 0], torch.cat(cells, dim=1)), "each character cell stays upright"


def test_batches_and_padding():
    feats = torch.randn(2, 3, 16, 16)
    quads = torch.tensor([[[0.0, 0.0], [8.0, 0.0], [8.0, 4.0], [0.0, 4.0]],
                          [[0.0, 0.0], [16.0, 0.0], [16.0, 4.0], [0.0, 4.0]]])
    strips, widths = rectify(feats, 1.0, quads, torch.tensor([1, 0]), torch.tensor([False, False]), height=4)
    assert strips.shape == (2, 3, 4, 16) and widths.tolist() == [8, 16]
    assert torch.allclose(strips[0, :, :, :8], feats[1, :, 0:4, 0:8])
    assert strips[0, :, :, 8:].abs().sum() == 0
    assert strip_widths(quads, torch.tensor([True, True]), 4, 100).tolist() == [8, 16]


def packed_rows(lengths, align=4, height=32, row=640):
    from polyocr.model.lines import pack_lines

    crops = [torch.full((3, height, n), 0.5) for n in lengths]
    return pack_lines(crops, height, row, align=align)


def test_lattice_copy_equals_sampling_on_packed_rows():
    from polyocr.model.rectifier import lattice_rectify

    packed = packed_rows([640, 301, 150, 87, 33, 2])
    rows, width = int(packed.rows.max()) + 1, packed.images.shape[-1]
    gen = torch.Generator().manual_seed(0)
    coarse = torch.randn(rows, 5, 8, width // 4, generator=gen, dtype=torch.float64)
    fine = torch.randn(rows, 3, 16, width // 2, generator=gen, dtype=torch.float64)
    vertical = torch.zeros(len(packed.quads), dtype=torch.bool)
    got = lattice_rectify([(coarse, 4), (fine, 2)], packed.quads.double(), packed.rows, vertical, 16, 1024)
    assert got is not None
    a, widths = rectify(coarse, 4.0, packed.quads.double(), packed.rows, vertical, 16, 1024)
    b, _ = rectify(fine, 2.0, packed.quads.double(), packed.rows, vertical, 16, 1024)
    assert torch.equal(got[1], widths)
    # the zero padding of grid_sample at the map's borders (first crop at x = 0, top and bottom rows) too
    assert same(got[0], torch.cat([a, b], dim=1))
    # channels-last maps (CPU inference) give the same strips, channels-last for the recognizer's convolution
    last = [(m.contiguous(memory_format=torch.channels_last), s) for m, s in ((coarse, 4), (fine, 2))]
    strips, _ = lattice_rectify(last, packed.quads.double(), packed.rows, vertical, 16, 1024)
    assert strips.is_contiguous(memory_format=torch.channels_last) and same(strips, got[0])


def test_lattice_declines_what_it_cannot_copy():
    from polyocr.model.rectifier import lattice_rectify

    feats = [(torch.zeros(1, 2, 8, 160), 4), (torch.zeros(1, 2, 16, 320), 2)]
    upright = torch.tensor([[[64.0, 0.0], [192.0, 0.0], [192.0, 32.0], [64.0, 32.0]]])
    one, no = torch.tensor([0]), torch.tensor([False])
    assert lattice_rectify(feats, upright, one, no, 16, 1024) is not None
    tilted = upright.clone()
    tilted[0, 1, 1] = 1.0
    shifted = upright + torch.tensor([2.0, 0.0])
    assert lattice_rectify(feats, tilted, one, no, 16, 1024) is None
    assert lattice_rectify(feats, shifted, one, no, 16, 1024) is None
    assert lattice_rectify(feats, upright, one, torch.tensor([True]), 16, 1024) is None
    assert lattice_rectify(feats, upright * torch.tensor([1.0, 1.5]), one, no, 16, 1024) is None  # 48-px row


def test_aligned_packing_starts_crops_on_the_lattice():
    packed = packed_rows([301, 150, 87, 33])
    assert (packed.quads[:, 0, 0] % 4 == 0).all()
    assert packed.widths.tolist() == [304, 152, 88, 36]
    assert torch.equal(packed.quads[:, 1, 0] - packed.quads[:, 0, 0], packed.widths.float())
    for k, n in enumerate([301, 150, 87, 33]):
        row, x = int(packed.rows[k]), int(packed.quads[k, 0, 0])
        assert (packed.images[row, :, :, x: x + n] == 0.5).all()  # the crop
        assert (packed.images[row, :, :, x + n: int(packed.quads[k, 1, 0])] == 1.0).all()  # white to the quad's end


def test_a_column_is_cut_between_its_characters_and_at_its_spaces():
    """Characters advancing 7/8 of the column's thickness (a box a little wider than its glyphs), then a
    space, then three more: equal cells would cut the fourth character on; these cuts all fall between
    characters, and the space is a cell of its own."""
    from polyocr.model.lines import column_cells

    pitch, glyph, gap, space = 32, 24, 4, 20
    starts = [k * (glyph + gap) for k in range(12)]
    starts += [starts[-1] + glyph + gap + space + k * (glyph + gap) for k in range(3)]
    length = starts[-1] + glyph + 2
    strip = torch.ones(3, pitch, length, dtype=torch.float64)
    for s in starts:  # a glyph: a frame with a stroke across (ink well under half the column's pixels)
        strip[:, 4:28, s: s + 2] = strip[:, 4:28, s + glyph - 2: s + glyph] = strip[:, 15:17, s: s + glyph] = 0.0
        strip[:, 4:6, s: s + glyph] = strip[:, 26:28, s: s + glyph] = 0.0
    cuts = (column_cells(strip, pitch) * length).round().long().tolist()
    inside = [c for c in cuts[1:-1] if any(s < c < s + glyph for s in starts)]
    assert inside == []
    assert len(cuts) - 1 == 16  # fifteen characters and the space
    blank_start = starts[11] + glyph
    assert any(blank_start <= a and b <= blank_start + gap + space + 1 and b - a >= 0.4 * pitch
               for a, b in zip(cuts, cuts[1:]))


def test_column_cells_place_the_vertical_grid():
    """With cuts given, each cell samples its own stretch of the column, laid out square."""
    img = image(40, 8)
    quad = torch.tensor([[[8.0, 0.0], [8.0, 32.0], [0.0, 32.0], [0.0, 0.0]]], dtype=torch.float64)  # 8 wide, 32 long
    cuts = torch.tensor([0.0, 0.25, 0.75, 1.0], dtype=torch.float64)
    strips, widths = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([True]), height=8, cells=[cuts])
    assert widths.tolist() == [24]
    rows_of = strips[0, 0, :, 8:16] // 8  # second cell: image rows 8..24 squeezed into 8 strip rows
    assert rows_of[0].min() >= 8 and rows_of[-1].max() < 24
    uniform, _ = rectify(img, 1.0, quad, torch.tensor([0]), torch.tensor([True]), height=8)
    assert uniform.shape[-1] == 32


@pytest.mark.parametrize("width", [1, 640, 641, 700, 1216, 1217, 1300, 5000])
def test_line_windows_tile_the_line_with_context_at_every_cut(width):
    """chunks: windows of at most 640 px whose kept parts tile the crop; every cut has 32 px or more of
    context on both sides; all windows but the last are full, and together they read at most one
    overlap more per window than the crop holds (no window read twice)."""
    from polyocr.model.lines import chunks

    out = chunks(width, 640, 64)
    assert out[0][0] == 0 and out[0][2] == 0 and out[-1][1] == width and out[-1][3] == width
    for (s0, e0, _, to), (s1, e1, keep, _) in zip(out, out[1:]):
        assert to == keep and e0 - s0 == 640 and s0 < s1 < e0 < e1
        assert keep - s1 >= 32 and e0 - keep >= 32
    assert all(0 < e - s <= 640 and f < t for s, e, f, t in out)
    assert sum(e - s for s, e, _, _ in out) <= width + 64 * (len(out) - 1) + 64
