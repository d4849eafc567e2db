"""The plugin manager: entry-point discovery with per-plugin isolation, and validated hook calls.

``get_plugin_manager()`` is a factory, not an import-time global: tests and tools build managers with
exactly the plugins they want. Environment switches:

- ``POLYOCR_PLUGINS=a,b``: allow-list; load only entry points whose name or distribution is listed
  (an empty value loads none). The core's built-ins always load.
- ``POLYOCR_TRACE=1``: print every hook call, which plugin answered and with how many objects, on
  stderr.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pluggy
from pydantic import BaseModel, ValidationError

from polyocr.plugins import ENTRY_POINT_GROUP, PROJECT_NAME

M = TypeVar("M", bound=BaseModel)

BUILTIN_MODULES: tuple[str, ...] = ("polyocr.plugins.builtins",)


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is: its registered name, module and the distribution that installed it."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False

    @property
    def label(self) -> str:
        """How messages name the plugin: its distribution when it has one."""
        if self.distribution:
            return f"{self.distribution} ({self.name})"
        return self.name


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that failed to load or returned something invalid; it was skipped, not fatal."""

    plugin: str
    stage: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin}: {self.stage}: {self.message}"


def _entry_points() -> Iterable[metadata.EntryPoint]:
    """The installed entry points of our group (a seam that tests replace with fake distributions)."""
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


def _summarize(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "value"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"invalid {exc.title}: {where}: {first.get('msg')}{more}"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class PluginManager:
    """A pluggy manager plus what we know about each plugin and what went wrong with them."""

    pm: pluggy.PluginManager
    info: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    trace: bool = False

    def register(self, module: Any, info: PluginInfo) -> None:
        """Register ``module``; a hook implementation no spec knows (a typo) is an error."""
        self.pm.register(module, name=info.name)
        unknown = sorted(c.name for c in self.pm.get_hookcallers(module) or [] if c.spec is None)
        if unknown:
            self.pm.unregister(module)
            raise TypeError(f"implements unknown hook(s) {', '.join(unknown)}")
        self.info[info.name] = info

    def plugins(self) -> list[PluginInfo]:
        """Registered plugins, built-ins first, in registration order."""
        return list(self.info.values())

    def _log(self, message: str) -> None:
        if self.trace:
            print(f"polyocr trace: {message}", file=sys.stderr)

    def collect(self, hook_name: str, model: type[M], **kwargs: Any) -> Iterator[tuple[PluginInfo, M]]:
        """Call ``hook_name`` on each plugin separately and yield its validated results.

        Calling implementations one by one (instead of pluggy's all-or-nothing ``pm.hook.x()``) is what
        lets one broken plugin be reported and skipped while the others still contribute.
        """
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            info = self.info.get(impl.plugin_name) or PluginInfo(impl.plugin_name, impl.plugin.__name__)
            args = {name: kwargs[name] for name in impl.argnames if name in kwargs}
            where = f"{hook_name}({', '.join(f'{k}={_short(v)}' for k, v in args.items())})"
            try:
                result = impl.function(**args)
                items = _as_list(result, hook_name)
                validated = [item if isinstance(item, model) else model.model_validate(item) for item in items]
            except Exception as exc:  # a plugin's bug must not take the others down
                self.problems.append(PluginProblem(info.label, where, _summarize(exc)))
                self._log(f"{where} -> {info.name}: FAILED {_summarize(exc)}")
                continue
            self._log(f"{where} -> {info.name}: {len(validated)} {model.__name__}")
            for item in validated:
                yield info, item


def _short(value: Any) -> str:
    return str(getattr(value, "code", value))


def _as_list(result: Any, hook_name: str) -> list[Any]:
    if result is None:
        return []
    if isinstance(result, (list, tuple)):
        return list(result)
    raise TypeError(f"{hook_name} must return a list, got {type(result).__name__}")


def _allow_list(env: str | None) -> set[str] | None:
    if env is None:
        return None
    return {item.strip() for item in env.split(",") if item.strip()}


def get_plugin_manager(*, load_entry_points: bool = True, builtins: bool = True) -> PluginManager:
    """Build a plugin manager: hook specs, then installed plugins, then the core's own built-ins.

    >>> pm = get_plugin_manager()
    >>> [p.name for p in pm.plugins() if p.builtin]
    ['polyocr.builtins']
    """
    from polyocr.plugins import hookspecs

    manager = PluginManager(pluggy.PluginManager(PROJECT_NAME))
    manager.pm.add_hookspecs(hookspecs)
    manager.trace = os.environ.get("POLYOCR_TRACE", "") not in ("", "0")
    if manager.trace:
        manager.pm.trace.root.setwriter(lambda msg: print(f"pluggy: {msg}", end="", file=sys.stderr))
        manager.pm.enable_tracing()
    if builtins:
        import importlib

        for module_name in BUILTIN_MODULES:
            module = importlib.import_module(module_name)
            manager.register(module, PluginInfo("polyocr.builtins", module_name, "polyocr", None, builtin=True))
    if load_entry_points:
        _load_entry_points(manager, _allow_list(os.environ.get("POLYOCR_PLUGINS")))
    return manager


def _load_entry_points(manager: PluginManager, allowed: set[str] | None) -> None:
    seen: set[str] = set()
    eps = sorted(_entry_points(), key=lambda ep: (_dist_name(ep) or "", ep.name))
    for ep in eps:
        dist = _dist_name(ep)
        if ep.name in seen:  # the same distribution visible twice on sys.path
            continue
        seen.add(ep.name)
        if allowed is not None and ep.name not in allowed and (dist or "") not in allowed:
            manager._log(f"skip {ep.name}: not in POLYOCR_PLUGINS")
            continue
        info = PluginInfo(ep.name, ep.value, dist, _dist_version(ep))
        try:
            module = ep.load()
        except Exception as exc:  # ImportError, SyntaxError, anything the plugin raises at import
            manager.problems.append(PluginProblem(info.label, "import", _summarize(exc)))
            manager._log(f"load {ep.name}: FAILED {_summarize(exc)}")
            continue
        try:
            manager.register(module, info)
        except Exception as exc:  # e.g. a hookimpl whose name or arguments match no hookspec
            manager.problems.append(PluginProblem(info.label, "register", _summarize(exc)))
            continue
        manager._log(f"load {ep.name} from {dist}")


def _dist_name(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.metadata["Name"] if dist is not None else None


def _dist_version(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return dist.version if dist is not None else None
