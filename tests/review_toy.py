"""A toy model and a toy queue for the tests of the review page (neutral posts only)."""

from __future__ import annotations

from pathlib import Path

from toy_corpus import COOKING, SPORT, WEATHER

#: The toy labels: sport posts play the flagged label, the rest the other one.
TOY_TEXTS = SPORT + WEATHER + COOKING
TOY_LABELS = ["promotional"] * len(SPORT) + ["not_promotional"] * (len(WEATHER) + len(COOKING))


def toy_classifier():
    """A small fitted classifier whose flagged label is ``promotional``."""
    from arabic_extremism_clf.model import ExtremismClassifier

    return ExtremismClassifier(min_df=1, calibration_cv=3).fit(TOY_TEXTS * 2, TOY_LABELS * 2)


def save_toy_model(path: Path) -> Path:
    """Save :func:`toy_classifier` to ``path`` and return it."""
    from arabic_extremism_clf.persistence import save_model

    save_model(toy_classifier(), path)
    return path
