"""Which way a block of lines reads, checked by reading it.

The detector predicts each line's reading direction and whether it is a vertical CJK column, from the
shared features. Where it is wrong the crop is cut upside down, or a column of upright characters is
read as a line turned a quarter (or the reverse), and the recognizer reads noise. Noise is read with
low confidence, so a block whose lines read unsurely is also read the other ways on a sample of its
lines, and the reading the recognizer is surest of wins (Tesseract's orientation detection and
PaddleOCR's direction classifier settle the same question with a separate model; here the recognizer
is the judge, and a page that reads confidently costs nothing more).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from polyocr.model.ctc import DecodedLine


def reversed_quads(quads: np.ndarray) -> np.ndarray:
    """The same quads read the other way along their axis (start-top corner first again)."""
    return np.ascontiguousarray(quads[:, [2, 3, 0, 1]])


Way = tuple[bool, bool]
"""Another reading of a line than the detector's: (read reversed along its axis, taken as the other kind
of line: a vertical column of upright characters for a turned line, and the reverse)."""


def other_ways(quads: np.ndarray) -> list[Way]:
    """The ways worth trying for lines (quads start-top first): reversed; and, where their axes run down
    the page (a vertical column or a line turned a quarter look alike there), the other kind of line,
    either way."""
    d = quads[:, 1] - quads[:, 0]
    runs_down = np.abs(d[:, 1]).sum() > np.abs(d[:, 0]).sum()
    return [(True, False)] + ([(False, True), (True, True)] if runs_down else [])


def turn(quads: np.ndarray, vertical: np.ndarray, way: Way) -> tuple[np.ndarray, np.ndarray]:
    """Quads and vertical-column flags of lines read ``way``."""
    reverse, other_kind = way
    return (reversed_quads(quads) if reverse else quads.copy()), (~vertical if other_kind else vertical.copy())


def sureness(lines: Sequence[DecodedLine]) -> float:
    """How sure the recognizer is of a reading: the sum over its characters of (probability − ½), so that
    a reading scores by the characters it is sure of and loses by those it guessed (noise reads many
    characters at low probability)."""
    return float(sum(sum(c - 0.5 for c in line.char_conf) for line in lines))


def mean_confidence(lines: Sequence[DecodedLine]) -> float:
    """Mean per-character probability of the lines taken together (0 when nothing was read)."""
    confs = [c for line in lines for c in line.char_conf]
    return float(np.mean(confs)) if confs else 0.0


def sample(lengths: np.ndarray, members: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` longest of ``members`` (indices into ``lengths``)."""
    return members[np.argsort(-lengths[members], kind="stable")[:k]]


def content_rotation(quads: np.ndarray, vertical: np.ndarray) -> int:
    """Clockwise degrees (0, 90, 180, 270) the content of lines read this way is turned: a line reads
    along +x upright, a column of upright characters along +y; the quarter of the lines' mean reading
    direction (weighted by length) says by how much they are turned from that."""
    d = quads[:, 1] - quads[:, 0]
    along = np.where(np.asarray(vertical, bool)[:, None], d[:, ::-1] * np.array([1.0, -1.0]), d)
    mean = along.sum(axis=0)
    return int(np.round(np.degrees(np.arctan2(mean[1], mean[0])) / 90.0)) % 4 * 90


def reads_upright(quads: np.ndarray, vertical: np.ndarray, share: float = 0.6) -> bool:
    """Whether at least ``share`` of the lines' length is lines read along +x, as the detector gave them.
    Columns do not count: a page of upright CJK columns and a page of lines turned a quarter look alike
    to the detector (it takes turned Latin lines for columns too); only reading them tells them apart."""
    d = quads[:, 1] - quads[:, 0]
    length = np.linalg.norm(d, axis=1)
    along = ~np.asarray(vertical, bool) & (d[:, 0] > np.abs(d[:, 1]))
    return bool(length[along].sum() >= share * length.sum())


def running_down(quads: np.ndarray) -> float:
    """The share of the lines' length whose axis runs down the page rather than across it."""
    d = quads[:, 1] - quads[:, 0]
    length = np.linalg.norm(d, axis=1)
    return float(length[np.abs(d[:, 1]) > np.abs(d[:, 0])].sum() / max(length.sum(), 1e-9))
