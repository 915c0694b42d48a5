"""A threshold for a target precision or recall on a user's labelled posts, with its
uncertainty.

The threshold itself follows :func:`~arabic_extremism_clf.evaluate.select_threshold`'s
rule (target precision: the lowest threshold that reaches it; target recall: the highest).
Its interval is a percentile bootstrap: the rule is re-run on ``n_boot`` resamples of the
posts (drawn with replacement, positives and negatives separately so that each resample
keeps their counts), and the interval holds the central ``confidence`` share of the
thresholds found. A resample where the target cannot be met counts as a failure; the
precision and recall at the chosen threshold get intervals the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..evaluate import ThresholdChoice, select_threshold

__all__ = [
    "MIN_NEGATIVES",
    "MIN_POSITIVES",
    "ThresholdEstimate",
    "pr_table",
    "threshold_for_target",
]

logger = logging.getLogger(__name__)

#: Fewest positives (posts of the flagged label) for a threshold worth reporting: with
#: fewer, one post moves the recall by more than 5 points.
MIN_POSITIVES = 20
#: Fewest negatives: precision needs posts that could be false positives.
MIN_NEGATIVES = 20


@dataclass(frozen=True)
class ThresholdEstimate:
    """A chosen threshold and how sure it is.

    Attributes
    ----------
    choice : ThresholdChoice
        The threshold and its precision, recall and flag count on all the posts.
    target : dict
        ``{"precision": P}`` or ``{"recall": R}``.
    interval : (float, float)
        Bootstrap interval of the threshold.
    precision_interval, recall_interval : (float, float)
        Bootstrap intervals of precision and recall at ``choice.threshold``.
    confidence : float
    n_boot : int
        Resamples drawn.
    n_failed : int
        Resamples in which no threshold met the target.
    n_positive, n_negative : int
    """

    choice: ThresholdChoice
    target: dict
    interval: tuple[float, float]
    precision_interval: tuple[float, float]
    recall_interval: tuple[float, float]
    confidence: float
    n_boot: int
    n_failed: int
    n_positive: int
    n_negative: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = asdict(self)
        out["choice"] = self.choice.to_dict()
        for key in ("interval", "precision_interval", "recall_interval"):
            out[key] = list(out[key])
        return out


def _rates(is_pos: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    flagged = scores >= threshold
    tp = int((flagged & is_pos).sum())
    precision = tp / int(flagged.sum()) if flagged.any() else 1.0
    return precision, tp / int(is_pos.sum())


def pr_table(
    labels: Sequence[Any],
    proba_flagged: Sequence[float] | np.ndarray,
    *,
    flagged_label: str,
    thresholds: Sequence[float] | None = None,
) -> list[dict]:
    """Precision, recall, flags and false-positive rate at a grid of thresholds.

    Parameters
    ----------
    labels : sequence of labels
    proba_flagged : array-like of shape (n_posts,)
    flagged_label : str
    thresholds : sequence of float or None
        Default: 0.05 to 0.95 by 0.05.

    Returns
    -------
    list of dict
        ``{"threshold", "precision", "recall", "flagged", "fpr"}`` per threshold;
        precision is None where nothing is flagged.
    """
    truth = np.asarray([str(label) for label in labels], dtype=object)
    scores = np.asarray(proba_flagged, dtype=np.float64)
    is_pos = truth == str(flagged_label)
    n_neg = int((~is_pos).sum())
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2) if thresholds is None else thresholds
    rows = []
    for t in grid:
        flagged = scores >= t
        tp = int((flagged & is_pos).sum())
        fp = int((flagged & ~is_pos).sum())
        rows.append(
            {
                "threshold": float(t),
                "precision": tp / (tp + fp) if tp + fp else None,
                "recall": tp / int(is_pos.sum()) if is_pos.any() else None,
                "flagged": tp + fp,
                "fpr": fp / n_neg if n_neg else None,
            }
        )
    return rows


def threshold_for_target(
    labels: Sequence[Any],
    proba_flagged: Sequence[float] | np.ndarray,
    *,
    flagged_label: str,
    precision: float | None = None,
    recall: float | None = None,
    n_boot: int = 1000,
    confidence: float = 0.9,
    seed: int = 0,
    min_positives: int = MIN_POSITIVES,
    min_negatives: int = MIN_NEGATIVES,
) -> ThresholdEstimate:
    """The flagged label's threshold for a target, with a bootstrap interval.

    Parameters
    ----------
    labels : sequence of labels
        True labels; posts equal to ``flagged_label`` are the positives.
    proba_flagged : array-like of float, shape (n_posts,)
        The model's probability of ``flagged_label`` for each post.
    flagged_label : str
    precision, recall : float in (0, 1] or None
        Exactly one: the target (see :func:`~arabic_extremism_clf.evaluate.select_threshold`).
    n_boot : int, default=1000
    confidence : float, default=0.9
        Coverage of the intervals.
    seed : int, default=0
    min_positives, min_negatives : int
        Fewest positives and negatives accepted.

    Returns
    -------
    ThresholdEstimate

    Raises
    ------
    ValueError
        With fewer than ``min_positives`` positives or ``min_negatives`` negatives, when
        the target cannot be met on the posts, or on a bad parameter.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = ["spam"] * 50 + ["ham"] * 50
    >>> scores = np.concatenate([rng.uniform(0.4, 1.0, 50), rng.uniform(0.0, 0.6, 50)])
    >>> est = threshold_for_target(labels, scores, flagged_label="spam", recall=0.9, n_boot=200)
    >>> est.interval[0] <= est.choice.threshold <= est.interval[1]
    True
    """
    truth = np.asarray([str(label) for label in labels], dtype=object)
    scores = np.asarray(proba_flagged, dtype=np.float64)
    is_pos = truth == str(flagged_label)
    n_pos, n_neg = int(is_pos.sum()), int((~is_pos).sum())
    if n_pos < min_positives or n_neg < min_negatives:
        raise ValueError(
            f"too few labelled posts for a reliable threshold: {n_pos} labelled "
            f"{flagged_label!r} and {n_neg} others, need at least {min_positives} and "
            f"{min_negatives}: label more posts (e.g. with aeclf sample)"
        )
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ValueError(f"n_boot must be an int >= 10, got {n_boot!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    target = {"precision": precision} if precision is not None else {"recall": recall}
    choice = select_threshold(
        truth, scores, flagged_label=str(flagged_label), precision=precision, recall=recall
    )
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(is_pos), np.flatnonzero(~is_pos)
    found, precisions, recalls = [], [], []
    for _ in range(n_boot):
        rows = np.concatenate([rng.choice(pos, n_pos), rng.choice(neg, n_neg)])
        p, r = _rates(is_pos[rows], scores[rows], choice.threshold)
        precisions.append(p)
        recalls.append(r)
        try:
            found.append(
                select_threshold(
                    truth[rows],
                    scores[rows],
                    flagged_label=str(flagged_label),
                    precision=precision,
                    recall=recall,
                ).threshold
            )
        except ValueError:  # the target cannot be met on this resample
            continue
    n_failed = n_boot - len(found)
    if n_failed:
        logger.warning("the target was not met in %d of %d bootstrap resamples", n_failed, n_boot)
    tails = [100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2]

    def interval(values: list[float]) -> tuple[float, float]:
        low, high = np.percentile(values, tails) if values else (np.nan, np.nan)
        return float(low), float(high)

    return ThresholdEstimate(
        choice=choice,
        target=target,
        interval=interval(found),
        precision_interval=interval(precisions),
        recall_interval=interval(recalls),
        confidence=float(confidence),
        n_boot=int(n_boot),
        n_failed=n_failed,
        n_positive=n_pos,
        n_negative=n_neg,
    )
