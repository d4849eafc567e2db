"""``PageComposer``: language + seed → a synthetic page (RGB pixels) and its exact labels.

A page is a pure function of (language, seed, config): the layout family, its text and fonts, the
background, text colours and effects, and the degradations are all drawn from one
``numpy.random.Generator`` seeded from the page seed, and the degradations' parameters are kept in
the page's ``meta`` record so the pixels can be replayed from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polyocr.errors import PolyocrError
from polyocr.lang.registry import Languages
from polyocr.render.composite import composite, outline
from polyocr.render.geometry import transform_points
from polyocr.render.raster import rasterize_edges
from polyocr.render.packfonts import draw_shares, pack_faces
from polyocr.render.renderer import TextRenderer
from polyocr.render.warp import warp_image
from polyocr.synth.backgrounds import draw_background, sample_background
from polyocr.synth.context import LayoutContext
from polyocr.synth.degrade import Degrader
from polyocr.synth.draft import DraftBlock, PageDraft, Rule, TintBox
from polyocr.synth.labels import AnnotationBuilder, LabelledParagraph
from polyocr.synth.layouts.base import LayoutSpec
from polyocr.synth.page_config import PageConfig
from polyocr.synth.text import TextSampler

ROLES = ("text", "display", "mono", "handwriting")


@dataclass
class PageSample:
    image: np.ndarray
    """uint8 H×W×3 RGB."""
    annotation: dict
    """word/line/para boxes and relation graph (NVIDIA schema) plus a ``meta`` record."""
    text: str
    """The page's text in reading order."""
    quality: int
    """JPEG quality the page should be encoded with."""


def _translate(dx: float, dy: float) -> np.ndarray:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def _luminance(rgb) -> float:
    r, g, b = (float(c) for c in rgb)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _rule_edges(rules: list[Rule], dx: float, dy: float) -> np.ndarray:
    """Polygon edges of strokes (and of the dots of dotted leaders) for the rasterizer."""
    quads = []
    for r in rules:
        vec = np.array([r.x1 - r.x0, r.y1 - r.y0], float)
        length = float(np.hypot(*vec))
        if length == 0:
            continue
        u = vec / length
        n = np.array([-u[1], u[0]]) * r.width / 2
        start = np.array([r.x0 + dx, r.y0 + dy])
        if r.dotted:  # all dots of the row at once
            c = start + u * np.arange(0, length, max(3.0 * r.width, 3.0))[:, None]
            d = u * r.width / 2
            quads.append(np.stack([c - d - n, c + d - n, c + d + n, c - d + n], axis=1))
        else:
            end = start + vec
            quads.append(np.stack([start - n, end - n, end + n, start + n])[None])
    if not quads:
        return np.zeros((0, 4), np.float32)
    q = np.concatenate(quads).astype(np.float32)
    return np.concatenate([q, np.roll(q, -1, axis=1)], axis=2).reshape(-1, 4)


def _rasterize_within(edges: np.ndarray, width: int, height: int) -> tuple[np.ndarray, int, int] | None:
    """``rasterize_edges`` on a ``width × height`` canvas, computed only over the polygon's bounding box:
    (coverage of the box, its column, its row), or None when the polygon misses the canvas. The pixels
    are those of the whole canvas (whole-pixel shifts are exact in float32 at page sizes)."""
    pts = edges.reshape(-1, 2)
    x0, y0 = max(0, int(np.floor(pts[:, 0].min()))), max(0, int(np.floor(pts[:, 1].min())))
    x1, y1 = min(width, int(np.ceil(pts[:, 0].max()))), min(height, int(np.ceil(pts[:, 1].max())))
    if x1 <= x0 or y1 <= y0:
        return None
    shifted = edges - np.array([x0, y0, x0, y0], np.float32)
    return rasterize_edges(shifted, x1 - x0, y1 - y0), x0, y0


