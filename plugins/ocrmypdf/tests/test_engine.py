"""polyocr as an OCRmyPDF engine, end to end through the real ``ocrmypdf`` command (small random model)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

pytest.importorskip("ocrmypdf")
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")


def ocrmypdf(args: list[str], checkpoint: Path, plugin: bool = True, timeout: int = 300):
    env = {**os.environ, "POLYOCR_MODEL": str(checkpoint), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "ocrmypdf", "--jobs", "1", *(["--plugin", "polyocr_ocrmypdf"] if plugin else []),
           *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def pdftotext(path: Path, *extra: str) -> str:
    return subprocess.run([PDFTOTEXT, *extra, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def ocred(tmp_path_factory, image_pdf, checkpoint):
    out = tmp_path_factory.mktemp("out") / "out.pdf"
    sidecar = out.with_suffix(".txt")
    # the model option is also accepted on the command line (here the same checkpoint as $POLYOCR_MODEL)
    r = ocrmypdf(["--polyocr-model", str(checkpoint), "--sidecar", str(sidecar), str(image_pdf), str(out)],
                 checkpoint)
    assert r.returncode == 0, r.stderr
    return out, sidecar


@needs_pdftotext
def test_text_layer(ocred):
    out, sidecar = ocred
    assert "a" in pdftotext(out)
    assert "a" in sidecar.read_text(encoding="utf-8")


@needs_pdftotext
def test_text_inside_page(ocred):
    xml = pdftotext(ocred[0], "-bbox")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xml)
    assert page
    width, height = float(page[1]), float(page[2])
    words = re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>',
                       xml)
    assert any(w[4] == "a" for w in words)
    tol = 0.5  # points
    for x0, y0, x1, y1, _ in words:
        assert -tol <= float(x0) < float(x1) <= width + tol
        assert -tol <= float(y0) < float(y1) <= height + tol
    # the bar is at y 180..215 of 400 px: the detected line is in the page's middle band, not at an edge
    y_mid = (float(words[0][1]) + float(words[0][3])) / 2
    assert 0.3 * height < y_mid < 0.7 * height


@pytest.mark.parametrize("flags", [["--rotate-pages"], ["--deskew"], ["--pdf-renderer", "sandwich"],
                                   ["-l", "eng+deu"], ["--polyocr-langs", "en", "--pdf-renderer", "sandwich"]],
                         ids=["rotate", "deskew", "sandwich", "language", "polyocr-langs"])
def test_options_run(tmp_path, image_pdf, checkpoint, flags):
    out = tmp_path / "out.pdf"
    r = ocrmypdf([*flags, str(image_pdf), str(out)], checkpoint)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0
    if PDFTOTEXT and "--pdf-renderer" in flags:
        assert "a" in pdftotext(out)


@pytest.mark.parametrize("flag", ["--skip-text", "--redo-ocr"])
def test_on_ocred_pdf(tmp_path, ocred, checkpoint, flag):
    out = tmp_path / "out.pdf"
    r = ocrmypdf([flag, str(ocred[0]), str(out)], checkpoint)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0
    if PDFTOTEXT:
        assert "a" in pdftotext(out)


@pytest.mark.skipif(not any(ep.value.startswith("polyocr_ocrmypdf") for ep in entry_points(group="ocrmypdf")),
                    reason="polyocr-ocrmypdf is not installed (no entry point)")
def test_entry_point_autodiscovery(tmp_path, image_pdf, checkpoint):
    out = tmp_path / "out.pdf"
    r = ocrmypdf([str(image_pdf), str(out)], checkpoint, plugin=False)
    assert r.returncode == 0, r.stderr
    if PDFTOTEXT:
        assert "a" in pdftotext(out)


# ---------------------------------------------------------------- engine methods, in process


@pytest.fixture()
def page_png(tmp_path):
    im = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(im).rectangle((60, 180, 540, 215), fill="black")
    path = tmp_path / "page.png"
    im.save(path, dpi=(150, 150))
    return path


@pytest.fixture()
def engine(checkpoint, monkeypatch):
    monkeypatch.setenv("POLYOCR_MODEL", str(checkpoint))
    from polyocr_ocrmypdf import PolyocrEngine

    return PolyocrEngine()


def test_engine_methods(engine, page_png, tmp_path):
    import polyocr
    from ocrmypdf.models.ocr_element import OcrClass

    assert engine.version() == polyocr.__version__
    assert "polyocr" in engine.creator_tag(None) and "polyocr" in str(engine)
    orient = engine.get_orientation(page_png, None)
    assert orient.angle == 0 and 0 <= orient.confidence <= 15
    assert engine.get_deskew(page_png, None) == pytest.approx(0.0, abs=10.0)

    tree, text = engine.generate_ocr(page_png, None, page_number=3)
    assert tree.ocr_class == OcrClass.PAGE and tree.page_number == 3 and tree.dpi == pytest.approx(150, rel=1e-3)  # PNG stores px/m
    words = [w for par in tree.children for line in par.children for w in line.children]
    assert words and all(w.ocr_class == OcrClass.WORD for w in words)
    assert "a" in text
    for w in words:
        assert 0 <= w.bbox.left <= w.bbox.right <= 600 and 0 <= w.bbox.top <= w.bbox.bottom <= 400

    hocr, txt = tmp_path / "p.hocr", tmp_path / "p.txt"
    engine.generate_hocr(page_png, hocr, txt, None)
    assert "ocrx_word" in hocr.read_text(encoding="utf-8") and "a" in txt.read_text(encoding="utf-8")

    pdf = tmp_path / "p.pdf"
    engine.generate_pdf(page_png, pdf, txt, None)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/Image" not in data  # text only, no page image
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert box  # 600x400 px at 150 dpi
    assert (float(box[1]), float(box[2])) == pytest.approx((288.0, 192.0), rel=1e-3)


def test_model_loaded_once_per_process(engine, page_png, tmp_path):
    from polyocr_ocrmypdf import engine as mod

    mod._CACHE.clear()
    mod._LAST.clear()
    engine.generate_ocr(page_png, None)
    other = tmp_path / "other.png"
    Image.open(page_png).save(other, dpi=(150, 150))
    engine.generate_ocr(other, None)
    assert len(mod._CACHE) == 1


def test_languages_accepts_any_request(engine):
    from types import SimpleNamespace

    langs = engine.languages(SimpleNamespace(languages=["eng", "xyz"]))
    assert {"eng", "xyz"} <= set(langs)


def test_polyocr_langs_restricts_what_lines_are_read_as(engine):
    """--polyocr-langs reaches polyocr.OCR(langs=...): the output layer keeps those packs' characters."""
    from types import SimpleNamespace

    from polyocr_ocrmypdf import engine as mod

    def options(langs):
        return SimpleNamespace(polyocr=SimpleNamespace(model=None, device="cpu", threads=1, langs=langs))

    mod._CACHE.clear()
    everything, english = mod.get_ocr(options(None)), mod.get_ocr(options("en"))
    assert english is not everything and english.langs == ["en"] and everything.langs is None
    assert everything.pipeline.head.classes is None
    kept = english.pipeline.head.classes.tolist()
    vocab = english.pipeline.vocab
    assert kept[0] == 0 and set(vocab.decode(kept[1:])) <= set(polyocr_pack_charset("en")) | {" "}


