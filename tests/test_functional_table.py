"""Mechanics of the functional test table (not the behaviour of any model on it)."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter

import pytest

from arabic_extremism_clf.corpus import NOT_PROMOTIONAL, PROMOTIONAL
from arabic_extremism_clf.functional import CASES, FUNCTIONALITIES, FunctionalCase, cases

MIN_CASES_PER_FUNCTIONALITY = 12
MIN_WORDS, MAX_WORDS = 3, 60


def _key(text: str) -> str:
    """Duplicate key: NFKC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_cases_are_functional_cases() -> None:
    assert isinstance(CASES, tuple)
    assert CASES
    assert all(isinstance(case, FunctionalCase) for case in CASES)


def test_case_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CASES[0].text = "x"  # type: ignore[misc]


def test_functionalities_are_described() -> None:
    assert FUNCTIONALITIES
    for name, description in FUNCTIONALITIES.items():
        assert isinstance(name, str) and name.isidentifier()
        assert isinstance(description, str) and description.strip()


def test_every_case_has_a_known_functionality() -> None:
    unknown = {case.functionality for case in CASES} - set(FUNCTIONALITIES)
    assert not unknown


@pytest.mark.parametrize("name", list(FUNCTIONALITIES))
def test_each_functionality_has_enough_cases(name: str) -> None:
    assert len(cases(name)) >= MIN_CASES_PER_FUNCTIONALITY


def test_no_duplicate_texts() -> None:
    counts = Counter(_key(case.text) for case in CASES)
    duplicates = [text for text, n in counts.items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.functionality}")
def test_text_is_a_post_of_sensible_length(case: FunctionalCase) -> None:
    assert isinstance(case.text, str)
    assert case.text == case.text.strip()
    assert MIN_WORDS <= len(case.text.split()) <= MAX_WORDS
    # Arabic text: most letters are in the Arabic block.
    letters = [ch for ch in case.text if ch.isalpha()]
    arabic = [ch for ch in letters if "\u0600" <= ch <= "\u06ff"]
    assert len(arabic) >= 0.8 * len(letters)


def test_expected_labels_are_valid() -> None:
    assert {case.expected for case in CASES} <= {PROMOTIONAL, NOT_PROMOTIONAL}
    # The shipped table holds only lines that must not be flagged.
    assert all(case.expected == NOT_PROMOTIONAL for case in CASES)


def test_notes_are_strings() -> None:
    assert all(isinstance(case.note, str) for case in CASES)


def test_cases_filters_and_copies() -> None:
    assert cases() == list(CASES)
    assert sum(len(cases(name)) for name in FUNCTIONALITIES) == len(CASES)
    for name in FUNCTIONALITIES:
        assert all(case.functionality == name for case in cases(name))
    got = cases()
    got.clear()
    assert cases()


def test_cases_rejects_unknown_functionality() -> None:
    with pytest.raises(ValueError, match="unknown functionality"):
        cases("no_such_functionality")
