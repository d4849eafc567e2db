#!/usr/bin/env bash
# Prepare what a GPU session's `device` machine needs and cannot fetch itself (it has no network), in
# .gpu/ (ignored by git), under the 64 MiB a call may carry together with the tracked tree (~23 MB):
#   .gpu/site.tar.xz    polyocr's dependencies that the machine's image lacks, built for CPython 3.12
#                       on x86_64 (torch, numpy, numba, pillow, h5py... are the image's own; pypdfium2,
#                       for PDF input only, stays behind)
#   .gpu/fonts.tar.xz   a sample of the packs' fonts: the ~900 MB the packs find on a full Debian
#                       machine do not fit, so a GPU run trains on fewer designs than a CPU run
#   .gpu/realpages/     two real pages per language (JPEG), for GPU pages/s with tools/bench_ocr.py
# Then, in the session:  run(command="bash tools/gpu_run.sh 7", carry=[".gpu"], timeout_s=...)
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qxF '/.gpu/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.gpu/' >> .git/info/exclude; }
rm -rf .gpu && mkdir -p .gpu/wheels .gpu/site .gpu/fonts
py=.venv/bin/python
pinned() { "$py" -c "import importlib.metadata as m; print('$1==' + m.version('$1'))" 2>/dev/null || echo "$1"; }
platforms=()
for n in 17 24 27 28 31 34; do platforms+=(--platform "manylinux_2_${n}_x86_64"); done
platforms+=(--platform manylinux2014_x86_64 --platform any)
for pkg in pydantic pydantic-core annotated-types typing-inspection typing-extensions uharfbuzz faker babel tzdata; do
    "$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        "${platforms[@]}" -d .gpu/wheels "$(pinned "$pkg")"
done
for whl in .gpu/wheels/*.whl; do (cd .gpu/site && unzip -q -o "../../$whl"); done
# only the six languages' locale data (Babel's dates, Faker's names and addresses): 50 MB less to carry
find .gpu/site/babel/locale-data -name '*.dat' ! -name 'root.dat' ! -regex '.*/\(en\|ja\|ko\|ru\|zh\)\(_.*\)?\.dat' -delete
find .gpu/site/faker/providers -mindepth 2 -maxdepth 2 -type d -regex '.*/[a-z][a-z][a-z]?_[A-Za-z_]+' \
    ! -regex '.*/\(en\|ja\|ko\|ru\|zh\)_[A-Za-z_]+' -exec rm -rf {} +
tar -C .gpu -cJf .gpu/site.tar.xz site
# Latin and Cyrillic: regular, bold and italic of the common families; CJK: one sans collection for all
# four languages, and a serif (mincho, myeongjo, song) face for each of ja, ko and zh
fonts=(/usr/share/fonts/truetype/dejavu/DejaVu{Sans,Sans-Bold,Serif,Serif-Bold,SansMono,Sans-Oblique}.ttf
       /usr/share/fonts/truetype/liberation2/Liberation{Sans,Serif,Mono}-{Regular,Bold,Italic}.ttf
       /usr/share/fonts/truetype/noto/Noto{Sans,Serif}-{Regular,Bold,Italic}.ttf
       /usr/share/fonts/truetype/paratype/PT{S55F,S75F,F55F,F56F,M55F}.ttf
       /usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-{Regular,Bold,Light}.ttf
       /usr/share/fonts/truetype/open-sans/OpenSans-{Regular,Bold}.ttf
       /usr/share/fonts/truetype/freefont/Free{Sans,Serif,Mono}.ttf
       /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/opentype/ipafont-mincho/ipam.ttf
       /usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf /usr/share/fonts/truetype/nanum/NanumGothic.ttf
       /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf)
for f in "${fonts[@]}"; do
    if [ -f "$f" ]; then cp "$f" .gpu/fonts/; else echo "gpu_prepare: not found (skipped): $f" >&2; fi
done
tar -C .gpu -cJf .gpu/fonts.tar.xz fonts
rm -rf .gpu/wheels .gpu/site .gpu/fonts
"$py" - <<'PY'
import json, sys
from pathlib import Path
from PIL import Image
sys.path.insert(0, "tools")
from realpages import ROOT, read_manifest

src, dst = ROOT / "data" / "realpages", Path(".gpu/realpages")
manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
keep = []
for page in read_manifest(src, limit=2):
    rel = Path(page["image"]).relative_to(src)
    (dst / rel.parent).mkdir(parents=True, exist_ok=True)
    Image.open(page["image"]).convert("L").save(dst / rel.with_suffix(".jpg"), quality=90)
    (dst / rel.with_suffix(".txt")).write_text(page["truth"], encoding="utf-8")
    entry = next(e for e in manifest["pages"] if e["image"] == str(rel))
    keep.append({**entry, "image": str(rel.with_suffix(".jpg"))})
(dst / "manifest.json").write_text(json.dumps({**manifest, "pages": keep}, ensure_ascii=False, indent=1), encoding="utf-8")
PY
du -sh .gpu/* && du -sh .gpu
