"""The searchable PDF read back with poppler's pdftotext, pdfinfo, pdffonts and pdftoppm (Debian package
poppler-utils, which .ci installs): every word extracts, at its place, in every script and orientation."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sample_document import DPI, HEIGHT, SPECS, WIDTH, Spec, build_document, draw_page, make_block, make_line
from lxml import etree
from PIL import Image

from polyocr.errors import PolyocrError
from polyocr.export import export
from polyocr.infer.result import Document, Line, Page

SCALE = 72.0 / DPI  # page pixels → points
TOLERANCE = 1.5  # points

CJK = ("japanese", "vertical")


@pytest.fixture(scope="module", autouse=True)
def _poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm") if shutil.which(tool) is None]
    assert not missing, f"{', '.join(missing)} not found: install the Debian package poppler-utils"


def poppler(*args: str | Path) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True)
    assert "Error" not in done.stderr, done.stderr  # poppler reports broken files on stderr and goes on
    return done.stdout


def write(tmp_path: Path, data: bytes, name: str = "out.pdf") -> Path:
    assert data.startswith(b"%PDF-1.5\n") and data.endswith(b"%%EOF\n")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def bbox_words(path: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    root = etree.fromstring(poppler("pdftotext", "-bbox", path, "-").encode("utf-8"))
    return [(w.text, tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def points(box, scale: float = SCALE) -> tuple[float, ...]:
    return tuple(v * scale for v in box)


def assert_box(got, expected, tol: float = TOLERANCE) -> None:
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= tol, (got, expected)


def lines_by_name(document: Document) -> dict[str, Line]:
    lines = {line.text: line for line in document.pages[0].lines}
    return {name: lines[spec.text] for name, spec in SPECS.items()}


@pytest.fixture
def pdf_path(tmp_path: Path, document: Document, page_image: Image.Image) -> Path:
    return write(tmp_path, export(document, "pdf", images=[page_image]))


def test_pdf_page_size_font_and_determinism(pdf_path: Path, document: Document, page_image: Image.Image) -> None:
    info = poppler("pdfinfo", pdf_path)
    assert "Pages:           1" in info
    assert "Page size:       576 x 432 pts" in info  # 1200 × 900 px at the image's 150 DPI
    fonts = poppler("pdffonts", pdf_path).splitlines()[2:]
    assert len(fonts) == 1
    # name, type ("CID TrueType"), encoding, embedded, subset, has ToUnicode, object number
    assert fonts[0].split()[:7] == ["GlyphLessFont", "CID", "TrueType", "Identity-H", "yes", "no", "yes"]
    assert export(document, "pdf", images=[page_image]) == pdf_path.read_bytes()


def test_pdftotext_layout_has_every_word_and_line(pdf_path: Path, document: Document) -> None:
    text = poppler("pdftotext", "-layout", pdf_path, "-")
    flat = " ".join(text.split())
    for line in document.pages[0].lines:
        assert " ".join(line.text.split()) in flat, line.text
        for word in line.words:
            assert word.text in text


def test_pdftotext_bbox_finds_spaced_words_at_their_place(pdf_path: Path, document: Document) -> None:
    found = bbox_words(pdf_path)
    for name, line in lines_by_name(document).items():
        if name in CJK:
            continue
        for word in line.words:
            matches = [box for text, box in found if text == word.text]
            assert matches, f"{word.text!r} not found by pdftotext -bbox"
            assert min(max(abs(a - b) for a, b in zip(box, points(word.box), strict=True)) for box in matches) \
                <= TOLERANCE, (word.text, matches, points(word.box))


def test_rotated_line_reads_upwards_at_its_place(pdf_path: Path, document: Document) -> None:
    line = lines_by_name(document)["rotated"]
    found = dict(bbox_words(pdf_path))
    for word in line.words:  # a 30 px wide column from y=850 up to y=470
        assert_box(found[word.text], points(word.box))
    assert "Rotated margin note" in poppler("pdftotext", pdf_path, "-")


def test_cjk_runs_and_each_character_at_its_place(pdf_path: Path, document: Document) -> None:
    found = dict(bbox_words(pdf_path))
    named = lines_by_name(document)
    for name in CJK:
        line = named[name]
        # poppler joins an unspaced run into one word; its box is the line's
        assert line.text in found, (line.text, list(found))
        assert_box(found[line.text], points(line.box))
        # each character: pdftotext of a crop inside the character's cell (shrunk by 30 % along the line,
        # so a character off by more than that would bring a neighbour or nothing) is that character
        for char in (c for w in line.words for c in w.chars):
            x0, y0, x1, y1 = points(char.box, SCALE * 10)  # at -r 720: a tenth of a point per unit
            if line.vertical:
                y0, y1 = y0 + 0.3 * (y1 - y0), y1 - 0.3 * (y1 - y0)
            else:
                x0, x1 = x0 + 0.3 * (x1 - x0), x1 - 0.3 * (x1 - x0)
            crop = poppler("pdftotext", "-r", "720", "-x", int(x0), "-y", int(y0), "-W", int(x1 - x0),
                           "-H", int(y1 - y0), pdf_path, "-")
            assert crop.strip() == char.text, (char.text, crop)


def test_the_image_is_drawn_and_the_text_is_not(pdf_path: Path, page_image: Image.Image, tmp_path: Path) -> None:
    poppler("pdftoppm", "-r", "36", "-gray", "-png", "-singlefile", pdf_path, tmp_path / "render")
    rendered = np.asarray(Image.open(tmp_path / "render.png").convert("L"), dtype=float)
    expected = np.asarray(page_image.resize((rendered.shape[1], rendered.shape[0]), Image.BILINEAR), dtype=float)
    assert rendered.shape == (216, 288)  # 576 × 432 pt at 36 DPI
    assert np.abs(rendered - expected).mean() < 6


def test_source_image_file_is_loaded_and_jpeg_kept_as_is(tmp_path: Path, page_image: Image.Image) -> None:
    png = tmp_path / "page.png"
    page_image.save(png, dpi=(DPI, DPI))
    path = write(tmp_path, export(build_document(source=str(png)), "pdf"), "png.pdf")
    assert "Page size:       576 x 432 pts" in poppler("pdfinfo", path)
    assert dict(bbox_words(path))["Hello"] == pytest.approx(points((80, 60, 200, 96)), abs=TOLERANCE)

    jpeg = tmp_path / "page.jpg"
    page_image.convert("RGB").save(jpeg, quality=80, dpi=(300, 300))
    data = export(build_document(source=str(jpeg)), "pdf")
    assert jpeg.read_bytes() in data  # embedded without re-encoding
    path = write(tmp_path, data, "jpeg.pdf")
    assert "Page size:       288 x 216 pts" in poppler("pdfinfo", path)
    assert dict(bbox_words(path))["Hello"] == pytest.approx(points((80, 60, 200, 96), 72 / 300), abs=TOLERANCE)


def test_numpy_image_dpi_option_and_text_only_pages(tmp_path: Path, document: Document,
                                                   page_image: Image.Image) -> None:
    rgb = np.asarray(page_image.convert("RGB"))
    path = write(tmp_path, export(document, "pdf", images=[rgb], dpi=200), "array.pdf")
    assert "Page size:       432 x 324 pts" in poppler("pdfinfo", path)
    assert dict(bbox_words(path))["Hello"] == pytest.approx(points((80, 60, 200, 96), 72 / 200), abs=TOLERANCE)

    path = write(tmp_path, export(build_document(source=str(tmp_path / "missing.png")), "pdf"), "bare.pdf")
    assert "Page size:       288 x 216 pts" in poppler("pdfinfo", path)  # no image: 300 DPI
    assert "Hello searchable world" in poppler("pdftotext", path, "-")


def test_multi_page_and_per_page_options(tmp_path: Path, document: Document, page_image: Image.Image) -> None:
    page = document.pages[0]
    two = Document(pages=[page, page.model_copy(update={"index": 1})])
    path = write(tmp_path, export(two, "pdf", images=[page_image, None], dpi=[None, 72]))
    info = poppler("pdfinfo", path)
    assert "Pages:           2" in info
    pages = poppler("pdftotext", path, "-").split("\f")
    assert all("Привет широкий мир" in p for p in pages[:2])
    assert "Page    2 size:  1200 x 900 pts" in poppler("pdfinfo", "-f", "2", "-l", "2", path)  # 72 DPI
    with pytest.raises(PolyocrError, match="images has 1 entries for a document of 2 pages"):
        export(two, "pdf", images=[page_image])


def test_characters_beyond_the_bmp_and_levels(tmp_path: Path) -> None:
    line = make_line(Spec("𠀋𠀌 ok", (100, 100)))
    doc = Document(pages=[Page(index=0, width=WIDTH, height=HEIGHT, blocks=[make_block([line])])])
    for level in ("char", "word", "line"):
        path = write(tmp_path, export(doc, "pdf", dpi=DPI, level=level), f"{level}.pdf")
        assert poppler("pdftotext", path, "-").split() == ["𠀋𠀌", "ok"]
        assert_box(dict(bbox_words(path))["ok"], points(line.words[-1].box))


@pytest.mark.parametrize("angle", [2.0, -1.5])
def test_skewed_lines_extract_whole_and_in_order(tmp_path: Path, angle: float) -> None:
    """A scan a little askew: words come out whole, lines in order, boxes centred on the words."""
    texts = ["Skewed scans are common", "and must extract cleanly", "each one in its order"]
    a = math.radians(angle)
    lines = [make_line(Spec(t, (100 + 60 * k * math.sin(a), 300 + 60 * k * math.cos(a)), advance=14, height=40,
                            angle=angle)) for k, t in enumerate(texts)]
    doc = Document(pages=[Page(index=0, width=WIDTH, height=HEIGHT, blocks=[make_block(lines)])])
    path = write(tmp_path, export(doc, "pdf", dpi=DPI))
    assert poppler("pdftotext", path, "-").split() == " ".join(texts).split()
    found = dict(bbox_words(path))
    for word in (w for line in lines for w in line.words):
        got = found[word.text]
        centre = np.mean(np.array(word.quad), axis=0) * SCALE
        assert abs((got[0] + got[2]) / 2 - centre[0]) < TOLERANCE and abs((got[1] + got[3]) / 2 - centre[1]) < TOLERANCE


def test_pdfium_reads_the_same_text_and_character_boxes(pdf_path: Path, document: Document) -> None:
    """A second, independent reader (Chrome's), where it is installed: text and each CJK character's box."""
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument(str(pdf_path))
    textpage = pdf[0].get_textpage()
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n)
    assert text.replace("\r\n", "\n").split("\n") == [line.text for line in document.pages[0].lines]
    boxes: dict[str, list[tuple[float, ...]]] = {}
    for i in range(n):
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        boxes.setdefault(text[i], []).append((left, 432 - top, right, 432 - bottom))
    for line in (lines_by_name(document)[name] for name in CJK):
        for char in (c for w in line.words for c in w.chars):
            x0, y0, x1, y1 = points(char.box)
            # where the character starts along the line, and its extent across it (a glyph's width is the
            # run's mean advance, so its far edge is not checked)
            want = (y0, x0, x1) if line.vertical else (x0, y0, y1)
            got = [(b[1], b[0], b[2]) if line.vertical else (b[0], b[1], b[3]) for b in boxes[char.text]]
            assert any(max(abs(a - b) for a, b in zip(g, want, strict=True)) <= TOLERANCE for g in got), \
                (char.text, got, want)
    pdf.close()


def test_draw_page_matches_the_document() -> None:
    """The fixture image has its dark boxes where the words are (guards the other tests' premise)."""
    doc = build_document()
    image = np.asarray(draw_page(doc))
    x0, y0, x1, y1 = (int(v) for v in doc.pages[0].lines[0].words[0].box)
    assert image[y0 + 2:y1 - 2, x0 + 2:x1 - 2].max() < 128 and image[5:50, 5:50].min() == 255
