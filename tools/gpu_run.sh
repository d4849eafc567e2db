#!/usr/bin/env bash
# The one-command GPU run, for a `device` session (prepare with tools/gpu_prepare.sh first):
#   bash tools/gpu_run.sh SECONDS [extra `polyocr train` options]
# On a bare GPU machine, within SECONDS of wall time:
#   1. unpacks the carried dependencies and fonts, installs polyocr and its six packs (offline);
#   2. measures the bundled model's GPU throughput on the carried real pages: pages/s per line batch
#      (one process), then pages/s of 1, 8 and 14 processes sharing the GPU;
#   3. fine-tunes the bundled `tiny` model on synthetic pages with GPU-sized batches for the time left
#      (`polyocr train --minutes`: the run plans its steps, so its rate still decays and ends in time).
# Leaves in $OUT: ckpt/ (float16 checkpoint), metrics.jsonl, curves.png, the benchmarks' JSON and the logs.
# A rehearsal on a CPU machine before spending device time (the dependencies come from the active
# environment instead of .gpu/site.tar.xz; the GPU benchmarks are skipped):
#   GPU_RUN_DEVICE=cpu OUT=/tmp/gpu-out PATH=.venv/bin:$PATH bash tools/gpu_run.sh 240 --set workers=2
set -uo pipefail
cd "$(dirname "$0")/.."
budget=${1:-540}; shift || true
device=${GPU_RUN_DEVICE:-cuda}
out=${OUT:-runs/gpu-out}; mkdir -p "$out"
exec > >(tee -a "$out/gpu_run.log") 2>&1
step() { echo "== $(date -u +%T) +${SECONDS}s: $*"; }
step "setup"
rm -rf /tmp/site /tmp/fonts /tmp/run
if [ "$device" = cuda ]; then tar -C /tmp -xJf .gpu/site.tar.xz || exit 1; fi
tar -C /tmp -xJf .gpu/fonts.tar.xz || exit 1
export PYTHONPATH=/tmp/site POLYOCR_FONT_DIRS=/tmp/fonts POLYOCR_CACHE_DIR=/tmp/polyocr-cache PYTHONUNBUFFERED=1 \
       NUMBA_NUM_THREADS=1 NUMBA_CACHE_DIR=/tmp/numba-cache
# polyocr and its packs register through entry points: install them from the working tree, offline
python3 -m pip install -q --no-index --no-deps --no-build-isolation --target /tmp/site . languages/*/ || exit 1
[ "$device" != cuda ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
python3 -c "import torch, numpy, numba; print('torch', torch.__version__, 'numpy', numpy.__version__, 'numba', numba.__version__)"
python3 -m polyocr.cli languages | tee "$out/languages.txt" || exit 1

if [ "$device" = cuda ]; then
    step "inference: line batches, one process"
    timeout 100 python3 tools/bench_ocr.py --pages .gpu/realpages --device cuda --batch 1,4,16,32 \
        --json "$out/bench_gpu_batch.json" || echo "bench (batches) failed or timed out"
    step "inference: processes sharing the GPU"
    timeout 100 python3 tools/bench_ocr.py --pages .gpu/realpages --device cuda --procs 1,8,14 --repeat 2 \
        --json "$out/bench_gpu_procs.json" || echo "bench (processes) failed or timed out"
fi

left=$((budget - SECONDS - 45))  # 45 s: start-up of the run's workers, the last checkpoint, the export
if [ "$left" -lt 120 ]; then step "no time left to train ($left s)"; exit 0; fi
step "training for $((left - 20)) s (the run's own budget) from the bundled model"
minutes=$(python3 -c "print(max(0.5, ($left - 20) / 60))")
timeout "$left" python3 -m polyocr.cli train --config tiny --synthetic --from core/polyocr/models/default \
    --out /tmp/run --device "$device" --minutes "$minutes" \
    --set page_batch=8 --set page_every=1 --set crop_pages=16 --set crops_per_page=16 --set workers=14 \
    --set log_every=10 --set ckpt_every=100 --set lr=0.0005 --set warmup=100 --set schedule=wsd \
    --set decay_frac=0.3 --set sampled_classes=0 --set seed=21 \
    --set "lang_weights={ja: 1.3, zh_hans: 1.3, zh_hant: 1.3}" --set "synth={inline_p: 0.5}" "$@" || echo "training exited with $?"
step "export"
cp /tmp/run/metrics.jsonl "$out/" || true
timeout 60 python3 - "$out" <<'PY' || echo "export failed"
import sys
from pathlib import Path
from polyocr.model.checkpoint import extras, load_checkpoint, save_checkpoint
out = Path(sys.argv[1])
model, vocab, config = load_checkpoint(Path("/tmp/run/checkpoint"))
save_checkpoint(out / "ckpt", model, vocab, extras(config), half=True)
print("exported step", config.get("training", {}).get("steps"))
PY
timeout 30 python3 -m polyocr.cli train plot /tmp/run -o "$out/curves.png" || true
step "done"
