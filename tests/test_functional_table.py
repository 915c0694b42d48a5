"""Mechanics of the functional test table (not the behaviour of any model on it).

The table file (``data/functional_cases.tsv``) is checked as a whole: one test collects
every problem of every line and lists them, instead of one test case per line.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter

import pytest

from arabic_extremism_clf import functional
from arabic_extremism_clf.corpus import NOT_PROMOTIONAL
from arabic_extremism_clf.functional import CASES, FUNCTIONALITIES, LABELS, FunctionalCase, cases
from arabic_extremism_clf.tables import read_table, table_problems

MIN_CASES_PER_FUNCTIONALITY = 12
MIN_WORDS, MAX_WORDS = 3, 60
#: Share of the letters of a line that must be in the Arabic block.
MIN_ARABIC_LETTER_SHARE = 0.8
#: Lines per functionality in the shipped file: update it with the file, so that a line
#: lost in an edit or a merge is noticed.
COUNTS = dict.fromkeys(FUNCTIONALITIES, 17)


def _key(text: str) -> str:
    """Duplicate key: NFKC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _line_problems(text: str) -> list[str]:
    """What is wrong with the text of one line (an empty list: nothing)."""
    problems = []
    n_words = len(text.split())
    if not MIN_WORDS <= n_words <= MAX_WORDS:
        problems.append(f"{n_words} words, expected {MIN_WORDS} to {MAX_WORDS}")
    letters = [ch for ch in text if ch.isalpha()]
    arabic = [ch for ch in letters if "\u0600" <= ch <= "\u06ff"]
    if len(arabic) < MIN_ARABIC_LETTER_SHARE * len(letters):
        problems.append(f"{len(arabic)} of {len(letters)} letters Arabic")
    return problems


def test_table_file_is_valid() -> None:
    """Every line of the shipped file: format, labels, length, script, duplicates."""
    problems = [str(p) for p in table_problems(functional._TABLE)]
    if not problems:
        name = functional._TABLE.name
        first_line: dict[str, int] = {}
        for line, row in enumerate(read_table(functional._TABLE), start=2):
            where = f"{name}, line {line}"
            if row["expected"] != NOT_PROMOTIONAL:
                # The shipped table holds only lines that must not be flagged.
                problems.append(f"{where}: expected {row['expected']!r}, not {NOT_PROMOTIONAL!r}")
            problems.extend(f"{where}: {p}" for p in _line_problems(row["text"]))
            key = _key(row["text"])
            if key in first_line:
                problems.append(f"{where}: same text as line {first_line[key]} once normalized")
            first_line.setdefault(key, line)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_counts_per_functionality_and_label() -> None:
    counts = Counter(case.functionality for case in CASES)
    thin = {n: counts[n] for n in FUNCTIONALITIES if counts[n] < MIN_CASES_PER_FUNCTIONALITY}
    assert not thin, f"functionalities with fewer than {MIN_CASES_PER_FUNCTIONALITY} cases: {thin}"
    assert dict(counts) == COUNTS
    assert Counter(case.expected for case in CASES) == {NOT_PROMOTIONAL: sum(COUNTS.values())}


def test_cases_are_frozen_functional_cases_in_functionality_order() -> None:
    assert isinstance(CASES, tuple) and CASES
    assert all(isinstance(case, FunctionalCase) for case in CASES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        CASES[0].text = "x"  # type: ignore[misc]
    order = list(FUNCTIONALITIES)
    positions = [order.index(case.functionality) for case in CASES]
    assert positions == sorted(positions)
    assert all(isinstance(case.note, str) for case in CASES)


def test_functionalities_are_described() -> None:
    assert FUNCTIONALITIES
    for name, description in FUNCTIONALITIES.items():
        assert isinstance(name, str) and name.isidentifier()
        assert isinstance(description, str) and description.strip()


def test_the_loader_allows_the_functionalities_and_labels_only() -> None:
    assert set(functional._TABLE.allowed["functionality"]) == set(FUNCTIONALITIES)
    assert set(functional._TABLE.allowed["expected"]) == set(LABELS)


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
