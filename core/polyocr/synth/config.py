"""Typed configuration of the page degradations and backgrounds (YAML → pydantic, typos are errors).

Every effect has a probability ``p`` and ``(low, high)`` ranges for its parameters. The defaults aim at
realistic scans and photos: most pages get a few mild effects, a few pages get heavy ones, and the
upper end of every range is still readable at body-text sizes (the samplers also skew strengths
toward the mild end of their ranges, so the ``high`` value is the rare worst case, not the typical one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


Range = tuple[float, float]
IntRange = tuple[int, int]


class _Strict(BaseModel):
    """Unknown keys are errors, and every ``(low, high)`` range must have low ≤ high."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _ranges_ordered(self) -> _Strict:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, tuple) and len(value) == 2 and value[0] > value[1]:
                raise ValueError(f"{name}: low {value[0]} > high {value[1]}")
        return self


class _Effect(_Strict):
    p: float = Field(default=0.0, ge=0.0, le=1.0)
    """Probability that the effect is applied to a page."""


class InkMorphConfig(_Effect):
    """Ink spread (dilate) or thinned (erode): over-inked or starved prints, fax-like strokes."""

    radius: IntRange = (1, 1)
    strength: Range = (0.4, 1.0)
    """Blend between the page and its morphed self: fractional stroke-width changes below 1 px."""


class GaussianBlurConfig(_Effect):
    sigma: Range = (0.4, 1.3)


class MotionBlurConfig(_Effect):
    length: Range = (2.0, 6.0)
    """Streak length in pixels."""
    angle: Range = (0.0, 180.0)


class ShadowConfig(_Effect):
    strength: Range = (0.1, 0.45)
    """Darkening at the shadow's core (0.45: the page keeps 55 % of its light)."""
    softness: Range = (0.01, 0.12)
    """Penumbra width of polygon shadows, as a fraction of the page's short side."""
    gradient_p: float = Field(default=0.4, ge=0.0, le=1.0)
    """Share of shadows that are a linear fall-off instead of an object's soft polygon."""


class ColorConfig(_Effect):
    brightness: Range = (-25.0, 20.0)
    contrast: Range = (0.75, 1.15)
    gamma: Range = (0.8, 1.25)
    channel_shift: Range = (-10.0, 10.0)
    """Per-channel offset: colour casts of scanners and white balance."""
    grayscale_p: float = Field(default=0.2, ge=0.0, le=1.0)


class GaussianNoiseConfig(_Effect):
    sigma: Range = (2.0, 9.0)
    mono_p: float = Field(default=0.6, ge=0.0, le=1.0)
    """Share of luminance-only noise (scanners); the rest is per-channel (camera sensors)."""


class SaltPepperConfig(_Effect):
    amount: Range = (0.0002, 0.003)
    """Fraction of pixels replaced."""
    salt_fraction: Range = (0.2, 0.8)


class ElasticConfig(_Effect):
    amplitude: Range = (0.3, 1.0)
    """Largest displacement in pixels; capped at 1.5 because labels are not moved."""
    spacing: Range = (24.0, 96.0)
    """Distance in pixels between the control points of the smooth displacement field."""

    @model_validator(mode="after")
    def _mild(self) -> ElasticConfig:
        if self.amplitude[1] > 1.5:
            raise ValueError(f"amplitude: high {self.amplitude[1]} > 1.5 px (labels would drift off)")
        if self.spacing[0] < 4.0:
            raise ValueError(f"spacing: low {self.spacing[0]} < 4 px")
        return self


class PerspectiveConfig(_Effect):
    jitter: Range = (0.005, 0.05)
    """Corner displacement as a fraction of the page's short side."""
    dark_border_p: float = Field(default=0.3, ge=0.0, le=1.0)
    """Probability that the uncovered canvas is a desk colour rather than the page's edge colour."""


class RotationConfig(_Effect):
    angle: Range = (-3.0, 3.0)
    """Small skew in degrees, applied with probability ``p``."""
    quarter_turn_p: float = Field(default=0.02, ge=0.0, le=1.0)
    """Independent probability of an extra 90°, 180° or 270° turn (pages scanned sideways)."""
    dark_border_p: float = Field(default=0.1, ge=0.0, le=1.0)


