"""The command line as a user runs it: real subprocesses, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

POLYOCR = [sys.executable, "-m", "polyocr.cli"]
BUNDLED = ["en", "ja", "ko", "ru", "zh_hans", "zh_hant"]


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*POLYOCR, *args], capture_output=True, text=True, cwd=cwd, timeout=900)


@pytest.fixture(scope="module")
def listing() -> list[dict]:
    result = run("languages", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_languages_json_lists_the_six_packs(listing):
    by_code = {entry["code"]: entry for entry in listing}
    assert set(BUNDLED) <= set(by_code)
    for code in BUNDLED:
        entry = by_code[code]
        assert entry["package"] == f"polyocr-lang-{code.replace('_', '-')}"
        assert entry["version"]
        assert len(entry["families"]) >= 3, code
        assert entry["coverage"] >= 0.999, code
        assert entry["text_lines"] >= 20_000, code
        assert entry["charset_size"] > 100
        assert all({"family", "style", "path", "coverage"} <= set(f) for f in entry["fonts"])
        assert all(s["licence"] and s["name"] for s in entry["sources"])


def test_languages_table(listing):
    result = run("languages")
    assert result.returncode == 0
    assert "zh_hant" in result.stdout and "coverage" in result.stdout.splitlines()[0]


def test_unknown_language_is_a_one_line_error():
    result = run("lang", "check", "xx")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("polyocr: error: no language pack provides 'xx'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_lang_new_refuses_to_overwrite_and_rejects_bad_codes(tmp_path):
    assert run("lang", "new", "eo", "--name", "Esperanto", cwd=tmp_path).returncode == 0
    again = run("lang", "new", "eo", "--name", "Esperanto", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run("lang", "new", "Esperanto!", "--name", "Esperanto", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid language options" in bad.stderr
    assert "Traceback" not in again.stderr + bad.stderr


def test_plugins_json():
    data = json.loads(run("plugins", "--json").stdout)
    names = {p["name"] for p in data["plugins"]}
    assert "polyocr.builtins" in names and set(BUNDLED) <= names
    assert data["problems"] == []


def test_vocab_build_and_extend(tmp_path):
    out = tmp_path / "vocab.json"
    result = run("vocab", "--out", str(out))
    assert result.returncode == 0, result.stderr
    saved = json.loads(out.read_text())
    again = run("vocab", "--extend", str(out), "--out", str(tmp_path / "v2.json"))
    assert again.returncode == 0
    assert json.loads((tmp_path / "v2.json").read_text())["chars"] == saved["chars"]
