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

from .sampling import STRATEGIES, ReviewPick, select_for_review
from .thresholds import MIN_POSITIVES, ThresholdEstimate, pr_table, threshold_for_target
from .user_rows import DEFAULT_USER_WEIGHT, AdaptedTrainingSet, adapted_training_set, read_user_rows, train_adapted

__all__ = [
    "DEFAULT_USER_WEIGHT",
    "AdaptedTrainingSet",
    "adapted_training_set",
    "read_user_rows",
    "train_adapted",
    "STRATEGIES",
    "ReviewPick",
    "select_for_review",
    "MIN_POSITIVES",
    "ThresholdEstimate",
    "pr_table",
    "threshold_for_target",
]
