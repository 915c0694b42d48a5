"""Tests of :mod:`arabic_extremism_clf.preprocess`.

All Arabic text here is neutral (greetings, weather, sport, economy, ministry news),
written for these tests; nothing is taken from the corpora.
"""

from __future__ import annotations

import csv
import importlib
import itertools
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arabic_extremism_clf import normalize, preprocess, tokenize

# The package exports the function ``preprocess``, which hides the submodule of the same
# name as a package attribute: fetch the module itself.
pp = importlib.import_module("arabic_extremism_clf.preprocess")

SWITCHES = ("unicode", "dediac", "alef", "alef_maksura", "teh_marbuta", "placeholders")

#: Bidi and zero-width control characters deleted by ``normalize``.
CONTROL_CHARS = [
    *map(chr, range(0x200B, 0x2010)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\ufeff",
]


def _form(name: str, form: str) -> str:
    """The Arabic presentation form of a letter, by its Unicode name."""
    return unicodedata.lookup(f"ARABIC {name} {form} FORM")


# --------------------------------------------------------------------------------------
# One row per rule
# --------------------------------------------------------------------------------------

NORMALIZE_CASES = [
    # HTML entities
    ("html_rlm", "&rlm;مرحبا", "مرحبا"),
    ("html_gt", "٣ &gt; ٢", "3 > 2"),
    ("html_amp", "الصحة &amp; التعليم", "الصحه & التعليم"),
    ("html_entity_to_control_deleted", "صباح&#x200F;الخير", "صباحالخير"),
    # Arabic presentation forms (NFKC)
    (
        "presentation_isolated",
        _form("LETTER BEH", "ISOLATED") + " " + _form("LETTER NOON", "ISOLATED"),
        "ب ن",
    ),
    (
        "presentation_initial_medial_final",
        _form("LETTER KAF", "INITIAL")
        + _form("LETTER TEH", "MEDIAL")
        + _form("LETTER BEH", "FINAL"),
        "كتب",
    ),
    ("presentation_teh_marbuta_final", "مدرس" + _form("LETTER TEH MARBUTA", "FINAL"), "مدرسه"),
    ("ligature_lam_alef", "\ufefb", "لا"),
    ("ligature_lam_alef_in_word", "س" + "\ufefc" + "م", "سلام"),
    ("ligature_lam_alef_hamza", "\ufef7" + "ن", "لان"),
    # tatweel
    ("tatweel", "جـــميـل", "جميل"),
    # letter stretching
    ("stretch_yeh", "جميييييل", "جميل"),
    ("stretch_final", "رائعععععع", "رائع"),
    ("stretch_alef", "سلااااام", "سلام"),
    ("stretch_three_is_stretch", "جميييل", "جميل"),
    ("stretch_lam_to_two", "اللللللله", "الله"),
    ("stretch_lam_to_one", "المسلللمين", "المسلمين"),
    ("stretch_lam_in_stem_to_one", "قللللب", "قلب"),
    ("stretch_known_after_clitic", "واللللله", "والله"),
    ("stretch_known_lillah", "لللله", "لله"),
    ("stretch_known_allahumma", "الللهمممم", "اللهم"),
    ("stretch_known_relative", "اللللذين", "اللذين"),
    ("stretch_known_relative_fem", "اللللتين", "اللتين"),
    ("stretch_known_everyday", "ممممكن", "ممكن"),
    ("stretch_two_runs", "سلاااام جمييييل", "سلام جميل"),
    ("double_meem_kept", "ممكن", "ممكن"),
    ("double_lam_kept", "الله", "الله"),
    ("double_lam_initial_kept", "للغة", "للغه"),
    ("double_dal_kept", "مدد", "مدد"),
    # URLs
    ("url_https", "شاهد https://example.com/a?b=1", "شاهد URL"),
    ("url_http_upper", "HTTP://EXAMPLE.COM/X", "URL"),
    ("url_www", "www.example.org/news", "URL"),
    ("url_mixed_case", "Www.Example.org Https://example.org", "URL URL"),
    ("url_glued_to_word", "المصدر:https://example.com", "المصدر: URL"),
    # mentions
    ("mention_latin", "@news_desk شكرا", "USER شكرا"),
    ("mention_arabic", "@نادي_الهلال مبروك", "USER مبروك"),
    # corpus placeholders
    ("corpus_at_user", "@USER @USER صباح الخير", "USER USER صباح الخير"),
    ("corpus_angle_user", "<USER> مساء الخير", "USER مساء الخير"),
    ("corpus_url", "التفاصيل URL", "التفاصيل URL"),
    ("corpus_lf", "سطر<LF>سطر", "سطر سطر"),
    ("corpus_lf_spaced", "سطر <LF> سطر", "سطر سطر"),
    # hashtags
    ("hashtag", "#كرة_القدم", "HASHTAG كره القدم"),
    ("hashtag_latin", "#WorldCup2022", "HASHTAG worldcup2022"),
    ("hashtag_with_diacritics", "#رَمَضان_كَريم", "HASHTAG رمضان كريم"),
    # digits
    ("arabic_indic_digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"),
    ("persian_digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    # Latin case; placeholders stay upper case
    ("latin_lowercased", "BBC News", "bbc news"),
    ("placeholders_stay_upper", "Link: URL via @Someone", "link: URL via USER"),
    ("fullwidth_latin", "ＢＢＣ", "bbc"),
    # retweet marker
    ("rt_mention", "RT @agency: خبر عاجل", "USER : خبر عاجل"),
    ("rt_colon", "RT: مباراة اليوم", "مباراه اليوم"),
    ("rt_not_a_prefix_of_word", "RTL مباراة", "rtl مباراه"),
    ("rt_only_leading", "خبر RT خبر", "خبر rt خبر"),
    # diacritics
    ("diacritics", "مُحَمَّدٌ", "محمد"),
    ("diacritics_superscript_alef", "هٰذا", "هذا"),
    ("diacritics_tanween", "شكرًا جزيلًا", "شكرا جزيلا"),
    # alef variants
    ("alef_variants", "أحمد إبراهيم آمال ٱلكتاب", "احمد ابراهيم امال الكتاب"),
    ("alef_decomposed_hamza", "ا\u0654مل", "امل"),
    # alef maksura, teh marbuta
    ("alef_maksura", "على مستشفى", "علي مستشفي"),
    ("teh_marbuta", "مدرسة جميلة", "مدرسه جميله"),
    # decorative maddah that NFKC cannot compose
    ("stray_maddah", "جميل\u0653", "جميل"),
    # odd input
    ("empty", "", ""),
    ("whitespace_only", " \t\n\u00a0 ", ""),
    ("whitespace_collapsed", "  صباح \t\n الخير  ", "صباح الخير"),
    ("nul_deleted", "صباح\x00الخير", "صباحالخير"),
    ("lone_surrogate", "صباح\ud800", "صباح\ufffd"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=name) for name, text, expected in NORMALIZE_CASES],
)
def test_normalize_rule(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("char", CONTROL_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_char_deleted(char: str) -> None:
    assert normalize(f"{char}صباح{char}الخير{char} {char}") == "صباحالخير"
    assert preprocess(f"مر{char}حبا {char}") == ["مرحبا"]


TOKEN_CASES = [
    ("punctuation", "السلام عليكم، كيف الحال؟", ["السلام", "عليكم", "،", "كيف", "الحال", "؟"]),
    ("hashtag", "#كرة_القدم", ["HASHTAG", "كره", "القدم"]),
    ("retweet", "RT @agency: خبر", ["USER", ":", "خبر"]),
    ("url_glued", "المصدر:https://example.com", ["المصدر", ":", "URL"]),
    ("emoji_each", "رائع😀😀", ["رائع", "😀", "😀"]),
    ("emoji_variation_selector", "❤️ شكرا", ["❤", "شكرا"]),
    ("emoji_text_selector", "❤\ufe0e", ["❤"]),
    ("emoji_skin_tone", "👍🏽👏🏻", ["👍", "👏"]),
    ("emoji_skin_tone_and_selector", "✌🏿️", ["✌"]),
    ("emoji_flag", "🇸🇦", ["🇸🇦"]),
    ("placeholders_whole", "@USER URL #خبر", ["USER", "URL", "HASHTAG", "خبر"]),
    ("digits", "النتيجة ٢-١", ["النتيجه", "2", "-", "1"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=name) for name, text, expected in TOKEN_CASES],
)
def test_tokens_rule(text: str, expected: list[str]) -> None:
    assert tokenize(normalize(text)) == expected
    assert preprocess(text) == expected


# --------------------------------------------------------------------------------------
# Each switch can be turned off
# --------------------------------------------------------------------------------------

SWITCH_CASES = [
    # switch, input, output with the switch on (default), output with it off
    ("unicode", "\ufefb", "لا", "\ufefb"),
    ("unicode", "ＢＢＣ", "bbc", "ｂｂｃ"),
    ("dediac", "مُحَمَّد", "محمد", "مُحَمَّد"),
    ("alef", "أحمد إبراهيم آمال", "احمد ابراهيم امال", "أحمد إبراهيم آمال"),
    ("alef_maksura", "على", "علي", "على"),
    ("teh_marbuta", "مدرسة", "مدرسه", "مدرسة"),
    ("placeholders", "@someone", "USER", "@someone"),
    ("placeholders", "https://Example.com", "URL", "https://example.com"),
    ("placeholders", "#كرة_القدم", "HASHTAG كره القدم", "#كره_القدم"),
    ("placeholders", "@USER", "USER", "@user"),
]


@pytest.mark.parametrize(
    ("switch", "text", "on", "off"),
    [pytest.param(*row, id=f"{row[0]}-{i}") for i, row in enumerate(SWITCH_CASES)],
)
def test_switch_off(switch: str, text: str, on: str, off: str) -> None:
    assert normalize(text) == on
    assert normalize(text, **{switch: True}) == on
    assert normalize(text, **{switch: False}) == off
    assert preprocess(text, **{switch: False}) == tokenize(off)


def test_all_switches_off_keeps_arabic_as_is() -> None:
    text = "أَعْلَنَتْ الوزارة على"
    assert normalize(text, **dict.fromkeys(SWITCHES, False)) == text


# --------------------------------------------------------------------------------------
# The CAMeL Tools functions are what run
# --------------------------------------------------------------------------------------

CAMEL_STEPS = [
    ("normalize_unicode", "unicode", "\ufefb"),
    ("dediac_ar", "dediac", "مُحَمَّد"),
    ("normalize_alef_ar", "alef", "أحمد"),
    ("normalize_alef_maksura_ar", "alef_maksura", "على"),
    ("normalize_teh_marbuta_ar", "teh_marbuta", "مدرسة"),
]


@pytest.mark.parametrize(("attr", "switch", "text"), CAMEL_STEPS, ids=[r[0] for r in CAMEL_STEPS])
def test_camel_step_is_called(
    monkeypatch: pytest.MonkeyPatch, attr: str, switch: str, text: str
) -> None:
    # The option sets (and their memos) are built on first use and hold the step
    # functions: start from an empty registry, so that the spy is picked up.
    monkeypatch.setattr(pp, "_OPTIONS", {})
    spy = mock.Mock(wraps=getattr(pp, attr))
    monkeypatch.setattr(pp, attr, spy)

    assert normalize(text) == normalize_via_camel(text)
    assert spy.call_count >= 1

    spy.reset_mock()
    normalize(text, **{switch: False})
    assert spy.call_count == 0


@pytest.mark.parametrize("func", [tokenize, preprocess], ids=["tokenize", "preprocess"])
def test_camel_tokenizer_is_called(monkeypatch: pytest.MonkeyPatch, func) -> None:
    monkeypatch.setattr(pp, "_OPTIONS", {})
    monkeypatch.setattr(pp, "_TOKENIZE_MEMO", {})
    spy = mock.Mock(wraps=pp.simple_word_tokenize)
    monkeypatch.setattr(pp, "simple_word_tokenize", spy)
    assert func("السلام عليكم، كيف الحال؟") == ["السلام", "عليكم", "،", "كيف", "الحال", "؟"]
    assert spy.call_count >= 1


def test_module_uses_the_camel_functions_themselves() -> None:
    assert pp.normalize_unicode is normalize_unicode
    assert pp.dediac_ar is dediac_ar
    assert pp.normalize_alef_ar is normalize_alef_ar
    assert pp.normalize_alef_maksura_ar is normalize_alef_maksura_ar
    assert pp.normalize_teh_marbuta_ar is normalize_teh_marbuta_ar
    assert pp.simple_word_tokenize is simple_word_tokenize


def normalize_via_camel(text: str) -> str:
    """The plain CAMeL Tools chain, for text that needs none of the added rules."""
    return normalize_teh_marbuta_ar(
        normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(text))))
    )


