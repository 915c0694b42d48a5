"""The hyperparameters of the estimator and its vectorizer: their names and their checks.

Here, not in :mod:`.model`, because loading a model for scoring only
(:func:`~arabic_extremism_clf.persistence.load_scoring_model`) checks a manifest's
parameters without importing scikit-learn, which :mod:`.model` imports.
``tests/test_scoring_model.py`` checks the names against ``get_params``.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from .labels import check_threshold

__all__ = ["ESTIMATOR_PARAMS", "VECTORIZER_PARAMS", "check_estimator_params", "check_norm_floor"]

#: The parameters of :class:`~arabic_extremism_clf.features.PostVectorizer`.
VECTORIZER_PARAMS = frozenset({
    "word_ngram_range", "char_ngram_range", "min_df", "max_word_features",
    "max_char_features", "sublinear_tf", "normalize_options", "norm_floor",
})  # fmt: skip

#: The parameters of :class:`~arabic_extremism_clf.model.ExtremismClassifier`.
ESTIMATOR_PARAMS = VECTORIZER_PARAMS | {
    "C", "loss", "class_weight", "max_iter", "calibration", "calibration_cv",
    "flagged_label", "threshold", "random_state",
}  # fmt: skip


def check_estimator_params(params: Mapping[str, object]) -> None:
    """Raise ``ValueError`` for a parameter value the estimator cannot fit or score with.

    Parameters
    ----------
    params : mapping
        The estimator's parameters; a missing one takes its default.

    Raises
    ------
    ValueError
        Naming the parameter, what it must be and what it is.

    Examples
    --------
    >>> check_estimator_params({"loss": "hinge"})
    Traceback (most recent call last):
    ...
    ValueError: loss must be 'log_loss' or 'squared_hinge', got 'hinge'
    """
    calibration = params.get("calibration", "sigmoid")
    if calibration not in ("sigmoid", None):
        raise ValueError(f"calibration must be 'sigmoid' or None, got {calibration!r}")
    check_threshold(params.get("threshold", 0.5))
    check_norm_floor(params.get("norm_floor"))
    calibration_cv = params.get("calibration_cv", 5)
    if not isinstance(calibration_cv, numbers.Integral) or calibration_cv < 2:
        raise ValueError(f"calibration_cv must be an int >= 2, got {calibration_cv!r}")
    C = params.get("C", 10.0)
    if not isinstance(C, numbers.Real) or C <= 0:
        raise ValueError(f"C must be a positive number, got {C!r}")
    loss = params.get("loss", "log_loss")
    if loss not in ("log_loss", "squared_hinge"):
        raise ValueError(f"loss must be 'log_loss' or 'squared_hinge', got {loss!r}")
    if loss == "squared_hinge" and calibration is None:
        raise ValueError(
            "loss='squared_hinge' (a linear SVM) has no probabilities of its own: "
            "use calibration='sigmoid'"
        )


def check_norm_floor(norm_floor: object) -> None:
    """Raise ``ValueError`` unless ``norm_floor`` is None or two numbers >= 0.

    Examples
    --------
    >>> check_norm_floor((8, 100))
    >>> check_norm_floor(8)
    Traceback (most recent call last):
    ...
    ValueError: norm_floor must be None or (word, char): two numbers >= 0, got 8
    """
    if norm_floor is None:
        return
    if not (
        isinstance(norm_floor, (tuple, list))
        and len(norm_floor) == 2
        and all(
            isinstance(n, numbers.Real) and not isinstance(n, bool) and 0 <= n < float("inf")
            for n in norm_floor
        )
    ):
        raise ValueError(
            f"norm_floor must be None or (word, char): two numbers >= 0, got {norm_floor!r}"
        )
