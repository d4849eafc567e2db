"""A screen that knows, from a step's features alone, that the recognizer's best class there is the blank.

Reading a line ends in the output layer: every CTC step's features (the recognizer's ``rec_dim``
numbers) times ~14,000 class rows, then each step's best class. On real pages 70 % of the steps are
blank (the blank's logit is the row's largest), and the blank step's 14,000 logits are read only to
find that out. One linear score of the features (:class:`BlankScreen`, fitted to the model's own
outputs on synthetic pages: a logistic regression of "blank by a clear margin" against "not blank")
finds about half of all steps blank before the layer runs: a step scores above the screen's
``threshold`` only where no step of the fitting data that was not blank did, by a ``safety`` margin
on top. Those steps are the blank without the layer; the others go through it as before, packed into
full chunks (``model/ocr.py best_steps``).

The screen answers for the whole layer's largest logit, so it holds for any head that keeps fewer
classes (a page narrowed to its scripts, the classes of named languages): a maximum over fewer rows
is not larger. It is fitted to one set of weights and records their digest (``weights_sha256``); a
checkpoint whose weights changed since is read without it. ``tools/fit_blank_screen.py`` fits one
and checks it against the real pages (docs/benchmarks.md, stop 30).
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field


class BlankScreen(BaseModel):
    """``weight · x + bias > threshold``: the step with features ``x`` is surely the blank."""

    model_config = ConfigDict(frozen=True)

    weight: list[float] = Field(min_length=1)
    bias: float
    threshold: float
    weights_sha256: str
    """sha256 of the checkpoint's ``model.safetensors`` the screen was fitted to."""
    fitted_on: str = ""
    """What the fitting steps came from (a dataset, its split, the pages read)."""
    steps: int = 0
    """Steps fitted on; of them, the share that was blank and the share the screen passes as blank."""
    blank_share: float = 0.0
    screened_share: float = 0.0

    @cached_property
    def _weight(self) -> torch.Tensor:
        """``weight`` as a tensor, made once rather than for every batch of steps."""
        return torch.tensor(self.weight, dtype=torch.float32)

    def sure_blank(self, features: torch.Tensor) -> torch.Tensor:
        """Which rows of ``features`` (steps, dim) are surely blank (bool, steps)."""
        if features.shape[-1] != len(self._weight):
            raise ValueError(f"the blank screen reads {len(self._weight)} features a step, the recognizer gives "
                             f"{features.shape[-1]}")
        return features.float() @ self._weight.to(features.device) + self.bias > self.threshold


def weights_digest(checkpoint: Path) -> str:
    """The sha256 of a checkpoint's weights file, which a screen is valid for."""
    h = hashlib.sha256()
    with open(Path(checkpoint) / "model.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fit_blank_screen(features: np.ndarray, gap: np.ndarray, weights_sha256: str, fitted_on: str = "",
                     clear: float = 4.0, safety: float = 1.0, l2: float = 1e-4) -> BlankScreen:
    """A screen for steps with ``features`` (steps, dim) where ``gap`` is the blank's logit minus the
    largest other logit of the whole output layer (≥ 0: the step is blank).

    A logistic regression on standardized features separates the steps blank by more than ``clear``
    from those not blank; the threshold is the highest score any step that is not blank reached,
    plus ``safety`` (in the score's units, logits of the regression)."""
    if len(features) != len(gap) or features.ndim != 2:
        raise ValueError("features (steps, dim) and gap (steps,) must describe the same steps")
    x = torch.as_tensor(np.asarray(features, np.float64))
    g = torch.as_tensor(np.asarray(gap, np.float64))
    not_blank = g < 0
    if not bool(not_blank.any()) or not bool((g > clear).any()):
        raise ValueError("fitting a blank screen needs steps that are blank by a clear margin and steps that are not")
    mean, std = x.mean(0), x.std(0) + 1e-6
    pick = (g > clear) | not_blank
    xs, ys = (x[pick] - mean) / std, (g[pick] > 0).double()
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn="strong_wolfe")

    def loss() -> torch.Tensor:
        opt.zero_grad()
        value = torch.nn.functional.binary_cross_entropy_with_logits(xs @ w + b, ys) + l2 * (w * w).sum()
        value.backward()
        return value

    with torch.enable_grad():
        opt.step(loss)
    with torch.no_grad():
        weight = w / std
        bias = float(b - (mean * weight).sum())
        # the threshold is set on the float32 score inference computes, so the margin holds there
        score = x.float() @ weight.float() + bias
        threshold = float(score[not_blank].max()) + safety
    return BlankScreen(weight=weight.tolist(), bias=bias, threshold=threshold, weights_sha256=weights_sha256,
                       fitted_on=fitted_on, steps=len(g), blank_share=float((g >= 0).double().mean()),
                       screened_share=float((score > threshold).double().mean()))
