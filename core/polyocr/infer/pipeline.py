"""The OCR pipeline on pixels: detect on the page, read each line from its own crop, order, build the tree.

Detection: the page is seen with its long side at ``detect_side`` pixels (one backbone pass), which
gives the line quads and the features the relational model orders them with; small print (lines
thinner there than the detector trained on) is detected once more, closer (``detect_line``), in the region
of the page that holds the text (``closer_margin``). Reading: every line is
cut out of the page upright at ``line_height`` pixels (the recognizer's training crops), long lines in
overlapping chunks, packed into rows and read through the same backbone and the recognizer. Cropping
lines costs only their pixels (a page's lines are a fraction of it), gives every line the height the
recognizer needs whatever its size on the page (docs/model.md: CJK needs ~24-px ems), and reads
exactly what training showed the recognizer.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from PIL import Image, ImageFilter

from polyocr.infer.boxes import boxed, without_chars
from polyocr.infer.capitals import in_capitals
from polyocr.infer.gutters import bridged_cuts, cut_quad
from polyocr.infer.homoglyphs import dominant_script, harmonize, small_l
from polyocr.infer.lexicon import LexiconCorrection
from polyocr.infer.marks import grey_sample, leading_marks, moved_starts
from polyocr.infer.narrowing import ScriptNarrowing
from polyocr.infer.order import direction_groups, heuristic_order, page_rotation
from polyocr.infer.orientation import (content_rotation, mean_confidence, other_ways, reads_upright, running_down,
                                      sample, sureness, turn)
from polyocr.infer.pictograms import pictograms_among
from polyocr.infer.polarity import dark_grounds, dark_on_light, grounds_inverted, light_on_dark, light_panel, on_paper
from polyocr.infer.result import Block, Char, Line, Page, Word, box_of
from polyocr.infer.rules import without_rules
from polyocr.infer.stacked import stacked_rows
from polyocr.infer.textsize import character_height
from polyocr.infer.turns import turned_back, upright_image
from polyocr.infer.underscores import counted
from polyocr.infer.urls import restore_schemes
from polyocr.infer.variants import VariantPreference
from polyocr.infer.widths import lone_wide_lines, narrow_forms, wide, without_lone_wide
from polyocr.infer.words import WordSplitter
from polyocr.lang.vocabulary import Vocabulary
from polyocr.model.backbone import ROWS, VIEWS, set_kind
from polyocr.model.blank_screen import BlankScreen
from polyocr.model.ctc import DecodedLine, collapse
from polyocr.model.frozen_norms import FoldedBackbone, NormRecorder
from polyocr.model.lines import chunks, cut_page_lines, pack_lines
from polyocr.model.ocr import OCRModel, ReadingHead
from polyocr.model.postprocess import decode
from polyocr.model.precision import native_bfloat16
from polyocr.model.relational import decode_order


@dataclass(frozen=True)
class PipelineConfig:
    detect_side: int = 1024
    """Long side of the page as the detector first sees it (training pages show text at this scale)."""
    detect_line: float = 20.0
    """Line thickness (detection pixels) the detector reads best: its synthetic training pages set body
    text 17–33 px thick at ``detect_side``, while typeset documents set 10-pt text 12–16 px thick
    there, thin enough that lines set with little leading merge. A page whose median detected line is
    thinner than 0.85 × this is detected again, scaled so that it is this thick. This is the default: a
    page whose lines are mostly in scripts of packs that set a smaller ``LanguageSpec.detect_line`` is
    detected at that (see ``script_sample``)."""
    script_sample: int = 8
    """Lines of the first view read to tell a page's scripts, whose packs set the thickness of the closer
    view (``LanguageSpec.detect_line``); 0: always ``detect_line``."""
    detect_max_side: int = 2560
    """No detection sees the page larger than this (memory and time stay bounded)."""
    closer_margin: float = 5.0
    """The closer detection sees only the region of the page that holds the first detection's lines, with
    this many line thicknesses of margin on every side (small print the first view missed lies within
    a few lines of the text it saw): a typeset page's margins are a third of its area, and the backbone
    costs the same on white paper as on text. ``0`` sees the whole page again."""
    detect_dpi: float | None = None
    """When a page's resolution is known (a PDF page rendered at ``--dpi``, a scan that records it), the
    first detection sees it at this many dots per inch rather than at ``detect_side``: typeset body
    text (9–12 pt, 16–21 px per em here) is then about ``detect_line`` thick, and the second, closer
    detection is seldom needed (from the 1,024-px view, 46 of the 48 real pages at 150 DPI needed it).
    A page whose lines this view sees far thicker than the detector trained on (large type: slides,
    posters) is detected again farther. ``None`` (the default): every page is first seen at
    ``detect_side``. Off by default: at 128 on the 48 real pages the bundled model's page NED went from
    0.033 to 0.042 (en 0.012 → 0.035, ru 0.013 → 0.019), 2.12 CPU s/page against 2.38 in an earlier run
    (``tools/measure_settings.py "dpi128:detect_dpi=128.0"`` against ``"default:"``, 2026-12-05)."""
    trusted_dpi: float = 100.0
    """Resolutions below this are not trusted: 72 and 96 are what cameras and screen captures record
    whatever they show."""
    line_height: float = 32.0
    """Height the recognizer reads a line at (its training crops' height)."""
    read_pixels: int = 12_000_000
    """The page is reduced to at most this many pixels before its lines are cut out for reading."""
    max_upscale: float = 3.0
    crop_width: int = 640
    """Longest crop the recognizer reads at once (its training crops' length); longer lines are read in
    overlapping chunks of this length."""
    line_batch: int = 48
    """Line chunks read per backbone call (packed into rows of ``crop_width``)."""
    threshold: float = 0.5
    neck: float = 0.3
    """Bands of several lines that touch through a bridge of at most this share of a band's width are
    cut apart into their lines (``postprocess.split_necks``; 0: never): lines set with little leading
    (CJK set solid, footnotes) now and then touch in the score map, and the merged line reads as noise.
    On the 48 real pages: Japanese page NED 0.047 → 0.030, the other languages within ±0.001
    (``tools/measure_settings.py "none:neck=0.0" "default:"``, 2026-12-05). Trimming the cut lines'
    quads where they still overlapped a neighbour was tried and dropped: Japanese 0.026 but Simplified
    Chinese 0.037 → 0.045 (one page's footnote was read as noise once trimmed). 0.3 rather than 0.2
    (stop 30): the rows of a table ruled between every line, which its rules bridge, read at 0.0180
    rather than 0.0231 (``tools/measure_robustness.py --set neck=0.3``, every other transform within
    ±0.0003 or better: a desk photo 0.0158 → 0.0136); the 48 real pages and the synthetic test split
    read the same; 0.4 joined underlined lines (0.0176 → 0.0267)."""
    end_pad: float = 0.25
    """Each detected line is lengthened at both ends by this many times its thickness before it is read:
    the detector's quads end tight on the text, now and then inside a line's last character, and the
    recognizer trained on crops whose ends were jittered mostly outwards (real pages, en/ru/ja/zh_hans:
    page NED 0.058 → 0.056 at 0.25, ``tools/measure_settings.py "pad0:end_pad=0" "default:"``)."""
    leading_marks: float = 1.6
    """A list's mark that the detector left out of its line (a bullet set an indent before the text:
    ``infer/marks.py``), looked for this many line thicknesses before each line's start and taken into
    the line; 0: off. On the 48 real pages: page NED 0.0186 → 0.0174 (en 0.010 → 0.009, zh_hant 0.026 →
    0.025; ``•``, ``*`` and ``–`` of hanging lists were lost), one page worse by 0.001; on the synthetic
    split within ±0.0007 per language (``tools/measure_settings.py "nomarks:leading_marks=0.0" "default:"``,
    ``polyocr eval --data data/test --order geometry``, 2026-12-06)."""
    invert_dark: bool = True
    """A page of light text on a dark ground (a dark-mode screenshot, a negative) is read inverted (a page on
    a dark desk, whose light part is one large region, is put on its paper colour instead); the dark
    grounds of a light page that hold light text (banners, dark boxes, a table's head rows) are turned into
    dark ink on white paper before lines are detected, and a line crop of light text on a dark ground still
    left is inverted when it is read (``infer/polarity.py``): the detector and recognizer trained mostly on
    dark ink. On the real pages under ``tools/measure_robustness.py``, a third of the page on a black / blue
    bar read 0.051 / 0.058 with the crops alone inverted, 0.014 / 0.015 so (untouched: 0.0135)."""
    turn_pages: bool = True
    """A page whose lines do not mostly read along +x, or whose probe lines read unsurely, is checked for a
    quarter or half turn by reading the probe lines every other way (each votes for the turn it reads
    surest at, ``page_turn_share`` must agree), and read turned upright (``infer/turns.py``)."""
    erase_rules: bool = True
    """Rules (table borders, fill-in lines, underlines: ink far longer than a character and thin) are
    painted over in the paper's colour before lines are read (``infer/rules.py``); detection sees them."""
    narrow_scripts: bool = True
    """Large scripts (256 classes or more: Han, Hangul) the probe's lines do not show are left out of the
    output layer for the rest of the page; steps no class left fits (``weak_share``) are read with the
    whole layer (``infer/narrowing.py``)."""
    weak_share: float = 0.7
    """A step whose largest logit under a narrowed layer is at most this share of the median step's is
    read with the whole layer (0: none is)."""
    lone_wide: float = 0.05
    """On a page where at most this share of the letters read are wide (Han, kana, Hangul: East Asian
    Width), a line with a wide letter between narrow characters is read again without the wide classes
    (``>>`` read ``ン>``, ``>=`` read ``>ニ``, ``<<`` read ``<く``: on the English and Russian real and web
    pages every such letter was a misread; ``infer/widths.py``); 0: off."""
    page_turn_share: float = 0.75
    """The share of the probe's lines that must read surest turned the same way for the page to be turned."""
    ink_thickness: float = 1.4
    """A line's thickness (as the detector sees it) in character heights (the 80th percentile of the
    heights of the ink's connected components, ``infer/textsize.py``): 1.2–1.9 on the 48 real pages,
    1.33–1.46 on average in each script but Cyrillic (1.54, mostly x-height letters: the Russian pack
    sets 1.55, ``LanguageSpec.ink_thickness``; the page's scripts are told by its probe). Lines much
    thinner than the detector trained on come out of it as bands of 11–14 px whatever their true size;
    where the ink says the text is smaller than ``trust_ink_below`` times what the detector says, the
    closer view is scaled from the ink. 0: off."""
    trust_ink_below: float = 0.7
    """Pages on large canvases gave 0.39–0.64 (a Japanese page on a canvas 2 × 1.6 its size 0.64: at 0.6
    its closer view stayed too far, page NED 0.145 against 0.015); the real pages 0.74–1.2; the Russian
    sample 0.67 with one factor for all scripts (its 80th percentile is the x-height, a line 2.15 of
    it), 0.74 with its pack's."""
    skew_tolerance: float = 2.5
    """Lines within this many degrees of the page's skew are set on it (``postprocess.straighten``)."""
    orientation_check: float = 0.9
    """A block of lines (one reading direction, ``order.direction_groups``) whose longest lines read with a
    mean character probability below this is read the other ways too (``infer/orientation.py``), and
    keeps the way the recognizer is surest of; 0: the detector's directions are trusted."""
    orientation_sample: int = 6
    """Lines of a block (its longest) read each other way to compare the readings."""
    cut_bridges: bool = True
    """A line the detector ran across a column gutter (the other lines leave it empty, the line's own
    characters leave a gap there, ``column_gap`` wide or more) is cut there and read as two
    (``infer/gutters.py``): one such line hid the gutter from the order, and the columns were read across."""
    retry_below: float = 0.0
    """Lines read with a mean character probability below this are read again from a quad a little
    thicker and a little thinner (``retry_scales``), keeping the surest reading; 0: off. At 0.92 on the
    48 real pages: page NED 0.0261 → 0.0252 (zh_hant 0.045 → 0.042, zh_hans 0.032 → 0.031, en 0.014 →
    0.013) for 9 % more CPU time; at 0.85 no better over all (``tools/measure_settings.py "base:"
    "r92:retry_below=0.92"``, 2026-12-06). Off by default: speed is where polyocr is furthest from its
    targets; ``polyocr read --retry 0.92`` or ``OCR(retry_below=0.92)`` for the last bit."""
    retry_scales: tuple[float, ...] = (1.15, 0.87)
    noise_below: float = 0.7
    """A line of at most ``noise_chars`` characters, read with a mean probability below this, that holds a
    mark other than letters and digits is taken for a graphic (a note icon, a logo, a stamp: the detector
    sees a short line there) and left out (:func:`_is_noise`); 0: off. On the 48 real pages (model of
    2026-12-06, stop 22): page NED 0.0202 → 0.0195, no page worse (Traditional Chinese 0.033 → 0.030,
    Simplified 0.029 → 0.027, English 0.010 → 0.009: note icons read as ``(令)``, ``(や。)``); on the
    synthetic test split no language worse (ko 0.121 → 0.118, ja 0.085 → 0.084), detection F1 the same or
    higher. Leaving out every short unsure line, letters too, had cost true words there (names in
    tables: Traditional Chinese recall 0.993 → 0.925). ``tools/measure_settings.py "a:noise_below=0.0"
    "b:"``, ``polyocr eval --data data/test --order geometry``."""
    noise_chars: int = 4
    pictograms: bool = True
    """Short lines whose ink is one ring-like stroke about as wide as it is tall (a note's icon) are
    taken for pictograms and left out, however surely they read (``infer/pictograms.py``)."""
    pictogram_chars: int = 6
    """Only lines of at most this many characters are looked at."""
    stacked_rows: float = 1.6
    """Bands at least this many times the page's median line thickness that hold rows of text apart (lines
    set close, as forms list their choices, taken for one band) are cut into their rows and each read
    alone (``infer/stacked.py``) where their rows read surer; 0: off."""
    stacked_gain: float = 0.05
    """How much higher the rows' mean character probability must be than the band's for the cut to stay."""
    drawn_boxes: bool = True
    """Lines whose ink is nothing but empty boxes (a form's check boxes and character cells) are left out,
    and characters read on the sides of a frame around a line's words (a button's) taken off them
    (``infer/boxes.py``)."""
    box_chars: int = 24
    """Rows of boxes are looked for in lines read as at most this many characters."""
    underscores: bool = True
    """Each ``_`` read is written as many times as its stroke is characters long: touching underscores read
    as one (``_init_`` for ``__init__``; ``infer/underscores.py``)."""
    own_variants: bool = True
    """Where one pack's charset clearly explains the page's characters best, characters of another
    variety of its script that it maps (``register_variants``: Simplified 内 on a Traditional-Chinese
    page) are written in its own form (``infer/variants.py``)."""
    reading_order: Literal["model", "geometry"] = "model"
    """``model``: the relational model orders lines and groups paragraphs; ``geometry``: the XY-cut
    fallback (``infer/order.py``) it is measured against."""
    column_gap: float = 0.5
    """``geometry`` order: the narrowest whitespace between columns, in line thicknesses (a line's box is
    about 1.2 em thick; typeset gutters are 1–2 em, CJK ones set solid as narrow as 0.8 em)."""
    cpu_bfloat16: bool = True
    """On a CPU with native bfloat16 (``model/precision.py``), read lines under bfloat16 autocast, as
    training ran there. On the 48 real pages: 2.32 against 2.64 CPU s/page, page NED 0.0333 either way
    (``tools/measure_settings.py "fp32:cpu_bfloat16=False" "default:"``). Elsewhere it does nothing. On
    a CPU, convolutions run channels-last either way (same arithmetic; pages ~1.17× faster than in the
    default layout)."""
    cpu_bfloat16_detect: bool = True
    """On such a CPU, detect under bfloat16 autocast too (the page's features and the detector head; the
    decoding stays in float32). On the 48 real pages: 1.78 against 2.07 CPU s/page, page NED 0.0234
    against 0.0235; on the synthetic test split page NED within ±0.002 on five languages, zh_hans 0.154 →
    0.126 (``tools/measure_settings.py "fp32:cpu_bfloat16_detect=False" "default:"``, ``polyocr eval``,
    2026-12-06). A page's lines now and then come out a pixel apart, which a fragile page feels either
    way: a table page of small print went from en 0.015 to 0.038, a Chinese page from 0.066 to 0.026 —
    as a 0.06 % change of the detection's scale does in float32."""
    frozen_norms: bool = True
    """On a CPU, a page's line rows after its probe are read by the backbone as plain convolutions, their
    normalization's statistics those of the probe's rows (``model/frozen_norms.py``); ``False``: every
    row normalized by its own statistics, as in training. On the 48 real pages the same page NED but
    for one table page, whose order turns on a cell kept or dropped as noise (docs/benchmarks.md, stop
    29); a page ~1.15× faster."""
    smooth_bilevel: float = 0.6
    """A bilevel page (every pixel black or white: a fax, a binarized scan) is blurred by a Gaussian of
    this σ (page pixels) before it is read: the detector and the recognizer trained on anti-aliased text,
    and broken strokes read better a little softened. The real pages binarized at 150 DPI (4 a language,
    ``tools/measure_robustness.py --per 4 --only binary``): page NED 0.0271 → 0.0243 (σ 0.5: 0.0249,
    0.7: 0.0249), lower on all six languages; binarized at 300 DPI (2 a language): 0.0209 → 0.0202.
    Other pages are left as they are. 0: off."""
    lexicon_below: float = 0.95
    """A character read with a probability under this, in a run its pack's text never writes, is read as
    the look-alike of its group (``register_confusables``) that makes the run one the text writes, where
    exactly one does (``infer/lexicon.py``; Japanese ピルド → ビルド, Korean 패기지 → 패키지). On the real
    pages: Japanese page NED 0.014 → 0.011 (every page better), Korean 0.018 → 0.017 (four pages better,
    none worse), the other languages the same; 0: off."""
    lexicon_pairs_below: float = 0.85
    """For packs that check pairs (``Confusables.pair_count``: Korean), a character read with a probability
    under this in a run their text never writes, whose pairs with its neighbours the text never writes,
    becomes the one look-alike whose pairs it writes often (``세상을퍼났다`` → ``세상을떠났다``); 0: off.
    Only neighbours read surely vouch (next to an unsure one the misread may be the neighbour's). Real
    Korean pages 0.0168 → 0.0158, the synthetic Korean split 0.0729 either way; at 0.95, with pairs seen
    3 times and any neighbour vouching, as often as not the swap was wrong (코드명 → 코드령)."""
    screen_blanks: bool = True
    """On a CPU, the CTC steps that the checkpoint's blank screen finds surely blank skip the output layer
    (``model/blank_screen.py``; a checkpoint without one, or whose weights changed since it was fitted,
    reads every step through the layer). About half of all steps; on the 48 real pages every page's
    text the same, a page ~5 % faster (docs/benchmarks.md, stop 30)."""


LATTICE = 4
"""Line crops start on multiples of the backbone's coarsest feature stride in their rows, and their quads'
widths are rounded up to one: the recognizer's strips are then copies of the features, not samples
(``model/rectifier.lattice_rectify``)."""


@dataclass
class Detected:
    quads: np.ndarray
    """(N, 4, 2) in the pixels of the page scaled by ``scale``."""
    scores: np.ndarray
    vertical: np.ndarray
    scale: float
    origin: tuple[int, int] = (0, 0)
    """Where the top-left corner of the detected view lies in the scaled page (x, y): not the corner when
    the view held only the text's region (``closer_margin``)."""
    frame: tuple[int, int] | None = None
    """The scaled page's size (height, width), padded as a whole page is for the backbone."""


def _resize(image: np.ndarray, scale: float, region: tuple[int, int, int, int] | None = None
            ) -> tuple[torch.Tensor, float, tuple[int, int]]:
    """The page scaled by ``scale`` on a white canvas of whole backbone cells, or only the part of it that
    holds ``region`` (page pixels): that part starts on the scaled page's 32-px grid and is resampled from
    the same source positions, so its pixels, and the features of all but its edges, are the whole
    view's. Also the scale the page's height got, and the part's corner (x, y) in the scaled page."""
    h, w = image.shape[:2]
    nh, nw = max(32, round(h * scale)), max(32, round(w * scale))
    sy, sx = nh / h, nw / w
    x0, y0, x1, y1 = 0, 0, nw, nh
    if region is not None:
        x0, y0 = math.floor(region[0] * sx / 32) * 32, math.floor(region[1] * sy / 32) * 32
        x1, y1 = min(nw, math.ceil(region[2] * sx)), min(nh, math.ceil(region[3] * sy))
    if (nh, nw) == (h, w):
        resized = image[y0:y1, x0:x1]
    else:
        box = (x0 / sx, y0 / sy, x1 / sx, y1 / sy)
        resized = np.asarray(Image.fromarray(image).resize((x1 - x0, y1 - y0), Image.BILINEAR, box=box))
    ph, pw = math.ceil((y1 - y0) / 32) * 32, math.ceil((x1 - x0) / 32) * 32
    canvas = np.full((ph, pw, 3), 255, np.uint8)
    canvas[:y1 - y0, :x1 - x0] = resized
    return torch.from_numpy(canvas).permute(2, 0, 1)[None].float() / 255.0, sy, (x0, y0)


def _box_around(quads: np.ndarray, w: int, h: int, margin: int = 2) -> tuple[int, int, int, int] | None:
    """The part (x0, y0, x1, y1) of a ``w`` × ``h`` image that holds ``quads`` (K, 4, 2) with ``margin``
    pixels (bilinear sampling reads one past a point); ``None`` when they lie outside it."""
    if not len(quads):
        return None
    points = quads.reshape(-1, 2)
    x0, y0 = (max(0, int(np.floor(v)) - margin) for v in points.min(0))
    x1, y1 = min(w, int(np.ceil(points[:, 0].max())) + margin + 1), min(h, int(np.ceil(points[:, 1].max())) + margin + 1)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _around(image: np.ndarray, quads: np.ndarray, margin: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The part of ``image`` that holds ``quads`` (:func:`_box_around`), and its corner (x, y); the whole
    image when they lie outside it. A page's lines read a few at a time (the probe, a block read again)
    sample a small part of it, and converting the whole page to floats for each took 22 ms."""
    box = _box_around(quads, image.shape[1], image.shape[0], margin)
    if box is None:
        return image, np.zeros(2, np.float32)
    x0, y0, x1, y1 = box
    return image[y0:y1, x0:x1], np.array([x0, y0], np.float32)


@dataclass
class _Probe:
    """Some of the first view's lines (their middles, page pixels) as read, whether the view's lines mostly
    run along +x, and how many of them run down the page."""
    quads: np.ndarray
    vertical: np.ndarray
    reads: list[DecodedLine]
    upright: bool
    down: float
    """The share of the view's line length running down the page (``orientation.running_down``)."""


@dataclass
class _Chunk:
    line: int
    start: int
    keep_from: int
    keep_to: int


class Pipeline:
    def __init__(self, model: OCRModel, vocab: Vocabulary, splitter: WordSplitter, device: str = "cpu",
                 config: PipelineConfig | None = None, classes: list[int] | None = None,
                 variants: VariantPreference | None = None, screen: BlankScreen | None = None,
                 lexicon: LexiconCorrection | None = None) -> None:
        """``classes``: the only output classes lines may be read as (``Vocabulary.classes_of`` the
        charsets of the languages a user names); all of them when ``None``. ``variants``: the packs'
        own forms of look-alike characters, written where a pack owns the page (``own_variants``).
        ``screen``: the checkpoint's blank screen (``screen_blanks``). ``lexicon``: the packs' confusable
        characters and their texts' runs (``lexicon_below``)."""
        self.variants = variants
        self.lexicon = lexicon
        self.model = model.eval().to(device)
        self.vocab = vocab
        self._readable = frozenset(vocab.chars)
        self.splitter = splitter
        self.device = torch.device(device)
        self.cfg = config or PipelineConfig()
        cpu_bf16 = self.device.type == "cpu" and native_bfloat16(self.device)
        self.head = ReadingHead.of(self.model.recognizer.head, classes, torch.bfloat16 if cpu_bf16 else None)
        self.narrowing = ScriptNarrowing(vocab, self.head, self.model.recognizer.head) if self.cfg.narrow_scripts \
            else None
        self._narrowed: ReadingHead | None = None
        """The head of the page being read, when narrowed to its scripts (set from its probe)."""
        self._forced: ReadingHead | None = None
        """A head every step is read with, no fallback (lines read again without wide classes)."""
        self._narrow_head: ReadingHead | None = None
        """The head without wide classes (built when a page first needs it)."""
        self._cpu_bf16_read = cpu_bf16 and self.cfg.cpu_bfloat16
        self._cpu_bf16_detect = cpu_bf16 and self.cfg.cpu_bfloat16_detect
        self._layout = torch.channels_last if self.device.type == "cpu" else torch.contiguous_format
        self.model = self.model.to(memory_format=self._layout)
        self._folded: FoldedBackbone | None = None
        """The backbone for a page's line rows with the statistics of its probe folded in (``frozen_norms``)."""
        self._recorder: NormRecorder | None = None
        self._fixed: dict[tuple[torch.dtype, int], FoldedBackbone] = {}
        """A ``norm="fixed"`` backbone as oneDNN runs it on a CPU, per precision and kind of input."""
        if self.cfg.frozen_norms and self.device.type == "cpu" and self.model.cfg.norm == "group":
            self._folded = FoldedBackbone(self.model.backbone, torch.bfloat16 if self._cpu_bf16_read else torch.float32)
            self._recorder = NormRecorder(self.model.backbone)
        self._folded_ready = False
        """Whether ``_folded`` holds the statistics of the page being read."""
        self.screen = screen if self.cfg.screen_blanks and self.device.type == "cpu" else None
        self.step_observer: Callable[[torch.Tensor], None] | None = None
        """Called with the features of every batch of CTC steps read (``tools/fit_blank_screen.py``)."""

    def _autocast(self, work: Literal["detect", "read", "order"]):
        """fp16 on a GPU; on a CPU with native bfloat16, bfloat16 for detecting lines
        (``cpu_bfloat16_detect``) and reading them (``cpu_bfloat16``); the relational model's order stays
        in float32 there."""
        if self.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.float16)
        enabled = {"detect": self._cpu_bf16_detect, "read": self._cpu_bf16_read}.get(work, False)
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=enabled)

    def _features(self, images: torch.Tensor, rows: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        """The shared features of a page view or of rows of line crops (``rows``); a page's rows after its
        probe go through the backbone with the probe's statistics folded in, where it has one
        (``frozen_norms``); a ``norm="fixed"`` backbone maps each kind of input its own way."""
        images = images.to(self.device).contiguous(memory_format=self._layout)
        if self.model.cfg.norm == "fixed":
            kind = ROWS if rows else VIEWS
            if self.device.type != "cpu":
                set_kind(self.model.backbone, kind)
                return self.model.features(images)
            key = (torch.bfloat16 if torch.is_autocast_enabled("cpu") else torch.float32, kind)
            if key not in self._fixed:
                self._fixed[key] = FoldedBackbone(self.model.backbone, *key)
            return self.model.features(images, self._fixed[key])
        if rows and self._folded is not None and self._folded_ready:
            return self.model.features(images, self._folded)
        return self.model.features(images)

    @torch.inference_mode()
    def _detect(self, image: np.ndarray, scale: float, region: tuple[int, int, int, int] | None = None
                ) -> tuple[torch.Tensor, Detected]:
        """Lines and the shared features of the page, or of its ``region`` (x0, y0, x1, y1, page pixels)."""
        h, w = image.shape[:2]
        x, actual, origin = _resize(image, scale, region)
        with self._autocast("detect"):
            fused, _ = self._features(x)
            maps = self.model.detect(fused).float()[0]
        if fused.dtype == torch.bfloat16:  # the relational model reads it outside autocast on a CPU
            fused = fused.float()
        maps[0] = maps[0].sigmoid()
        maps[5] = maps[5].sigmoid()
        maps[3:5] = torch.nn.functional.normalize(maps[3:5], dim=0)
        quads, scores, vertical = decode(maps.cpu().numpy(), 4.0, self.cfg.threshold,
                                        skew_tolerance=self.cfg.skew_tolerance, neck=self.cfg.neck)
        quads += np.array(origin, np.float32)
        frame = (math.ceil(round(h * actual) / 32) * 32, math.ceil(round(w * actual) / 32) * 32)
        return fused, Detected(quads, scores, vertical, actual, origin, frame)

    @torch.inference_mode()
    def page(self, image: np.ndarray, index: int = 0, source: str | None = None, dpi: float | None = None) -> Page:
        """OCR one page; ``dpi``, when known, sets the scale of the first detection (``detect_dpi``)."""
        h, w = image.shape[:2]
        self._narrowed = None
        self._folded_ready = False
        if self.cfg.smooth_bilevel > 0 and _bilevel(image):
            image = np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(self.cfg.smooth_bilevel)))
        if self.cfg.invert_dark and light_on_dark(image):
            panel = light_panel(image)
            image = 255 - image if panel is None else on_paper(image, panel)
        elif self.cfg.invert_dark and (grounds := dark_grounds(image)) is not None:
            image = grounds_inverted(image, grounds)
        scale, from_dpi = self._first_scale(h, w, dpi)
        fused, det = self._detect(image, scale)
        probe = self._probe(image, det)
        rotation = self._page_turn(image, probe) if self.cfg.turn_pages and probe is not None else 0
        if rotation:
            upright = upright_image(image, rotation)
            fused, det = self._detect(upright, self._first_scale(*upright.shape[:2], dpi)[0])
            page = self._from_first_view(upright, fused, det, self._probe(upright, det), from_dpi, index, source)
            return turned_back(page, rotation, w, h)
        return self._from_first_view(image, fused, det, probe, from_dpi, index, source)

    def _from_first_view(self, image: np.ndarray, fused: torch.Tensor, det: Detected, probe: _Probe | None,
                         from_dpi: bool, index: int, source: str | None) -> Page:
        h, w = image.shape[:2]
        read = [r.text for r in probe.reads] if probe is not None else []
        texts = read if self.cfg.script_sample > 0 else []
        line = self.splitter.detect_line(texts, self.cfg.detect_line)
        ink = self.splitter.ink_thickness(texts, self.cfg.ink_thickness) if self.cfg.ink_thickness > 0 else 0.0
        if self.narrowing is not None and read:
            self._narrowed = self.narrowing.head_for(read)
        region = self._text_region(det, h, w)
        again = self._closer_scale(image, det, region, line, ink)
        region = region if again is not None else None
        if again is None and from_dpi:
            again = self._farther_scale(det, line)
        if again is not None:
            fused, det = self._detect(image, again, region)
        if not len(det.quads):
            return Page(index=index, width=w, height=h, source=source)
        if self.cfg.leading_marks > 0:
            shift = leading_marks(image, det.quads / det.scale, det.vertical, self.cfg.leading_marks)
            det.quads = moved_starts(det.quads, shift * det.scale)
        drawn = image  # with its rules: the sides of a form's boxes
        if self.cfg.erase_rules:
            image = without_rules(image, _median_thickness(det.quads) / det.scale)
        lines = self._read(image, self._padded(det.quads) / det.scale, det.vertical)
        if self.cfg.orientation_check > 0:
            lines = self._check_orientation(image, det, lines)
        if self.cfg.stacked_rows > 0:
            lines = self._cut_stacked(image, det, lines)
        if self.cfg.cut_bridges and self.cfg.column_gap > 0:
            lines = self._cut_bridges(image, det, lines)
        if self.cfg.retry_below > 0:
            lines = self._retry_unsure(image, det, lines)
        if self.cfg.lone_wide > 0:
            lines = self._without_lone_wide(image, det, lines)
        if self.cfg.noise_below > 0:
            lines = _without_noise(lines, self.cfg.noise_below, self.cfg.noise_chars)
        if self.cfg.pictograms:
            lines = _without_pictograms(image, det.quads / det.scale, det.vertical, lines, self.cfg.pictogram_chars)
        if self.cfg.drawn_boxes or self.cfg.underscores:
            reading, paper = self._padded(det.quads) / det.scale, float(np.median(grey_sample(drawn)))
            if self.cfg.drawn_boxes:
                lines = _without_drawn_boxes(drawn, reading, det.vertical, lines, self.cfg.box_chars, paper)
            if self.cfg.underscores:
                lines = _underscores_counted(drawn, reading, det.vertical, lines, paper)
        lines = _one_script_per_word(lines, self._readable)
        lines = _narrow_forms(lines)
        lines = _in_capitals(lines, self.splitter.capital_shaped)
        lines = [(restore_schemes(line), steps) for line, steps in lines]
        if self.cfg.own_variants and self.variants is not None:
            lines = _own_variants(lines, self.variants)
        if self.cfg.lexicon_below > 0 and self.lexicon is not None:
            owner = self.lexicon.owner([line.text for line, _ in lines])
            lines = [(self.lexicon.rewrite(line, self.cfg.lexicon_below, self.cfg.lexicon_pairs_below, owner), steps)
                     for line, steps in lines]
        order, para = self._order(fused, det, [i for i, (decoded, _) in enumerate(lines) if decoded.text.strip()])
        return self._assemble(lines, det, order, para, index, w, h, source)

    def _probe(self, image: np.ndarray, det: Detected) -> _Probe | None:
        """The middles of some of the first view's lines, spread over the page, read from the page's own
        pixels: a dozen characters tell a line's script and whether it reads the right way up."""
        n = self.cfg.script_sample if self.cfg.script_sample > 0 else self.cfg.orientation_sample
        if n <= 0 or len(det.quads) < 3:
            return None
        pick = np.unique(np.linspace(0, len(det.quads) - 1, min(n, len(det.quads))).round().astype(int))
        quads, vertical = _middle(det.quads[pick] / det.scale, 12.0), det.vertical[pick]
        self._folded_ready = False
        if self._recorder is None:
            reads = [line for line, _ in self._read(image, quads, vertical)]
        else:  # the probe's rows, normalized by their own statistics, give those of the page's later rows
            with self._recorder.recording():
                reads = [line for line, _ in self._read(image, quads, vertical)]
            stats = self._recorder.result()
            if stats is not None and self._folded is not None:
                self._folded.fold(stats)
                self._folded_ready = True
        return _Probe(quads, vertical, reads, reads_upright(det.quads, det.vertical), running_down(det.quads))

    def _page_turn(self, image: np.ndarray, probe: _Probe) -> int:
        """Clockwise degrees the page's content is turned (0, 90, 180, 270): when the first view's lines do
        not mostly run along +x, or the probe reads them unsurely (``orientation_check``), each probe line
        is read every other way that makes sense (``orientation.other_ways``) and takes the turn of the
        way the recognizer is surest of; the page turns when ``page_turn_share`` of them agree (a page of
        blocks turned every which way is left to the check of each block, ``orientation_check``)."""
        if probe.upright and mean_confidence(probe.reads) >= self.cfg.orientation_check:
            return 0
        n = len(probe.reads)
        best_score = np.array([sureness([line]) for line in probe.reads])
        turns = np.array([content_rotation(probe.quads[k: k + 1], probe.vertical[k: k + 1]) for k in range(n)])
        for way in other_ways(probe.quads):
            quads, vertical = turn(probe.quads, probe.vertical, way)
            reads = [line for line, _ in self._read(image, quads, vertical)]
            for k, line in enumerate(reads):
                if (score := sureness([line])) > best_score[k]:
                    best_score[k], turns[k] = score, content_rotation(quads[k: k + 1], vertical[k: k + 1])
        votes = np.bincount(turns // 90, minlength=4)
        rotation = int(np.argmax(votes)) * 90 if votes.max() >= self.cfg.page_turn_share * n else 0
        # and the page's lines must lie as the turn has them: most of them down the page for a quarter turn
        lying = probe.down if rotation % 180 else 1.0 - probe.down
        return rotation if lying >= self.cfg.page_turn_share else 0

    def _first_scale(self, h: int, w: int, dpi: float | None) -> tuple[float, bool]:
        """The scale of the first detection, and whether it came from the page's resolution."""
        cfg = self.cfg
        if cfg.detect_dpi and dpi and dpi >= cfg.trusted_dpi:
            return min(cfg.detect_dpi / dpi, cfg.max_upscale, cfg.detect_max_side / max(h, w)), True
        return min(cfg.detect_side / max(h, w), cfg.max_upscale), False

    def _farther_scale(self, det: Detected, line: float) -> float | None:
        """The scale at which the median line is ``line`` thick, when a view chosen from the page's
        resolution saw it thicker than any body text the detector trained on (33 px); else ``None``."""
        if len(det.quads) < 3:
            return None
        thick = _median_thickness(det.quads)
        return det.scale * line / thick if thick > 1.65 * line else None

    def _closer_scale(self, image: np.ndarray, det: Detected, region: tuple[int, int, int, int] | None,
                      line: float, ink: float | None = None) -> float | None:
        """The scale at which the page's median line is ``line`` thick, when the first detection saw it
        clearly thinner (small print); ``None`` to keep the first detection. The view of ``region`` (or
        of the whole page) stays within ``detect_max_side``. ``ink``: a line's thickness in its ink's
        heights on this page (``ink_thickness`` when not given)."""
        cfg = self.cfg
        ink = cfg.ink_thickness if ink is None else ink
        if len(det.quads) < 3:
            return None
        page_thick = max(_median_thickness(det.quads), 1.0) / det.scale
        if ink > 0 and page_thick * det.scale < cfg.detect_line:
            # bands this thin may be lines far thinner than the detector knows, merged
            boxes = np.concatenate([det.quads.min(1), det.quads.max(1)], 1) / det.scale
            height = character_height(image, boxes)
            if height is not None and ink * height < cfg.trust_ink_below * page_thick:
                page_thick = ink * height
        if page_thick * det.scale >= 0.85 * line:
            return None
        h, w = image.shape[:2]
        x0, y0, x1, y1 = region or (0, 0, w, h)
        scale = min(line / page_thick, cfg.max_upscale, cfg.detect_max_side / max(x1 - x0, y1 - y0))
        return scale if scale > 1.1 * det.scale else None

    def _text_region(self, det: Detected, h: int, w: int) -> tuple[int, int, int, int] | None:
        """The part of the page (x0, y0, x1, y1) the closer detection needs to see: the first detection's
        lines and ``closer_margin`` line thicknesses around them; ``None`` for the whole page (no margin
        asked for, or the region is most of the page anyway)."""
        if self.cfg.closer_margin <= 0 or not len(det.quads):
            return None
        pts = det.quads.reshape(-1, 2) / det.scale
        margin = self.cfg.closer_margin * _median_thickness(det.quads) / det.scale
        x0, y0 = (max(0, math.floor(v - margin)) for v in pts.min(0))
        x1, y1 = min(w, math.ceil(pts[:, 0].max() + margin)), min(h, math.ceil(pts[:, 1].max() + margin))
        if (x1 - x0) * (y1 - y0) > 0.85 * h * w or x1 - x0 < 32 or y1 - y0 < 32:
            return None
        return x0, y0, x1, y1

    @torch.inference_mode()
    def read_lines(self, image: np.ndarray, quads: np.ndarray, vertical: np.ndarray) -> list[DecodedLine]:
        """Read given lines (quads in the pixels of ``image``, start-top first) without detecting them."""
        self._narrowed = None  # lines without a page's probe: every class, every row normalized by its own
        self._folded_ready = False
        if not len(quads):
            return []
        return [line for line, _ in self._read(image, np.asarray(quads, np.float32), np.asarray(vertical, bool))]

    def _read(self, image: np.ndarray, quads: np.ndarray, vertical: np.ndarray) -> list[tuple[DecodedLine, int]]:
        """Each line (quads in the pixels of ``image``) read from its own crop, as in training: decoded text
        and the crop's length, the unit of the character spans."""
        cfg = self.cfg
        h, w = image.shape[:2]
        thick = _median_thickness(quads)
        # reduce (with a low-pass filter) a page whose lines are much taller than the recognizer reads,
        # or that is too large to hold as floats; lines are then sampled at exactly line_height each
        factor = min(1.0, math.sqrt(cfg.read_pixels / (h * w)), 1.25 * cfg.line_height / max(thick, 1.0))
        reduce = factor < 1.0
        if reduce:
            nw, nh = max(1, round(w * factor)), max(1, round(h * factor))
            factor = nh / h
        scaled = (quads * factor).astype(np.float32)
        if reduce:
            x0, y0, x1, y1 = _box_around(scaled, nw, nh) or (0, 0, nw, nh)
            # only that part reduced: its pixels are the whole reduced page's (PIL samples at the same places)
            sx, sy = nw / w, nh / h
            image = np.asarray(Image.fromarray(image).resize((x1 - x0, y1 - y0), Image.LANCZOS,
                                                             box=(x0 / sx, y0 / sy, x1 / sx, y1 / sy)))
            corner = np.array([x0, y0], np.float32)
        else:
            image, corner = _around(image, scaled)  # only the pixels columns sample become floats
        height = int(cfg.line_height)
        crops = cut_page_lines(image, scaled - corner, vertical, height, 200 * height)
        if cfg.invert_dark:
            crops = dark_on_light(crops)
        pieces, chunk_of = [], []
        for k, crop in enumerate(crops):
            for start, end, keep_from, keep_to in chunks(crop.shape[-1], cfg.crop_width, 2 * height):
                pieces.append(crop[:, :, start:end])
                chunk_of.append(_Chunk(k, start, keep_from, keep_to))
        decoded: list[list[tuple[_Chunk, DecodedLine, float]]] = [[] for _ in crops]
        order = sorted(range(len(pieces)), key=lambda j: -pieces[j].shape[-1])  # similar lengths share a batch
        for at in range(0, len(order), cfg.line_batch):
            batch = order[at: at + cfg.line_batch]
            packed = pack_lines([pieces[j] for j in batch], height, cfg.crop_width, align=LATTICE)
            with self._autocast("read"):
                fused, fine = self._features(packed.images, rows=True)
                ids, conf, _ = self.model.read_best(fused, fine, packed.quads.to(self.device), packed.rows.to(self.device),
                                                    torch.zeros(len(batch), dtype=torch.bool, device=self.device),
                                                    *self._heads(), screen=self.screen, observe=self.step_observer)
            for j, width, line_ids, line_conf in zip(batch, packed.widths.tolist(), ids, conf, strict=True):
                px_per_step = width / max(1, len(line_ids))
                decoded[chunk_of[j].line].append((chunk_of[j], collapse(line_ids.tolist(), line_conf.float().tolist(),
                                                                        self.vocab), px_per_step))
        return [(_merge(parts, 0.2 * height), int(crop.shape[-1])) for parts, crop in zip(decoded, crops, strict=True)]

    def _heads(self) -> tuple[ReadingHead, ReadingHead | None, float]:
        """The reading head of the page, and the whole one with the share that sends steps to it."""
        if self._forced is not None:
            return self._forced, None, 0.0
        if self._narrowed is None:
            return self.head, None, self.cfg.weak_share
        return self._narrowed, self.head if self.cfg.weak_share > 0 else None, self.cfg.weak_share

    def _padded(self, quads: np.ndarray) -> np.ndarray:
        """Detected quads as they are read (``end_pad``); order and orientation use them as detected, so that
        lines padded across a narrow gutter do not join columns."""
        return lengthen(quads, self.cfg.end_pad) if self.cfg.end_pad > 0 else quads

    def _without_lone_wide(self, image: np.ndarray, det: Detected, lines: list[tuple[DecodedLine, int]]
                           ) -> list[tuple[DecodedLine, int]]:
        """Lines with a wide letter between narrow characters, on a page of narrow text, read again with
        the narrow classes only (``lone_wide``); each such letter takes what that read found over its
        steps, the rest of the line stays as read."""
        again = lone_wide_lines([line.text for line, _ in lines], self.cfg.lone_wide)
        if not again:
            return lines
        if self._narrow_head is None:
            kept = self.head.classes.tolist() if self.head.classes is not None else list(range(len(self.vocab)))
            self._narrow_head = ReadingHead.of(self.model.recognizer.head,
                                               [k for k in kept if k == 0 or not wide(self.vocab.chars[k - 1])],
                                               self.head.weight.dtype)
        self._forced = self._narrow_head
        try:
            reads = self._read(image, self._padded(det.quads[again]) / det.scale, det.vertical[again])
        finally:
            self._forced = None
        lines = list(lines)
        for i, (narrow, _) in zip(again, reads, strict=True):
            lines[i] = (without_lone_wide(lines[i][0], narrow), lines[i][1])
        return lines

    def _check_orientation(self, image: np.ndarray, det: Detected, lines: list[tuple[DecodedLine, int]]
                           ) -> list[tuple[DecodedLine, int]]:
        """Blocks whose lines read unsurely, read the other ways (``orientation_check``); where another way
        reads surer on a sample, the whole block is read that way and ``det`` takes its quads and flags."""
        lines = list(lines)
        length = np.linalg.norm(det.quads[:, 1] - det.quads[:, 0], axis=1)
        for group in direction_groups(det.quads.astype(np.float64)):
            probe = sample(length, group, self.cfg.orientation_sample)
            if mean_confidence([lines[i][0] for i in probe]) >= self.cfg.orientation_check:
                continue
            best, best_score, best_reads = None, sureness([lines[i][0] for i in probe]), []
            for way in other_ways(det.quads[probe]):
                quads, vertical = turn(det.quads[probe], det.vertical[probe], way)
                reads = self._read(image, self._padded(quads) / det.scale, vertical)
                score = sureness([line for line, _ in reads])
                if score > best_score:
                    best, best_score, best_reads = way, score, reads
            if best is None:
                continue
            for i, read in zip(probe, best_reads, strict=True):  # the sample is read that way already
                lines[i] = read
            quads, vertical = turn(det.quads[group], det.vertical[group], best)
            rest = [k for k, i in enumerate(group) if i not in set(probe.tolist())]
            if rest:
                for k, read in zip(rest, self._read(image, self._padded(quads[rest]) / det.scale, vertical[rest]),
                                   strict=True):
                    lines[group[k]] = read
            det.quads[group], det.vertical[group] = quads, vertical
        return lines

    def _cut_stacked(self, image: np.ndarray, det: Detected, lines: list[tuple[DecodedLine, int]]
                     ) -> list[tuple[DecodedLine, int]]:
        """Bands that hold rows of text set close one under another (``infer/stacked.py``), cut into their
        rows and read again, where the rows read surer than the band did (their characters' mean
        probability ``stacked_gain`` higher): the first row takes the band's place in ``det``, the
        others go at the end."""
        cuts = stacked_rows(image, det.quads / det.scale, det.vertical, self.cfg.stacked_rows)
        if not cuts:
            return lines
        quads, scores, vertical, lines = list(det.quads), list(det.scores), list(det.vertical), list(lines)
        for i, rows in sorted(cuts.items()):
            parts = rows * det.scale
            reads = self._read(image, self._padded(parts) / det.scale, np.zeros(len(parts), bool))
            conf = [c for read, _ in reads for c in read.char_conf]
            if not conf or float(np.mean(conf)) < lines[i][0].confidence + self.cfg.stacked_gain:
                continue
            quads[i], lines[i] = parts[0], reads[0]
            quads += list(parts[1:])
            lines += reads[1:]
            scores += [det.scores[i]] * (len(parts) - 1)
            vertical += [det.vertical[i]] * (len(parts) - 1)
        det.quads, det.scores, det.vertical = np.stack(quads), np.asarray(scores), np.asarray(vertical, bool)
        return lines

    def _cut_bridges(self, image: np.ndarray, det: Detected, lines: list[tuple[DecodedLine, int]]
                     ) -> list[tuple[DecodedLine, int]]:
        """Lines the detector ran across a column gutter, cut there (``infer/gutters.py``) and read again as
        two; ``det`` takes the pieces (the first in the line's place, the second at the end)."""
        reading = self._padded(det.quads)
        cuts = bridged_cuts(det.quads, reading, [line for line, _ in lines], [steps for _, steps in lines],
                            self.cfg.column_gap)
        if not cuts:
            return lines
        quads, scores, vertical, again = list(det.quads), list(det.scores), list(det.vertical), []
        for i, cut in sorted(cuts.items()):
            first, second = cut_quad(det.quads[i], reading[i], cut)
            quads[i] = first
            quads.append(second)
            scores.append(det.scores[i])
            vertical.append(det.vertical[i])
            again += [i, len(quads) - 1]
        det.quads, det.scores, det.vertical = np.stack(quads), np.asarray(scores), np.asarray(vertical, bool)
        lines = list(lines) + [lines[0]] * len(cuts)  # places for the second pieces, all read just below
        for k, read in zip(again, self._read(image, self._padded(det.quads[again]) / det.scale, det.vertical[again]),
                           strict=True):
            lines[k] = read
        return lines

    def _retry_unsure(self, image: np.ndarray, det: Detected, lines: list[tuple[DecodedLine, int]]
                      ) -> list[tuple[DecodedLine, int]]:
        """Unsure lines (``retry_below``) read again from thicker and thinner quads; the surest reading stays."""
        unsure = [i for i, (line, _) in enumerate(lines) if line.text.strip() and line.confidence < self.cfg.retry_below]
        if not unsure:
            return lines
        lines = list(lines)
        for factor in self.cfg.retry_scales:
            quads = thicken(det.quads[unsure], factor)
            for i, read in zip(unsure, self._read(image, self._padded(quads) / det.scale, det.vertical[unsure]),
                               strict=True):
                if sureness([read[0]]) > sureness([lines[i][0]]):
                    lines[i] = read
        return lines

    def _order(self, fused: torch.Tensor, det: Detected, kept: list[int]) -> tuple[list[int], list[int]]:
        """Reading order and paragraph ids of the ``kept`` lines (those read as text), as indices into
        ``det``'s lines. Lines read as nothing (specks, graphics, the noise filter's) take no part: a
        speck beside a column can join it to its neighbour and change the order of everything around."""
        if not kept:
            return [], [0] * len(det.quads)
        index = np.asarray(kept)
        quads_kept, vertical_kept = det.quads[index], det.vertical[index]
        if self.cfg.reading_order == "geometry":
            local, local_para = heuristic_order(quads_kept, vertical_kept, page_rotation(quads_kept, vertical_kept),
                                                min_col_gap=self.cfg.column_gap)
        else:
            quads = torch.from_numpy(quads_kept).float().to(self.device)
            vertical = torch.from_numpy(vertical_kept).to(self.device)
            in_view = quads - torch.tensor(det.origin, dtype=quads.dtype, device=self.device)
            frame = det.frame or (int(fused.shape[-2]) * 4, int(fused.shape[-1]) * 4)
            with self._autocast("order"):
                feats = self.model.line_features(fused, in_view, torch.zeros(len(quads), dtype=torch.long,
                                                                             device=self.device), vertical)
                succ, group = self.model.relate(feats, quads, vertical, frame)
            local, local_para = decode_order(succ.float().cpu(), group.float().cpu())
        para = [0] * len(det.quads)
        for k, i in enumerate(kept):
            para[i] = local_para[k]
        return [kept[k] for k in local], para

    def _assemble(self, lines, det: Detected, order: list[int], para: list[int], index: int, w: int, h: int,
                  source: str | None) -> Page:
        inv = 1.0 / det.scale
        padded = self._padded(det.quads)  # the quads the lines were read from: their characters' spans
        blocks: dict[int, list[Line]] = {}
        block_order: list[int] = []
        for i in order:
            decoded, steps = lines[i]
            if not decoded.text.strip():
                continue
            quad = padded[i] * inv
            line = self._line(decoded, steps, quad, bool(det.vertical[i]))
            if para[i] not in blocks:
                blocks[para[i]] = []
                block_order.append(para[i])
            blocks[para[i]].append(line)
        out = []
        for b in block_order:
            ls = blocks[b]
            pts = [p for line in ls for p in line.quad]
            box = box_of(pts)
            quad = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
            sep = self.splitter.separator("".join(line.text for line in ls))
            out.append(Block(text=sep.join(line.text for line in ls), quad=quad, box=box,
                             confidence=float(np.mean([line.confidence for line in ls])), lines=ls))
        rotation = page_rotation(det.quads, det.vertical)
        return Page(index=index, width=w, height=h, source=source, rotation=rotation, blocks=out)

    def _line(self, decoded: DecodedLine, steps: int, quad: np.ndarray, vertical: bool) -> Line:
        """The line's node with its words and characters, each placed on the part of the line's quad
        its span of steps covers. The nodes are built from values computed here, all at once
        (``model_construct``: a page holds thousands of characters, validating each was 6 % of a page)."""
        spans = np.asarray(decoded.spans, np.float64).reshape(-1, 2) / max(steps, 1)
        word_spans = self.splitter.spans(decoded.text)
        starts = np.concatenate([spans[:, 0], [spans[a, 0] for a, _ in word_spans]])
        ends = np.concatenate([spans[:, 1], [spans[b - 1, 1] for _, b in word_spans]])
        quads = _span_quads(np.asarray(quad, np.float64), starts, ends)
        boxes = np.concatenate([quads.min(1), quads.max(1)], axis=1).tolist()
        points = quads.tolist()
        chars = [Char.model_construct(text=ch, quad=[tuple(p) for p in points[k]], box=tuple(boxes[k]),
                                      confidence=float(conf))
                 for k, (ch, conf) in enumerate(zip(decoded.text, decoded.char_conf, strict=True))]
        words = []
        for k, (a, b) in enumerate(word_spans, start=len(chars)):
            cs = chars[a:b]
            words.append(Word.model_construct(text=decoded.text[a:b], quad=[tuple(p) for p in points[k]],
                                              box=tuple(boxes[k]), chars=cs,
                                              confidence=float(np.mean([c.confidence for c in cs]))))
        q = [tuple(map(float, p)) for p in quad]
        return Line(text=decoded.text, quad=_round(q), box=box_of(q), confidence=decoded.confidence, words=words,
                    vertical=vertical)


def _bilevel(image: np.ndarray, share: float = 0.995) -> bool:
    """Whether (nearly) every pixel of ``image`` (H, W, 3) is pure black or pure white (a sample of them)."""
    sample = image[::4, ::4]
    return sample.size > 0 and float(((sample == 0) | (sample == 255)).all(-1).mean()) >= share


def _span_quads(quad: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The parts (N, 4, 2) of ``quad`` between fractions ``starts`` and ``ends`` of its length, rounded to
    hundredths of a pixel."""
    p0, p1, p2, p3 = quad
    a0, a1 = starts[:, None], ends[:, None]
    top0, top1 = p0 + a0 * (p1 - p0), p0 + a1 * (p1 - p0)
    bot0, bot1 = p3 + a0 * (p2 - p3), p3 + a1 * (p2 - p3)
    return np.stack([top0, top1, bot1, bot0], axis=1).round(2)


def _median_thickness(quads: np.ndarray) -> float:
    return float(np.median(np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)))


def _middle(quads: np.ndarray, lengths: float) -> np.ndarray:
    """Each quad's middle part, at most ``lengths`` times its thickness long."""
    length = np.linalg.norm(quads[:, 1] - quads[:, 0], axis=1, keepdims=True)
    thick = np.maximum(np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1, keepdims=True), 1e-6)
    return lengthen(quads, -np.maximum(0.0, length / thick - lengths) / 2)


def lengthen(quads: np.ndarray, pad: float | np.ndarray) -> np.ndarray:
    """Quads lengthened at both ends, along their reading axis, by ``pad`` times their thickness (one
    value, or one per quad as an (N, 1) array; negative shortens)."""
    along = quads[:, 1] - quads[:, 0]
    unit = along / np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-6)
    thick = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1, keepdims=True)
    shift = (pad * thick * unit)[:, None]
    return (quads + np.array([-1.0, 1.0, 1.0, -1.0])[None, :, None] * shift).astype(quads.dtype)


