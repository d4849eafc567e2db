"""txt, json, hOCR and ALTO read back with independent parsers (lxml) and checked against the tree."""

from __future__ import annotations

import re

import pytest
from sample_document import SPECS, build_document
from lxml import etree

from polyocr.errors import PolyocrError
from polyocr.export import FORMATS, export, spaced_after
from polyocr.infer.result import Document, Page

XHTML = "{http://www.w3.org/1999/xhtml}"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def rounded(box) -> list[int]:
    return [round(v) for v in box]


def title_props(title: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in title.split(";") if part.strip())


# --- dispatch --------------------------------------------------------------------------------------------

def test_formats_table_names_function_suffix_and_binary(document: Document) -> None:
    assert set(FORMATS) == {"txt", "json", "hocr", "alto", "pdf"}
    for name, (function, suffix, binary) in FORMATS.items():
        assert suffix.startswith(".") and callable(function)
        if name != "pdf":
            assert not binary and isinstance(document.export(name), str)
    assert FORMATS["pdf"][2] is True


def test_unknown_format_names_the_known_ones(document: Document) -> None:
    with pytest.raises(PolyocrError, match="unknown export format 'docx'") as err:
        export(document, "docx")
    assert all(name in str(err.value) for name in FORMATS)


def test_unknown_option_and_level_are_user_errors(document: Document) -> None:
    with pytest.raises(PolyocrError, match="colour"):
        export(document, "hocr", colour="red")
    with pytest.raises(PolyocrError, match="word, line, paragraph"):
        export(document, "json", level="sentence")
    assert export(document, "hocr", level=None) == export(document, "hocr")  # None: the default


# --- txt -------------------------------------------------------------------------------------------------

def test_txt_is_reading_order_with_blank_lines_and_form_feeds() -> None:
    doc = build_document()
    two = Document(pages=[doc.pages[0], doc.pages[0].model_copy(update={"index": 1})])
    text = export(two, "txt", level="line")  # level is accepted and ignored
    page = ("Hello searchable world\nsecond line, & <markup> \"quoted\"\nПривет широкий мир\n"
            "안녕하세요 세계 여러분\n日本語の文章です\n\n中文竖排文字\n\nRotated margin note\n")
    assert text == page + "\f" + page
    assert export(Document(pages=[]), "txt") == ""


# --- json ------------------------------------------------------------------------------------------------

def test_json_round_trips(document: Document) -> None:
    assert Document.model_validate_json(export(document, "json")) == document


@pytest.mark.parametrize("level", ["word", "line", "paragraph"])
def test_json_level_prunes_below_it(document: Document, level: str) -> None:
    back = Document.model_validate_json(export(document, "json", level=level))
    blocks = back.pages[0].blocks
    lines = [ln for b in blocks for ln in b.lines]
    words = [w for ln in lines for w in ln.words]
    assert [b.text for b in blocks] == [b.text for b in document.pages[0].blocks]
    assert bool(lines) == (level != "paragraph")
    assert bool(words) == (level == "word")
    assert not any(w.chars for w in words)
    assert document.pages[0].lines[0].words[0].chars  # the original is untouched


# --- hOCR ------------------------------------------------------------------------------------------------

def parse_hocr(text: str) -> etree._Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return etree.fromstring(text.encode("utf-8"))


def by_class(root: etree._Element, cls: str) -> list[etree._Element]:
    return root.xpath(f"//*[@class='{cls}']")


def test_hocr_is_xhtml_with_the_hocr_metadata(document: Document) -> None:
    root = parse_hocr(export(document, "hocr"))
    assert root.tag == f"{XHTML}html"
    meta = {m.get("name"): m.get("content") for m in root.iter(f"{XHTML}meta") if m.get("name")}
    assert meta["ocr-system"].startswith("polyocr")
    assert set(meta["ocr-capabilities"].split()) == {"ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word",
                                                     "ocrp_wconf"}
    assert meta["ocr-number-of-pages"] == "1"
    (page,) = by_class(root, "ocr_page")
    assert title_props(page.get("title")) == {"bbox": "0 0 1200 900", "ppageno": "0"}
    assert not root.xpath("//*[@lang]")  # the language of a paragraph is not known


def test_hocr_image_is_quoted_in_the_page_title() -> None:
    root = parse_hocr(export(build_document(source='/scans/a "b".png'), "hocr"))
    (page,) = by_class(root, "ocr_page")
    assert page.get("title").startswith('image "/scans/a \\"b\\".png"; bbox 0 0 1200 900')


