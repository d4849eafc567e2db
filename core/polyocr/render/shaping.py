"""Shaping with harfbuzz, after splitting a line into runs of one font, script and orientation.

Itemization is where "no tofu" is enforced: each character goes to the first font of the chain that
really draws it (coverage tables exclude ``.notdef`` and tofu boxes); a character no font draws is
reported, never drawn as a box. Orientation in vertical columns follows the pack's rule: wide (CJK)
characters stay upright, narrow ones (Latin, digits) are turned 90° when ``latin="rotate"``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import uharfbuzz as hb
from fontTools import unicodedata as fu

from polyocr.errors import FontError
from polyocr.render.fontfile import Font
from polyocr.render.hbshape import UNSAFE_TO_BREAK, shape_arrays

NEUTRAL = frozenset({"Zyyy", "Zinh", "Zzzz"})
HB_SCRIPT = {"Hira": "Hani", "Kana": "Hani"}  # Japanese kana and kanji shape together (OpenType 'hani')


@lru_cache(maxsize=65536)
def char_script(ch: str) -> str:
    """The script a character is shaped in (ISO 15924); kana shape with kanji, as OpenType does."""
    script = fu.script(ch)
    return HB_SCRIPT.get(script, script)


@lru_cache(maxsize=65536)
def is_upright_in_vertical(ch: str) -> bool:
    """Wide and full-width characters stand upright in a vertical column; narrow ones lie down."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


class UncoveredCharacterError(FontError):
    """No font of the chain draws some characters; the caller re-samples the text."""

    def __init__(self, chars: str) -> None:
        super().__init__(f"no font draws {chars!r}")
        self.chars = chars


@dataclass(frozen=True)
class Run:
    """A maximal piece of a line drawn with one font, in one script and one orientation."""

    start: int
    end: int
    font: Font
    script: str
    rotated: bool


@dataclass
class ShapedRun:
    """harfbuzz's answer for one run, in pixels (y up, as harfbuzz gives it)."""

    run: Run
    gids: np.ndarray
    clusters: np.ndarray
    x_advance: np.ndarray
    y_advance: np.ndarray
    x_offset: np.ndarray
    y_offset: np.ndarray
    unsafe: np.ndarray
    """harfbuzz's UNSAFE_TO_BREAK flag of each glyph: cutting the text before this glyph's cluster and shaping
    the two sides apart would give other glyphs (a kerning pair, a ligature, a contextual form)."""


def itemize(text: str, fonts: list[Font], vertical_rotate: bool | None = None,
            faces: tuple[tuple[int, int, Font], ...] = ()) -> list[Run]:
    """Split ``text`` into runs; ``vertical_rotate`` is None for horizontal lines, else the pack's rule.

    ``faces`` are (start, end, font) spans set in another face (an inline code span in a monospace
    face): their characters try that font first, then the chain as usual.
    """
    if not fonts:
        raise FontError("no font to draw with")
    fast = None if faces else _single_run(text, fonts, vertical_rotate)
    if fast is not None:
        return fast
    preferred: list[Font | None] = [None] * len(text)
    for start, end, face in faces:
        for i in range(max(start, 0), min(end, len(text))):
            preferred[i] = face
    choice: list[Font | None] = []
    missing: list[str] = []
    for i, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            choice.append(None)  # joins the neighbouring run
            continue
        face = preferred[i]
        if face is not None and face.has(ch):
            choice.append(face)
            continue
        for font in fonts:
            if font.has(ch):
                choice.append(font)
                break
        else:
            missing.append(ch)
            choice.append(None)
    if missing:
        raise UncoveredCharacterError("".join(dict.fromkeys(missing)))
    runs: list[Run] = []
    start = 0
    cur_font: Font | None = None
    cur_script = ""
    cur_rot = False
    for i, ch in enumerate(text):
        font = choice[i]
        script = char_script(ch)
        rotated = bool(vertical_rotate) and not is_upright_in_vertical(ch)
        if font is None:
            continue
        if script in NEUTRAL:
            script = cur_script or script
        if cur_font is not None and (font is not cur_font or script != cur_script or rotated != cur_rot):
            runs.append(Run(start, i, cur_font, cur_script, cur_rot))
            start = i
        cur_font, cur_script, cur_rot = font, script, rotated
    runs.append(Run(start, len(text), cur_font or fonts[0], cur_script or "Zyyy", cur_rot))
    return [r for r in runs if r.end > r.start]