# --------------------------------------------------------------------------------------
# Neutral news sentences, clean and disguised
# --------------------------------------------------------------------------------------

SENTENCES = {
    "weather": "توقعت هيئة الأرصاد الجوية هطول أمطار غزيرة على المناطق الشمالية يوم الخميس، "
    "مع انخفاض درجات الحرارة إلى 12 درجة.",
    "sport": "فاز المنتخب الوطني على نظيره بهدفين مقابل هدف في المباراة الودية التي أقيمت "
    "مساء أمس.",
    "economy": "ارتفعت أسعار النفط في الأسواق العالمية بنسبة 3 بالمئة بعد إعلان بيانات المخزون.",
    "ministry": "أعلنت وزارة الصحة إطلاق حملة وطنية للتطعيم في جميع المدارس الابتدائية "
    "ابتداء من الأسبوع المقبل.",
    "culture": "افتتح معرض الكتاب الدولي أبوابه أمام الزوار بمشاركة مئات من دور النشر "
    "العربية والأجنبية.",
    "post": "#الطقس أجواء معتدلة اليوم في معظم المناطق https://example.com/weather",
}

_AR = "\u0621-\u064a"
_AR_LETTER_RE = re.compile(f"[{_AR}]")
_DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0652", "\u0651\u064e", "\u064b"]


