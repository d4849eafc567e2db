"""Writing an OCR result (:class:`~polyocr.infer.result.Document`) in the formats other tools read.

``export(doc, "hocr", level="line")`` returns the file's content: ``str`` for the text formats (txt, json,
hocr, alto), ``bytes`` for pdf. Writing it to disk (atomically) is the caller's job. :data:`FORMATS` maps
each name to its function, the usual file suffix and whether the result is binary, so a CLI can list them.

The small geometry and XML helpers the formats share live here, above the imports of the format modules
(which import them back), so every format reads the quads the same way.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from polyocr.errors import PolyocrError

if TYPE_CHECKING:
    from polyocr.infer.result import Document, Line

Quad = Sequence[tuple[float, float]]

LEVELS = ("char", "word", "line", "paragraph")
"""Finest level of the tree a format writes, finest first."""

DESCENT = 0.2
"""Share of a line's height below the baseline. The recognizer gives no baseline, so hOCR's ``baseline``
and the PDF text layer put it this far above the quad's bottom edge (a Latin font's descender; CJK and
Hangul sit on about the same line in fonts that mix them)."""


def check_level(level: str | None, fmt: str, default: str, allowed: Sequence[str] = LEVELS) -> str:
    """The level to write (``default`` for None), or a :class:`PolyocrError` naming the valid ones."""
    if level is None:
        return default
    if level not in allowed:
        raise PolyocrError(f"{fmt}: unknown level {level!r}; choose one of {', '.join(allowed)}")
    return level


def keeps(level: str, node: str) -> bool:
    """Whether an export at ``level`` writes nodes of kind ``node`` (``keeps("word", "char")`` is False)."""
    return LEVELS.index(level) <= LEVELS.index(node)


def spaced_after(line: Line) -> list[bool]:
    """For each word, whether white space follows it in the line's text before the next word.

    This is how the exports tell scripts written with spaces (Latin, Cyrillic, Hangul) from unspaced ones
    (Han, kana), even inside one mixed line: the recognizer put a space there or it did not. Words are
    found in the line text in order; a word that cannot be found there falls back to "the line has
    spaces at all".
    """
    words = line.words
    if not words:
        return []
    text = line.text
    fallback = any(ch.isspace() for ch in text)
    out: list[bool] = []
    pos = 0
    ends: list[int | None] = []
    starts: list[int | None] = []
    for word in words:
        i = text.find(word.text, pos) if word.text else -1
        if i < 0:
            starts.append(None)
            ends.append(None)
            continue
        starts.append(i)
        ends.append(i + len(word.text))
        pos = i + len(word.text)
    for k in range(len(words) - 1):
        a, b = ends[k], starts[k + 1]
        if a is None or b is None or b < a:
            out.append(fallback)
        else:
            out.append(any(ch.isspace() for ch in text[a:b]))
    out.append(False)
    return out


def reading_angle(quad: Quad) -> float:
    """Counter-clockwise angle in degrees [0, 360) of the reading direction (start-top → end-top), as seen
    on the page: 0 for ordinary lines, 90 for text read bottom to top, 270 for a top-to-bottom column."""
    (x0, y0), (x1, y1) = quad[0], quad[1]
    (x3, y3), (x2, y2) = quad[3], quad[2]
    dx = (x1 - x0 + x2 - x3) / 2
    dy = (y1 - y0 + y2 - y3) / 2
    if dx == 0 and dy == 0:
        return 0.0
    return math.degrees(math.atan2(-dy, dx)) % 360.0


def angle_near(angle: float, target: float, tol: float) -> bool:
    return abs((angle - target + 180.0) % 360.0 - 180.0) <= tol


def is_upright_box(quad: Quad, tol: float = 0.5) -> bool:
    """Whether the quad is an axis-aligned rectangle read left to right (within ``tol`` pixels)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return (abs(y0 - y1) <= tol and abs(y2 - y3) <= tol and abs(x0 - x3) <= tol and abs(x1 - x2) <= tol
            and x1 > x0 and y3 > y0)


def int_box(box: Sequence[float]) -> tuple[int, int, int, int]:
    """A box in whole pixels (hOCR ``bbox`` and ALTO positions), never negative."""
    x0, y0, x1, y1 = (max(0, round(v)) for v in box)
    return x0, y0, max(x0, x1), max(y0, y1)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold (controls, lone surrogates) replaced by U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


def fmt_num(value: float, digits: int = 2) -> str:
    """A number written short: ``12``, ``0.5``, ``-3.25`` (never ``-0``)."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# The format modules import the helpers above, so they come after them.
from polyocr.export import alto, hocr, json, pdf, txt  # noqa: E402

Exporter = Callable[..., "str | bytes"]

FORMATS: dict[str, tuple[Exporter, str, bool]] = {
    "txt": (txt.export_txt, ".txt", False),
    "json": (json.export_json, ".json", False),
    "hocr": (hocr.export_hocr, ".hocr", False),
    "alto": (alto.export_alto, ".xml", False),
    "pdf": (pdf.export_pdf, ".pdf", True),
}
"""Format name → (function, file suffix, binary?)."""


def export(document: Document, fmt: str, **options) -> str | bytes:
    """``document`` as ``fmt`` (see :data:`FORMATS`); options set to None take the format's default.

    An unknown format or an option the format does not take is a :class:`PolyocrError` that names the
    valid ones.
    """
    entry = FORMATS.get(fmt.lower()) if isinstance(fmt, str) else None
    if entry is None:
        raise PolyocrError(f"unknown export format {fmt!r}; known formats: {', '.join(FORMATS)}")
    function = entry[0]
    accepted = [name for name, p in inspect.signature(function).parameters.items() if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise PolyocrError(f"{fmt}: unknown option(s) {', '.join(unknown)}; "
                           f"{fmt} takes {', '.join(accepted) or 'no options'}")
    return function(document, **{k: v for k, v in options.items() if v is not None})


__all__ = ["FORMATS", "LEVELS", "export"]
