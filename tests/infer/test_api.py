"""polyocr.OCR on arrays, PIL images and files; the result tree is consistent."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import polyocr
from polyocr.errors import PolyocrError
from polyocr.infer.result import Document


def page() -> np.ndarray:
    image = np.full((256, 320, 3), 255, np.uint8)
    image[60:84, 20:300] = 0
    image[140:164, 20:200] = 0
    return image


def test_reads_arrays_images_and_lists(checkpoint, tmp_path):
    ocr = polyocr.OCR(checkpoint)
    doc = ocr.read(page())
    assert isinstance(doc, Document) and len(doc.pages) == 1
    p = doc.pages[0]
    assert (p.width, p.height) == (320, 256)
    assert [line.text for line in p.lines] == ["a"], "the test model reads one line 'a' per page"
    for line in p.lines:
        xs = [q[0] for q in line.quad]
        assert line.box[0] == min(xs) and 0 <= line.confidence <= 1
        for word in line.words:
            assert word.text and set(word.text) <= set(line.text)
    Image.fromarray(page()).save(tmp_path / "p.png")
    many = ocr.read([tmp_path / "p.png", Image.fromarray(page()), page()[:, :, 0]])
    assert len(many.pages) == 3
    assert Document.model_validate_json(doc.model_dump_json()) == doc


def test_missing_model_and_bad_device_are_clear_errors(tmp_path):
    with pytest.raises(PolyocrError, match="not a polyocr checkpoint"):
        polyocr.OCR(tmp_path)
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(PolyocrError, match="no CUDA GPU"):
            polyocr.OCR(tmp_path, device="cuda")


def test_a_language_hint_reads_only_those_languages_characters(tmp_path):
    """langs= keeps the named packs' characters: a model that always writes 日 writes it for a Japanese
    hint and cannot for an English one (en's charset has no kanji)."""
    from polyocr.model.testing import constant_checkpoint

    kanji = constant_checkpoint(tmp_path / "kanji", char="日")
    assert "日" in polyocr.OCR(kanji).read(page()).text
    assert "日" in polyocr.OCR(kanji, langs=["ja"]).read(page()).text
    assert "日" not in polyocr.OCR(kanji, langs=["en"]).read(page()).text
    with pytest.raises(PolyocrError, match="no language pack provides 'xx'"):
        polyocr.OCR(kanji, langs=["xx"])


def test_a_language_hint_keeps_the_punctuation_of_every_pack(tmp_path, installed_languages):
    """A bullet belongs to no script; only the English pack lists it, and a Chinese document uses it
    as well: a model that always writes • writes it under a Simplified-Chinese hint too."""
    from polyocr.model.testing import constant_checkpoint

    assert "•" not in installed_languages.packs["zh_hans"].charset and "•" in installed_languages.packs["en"].charset
    bullet = constant_checkpoint(tmp_path / "bullet", chars=" abc•日", char="•")
    assert "•" in polyocr.OCR(bullet, langs=["zh_hans"]).read(page()).text