def add_diacritics(text: str) -> str:
    """A diacritic (cycling through harakat, sukun, shadda, tanween) after every letter."""
    marks = itertools.cycle(_DIACRITICS)
    return _AR_LETTER_RE.sub(lambda m: m.group(0) + next(marks), text)


def add_tatweel(text: str) -> str:
    """Tatweel (1 to 3) between every two Arabic letters."""
    counts = itertools.cycle([1, 2, 3])
    return re.sub(f"(?<=[{_AR}])(?=[{_AR}])", lambda m: "\u0640" * next(counts), text)


def add_stretching(text: str) -> str:
    """Repeat the last letter of each word 4 times (lam too; not a doubled letter)."""

    def stretch(word: str) -> str:
        m = re.search(f"([{_AR}])(?=[^{_AR}]*$)", word)
        if m is None:
            return word
        i = m.start()
        if i > 0 and word[i - 1] == word[i]:
            return word
        return word[:i] + word[i] * 5 + word[i + 1 :]

    return " ".join(map(stretch, text.split(" ")))


def add_controls(text: str) -> str:
    """Bidi and zero-width characters between every two characters and at both ends."""
    controls = itertools.cycle(CONTROL_CHARS)
    return next(controls) + "".join(ch + next(controls) for ch in text)


def vary_hamza(text: str) -> str:
    """Word-initial alef written as another alef variant (أ إ آ ٱ, cycling)."""
    variants = itertools.cycle("أإآٱ")
    return re.sub(r"(?<!\S)[اأإآ]", lambda m: next(variants), text)


