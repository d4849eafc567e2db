"""The result tree as JSON, the one lossless format: ``Document.model_validate_json`` reads it back.

``level`` (char, word, line or paragraph; default char, the whole tree) empties the lists below that
level, so a consumer that only wants lines need not carry every character's quad. The keys stay (as empty
lists) so the output still matches ``Document.model_json_schema()``.
"""

from __future__ import annotations

from polyocr.export import check_level, keeps
from polyocr.infer.result import Block, Document, Line, Page, Word


def prune(document: Document, level: str) -> Document:
    """A copy of ``document`` without the nodes finer than ``level`` (the original is left as it was)."""
    if level == "char":
        return document

    def word(w: Word) -> Word:
        return w.model_copy(update={"chars": []})

    def line(ln: Line) -> Line:
        return ln.model_copy(update={"words": [word(w) for w in ln.words] if keeps(level, "word") else []})

    def block(b: Block) -> Block:
        return b.model_copy(update={"lines": [line(ln) for ln in b.lines] if keeps(level, "line") else []})

    def page(p: Page) -> Page:
        return p.model_copy(update={"blocks": [block(b) for b in p.blocks]})

    return document.model_copy(update={"pages": [page(p) for p in document.pages]})


def export_json(document: Document, *, level: str | None = None) -> str:
    level = check_level(level, "json", default="char")
    return prune(document, level).model_dump_json(indent=1) + "\n"
