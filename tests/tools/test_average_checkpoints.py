"""tools/average_checkpoints.py: the mean of two fine-tunes, tensor by tensor; other models refused."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from polyocr.errors import PolyocrError
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.checkpoint import load_checkpoint, save_checkpoint
from polyocr.model.registry import create_model

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from average_checkpoints import average  # noqa: E402

SMALL = dict(channels=(16, 32, 48, 64), depths=(1, 1, 1, 1), fpn=32, stem=16, rec_dim=32, rec_layers=1, rel_dim=32,
             rel_layers=1)


def test_the_average_is_the_mean_of_what_differs_and_a_copy_of_the_rest(tmp_path):
    vocab = Vocabulary(" abc")
    torch.manual_seed(0)
    a = create_model("tiny", vocab_size=len(vocab), **SMALL)
    b = create_model("tiny", vocab_size=len(vocab), **SMALL)
    b.load_state_dict(a.state_dict())
    with torch.no_grad():
        for p in b.recognizer.parameters():
            p.add_(torch.randn_like(p))
    save_checkpoint(tmp_path / "a", a, vocab, {"training": {"steps": 1}})
    save_checkpoint(tmp_path / "b", b, vocab, {"training": {"steps": 2}})
    names = average([tmp_path / "a", tmp_path / "b"], tmp_path / "avg")
    assert names and all(n.startswith("recognizer.") for n in names)
    model, _, config = load_checkpoint(tmp_path / "avg")
    sa, sb, sm = a.state_dict(), b.state_dict(), model.state_dict()
    for name in sm:
        expected = (sa[name] + sb[name]) / 2 if name in names else sb[name]
        assert torch.allclose(sm[name], expected, atol=1e-6), name
    assert config["training"] == {"steps": 2} and config["averaged_from"] == [str(tmp_path / "a"), str(tmp_path / "b")]


def test_checkpoints_of_another_vocabulary_are_refused(tmp_path):
    a = create_model("tiny", vocab_size=4, **SMALL)
    b = create_model("tiny", vocab_size=5, **SMALL)
    save_checkpoint(tmp_path / "a", a, Vocabulary(" ab"))
    save_checkpoint(tmp_path / "b", b, Vocabulary(" abc"))
    with pytest.raises(PolyocrError, match="another architecture or vocabulary"):
        average([tmp_path / "a", tmp_path / "b"], tmp_path / "avg")
    assert not (tmp_path / "avg").exists()