def to_presentation_forms(text: str) -> str:
    """Every Arabic letter as its contextual presentation form; lam-alef as a ligature."""
    text = text.replace("لا", "\ufefb").replace("لأ", "\ufef7").replace("لإ", "\ufef9")

    def word_forms(word: str) -> str:
        letters = [i for i, ch in enumerate(word) if _AR_LETTER_RE.match(ch)]
        out = list(word)
        for n, i in enumerate(letters):
            name = unicodedata.name(word[i]).removeprefix("ARABIC ")
            if len(letters) == 1:
                forms = ["ISOLATED"]
            elif n == 0:
                forms = ["INITIAL", "ISOLATED"]
            elif n == len(letters) - 1:
                forms = ["FINAL", "ISOLATED"]
            else:
                forms = ["MEDIAL", "FINAL", "ISOLATED"]
            for form in forms:
                try:
                    out[i] = _form(name, form)
                    break
                except KeyError:
                    continue
        return "".join(out)

    return " ".join(map(word_forms, text.split(" ")))


def to_eastern_digits(text: str) -> str:
    return text.translate({ord("0") + i: chr(0x0660 + i) for i in range(10)})


def everything(text: str) -> str:
    text = vary_hamza(text)
    text = add_stretching(text)
    text = add_diacritics(text)
    text = add_tatweel(text)
    text = to_presentation_forms(text)
    text = to_eastern_digits(text)
    return add_controls(text)