def thicken(quads: np.ndarray, factor: float) -> np.ndarray:
    """Quads made ``factor`` times as thick about their centre line (their length unchanged)."""
    top, bottom = quads[:, [0, 1]], quads[:, [3, 2]]
    centre = (top + bottom) / 2
    top, bottom = centre + factor * (top - centre), centre + factor * (bottom - centre)
    return np.concatenate([top, bottom[:, ::-1]], axis=1).astype(quads.dtype)


def _is_noise(text: str, confidence: float, below: float, chars: int) -> bool:
    """A short line, read unsurely, with a mark that is neither a letter nor a digit: what a graphic reads
    as (``(令)``, ``)。``, ``IБ”``). A short line of letters alone is kept however unsure: on synthetic
    pages those were mostly true words (names in a table, a form's labels) read with the low probabilities
    of a large charset."""
    ink = "".join(text.split())
    return 0 < len(ink) <= chars and confidence < below and not ink.isalnum()


def _without_noise(lines: list[tuple[DecodedLine, int]], below: float, chars: int) -> list[tuple[DecodedLine, int]]:
    """Lines taken for graphics (:func:`_is_noise`) emptied: the page assembly leaves empty lines out."""
    return [(dataclasses.replace(line, text="", char_conf=[], spans=[])
             if _is_noise(line.text, line.confidence, below, chars) else line, steps) for line, steps in lines]


