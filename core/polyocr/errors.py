"""The exceptions polyocr raises on purpose: each carries a message a user can act on.

The CLI prints ``polyocr: error: <message>`` for these and exits non-zero; anything else is a bug.
"""

from __future__ import annotations


class PolyocrError(Exception):
    """Base class of every error that is the user's input or environment, not a bug."""


class PluginError(PolyocrError):
    """A plugin could not be loaded or returned something invalid."""


class PluginConflictError(PluginError):
    """Two plugins claim the same language code (the message names both distributions)."""


class LanguageNotFoundError(PolyocrError):
    """A language code was asked for that no installed pack provides."""


class FontError(PolyocrError):
    """A font file is unreadable or does not cover what it is asked to draw."""


class VocabularyError(PolyocrError):
    """A saved vocabulary is corrupt or incompatible with the installed packs."""
