"""Plain text in reading order: what a user pastes or greps, so nothing but the text.

A line per line, a blank line between blocks and a form feed between pages (as pdftotext does), and a
final newline. There is no tree to prune, so ``level`` is accepted (a CLI passes it to every format) and
ignored.
"""

from __future__ import annotations

from polyocr.infer.result import Document


def export_txt(document: Document, *, level: str | None = None) -> str:
    del level  # plain text has no levels
    if not document.pages:
        return ""
    return "\f".join(page.text + "\n" for page in document.pages)