def _without_pictograms(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray,
                        lines: list[tuple[DecodedLine, int]], chars: int) -> list[tuple[DecodedLine, int]]:
    """Short lines whose ink in the page (``quads``: page pixels) is a pictogram's
    (``infer/pictograms.py``) emptied, as the noise filter's are."""
    found = set(pictograms_among(image, quads, vertical, [line.text for line, _ in lines], chars))
    return [(dataclasses.replace(line, text="", char_conf=[], spans=[]) if i in found else line, steps)
            for i, (line, steps) in enumerate(lines)]


def _without_drawn_boxes(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray,
                         lines: list[tuple[DecodedLine, int]], chars: int, paper: float
                         ) -> list[tuple[DecodedLine, int]]:
    """Rows of empty boxes emptied, and the characters read on a frame's sides taken off their line
    (``infer/boxes.py``; ``quads``: the page pixels the lines were read from; ``paper``: the page's grey)."""
    spans = [np.asarray(line.spans, np.float64).reshape(-1, 2) / max(steps, 1) for line, steps in lines]
    empty, edges = boxed(image, quads, vertical, [line.text for line, _ in lines], spans, paper, chars)
    out = list(lines)
    for i in empty:
        out[i] = (dataclasses.replace(out[i][0], text="", char_conf=[], spans=[]), out[i][1])
    for i, drop in edges.items():
        out[i] = (without_chars(out[i][0], drop), out[i][1])
    return out


