"""Runs set apart inside a line (inline code in a monospace face, bold and italic words): the right
characters get the right face and emphasis, through shaping, line breaking and drawing."""

from __future__ import annotations

import numpy as np
import pytest

from polyocr.lang.registry import load_languages
from polyocr.render.layout import SCRIPT_SIZE, SUB, SUB_DROP, SUPER, SUPER_RAISE, InlineRun, TextStyle, layout_line
from polyocr.render.packfonts import pack_fonts
from polyocr.render.renderer import TextRenderer
from polyocr.render.shaping import itemize
from polyocr.synth.composer import PageComposer
from polyocr.synth.page_config import PageConfig
from polyocr.synth.typeset import clip_runs, shift_runs, typeset

LANGS = load_languages()


def _fonts(code: str, role: str = "text"):
    if code not in LANGS.packs:
        pytest.skip(f"needs {code}")
    fonts = pack_fonts(LANGS.get(code), roles=(role,))
    if not fonts:
        pytest.skip(f"{code} has no {role} fonts installed")
    return fonts


def test_face_span_takes_its_characters_and_falls_back_where_it_lacks_one():
    text_font = _fonts("en")[0]
    mono = _fonts("en", "mono")[0]
    kanji = _fonts("ja")[0]
    text = "call open() now 漢"
    runs = itemize(text, [text_font, kanji], faces=((5, 18, mono),))
    font_of = {}
    for r in runs:
        for i in range(r.start, r.end):
            font_of[i] = r.font
    assert font_of[0] is text_font  # before the span
    assert all(font_of[i] is mono for i in range(5, 11))  # "open()"
    assert font_of[text.index("漢")] is kanji  # inside the span but not in the monospace face
    assert font_of[text.index("now")] is mono


def test_emphasis_follows_the_glyphs_of_the_run():
    fonts = tuple(_fonts("en")[:1])
    text = "plain bold italic"
    line = layout_line(text, TextStyle(fonts, 20.0), inline=(InlineRun(6, 10, bold=True), InlineRun(11, 17, italic=True)))
    per_char = np.zeros(len(text), np.uint8)
    per_char[line.clusters] = line.emphasis
    assert per_char[:6].tolist() == [0] * 6
    assert per_char[6:10].tolist() == [1] * 4
    assert per_char[11:].tolist() == [2] * 6
    assert layout_line(text, TextStyle(fonts, 20.0)).emphasis is None


def test_bold_run_draws_heavier_ink_than_the_same_word_plain():
    fonts = tuple(_fonts("en")[:1])
    style = TextStyle(fonts, 28.0)
    inks = []
    for inline in ((), (InlineRun(0, 4, bold=True),)):
        mask = np.zeros((60, 200), np.uint8)
        TextRenderer().draw(mask, [(layout_line("word", style, inline=inline), 10.0, 40.0)])
        inks.append(int(mask.astype(np.int64).sum()))
    assert inks[1] > inks[0] * 1.1


def test_runs_survive_line_breaks_and_dropped_characters():
    spec = LANGS.get("en").spec if "en" in LANGS.packs else pytest.skip("needs en")
    fonts = tuple(_fonts("en")[:1])
    mono = _fonts("en", "mono")[0]
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    text = " ".join(words)
    start = text.index("gamma")
    end = text.index("epsilon") + len("epsilon")  # "gamma delta epsilon", split over two lines below
    style = TextStyle(fonts, 20.0)
    width = layout_line("alpha beta gamma delta", style).length + 1
    lines = typeset(text, style, spec, width, inline=(InlineRun(start, end, face=mono, bold=True),))
    assert [ln.text for ln in lines] == ["alpha beta gamma delta", "epsilon zeta eta theta"]
    first, second = lines
    assert mono in first.fonts and mono in second.fonts
    for ln, bold in zip(lines, ("gamma delta", "epsilon"), strict=True):
        per_char = np.zeros(len(ln.text), np.uint8)
        per_char[ln.clusters] = ln.emphasis
        at = ln.text.index(bold)
        expected = np.zeros(len(ln.text), np.uint8)
        expected[at:at + len(bold)] = 1
        assert per_char.tolist() == expected.tolist()
    # re-indexing: removing characters before and inside a run moves and shrinks it
    kept = [True] * 10
    kept[1] = kept[5] = False
    [moved] = shift_runs((InlineRun(4, 8, bold=True),), kept)
    assert (moved.start, moved.end) == (3, 6)
    [clipped] = clip_runs((InlineRun(4, 8, bold=True),), 6, 12)
    assert (clipped.start, clipped.end) == (0, 2)
    assert clip_runs((InlineRun(4, 8, bold=True),), 8, 12) == ()


