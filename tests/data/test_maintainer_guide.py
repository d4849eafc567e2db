"""Follow docs/maintainer-guide.md literally: its step blocks run, in order, in a scratch directory."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "maintainer-guide.md"
POLYOCR = [sys.executable, "-c", "from polyocr.cli import main; main()"]


def steps() -> dict[str, tuple[str, str]]:
    blocks = re.findall(r"```(\w+) step=(\w+)\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    return {name: (lang, body) for lang, name, body in blocks}


def run_step(lang: str, body: str, cwd: Path) -> str:
    if lang == "python":
        commands = [[sys.executable, "-c", body]]
    else:
        commands = []
        for line in body.strip().splitlines():
            cmd = shlex.split(line)
            commands.append(POLYOCR + cmd[1:] if cmd[0] == "polyocr" else cmd)
    out = []
    for cmd in commands:
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
        out.append(result.stdout)
    return "".join(out)


def test_the_guide_works(tmp_path: Path) -> None:
    s = steps()
    assert list(s) == ["generate", "resume", "verify", "show", "stats", "read", "torch"]
    made = run_step(*s["generate"], tmp_path)
    assert made.startswith("wrote 8 pages in 4 shards")
    first = (tmp_path / "data/demo/ja/train/train_001.h5").read_bytes()
    resumed = run_step(*s["resume"], tmp_path)
    assert "wrote 2 pages in 1 shards" in resumed and "3 complete shards kept" in resumed
    assert (tmp_path / "data/demo/ja/train/train_001.h5").read_bytes() == first
    assert run_step(*s["verify"], tmp_path).strip() == "ok: 8 pages in 4 shards, no problems"
    assert "ja train page 1" in run_step(*s["show"], tmp_path) and (tmp_path / "sample.png").stat().st_size
    assert "charset seen" in run_step(*s["stats"], tmp_path)
    assert run_step(*s["read"], tmp_path).startswith("4 ja 1 ")
    pytest.importorskip("torch")
    printed = run_step(*s["torch"], tmp_path).splitlines()
    everything = str(sorted((lang, i) for lang in ("en", "ja") for i in range(4)))
    assert printed[:2] == [f"0 {everything}", f"1 {everything}"]
    assert printed[2].startswith("[('en', 0, (") and "('ja', 0, (" in printed[2]
