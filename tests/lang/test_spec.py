import pytest
from pydantic import ValidationError

from polyocr.lang import CharsetSlice, FontSource, LanguageSpec, TextSource, VerticalText

BASE = dict(code="eo", name="Esperanto", native_name="Esperanto", bcp47="eo", locale="eo",
            scripts=("Latn",), directions=("ltr",))


def test_minimal_spec_and_defaults():
    spec = LanguageSpec(**BASE)
    assert spec.word_separator == " " and spec.word_unit == "separated" and spec.vertical is None
    assert spec.package == "polyocr-lang-eo"


def test_lists_from_plain_data_are_accepted():
    spec = LanguageSpec.model_validate({**BASE, "scripts": ["Latn"], "directions": ["ltr"]})
    assert spec.scripts == ("Latn",)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"colour": "blue"}, "Extra inputs are not permitted"),
        ({"code": "Esperanto"}, "String should match pattern"),
        ({"scripts": ("latin",)}, "ISO 15924"),
        ({"directions": ("ltr", "ttb")}, "'ttb' is in directions exactly when vertical"),
        ({"vertical": VerticalText()}, "'ttb' is in directions exactly when vertical"),
        ({"word_separator": ""}, "needs a word_separator"),
        ({"name": 5}, "Input should be a valid string"),
        ({"directions": ("up",)}, "Input should be 'ltr', 'rtl' or 'ttb'"),
        ({"detect_line": 0.0}, "greater than 0"),
    ],
)
def test_invalid_specs_are_rejected(change, message):
    with pytest.raises(ValidationError, match=message):
        LanguageSpec(**{**BASE, **change})


def test_vertical_language_and_rtl_ready():
    spec = LanguageSpec(**{**BASE, "directions": ("rtl", "ttb"), "vertical": VerticalText(latin="upright")})
    assert spec.vertical.column_order == "rtl"


def test_specs_are_immutable():
    spec = LanguageSpec(**BASE)
    with pytest.raises(ValidationError):
        spec.code = "xx"


def test_font_source_needs_exactly_one_locator(tmp_path):
    with pytest.raises(ValidationError, match="exactly one"):
        FontSource(licence="OFL-1.1")
    with pytest.raises(ValidationError, match="exactly one"):
        FontSource(family="X", path=tmp_path, licence="OFL-1.1")


def test_charset_slice_rejects_duplicates_and_whitespace():
    with pytest.raises(ValidationError, match="listed twice"):
        CharsetSlice(name="x", chars="abca")
    with pytest.raises(ValidationError, match="whitespace, invisible"):
        CharsetSlice(name="x", chars="a b")
    assert CharsetSlice(name="x", chars="ĉĝ").chars == "ĉĝ"


def test_text_source_reads_compressed_lines(tmp_path):
    import lzma

    path = tmp_path / "t.txt.xz"
    path.write_bytes(lzma.compress("Saluton, mondo!\n\nĈu vi parolas Esperanton?\n".encode()))
    src = TextSource(name="t", path=path, provenance="written for this test", licence="CC0-1.0")
    assert src.read_lines() == ["Saluton, mondo!", "Ĉu vi parolas Esperanton?"]