def polyocr_pack_charset(code: str) -> str:
    from polyocr.lang.registry import load_languages

    return load_languages().get(code).charset


def _page_of(lines: list[tuple[str, list[str]]]):
    """A result page of horizontal lines (text, words), the words laid out left to right."""
    from polyocr.infer.result import Block, Line, Page, Word, box_of

    out = []
    for row, (text, words) in enumerate(lines):
        y0, y1, x = 100 + 80 * row, 140 + 80 * row, 100.0
        ws = []
        for word in words:
            x1 = x + 40 * len(word)
            quad = [(x, y0), (x1, y0), (x1, y1), (x, y1)]
            ws.append(Word(text=word, quad=quad, box=box_of(quad), confidence=0.9))
            x = x1 + (15 if " " in text else 0)
        quad = [(100, y0), (x, y0), (x, y1), (100, y1)]
        out.append(Line(text=text, quad=quad, box=box_of(quad), confidence=0.9, words=ws))
    quad = [(100, 100), (1900, 100), (1900, 100 + 80 * len(lines)), (100, 100 + 80 * len(lines))]
    return Page(index=0, width=2000, height=1000,
                blocks=[Block(text="\n".join(t for t, _ in lines), quad=quad, box=box_of(quad), confidence=0.9, lines=out)])


@needs_pdftotext
def test_korean_words_keep_their_spaces_in_the_text_layer(tmp_path):
    """OCRmyPDF's renderer joins CJK words without a space; Korean is spaced, Japanese is not: through
    the real renderer, pdftotext finds the Korean words apart and the Japanese ones together."""
    import ocrmypdf
    from ocrmypdf.font import MultiFontManager
    from ocrmypdf.fpdf_renderer.renderer import Fpdf2PdfRenderer
    from polyocr_ocrmypdf.engine import to_ocr_element

    page = _page_of([("현재 데비안은 리눅스에서만", ["현재", "데비안은", "리눅스에서만"]),
                     ("日本語です", ["日本語", "です"])])
    element = to_ocr_element(page, 200.0)
    words = [w.text for par in element.children for line in par.children for w in line.children]
    assert words == ["현재 ", "데비안은 ", "리눅스에서만", "日本語", "です"]
    fonts = MultiFontManager(Path(ocrmypdf.__file__).parent / "data")
    Fpdf2PdfRenderer(page=element, dpi=200.0, multi_font_manager=fonts).render(tmp_path / "layer.pdf")
    text = pdftotext(tmp_path / "layer.pdf")
    assert re.search(r"현재\s+데비안은\s+리눅스에서만", text), text
    assert "日本語です" in text, text
