"""``polyocr lang new CODE``: write a new language pack that installs and registers itself.

The generated pack is complete in structure: a pyproject with the entry point, a module with the
``LanguageSpec`` and an empty font list, an empty charset and text manifest. ``polyocr lang check``
tells the contributor what is still to fill in (docs/contributor-guide.md walks through it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from polyocr.errors import PolyocrError
from polyocr.lang.spec import LanguageSpec

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "polyocr language pack: {name} ({code})"
requires-python = ">=3.11"
dependencies = ["polyocr>=0.1"]

[project.entry-points.polyocr]
{code} = "{module}:pack"

[tool.setuptools.packages.find]
include = ["{module}*"]

[tool.setuptools.package-data]
"*" = ["*.txt", "*.json", "*.xz", "*.gz", "*.md", "*.tsv"]
"""

MODULE = '''\
"""{name} for polyocr. Everything here is what is *different* about {name}; the core does the rest."""

from __future__ import annotations

from pathlib import Path

from polyocr.lang import LanguageSpec, LineBreaking, system_fonts
from polyocr.lang.pack import StandardPack

SPEC = LanguageSpec(
    code={code!r},
    name={name!r},
    native_name={native_name!r},
    bcp47={bcp47!r},
    locale={locale!r},
    scripts={scripts!r},
    directions=("ltr",),
    word_separator={separator!r},
    word_unit={word_unit!r},
    line_breaking=LineBreaking(no_line_start=",.;:!?)]}}", no_line_end="([{{"),
)

# Fonts that draw the language: fontconfig family names (see `fc-list : family`), with the licence and
# the Debian package that installs them. At least three families; e.g.
#   *system_fonts("fonts-dejavu-core", "Bitstream-Vera", "DejaVu Sans", "DejaVu Serif"),
FONTS = [
]

pack = StandardPack(spec=SPEC, data=Path(__file__).parent / "data", fonts=FONTS)
'''

README = """\
# {dist}

The {name} language pack for polyocr. To finish it (docs/contributor-guide.md has the details):

1. `{module}/data/charset.txt`: every character the model must read, once each, in a stable order.
2. `{module}/__init__.py`: add at least three font families to `FONTS`.
3. `{module}/data/text/`: real, human-written text, one sample per line (`.txt`, `.gz` or `.xz`),
   listed in `sources.json` with its provenance and licence.
4. `pip install -e .` then `polyocr lang check {code}` until it reports no errors.
"""


@dataclass(frozen=True)
class ScaffoldOptions:
    code: str
    name: str
    native_name: str | None = None
    scripts: tuple[str, ...] = ("Latn",)
    locale: str | None = None
    bcp47: str | None = None
    unspaced: bool = False


def scaffold_pack(root: Path, options: ScaffoldOptions) -> Path:
    """Create ``root/<code>`` as an installable pack; refuse to overwrite an existing folder."""
    code = options.code
    spec = LanguageSpec(  # validate the options exactly as the finished pack will be validated
        code=code,
        name=options.name,
        native_name=options.native_name or options.name,
        bcp47=options.bcp47 or code.replace("_", "-"),
        locale=options.locale or code.split("_")[0],
        scripts=options.scripts,
        directions=("ltr",),
        word_separator="" if options.unspaced else " ",
        word_unit="character" if options.unspaced else "separated",
    )
    target = root / code
    if target.exists():
        raise PolyocrError(f"{target} already exists; choose another folder with --dir or remove it")
    module = f"polyocr_lang_{code}"
    dist = spec.package
    fields = {
        "code": code,
        "name": spec.name,
        "native_name": spec.native_name,
        "bcp47": spec.bcp47,
        "locale": spec.locale,
        "scripts": spec.scripts,
        "separator": spec.word_separator,
        "word_unit": spec.word_unit,
        "module": module,
        "dist": dist,
    }
    data = target / module / "data"
    (data / "text").mkdir(parents=True)
    (target / "pyproject.toml").write_text(PYPROJECT.format(**fields), encoding="utf-8")
    (target / "README.md").write_text(README.format(**fields), encoding="utf-8")
    (target / module / "__init__.py").write_text(MODULE.format(**fields), encoding="utf-8")
    (data / "charset.txt").write_text("", encoding="utf-8")
    manifest = {"language": code, "built_by": "by hand", "sources": []}
    (data / "text" / "sources.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def valid_code(code: str) -> bool:
    return re.fullmatch(r"[a-z]{2,3}(_[a-z0-9]{2,8})*", code) is not None
