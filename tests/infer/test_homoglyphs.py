"""Look-alike letters take their word's script; nothing else changes."""

from polyocr.infer.homoglyphs import dominant_script, harmonize, script_of


def test_lookalikes_follow_the_other_letters_of_their_word():
    # Cyrillic А, Р, е, у read inside English words; Latin a, o, p inside Russian ones
    assert harmonize("Аugust at Рurduе Universitу") == "August at Purdue University"
    assert harmonize("пaкeт и oбрaз") == "пакет и образ"
    assert all(script_of(c) == "Latin" for c in harmonize("Аugust") if c.isalpha())


def test_words_of_lookalikes_only_follow_the_line_then_the_page():
    assert harmonize("ОС Linux and TOP") == "OC Linux and TOP"  # the line is Latin
    assert harmonize("TOP ОС", fallback="Cyrillic") == "ТОР ОС"  # nothing telling in the line: the page decides
    assert harmonize("ТОР ОС") == "ТОР ОС"  # no telling letter, no fallback: left as read


def test_digits_and_other_scripts_are_left_alone_or_made_digits():
    assert harmonize("in 199З and 2О24") == "in 1993 and 2024"
    # a word of one foreign digit look-alike: a digit in a Latin line, a letter in a Cyrillic one
    assert harmonize("CHAPTER З. BASICS") == "CHAPTER 3. BASICS"
    assert harmonize("see table б of chapter З") == "see table 6 of chapter 3"
    assert harmonize("глава З и б") == "глава З и б"
    assert harmonize("日本語のテキスト 한국어") == "日本語のテキスト 한국어"
    assert harmonize("Hello, мир!") == "Hello, мир!"
    for text in ["Аugust 199З", "пaкeт", "ОС Linux"]:
        assert len(harmonize(text)) == len(text), "one character for one, so positions stay attached"


def test_dominant_script():
    assert dominant_script(["Привет, мир", "ok"]) == "Cyrillic"
    assert dominant_script(["123", "日本"]) is None


def test_near_lookalikes_change_only_on_their_words_own_evidence():
    # п, т, и read for n, m, u inside English words whose other letters are Latin
    assert harmonize("pythoп is а тodule") == "python is a module"
    assert harmonize("Linиx") == "Linux"
    # and the other way inside a Russian word
    assert harmonize("пoмoщь нужнa") == "помощь нужна"
    assert harmonize("cкaзaл") == "сказал"
    # a Latin word read right inside Russian text has no telling letter: it stays
    assert harmonize("команда run и ключ") == "команда run и ключ"
    assert harmonize("слово km") == "слово km"


def test_a_tied_word_follows_its_line():
    # "Тhе": Cyrillic Т and е read for T, e, with Latin h: one telling letter each way
    # (Г is not a look-alike, it tells Cyrillic); the English line decides
    assert harmonize("Гhе underscore symbol") == "Гhe underscore symbol"
    assert harmonize("слово Гhе здесь") == "слово Гhе здесь"


def test_a_word_begun_ii_in_small_letters_is_begun_li():
    from polyocr.infer.homoglyphs import small_l

    assert small_l("我们考虑 Iibfoo 这个库") == "我们考虑 libfoo 这个库"
    assert small_l("考虑Iibfoo7-dev 和 (Iibfoo-8.0)") == "考虑libfoo7-dev 和 (libfoo-8.0)"
    # capital I begins real words, and II or Ii alone are no small letters
    for kept in ("Information", "Icedove", "II", "Ii", "XIibfoo", "IIbfoo"):
        assert small_l(kept) == kept


def test_a_word_of_lookalikes_that_would_stay_of_two_scripts_is_made_whole():
    # Latin m, k, r (near look-alikes) with Cyrillic і, а, е, у read for Latin ones in a Russian line:
    # Cyrillic writes the word whole only by changing what was read as Latin; a quoted Latin word
    assert harmonize("смотрите іmаkе(1) и Аrmу") == "смотрите imake(1) и Army"
    # in an English line, Cyrillic п, г read for n, r in a word with nothing telling
    assert harmonize("Aпуопе сan find the list of Maг 17") == "Anyone can find the list of Mar 17"
    # a Russian word read with Latin p, o in a line of mostly Latin commands on a Russian page
    assert harmonize("debuild = dpkg-buildpackage + lintian (cбopка пpи", "Cyrillic") == \
        "debuild = dpkg-buildpackage + lintian (сборка при"
    # where the line's script writes the word whole with exact look-alikes, it still decides
    assert harmonize("слово ТОР здесь") == "слово ТОР здесь"
    assert harmonize("word ТОР here") == "word TOP here"
    # a Latin word read right inside Russian text stays as it is; without a line script nothing changes
    assert harmonize("команда run и ключ") == "команда run и ключ"
    assert harmonize("іmаkе") == "іmаkе"


# the letters the shipped packs' vocabulary reads: Cyrillic ѕ, і, ј are not among them (Russian writes none)
READABLE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                     "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def test_no_letter_the_recognizer_cannot_read_is_written():
    """A Latin word read with Cyrillic look-alikes in a Russian line was written in Cyrillic whole, with
    letters no Russian word has (``Етасѕ``, ``МІРЅ``): the word is Latin where Cyrillic cannot write it."""
    assert harmonize("Вызовите Етасs сейчас", "Cyrillic", READABLE) == "Вызовите Emacs сейчас"
    assert harmonize("архитектуры МIРS и S/390", "Cyrillic", READABLE) == "архитектуры MIPS и S/390"
    assert harmonize("нажмите <ЕSС> и Тiр", "Cyrillic", READABLE) == "нажмите <ESC> и Tip"
    for text in ("Вызовите Етасs сейчас", "архитектуры МIРS и S/390", "команда :%s/было/стало/g"):
        assert set(ch for ch in harmonize(text, "Cyrillic", READABLE) if ch.isalpha()) <= READABLE
    # one letter Cyrillic cannot write vouches for one near look-alike, not for a word of them
    assert harmonize("эту апiаратуру", "Cyrillic", READABLE) == "эту апiаратуру"


def test_the_parts_of_a_word_between_punctuation_take_their_own_scripts():
    assert harmonize("для Jаvа-приложений", "Cyrillic", READABLE) == "для Java-приложений"
    assert harmonize("в Uпiх-системах", "Cyrillic", READABLE) == "в Unix-системах"
    assert harmonize("файл большой.diff", "Cyrillic", READABLE) == "файл большой.diff"
    # a part with no telling letter of its own takes its word's script: keys in a Russian text
    assert harmonize("нажмите C-f и M-b", "Cyrillic", READABLE) == "нажмите C-f и M-b"
    # a word with no telling letter anywhere is one word: k, which Cyrillic draws only near, keeps C Latin
    assert harmonize("нажмите C-k дважды", "Cyrillic", READABLE) == "нажмите C-k дважды"
    # ... unless no one script writes it whole: two words the reading joined at a bracket
    assert harmonize("программа mаkе),по сути", "Cyrillic", READABLE) == "программа make),по сути"