def test_pages_set_words_apart_when_asked_and_never_when_not():
    if "en" not in LANGS.packs:
        pytest.skip("needs en")

    def lines_of(inline_p: float):
        composer = PageComposer(LANGS, ["en"], PageConfig(inline_p=inline_p, script_p=0.0, layouts={"columns": 1.0}))
        ctx = composer.contexts["en"]
        rng = np.random.default_rng(7)
        style = ctx.style(rng, 20.0, bold=False, italic=False)
        out = []
        for _ in range(20):
            out += ctx.lines(ctx.paragraph_text(rng, 200), style, 400.0, rng=rng)
        return out

    always, never = lines_of(1.0), lines_of(0.0)
    assert any(ln.emphasis is not None and ln.emphasis.any() for ln in always)
    assert any(len(ln.fonts) > 1 for ln in always)  # a monospace run beside the text face
    assert all(ln.emphasis is None for ln in never)


@pytest.mark.parametrize("code", ["en", "ru"])
def test_identifiers_are_put_in_whole_and_set_in_a_monospace_face(code):
    if not {"en", code} <= set(LANGS.packs):
        pytest.skip(f"needs en and {code}")
    ctx = PageComposer(LANGS, [code], PageConfig(layouts={"columns": 1.0})).contexts[code]
    mono = set(ctx.fonts["mono"]) - set(ctx.fonts["text"])
    rng = np.random.default_rng(11)
    seen = 0
    for _ in range(30):
        original = ctx.paragraph_text(rng, 120)
        text, runs = ctx.inline_code(rng, original)
        names = [text[r.start: r.end] for r in runs]
        assert runs and all(r.face in mono for r in runs)
        for name in names:
            # a name of a few Latin words (Russian documents name files in Latin too) joined by punctuation
            assert name.isascii() and " " not in name and any(c in name for c in "-_./()=")
        rest = text
        for r in sorted(runs, key=lambda r: -r.start):  # take the names back out: the paragraph is intact
            rest = rest[: r.start] + rest[r.end + 1:]
        assert rest == original
        seen += len(names)
    assert seen >= 30


def test_paragraphs_get_identifiers_only_when_asked(monkeypatch):
    if "en" not in LANGS.packs:
        pytest.skip("needs en")
    ctx = PageComposer(LANGS, ["en"], PageConfig(inline_p=1.0, layouts={"columns": 1.0})).contexts["en"]
    calls = []
    real = ctx.inline_code

    def counted(rng, text):
        calls.append(text)
        return real(rng, text)

    monkeypatch.setattr(ctx, "inline_code", counted)
    rng = np.random.default_rng(5)
    style = ctx.style(rng, 20.0, bold=False, italic=False)
    mono = set(ctx.fonts["mono"]) - set(ctx.fonts["text"])
    for code_p, expected in ((0.0, 0), (1.0, 20)):
        ctx.code_p, calls[:] = code_p, []
        lines = [ln for _ in range(20) for ln in ctx.lines(ctx.paragraph_text(rng, 200), style, 400.0, rng=rng)]
        assert len(calls) == expected
        if expected:
            assert any(set(ln.fonts) & mono for ln in lines)


