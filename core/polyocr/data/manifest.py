"""``manifest.json``: what a dataset was made from, and which shards (with their hashes) it holds.

It records everything the bytes depend on — polyocr's version, the page config, the seed, and per
language the pack's version, its charset hash and every font file (with its hash) — so a dataset can be
reproduced, and so a resumed or extended run cannot silently mix pages made from different inputs:
adding pages to a directory made with another seed, config, pack or font is refused.

The manifest is merged across runs (one run per split, or more languages later) and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from polyocr.errors import PolyocrError
from polyocr.lang.cache import write_atomic

FORMAT = "polyocr-dataset"
VERSION = 1
NAME = "manifest.json"


def language_record(pack) -> dict:  # noqa: ANN001 - a LanguagePack
    """The pack name and version, its charset hash and its font files: what a language's pages depend on."""
    from polyocr.lang.fonts import default_catalog

    catalog = default_catalog()
    fonts = [{"path": str(f.face.path), "index": f.face.index, "family": f.face.family,
              "role": f.source.role, "sha256": catalog.sha256(f.face.path)} for f in pack.fonts(catalog).faces]
    catalog.save()
    return {
        "package": pack.package,
        "version": pack.version,
        "charset_sha256": hashlib.sha256(pack.charset.encode("utf-8")).hexdigest(),
        "fonts": fonts,
    }


def _fingerprint(record: dict) -> tuple:
    """What must match between runs (font paths may differ between machines; their bytes may not)."""
    return (record.get("version"), record.get("charset_sha256"),
            sorted((f["sha256"], f["index"], f.get("role")) for f in record.get("fonts", [])))


class Manifest:
    """The manifest of one dataset directory (empty when the directory is new)."""

    def __init__(self, root: Path, data: dict | None = None) -> None:
        self.root = Path(root)
        self.data = data or {}

    @property
    def path(self) -> Path:
        return self.root / NAME

    @classmethod
    def load(cls, root: str | Path) -> Manifest:
        path = Path(root) / NAME
        if not path.exists():
            return cls(Path(root))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PolyocrError(f"{path}: unreadable manifest ({exc}); move it away to start afresh") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise PolyocrError(f"{path}: not a polyocr dataset manifest")
        return cls(Path(root), data)

    def shards(self, lang: str, split: str) -> dict[str, dict]:
        """Recorded shards of one language and split, by file name."""
        entry = self.data.get("splits", {}).get(lang, {}).get(split, {})
        return {s["file"]: s for s in entry.get("shards", [])}

    def check_compatible(self, seed: int, config: dict, languages: dict[str, dict]) -> None:
        """Refuse to add pages made from other inputs than the ones already in the directory."""
        if not self.data:
            return
        where = f"{self.root} was generated with"
        if self.data.get("seed") != seed:
            raise PolyocrError(f"{where} --seed {self.data.get('seed')}, not {seed}; "
                               "use the same seed, or another --out")
        if self.data.get("config") != config:
            raise PolyocrError(f"{where} a different page config; use the same --config, or another --out")
        for code, record in languages.items():
            old = self.data.get("languages", {}).get(code)
            has_pages = any(e.get("shards") for e in self.data.get("splits", {}).get(code, {}).values())
            if old is not None and has_pages and _fingerprint(old) != _fingerprint(record):
                raise PolyocrError(f"{where} other fonts or another version of the {code!r} pack than the "
                                   f"installed ones; pages would not match. Use another --out, or delete {self.root / code}")

    def update(self, *, version: str, seed: int, config: dict, languages: dict[str, dict], lang: str,
               split: str, pages: int, shard_size: int, shards: list[dict]) -> None:
        data = self.data
        data.update({"format": FORMAT, "version": VERSION, "polyocr": version, "seed": seed, "config": config})
        data.setdefault("languages", {}).update(languages)
        entry = {"pages": pages, "shard_size": shard_size,
                 "shards": sorted(shards, key=lambda s: s["index"])}
        data.setdefault("splits", {}).setdefault(lang, {})[split] = entry

    @classmethod
    @contextmanager
    def editing(cls, root: str | Path) -> Iterator[Manifest]:
        """Load, let the caller update, save — holding a lock on the directory, so runs of other
        splits into the same directory at the same time do not drop each other's entries."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root, os.O_RDONLY)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except (ImportError, OSError):  # no advisory locks here: the last writer wins
                pass
            manifest = cls.load(root)
            yield manifest
            manifest.save()
        finally:
            os.close(fd)  # releases the lock

    def save(self) -> None:
        ordered = {k: self.data[k] for k in ("format", "version", "polyocr", "seed", "config", "languages", "splits")
                   if k in self.data}
        text = json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=False)
        write_atomic(self.path, (text + "\n").encode("utf-8"))
