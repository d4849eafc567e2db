"""``generate``: same seed → same bytes whatever the workers; resumable; inputs checked before any work."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from polyocr.data.generate import generate, page_seed
from polyocr.data.reader import DatasetReader
from polyocr.data.shards import file_sha256
from polyocr.data.verify import verify_dataset
from polyocr.errors import LanguageNotFoundError, PolyocrError

POLYOCR = [sys.executable, "-c", "from polyocr.cli import main; main()"]


def test_layout_and_manifest(small_dataset: Path) -> None:
    names = sorted(str(p.relative_to(small_dataset)) for p in small_dataset.rglob("*") if p.is_file())
    assert names == ["en/train/train_000.h5", "en/train/train_001.h5", "ja/train/train_000.h5",
                     "ja/train/train_001.h5", "manifest.json"]
    manifest = json.loads((small_dataset / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["config"]["rare_char_p"] == 0.3
    ja = manifest["languages"]["ja"]
    assert ja["version"] and len(ja["charset_sha256"]) == 64
    assert ja["fonts"] and all(len(f["sha256"]) == 64 and f["family"] and "index" in f for f in ja["fonts"])
    entry = manifest["splits"]["ja"]["train"]
    assert entry["pages"] == 3 and entry["shard_size"] == 2
    assert [(s["file"], s["pages"]) for s in entry["shards"]] == [("train_000.h5", 2), ("train_001.h5", 1)]
    for s in entry["shards"]:
        assert s["sha256"] == file_sha256(small_dataset / "ja" / "train" / s["file"])


def test_pages_pass_verify_and_an_independent_reader(small_dataset: Path, nvidia_reader) -> None:
    assert list(verify_dataset(small_dataset)) == []
    read = nvidia_reader
    reader = DatasetReader(small_dataset, split="train")
    assert len(reader) == 6 and reader.langs == ["en", "ja"]
    assert [reader[i].sample_id for i in range(6)] == [0, 1, 2, 0, 1, 2]
    for path in sorted(small_dataset.rglob("*.h5")):
        for page in read(path):
            assert page["annotation"]["meta"]["language"] == path.parts[-3]
            assert page["label"].strip()


def test_two_workers_same_bytes(small_dataset: Path, tmp_path: Path, tree_digest) -> None:
    out = tmp_path / "w2"
    result = generate(out, ["ja", "en"], pages=3, seed=7, workers=2, shard_size=2, progress=False)
    assert result.pages_written == 6 and result.shards_written == 4
    assert tree_digest(out) == tree_digest(small_dataset)


def test_a_page_depends_only_on_its_own_seed(tmp_path: Path, small_dataset: Path) -> None:
    """Asking for one language, fewer pages or another shard size does not change a page."""
    out = tmp_path / "one"
    generate(out, ["ja"], pages=2, seed=7, workers=1, shard_size=1, progress=False)
    ours = DatasetReader(out, ["ja"])
    full = DatasetReader(small_dataset, ["ja"])
    for i in range(2):
        assert ours[i].jpeg == full[i].jpeg and ours[i].annotation == full[i].annotation
    assert page_seed(7, "ja", "train", 1).entropy == page_seed(7, "ja", "train", 1).entropy


def test_resume_after_a_lost_shard(small_copy: Path, small_dataset: Path, tree_digest) -> None:
    (small_copy / "ja" / "train" / "train_001.h5").unlink()
    stray = small_copy / "en" / "train" / ".train_001.h5.dead.tmp"
    stray.write_bytes(b"half a shard")
    result = generate(small_copy, ["en", "ja"], pages=3, seed=7, workers=1, shard_size=2, progress=False)
    assert (result.shards_written, result.shards_skipped, result.pages_written) == (1, 3, 1)
    assert not stray.exists()
    assert tree_digest(small_copy) == tree_digest(small_dataset)
    assert json.loads((small_copy / "manifest.json").read_text()) == json.loads((small_dataset / "manifest.json").read_text())


def test_an_incomplete_shard_is_remade(small_copy: Path, small_dataset: Path, tree_digest) -> None:
    shutil.copy(small_copy / "en" / "train" / "train_001.h5", small_copy / "en" / "train" / "train_000.h5")
    generate(small_copy, ["en", "ja"], pages=3, seed=7, workers=1, shard_size=2, progress=False)
    assert tree_digest(small_copy) == tree_digest(small_dataset)


def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _shards(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.h5") if not p.name.startswith(".")]


@pytest.fixture(scope="module")
def kill_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the killed run must end as: the same run, uninterrupted, in-process. Twelve one-page shards per
    language, so that a run killed as its first shard lands is still far from done however fast pages get."""
    out = tmp_path_factory.mktemp("kill_ref") / "ds"
    generate(out, ["en", "ja"], pages=KILL_PAGES, seed=7, workers=1, shard_size=1, progress=False)
    return out


