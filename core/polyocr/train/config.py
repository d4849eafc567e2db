"""Training configuration: YAML (``safe_load``) into pydantic; unknown keys are errors.

Two presets ship in ``configs/``: ``tiny`` (CPU: small pages, many line crops per step) and ``base``
(GPU). ``polyocr train --config tiny`` picks a preset; a path picks a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from polyocr.errors import PolyocrError
from polyocr.yamlconfig import load_yaml_model

if TYPE_CHECKING:
    from polyocr.synth.page_config import PageConfig

PRESETS = Path(__file__).parent / "configs"


class LossWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    det: float = 1.0
    rec: float = 1.0
    page_rec: float = 0.25
    """CTC on lines read from whole-page features (FOTS-style), beside the crop-based CTC."""
    rel: float = 0.5


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = "tiny"
    model_overrides: dict[str, Any] = {}
    steps: int = Field(default=20000, gt=0)
    page_batch: int = Field(default=2, ge=0)
    """Whole pages per step (detector, relational model, page-level recognition); 0 = crops only."""
    page_size: int = Field(default=768, ge=64)
    page_every: int = Field(default=1, ge=1)
    """Train on whole pages every this many steps (crops every step)."""
    crop_pages: int = Field(default=4, ge=0)
    crops_per_page: int = Field(default=8, ge=1)
    crop_height: int = Field(default=32, ge=16)
    lr: float = 1e-3
    min_lr: float = 5e-5
    schedule: Literal["cosine", "wsd"] = "cosine"
    decay_frac: float = Field(default=0.15, gt=0, le=1)
    """``wsd``: the share of the steps, at the end, over which the rate decays linearly to ``min_lr``."""
    warmup: int = 300
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    loss: LossWeights = LossWeights()
    seed: int = 0
    log_every: int = 10
    ckpt_every: int = 200
    workers: int = 2
    amp: bool = True
    """bfloat16 autocast on CUDA, and on CPUs with native bfloat16 (see ``model/precision.py``)."""
    quad_jitter: float = Field(default=0.1, ge=0, le=0.5)
    """Training crops are cut with their edges moved by up to this fraction of the line's thickness, so
    the recognizer reads the inexact quads of a detector as well as exact ones."""
    page_zoom: float = Field(default=1.6, ge=1.0)
    """Training pages are scaled to a long side between ``page_size`` and this many times it, then a
    ``page_size`` square is cut out: the detector sees text at every size inference shows it."""
    rare_char_p: float = 0.3
    synth: dict[str, Any] = {}
    """Settings of the synthetic pages of a ``--synthetic`` run (``PageConfig`` fields besides
    ``rare_char_p``), e.g. ``{inline_p: 0.5}`` for more words set apart in other faces."""
    lang_weights: dict[str, float] = {}
    """Relative share of each language's synthetic pages (1 for a language not named): more for a
    language whose large charset is behind, e.g. ``{ko: 2, zh_hans: 2}``."""
    sampled_classes: int = Field(default=2048, ge=0)
    """Random extra classes scored per step besides the batch's characters (0 = the whole vocabulary)."""
    max_crop_aspect: float = Field(default=20.0, gt=1)
    """Longest crop, in line heights: longer lines are cut to a window of whole words."""
    freeze: list[Literal["backbone", "detector", "recognizer", "relational"]] = []
    """Parts kept exactly as they start (no gradient, not in the optimizer). ``[backbone, detector]`` with
    ``page_batch: 0`` fine-tunes the recognizer alone on line crops: the page's features, so its
    detection, stay bit for bit those of the model it started from, and a CPU step skips the backbone's
    backward pass."""


def run_train_config(run: Path, name_or_path: str | Path, overrides: dict[str, Any] | None = None
                     ) -> tuple[TrainConfig, bool]:
    """The config a run in ``run`` trains with, and whether it resumes. A new run: the preset or file, plus
    ``overrides``. A run that already saved its state: the config it recorded in its checkpoint, plus
    ``overrides`` (typically a new ``steps``), so that resuming needs no repeat of the first command's
    ``--set`` options, and a forgotten one does not silently change the rate or the data mid-run."""
    run = Path(run)
    if not (run / "state.pt").exists():
        return load_train_config(name_or_path, overrides), False
    try:
        recorded = json.loads((run / "checkpoint" / "config.json").read_text(encoding="utf-8"))["training"]["config"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PolyocrError(f"{run}: holds a training state but no readable checkpoint/config.json to resume its "
                           f"config from ({exc}); move the run away to start afresh") from None
    return load_yaml_model(TrainConfig, recorded, "training config", overrides), True


def load_train_config(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """A preset by name (``tiny``, ``base``) or a YAML file, with ``overrides`` applied on top."""
    path = Path(name_or_path)
    if not path.suffix and (PRESETS / f"{name_or_path}.yaml").exists():
        path = PRESETS / f"{name_or_path}.yaml"
    elif not path.exists():
        presets = ", ".join(sorted(p.stem for p in PRESETS.glob("*.yaml")))
        raise PolyocrError(f"{name_or_path}: neither a preset ({presets}) nor a config file")
    return load_yaml_model(TrainConfig, path, "training config", overrides)


def synthetic_page_config(cfg: TrainConfig) -> PageConfig:
    """The ``PageConfig`` of a ``--synthetic`` run: ``rare_char_p`` and the ``synth`` settings."""
    from pydantic import ValidationError

    from polyocr.synth.page_config import PageConfig

    try:
        return PageConfig(**{"rare_char_p": cfg.rare_char_p, **cfg.synth})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PolyocrError(f"training config `synth.{where}`: {first['msg']}") from None
