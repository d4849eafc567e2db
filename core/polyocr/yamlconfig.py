"""Configs are YAML read with ``safe_load`` into pydantic models that reject unknown keys.

One loader for all of them (pages, degradations, training), so every config error reads the same:
``invalid <what>: <key path>: <message>`` naming each offending key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from polyocr.errors import PolyocrError

M = TypeVar("M", bound=BaseModel)


def load_yaml_model(model: type[M], source: str | Path | dict[str, Any] | None, what: str,
                    overrides: dict[str, Any] | None = None) -> M:
    """``model`` validated from a YAML file, a dict, or its defaults (``None``), plus ``overrides``."""
    if source is None:
        data: dict[str, Any] = {}
    elif isinstance(source, dict):
        data = dict(source)
    else:
        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PolyocrError(f"{source}: cannot read {what}: {exc}") from None
        if not isinstance(data, dict):
            raise PolyocrError(f"{source}: a {what} is a mapping of keys to values")
    data.update(overrides or {})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors())
        raise PolyocrError(f"invalid {what}: {problems}") from None
