"""Entry-point discovery, broken-plugin isolation, the allow-list, tracing and code conflicts."""

from __future__ import annotations

import pytest

from polyocr.errors import PluginConflictError
from polyocr.lang.registry import load_languages
from polyocr.plugins import get_plugin_manager

SPEC = """
from polyocr.plugins import hookimpl

@hookimpl
def register_languages():
    return [dict(code={code!r}, name="Test", native_name="Test", bcp47="tt", locale="tt",
                 scripts=["Latn"], directions=["ltr"])]

@hookimpl
def register_charsets(language):
    return [dict(name="t", chars="abc")] if language.code == {code!r} else []
"""


@pytest.fixture(autouse=True)
def only_fakes(monkeypatch):
    """Load only the fake distributions of each test (plus the core's built-ins)."""
    monkeypatch.setenv("POLYOCR_PLUGINS", "polyocr-lang-tt,polyocr-lang-tt2,broken-import,broken-hook,"
                                          "invalid-spec,typo-hook,other-tt")


def test_entry_point_is_discovered(fake_dist):
    fake_dist("polyocr-lang-tt", {"tt": "fake_tt"}, {"fake_tt": SPEC.format(code="tt")}, version="2.5")
    langs = load_languages()
    pack = langs.get("tt")
    assert pack.package == "polyocr-lang-tt"
    assert pack.version == "2.5"
    assert pack.charset == "abc"
    assert langs.problems == []


def test_builtins_register_through_the_same_hooks():
    manager = get_plugin_manager()
    builtin = [p for p in manager.plugins() if p.builtin]
    assert [p.name for p in builtin] == ["polyocr.builtins"]
    callers = manager.pm.get_hookcallers(manager.pm.get_plugin("polyocr.builtins"))
    assert {c.name for c in callers} == {"register_fonts", "register_layouts"}


def test_broken_plugins_are_reported_and_the_rest_load(fake_dist):
    fake_dist("polyocr-lang-tt", {"tt": "fake_tt"}, {"fake_tt": SPEC.format(code="tt")})
    fake_dist("broken-import", {"bi": "fake_broken_import"}, {"fake_broken_import": "import does_not_exist_xyz\n"})
    fake_dist("broken-hook", {"bh": "fake_broken_hook"}, {"fake_broken_hook": """
        from polyocr.plugins import hookimpl
        @hookimpl
        def register_languages():
            raise RuntimeError("boom")
    """})
    fake_dist("invalid-spec", {"iv": "fake_invalid"}, {"fake_invalid": """
        from polyocr.plugins import hookimpl
        @hookimpl
        def register_languages():
            return [dict(code="iv", name="Invalid", colour="blue")]
    """})
    fake_dist("typo-hook", {"ty": "fake_typo"}, {"fake_typo": """
        from polyocr.plugins import hookimpl
        @hookimpl
        def register_langauges():
            return []
    """})
    langs = load_languages()
    assert list(langs.packs) == ["tt"]
    text = "\n".join(str(p) for p in langs.problems)
    assert "broken-import (bi): import: ModuleNotFoundError" in text
    assert "broken-hook (bh): register_languages(): RuntimeError: boom" in text
    assert "invalid-spec (iv): register_languages(): invalid LanguageSpec" in text
    assert "typo-hook (ty): register: TypeError: implements unknown hook(s) register_langauges" in text
    assert len(langs.problems) == 4


def test_two_packs_claiming_one_code_name_both_distributions(fake_dist):
    fake_dist("polyocr-lang-tt", {"tt": "fake_tt"}, {"fake_tt": SPEC.format(code="tt")})
    fake_dist("other-tt", {"tt_other": "fake_tt_other"}, {"fake_tt_other": SPEC.format(code="tt")})
    with pytest.raises(PluginConflictError) as err:
        load_languages()
    assert "polyocr-lang-tt" in str(err.value) and "other-tt" in str(err.value)


def test_allow_list_skips_unlisted_plugins(fake_dist, monkeypatch):
    fake_dist("polyocr-lang-tt", {"tt": "fake_tt"}, {"fake_tt": SPEC.format(code="tt")})
    fake_dist("polyocr-lang-tt2", {"tt2": "fake_tt2"}, {"fake_tt2": SPEC.format(code="tu")})
    monkeypatch.setenv("POLYOCR_PLUGINS", "tt2")  # by entry-point name
    assert list(load_languages().packs) == ["tu"]
    monkeypatch.setenv("POLYOCR_PLUGINS", "polyocr-lang-tt")  # by distribution name
    assert list(load_languages().packs) == ["tt"]
    monkeypatch.setenv("POLYOCR_PLUGINS", "")
    assert list(load_languages().packs) == []


def test_trace_switch_prints_hook_calls(fake_dist, monkeypatch, capsys):
    fake_dist("polyocr-lang-tt", {"tt": "fake_tt"}, {"fake_tt": SPEC.format(code="tt")})
    monkeypatch.setenv("POLYOCR_TRACE", "1")
    load_languages()
    err = capsys.readouterr().err
    assert "polyocr trace: load tt from polyocr-lang-tt" in err
    assert "register_charsets(language=tt) -> tt: 1 CharsetSlice" in err
