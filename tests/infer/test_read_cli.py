"""``polyocr read`` end to end in every format, read back by independent tools."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from lxml import etree
from PIL import Image

POLYOCR = [sys.executable, "-m", "polyocr.cli"]


@pytest.fixture
def scan(tmp_path):
    image = Image.new("RGB", (320, 200), "white")
    image.paste((0, 0, 0), (20, 60, 300, 84))
    path = tmp_path / "scan.png"
    image.save(path, dpi=(150, 150))
    return path


def read(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*POLYOCR, "read", *args], capture_output=True, text=True, timeout=600)


def test_text_to_stdout_and_stdin(scan, checkpoint):
    result = read(str(scan), "--model", str(checkpoint))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a"
    piped = subprocess.run([*POLYOCR, "read", "-", "--model", str(checkpoint)], input=scan.read_bytes(),
                           capture_output=True, timeout=600)
    assert piped.returncode == 0 and piped.stdout.decode().strip() == "a"


@pytest.mark.parametrize("fmt,suffix", [("json", ".json"), ("hocr", ".hocr"), ("alto", ".xml"), ("pdf", ".pdf")])
def test_every_format_is_written_and_readable(scan, checkpoint, tmp_path, fmt, suffix):
    out = tmp_path / "out"
    result = read(str(scan), "--model", str(checkpoint), "--format", fmt, "--out", str(out), "--show")
    assert result.returncode == 0, result.stderr
    target = out / f"scan{suffix}"
    assert target.exists() and (out / "scan.p1.boxes.png").exists()
    if fmt == "json":
        data = json.loads(target.read_text())
        assert data["pages"][0]["blocks"][0]["lines"][0]["text"] == "a"
    elif fmt in ("hocr", "alto"):
        root = etree.parse(str(target)).getroot()
        words = [e.text for e in root.iter() if e.get("class") == "ocrx_word"] if fmt == "hocr" else \
            [e.get("CONTENT") for e in root.iter("{*}String")]
        assert words == ["a"]
    else:
        if shutil.which("pdftotext") is None:
            pytest.fail("pdftotext (Debian poppler-utils) is needed to read the PDF back")
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
        assert text.strip() == "a"
