"""Calibration: from decision values of the linear model to probabilities.

Platt scaling (sigmoid) fitted on out-of-fold decision values, for two labels; a
multinomial logistic regression on the decision values for more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

__all__ = ["fit_calibrator", "logistic_proba", "as_2d"]


def fit_calibrator(decision: np.ndarray, y_idx: np.ndarray) -> LogisticRegression:
    """Sigmoid calibration of out-of-fold decision values.

    Two labels: Platt's method with his smoothed targets, ``(n+ + 1) / (n+ + 2)`` for
    positives and ``1 / (n- + 2)`` for negatives (each row enters twice, once per
    label, weighted by its target), so that well separated training data does not give
    probabilities of exactly 0 or 1. More labels: a multinomial logistic regression on
    the decision values.
    """
    # Here, not at the top: scoring needs only logistic_proba, and scikit-learn takes
    # about 1 s to import.
    from sklearn.linear_model import LogisticRegression

    if decision.shape[1] > 1:
        return LogisticRegression(C=1.0, max_iter=1000).fit(decision, y_idx)
    positive = y_idx == 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    target = np.where(positive, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    both = np.vstack([decision, decision])
    labels = np.concatenate([np.ones(len(decision), int), np.zeros(len(decision), int)])
    weights = np.concatenate([target, 1.0 - target])
    return LogisticRegression(C=1e6, max_iter=1000).fit(both, labels, sample_weight=weights)


def as_2d(decision: np.ndarray) -> np.ndarray:
    """Decision values as a 2-D array: one column for two labels."""
    return decision.reshape(-1, 1) if decision.ndim == 1 else decision


def logistic_proba(decision: np.ndarray) -> np.ndarray:
    """Probabilities from decision values: sigmoid for one column, softmax otherwise."""
    if decision.shape[1] == 1:
        positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
        return np.column_stack([1.0 - positive, positive])
    shifted = decision - decision.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