def test_hocr_tree_boxes_and_reading_order_match_the_document(document: Document) -> None:
    root = parse_hocr(export(document, "hocr"))
    page = document.pages[0]
    pars = by_class(root, "ocr_par")
    assert [p.getparent().get("class") for p in pars] == ["ocr_carea"] * len(page.blocks)
    for par, block in zip(pars, page.blocks, strict=True):
        assert title_props(par.get("title"))["bbox"].split() == [str(v) for v in rounded(block.box)]
        hlines = par.xpath("./*[@class='ocr_line']")
        assert len(hlines) == len(block.lines)
        for hline, line in zip(hlines, block.lines, strict=True):
            props = title_props(hline.get("title"))
            assert [int(v) for v in props["bbox"].split()] == rounded(line.box)
            assert "".join(hline.itertext()).strip() == line.text  # spaces only where the line has them
            hwords = hline.xpath("./*[@class='ocrx_word']")
            assert [w.text for w in hwords] == [w.text for w in line.words]
            for hword, word in zip(hwords, line.words, strict=True):
                wprops = title_props(hword.get("title"))
                assert [int(v) for v in wprops["bbox"].split()] == rounded(word.box)
                assert wprops["x_wconf"] == "90"
    words = [w.text for w in by_class(root, "ocrx_word")]
    assert words == [w.text for line in page.lines for w in line.words]
    assert '<markup>' in words and '"quoted"' in words and "&" in words  # escaped, read back intact


def test_hocr_lines_carry_baseline_or_textangle(document: Document) -> None:
    root = parse_hocr(export(document, "hocr"))
    props = [title_props(el.get("title")) for el in by_class(root, "ocr_line")]
    lines = document.pages[0].lines
    for p, line in zip(props, lines, strict=True):
        if line.vertical:
            assert p["textangle"] == "270" and "baseline" not in p  # read downwards
        elif line.text.startswith("Rotated"):
            assert p["textangle"] == "90" and "baseline" not in p  # read upwards
        else:
            slope, offset = p["baseline"].split()
            assert float(slope) == 0
            # 36 px high, baseline 20 % above the bottom edge
            assert float(offset) == pytest.approx(-0.2 * SPECS["latin"].height, abs=1)
            assert "textangle" not in p


def test_hocr_levels_leave_out_finer_elements(document: Document) -> None:
    root = parse_hocr(export(document, "hocr", level="line"))
    assert not by_class(root, "ocrx_word")
    assert [el.text for el in by_class(root, "ocr_line")] == [ln.text for ln in document.pages[0].lines]
    assert "ocrx_word" not in root.xpath("string(//*[@name='ocr-capabilities']/@content)")

    root = parse_hocr(export(document, "hocr", level="paragraph"))
    assert not by_class(root, "ocr_line")
    assert [el.text for el in by_class(root, "ocr_par")] == [b.text for b in document.pages[0].blocks]

    root = parse_hocr(export(document, "hocr", level="char"))
    cinfo = by_class(root, "ocrx_cinfo")
    chars = [c for line in document.pages[0].lines for w in line.words for c in w.chars]
    assert [c.text for c in cinfo] == [c.text for c in chars]
    first = title_props(cinfo[0].get("title"))
    assert [int(v) for v in first["x_bboxes"].split()] == rounded(chars[0].box)


def test_hocr_ids_are_unique_across_pages(document: Document) -> None:
    page = document.pages[0]
    root = parse_hocr(export(Document(pages=[page, page]), "hocr"))
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


# --- ALTO ------------------------------------------------------------------------------------------------

def parse_alto(text: str) -> etree._Element:
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ALTO}alto"
    location = root.get(f"{XSI}schemaLocation").split()
    assert location[0] == "http://www.loc.gov/standards/alto/ns-v4#" and location[1].endswith(".xsd")
    return root


