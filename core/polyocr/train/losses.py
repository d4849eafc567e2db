"""Losses of the three heads: detector maps, CTC for lines, successor and grouping for reading order."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def detection_loss(maps: torch.Tensor, targets: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Band: BCE + dice; thickness: smooth L1 on log distances; direction: cosine; vertical: BCE.

    Geometry terms count only inside bands; ``weight`` zeroes pixels shared by several lines.
    """
    score, weight = targets["score"], targets["weight"]
    logit = maps[:, 0]
    bce = (F.binary_cross_entropy_with_logits(logit, score, reduction="none") * weight).sum() / weight.sum().clamp(min=1)
    prob = torch.sigmoid(logit) * weight
    dice = 1 - (2 * (prob * score).sum() + 1) / (prob.sum() + (score * weight).sum() + 1)
    inside = (score * weight)[:, None]
    n = inside.sum().clamp(min=1)
    dist = (F.smooth_l1_loss(maps[:, 1:3], targets["dist"], reduction="none") * inside).sum() / (2 * n)
    unit = F.normalize(maps[:, 3:5], dim=1)
    direction = ((1 - (unit * targets["dir"]).sum(1, keepdim=True)) * inside).sum() / n
    vertical = (F.binary_cross_entropy_with_logits(maps[:, 5:6], targets["vertical"][:, None], reduction="none") * inside).sum() / n
    return {"det_score": bce + dice, "det_dist": dist, "det_dir": direction, "det_vertical": vertical}


def ctc_loss(logits: torch.Tensor, steps: torch.Tensor, targets: list[torch.Tensor]) -> torch.Tensor:
    """Mean CTC loss per line (blank = 0); lines longer than their time steps are skipped by zero_infinity."""
    if logits.shape[0] == 0:
        return logits.sum() * 0
    log_probs = logits.float().log_softmax(-1).transpose(0, 1)  # (T, K, V)
    lengths = torch.tensor([len(t) for t in targets], dtype=torch.long)
    flat = torch.cat(targets) if targets else torch.zeros(0, dtype=torch.long)
    loss = F.ctc_loss(log_probs, flat, steps.cpu(), lengths, blank=0, reduction="none", zero_infinity=True)
    return (loss / lengths.clamp(min=1).to(loss.device)).mean()


def relation_loss(succ: torch.Tensor, group: torch.Tensor, next_index: torch.Tensor,
                  same_para: torch.Tensor) -> dict[str, torch.Tensor]:
    """Cross-entropy on each line's successor (index L = none) and BCE on same-paragraph pairs."""
    if succ.shape[0] < 2:
        zero = succ.sum() * 0
        return {"rel_order": zero, "rel_group": zero}
    order = F.cross_entropy(succ, next_index)
    off = ~torch.eye(group.shape[0], dtype=torch.bool, device=group.device)
    grouping = F.binary_cross_entropy_with_logits(group[off], same_para[off].float())
    return {"rel_order": order, "rel_group": grouping}
