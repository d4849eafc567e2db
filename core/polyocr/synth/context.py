"""What a layout may draw with: the page's language, its text sampler, its fonts by role, and mixing.

The context is language-agnostic: fonts come from the pack's roles, line-breaking and vertical rules
from its spec, and mixed-script words from another installed pack written in Latin script (if any),
never from a hard-coded language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from polyocr.lang.registry import LanguagePack
from polyocr.render.fontfile import Font
from polyocr.render.layout import InlineRun, LineGlyphs, TextStyle
from polyocr.synth.text import TextSampler
from polyocr.synth.typeset import drawable, normalize, typeset


def _boundary(a: str, b: str) -> bool:
    """A place between two characters where a foreign word may be inserted: at punctuation or where
    the script changes (kanji to kana, kana to Latin…)."""
    from fontTools import unicodedata as fu

    if not a.isalnum() or not b.isalnum():
        return True
    return fu.script(a) != fu.script(b)


_WORD = re.compile(r"\S+")


def _inserted(text: str, runs: list[InlineRun], pos: int, insert: str) -> tuple[str, list[InlineRun]]:
    """``text`` with ``insert`` put in at ``pos``, and ``runs`` that start there or later moved past it."""
    n = len(insert)
    return text[:pos] + insert + text[pos:], [replace(r, start=r.start + n, end=r.end + n) if r.start >= pos else r
                                                for r in runs]


@dataclass
class LayoutContext:
    pack: LanguagePack
    sampler: TextSampler
    fonts: dict[str, list[Font]]
    """Faces by role: text, display, mono, handwriting (every role has at least the text faces)."""
    latin: TextSampler | None = None
    """Sampler of another installed Latin-script pack, for mixed-script lines."""
    mix_p: float = 0.15
    inline_p: float = 0.0
    """Probability that :meth:`lines` sets a few words of a paragraph apart (see :meth:`inline_runs`)."""
    code_p: float = 0.5
    """Of those paragraphs, the share that also gets an identifier in a monospace face (:meth:`inline_code`)."""
    script_p: float = 0.0
    """Probability that :meth:`lines` gives a paragraph superscript or subscript marks (:meth:`inline_scripts`)."""
    page_size: tuple[int, int] | None = None
    """(width, height) every layout uses instead of its own page sizes (``PageConfig.page_size``)."""
    shares: dict[str, np.ndarray] = field(default_factory=dict)
    """How often each face of a role is drawn (:func:`polyocr.render.packfonts.draw_shares`); every face
    alike where a role has none."""
    _fallbacks: tuple[Font, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        self._fallbacks = tuple(self.fonts["text"])

    @property
    def spec(self):
        return self.pack.spec

    # --- styles -------------------------------------------------------------------------------
    def style(self, rng: np.random.Generator, size: float, role: str = "text", bold: bool | None = None,
              italic: bool | None = None, face: Font | None = None) -> TextStyle:
        """A style with a face of ``role`` and the pack's text faces as fallbacks."""
        primary = face or self.face(rng, role)
        emboldened = rng.random() < 0.08 if bold is None else bold
        slanted = (rng.random() < 0.05 and not self.spec.vertical) if italic is None else italic
        size = round(float(size) * 2) / 2  # half-pixel sizes: the glyph cache serves most glyphs of a page
        return TextStyle((primary, *self._fallbacks), size, bold=0.025 if emboldened else 0.0,
                         italic=0.2 if slanted else 0.0, language=self.spec.bcp47)

    def face(self, rng: np.random.Generator, role: str = "text", among: list[Font] | None = None) -> Font:
        """A face of ``role`` (the text faces where the pack has none), drawn by :attr:`shares`;
        ``among``: only from these faces of the role."""
        if not self.fonts.get(role):
            role = "text"
        pool = self.fonts[role]
        faces = pool if among is None else among
        shares = self.shares.get(role)
        if shares is None or len(shares) != len(pool):
            return faces[int(rng.integers(len(faces)))]
        if among is not None:
            index = {id(f): k for k, f in enumerate(pool)}
            shares = np.array([shares[index[id(f)]] for f in among])
        return faces[int(rng.choice(len(faces), p=shares / shares.sum()))]

    # --- text ---------------------------------------------------------------------------------
    def mix(self, rng: np.random.Generator, text: str) -> str:
        """Sometimes put a Latin-script word or a number inside the text, at a word boundary."""
        if rng.random() >= self.mix_p or not text:
            return text
        if self.latin is not None and rng.random() < 0.6:
            insert = self.latin.word(rng)
        else:
            insert = str(int(rng.integers(0, 10 ** int(rng.integers(1, 5)))))
        sep = self.spec.word_separator
        if sep:
            words = text.split(sep)
            words.insert(int(rng.integers(len(words) + 1)), insert)
            return sep.join(words)
        # unspaced scripts: put the insert where the text already changes script or after punctuation,
        # as real mixed-script text does ("このOCRは"), not inside a word of kana
        cuts = [i for i in range(1, len(text)) if _boundary(text[i - 1], text[i])] or [0, len(text)]
        pos = int(rng.choice(cuts))
        return text[:pos] + insert + text[pos:]

    def paragraph_text(self, rng: np.random.Generator, min_chars: int) -> str:
        return self.mix(rng, self.sampler.text(rng, min_chars))

    def phrase(self, rng: np.random.Generator, max_chars: int) -> str:
        return self.mix(rng, self.sampler.phrase(rng, max_chars))

    @property
    def code_words(self) -> TextSampler | None:
        """Where identifiers' words come from: the pack's own text if it writes Latin script, else the
        other installed Latin-script pack's (identifiers in Russian or Chinese documents are Latin)."""
        return self.sampler if "Latn" in self.spec.scripts else self.latin

    def identifier(self, rng: np.random.Generator) -> str:
        """A name as technical documents print them in a monospace face: a package (``xutils-dev``), a
        path (``/usr/share/doc/quilt``), an option (``--with-quilt``), a file (``debian_rules.txt``), a
        call (``make_install()``), a key (``DEB_BUILD=value``), from a few words of :attr:`code_words`
        (empty without them). Set monospace, a hyphen or a slash stands as far from its neighbours as a
        space does; a recognizer that never saw them there reads spaces (``xutils -dev``)."""
        sampler = self.code_words
        if sampler is None:
            return ""
        words = [w for w in ("".join(c for c in sampler.word(rng) if c.isalnum()).lower()
                             for _ in range(int(rng.integers(2, 4)))) if w]
        if not words:
            return ""
        form = int(rng.integers(7))
        if form == 0:
            return "-".join(words)
        if form == 1:
            return ("/" if rng.random() < 0.7 else "~/") + "/".join(words) + ("/" if rng.random() < 0.2 else "")
        if form == 2:
            return ("--" if rng.random() < 0.8 else "-") + "-".join(words) + ("=" + words[0] if rng.random() < 0.2 else "")
        if form == 3:
            return "_".join(words[:-1] or words) + "." + words[-1][:3]
        if form == 4:
            return "_".join(words) + "()"
        if form == 5:
            return "_".join(words).upper() + "=" + words[-1]
        return ".".join(words)

    def inline_code(self, rng: np.random.Generator, text: str) -> tuple[str, tuple[InlineRun, ...]]:
        """``text`` with one or two :meth:`identifier` put in at word boundaries (for unspaced scripts,
        where the script changes or after punctuation), and the runs that set them in a monospace face
        (the text face where the pack has none)."""
        mono = [f for f in self.fonts.get("mono", []) if f not in self._fallbacks]
        sep = self.spec.word_separator
        runs: list[InlineRun] = []
        for _ in range(int(rng.integers(1, 3))):
            name = self.identifier(rng)
            if not name:
                break
            if sep:
                cuts = [0] + [m.end() + len(sep) for m in _WORD.finditer(text) if m.end() < len(text)]
                pos, insert = int(cuts[int(rng.integers(len(cuts)))]), name + sep
            else:
                cuts = [i for i in range(1, len(text)) if _boundary(text[i - 1], text[i])] or [len(text)]
                pos, insert = int(rng.choice(cuts)), name
            if any(r.start < pos < r.end for r in runs):
                continue
            text, runs = _inserted(text, runs, pos, insert)
            face = self.face(rng, "mono", among=mono) if mono else None
            runs.append(InlineRun(pos, pos + len(name), face=face))
        return text, tuple(sorted(runs, key=lambda r: r.start))

    def inline_runs(self, rng: np.random.Generator, text: str, vertical: bool = False) -> tuple[InlineRun, ...]:
        """One or two runs of ``text`` set apart as real documents do: inline code in a monospace face
        (where the pack has one), bold or italic words. Runs cover whole words where words are spaced."""
        mono = [f for f in self.fonts.get("mono", []) if f not in self._fallbacks]
        kinds = ["bold"] + ([] if vertical else ["italic"]) + (["mono", "mono"] if mono and not vertical else [])
        if self.spec.word_separator:
            bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        else:
            bounds = [(i, i + 1) for i, c in enumerate(text) if not c.isspace()]
        if not bounds:
            return ()
        runs: list[InlineRun] = []
        for _ in range(int(rng.integers(1, 3))):
            span = int(rng.integers(1, 4)) if self.spec.word_separator else int(rng.integers(2, 9))
            first = int(rng.integers(len(bounds)))
            last = min(first + span, len(bounds)) - 1
            start, end = bounds[first][0], bounds[last][1]
            if any(start < r.end and r.start < end for r in runs):
                continue
            kind = kinds[int(rng.integers(len(kinds)))]
            face = self.face(rng, "mono", among=mono) if kind == "mono" else None
            runs.append(InlineRun(start, end, face=face, bold=kind == "bold", italic=kind == "italic"))
        return tuple(sorted(runs, key=lambda r: r.start))

    def script_mark(self, rng: np.random.Generator, script: int) -> str:
        """A superscript (``script`` > 0) or subscript as documents print them, from the pack's charset
        (digits and Latin letters where it has them): superscripts are mostly footnote numbers, else
        footnote symbols, letters, exponents and short references (``-x3``); subscripts are indices
        (digits, a letter or two)."""
        digits, letters, symbols, signs = self._mark_chars

        def number(most: int) -> str:
            return "".join(rng.choice(digits, int(rng.integers(1, most + 1)))) if digits else ""

        form = rng.random()
        if script < 0:
            if letters and form < 0.35:
                return "".join(rng.choice(letters, int(rng.integers(1, 3))))
            return number(2)
        if form < 0.55 or not (letters or symbols):
            return str(int(rng.integers(1, 10 if rng.random() < 0.6 else 120))) if digits else ""
        if form < 0.72 and symbols:
            return str(rng.choice(symbols))
        if form < 0.85 and letters:
            return str(rng.choice(letters))
        sign = str(rng.choice(signs)) if signs and rng.random() < 0.6 else ""
        return sign + (str(rng.choice(letters)) if letters and rng.random() < 0.6 else "") + number(1)

    @cached_property
    def _mark_chars(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """The digits, Latin letters, note symbols and signs of the pack's charset (what marks are made of)."""
        charset = set(self.pack.charset)
        return ([c for c in "0123456789" if c in charset], [c for c in "abcdefghijklmnopqrstuvwxyz" if c in charset],
                [c for c in ("*", "†", "‡", "§", "**") if set(c) <= charset], [c for c in "-+−" if c in charset])

    def inline_scripts(self, rng: np.random.Generator, text: str, runs: tuple[InlineRun, ...] = ()
                       ) -> tuple[str, tuple[InlineRun, ...]]:
        """``text`` with one to three marks put in after words (footnote numbers, exponents, indices) and
        set as superscripts (four in five) or subscripts, and ``runs`` moved past what was put in; a
        mark never goes inside a run. Where words are spaced a mark follows its word directly (now and
        then after a space, as a reference to a note does); elsewhere it follows any character."""
        sep = self.spec.word_separator
        runs = list(runs)
        for _ in range(int(rng.integers(1, 4))):
            script = 1 if rng.random() < 0.8 else -1
            mark = self.script_mark(rng, script)
            if sep:
                ends = [m.end() for m in _WORD.finditer(text)]
            else:
                ends = [i for i in range(1, len(text) + 1) if not text[i - 1].isspace()]
            ends = [e for e in ends if not any(r.start < e < r.end for r in runs)]
            if not mark or not ends:
                break
            pos = int(ends[int(rng.integers(len(ends)))])
            gap = " " if sep and script > 0 and rng.random() < 0.1 else ""
            text, runs = _inserted(text, runs, pos, gap + mark)
            start = pos + len(gap)
            runs.append(InlineRun(start, start + len(mark), script=script))
        return text, tuple(sorted(runs, key=lambda r: r.start))

    # --- typesetting shortcuts ----------------------------------------------------------------
    def lines(self, text: str, style: TextStyle, width: float, direction: str = "ltr",
              max_lines: int | None = None, rng: np.random.Generator | None = None) -> list[LineGlyphs]:
        """``text`` typeset into lines; with ``rng``, ``inline_p`` of paragraphs get :meth:`inline_runs`
        and ``script_p`` of horizontal ones :meth:`inline_scripts`."""
        inline: tuple[InlineRun, ...] = ()
        if rng is not None and self.inline_p > 0 and rng.random() < self.inline_p:
            text = normalize(text, self.spec)
            code: tuple[InlineRun, ...] = ()
            if direction != "ttb" and rng.random() < self.code_p:
                text, code = self.inline_code(rng, text)
            inline = tuple(sorted(code + tuple(r for r in self.inline_runs(rng, text, direction == "ttb")
                                               if not any(r.start < c.end and c.start < r.end for c in code)),
                                  key=lambda r: r.start))
        if rng is not None and self.script_p > 0 and direction != "ttb" and rng.random() < self.script_p:
            text, inline = self.inline_scripts(rng, normalize(text, self.spec), inline)
        return typeset(text, style, self.spec, width, direction, max_lines, inline)

    def single(self, text: str, style: TextStyle, direction: str = "ltr") -> LineGlyphs:
        return drawable(text, style, direction)[1]

    def fit(self, text: str, style: TextStyle, width: float, direction: str = "ltr") -> LineGlyphs:
        """The first line of ``text`` that fits ``width`` (a title or a label never leaves its page)."""
        lines = typeset(text, style, self.spec, width, direction, max_lines=1)
        return lines[0] if lines else drawable(text[:1] or " ", style, direction)[1]

    def line_height(self, glyphs: LineGlyphs, spacing: float = 1.25) -> float:
        return (glyphs.ascent + glyphs.descent) * spacing
