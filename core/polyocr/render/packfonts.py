"""Fonts of a language pack, loaded for drawing with their tofu-aware coverage, and how often each is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polyocr.lang.fonts import FontCatalog, default_catalog
from polyocr.lang.registry import LanguagePack
from polyocr.render.fontfile import Font, load_font

REGULAR_SHARE = 0.5
"""Of a family's draws, the share that goes to its upright faces of normal weight (body text is mostly
set in those; the engine emboldens and slants on its own as well)."""


@dataclass(frozen=True)
class PackFace:
    """A face as a pack resolved it: the loaded font, its family, the family's weight (how often it is
    drawn), and the face's own weight class (400 regular, 700 bold) and slant."""

    font: Font
    family: str
    weight: float
    weight_class: int = 400
    italic: bool = False


def pack_faces(pack: LanguagePack, catalog: FontCatalog | None = None,
               roles: tuple[str, ...] | None = None) -> list[PackFace]:
    """Every face the pack resolved (optionally only some roles), each knowing what it really draws.

    Passing the coverage table (not the raw cmap) to the font is what makes "no tofu" hold: the
    itemizer only sends a character to a face whose coverage includes it.
    """
    catalog = catalog or default_catalog()
    faces = []
    for resolved in pack.fonts(catalog).faces:
        if roles is not None and resolved.source.role not in roles:
            continue
        face = resolved.face
        font = load_font(face.path, face.index, covered=catalog.coverage(face).covered)
        faces.append(PackFace(font, face.family, resolved.source.weight, face.weight, face.italic))
    return faces


def pack_fonts(pack: LanguagePack, catalog: FontCatalog | None = None, roles: tuple[str, ...] | None = None) -> list[Font]:
    """The loaded fonts of :func:`pack_faces`."""
    return [face.font for face in pack_faces(pack, catalog, roles)]


def draw_shares(faces: list[PackFace]) -> np.ndarray:
    """How often the engine draws each face: a family in proportion to its weight, however many styles it
    ships (drawn face by face, Lato's 18 weights made it 11 % of English text and Computer Modern 2.5 %),
    and within the family ``REGULAR_SHARE`` of its draws on its regular faces (upright, of the weight
    class nearest 400: Computer Modern's Roman is 500), the rest on the others."""
    shares = np.zeros(len(faces))
    families: dict[str, list[int]] = {}
    for k, face in enumerate(faces):
        families.setdefault(face.family, []).append(k)
    total = sum(faces[ks[0]].weight for ks in families.values())
    for ks in families.values():
        mass = faces[ks[0]].weight / total
        upright = [k for k in ks if not faces[k].italic]
        nearest = min((abs(faces[k].weight_class - 400) for k in upright), default=None)
        regular = [k for k in upright if abs(faces[k].weight_class - 400) == nearest]
        other = [k for k in ks if k not in regular]
        if regular and other:
            shares[regular] = mass * REGULAR_SHARE / len(regular)
            shares[other] = mass * (1 - REGULAR_SHARE) / len(other)
        else:
            shares[ks] = mass / len(ks)
    return shares / shares.sum()
