"""tools/webpages.py: the editors' tutorials laid out as web pages (reflowed paragraphs, column layouts kept,
headings, the terminal's rules dropped), and the sources' guards. No network, no WeasyPrint."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.fixture(scope="module")
def web():
    sys.path.insert(0, str(TOOLS))
    try:
        yield importlib.import_module("webpages")
    finally:
        sys.path.remove(str(TOOLS))


TUTOR = """===============================================================================
=    W e l c o m e   t o   t h e   V I M   T u t o r    -    Version 1.7      =
===============================================================================

     Vim is a very powerful editor that has many commands, too many to
     explain in a tutor such as this.

~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
\t\t\tLesson 1.1:  MOVING THE CURSOR

\t     ^
\t     k\t\t    Hint:  The h key is at the left and moves left.
       < h\t l >\t\t   The l key is at the right and moves right.
"""


def test_a_tutorial_becomes_a_web_page(web):
    page = web.tutorial_html(TUTOR, "Vim Tutor", "en")
    assert "<header>Vim Tutor</header>" in page
    assert "=====" not in page and "~~~~" not in page
    # a paragraph is reflowed: its lines joined with one space, its indentation gone
    assert "<p>Vim is a very powerful editor that has many commands, too many to explain in a tutor such as this.</p>" in page
    assert "<h2>Lesson 1.1: MOVING THE CURSOR</h2>" in page
    # a layout in columns stays as it is, tabs expanded, the common indentation removed
    banner, pre = (block.split("</pre>")[0] for block in page.split("<pre>")[1:])
    assert "V I M   T u t o r" in banner       # the banner's spaced letters are a layout too
    assert "k" in pre and "Hint:  The h key" in pre and "\t" not in pre
    assert "&lt; h" in pre                     # escaped
    assert min(len(ln) - len(ln.lstrip()) for ln in pre.split("\n") if ln.strip()) == 0


def test_unspaced_languages_join_lines_without_a_space(web):
    text = "カーソルを移動させるには、\nhjkl キーを使います。\n\nC-v\t\t次の画面へ\nM-v\t\t前の画面へ\n"
    page = web.tutorial_html(text, "Vim チュートリアル", "ja")
    assert "<p>カーソルを移動させるには、hjkl キーを使います。</p>" in page
    assert "<pre>C-v             次の画面へ\nM-v             前の画面へ</pre>" in page
    spaced = web.tutorial_html("Чтобы переместить\nкурсор, нажмите h.\n", "Учебник", "ru")
    assert "<p>Чтобы переместить курсор, нажмите h.</p>" in spaced


def test_a_short_line_ending_in_punctuation_is_not_a_heading(web):
    assert "<h2>" not in web.tutorial_html("Now move on to lesson 3.3.\n", "t", "en")
    assert "<h2>" not in web.tutorial_html("よろしいですか？\n", "t", "ja")
    assert "<h2>* SUMMARY</h2>" in web.tutorial_html("* SUMMARY\n", "t", "en")


def test_every_language_has_both_tutorials_and_a_face(web):
    for lang in web.LANGS:
        assert {t.name for t in web.TUTORIALS if t.lang == lang} == {"vimtutor", "emacs-tutorial"}
        assert lang in web.FACES
    # neither package is held out or a training source (realpages' guard refuses those)
    assert not any(web.realpages.EXCLUDED.match(t.package) for t in web.TUTORIALS)
