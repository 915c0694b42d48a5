"""Calibration measures: expected calibration error and reliability tables.

:func:`calibration_curve_table` bins probabilities and compares each bin's mean
probability with the observed frequency; :func:`expected_calibration_error` sums the
gaps. The checks of probability and 0/1 arrays here are shared with
:mod:`~arabic_extremism_clf.evaluate`, which re-exports both functions.

Pure computation: no file is read or written and nothing is printed.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["calibration_curve_table", "expected_calibration_error"]


# -- input checks (shared with evaluate) -----------------------------------------------


def _check_probabilities(values: object, name: str, ndim: int) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != ndim:
        shape = "(n_posts,)" if ndim == 1 else "(n_posts, n_classes)"
        raise ValueError(f"{name} must have shape {shape}, got an array of shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0.0) or np.any(array > 1.0):
        raise ValueError(f"{name} must hold probabilities in [0, 1]; found values outside it")
    return array


def _check_binary(values: object, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype != bool and (
        not np.issubdtype(array.dtype, np.number) or not np.all(np.isin(array, (0, 1)))
    ):
        raise ValueError(
            f"{name} must hold booleans or 0/1, found values {np.unique(array)[:5].tolist()!r}"
        )
    return array.astype(bool)


def _check_same_length(n: int, other: int, what: str) -> None:
    if other != n:
        raise ValueError(f"got {n} labels but {other} {what}; pass one per post")


def _check_n_bins(n_bins: object) -> int:
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"n_bins must be an int >= 1, got {n_bins!r}")
    return int(n_bins)


# -- calibration ----------------------------------------------------------------------


def _bin_ids(proba: np.ndarray, n_bins: int) -> np.ndarray:
    # Bins are [i / n_bins, (i + 1) / n_bins) except the last, which includes 1. The inner
    # edges are computed as the table reports them, so a value equal to an edge opens the
    # bin above it (flooring proba * n_bins gets e.g. 0.29 * 100 wrong).
    inner_edges = np.arange(1, n_bins) / n_bins
    return np.searchsorted(inner_edges, proba, side="right")


def calibration_curve_table(
    y_true_is_label: Sequence[bool] | np.ndarray,
    proba: Sequence[float] | np.ndarray,
    n_bins: int = 10,
) -> list[dict[str, Any]]:
    """Per-bin counts, mean probability and observed frequency, for reliability plots.

    Parameters
    ----------
    y_true_is_label : array-like of bool or 0/1, shape (n_posts,)
        Whether the event the probability is about happened (e.g. "the post is
        promotional", or "the predicted label is correct").
    proba : array-like of float in [0, 1], shape (n_posts,)
        The predicted probability of that event.
    n_bins : int, default=10
        Equal-width bins over [0, 1]; each is ``[lo, hi)`` except the last, ``[lo, 1]``.

    Returns
    -------
    list of dict
        One dict per bin, empty bins included, with keys ``lo``, ``hi``, ``count``,
        ``mean_conf`` (mean of ``proba`` in the bin) and ``frac_pos`` (fraction of
        true events in the bin); the last two are None for an empty bin.

    Examples
    --------
    >>> table = calibration_curve_table([True, False, True, True], [0.9, 0.1, 0.8, 0.6], n_bins=2)
    >>> [(b["count"], round(b["mean_conf"], 3), b["frac_pos"]) for b in table]
    [(1, 0.1, 0.0), (3, 0.767, 1.0)]
    """
    n_bins = _check_n_bins(n_bins)
    truth = _check_binary(y_true_is_label, "y_true_is_label")
    proba = _check_probabilities(proba, "proba", ndim=1)
    _check_same_length(len(truth), len(proba), "probabilities")
    ids = _bin_ids(proba, n_bins)
    counts = np.bincount(ids, minlength=n_bins)
    conf_sums = np.bincount(ids, weights=proba, minlength=n_bins)
    pos_sums = np.bincount(ids, weights=truth.astype(np.float64), minlength=n_bins)
    table = []
    for i in range(n_bins):
        count = int(counts[i])
        table.append(
            {
                "lo": i / n_bins,
                "hi": (i + 1) / n_bins,
                "count": count,
                "mean_conf": float(conf_sums[i] / count) if count else None,
                "frac_pos": float(pos_sums[i] / count) if count else None,
            }
        )
    return table


def expected_calibration_error(
    y_true_is_label: Sequence[bool] | np.ndarray,
    proba: Sequence[float] | np.ndarray,
    n_bins: int = 10,
) -> float:
    """Expected calibration error: the mean gap between probability and frequency.

    The posts are put in ``n_bins`` equal-width probability bins (see
    :func:`calibration_curve_table`); the ECE is the sum over bins of
    ``count / n * |frac_pos - mean_conf|``.

    Parameters
    ----------
    y_true_is_label : array-like of bool or 0/1, shape (n_posts,)
        Whether the event happened.
    proba : array-like of float in [0, 1], shape (n_posts,)
        The predicted probability of the event.
    n_bins : int, default=10

    Returns
    -------
    float
        In [0, 1]; 0 means perfectly calibrated at the resolution of the bins.

    Examples
    --------
    Always 90% sure, right half the time:

    >>> round(expected_calibration_error([1, 0, 1, 0], [0.9, 0.9, 0.9, 0.9]), 6)
    0.4
    """
    table = calibration_curve_table(y_true_is_label, proba, n_bins)
    n = sum(b["count"] for b in table)
    return float(
        sum(b["count"] / n * abs(b["frac_pos"] - b["mean_conf"]) for b in table if b["count"])
    )
