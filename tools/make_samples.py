"""Draw the sample-page sheets of docs/samples/: one sheet per layout family, one page per language.

    python tools/make_samples.py --out docs/samples --seed 7
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

from polyocr.errors import PolyocrError
from polyocr.lang.registry import load_languages
from polyocr.synth.composer import PageComposer
from polyocr.synth.layouts import BUILTIN_LAYOUTS
from polyocr.synth.page_config import PageConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/samples"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--width", type=int, default=300, help="width of each page on the sheet")
    args = parser.parse_args()
    languages = load_languages()
    codes = sorted(languages.packs)
    names = [cls.name for cls, _ in BUILTIN_LAYOUTS]
    args.out.mkdir(parents=True, exist_ok=True)
    for family in names:
        composer = PageComposer(languages, codes, PageConfig(layouts={n: float(n == family) for n in names}))
        tiles = []
        for code in codes:
            try:
                page = composer.compose(code, args.seed)
            except PolyocrError:
                continue  # the family does not apply to this language (vertical columns)
            image = Image.fromarray(page.image)
            tiles.append(image.resize((args.width, round(image.height * args.width / image.width)), Image.LANCZOS))
        sheet = Image.new("RGB", (args.width * len(tiles) + 8 * (len(tiles) - 1), max(t.height for t in tiles)), "white")
        for i, tile in enumerate(tiles):
            sheet.paste(tile, (i * (args.width + 8), 0))
        sheet.save(args.out / f"{family}.jpg", quality=82)
        print(f"{family}: {len(tiles)} languages -> {args.out / f'{family}.jpg'}")


if __name__ == "__main__":
    main()
