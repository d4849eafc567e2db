"""Fonts of a language pack, loaded for drawing with their tofu-aware coverage."""

from __future__ import annotations

from polyocr.lang.fonts import FontCatalog, default_catalog
from polyocr.lang.registry import LanguagePack
from polyocr.render.fontfile import Font, load_font


def pack_fonts(pack: LanguagePack, catalog: FontCatalog | None = None, roles: tuple[str, ...] | None = None) -> list[Font]:
    """Every face the pack resolved (optionally only some roles), each knowing what it really draws.

    Passing the coverage table (not the raw cmap) to the font is what makes "no tofu" hold: the
    itemizer only sends a character to a face whose coverage includes it.
    """
    catalog = catalog or default_catalog()
    fonts = []
    for resolved in pack.fonts(catalog).faces:
        if roles is not None and resolved.source.role not in roles:
            continue
        face = resolved.face
        fonts.append(load_font(face.path, face.index, covered=catalog.coverage(face).covered))
    return fonts
