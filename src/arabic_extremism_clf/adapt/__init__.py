"""Adapting the default model to a platform with few labels.

Three steps, one module each:

* :mod:`~arabic_extremism_clf.adapt.user_rows`: train the default recipe plus a user's
  reviewed posts (:func:`train_adapted`), a user row overriding a recipe row with the
  same normalized text;
* :mod:`~arabic_extremism_clf.adapt.sampling`: choose the posts worth a reviewer's time
  (:func:`select_for_review`): uncertain around the threshold, and diverse;
* :mod:`~arabic_extremism_clf.adapt.thresholds`: the threshold that meets a target
  precision or recall on the user's labelled posts, with a bootstrap interval
  (:func:`threshold_for_target`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from .sampling import STRATEGIES, ReviewPick, select_for_review
    from .thresholds import (
        MIN_POSITIVES,
        ThresholdEstimate,
        pr_table,
        threshold_for_target,
    )
    from .user_rows import (
        DEFAULT_USER_WEIGHT,
        AdaptedTrainingSet,
        adapted_training_set,
        read_user_rows,
        train_adapted,
    )

#: Public names imported on first use (training imports scikit-learn, and ``aeclf
#: sample``'s parser needs only STRATEGIES), and the module that defines each.
_LAZY = {
    "STRATEGIES": "sampling",
    "ReviewPick": "sampling",
    "select_for_review": "sampling",
    "MIN_POSITIVES": "thresholds",
    "ThresholdEstimate": "thresholds",
    "pr_table": "thresholds",
    "threshold_for_target": "thresholds",
    "DEFAULT_USER_WEIGHT": "user_rows",
    "AdaptedTrainingSet": "user_rows",
    "adapted_training_set": "user_rows",
    "read_user_rows": "user_rows",
    "train_adapted": "user_rows",
}

__all__ = [
    "DEFAULT_USER_WEIGHT",
    "MIN_POSITIVES",
    "STRATEGIES",
    "AdaptedTrainingSet",
    "ReviewPick",
    "ThresholdEstimate",
    "adapted_training_set",
    "pr_table",
    "read_user_rows",
    "select_for_review",
    "threshold_for_target",
    "train_adapted",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
