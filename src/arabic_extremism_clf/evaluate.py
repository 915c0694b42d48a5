"""Metrics for a fitted classifier: per-label scores, AUCs, calibration, per-source rates.

:func:`evaluate` scores a fitted :class:`~arabic_extremism_clf.model.ExtremismClassifier`
on labelled posts; :func:`evaluate_predictions` does the same from a probability matrix
(for example out-of-fold probabilities), so no model is needed. Both return a plain,
JSON-serializable report dict that :func:`format_report` turns into a text table.
:func:`select_threshold` picks the flagged label's threshold for a target precision or
recall, and :func:`expected_calibration_error` / :func:`calibration_curve_table` measure
how well probabilities match observed frequencies.

The calibration measures live in :mod:`~arabic_extremism_clf.calibration_metrics` and the text
rendering in :mod:`~arabic_extremism_clf.reports`; both are re-exported here.

Everything here is pure computation: no file is read or written and nothing is printed.
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
)
from sklearn.utils.validation import check_is_fitted

from .calibration_metrics import (
    _check_n_bins,
    _check_probabilities,
    _check_same_length,
    calibration_curve_table,
    expected_calibration_error,
)
from .labels import check_threshold, label_indices
from .reports import format_report

__all__ = [
    "ThresholdChoice",
    "expected_calibration_error",
    "calibration_curve_table",
    "evaluate",
    "evaluate_predictions",
    "select_threshold",
    "format_report",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThresholdChoice:
    """A threshold for the flagged label and what it achieves on the data it was chosen on.

    Attributes
    ----------
    threshold : float
        Posts whose flagged-label probability is at least this are flagged.
    precision : float
        Precision of the flagged label at ``threshold``.
    recall : float
        Recall of the flagged label at ``threshold``.
    n_flagged : int
        How many posts are flagged at ``threshold``.
    """

    threshold: float
    precision: float
    recall: float
    n_flagged: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the four fields."""
        return asdict(self)


# -- input checks ---------------------------------------------------------------------


def _check_labels(labels: object, name: str = "labels") -> np.ndarray:
    if isinstance(labels, str):
        raise TypeError(f"{name} must be a sequence of labels, got a single str: {labels!r:.60}")
    array = np.asarray([str(label) for label in labels], dtype=object)
    if array.size == 0:
        raise ValueError(f"{name} is empty: need at least one labelled post to evaluate")
    return array


def _rate(numerator: int, denominator: int) -> float | None:
    return float(numerator / denominator) if denominator else None