def test_superscripts_and_subscripts_are_smaller_and_off_the_baseline():
    fonts = tuple(_fonts("en")[:1])
    text = "x2 H2O"
    style = TextStyle(fonts, 40.0)
    plain = layout_line(text, style)
    line = layout_line(text, style, inline=(InlineRun(1, 2, script=1), InlineRun(4, 5, script=-1)))
    assert line.emphasis.tolist() == [0, SUPER, 0, 0, SUB, 0]
    assert line.y.tolist() == pytest.approx([0, -SUPER_RAISE * 40, 0, 0, SUB_DROP * 40, 0])
    adv = np.diff(np.append(line.x, line.length))  # no kerning in these pairs: pen steps are advances
    adv_plain = np.diff(np.append(plain.x, plain.length))
    assert adv[1] == pytest.approx(SCRIPT_SIZE * adv_plain[1]) and adv[4] == pytest.approx(SCRIPT_SIZE * adv_plain[4])
    assert adv[0] == pytest.approx(adv_plain[0])
    # drawn: a scripted digit's ink is smaller than the same digit's on the baseline, above or below it
    ink = {}
    for name, glyphs in (("plain", plain), ("scripted", line)):
        mask = np.zeros((90, 260), np.uint8)
        [rendered] = TextRenderer().draw(mask, [(glyphs, 10.0, 60.0)])
        rows = []
        for x0, _, x1, _ in rendered.char_boxes[[1, 4]]:
            inked = np.flatnonzero(mask[:, int(x0): int(np.ceil(x1))].max(1) > 64)
            rows.append((int(inked[0]), int(inked[-1])))
        ink[name] = rows
    (sup_top, sup_bottom), (sub_top, sub_bottom) = ink["scripted"]
    (two_top, two_bottom), (two_top_b, two_bottom_b) = ink["plain"]
    assert sup_bottom - sup_top < 0.8 * (two_bottom - two_top) and sub_bottom - sub_top < 0.8 * (two_bottom - two_top)
    assert sup_bottom < two_bottom - 0.25 * 40  # well above the baseline
    assert sub_bottom > two_bottom_b + 0.1 * 40  # below it
    # vertical lines keep their glyphs as they are
    column = layout_line("x2", style, direction="ttb", inline=(InlineRun(1, 2, script=1),))
    assert column.emphasis is None


def test_paragraphs_get_script_marks_after_words_only_when_asked():
    if "en" not in LANGS.packs:
        pytest.skip("needs en")
    ctx = PageComposer(LANGS, ["en"], PageConfig(inline_p=0.0, layouts={"columns": 1.0})).contexts["en"]
    rng = np.random.default_rng(3)
    style = ctx.style(rng, 20.0, bold=False, italic=False)
    seen = 0
    for _ in range(40):
        original = " ".join(ctx.paragraph_text(rng, 150).split())
        text, runs = ctx.inline_scripts(rng, original, (InlineRun(0, 3, bold=True),))
        marks = [r for r in runs if r.script]
        assert 1 <= len(marks) <= 3 and all(r.end > r.start for r in marks)
        bold = next(r for r in runs if r.bold)
        for r in marks:  # after a word (or a space after it), never inside the bold run
            assert not text[r.start - 1].isspace() or not text[r.start - 2].isspace()
            assert not (bold.start < r.start < bold.end)
        rest = text  # take the marks (and a space put before one) back out: the paragraph is intact
        for r in sorted(marks, key=lambda r: -r.start):
            rest = rest[: r.start - (text[r.start - 1] == " ")] + rest[r.end:]
        assert rest == original
        assert text[bold.start: bold.end] == original[:3]  # the run moved with its word
        seen += len(marks)
    assert seen >= 40
    for script_p, expect in ((0.0, False), (1.0, True)):
        ctx.script_p = script_p
        lines = [ln for _ in range(10) for ln in ctx.lines(ctx.paragraph_text(rng, 150), style, 400.0, rng=rng)]
        has = any(ln.emphasis is not None and bool((ln.emphasis & (SUPER | SUB)).any()) for ln in lines)
        assert has == expect