class PageComposer:
    """Composes pages for the installed languages.

    >>> composer = PageComposer(load_languages(), ["ja"])     # doctest: +SKIP
    >>> page = composer.compose("ja", seed=17)                # doctest: +SKIP
    >>> page.image.shape, len(page.annotation["line_bboxes"])  # doctest: +SKIP
    """

    def __init__(self, languages: Languages, codes: list[str], config: PageConfig | None = None) -> None:
        self.config = config or PageConfig()
        self.languages = languages
        self.renderer = TextRenderer()
        self.degrader = Degrader(self.config.degradations)
        specs = [spec for _, spec in languages.manager.collect("register_layouts", LayoutSpec)]
        weights = self.config.layouts or {}
        unknown = set(weights) - {s.name for s in specs}
        if unknown:
            raise PolyocrError(f"unknown layout families in config: {sorted(unknown)}; known: {sorted(s.name for s in specs)}")
        self.layouts = [(s, float(weights.get(s.name, s.weight))) for s in specs if weights.get(s.name, s.weight) > 0]
        self.contexts: dict[str, LayoutContext] = {}
        latin_code = next((c for c, p in sorted(languages.packs.items()) if "Latn" in p.spec.scripts), None)
        for code in codes:
            pack = languages.get(code)
            faces = {role: pack_faces(pack, roles=(role,)) for role in ROLES}
            fonts = {role: [f.font for f in faces[role]] for role in ROLES}
            shares = {role: draw_shares(faces[role]) for role in ROLES if faces[role]}
            if not fonts["text"]:
                raise PolyocrError(f"language {code!r} has no text fonts installed; see `polyocr lang check {code}`")
            sampler = TextSampler(pack, rare_char_p=self.config.rare_char_p)
            latin = None
            if latin_code and latin_code != code and "Latn" not in pack.spec.scripts:
                latin = TextSampler(languages.get(latin_code), rare_char_p=0.0)
            self.contexts[code] = LayoutContext(pack, sampler, fonts, latin, mix_p=self.config.mix_p,
                                               inline_p=self.config.inline_p, code_p=self.config.code_p,
                                               script_p=self.config.script_p,
                                               page_size=self.config.page_size, shares=shares)

    # --- one page ---------------------------------------------------------------------------------
    def compose(self, code: str, seed: int | np.random.SeedSequence, records: list[dict] | None = None) -> PageSample:
        """The page of ``code`` for ``seed``; ``records`` replays given degradations instead of drawing them
        (e.g. the ``meta["degradations"]`` of a stored page, edited to study one effect)."""
        rng = np.random.default_rng(seed)
        ctx = self.contexts[code]
        candidates = [(s, w) for s, w in self.layouts if s.layout.supports(ctx)]
        if not candidates:
            raise PolyocrError(f"no enabled layout family applies to {code!r} "
                               f"(enabled: {', '.join(s.name for s, _ in self.layouts)})")
        probs = np.array([w for _, w in candidates])
        spec = candidates[int(rng.choice(len(candidates), p=probs / probs.sum()))][0]
        draft = spec.layout.compose(ctx, rng)
        h, w = draft.height, draft.width
        bg_params = sample_background(rng, self.config.degradations.background, h, w)
        if draft.background == "busy":
            bg_params = {**bg_params, "kind": "busy"}
        page = draw_background(bg_params, h, w)
        paragraphs = self._draw(page, draft, rng)
        if records is None:
            records = self.degrader.sample(rng, h, w)
        page, transform = self.degrader.apply(page, records)
        height, width = page.shape[:2]
        builder = AnnotationBuilder(ctx.spec, width, height)
        builder.extend([LabelledParagraph(para.lines, transform @ para.transform) for para in paragraphs])
        quality = next((int(r["params"]["quality"]) for r in records if r["name"] == "jpeg"), 95)
        annotation = builder.annotation()
        annotation["meta"] = {"language": code, "layout": spec.name, "background": bg_params,
                              "degradations": records, "size": [height, width]}
        return PageSample(page, annotation, builder.page_text(), quality)

    # --- drawing ----------------------------------------------------------------------------------
    def _draw(self, page: np.ndarray, draft: PageDraft, rng: np.random.Generator) -> list[LabelledParagraph]:
        for block in draft.blocks:
            for tint in block.tints:
                self._tint(page, tint, block.transform)
        out: list[LabelledParagraph] = []
        plain = [b for b in draft.blocks if b.transform is None and b.effect is None]
        groups: dict[tuple, list[DraftBlock]] = {}
        for block in plain:
            groups.setdefault((block.color, block.opacity), []).append(block)
        drawn: dict[int, list] = {}
        for (color, opacity), blocks in groups.items():  # blocks of one colour share one mask
            drawn.update(self._draw_blocks(page, blocks, rng, None))
        for block in draft.blocks:
            if block.transform is not None or block.effect is not None:
                drawn.update(self._draw_blocks(page, [block], rng, block.transform))
        for block in draft.blocks:  # labels in reading order
            for para, lines in zip(block.paragraphs, drawn.get(id(block), []), strict=False):
                if lines:
                    t = block.transform if block.transform is not None else np.eye(3)
                    out.append(LabelledParagraph(lines, t))
        return out

    def _draw_blocks(self, page: np.ndarray, blocks: list[DraftBlock], rng: np.random.Generator,
                     transform: np.ndarray | None) -> dict[int, list]:
        h, w = page.shape[:2]
        offset = np.zeros(2)
        if transform is None:
            mask = np.zeros((h, w), np.uint8)
        else:  # draw in the block's own frame, then move the pixels (and, later, the labels)
            pts = np.array([[dl.x, dl.y] for b in blocks for p in b.paragraphs for dl in p.lines])
            pad = max(dl.glyphs.style.size for b in blocks for p in b.paragraphs for dl in p.lines) * 2 + 16
            lo = pts.min(0) - pad
            hi = pts.max(0) + np.array([max(dl.glyphs.length for b in blocks for p in b.paragraphs for dl in p.lines), 0]) + pad
            offset = -lo
            mask = np.zeros((int(hi[1] - lo[1]) + 1, int(hi[0] - lo[0]) + 1), np.uint8)
        placements, owners = [], []
        for b in blocks:
            for pi, p in enumerate(b.paragraphs):
                for dl in p.lines:
                    placements.append((dl.glyphs, dl.x + offset[0], dl.y + offset[1]))
                    owners.append((id(b), pi))
        lines = self.renderer.draw(mask, placements)
        rules = [r for b in blocks for r in b.rules]
        edges = _rule_edges(rules, offset[0], offset[1])
        if edges.size:
            drawn = _rasterize_within(edges, mask.shape[1], mask.shape[0])
            if drawn is not None:
                strokes, rx, ry = drawn
                under = mask[ry: ry + strokes.shape[0], rx: rx + strokes.shape[1]]
                np.maximum(under, strokes, out=under)
        # only the region the block covers is warped and blended (a scene word is small; its page is not)
        pts = [line.quad for line in lines] + ([edges.reshape(-1, 2)] if edges.size else [])
        ext = np.concatenate(pts) if pts else np.zeros((1, 2))
        pad = 4 + max((dl.glyphs.style.size for b in blocks for p in b.paragraphs for dl in p.lines), default=0) * 0.25
        if transform is not None:
            move = transform @ _translate(-offset[0], -offset[1])
            corners = transform_points(move, np.array([[ext[:, 0].min() - pad, ext[:, 1].min() - pad],
                                                       [ext[:, 0].max() + pad, ext[:, 1].min() - pad],
                                                       [ext[:, 0].max() + pad, ext[:, 1].max() + pad],
                                                       [ext[:, 0].min() - pad, ext[:, 1].max() + pad]]))
            x0, y0 = max(0, int(corners[:, 0].min())), max(0, int(corners[:, 1].min()))
            x1, y1 = min(w, int(np.ceil(corners[:, 0].max()))), min(h, int(np.ceil(corners[:, 1].max())))
            if x1 <= x0 or y1 <= y0:
                x0, y0, x1, y1 = 0, 0, 1, 1
            region = warp_image(mask, _translate(-x0, -y0) @ move, (y1 - y0, x1 - x0), border=0)
            if region.ndim == 3:
                region = region[:, :, 0]
            for line in lines:  # back to the block frame (labels apply the block transform later)
                line.quad = line.quad - offset
                line.char_boxes = line.char_boxes - np.array([offset[0], offset[1], offset[0], offset[1]])
        else:
            x0, y0 = max(0, int(ext[:, 0].min() - pad)), max(0, int(ext[:, 1].min() - pad))
            x1, y1 = min(w, int(np.ceil(ext[:, 0].max() + pad))), min(h, int(np.ceil(ext[:, 1].max() + pad)))
            if x1 <= x0 or y1 <= y0:
                x0, y0, x1, y1 = 0, 0, 1, 1
            region = mask[y0:y1, x0:x1]
        color = self._contrasting(page[y0:y1, x0:x1], blocks[0].color, region)
        opacity = blocks[0].opacity
        if rng.random() < self.config.faded_p:
            opacity *= float(rng.uniform(0.55, 0.9))
        effect = blocks[0].effect
        size = blocks[0].paragraphs[0].lines[0].glyphs.style.size if blocks[0].paragraphs and blocks[0].paragraphs[0].lines else 12.0
        if effect == "outline":
            ring = (outline(region.astype(np.float32) / 255.0, max(1, int(size / 14))) * 255).astype(np.uint8)
            composite(page, ring, x0, y0, tuple(255 - c for c in color), 1.0)
        elif effect == "shadow":
            d = max(1, int(size / 16))
            shadow = np.zeros_like(region)
            shadow[d:, d:] = region[:-d, :-d]
            composite(page, shadow, x0, y0, (0, 0, 0), 0.5)
        composite(page, np.ascontiguousarray(region), x0, y0, color, opacity)
        result: dict[int, list] = {}
        for (bid, pi), line in zip(owners, lines, strict=True):
            paras = result.setdefault(bid, [])
            while len(paras) <= pi:
                paras.append([])
            paras[pi].append(line)
        return result

    @staticmethod
    def _contrasting(page: np.ndarray, color, mask: np.ndarray) -> tuple[int, int, int]:
        """Keep the layout's colour unless it would vanish into the background under the text."""
        ys, xs = np.nonzero(mask[::4, ::4])
        if ys.size == 0:
            return tuple(color)
        under = page[ys * 4, xs * 4].mean(axis=0)
        if abs(_luminance(color) - _luminance(under)) >= 90:
            return tuple(color)
        return (15, 15, 15) if _luminance(under) > 128 else (245, 245, 245)

    def _tint(self, page: np.ndarray, tint: TintBox, transform: np.ndarray | None) -> None:
        quad = np.array([[tint.x0, tint.y0], [tint.x1, tint.y0], [tint.x1, tint.y1], [tint.x0, tint.y1]], float)
        if transform is not None:
            quad = transform_points(transform, quad)
        q = quad.astype(np.float32)
        drawn = _rasterize_within(np.concatenate([q, np.roll(q, -1, axis=0)], axis=1), page.shape[1], page.shape[0])
        if drawn is not None:
            mask, x, y = drawn
            composite(page, mask, x, y, tint.color, 1.0)
