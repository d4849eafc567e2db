import inspect

import pytest

from polyocr.plugins import hookspecs

SPECS = [
    (name, fn)
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if getattr(fn, "polyocr_spec", None) is not None
]


def test_there_are_hooks():
    assert {name for name, _ in SPECS} >= {"register_languages", "register_charsets", "register_fonts",
                                           "register_text_sources"}


@pytest.mark.parametrize("name,fn", SPECS, ids=[n for n, _ in SPECS])
def test_every_hook_is_documented(name, fn):
    doc = inspect.getdoc(fn) or ""
    assert len(doc.split()) >= 15, f"hook {name} needs a docstring that tells a contributor what to return"
    assert name.startswith("register_"), "hooks return objects; name them register_*"
