"""Mechanical checks of :mod:`arabic_extremism_clf.authored_negatives`.

These tests check the shape of the authored training negatives (categories, lengths,
duplicates, script), not their content or any model's behaviour on them.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter

import pytest

from arabic_extremism_clf.authored_negatives import CATEGORIES, POSTS, AuthoredPost

MIN_WORDS, MAX_WORDS = 6, 45
MIN_PER_CATEGORY = 25
#: Share of the letters of a post that must be Arabic.
MIN_ARABIC_LETTER_SHARE = 0.8

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def _is_arabic(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _ARABIC_RANGES)


def _normalise(text: str) -> str:
    """Text compared for duplicates: NFKC, no tashkeel or tatweel, single spaces."""
    text = _TASHKEEL.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def test_posts_are_frozen_authored_posts() -> None:
    assert POSTS and isinstance(POSTS, tuple)
    assert all(isinstance(p, AuthoredPost) for p in POSTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        POSTS[0].text = "x"  # type: ignore[misc]


def test_categories_are_described() -> None:
    assert all(isinstance(k, str) and k and isinstance(v, str) and v for k, v in CATEGORIES.items())


def test_every_post_has_a_known_category() -> None:
    unknown = {p.category for p in POSTS} - set(CATEGORIES)
    assert not unknown


def test_every_category_has_enough_posts() -> None:
    counts = Counter(p.category for p in POSTS)
    thin = {c: counts[c] for c in CATEGORIES if counts[c] < MIN_PER_CATEGORY}
    assert not thin, f"categories with fewer than {MIN_PER_CATEGORY} posts: {thin}"


def test_no_duplicate_texts() -> None:
    counts = Counter(_normalise(p.text) for p in POSTS)
    dups = [t for t, n in counts.items() if n > 1]
    assert not dups, dups


def test_texts_are_clean_strings() -> None:
    for p in POSTS:
        assert p.text == p.text.strip(), p.text
        assert "\n" not in p.text and "\t" not in p.text, p.text


@pytest.mark.parametrize("post", POSTS, ids=lambda p: f"{p.category}:{p.text[:20]}")
def test_post_length_in_words(post: AuthoredPost) -> None:
    n = len(post.text.split())
    assert MIN_WORDS <= n <= MAX_WORDS, (n, post.text)


@pytest.mark.parametrize("post", POSTS, ids=lambda p: f"{p.category}:{p.text[:20]}")
def test_post_is_mostly_arabic_letters(post: AuthoredPost) -> None:
    letters = [ch for ch in post.text if ch.isalpha()]
    arabic = sum(_is_arabic(ch) for ch in letters)
    assert letters and arabic / len(letters) >= MIN_ARABIC_LETTER_SHARE, post.text