def _underscores_counted(image: np.ndarray, quads: np.ndarray, vertical: np.ndarray,
                         lines: list[tuple[DecodedLine, int]], paper: float) -> list[tuple[DecodedLine, int]]:
    """Each ``_`` of a horizontal line written as many times as its stroke is characters long
    (``infer/underscores.py``; ``quads``: the page pixels the lines were read from; ``paper``: the page's
    grey)."""
    return [(counted(image, quads[i], line, steps, paper) if "_" in line.text and not vertical[i] else line, steps)
            for i, (line, steps) in enumerate(lines)]


def _one_script_per_word(lines: list[tuple[DecodedLine, int]], readable: frozenset[str] | None = None
                         ) -> list[tuple[DecodedLine, int]]:
    """Look-alike Latin/Cyrillic/Greek letters put in their word's script (never a letter outside
    ``readable``, the vocabulary's), and a word's ``Ii`` that is ``li`` (``infer/homoglyphs.py``)."""
    page = dominant_script([line.text for line, _ in lines])
    return _with_texts(lines, [small_l(harmonize(line.text, page, readable)) for line, _ in lines])


def _narrow_forms(lines: list[tuple[DecodedLine, int]]) -> list[tuple[DecodedLine, int]]:
    """Full-width punctuation in narrow lines of a narrow page in its narrow form (``infer/widths.py``)."""
    return _with_texts(lines, narrow_forms([line.text for line, _ in lines]))


