"""The plugin system: hook specifications, the manager factory, and the marker plugins use.

A plugin module marks its functions with :data:`hookimpl` and is found through the entry-point
group ``polyocr``::

    # pyproject.toml of a plugin package
    [project.entry-points.polyocr]
    th = "polyocr_lang_th"
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "polyocr"
ENTRY_POINT_GROUP = "polyocr"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Decorator that marks a function of a plugin module as the implementation of a polyocr hook."""

from polyocr.plugins.manager import PluginInfo, PluginManager, PluginProblem, get_plugin_manager  # noqa: E402

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "PluginInfo",
    "PluginManager",
    "PluginProblem",
    "get_plugin_manager",
    "hookimpl",
]
