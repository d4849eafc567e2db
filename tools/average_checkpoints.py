"""Average the weights of checkpoints of one architecture and vocabulary into a new checkpoint.

Two fine-tunes of one model (each from the other, or both from a common start) often read better
averaged than either alone: their errors differ, the average keeps what both learned (a "model soup").
The config (training record, manifest) is the last checkpoint's, with the sources listed under
``averaged_from``; tensors equal in all inputs are copied as they are.

    .venv/bin/python tools/average_checkpoints.py runs/tiny-s17/checkpoint runs/tiny-s19/checkpoint \
        --out runs/tiny-s19avg/checkpoint
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from polyocr.errors import PolyocrError
from polyocr.model.checkpoint import extras, load_checkpoint, save_checkpoint


def average(paths: list[Path], out: Path) -> list[str]:
    """Write the average of ``paths`` to ``out``; returns the names of the tensors that were averaged."""
    if len(paths) < 2:
        raise PolyocrError("give two checkpoints or more to average")
    loaded = [load_checkpoint(p) for p in paths]
    model, vocab, config = loaded[-1]
    for path, (other, other_vocab, _) in zip(paths, loaded, strict=True):
        if other.cfg != model.cfg or other_vocab.chars != vocab.chars:
            raise PolyocrError(f"{path}: another architecture or vocabulary than {paths[-1]}; only checkpoints "
                               "of one model can be averaged")
    states = [m.state_dict() for m, _, _ in loaded]
    averaged = []
    merged = {}
    for name, tensor in states[-1].items():
        if tensor.is_floating_point() and any(not torch.equal(s[name], tensor) for s in states[:-1]):
            merged[name] = torch.stack([s[name].float() for s in states]).mean(0).to(tensor.dtype)
            averaged.append(name)
        else:
            merged[name] = tensor
    model.load_state_dict(merged)
    extra = extras(config)
    extra["averaged_from"] = [str(p) for p in paths]
    save_checkpoint(out, model, vocab, extra)
    return averaged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoints", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        names = average(args.checkpoints, args.out)
    except PolyocrError as exc:
        sys.exit(f"error: {exc}")
    parts = sorted({n.split(".")[0] for n in names})
    print(f"{args.out}: {len(names)} tensors averaged ({', '.join(parts) or 'none'}), the rest copied")


if __name__ == "__main__":
    main()
