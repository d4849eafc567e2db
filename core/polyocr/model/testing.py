"""A checkpoint that behaves the same every time, for testing the plumbing around the model.

Its detector sees one horizontal line across the whole page and its recognizer reads that line as
``char``. Pipelines, exports and host plugins (OCRmyPDF) can then be tested end to end without a
trained model and without depending on what a random initialization happens to detect.
"""

from __future__ import annotations

from pathlib import Path

import torch

from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.checkpoint import save_checkpoint
from polyocr.model.registry import create_model

SMALL = dict(channels=(16, 32, 48, 64), depths=(1, 1, 1, 1), fpn=32, stem=16, rec_dim=64, rec_layers=1, rel_dim=32,
             rel_layers=1)
"""A `tiny` small enough to build in a fraction of a second."""


def constant_checkpoint(path: Path, chars: str = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,日本語한국어",
                        char: str = "a") -> Path:
    """Write the checkpoint to ``path`` and return it."""
    torch.manual_seed(0)
    vocab = Vocabulary(chars)
    model = create_model("tiny", vocab_size=len(vocab), **SMALL)
    with torch.no_grad():
        model.detector.out.weight.zero_()
        # band everywhere, horizontal, ~100 px thick at the detector's scale: a short, fat line read in one chunk
        model.detector.out.bias.copy_(torch.tensor([10.0, 2.5, 2.5, 1.0, 0.0, -10.0]))
        model.recognizer.head.weight.zero_()
        model.recognizer.head.bias.fill_(-10.0)
        model.recognizer.head.bias[vocab.id(char)] = 10.0
    return save_checkpoint(path, model, vocab)