VARIANTS = [
    add_diacritics,
    add_tatweel,
    add_stretching,
    add_controls,
    vary_hamza,
    to_presentation_forms,
    to_eastern_digits,
    everything,
]


def test_variant_generators_change_the_text() -> None:
    clean = SENTENCES["ministry"]
    for variant in VARIANTS:
        if variant is not to_eastern_digits:
            assert variant(clean) != clean, variant.__name__
    forms = to_presentation_forms(clean)
    assert not _AR_LETTER_RE.search(forms)  # every letter became a presentation form


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", list(SENTENCES))
def test_disguised_sentence_gives_the_clean_tokens(name: str, variant) -> None:
    clean = SENTENCES[name]
    expected = preprocess(clean)
    disguised = variant(clean)
    assert preprocess(disguised) == expected
    assert tokenize(normalize(disguised)) == expected


@pytest.mark.parametrize("name", [n for n in SENTENCES if n != "post"])
def test_clean_sentence_matches_the_plain_camel_chain(name: str) -> None:
    text = add_diacritics(SENTENCES[name])
    assert preprocess(text) == simple_word_tokenize(normalize_via_camel(text))


def test_post_sentence_tokens() -> None:
    assert preprocess(SENTENCES["post"]) == [
        "HASHTAG",
        "الطقس",
        "اجواء",
        "معتدله",
        "اليوم",
        "في",
        "معظم",
        "المناطق",
        "URL",
    ]


# --------------------------------------------------------------------------------------
# preprocess == tokenize(normalize())
# --------------------------------------------------------------------------------------

FUSED_TABLE = [text for _, text, _ in NORMALIZE_CASES] + [t for _, t, _ in TOKEN_CASES]


@pytest.mark.parametrize("text", FUSED_TABLE)
def test_preprocess_is_tokenize_normalize(text: str) -> None:
    assert preprocess(text) == tokenize(normalize(text))
    # and again, now from the memo
    assert preprocess(text) == tokenize(normalize(text))


