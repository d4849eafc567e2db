#!/usr/bin/env bash
# The one-command GPU run, for a `device` session (prepare with tools/gpu_prepare.sh first):
#   bash tools/gpu_run.sh MINUTES [extra `polyocr train` options]
# Installs the carried wheels, trains the `tiny` model (the one that ships) on synthetic pages with
# GPU-sized batches for MINUTES, and leaves in $OUT: ckpt/ (float16 checkpoint, under the 16 MB a
# returned file may have), metrics.jsonl, curves.png and the log.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-8}; shift || true
out=${OUT:-runs/gpu-out}; mkdir -p "$out"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site POLYOCR_FONT_DIRS=$PWD/.fonts POLYOCR_CACHE_DIR=/tmp/polyocr-cache PYTHONUNBUFFERED=1
# polyocr and its packs register through entry points: install them from the working tree, offline
python3 -m pip install -q --no-index --no-deps --no-build-isolation --target /tmp/site . languages/*/
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$out/gpu.txt"
python3 -m polyocr.cli languages | tee "$out/languages.txt"
timeout $((minutes * 60)) python3 -m polyocr.cli train --config tiny --synthetic --out /tmp/run --device cuda \
    --set page_batch=8 --set crop_pages=16 --set crops_per_page=16 --set workers=14 --set ckpt_every=100 "$@" \
    2>&1 | tee "$out/train.log" || true
cp /tmp/run/metrics.jsonl "$out/" || true
python3 - "$out" <<'PY'
import sys
from pathlib import Path
from polyocr.model.checkpoint import load_checkpoint, save_checkpoint
out = Path(sys.argv[1])
model, vocab, config = load_checkpoint(Path("/tmp/run/checkpoint"))
save_checkpoint(out / "ckpt", model, vocab, {k: v for k, v in config.items() if k not in ("format", "version", "architecture", "vocabulary")}, half=True)
PY
python3 -m polyocr.cli train plot /tmp/run -o "$out/curves.png" || true
