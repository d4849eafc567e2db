"""The synthetic page configuration: YAML read with ``safe_load`` into pydantic, unknown keys rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from polyocr.synth.config import DegradationConfig
from polyocr.yamlconfig import load_yaml_model


class PageConfig(BaseModel):
    """Everything that shapes a synthetic page besides the language and the seed."""

    model_config = ConfigDict(extra="forbid")

    layouts: dict[str, float] | None = None
    """Weights by layout family name (absent: each family's registered weight; 0 disables one)."""
    rare_char_p: float = Field(default=0.3, ge=0, le=1)
    """Probability that a text line is chosen for a uniformly drawn character of the charset."""
    mix_p: float = Field(default=0.15, ge=0, le=1)
    """Probability that a paragraph gets a Latin-script word or a number mixed in."""
    inline_p: float = Field(default=0.25, ge=0, le=1)
    """Probability that a paragraph sets a few words apart: inline code in a monospace face, bold or italic."""
    code_p: float = Field(default=0.5, ge=0, le=1)
    """Of those paragraphs, the share that also gets an identifier (a package name, a path, an option) in
    a monospace face, as technical documents print them (``LayoutContext.inline_code``)."""
    script_p: float = Field(default=0.15, ge=0, le=1)
    """Probability that a horizontal paragraph gets one to three superscript or subscript marks (footnote
    numbers and symbols, exponents, indices; ``LayoutContext.inline_scripts``)."""
    faded_p: float = Field(default=0.1, ge=0, le=1)
    """Probability that a block of text is printed lighter (opacity 0.55–0.9)."""
    page_size: tuple[int, int] | None = None
    """(width, height) of every page, e.g. (1024, 1024) as issue 4's benchmark asks; absent: each layout's
    own sizes (A4, letter, square and landscape pages, slides, receipts, at about 100 DPI)."""
    degradations: DegradationConfig = DegradationConfig()

    @field_validator("page_size")
    @classmethod
    def _page_size(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not all(64 <= v <= 8192 for v in value):
            raise ValueError(f"page_size {value}: width and height must lie in 64..8192 pixels")
        return value


def load_page_config(source: str | Path | dict[str, Any] | None) -> PageConfig:
    """A config from a YAML file, a dict, or the defaults; errors name the offending key."""
    return load_yaml_model(PageConfig, source, "page config")
