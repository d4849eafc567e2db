"""The command line: generate, dataset verify/show/stats; exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from polyocr.data.reader import ShardReader
from polyocr.data.shards import write_shard

POLYOCR = [sys.executable, "-c", "from polyocr.cli import main; main()"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*POLYOCR, *map(str, args)], capture_output=True, text=True, timeout=600)


def _one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("polyocr: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_generate_then_verify_stats_show(tmp_path: Path, small_dataset: Path, tree_digest) -> None:
    out = tmp_path / "cli"
    made = run("generate", "--langs", "ja", "--pages", "2", "--shard-size", "2", "--seed", "7", "--workers", "1",
               "--out", out)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("wrote 2 pages in 1 shards to ") and "pages/s" in made.stdout
    assert made.stderr == ""  # no progress bar when stderr is not a terminal
    checked = run("dataset", "verify", out)
    assert checked.returncode == 0 and checked.stdout.strip() == "ok: 2 pages in 1 shards, no problems"
    stats = run("dataset", "stats", small_dataset, "--json")
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["pages"] == {"en": {"train": 3}, "ja": {"train": 3}}
    assert set(data["coverage"]) == {"en", "ja"} and 0 < data["coverage"]["ja"]["seen"] <= 1
    assert "charset seen" in run("dataset", "stats", small_dataset).stdout
    png = tmp_path / "page.png"
    shown = run("dataset", "show", small_dataset, "--index", "4", "-o", png)
    assert shown.returncode == 0, shown.stderr
    assert "ja train page 1" in shown.stdout
    assert Image.open(png).size[::-1] == ShardReader(small_dataset / "ja" / "train" / "train_000.h5")[1].dims
    assert run("dataset", "show", small_dataset, "--lang", "en", "--index", "2", "-o", png).returncode == 0


def test_verify_lists_problems_and_exits_1(small_copy: Path) -> None:
    shard = small_copy / "en" / "train" / "train_001.h5"
    samples = list(ShardReader(shard))
    samples[0].annotation["relation_graph"] = samples[0].annotation["relation_graph"][1:]
    write_shard(shard, samples)
    result = run("dataset", "verify", small_copy)
    assert result.returncode == 1
    assert "train_001.h5[0]: lines" in result.stdout and "are missing from relation_graph" in result.stdout
    assert "sha256 differs from the manifest" in result.stdout
    assert "problems in 6 pages of 4 shards" in result.stderr


def test_errors_are_one_line(tmp_path: Path, small_dataset: Path) -> None:
    _one_line_error(run("generate", "--langs", "en,xx", "--pages", "1", "--out", tmp_path / "o"), "'xx'")
    bad = tmp_path / "bad.yaml"
    bad.write_text("degradations:\n  gaussian_blur:\n    p: 7\n")
    _one_line_error(run("generate", "--langs", "en", "--pages", "1", "--out", tmp_path / "o", "--config", bad),
                    "invalid page config", "gaussian_blur")
    _one_line_error(run("generate", "--langs", "en", "--pages", "1", "--out", tmp_path / "o",
                        "--config", tmp_path / "none.yaml"), "no such config file")
    _one_line_error(run("generate", "--langs", "en", "--pages", "1", "--out", small_dataset, "--seed", "3"),
                    "--seed 7, not 3")
    assert not (tmp_path / "o").exists()
    _one_line_error(run("dataset", "verify", tmp_path / "nowhere"), "no such dataset directory")
    _one_line_error(run("dataset", "show", small_dataset, "--index", "99", "-o", tmp_path / "x.png"), "out of range")
    _one_line_error(run("dataset", "stats", tmp_path / "nowhere"), "no such dataset directory")
