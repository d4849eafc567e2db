"""Architectures by name (timm's ``@register_model`` / ``create_model``), so configs and checkpoints
name a model instead of importing a class."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MODELS: dict[str, Callable[..., Any]] = {}


def register_model(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a factory under its function name."""
    if fn.__name__ in _MODELS:
        raise ValueError(f"model {fn.__name__!r} registered twice")
    _MODELS[fn.__name__] = fn
    return fn


def list_models() -> list[str]:
    _load_builtins()
    return sorted(_MODELS)


def create_model(name: str, **kwargs: Any) -> Any:
    """Build a registered model.

    >>> model = create_model("tiny", vocab_size=100)   # doctest: +SKIP
    >>> [f["reduction"] for f in model.backbone.feature_info]   # doctest: +SKIP
    [2, 4, 8, 16, 32]
    """
    _load_builtins()
    try:
        factory = _MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; registered: {', '.join(sorted(_MODELS))}") from None
    return factory(**kwargs)


def _load_builtins() -> None:
    from polyocr.model import ocr  # noqa: F401  (registers tiny, base)