options = st.fixed_dictionaries({name: st.booleans() for name in SWITCHES})
any_text = st.text(st.characters(codec=None))  # everything, lone surrogates included
EMOJI = ["😀", "❤️", "👍🏽", "🇸🇦", "👨\u200d👩\u200d👧", "✌🏿️", "1️⃣", "🏳️\u200d🌈", "\U0001f9d5🏾"]
realistic = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "مرحبا",
                "الله",
                "ممكن",
                "جميييل",
                "@USER",
                "<USER>",
                "URL",
                "<LF>",
                "RT",
                "#كرة_القدم",
                "https://example.com",
                "Www.example.org",
                "Http://",
                "&amp;",
                "&rlm;",
                "أإآ",
                "ﻻ",
                "ـ",
                "٣",
                "\u064e",
                "\u0651",
                "\u0654",
                "İ",
                " ",
                "\n",
                *CONTROL_CHARS,
                *EMOJI,
            ]
        ),
        st.characters(codec=None),
    ),
    max_size=40,
).map("".join)
emoji_text = st.lists(st.sampled_from([*EMOJI, " ", "خبر", "\ufe0f"]), max_size=30).map("".join)
punctuation_only = st.text(st.characters(categories=["P", "S", "Zs"]))
some_text = st.one_of(any_text, realistic, emoji_text, punctuation_only)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(some_text, options)
def test_fuzz_preprocess_is_tokenize_normalize(text: str, opts: dict[str, bool]) -> None:
    assert preprocess(text, **opts) == tokenize(normalize(text, **opts))


def _one_by_one(options: pp._Options, chunks: list[str]) -> list[list[str]]:
    """What the fast path's chunks at once must give: CAMeL's tokenizer on each chunk
    normalized on its own."""
    return [simple_word_tokenize(options.normalize_chunk(chunk)) for chunk in chunks]


@FUZZ
@given(st.lists(some_text, max_size=8), options)
def test_fuzz_chunks_at_once_are_the_chunks_one_by_one(
    texts: list[str], opts: dict[str, bool]
) -> None:
    options_set = pp._options_from(opts)
    chunks = [chunk for text in texts for chunk in pp._prepare(text)]
    assert options_set.tokenize_chunks(chunks) == _one_by_one(options_set, chunks)


def test_chunks_at_once_fall_back_to_one_by_one_if_the_lines_do_not_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options_set = pp._options_from({})
    chunks = ["#كرة_القدم", "الفريق،", "فاز", "😀😀", "١٢٣"]
    expected = _one_by_one(options_set, chunks)
    lines = pp._Options._normalize_lines
    joined = []

    def one_line_more(self: pp._Options, text: str) -> str:
        if "\n" in text:  # the chunks at once: a line break that was not there
            joined.append(text)
            return lines(self, text).replace("فاز", "فا\nز")
        return lines(self, text)

    monkeypatch.setattr(pp._Options, "_normalize_lines", one_line_more)
    assert options_set.tokenize_chunks(chunks) == expected
    assert len(joined) == 1


def _check_output(text: str, opts: dict[str, bool]) -> None:
    out = normalize(text, **opts)
    assert isinstance(out, str)
    out.encode("utf-8")  # no lone surrogate survives
    assert out == " ".join(out.split())
    assert "\x00" not in out
    assert not set(out) & set(CONTROL_CHARS)
    tokens = preprocess(text, **opts)
    assert isinstance(tokens, list)
    assert all(isinstance(t, str) and t and t.split() == [t] for t in tokens)
    assert tokenize(out) == tokens


@FUZZ
@given(some_text, options)
def test_fuzz_never_raises(text: str, opts: dict[str, bool]) -> None:
    _check_output(text, opts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, realistic).filter(bool), st.integers(1_000, 20_000))
def test_fuzz_very_long_text(piece: str, times: int) -> None:
    _check_output(piece * times, {})


