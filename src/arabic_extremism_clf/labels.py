"""The labelling rule: from calibrated probabilities to labels, with one threshold.

One place for the rule that every consumer shares (the model, bulk scoring, the HTTP
service, evaluation and training): a post gets the *flagged label* when that label's
probability reaches the threshold, else the most probable other label. A model without
a flagged label takes the most probable label. The threshold is checked here, once.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_threshold", "label_indices"]


def check_threshold(threshold: object, name: str = "threshold") -> float:
    """Return ``threshold`` as a float, or raise if it is not a number in [0, 1].

    Parameters
    ----------
    threshold : object
    name : str, default="threshold"
        The parameter's name, for the message.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``threshold`` is not a real number in [0, 1] (a bool is not a number here).

    Examples
    --------
    >>> check_threshold(0.25)
    0.25
    >>> check_threshold(2)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be a number in [0, 1], got 2
    """
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, numbers.Real)
        or not 0.0 <= threshold <= 1.0
    ):
        raise ValueError(f"{name} must be a number in [0, 1], got {threshold!r}")
    return float(threshold)


def label_indices(proba: np.ndarray, flagged: int | None, threshold: float) -> np.ndarray:
    """Column index of each post's label in ``proba``.

    Parameters
    ----------
    proba : ndarray of shape (n_posts, n_labels)
        Calibrated probabilities.
    flagged : int or None
        Column of the flagged label; None: the most probable label wins.
    threshold : float
        The flagged label wins when its probability is at least this (checked with
        :func:`check_threshold`).

    Returns
    -------
    ndarray of int, shape (n_posts,)

    Examples
    --------
    >>> import numpy as np
    >>> label_indices(np.array([[0.7, 0.3], [0.9, 0.1]]), flagged=1, threshold=0.25).tolist()
    [1, 0]
    >>> label_indices(np.array([[0.7, 0.3]]), flagged=None, threshold=0.25).tolist()
    [0]
    """
    threshold = check_threshold(threshold)
    proba = np.asarray(proba)
    if flagged is None:
        return np.argmax(proba, axis=1)
    others = proba.copy()
    others[:, flagged] = -1.0
    return np.where(proba[:, flagged] >= threshold, flagged, np.argmax(others, axis=1))
