"""The Examples sections of the docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "arabic_extremism_clf.labels",
    "arabic_extremism_clf.preprocess",
    "arabic_extremism_clf.scoring.core",
    "arabic_extremism_clf.scoring.files",
    "arabic_extremism_clf.scoring.frames",
    "arabic_extremism_clf.io.readers",
    "arabic_extremism_clf.io.writers",
    "arabic_extremism_clf.cli._args",
    "arabic_extremism_clf.review.highlight",
    "arabic_extremism_clf.calibration_metrics",
    "arabic_extremism_clf.reports",
    "arabic_extremism_clf.persistence.format",
    "arabic_extremism_clf._vocabulary",
    "arabic_extremism_clf._fast_transform",
    "arabic_extremism_clf._ngrams",
    "arabic_extremism_clf._rows",
    "arabic_extremism_clf.params",
    "arabic_extremism_clf.scoring_model",
    "arabic_extremism_clf.matching.signatures",
    "arabic_extremism_clf.matching.index",
    "arabic_extremism_clf.matching.edits",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    if name.endswith("frames"):
        pytest.importorskip("pandas")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
    assert result.attempted > 0, f"{name} has no examples"