def test_very_long_post_of_words() -> None:
    text = " ".join(SENTENCES.values()) * 2_000  # about 1 MB
    tokens = preprocess(text)
    assert len(tokens) > 100_000
    assert tokens == tokenize(normalize(text))


@FUZZ
@given(some_text, options)
def test_fuzz_normalize_is_idempotent(text: str, opts: dict[str, bool]) -> None:
    once = normalize(text, **opts)
    # An output with "&" may still hold an HTML entity ("&amp;amp;" -> "&amp;"), which
    # a second pass unescapes once more: idempotence holds only without it.
    assume("&" not in once)
    assert normalize(once, **opts) == once


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("@someone #كرة_القدم https://example.com", id="placeholders_kept"),
        pytest.param("أٔمل", id="alef_and_stray_hamza"),
        pytest.param("İَ", id="dotted_I_then_fatha"),  # lower() breaks the marks' order
        pytest.param("#َخبر", id="hashtag_then_diacritic"),
        *(pytest.param(text, id=name) for name, text in SENTENCES.items()),
    ],
)
def test_normalize_is_idempotent_on_examples(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert preprocess(once) == preprocess(text)
    assert normalize(normalize(text, dediac=False), dediac=False) == normalize(text, dediac=False)


def test_double_escaped_html_is_unescaped_once_per_pass() -> None:
    # The known exception to idempotence (absent from the corpora).
    assert normalize("&amp;amp;") == "&amp;"
    assert normalize(normalize("&amp;amp;")) == "&"


# --------------------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(None, "NoneType"), (b"\xd8\xa7", "bytes"), (3, "int"), (["نص"], "list")],
)
@pytest.mark.parametrize("func", [normalize, tokenize, preprocess])
def test_non_str_raises_type_error(func, value: object, type_name: str) -> None:
    with pytest.raises(TypeError, match=rf"\b{type_name}\b"):
        func(value)


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