class JpegConfig(_Effect):
    quality: IntRange = (55, 95)


class TintConfig(_Strict):
    """Coloured rectangles behind words or lines: highlighter strokes and shaded table cells."""

    p: float = Field(default=0.3, ge=0.0, le=1.0)
    """Probability that each box offered is tinted."""
    alpha: Range = (0.25, 0.6)
    highlighter_p: float = Field(default=0.5, ge=0.0, le=1.0)
    """Share of tints in saturated marker colours; the rest are pale cell shades."""


class BackgroundKinds(_Strict):
    """Relative weights of the background kinds (0 disables one)."""

    solid: float = Field(default=0.3, ge=0.0)
    paper: float = Field(default=0.45, ge=0.0)
    gradient: float = Field(default=0.2, ge=0.0)
    busy: float = Field(default=0.05, ge=0.0)

    @model_validator(mode="after")
    def _some(self) -> BackgroundKinds:
        if self.solid + self.paper + self.gradient + self.busy <= 0.0:
            raise ValueError("at least one background kind needs a weight > 0")
        return self


class BackgroundConfig(_Strict):
    kinds: BackgroundKinds = Field(default_factory=BackgroundKinds)
    white_p: float = Field(default=0.75, ge=0.0, le=1.0)
    """Near-white paper; otherwise a pale colour or grey (or, with ``dark_p``, a dark page)."""
    dark_p: float = Field(default=0.03, ge=0.0, le=1.0)
    white_level: Range = (232.0, 255.0)
    tinted_level: Range = (170.0, 240.0)
    dark_level: Range = (15.0, 70.0)
    blotch: Range = (2.0, 12.0)
    """Amplitude in grey levels of the paper's low-frequency blotches."""
    fibres: Range = (0.0, 2e-4)
    """Paper fibres per pixel."""
    grain: Range = (0.5, 4.0)
    """Standard deviation of the per-pixel grain, in grey levels."""
    gradient_strength: Range = (0.05, 0.3)
    vignette_p: float = Field(default=0.5, ge=0.0, le=1.0)
    tints: TintConfig = Field(default_factory=TintConfig)


def _effect(cls: type[_Effect], p: float, **kw: Any) -> Any:
    return Field(default_factory=lambda: cls(p=p, **kw))


class DegradationConfig(_Strict):
    """All page effects, in the order ``Degrader`` applies them, plus the background."""

    ink_dilate: InkMorphConfig = _effect(InkMorphConfig, 0.08)
    ink_erode: InkMorphConfig = _effect(InkMorphConfig, 0.06, strength=(0.3, 0.6))
    gaussian_blur: GaussianBlurConfig = _effect(GaussianBlurConfig, 0.3)
    motion_blur: MotionBlurConfig = _effect(MotionBlurConfig, 0.06)
    shadow: ShadowConfig = _effect(ShadowConfig, 0.12)
    color: ColorConfig = _effect(ColorConfig, 0.5)
    gaussian_noise: GaussianNoiseConfig = _effect(GaussianNoiseConfig, 0.3)
    salt_pepper: SaltPepperConfig = _effect(SaltPepperConfig, 0.05)
    elastic: ElasticConfig = _effect(ElasticConfig, 0.08)
    perspective: PerspectiveConfig = _effect(PerspectiveConfig, 0.2)
    rotation: RotationConfig = _effect(RotationConfig, 0.25)
    jpeg: JpegConfig = _effect(JpegConfig, 1.0)
    background: BackgroundConfig = Field(default_factory=BackgroundConfig)


def load_degradation_config(source: str | Path | dict[str, Any] | None = None) -> DegradationConfig:
    """A config from a YAML file, a dict, or the defaults; errors name every offending key.

    >>> load_degradation_config({"gaussian_blur": {"p": 0.5}}).gaussian_blur.sigma
    (0.4, 1.3)
    """
    from polyocr.yamlconfig import load_yaml_model

    return load_yaml_model(DegradationConfig, source, "degradation config")


def dump_degradation_config(config: DegradationConfig) -> str:
    """The config as YAML that ``load_degradation_config`` reads back to an equal config."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False)