KILL_PAGES = 12


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_then_resume(tmp_path: Path, kill_reference: Path, tree_digest, workers: int) -> None:
    out = tmp_path / "killed"
    cmd = [*POLYOCR, "generate", "--langs", "en,ja", "--pages", str(KILL_PAGES), "--shard-size", "1",
           "--seed", "7", "--workers", str(workers), "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: _shards(out) or proc.poll() is not None, 300)
        children = _children(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    _wait_for(lambda: not any(Path(f"/proc/{c}").exists() for c in children), 10)  # workers die with their parent
    assert len(_shards(out)) < 2 * KILL_PAGES, "the run finished before it could be killed"
    partial = {p.name for p in out.rglob("*") if p.is_file()}
    assert all(n.endswith(".h5") or n.endswith(".tmp") or n == "manifest.json" for n in partial)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "complete shards kept" in done.stdout
    assert not [p for p in out.rglob("*.tmp")]
    assert tree_digest(out) == tree_digest(kill_reference)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "interrupted"
    cmd = [*POLYOCR, "generate", "--langs", "en,ja", "--pages", "40", "--shard-size", "2", "--seed", "7",
           "--workers", "2", "--out", str(out)]
    # as a terminal starts it: a shell that runs the tests in the background (`cmd &`) leaves SIGINT
    # ignored, which children inherit, and Python then never turns Ctrl-C into KeyboardInterrupt
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for(lambda: _shards(out) or proc.poll() is not None, 300)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "run the same command again to resume" in err
    assert "Traceback" not in err
    assert not list(out.rglob("*.tmp"))
    assert 0 < len(_shards(out)) < 40
    assert list(verify_dataset(out)) == []  # the manifest lists exactly the shards that were finished


def test_bad_config_fails_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "bad"
    with pytest.raises(PolyocrError, match="invalid page config: rare_char_p"):
        generate(out, ["en"], pages=2, config={"rare_char_p": 3})
    with pytest.raises(PolyocrError, match="invalid page config: nope"):
        generate(out, ["en"], pages=2, config={"nope": 1})
    with pytest.raises(PolyocrError, match="unknown layout"):
        generate(out, ["en"], pages=2, config={"layouts": {"nonesuch": 1.0}})
    assert not out.exists()


def test_unknown_language_and_bad_arguments(tmp_path: Path) -> None:
    out = tmp_path / "bad"
    with pytest.raises(LanguageNotFoundError, match="'xx'"):
        generate(out, ["en", "xx"], pages=2)
    with pytest.raises(PolyocrError, match="unknown split"):
        generate(out, ["en"], pages=2, split="dev")
    with pytest.raises(PolyocrError, match="pages must be"):
        generate(out, ["en"], pages=0)
    with pytest.raises(PolyocrError, match="unknown engine"):
        generate(out, ["en"], pages=1, engine="spark")
    assert not out.exists()


def test_missing_fonts_name_the_check_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import polyocr.synth.composer as composer

    monkeypatch.setattr(composer, "pack_faces", lambda *a, **k: [])
    with pytest.raises(PolyocrError, match="polyocr lang check en"):
        generate(tmp_path / "nofonts", ["en"], pages=1)
    assert not (tmp_path / "nofonts").exists()


def test_other_inputs_are_refused(small_copy: Path) -> None:
    with pytest.raises(PolyocrError, match="--seed 7, not 8"):
        generate(small_copy, ["en"], pages=3, seed=8, shard_size=2)
    with pytest.raises(PolyocrError, match="different page config"):
        generate(small_copy, ["en"], pages=3, seed=7, shard_size=2, config={"mix_p": 0.5})
    with pytest.raises(PolyocrError, match="more shards than 2 pages need"):
        generate(small_copy, ["en"], pages=2, seed=7, shard_size=2)


def test_splits_merge_into_one_manifest(small_copy: Path) -> None:
    generate(small_copy, ["en"], pages=1, split="validation", seed=7, shard_size=2, progress=False)
    manifest = json.loads((small_copy / "manifest.json").read_text())
    assert set(manifest["splits"]["en"]) == {"train", "validation"} and set(manifest["splits"]["ja"]) == {"train"}
    assert list(verify_dataset(small_copy)) == []


@pytest.mark.slow
def test_six_languages_twelve_pages_same_bytes_with_one_and_two_workers(tmp_path: Path, tree_digest,
                                                                       nvidia_reader) -> None:
    """The issue's acceptance check: 12 pages × 6 languages, 1 and 2 workers, byte-identical and valid."""
    langs = ["en", "ja", "ko", "ru", "zh_hans", "zh_hant"]
    one, two = tmp_path / "one", tmp_path / "two"
    generate(one, langs, pages=12, seed=2024, workers=1, shard_size=4, progress=False)
    generate(two, langs, pages=12, seed=2024, workers=2, shard_size=4, progress=False)
    digest = tree_digest(one)
    assert len(digest) == 18 and digest == tree_digest(two)
    assert list(verify_dataset(one)) == []
    assert sum(len(nvidia_reader(p)) for p in sorted(one.rglob("*.h5"))) == 72
