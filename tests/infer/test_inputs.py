"""Bad input: a one-line error naming the file, the other inputs still processed, exit status 1."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from polyocr.infer.inputs import InputError, iter_pages, read_source

POLYOCR = [sys.executable, "-m", "polyocr.cli"]


def page_png(path, size=(200, 120)):
    image = Image.new("RGB", size, "white")
    image.paste((0, 0, 0), (20, 40, 180, 60))
    image.save(path)
    return path


@pytest.fixture
def bad_inputs(tmp_path):
    good = page_png(tmp_path / "good.png")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not an image at all")
    buf = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buf, format="PNG")
    (tmp_path / "truncated.png").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(jpeg, format="JPEG")
    damaged = bytearray(jpeg.getvalue())
    damaged[160:] = np.random.default_rng(0).integers(0, 256, len(damaged) - 160, dtype=np.uint8).tobytes()
    (tmp_path / "corrupt.jpg").write_bytes(bytes(damaged))  # a JPEG whose tables and data are garbage
    # an enormous image: a valid PNG header claiming 20,000 × 20,000 pixels
    big = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(big, format="PNG")
    (tmp_path / "huge.png").write_bytes(big.getvalue())
    import pikepdf

    pikepdf.new().save(tmp_path / "nopages.pdf")  # a valid PDF with zero pages
    encrypted = tmp_path / "encrypted.pdf"
    _encrypted_pdf(encrypted)
    unreadable = tmp_path / "secret.png"
    page_png(unreadable)
    unreadable.chmod(0)
    return tmp_path, good


def _encrypted_pdf(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    import pikepdf  # a dev dependency: it writes the encrypted PDF

    with pikepdf.open(io.BytesIO(buf.getvalue())) as doc:
        doc.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))


@pytest.mark.parametrize("name,reason", [
    ("empty.png", "empty file"),
    ("notes.txt", "not an image or a PDF"),
    ("truncated.png", "corrupt or truncated image"),
    ("corrupt.jpg", "corrupt or truncated image"),
    ("huge.png", "larger than the 200 MP limit"),
    ("nopages.pdf", "PDF has no pages"),
    ("encrypted.pdf", "encrypted PDF"),
    ("missing.png", "no such file"),
])
def test_each_bad_input_has_a_clear_error(bad_inputs, name, reason):
    root, _ = bad_inputs
    with pytest.raises(InputError) as err:
        list(read_source(root / name))
    assert reason in str(err.value) and name in str(err.value)


def test_unreadable_path(bad_inputs):
    root, _ = bad_inputs
    if os.geteuid() == 0:  # root reads anything: check the message path with a directory entry instead
        with pytest.raises(InputError, match="cannot read"):
            list(read_source(root))
    else:
        with pytest.raises(InputError, match="permission denied"):
            list(read_source(root / "secret.png"))


def test_other_inputs_still_processed(bad_inputs):
    root, good = bad_inputs
    results = list(iter_pages([root / "empty.png", good, root / "notes.txt"]))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["InputError", "PageImage", "InputError"]
    assert results[1].image.shape == (120, 200, 3)


def test_cli_reports_each_bad_file_on_one_line_and_exits_1(bad_inputs, checkpoint, tmp_path):
    root, good = bad_inputs
    out = tmp_path / "out"
    args = [str(root / n) for n in ("empty.png", "notes.txt", "truncated.png", "huge.png", "nopages.pdf", "missing.png")]
    result = subprocess.run([*POLYOCR, "read", str(good), *args, "--model", str(checkpoint), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("polyocr: error:")]
    assert len(errors) == len(args)
    assert all(any(n in e for e in errors) for n in ("empty.png", "notes.txt", "huge.png", "nopages.pdf"))
    assert "Traceback" not in result.stderr
    assert (out / "good.txt").exists(), "the good input was still processed"
    assert not list(out.glob(".*tmp")), "no half-written output"


def test_images_of_every_kind(tmp_path):
    base = Image.new("RGB", (64, 48), (250, 250, 250))
    for fmt, name in (("PNG", "a.png"), ("JPEG", "b.jpg"), ("WEBP", "c.webp"), ("BMP", "d.bmp")):
        base.save(tmp_path / name, format=fmt)
    frames = [Image.new("L", (64, 48), v) for v in (255, 128)]
    frames[0].save(tmp_path / "e.tif", save_all=True, append_images=frames[1:])
    rgba = Image.new("RGBA", (64, 48), (0, 0, 0, 0))
    rgba.save(tmp_path / "f.png")
    pages = list(iter_pages([tmp_path]))
    assert len(pages) == 7, "two pages from the multi-page TIFF"
    assert all(p.image.shape == (48, 64, 3) and p.image.dtype == np.uint8 for p in pages)
    transparent = [p for p in pages if p.source.endswith("f.png")][0]
    assert transparent.image.min() == 255, "alpha is composited on white"


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (60, 30), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    image.save(tmp_path / "rot.jpg", exif=exif)
    [page] = list(read_source(tmp_path / "rot.jpg"))
    assert page.image.shape[:2] == (60, 30)


def test_a_page_decoded_reduced_keeps_its_true_resolution(tmp_path):
    """A scan decoded at a quarter of its pixels has half its dots per inch (the detection scale uses it)."""
    Image.new("L", (400, 300), 255).save(tmp_path / "scan.png", dpi=(300, 300))
    [full] = list(read_source(tmp_path / "scan.png"))
    assert full.dpi == pytest.approx(300, rel=1e-3)
    from polyocr.infer.inputs import _image_pages

    [reduced] = list(_image_pages(tmp_path / "scan.png", "scan.png", max_pixels=10**9, work_pixels=30_000))
    assert reduced.image.shape[:2] == (150, 200)
    assert reduced.dpi == pytest.approx(150, rel=1e-3)
