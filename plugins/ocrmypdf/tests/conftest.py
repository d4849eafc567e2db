"""A small random checkpoint (as in polyocr's tests/infer/conftest.py): the detector sees one horizontal line
across the page and the recognizer reads it as "a", so no trained model is needed."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from polyocr.lang.vocabulary import Vocabulary
    from polyocr.model.checkpoint import save_checkpoint
    from polyocr.model.registry import create_model

    small = {"channels": (16, 32, 48, 64), "depths": (1, 1, 1, 1), "fpn": 32, "stem": 16, "rec_dim": 64,
             "rec_layers": 1, "rel_dim": 32, "rel_layers": 1}
    torch.manual_seed(0)
    vocab = Vocabulary(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,日本語한국어")
    model = create_model("tiny", vocab_size=len(vocab), **small)
    with torch.no_grad():
        model.detector.out.weight.zero_()
        model.detector.out.bias.copy_(torch.tensor([10.0, 1.0, 1.0, 1.0, 0.0, -10.0]))
        model.recognizer.head.weight.zero_()
        model.recognizer.head.bias.fill_(-10.0)
        model.recognizer.head.bias[vocab.id("a")] = 10.0
    path = tmp_path_factory.mktemp("ckpt") / "model"
    save_checkpoint(path, model, vocab)
    return path


@pytest.fixture(scope="session")
def image_pdf(tmp_path_factory):
    """An image-only PDF: a small white page (A6-ish at 150 dpi) with a black bar."""
    im = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(im).rectangle((60, 180, 540, 215), fill="black")
    path = tmp_path_factory.mktemp("pdf") / "in.pdf"
    im.save(path, "PDF", resolution=150.0)
    return path
