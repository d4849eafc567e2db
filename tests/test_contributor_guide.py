"""Follow docs/contributor-guide.md literally: its code blocks are the steps this test runs."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "contributor-guide.md"
POLYOCR = [sys.executable, "-m", "polyocr.cli"]


def steps() -> dict[str, str]:
    blocks = re.findall(r"```\w+ step=(\w+)\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    return {name: body for name, body in blocks}


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_guide_creates_an_installable_pack(tmp_path):
    s = steps()
    assert set(s) >= {"new", "charset", "fonts", "text", "manifest", "install", "check"}
    env = {**os.environ, "POLYOCR_PLUGINS": "eo"}

    # 1. scaffold, exactly as the guide types it
    cmd = shlex.split(s["new"].strip())
    assert cmd[:3] == ["polyocr", "lang", "new"]
    result = run(POLYOCR + cmd[1:], tmp_path, env)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "languages" / "eo"
    module = pack / "polyocr_lang_eo"

    # 2-4. fill in charset, fonts, text and manifest with the guide's blocks
    (module / "data" / "charset.txt").write_text(s["charset"], encoding="utf-8")
    init = (module / "__init__.py").read_text(encoding="utf-8")
    assert "FONTS = [\n]" in init
    (module / "__init__.py").write_text(init.replace("FONTS = [\n]\n", s["fonts"]), encoding="utf-8")
    (module / "data" / "text" / "la-espero.txt").write_text(s["text"], encoding="utf-8")
    manifest = json.loads(s["manifest"])
    (module / "data" / "text" / "sources.json").write_text(json.dumps(manifest), encoding="utf-8")

    # 5. install (into a private target, not this environment) and check
    assert s["install"].strip() == "pip install -e languages/eo"
    site = tmp_path / "site"
    result = run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                  "--target", str(site), str(pack)], tmp_path, env)
    assert result.returncode == 0, result.stderr
    env["PYTHONPATH"] = str(site)
    for line in s["check"].strip().splitlines():
        cmd = shlex.split(line)
        result = run(POLYOCR + cmd[1:], tmp_path, env)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    n_chars = len("".join(s["charset"].split()))
    assert f"eo: {n_chars} characters" in run(POLYOCR + ["lang", "check", "eo"], tmp_path, env).stdout

    listing = json.loads(run(POLYOCR + ["languages", "--json"], tmp_path, env).stdout)
    [eo] = [entry for entry in listing if entry["code"] == "eo"]
    assert eo["package"] == "polyocr-lang-eo" and eo["text_lines"] == 8
    assert len(eo["families"]) >= 3 and eo["coverage"] == 1.0


def test_scaffold_alone_fails_lang_check_with_readable_problems(tmp_path):
    env = {**os.environ, "POLYOCR_PLUGINS": "eo"}
    assert run(POLYOCR + ["lang", "new", "eo", "--name", "Esperanto"], tmp_path, env).returncode == 0
    site = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(site),
         str(tmp_path / "languages" / "eo")], tmp_path, env)
    env["PYTHONPATH"] = str(site)
    result = run(POLYOCR + ["lang", "check", "eo"], tmp_path, env)
    assert result.returncode == 1
    assert "error: charset: no charset slice" in result.stdout
    assert "error: fonts: no installed font covers this language" in result.stdout
    assert "error: text: no text sources" in result.stdout
    assert "Traceback" not in result.stderr
