"""The layout contract: a named family that turns a context and a random generator into a draft.

Layouts are registered through the ``register_layouts`` hook, built-ins included, so a plugin adds a
family exactly as the core does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from polyocr.synth.context import LayoutContext
from polyocr.synth.draft import PageDraft

PAGE_SIZES = {"portrait": (724, 1024), "letter": (792, 1024), "landscape": (1024, 724), "square": (896, 896)}


class Layout:
    """A family of page layouts. Subclasses set ``name`` and implement :meth:`compose`."""

    name: str = ""

    def supports(self, ctx: LayoutContext) -> bool:
        """Whether the family applies to the page's language (vertical columns need vertical rules)."""
        return True

    def compose(self, ctx: LayoutContext, rng: np.random.Generator) -> PageDraft:
        raise NotImplementedError


class LayoutSpec(BaseModel):
    """What ``register_layouts`` returns: a family, its name and how often it is drawn."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    weight: float = Field(default=1.0, gt=0)
    layout: Any
    """A :class:`Layout` instance."""


def page_size(rng: np.random.Generator, kinds: tuple[str, ...] = ("portrait", "letter", "landscape"),
              fixed: tuple[int, int] | None = None) -> tuple[int, int]:
    """(width, height) of one of ``kinds``, or ``fixed`` when the config sets one page size for all pages.
    The kind is drawn either way, so a fixed size leaves the page's other random draws as they were."""
    size = PAGE_SIZES[str(rng.choice(list(kinds)))]
    return (int(fixed[0]), int(fixed[1])) if fixed else size


def dark_color(rng: np.random.Generator) -> tuple[int, int, int]:
    """Ink: mostly near-black, sometimes dark blue, red or grey."""
    if rng.random() < 0.75:
        v = int(rng.integers(0, 60))
        return (v, v, v)
    base = np.array([[20, 30, 110], [120, 20, 20], [30, 80, 40], [70, 70, 70]])[int(rng.integers(4))]
    return tuple(int(c) for c in np.clip(base + rng.integers(-15, 16, 3), 0, 255))
