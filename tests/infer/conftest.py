"""A small, randomly initialized checkpoint: the pipeline's plumbing does not need a trained model."""

from __future__ import annotations

import pytest
import torch

from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.checkpoint import save_checkpoint
from polyocr.model.registry import create_model

SMALL = dict(channels=(16, 32, 48, 64), depths=(1, 1, 1, 1), fpn=32, stem=16, rec_dim=64, rec_layers=1, rel_dim=32,
             rel_layers=1)


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    vocab = Vocabulary(" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,日本語한국어")
    model = create_model("tiny", vocab_size=len(vocab), **SMALL)
    with torch.no_grad():
        # deterministic behaviour without training: the detector sees one horizontal line across the
        # whole page, and the recognizer reads it as "a"
        model.detector.out.weight.zero_()
        model.detector.out.bias.copy_(torch.tensor([10.0, 1.0, 1.0, 1.0, 0.0, -10.0]))
        model.recognizer.head.weight.zero_()
        model.recognizer.head.bias.fill_(-10.0)
        model.recognizer.head.bias[vocab.id("a")] = 10.0
    path = tmp_path_factory.mktemp("ckpt") / "model"
    save_checkpoint(path, model, vocab)
    return path
