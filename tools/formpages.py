"""Assemble a small held-out set of form pages: data/formpages/ (three English forms, a spot check).

Why: the other page sets are running text (manuals, tutorials). Forms draw what text pages do not: empty
frames for fields, check boxes, radio buttons, buttons with framed labels, choices set close one under
another. These three are the PDF forms among pypdf's test resources (its source distribution on PyPI,
BSD-3-Clause; none of their text is in the packs' sources): the US federal form SF-424's second page, a
form made in LibreOffice Writer and one made in OpenOffice, rendered at 150 DPI by pdftoppm.

Their text layers do not give the ground truth: they hold field values the page does not show (hidden
fields, ``MBL-SF424FAMILY-ALLFORMS``) and lack what appearance streams draw. The truth is the page's
visible text transcribed here by hand, line by line in reading order (each form's labels, the values
its fields show, its buttons' labels); drawings (boxes, circles, a seal's ring of text) are not text,
and a label half hidden behind a widget (``RdoGrp1``) or cut by its field (``Bob``) is left out.

    .venv/bin/python tools/formpages.py                 # -> data/formpages (pypdf's sdist cached there)
    .venv/bin/python tools/bench_ocr.py --pages data/formpages --langs en

Needs pip (PyPI) and poppler-utils.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realpages  # noqa: E402  (tools/ is not a package)
from realpages import MANIFEST_FORMAT, RealPagesError, run, sha256  # noqa: E402

PYPDF = "7.1.1"
DPI = 150

FORMS = {
    "SF424_page2": """OMB Number: 4040-0004
Application for Federal Assistance SF-424
9. Type of Applicant 1: Select Applicant Type:
Type of Applicant 2: Select Applicant Type:
Type of Applicant 3: Select Applicant Type:
* Other (specify):
* 10. Name of Federal Agency:
U.S. Department of Interior, Fish and Wildlife Service
11. Catalog of Federal Domestic Assistance Number:
CFDA Title:
* 12. Funding Opportunity Number:
* Title:
13. Competition Identification Number:
Title:
14. Areas Affected by Project (Cities, Counties, States, etc.):
* 15. Descriptive Title of Applicant's Project:
Attach supporting documents as specified in agency instructions.
Add Attachments Delete Attachments View Attachments""",
    "libreoffice-form": """Example for a Form
First Name Alice Last Name
Birthday
Gender:
Female Male
Nationality:
Agree to privacy policy
Other""",
    "FormTestFromOo": """this is CheckBox 1
Text1 (single line)
Text2 (multiline
Radio
Rdo1
Rdo2
Rdo3
Radio sng ?
Radio single 1 Radio single 2
Combo
DropList
Liste1
Liste1
Liste2
Liste3
Liste2 (Multi)
Lst1
Lst2
Lst3
Lst4""",
}
"""Each form's visible text, as transcribed (see the module's docstring)."""


def fetch(cache: Path) -> Path:
    """pypdf's source distribution, downloaded once into ``cache``, unpacked: its resources folder."""
    cache.mkdir(parents=True, exist_ok=True)
    sdist = cache / f"pypdf-{PYPDF}.tar.gz"
    if not sdist.exists():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--dest", str(cache),
               f"pypdf=={PYPDF}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not sdist.exists():
            last = [ln for ln in proc.stderr.splitlines() if ln.strip()]
            raise RealPagesError(f"cannot download pypdf {PYPDF} from PyPI ({last[-1] if last else 'no file'})")
    resources = cache / f"pypdf-{PYPDF}" / "resources"
    if not all((resources / f"{name}.pdf").exists() for name in FORMS):
        try:
            with tarfile.open(sdist) as tar:
                members = [m for m in tar.getmembers()
                           if m.name in {f"pypdf-{PYPDF}/resources/{name}.pdf" for name in FORMS}]
                tar.extractall(cache, members=members, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise RealPagesError(f"cannot unpack {sdist} ({exc}); delete it and run again") from None
    missing = [name for name in FORMS if not (resources / f"{name}.pdf").exists()]
    if missing:
        raise RealPagesError(f"pypdf {PYPDF}'s sdist lacks {', '.join(missing)}")
    return resources


def build(out: Path) -> dict:
    """Render the forms and write their truths and the manifest (realpages' format) under ``out``."""
    resources = fetch(out / ".cache")
    (out / "en").mkdir(parents=True, exist_ok=True)
    pages = []
    for name, truth in FORMS.items():
        png, txt = out / "en" / f"{name}.png", out / "en" / f"{name}.txt"
        stem = png.with_name(png.stem + ".tmp")
        run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", "1", "-l", "1", str(resources / f"{name}.pdf"),
             str(stem)], f"render {name}.pdf")
        Path(f"{stem}.png").replace(png)
        txt.write_text(truth + "\n", encoding="utf-8")
        pages.append({"lang": "en", "name": name, "image": f"en/{png.name}", "text": f"en/{txt.name}", "page": 1,
                      "document": f"{name}.pdf", "package": f"pypdf {PYPDF} (sdist, resources/)",
                      "licence": "BSD-3-Clause", "file": f"resources/{name}.pdf",
                      "rendered_by": f"pdftoppm -r {DPI} -png", "ground_truth": "visible text transcribed by hand",
                      "sha256": {"image": sha256(png), "text": sha256(txt)}})
    manifest = {"format": MANIFEST_FORMAT, "version": 1, "built_by": "tools/formpages.py", "split": "forms",
                "dpi": DPI, "ground_truth": "the page's visible text transcribed by hand (tools/formpages.py)",
                "unspaced": sorted(realpages.UNSPACED), "pages": pages}
    realpages.write_manifest(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    return realpages.page_set_main("formpages", __doc__, build, argv)


if __name__ == "__main__":
    sys.exit(main())