def _in_capitals(lines: list[tuple[DecodedLine, int]], shaped: frozenset[str]) -> list[tuple[DecodedLine, int]]:
    """Letters of ``shaped`` read in the wrong case put in their word's (``infer/capitals.py``)."""
    return _with_texts(lines, [in_capitals(line.text, shaped) for line, _ in lines])


def _with_texts(lines: list[tuple[DecodedLine, int]], texts: list[str]) -> list[tuple[DecodedLine, int]]:
    """``lines`` with these texts, each line the same object where its text did not change."""
    return [(dataclasses.replace(line, text=text) if text != line.text else line, steps)
            for (line, steps), text in zip(lines, texts, strict=True)]


def _own_variants(lines: list[tuple[DecodedLine, int]], variants: VariantPreference) -> list[tuple[DecodedLine, int]]:
    """The page's characters in the variety of the pack that owns it (``infer/variants.py``)."""
    return _with_texts(lines, variants.rewrite([line.text for line, _ in lines]))


def _merge(parts: list[tuple[_Chunk, DecodedLine, float]], same: float = 0.0) -> DecodedLine:
    """A line read in chunks, put back together: from each chunk the characters whose centre lies in
    its own part of the line; spans in the line crop's pixels. A character that both chunks of an
    overlap read, each placing it on its own side of the boundary (centres less than ``same`` pixels
    apart), is kept once: such doubles ("关关系", "得得到", "--dev") were a fifth of the repeated
    characters of the real Chinese pages, and a real double sits a character's width apart."""
    text, confs, spans, chunk_of = [], [], [], []
    for k, (chunk, line, px) in enumerate(sorted(parts, key=lambda p: p[0].start)):
        for ch, conf, (t0, t1) in zip(line.text, line.char_conf, line.spans, strict=True):
            a, b = chunk.start + t0 * px, chunk.start + t1 * px
            if not chunk.keep_from <= (a + b) / 2 < chunk.keep_to:
                continue
            if (text and chunk_of[-1] != k and ch == text[-1] and not ch.isspace()
                    and abs((a + b) / 2 - sum(spans[-1]) / 2) < same):
                continue
            text.append(ch)
            confs.append(conf)
            spans.append((a, b))
            chunk_of.append(k)
    return DecodedLine("".join(text), float(sum(confs) / len(confs)) if confs else 1.0, confs, spans)


def _round(quad):
    return [(round(x, 2), round(y, 2)) for x, y in quad]
