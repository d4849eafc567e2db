"""The pure-Python pieces of the real-page benchmarks (tools/realpages.py, bench_ocr.py, bench_ocrmypdf.py):
whitespace normalisation, the page-selection rule, licences, the manifest reader, the result tables.
No network, no Tesseract, no model."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.fixture(scope="module")
def tools():
    sys.path.insert(0, str(TOOLS))
    try:
        yield {name: importlib.import_module(name) for name in ("realpages", "bench_ocr", "bench_ocrmypdf")}
    finally:
        sys.path.remove(str(TOOLS))


def test_whitespace_normalisation(tools):
    norm = tools["realpages"].normalize_whitespace
    raw = "  Debian 新メンテナーガイド\t\t\t   6 / 63  \n\n\n  Chapter\u00a02\u3000第一步 \f\n   \n"
    assert norm(raw) == "Debian 新メンテナーガイド 6 / 63\nChapter 2 第一步"
    assert norm("") == ""
    assert norm(norm(raw)) == norm(raw)


def test_script_share(tools):
    share = tools["realpages"].script_share
    assert share("The quick brown fox", "en") == 1.0
    assert share("Руководство для сопровождающих Debian", "ru") == pytest.approx(28 / 34)
    assert share("데비안은 1993 년이래로", "ko") == 1.0
    ja = "アップストリームのプログラムを使って Debian パッケージを作成する"
    assert share(ja, "ja") > 0.8
    assert share("上游维护者：目前在上游维护程序代码的人。", "ja") == 0.0   # no kana: Chinese, not Japanese
    assert share("上游维护者：目前在上游维护程序代码的人。", "zh_hans") == 1.0
    assert share(ja, "zh_hans") == 0.0                                     # kana: not Chinese
    assert share("1234 ... !!", "en") == 0.0                              # no letters at all
    with pytest.raises(ValueError):
        share("text", "xx")


def test_toc_and_mono_detection(tools):
    rp = tools["realpages"]
    toc = "Contents\n1 Getting started . . . . . . . . 1\n1.1 Social dynamics ........ 3\n2 First steps        12\n"
    assert rp.toc_share(toc) == pytest.approx(3 / 4)
    body = "Debian was begun in August 1993 by Ian Murdock,\nas a new distribution which would be made openly, 1993\n"
    assert rp.toc_share(body) == 0.0
    xml = """<?xml version="1.0"?><pdf2xml>
