"""What ``polyocr languages`` reports about each pack (the ``--json`` schema)."""

from __future__ import annotations

from pydantic import BaseModel

from polyocr.lang.fonts import FontCatalog
from polyocr.lang.registry import LanguagePack

RUNNING_TEXT = ("prose", "ui", "verse")


class FontSummary(BaseModel):
    family: str
    style: str
    path: str
    index: int
    role: str
    coverage: float


class SourceSummary(BaseModel):
    name: str
    kind: str
    lines: int
    licence: str
    provenance: str
    converted_from: str | None = None


class LanguageSummary(BaseModel):
    code: str
    name: str
    native_name: str
    package: str
    version: str | None
    scripts: list[str]
    directions: list[str]
    charset_size: int
    coverage: float
    """Fraction of the charset drawn by at least one of the pack's fonts."""
    families: list[str]
    fonts: list[FontSummary]
    text_lines: int
    """Lines of running text (prose, interface strings, verse); word lists are not counted."""
    word_list_lines: int
    sources: list[SourceSummary]


def summarize(pack: LanguagePack, catalog: FontCatalog | None = None) -> LanguageSummary:
    fonts = pack.fonts(catalog)
    sources = []
    for _, src in pack.text_sources:
        try:
            n = len(src.read_lines())
        except (OSError, EOFError, ValueError):
            n = 0
        sources.append(SourceSummary(name=src.name, kind=src.kind, lines=n, licence=src.licence,
                                     provenance=src.provenance, converted_from=src.converted_from))
    return LanguageSummary(
        code=pack.code,
        name=pack.spec.name,
        native_name=pack.spec.native_name,
        package=pack.package,
        version=pack.version,
        scripts=list(pack.spec.scripts),
        directions=list(pack.spec.directions),
        charset_size=len(pack.charset),
        coverage=round(fonts.coverage(pack.charset), 6),
        families=fonts.families,
        fonts=[
            FontSummary(family=f.face.family, style=f.face.style, path=str(f.face.path), index=f.face.index,
                        role=f.source.role, coverage=round(f.coverage, 6))
            for f in fonts.faces
        ],
        text_lines=sum(s.lines for s in sources if s.kind in RUNNING_TEXT),
        word_list_lines=sum(s.lines for s in sources if s.kind == "words"),
        sources=sources,
    )