def test_import_does_not_load_torch_or_transformers() -> None:
    code = (
        "import sys, time\n"
        "t0 = time.perf_counter()\n"
        "import arabic_extremism_clf\n"
        "dt = time.perf_counter() - t0\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'tensorflow') if m in sys.modules)\n"
        "print(f'{dt:.3f}', ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    seconds, _, heavy = result.stdout.strip().partition(" ")
    print(f"import arabic_extremism_clf took {float(seconds):.3f} s")  # shown with -s
    assert heavy == "", f"importing the package loaded {heavy}"


# --------------------------------------------------------------------------------------
# The real corpora (read in place, never copied)
# --------------------------------------------------------------------------------------


def _real_posts(data_dir: Path) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    posts: list[str] = []
    for path, column in [
        (data_dir / "alfifi-isis-2000" / "alfifi_isis_eval_2000.csv", "text"),
        (data_dir / "asnd" / "sm_news_ar_dev.csv", "Content"),
        (data_dir / "osact2022" / "dev_data2022.csv", "Tweet"),
    ]:
        with path.open(encoding="utf-8", newline="") as f:
            posts.extend(row[column] for row in csv.DictReader(f))
    with (data_dir / "osact2020" / "OSACT2020-sharedTask-dev.txt").open(
        encoding="utf-8", newline=""
    ) as f:
        posts.extend(row[0] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    with (data_dir / "saudinewsnet" / "isis_mention_articles.jsonl").open(encoding="utf-8") as f:
        for line in itertools.islice(f, 300):
            article = json.loads(line)
            posts.append(f"{article['title']} {article['content'][:280]}")
    return posts


@pytest.mark.shared_data
def test_real_posts_fused_and_idempotent(shared_data_dir: Path) -> None:
    posts = _real_posts(shared_data_dir)
    assert len(posts) > 4_000
    not_fused = [i for i, x in enumerate(posts) if preprocess(x) != tokenize(normalize(x))]
    assert not_fused == []
    not_idempotent = []
    for i, x in enumerate(posts):
        once = normalize(x)
        if "&" not in once and normalize(once) != once:
            not_idempotent.append(i)
    assert not_idempotent == []  # row indices only: no corpus text in the report


@pytest.mark.shared_data
def test_real_chunks_at_once_are_the_chunks_one_by_one(shared_data_dir: Path) -> None:
    options_set = pp._options_from({})
    chunks = list(dict.fromkeys(c for x in _real_posts(shared_data_dir) for c in pp._prepare(x)))
    assert len(chunks) > 10_000
    at_once = options_set.tokenize_chunks(chunks)
    differ = [
        i for i, (a, b) in enumerate(zip(at_once, _one_by_one(options_set, chunks))) if a != b
    ]
    assert len(at_once) == len(chunks)
    assert differ == []  # chunk indices only: no corpus text in the report


# --------------------------------------------------------------------------------------
# The start-up cache of CAMeL Tools' character sets
# --------------------------------------------------------------------------------------

_CHARSETS_PROBE = (
    "import hashlib, json, sys\n"
    "from arabic_extremism_clf import preprocess\n"
    "assert 'camel_tools.utils.charsets' not in sys.modules, 'imported at package import'\n"
    "tokens = preprocess('مرحبا 👍🏽 بكم!! 🇸🇦 #وسم https://x.y ١٢٣ «نص» ©2024')\n"
    "import camel_tools.utils.charsets as cs\n"
    "digest = {n: hashlib.sha256(''.join(sorted(getattr(cs, n))).encode('utf-8', "
    "'surrogatepass')).hexdigest() for n in cs.__all__}\n"
    "print(json.dumps({'tokens': tokens, 'sets': digest, 'all': cs.__all__, "
    "'cached': not hasattr(cs, 'x_chr')}))\n"
)


def _charsets_run(env_extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AECLF_NO_CHARSET_CACHE"}
    env.update(env_extra)
    result = subprocess.run(
        [sys.executable, "-c", _CHARSETS_PROBE],
        capture_output=True, text=True, timeout=120, check=True, env=env,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_charset_cache_gives_camels_own_sets(tmp_path: Path) -> None:
    real = _charsets_run({"AECLF_NO_CHARSET_CACHE": "1", "AECLF_CACHE_DIR": str(tmp_path)})
    assert not real["cached"]
    assert list(tmp_path.iterdir()) == []  # turned off: nothing written

    first = _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})
    (cache,) = tmp_path.glob("camel-charsets-*.json")
    second = _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})

    assert not first["cached"] and second["cached"]
    assert first["sets"] == second["sets"] == real["sets"]
    assert first["all"] == second["all"] == real["all"]
    assert first["tokens"] == second["tokens"] == real["tokens"]
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] in cache.name


def test_a_damaged_charset_cache_is_rebuilt(tmp_path: Path) -> None:
    real = _charsets_run({"AECLF_NO_CHARSET_CACHE": "1"})
    _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})
    (cache,) = tmp_path.glob("camel-charsets-*.json")
    payload = json.loads(cache.read_text(encoding="utf-8"))
    del payload["sets"]["UNICODE_PUNCT_CHARSET"]
    cache.write_text(json.dumps(payload), encoding="utf-8")

    damaged = _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})
    again = _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})

    assert not damaged["cached"] and again["cached"]
    assert damaged["sets"] == again["sets"] == real["sets"]
    cache.write_text("not json", encoding="utf-8")
    assert _charsets_run({"AECLF_CACHE_DIR": str(tmp_path)})["sets"] == real["sets"]


def test_no_writable_cache_directory_still_tokenizes(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory", encoding="utf-8")
    real = _charsets_run({"AECLF_NO_CHARSET_CACHE": "1"})
    run = _charsets_run({"AECLF_CACHE_DIR": str(blocked / "cache")})
    assert run["tokens"] == real["tokens"] and run["sets"] == real["sets"]
