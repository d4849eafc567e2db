"""``--engine ray``: one Ray task per shard on a local Ray instance gives the local engine's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyocr.data import generate as gen
from polyocr.errors import PolyocrError


def test_ray_gives_the_same_bytes(small_dataset: Path, tmp_path: Path, tree_digest) -> None:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        result = gen.generate(tmp_path / "ray", ["en", "ja"], pages=3, seed=7, shard_size=2, engine="ray",
                              progress=False)
    finally:
        ray.shutdown()
    assert result.shards_written == 4
    assert tree_digest(tmp_path / "ray") == tree_digest(small_dataset)


def test_without_ray_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(PolyocrError, match=r"pip install 'polyocr\[ray\]'"):
        gen.generate(tmp_path / "noray", ["en"], pages=1, engine="ray")
    assert not (tmp_path / "noray").exists()
