"""The shipped slices equal what the standards define (JIS X 0208, KS X 1001, GB2312, Big5)."""

import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _slice(code: str) -> str:
    return (ROOT / "languages" / code / f"polyocr_lang_{code}" / "data" / "charset.txt").read_text().strip()


def test_shipped_slices_match_the_build_script():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_charsets.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_slice_sizes_follow_the_standards():
    hangul = [c for c in _slice("ko") if "HANGUL SYLLABLE" in unicodedata.name(c, "")]
    assert len(hangul) == 2350
    han = lambda code: [c for c in _slice(code) if unicodedata.name(c, "").startswith("CJK UNIFIED")]  # noqa: E731
    assert len(han("zh_hans")) == 6763
    assert len(han("zh_hant")) >= 5401
    assert len(han("ja")) >= 6355  # JIS X 0208 levels 1 and 2
    assert {"Ё", "ё"} <= set(_slice("ru"))
    assert set("ぁァヶ") <= set(_slice("ja"))