<page number="3"><fontspec id="0" family="AIOPNF+LiberationSerif"/><fontspec id="1" family="KTPWFC+LiberationMono"/>
<text font="0">Some body text here</text><text font="1">$ make</text></page>
<page number="4"><text font="1">code only</text></page>
<page number="5"></page></pdf2xml>"""
    shares = rp.mono_shares(xml)
    assert shares[3] == pytest.approx(5 / 21)
    assert shares[4] == 1.0
    assert shares[5] == 0.0


def test_selection_rule(tools):
    rp = tools["realpages"]
    prose = ("Debian was begun in August 1993 by Ian Murdock, as a new distribution which would be made "
             "openly, in the spirit of Linux and GNU. ") * 12
    assert rp.judge(7, prose, 0.0, "en").eligible
    assert not rp.judge(7, prose[:300], 0.0, "en").eligible           # too little text
    assert not rp.judge(7, prose, 0.4, "en").eligible                 # a code listing
    assert not rp.judge(7, prose, 0.0, "ru").eligible                 # wrong script
    toc = "".join(f"{i}.{j} Section title {i}{j} . . . . . . . . . . {i * 10 + j}\n" for i in range(1, 9) for j in range(6))
    assert not rp.judge(2, toc, 0.0, "en").eligible
    # the spread: deterministic, evenly spread, everything when there are few
    assert rp.spread(list(range(1, 11)), 3) == [2, 6, 9]
    assert rp.spread([4, 8], 3) == [4, 8]
    assert rp.spread(list(range(100)), 4) == rp.spread(list(range(100)), 4)
    # the dev split: evenly spread over what the test split leaves, never one of its pages
    eligible = [rp.judge(page, prose, 0.0, "en") for page in range(1, 11)]
    test, dev = rp.choose(eligible, 3, "test"), rp.choose(eligible, 3, "dev")
    assert [v.page for v in test] == [2, 6, 9] and [v.page for v in dev] == [3, 5, 8]
    assert [v.page for v in rp.choose(eligible[:5], 3, "dev")] == [2, 4]   # fewer left than wanted: all of them
    assert rp.choose(eligible[:3], 3, "dev") == []
    with pytest.raises(ValueError, match="unknown split"):
        rp.choose(eligible, 3, "train")


def test_licences(tools):
    lic = tools["realpages"].licence_from_copyright
    dep5 = ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
            "Files:     *\nCopyright: 2015 Osamu Aoki\nLicense:   Expat\n Permission is hereby granted\n\n"
            "Files: png/*.png\nLicense: public-domain\n")
    assert lic(dep5) == "Expat"
    assert lic(dep5.replace("License:   Expat", "License:   GPL-2.0+")) == "GPL-2.0-or-later"
    assert lic(dep5.replace("License:   Expat", "License:   GPL-2+")) == "GPL-2.0-or-later"
    gpl = ("This document is free software; you can redistribute it and/or modify it under the terms of the GNU\n"
           "General Public License as published by the Free Software Foundation; either version 2 of the License,\n"
           "or (at your option) any later version.\n")
    assert lic(gpl) == "GPL-2.0-or-later"
    assert lic(gpl.replace("or (at your option) any later version.", "")) == "GPL-2.0-only"
    assert lic("Permission is granted to make and distribute verbatim copies of this document").startswith("verbatim")
    assert lic("All rights reserved.") is None
    free_form = "This is the Debian package of R.\n\nCopyright: 1995-2022 R Core Team\nLicense: GPL-2\nPortions License: LGPL\n"
    assert lic(free_form) == "GPL-2.0-only"


def _page_set(root: Path, pages: dict[str, int]) -> None:
    entries = []
    for lang, n in pages.items():
        (root / lang).mkdir(parents=True)
        for i in range(n):
            name = f"doc-p{i + 1:03d}"
            (root / lang / f"{name}.png").write_bytes(b"png")
            (root / lang / f"{name}.txt").write_text(f"{lang} page {i + 1}\n", encoding="utf-8")
            entries.append({"lang": lang, "name": name, "image": f"{lang}/{name}.png", "text": f"{lang}/{name}.txt"})
    manifest = {"format": "polyocr-realpages", "version": 1, "pages": entries}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_read_manifest(tools, tmp_path):
    rp = tools["realpages"]
    _page_set(tmp_path, {"en": 3, "ja": 2, "ko": 2})
    pages = rp.read_manifest(tmp_path, ["ko", "en"], limit=2)
    assert [(p["lang"], p["name"]) for p in pages] == [("ko", "doc-p001"), ("ko", "doc-p002"),
                                                       ("en", "doc-p001"), ("en", "doc-p002")]
    assert pages[0]["truth"] == "ko page 1\n" and Path(pages[0]["image"]).is_absolute()
    assert len(rp.read_manifest(tmp_path, None, None)) == 7
    with pytest.raises(rp.RealPagesError, match="no pages for: ru"):
        rp.read_manifest(tmp_path, ["ru"])
    (tmp_path / "ja" / "doc-p002.png").unlink()
    with pytest.raises(rp.RealPagesError, match="doc-p002.png is missing"):
        rp.read_manifest(tmp_path, ["ja"])
    with pytest.raises(rp.RealPagesError, match="tools/realpages.py"):
        rp.read_manifest(tmp_path / "nowhere")
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(rp.RealPagesError, match="not valid JSON"):
        rp.read_manifest(tmp_path)


def test_excluded_packages_are_refused(tools, tmp_path):
    rp = tools["realpages"]
    for package in ("texlive-lang-korean", "libreoffice-help-ko", "debian-reference-ja", "gimp-help-ko", "manpages-ja"):
        with pytest.raises(rp.RealPagesError, match="held out"):
            rp.fetch(package, None, tmp_path)
    assert not any(rp.EXCLUDED.match(s.package) for s in rp.SOURCES)
    for lang in rp.LANGS:
        assert sum(s.pages for s in rp.SOURCES if s.lang == lang) >= 6


def test_bench_tables(tools):
    bo = tools["bench_ocr"]
    records = [
        {"lang": "en", "polyocr": {"seconds": 1.0, "ned": 0.5}, "polyocr_lang": {"seconds": 0.5, "ned": 0.4},
         "tesseract": {"seconds": 2.0, "ned": 0.1}, "tesseract_all": {"seconds": 4.0, "ned": 0.2}},
        {"lang": "en", "polyocr": {"seconds": 3.0, "ned": 0.3}, "polyocr_lang": {"seconds": 1.5, "ned": 0.2},
         "tesseract": {"seconds": 2.0, "ned": 0.1}, "tesseract_all": {"seconds": 4.0, "ned": 0.2}},
        {"lang": "ja", "polyocr": {"seconds": 1.0, "ned": 1.0}, "polyocr_lang": {"seconds": 1.0, "ned": 0.9},
         "tesseract": {"seconds": 4.0, "ned": 0.0}, "tesseract_all": {"seconds": 8.0, "ned": 0.4}},
    ]
    summary = bo.summarize(records, bo.ENGINES, ["en", "ja"])
    assert summary["en"]["polyocr"]["ned"] == pytest.approx(0.4)
    assert summary["en"]["polyocr"]["pages_per_s"] == pytest.approx(0.5)     # 2 pages in 4 s
    assert summary["all"]["tesseract"]["pages_per_s"] == pytest.approx(3 / 8)
    assert summary["en"]["polyocr_lang"]["ned"] == pytest.approx(0.3)
    text = bo.table(summary, bo.ENGINES)
    assert text.splitlines()[0].startswith("| lang | pages | polyocr NED")
    assert text.splitlines()[-1].startswith("| **all** | 3 |")
    # NED: whitespace removed for unspaced scripts only
    assert bo.ned_of("日本 語", "日本語", "ja") == 0.0
    assert bo.ned_of("a  b\n", "a b", "en") == 0.0
    assert bo.ned_of("ab", "a b", "ko") > 0
    assert bo.TESS_ALL == "eng+jpn+kor+rus+chi_sim+chi_tra"


def test_ocrmypdf_commands(tools):
    bp = tools["bench_ocrmypdf"]
    ours = bp.command("polyocr", "ko", Path("in.pdf"), Path("out.pdf"), None)
    assert ours[1:] == ["--jobs", "1", "--quiet", "--plugin", "polyocr_ocrmypdf", "in.pdf", "out.pdf"]
    tess = bp.command("tesseract", "zh_hant", Path("in.pdf"), Path("out.pdf"), "ckpt")
    assert tess[1:] == ["--jobs", "1", "--quiet", "--ocr-engine", "tesseract", "-l", "chi_tra", "in.pdf", "out.pdf"]
    assert bp.command("polyocr", "en", Path("a"), Path("b"), "ckpt")[-4:-2] == ["--polyocr-model", "ckpt"]


def test_bench_processes_count_every_page_and_report_failures(tools, tmp_path):
    """``bench_ocr.py --procs``: N processes (the bundled model loaded in each) read every page --repeat
    times; the pages/s covers all of them, and a process that fails fails the measurement."""
    from PIL import Image, ImageDraw

    bo = tools["bench_ocr"]
    image = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(image).text((20, 40), "Hello processes", fill=0)
    image.save(tmp_path / "page.png")
    pages = [{"lang": "en", "name": "page", "image": str(tmp_path / "page.png"), "truth": "Hello processes"}]
    args = SimpleNamespace(procs="1,2", repeat=2, model=None, device="cpu")
    result = bo.bench_procs(pages, args)
    assert [(r["procs"], r["pages"]) for r in result["rows"]] == [(1, 2), (2, 4)]
    assert all(r["pages_per_s"] > 0 for r in result["rows"])
    broken = [{**pages[0], "image": str(tmp_path / "missing.png")}]
    with pytest.raises(bo.BenchError, match="process 0"):
        bo.bench_procs(broken, SimpleNamespace(procs="1", repeat=1, model=None, device="cpu"))


def test_measure_settings_reads_the_dev_split_and_reports_a_missing_set(tools, tmp_path, capsys):
    sys.path.insert(0, str(TOOLS))
    try:
        ms = importlib.import_module("measure_settings")
    finally:
        sys.path.remove(str(TOOLS))
    assert ms.parse_variant("d17:detect_line=17,model='runs/x'") == ("d17", {"detect_line": 17, "model": "runs/x"})
    # a bare word is a string (it was a traceback from ast.literal_eval)
    assert ms.parse_variant("geo:reading_order=geometry,neck=0.3") == ("geo", {"reading_order": "geometry", "neck": 0.3})
    assert ms.main(["a:", "--pages", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "manifest.json does not exist" in err and "--split dev" in err and "Traceback" not in err
    assert "realpages-dev" in ms.__doc__
    # a paired difference: pages better and worse, and an interval that holds 0 when the pages disagree
    base = [0.010, 0.020, 0.030, 0.040, 0.050, 0.060]
    worse = ms.paired_difference(base, [x + 0.004 for x in base])
    assert (worse["better"], worse["worse"]) == (0, 6) and worse["mean"] == pytest.approx(0.004)
    assert worse["low"] == pytest.approx(0.004) and worse["high"] == pytest.approx(0.004)
    mixed = ms.paired_difference(base, [0.000, 0.030, 0.020, 0.050, 0.050, 0.060])
    assert (mixed["better"], mixed["worse"]) == (2, 2) and mixed["low"] < 0 < mixed["high"]
    with pytest.raises(ValueError, match="same pages"):
        ms.paired_difference(base, base[:3])


def test_unlabelled_pages_never_come_from_a_benchmark_document_or_a_held_out_package(tools, monkeypatch):
    sys.path.insert(0, str(TOOLS))
    try:
        up = importlib.import_module("unlabelled_pages")
    finally:
        sys.path.remove(str(TOOLS))
    rp = tools["realpages"]
    up.check_disjoint()
    assert not any(rp.EXCLUDED.match(src.package) for src in up.DOCUMENTS)
    monkeypatch.setattr(up, "DOCUMENTS", up.DOCUMENTS + (rp.SOURCES[0],))
    with pytest.raises(rp.RealPagesError, match="is a benchmark document"):
        up.check_disjoint()
    assert "Noto Serif CJK JP" in up.stylesheet("ja") and "CJK" not in up.stylesheet("ru")
    assert rp.WEASY_CSS == rp.weasy_css('"NanumMyeongjo", serif', '"NanumGothic", sans-serif')


def test_a_manifest_is_written_whole_or_not_at_all(tools, tmp_path, monkeypatch):
    write = tools["realpages"].write_manifest
    path = tmp_path / "manifest.json"
    write(path, {"format": "polyocr-realpages", "pages": [{"name": "p"}]})
    assert json.loads(path.read_text(encoding="utf-8"))["pages"] == [{"name": "p"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]

    def fail(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", fail)
    with pytest.raises(OSError):
        write(path, {"format": "polyocr-realpages", "pages": []})
    assert json.loads(path.read_text(encoding="utf-8"))["pages"] == [{"name": "p"}]  # the old one stands


def test_the_form_pages_truths_are_the_visible_text_of_three_forms(tools):
    formpages = importlib.import_module("formpages")
    assert sorted(formpages.FORMS) == ["FormTestFromOo", "SF424_page2", "libreoffice-form"]
    for name, truth in formpages.FORMS.items():
        lines = truth.splitlines()
        assert len(lines) >= 8 and all(line == line.strip() and line for line in lines), name
    assert "MBL-SF424FAMILY-ALLFORMS" not in formpages.FORMS["SF424_page2"]  # a hidden field's value: not shown


def test_the_tex_pages_come_from_tex_documents_of_packages_that_are_not_training_sources(tools):
    texpages = importlib.import_module("texpages")
    rp = tools["realpages"]
    docs = texpages.DOCUMENTS
    assert {d.lang for d in docs} == {"en", "ja"}
    assert sum(d.pages + len(d.fixed) for d in docs if d.lang == "en") >= 5
    assert sum(d.pages + len(d.fixed) for d in docs if d.lang == "ja") >= 5
    for d in docs:
        assert not rp.EXCLUDED.match(d.package), d.package
        assert d.path.endswith(".pdf") and (d.pages > 0) != bool(d.fixed), d.name
    assert len({d.name for d in docs}) == len(docs)