def _by_source(
    sources: np.ndarray, truth: np.ndarray, pred: np.ndarray, flagged_label: str | None
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for source in sorted(set(sources.tolist())):
        mask = sources == source
        n = int(mask.sum())
        entry: dict[str, Any] = {
            "n": n,
            "accuracy": float(np.mean(truth[mask] == pred[mask])),
        }
        if flagged_label is None:
            entry.update(
                positives=None, flagged=None, flag_rate=None, recall=None, false_positive_rate=None
            )
        else:
            is_pos = truth[mask] == flagged_label
            is_flagged = pred[mask] == flagged_label
            n_pos = int(is_pos.sum())
            entry.update(
                positives=n_pos,
                flagged=int(is_flagged.sum()),
                flag_rate=float(is_flagged.mean()),
                # Recall needs a flagged post in the source, FPR a non-flagged one;
                # for an all-negative source FPR equals the flag rate.
                recall=_rate(int((is_flagged & is_pos).sum()), n_pos),
                false_positive_rate=_rate(int((is_flagged & ~is_pos).sum()), n - n_pos),
            )
        out[str(source)] = entry
    return out


def evaluate_predictions(
    labels: Sequence[Any],
    proba: np.ndarray,
    classes: Sequence[Any],
    *,
    flagged_label: str | None = None,
    threshold: float = 0.5,
    sources: Sequence[str] | None = None,
    n_bins: int = 10,
) -> dict[str, Any]:
    """Evaluate a probability matrix against true labels.

    Predictions follow the rule of
    :meth:`~arabic_extremism_clf.model.ExtremismClassifier.labels_from_proba`: a post
    gets ``flagged_label`` when that column is at least ``threshold``, otherwise the most
    probable other label; with ``flagged_label=None`` the most probable label.

    Parameters
    ----------
    labels : sequence of labels, length n_posts
        True labels (converted to str); each must be one of ``classes``.
    proba : ndarray of shape (n_posts, n_classes)
        Probabilities, columns in the order of ``classes``.
    classes : sequence of labels
        The label of every column of ``proba`` (a model's ``classes_``).
    flagged_label : str or None, default=None
        The label the threshold, the AUCs, the flagged-label calibration and the
        per-source rates are about. None: argmax predictions and those fields None.
    threshold : float in [0, 1], default=0.5
    sources : sequence of str or None, default=None
        The source (corpus, platform, ...) of every post, for ``by_source``.
    n_bins : int, default=10
        Bins of the calibration tables.

    Returns
    -------
    dict
        JSON-serializable, with keys:

        - ``n``, ``labels`` (the classes), ``flagged_label``, ``threshold`` (None
          without a flagged label);
        - ``per_label``: ``{label: {precision, recall, f1, support}}``;
        - ``macro_f1`` (over the labels that occur in ``labels`` or the predictions;
          None when ``labels`` hold a single label, where it would only restate the
          flag rate), ``accuracy``;
        - ``roc_auc``, ``pr_auc`` (average precision) of the flagged label against the
          rest, and ``auc_note``: None, or why the AUCs are None;
        - ``confusion_matrix``: ``{"labels": [...], "matrix": [[...]]}``, rows true,
          columns predicted;
        - ``calibration``: ``ece`` and ``bins`` of the confidence of the predicted
          label (event: the prediction is correct), ``flagged_ece`` and
          ``flagged_bins`` of the flagged label's probability (event: the post has
          that label; None without a flagged label), ``n_bins``;
        - ``by_source`` (only if ``sources`` is given): ``{source: {n, accuracy,
          positives, flagged, flag_rate, recall, false_positive_rate}}`` where
          ``positives`` counts true flagged-label posts, ``flagged`` predicted ones,
          and ``recall`` / ``false_positive_rate`` are None when the source has no
          positive / no negative post.

    Raises
    ------
    ValueError
        On mismatched lengths or shapes, unknown labels, or a ``flagged_label`` that
        is not among ``classes``.

    Examples
    --------
    >>> proba = np.array([[0.2, 0.8], [0.7, 0.3], [0.4, 0.6]])
    >>> report = evaluate_predictions(["spam", "ham", "ham"], proba, ["ham", "spam"],
    ...                               flagged_label="spam")
    >>> report["per_label"]["spam"]["precision"], report["roc_auc"]
    (0.5, 1.0)
    """
    truth = _check_labels(labels)
    if isinstance(classes, np.ndarray):
        classes = classes.tolist()
    class_list = [str(c) for c in classes]
    if len(set(class_list)) != len(class_list):
        raise ValueError(f"classes must be distinct, got {class_list!r}")
    if len(class_list) < 2:
        raise ValueError(f"need at least two classes, got {class_list!r}")
    proba = _check_probabilities(proba, "proba", ndim=2)
    _check_same_length(len(truth), proba.shape[0], "probability rows")
    if proba.shape[1] != len(class_list):
        raise ValueError(
            f"proba has {proba.shape[1]} columns but there are {len(class_list)} classes "
            f"{class_list!r}; pass one column per class, in the order of classes"
        )
    unknown = sorted(set(truth.tolist()) - set(class_list))
    if unknown:
        raise ValueError(
            f"labels {unknown!r} are not among the classes {class_list!r}; "
            "map them to the model's labels before evaluating"
        )
    if flagged_label is not None and str(flagged_label) not in class_list:
        raise ValueError(
            f"flagged_label {flagged_label!r} is not among the classes {class_list!r}; "
            "pass one of them, or None to evaluate argmax predictions"
        )
    threshold = check_threshold(threshold)
    n_bins = _check_n_bins(n_bins)
    source_array = None
    if sources is not None:
        if isinstance(sources, str):
            raise TypeError("sources must be a sequence with one source name per post, got a str")
        source_array = np.asarray([str(s) for s in sources], dtype=object)
        _check_same_length(len(truth), len(source_array), "sources")

    flagged = None if flagged_label is None else class_list.index(str(flagged_label))
    flagged_label = None if flagged is None else class_list[flagged]
    class_array = np.asarray(class_list, dtype=object)
    pred_idx = label_indices(proba, flagged, threshold)
    pred = class_array[pred_idx]
    logger.debug(
        "evaluating %d posts over classes %s (flagged %r, threshold %s)",
        len(truth),
        class_list,
        flagged_label,
        threshold,
    )

    precision, recall, f1, support = precision_recall_fscore_support(
        truth, pred, labels=class_list, zero_division=0
    )
    per_label = {
        label: {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "support": int(support[i]),
        }
        for i, label in enumerate(class_list)
    }

    roc_auc = pr_auc = flagged_ece = flagged_bins = None
    if flagged is None:
        auc_note = "no flagged label: the AUCs need a label to rank posts by"
    else:
        is_flagged_true = truth == flagged_label
        flagged_proba = proba[:, flagged]
        if is_flagged_true.all() or not is_flagged_true.any():
            auc_note = (
                f"only one class present in labels ({'all' if is_flagged_true.all() else 'no'} "
                f"posts are {flagged_label!r}): the AUCs are undefined"
            )
        else:
            auc_note = None
            roc_auc = float(roc_auc_score(is_flagged_true, flagged_proba))
            pr_auc = float(average_precision_score(is_flagged_true, flagged_proba))
        flagged_ece = expected_calibration_error(is_flagged_true, flagged_proba, n_bins)
        flagged_bins = calibration_curve_table(is_flagged_true, flagged_proba, n_bins)

    confidence = proba[np.arange(len(truth)), pred_idx]
    correct = truth == pred
    report: dict[str, Any] = {
        "n": int(len(truth)),
        "labels": class_list,
        "flagged_label": flagged_label,
        "threshold": None if flagged is None else threshold,
        "per_label": per_label,
        "macro_f1": (
            float(f1_score(truth, pred, average="macro", zero_division=0))
            if len(set(truth.tolist())) > 1
            else None
        ),
        "accuracy": float(accuracy_score(truth, pred)),
        "roc_auc": roc_auc,
        "pr_auc": pr_auc,
        "auc_note": auc_note,
        "confusion_matrix": {
            "labels": class_list,
            "matrix": confusion_matrix(truth, pred, labels=class_list).tolist(),
        },
        "calibration": {
            "n_bins": n_bins,
            "ece": expected_calibration_error(correct, confidence, n_bins),
            "bins": calibration_curve_table(correct, confidence, n_bins),
            "flagged_ece": flagged_ece,
            "flagged_bins": flagged_bins,
        },
    }
    if source_array is not None:
        report["by_source"] = _by_source(source_array, truth, pred, flagged_label)
    return report


def evaluate(
    model: Any,
    texts: Sequence[str],
    labels: Sequence[Any],
    *,
    sources: Sequence[str] | None = None,
    threshold: float | None = None,
    proba: np.ndarray | None = None,
    n_bins: int = 10,
) -> dict[str, Any]:
    """Evaluate a fitted classifier on labelled posts.

    Parameters
    ----------
    model : ExtremismClassifier
        Fitted. Its ``flagged_label`` is used if it is one of its classes.
    texts : sequence of str
        The posts (not scored if ``proba`` is given).
    labels : sequence of labels
        The true label of every post.
    sources : sequence of str or None, default=None
        The source of every post, for the per-source rates.
    threshold : float or None, default=None
        Overrides ``model.threshold``.
    proba : ndarray of shape (n_posts, n_classes) or None, default=None
        Probabilities already computed with ``model.predict_proba(texts)``.
    n_bins : int, default=10
        Bins of the calibration tables.

    Returns
    -------
    dict
        The report described in :func:`evaluate_predictions`.

    Examples
    --------
    >>> from arabic_extremism_clf.model import ExtremismClassifier
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> labels = (["sport"] * 3 + ["weather"] * 3) * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    >>> report = evaluate(clf.fit(texts, labels), texts, labels)
    >>> report["accuracy"]
    1.0
    """
    check_is_fitted(model, "classes_")
    texts = list(texts)
    if proba is None:
        proba = model.predict_proba(texts)
    elif len(proba) != len(texts):
        raise ValueError(f"got {len(texts)} posts but {len(proba)} rows of proba")
    flagged = model.flagged_index_
    return evaluate_predictions(
        labels,
        proba,
        model.classes_,
        flagged_label=None if flagged is None else str(model.classes_[flagged]),
        threshold=model.threshold if threshold is None else threshold,
        sources=sources,
        n_bins=n_bins,
    )


# -- threshold selection --------------------------------------------------------------


def _check_target(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 < value <= 1.0:
        raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
    return float(value)


def select_threshold(
    labels: Sequence[Any],
    proba_flagged: Sequence[float] | np.ndarray,
    *,
    flagged_label: str,
    precision: float | None = None,
    recall: float | None = None,
) -> ThresholdChoice:
    """Choose the flagged label's threshold for a target precision or a target recall.

    The candidate thresholds are the distinct values of ``proba_flagged``; a post is
    flagged when its probability is at least the threshold.

    Parameters
    ----------
    labels : sequence of labels
        True labels; posts equal to ``flagged_label`` are the positives.
    proba_flagged : array-like of float in [0, 1], shape (n_posts,)
        Probability of ``flagged_label`` for every post (preferably out-of-fold).
    flagged_label : str
    precision : float in (0, 1] or None
        Target precision: the lowest threshold whose precision is at least this
        (the most recall among thresholds that meet it).
    recall : float in (0, 1] or None
        Target recall: the highest threshold whose recall is at least this (the
        fewest flags among thresholds that meet it).

    Returns
    -------
    ThresholdChoice

    Raises
    ------
    ValueError
        If not exactly one of ``precision`` and ``recall`` is given, if there is no
        positive post, or if no threshold reaches the target precision.

    Examples
    --------
    >>> labels = ["spam", "ham", "spam", "ham"]
    >>> choice = select_threshold(labels, [0.9, 0.7, 0.6, 0.2], flagged_label="spam", recall=1.0)
    >>> choice.threshold, round(choice.precision, 3), choice.n_flagged
    (0.6, 0.667, 3)
    """
    if (precision is None) == (recall is None):
        raise ValueError("pass exactly one of precision= and recall= as the target")
    truth = _check_labels(labels)
    scores = _check_probabilities(proba_flagged, "proba_flagged", ndim=1)
    _check_same_length(len(truth), len(scores), "probabilities")
    is_pos = truth == str(flagged_label)
    n_pos = int(is_pos.sum())
    if n_pos == 0:
        raise ValueError(
            f"no post is labelled {flagged_label!r} (labels found: "
            f"{sorted(set(truth.tolist()))!r}): precision and recall are undefined"
        )
    # Thresholds increase; precisions[i] and recalls[i] belong to thresholds[i].
    precisions, recalls, thresholds = precision_recall_curve(
        is_pos, scores, drop_intermediate=False
    )
    precisions, recalls = precisions[:-1], recalls[:-1]
    if precision is not None:
        target = _check_target(precision, "precision")
        hits = np.flatnonzero(precisions >= target)
        if hits.size == 0:
            raise ValueError(
                f"no threshold reaches precision {target:g} for {flagged_label!r}; "
                f"the best is {precisions.max():.4g}. Lower the target or improve the model"
            )
        i = int(hits[0])
    else:
        target = _check_target(recall, "recall")
        hits = np.flatnonzero(recalls >= target)
        # Recall is 1 at the lowest threshold, so hits is never empty here.
        i = int(hits[-1])
    choice = ThresholdChoice(
        threshold=float(thresholds[i]),
        precision=float(precisions[i]),
        recall=float(recalls[i]),
        n_flagged=int((scores >= thresholds[i]).sum()),
    )
    logger.debug("selected %s", choice)
    return choice
