"""Mechanical checks of :mod:`arabic_extremism_clf.authored_negatives`.

These tests check the shape of the authored training negatives (categories, lengths,
duplicates, script), not their content or any model's behaviour on them. The table file
(``data/authored_negatives.tsv``) is checked as a whole: one test collects every problem
of every line and lists them, instead of one test case per line.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter

import pytest

from arabic_extremism_clf import authored_negatives
from arabic_extremism_clf.authored_negatives import CATEGORIES, POSTS, AuthoredPost
from arabic_extremism_clf.tables import read_table, table_problems

MIN_WORDS, MAX_WORDS = 6, 45
MIN_PER_CATEGORY = 25
#: Share of the letters of a post that must be Arabic.
MIN_ARABIC_LETTER_SHARE = 0.8
#: Posts per category in the shipped file: update it with the file, so that a line lost
#: in an edit or a merge is noticed.
COUNTS = {
    "counter_mockery": 36, "counter_refutation": 36, "news": 41, "analysis": 29,
    "history_caliphate": 38, "history_resistance": 28, "fiqh_jihad": 33, "quran_lesson": 31,
    "sermon": 29, "shaheed_condolence": 31, "security_condolence": 31, "victims": 31,
    "greeting": 31, "prayer": 29,
}  # fmt: skip

_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def _is_arabic(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _ARABIC_RANGES)


def _normalise(text: str) -> str:
    """Text compared for duplicates: NFKC, no tashkeel or tatweel, single spaces."""
    text = _TASHKEEL.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def _line_problems(text: str) -> list[str]:
    """What is wrong with the text of one post (an empty list: nothing)."""
    problems = []
    n_words = len(text.split())
    if not MIN_WORDS <= n_words <= MAX_WORDS:
        problems.append(f"{n_words} words, expected {MIN_WORDS} to {MAX_WORDS}")
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(_is_arabic(ch) for ch in letters)
    if not letters or arabic / len(letters) < MIN_ARABIC_LETTER_SHARE:
        problems.append(f"{arabic} of {len(letters)} letters Arabic")
    return problems


def test_table_file_is_valid() -> None:
    """Every line of the shipped file: format, category, length, script, duplicates."""
    problems = [str(p) for p in table_problems(authored_negatives._TABLE)]
    if not problems:
        name = authored_negatives._TABLE.name
        first_line: dict[str, int] = {}
        for line, row in enumerate(read_table(authored_negatives._TABLE), start=2):
            where = f"{name}, line {line}"
            problems.extend(f"{where}: {p}" for p in _line_problems(row["text"]))
            key = _normalise(row["text"])
            if key in first_line:
                problems.append(f"{where}: same text as line {first_line[key]} once normalised")
            first_line.setdefault(key, line)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_counts_per_category() -> None:
    counts = Counter(p.category for p in POSTS)
    thin = {c: counts[c] for c in CATEGORIES if counts[c] < MIN_PER_CATEGORY}
    assert not thin, f"categories with fewer than {MIN_PER_CATEGORY} posts: {thin}"
    assert dict(counts) == COUNTS


def test_posts_are_frozen_authored_posts_in_category_order() -> None:
    assert POSTS and isinstance(POSTS, tuple)
    assert all(isinstance(p, AuthoredPost) for p in POSTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        POSTS[0].text = "x"  # type: ignore[misc]
    order = list(CATEGORIES)
    positions = [order.index(p.category) for p in POSTS]
    assert positions == sorted(positions)


def test_categories_are_described_and_are_the_allowed_values() -> None:
    assert all(isinstance(k, str) and k and isinstance(v, str) and v for k, v in CATEGORIES.items())
    assert set(authored_negatives._TABLE.allowed["category"]) == set(CATEGORIES)
