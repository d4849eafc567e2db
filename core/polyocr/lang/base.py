"""The base of every spec that crosses a boundary (plugin → core, YAML → config): strict and closed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


class StrictModel(BaseModel):
    """Unknown keys are errors, values are not coerced, and a spec cannot change once built.

    The one leniency: JSON/YAML lists are accepted where a field is a tuple, since plugins may return
    plain data (``{"scripts": ["Latn"]}``).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, revalidate_instances="always")

    @model_validator(mode="before")
    @classmethod
    def _lists_as_tuples(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _tuples(v) for k, v in data.items()}
        return data
