"""``polyocr eval`` on a small generated split with the deterministic test model."""

from __future__ import annotations

import json
import subprocess
import sys

from polyocr.data.generate import generate

POLYOCR = [sys.executable, "-m", "polyocr.cli"]


def test_eval_reports_every_metric_per_language(tmp_path, checkpoint):
    data = tmp_path / "data"
    generate(data, ["en", "ru"], pages=2, split="test", seed=1234, workers=1, shard_size=2, progress=False)
    out = tmp_path / "eval.json"
    result = subprocess.run([*POLYOCR, "eval", "--checkpoint", str(checkpoint), "--data", str(data), "--json", str(out),
                             "--recognition"],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "NED" in result.stdout.splitlines()[0]
    table = json.loads(out.read_text())["results"]
    assert set(table) == {"en", "ru"}
    for row in table.values():
        assert row["pages"] == 2
        assert 0.9 <= row["ned"] <= 1.0, "the test model reads 'a' for a whole page"
        assert 0.0 <= row["f1"] <= 1.0 and -1.0 <= row["reading_order_tau"] <= 1.0 and row["pages_per_s"] > 0
        assert 0.5 <= row["line_ned"] <= 1.0, "every true line is read as 'a'"
    assert "line NED" in result.stdout.splitlines()[0]
