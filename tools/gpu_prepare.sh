#!/usr/bin/env bash
# Prepare what a GPU session's `device` machine needs and cannot fetch itself (it has no network):
#   .whl/    wheels of polyocr's dependencies for CPython 3.12 on x86_64 (torch is the machine's own)
#   .fonts/  a subset of the Debian fonts the six packs use (under the 64 MiB a call may carry)
# Then, in the session:  run(command="bash tools/gpu_run.sh 8", carry=[".whl", ".fonts"], timeout_s=600)
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qxF '/.whl/' .git/info/exclude || echo '/.whl/' >> .git/info/exclude
grep -qxF '/.fonts/' .git/info/exclude || echo '/.fonts/' >> .git/info/exclude
mkdir -p .whl .fonts
platforms=()
for n in 17 24 27 28 31 34; do platforms+=(--platform "manylinux_2_${n}_x86_64"); done
platforms+=(--platform manylinux2014_x86_64 --platform manylinux1_x86_64)
for pkg in pluggy pydantic pydantic-core annotated-types typing-extensions typing-inspection pyyaml fonttools \
           uharfbuzz numpy numba llvmlite pillow click faker babel h5py tqdm safetensors pypdfium2 tzdata; do
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        "${platforms[@]}" -d .whl "$pkg" || python3 -m pip download -q --no-deps --only-binary=:all: \
        --python-version 3.12 -d .whl "$pkg"
done
# one face file per design is enough to train; the big CJK collections are shared by four languages
for f in /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
         /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf \
         /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf \
         /usr/share/fonts/opentype/ipafont-mincho/ipam.ttf /usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf \
         /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; do
    [ -f "$f" ] && cp -n "$f" .fonts/
done
du -sh .whl .fonts
