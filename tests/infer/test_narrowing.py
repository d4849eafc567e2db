"""A page is read with the output classes of the scripts its probe shows, and steps that no class left
fits are read with the whole layer: the text is the whole layer's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from polyocr.infer.narrowing import ScriptNarrowing
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.ocr import ReadingHead, best_steps

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
HAN = "".join(chr(0x4E00 + k) for k in range(40))
HANGUL = "".join(chr(0xAC00 + k) for k in range(30))
VOCAB = Vocabulary(" abcdefgh.,0123" + HAN + HANGUL + "абвгд")


def narrowing(classes: list[int] | None = None) -> tuple[ScriptNarrowing, torch.nn.Linear]:
    layer = torch.nn.Linear(8, len(VOCAB))
    return ScriptNarrowing(VOCAB, ReadingHead.of(layer, classes), layer, min_classes=20), layer


def kept_chars(head: ReadingHead) -> str:
    return "".join(VOCAB.chars[k - 1] for k in head.classes.tolist()[1:])


def test_large_scripts_the_probe_does_not_show_are_left_out():
    narrow, _ = narrowing()
    assert narrow.large == {"Hani", "Hang"}  # Latin (8) and Cyrillic (5) are too small to bother
    latin = narrow.head_for(["a bad face", "0.12"])
    assert latin.classes[0] == 0 and set(kept_chars(latin)) == set(" abcdefgh.,0123абвгд")
    han = narrow.head_for(["a 丁 b"])
    assert set(kept_chars(han)) == set(" abcdefgh.,0123абвгд" + HAN)
    assert narrow.head_for(["dead 丁", "가"]) is None  # every large script shown: the whole layer
    assert narrow.head_for(["0.12, 3"]) is None  # no letters read: nothing is known
    assert narrow.head_for(["face"]) is latin  # built once


def test_a_narrowed_head_keeps_within_the_classes_a_user_named():
    named = [0, 1] + [VOCAB.id(c) for c in "abc" + HAN[:30]]
    narrow, _ = narrowing(named)
    assert kept_chars(narrow.head_for(["cab"])) == " abc"


def test_steps_no_kept_class_fits_are_read_with_the_whole_layer():
    """Each step's embedding is one class's: its logit 20, the others 0. Under a head without Han, a
    Han step's largest logit is 0, far under the median (a blank's 20): it goes to the whole layer."""
    layer = torch.nn.Linear(len(VOCAB), len(VOCAB))
    with torch.no_grad():
        layer.weight.copy_(20.0 * torch.eye(len(VOCAB)))
        layer.bias.zero_()
    classes = [0] + [VOCAB.id(c) for c in "abc"] + [VOCAB.id(c) for c in HAN[:3]]
    steps = torch.eye(len(VOCAB))[classes + [0] * 6]
    whole = ReadingHead.of(layer)
    narrow = ScriptNarrowing(VOCAB, whole, layer, min_classes=20).head_for(["abc"])
    truth, truth_conf = best_steps(steps, whole)
    assert truth.tolist() == classes + [0] * 6
    alone, _ = best_steps(steps, narrow)
    assert alone.tolist() != truth.tolist()  # Han steps read as something else without the whole layer
    ids, conf = best_steps(steps, narrow, whole, weak_share=0.7)
    assert ids.tolist() == truth.tolist()
    assert torch.allclose(conf, truth_conf, equal_nan=True)


@pytest.fixture(scope="module")
def ocr():
    from polyocr import OCR

    return OCR(threads=2)


def test_a_japanese_line_on_an_english_page_reads_as_with_the_whole_layer(ocr):
    """The English sample (its Church Slavonic example blanked out) with a line of the Japanese sample
    set into it: the probe sees Latin only, the page is read without Han and Hangul, and the line's
    kanji are still read, exactly as with every class."""
    page = np.array(Image.open(SAMPLES / "en.jpg").convert("RGB"))
    line = np.array(Image.open(SAMPLES / "ja.jpg").convert("RGB"))[800:830, 150:760]
    page[690:800] = 255
    page[720:750, 204:814] = line
    narrowed = ocr.read(page).text
    assert ocr.pipeline._narrowed is not None and len(ocr.pipeline._narrowed.classes) < 2000
    kanji = [c for c in narrowed if 0x4E00 <= ord(c) <= 0x9FFF]
    assert len(kanji) >= 4
    config = ocr.pipeline.cfg
    try:
        ocr.pipeline.cfg = dataclasses.replace(config, weak_share=0.0)  # no step goes to the whole layer
        assert ocr.read(page).text != narrowed
        ocr.pipeline.cfg = dataclasses.replace(config, narrow_scripts=False)
        ocr.pipeline.narrowing = None
        assert ocr.read(page).text == narrowed
    finally:
        ocr.pipeline.cfg = config
        ocr.pipeline.narrowing = ScriptNarrowing(ocr.pipeline.vocab, ocr.pipeline.head,
                                                 ocr.pipeline.model.recognizer.head)