def _single_run(text: str, fonts: list[Font], vertical_rotate: bool | None) -> list[Run] | None:
    """The common case decided on the distinct characters only: one font, one script, one orientation."""
    chars = set(text)
    first = fonts[0]
    if any(not first.has(ch) and not ch.isspace() for ch in chars):
        return None
    scripts = {char_script(ch) for ch in chars} - NEUTRAL
    if len(scripts) > 1:
        return None
    if vertical_rotate and len({is_upright_in_vertical(ch) for ch in chars if not ch.isspace()}) > 1:
        return None
    rotated = bool(vertical_rotate) and not all(is_upright_in_vertical(ch) for ch in chars if not ch.isspace())
    return [Run(0, len(text), first, scripts.pop() if scripts else "Zyyy", rotated)] if text else []


def shape(text: str, run: Run, size: float, direction: str, language: str | None = None,
          features: dict[str, bool] | None = None) -> ShapedRun:
    """Shape ``text[run.start:run.end]`` with the whole line as context; clusters index ``text``."""
    direction = "ltr" if run.rotated else direction
    script = run.script if run.script not in NEUTRAL else None
    feats = dict(features or {})
    if direction == "ttb":
        feats.setdefault("vert", True)
        feats.setdefault("vrt2", True)
    scale = size / run.font.upem
    if run.font.shaper is not None:  # straight into arrays (see ``hbshape``)
        gids, clusters, unsafe, pos = shape_arrays(run.font.shaper, text, run.start, run.end, direction, script,
                                                   language, feats, scale)
        shaped = ShapedRun(run, gids, clusters, pos[:, 0], pos[:, 1], pos[:, 2], pos[:, 3], unsafe)
    else:
        shaped = _shape_uharfbuzz(text, run, direction, script, language, feats, scale)
    if direction == "ttb" and not run.font.vertical_metrics_usable:
        _em_box_columns(shaped, size)
    return shaped


EM_BOX_BASELINE = 0.88
"""Where the baseline of a full-width glyph lies under the top of its em-square cell, as a share of
the em (the ideographic em box of CJK type: Noto CJK's vertical origin is 880 of 1000 units)."""


def _em_box_columns(shaped: ShapedRun, size: float) -> None:
    """Upright glyphs of a column set one em cell each, centred across the column, the baseline
    ``EM_BOX_BASELINE`` under the cell's top: the layout of a face whose own vertical metrics are not
    usable (``Font.vertical_metrics_usable``), in place of harfbuzz's advances and offsets (y up)."""
    font = shaped.run.font
    width = np.array([font.horizontal_advance(g) for g in shaped.gids.tolist()], np.float64) * (size / font.upem)
    n = width.size
    shaped.x_offset = -width / 2
    shaped.y_offset = np.full(n, -EM_BOX_BASELINE * size)
    shaped.x_advance = np.zeros(n)
    shaped.y_advance = np.where(width > 0, -size, 0.0)  # a mark (no width of its own) sits on its base's cell


def _shape_uharfbuzz(text: str, run: Run, direction: str, script: str | None, language: str | None,
                     feats: dict[str, bool], scale: float) -> ShapedRun:
    buf = hb.Buffer()
    buf.add_str(text, item_offset=run.start, item_length=run.end - run.start)
    buf.direction = direction
    if script is not None:
        buf.script = script
    if language:
        buf.language = language
    buf.guess_segment_properties()
    hb.shape(run.font.hb_font, buf, feats)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    n = len(infos)
    gids = np.fromiter((i.codepoint for i in infos), np.int32, n)
    clusters = np.fromiter((i.cluster for i in infos), np.int32, n)
    unsafe = np.fromiter((int(i.flags) & UNSAFE_TO_BREAK for i in infos), bool, n)
    # ``position`` is (x_offset, y_offset, x_advance, y_advance); fromiter over a flat chain beats np.array of tuples
    pos = np.fromiter(chain.from_iterable([p.position for p in positions]), np.float64, 4 * n).reshape(n, 4)
    pos *= scale
    return ShapedRun(run, gids, clusters, pos[:, 2], pos[:, 3], pos[:, 0], pos[:, 1], unsafe)
