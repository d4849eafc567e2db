"""Shared fixtures: fake installed distributions (real ``.dist-info`` folders on ``sys.path``)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from polyocr.lang.registry import load_languages

FakeDist = Callable[..., Path]


@pytest.fixture
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeDist:
    """Install a throwaway distribution the way pip would leave it: modules plus ``.dist-info``.

    ``importlib.metadata`` then discovers its entry points exactly as it does for a real install.
    """
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    created: list[str] = []

    def make(name: str, entry_points: dict[str, str], modules: dict[str, str], version: str = "1.0") -> Path:
        for module, source in modules.items():
            (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            created.append(module)
        info = site / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
        lines = "\n".join(f"{k} = {v}" for k, v in entry_points.items())
        (info / "entry_points.txt").write_text(f"[polyocr]\n{lines}\n", encoding="utf-8")
        return site

    yield make
    for module in created:
        sys.modules.pop(module, None)


@pytest.fixture(scope="session")
def installed_languages():
    """The language packs installed in this environment (the six bundled ones in CI)."""
    return load_languages()
