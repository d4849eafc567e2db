"""Checkpoints: ``model.safetensors`` (weights) + ``config.json`` (architecture, vocabulary, languages,
training data), so a checkpoint is self-describing and loads without the code that trained it.

A checkpoint is a directory; both files are written to temporary names and renamed, config last, so a
crash never leaves a checkpoint that looks complete but is not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from polyocr.errors import PolyocrError
from polyocr.lang.cache import write_atomic
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.ocr import ModelConfig, OCRModel

FORMAT = "polyocr-checkpoint"
VERSION = 1

FULL_PRECISION = ("detector.", "backbone.")
"""Tensors a ``half`` checkpoint still stores in float32. The detector head is small (~80 k weights)
and its line bands are thresholded: rounding it to float16 moved lines enough to take the bundled
model's page NED on two real English pages from 0.012/0.010 to 0.033/0.044. The backbone feeds every
head, and the rounding of its weights compounds through its layers: with it in float16 the model
bundled on 2026-12-05 evening read the 8 real Traditional Chinese pages at 0.053 against 0.045 (the
recognizer in float16 changed nothing measurable: ``tools/measure_settings.py`` over variants rounded
part by part). The recognizer, mostly its 14,000-class output layer, stays float16."""


def save_checkpoint(path: Path, model: OCRModel, vocab: Vocabulary, extra: dict[str, Any] | None = None,
                    half: bool = False) -> Path:
    """Write ``path/model.safetensors`` and ``path/config.json``; ``half`` stores float16 weights (but
    for :data:`FULL_PRECISION`)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if len(vocab) != model.cfg.vocab_size:
        raise PolyocrError(f"vocabulary has {len(vocab)} classes but the model outputs {model.cfg.vocab_size}")
    state = {k: (v.half() if half and v.is_floating_point() and not k.startswith(FULL_PRECISION) else v).contiguous().cpu()
             for k, v in model.state_dict().items()}
    tmp = path / ".model.safetensors.tmp"
    save_file(state, str(tmp))
    tmp.replace(path / "model.safetensors")
    config = {"format": FORMAT, "version": VERSION, "architecture": model.cfg.model_dump(mode="json"),
              "vocabulary": vocab.to_dict(), **(extra or {})}
    write_atomic(path / "config.json", json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


def extras(config: dict[str, Any]) -> dict[str, Any]:
    """What a checkpoint's config records besides what :func:`save_checkpoint` writes itself (training
    record, manifest, inference defaults): the ``extra`` to save a changed copy of it with."""
    return {k: v for k, v in config.items() if k not in ("format", "version", "architecture", "vocabulary")}


def read_config(path: Path) -> dict[str, Any]:
    cfg_path = Path(path) / "config.json"
    try:
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolyocrError(f"{path}: not a polyocr checkpoint ({exc})") from exc
    if config.get("format") != FORMAT:
        raise PolyocrError(f"{path}: not a polyocr checkpoint (format {config.get('format')!r})")
    return config


def load_checkpoint(path: Path, device: str | torch.device = "cpu") -> tuple[OCRModel, Vocabulary, dict[str, Any]]:
    """The model (float32, eval mode), its vocabulary and the whole config."""
    config = read_config(path)
    model = OCRModel(ModelConfig.model_validate(config["architecture"]))
    vocab = Vocabulary.from_dict(config["vocabulary"])
    try:
        state = load_file(str(Path(path) / "model.safetensors"), device=str(device))
    except Exception as exc:  # safetensors raises its own error types on damaged files
        raise PolyocrError(f"{path}: cannot read weights: {exc}") from exc
    state = {k: v.float() if v.is_floating_point() else v for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise PolyocrError(f"{path}: weights do not match the architecture (missing {missing[:3]}, unexpected {unexpected[:3]})")
    return model.to(device).eval(), vocab, config


def init_from(model: OCRModel, path: Path, vocab: Vocabulary) -> list[str]:
    """Copy into ``model`` every tensor of the checkpoint at ``path`` whose name and shape match; return
    the names of the model's tensors that were left as initialised (an architecture changed in part)."""
    config = read_config(path)
    if Vocabulary.from_dict(config["vocabulary"]).chars != vocab.chars:
        raise PolyocrError(f"{path}: its vocabulary differs from the installed packs' (use --from with --extend)")
    try:
        state = load_file(str(Path(path) / "model.safetensors"))
    except Exception as exc:  # safetensors raises its own error types on damaged files
        raise PolyocrError(f"{path}: cannot read weights: {exc}") from exc
    own = model.state_dict()
    match = {k: v.to(own[k].dtype) for k, v in state.items() if k in own and own[k].shape == v.shape}
    model.load_state_dict(match, strict=False)
    return [k for k in own if k not in match]