def position(el: etree._Element) -> list[int]:
    x, y, w, h = (int(el.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return [x, y, x + w, y + h]


def test_alto_description_and_page() -> None:
    root = parse_alto(export(build_document(source="scan.png"), "alto"))
    desc = root.find(f"{ALTO}Description")
    assert [c.tag for c in desc] == [f"{ALTO}MeasurementUnit", f"{ALTO}sourceImageInformation", f"{ALTO}OCRProcessing"]
    assert desc.findtext(f"{ALTO}MeasurementUnit") == "pixel"
    assert desc.findtext(f".//{ALTO}fileName") == "scan.png"
    assert desc.find(f"{ALTO}OCRProcessing").get("ID")
    assert desc.findtext(f".//{ALTO}ocrProcessingStep/{ALTO}processingSoftware/{ALTO}softwareName") == "polyocr"
    (page,) = root.iter(f"{ALTO}Page")
    attrs = [page.get(k) for k in ("ID", "PHYSICAL_IMG_NR", "WIDTH", "HEIGHT")]
    assert attrs == ["page_1", "1", "1200", "900"]
    assert [c.tag for c in page] == [f"{ALTO}PrintSpace"]


def test_alto_strings_boxes_and_spaces_match_the_document(document: Document) -> None:
    root = parse_alto(export(document, "alto"))
    page = document.pages[0]
    blocks = list(root.iter(f"{ALTO}TextBlock"))
    assert len(blocks) == len(page.blocks)
    for tblock, block in zip(blocks, page.blocks, strict=True):
        assert position(tblock) == rounded(block.box)
        tlines = tblock.findall(f"{ALTO}TextLine")
        for tline, line in zip(tlines, block.lines, strict=True):
            assert position(tline) == rounded(line.box)
            tags = [etree.QName(c).localname for c in tline]
            # schema order: optional Shape, then String (SP String)*
            body = tags[1:] if tags[0] == "Shape" else tags
            assert re.fullmatch(r"String(,SP,String|,String)*", ",".join(body)), body
            strings = tline.findall(f"{ALTO}String")
            assert [s.get("CONTENT") for s in strings] == [w.text for w in line.words]
            for s, word in zip(strings, line.words, strict=True):
                assert position(s) == rounded(word.box)
                assert float(s.get("WC")) == pytest.approx(0.9)
            # an SP exactly between the words the line's text separates with a space
            after_each = [body[i + 1] == "SP" for i, t in enumerate(body[:-1]) if t == "String"]
            assert after_each == spaced_after(line)[:-1]
    contents = [s.get("CONTENT") for s in root.iter(f"{ALTO}String")]
    assert contents == [w.text for line in page.lines for w in line.words]
    ids = root.xpath("//@ID")
    assert len(ids) == len(set(ids))


def test_alto_rotated_and_vertical_geometry(document: Document) -> None:
    root = parse_alto(export(document, "alto"))
    blocks = list(root.iter(f"{ALTO}TextBlock"))
    assert blocks[0].get("ROTATION") is None
    assert blocks[1].get("ROTATION") is None  # vertical CJK: upright glyphs
    assert blocks[2].get("ROTATION") == "90"  # read bottom to top
    column = blocks[1].find(f"{ALTO}TextLine")
    points = column.find(f"{ALTO}Shape/{ALTO}Polygon").get("POINTS")
    assert points == "1080,80 1080,320 1040,320 1040,80"  # start-top, end-top, end-bottom, start-bottom
    assert not column.findall(f"{ALTO}SP")
    assert blocks[0].find(f"{ALTO}TextLine/{ALTO}Shape") is None  # upright boxes need no polygon


def test_alto_levels(document: Document) -> None:
    root = parse_alto(export(document, "alto", level="line"))
    assert [s.get("CONTENT") for s in root.iter(f"{ALTO}String")] == [ln.text for ln in document.pages[0].lines]
    assert not list(root.iter(f"{ALTO}SP"))
    root = parse_alto(export(document, "alto", level="char"))
    glyphs = [g.get("CONTENT") for g in root.iter(f"{ALTO}Glyph")]
    assert glyphs == [c.text for line in document.pages[0].lines for w in line.words for c in w.chars]


def test_xml_formats_survive_control_characters() -> None:
    doc = build_document()
    line = doc.pages[0].blocks[0].lines[0]
    line.words[0].text = "He\x0bllo"
    line.text = "He\x0bllo searchable world"
    for fmt in ("hocr", "alto"):
        etree.fromstring(export(doc, fmt).encode("utf-8"))  # still well-formed


def test_empty_document_exports() -> None:
    empty = Document(pages=[Page(index=0, width=10, height=10)])
    for fmt in ("txt", "json", "hocr", "alto"):
        assert isinstance(export(empty, fmt), str)
    assert export(empty, "pdf").startswith(b"%PDF-")
