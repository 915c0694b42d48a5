"""The scoring core: a batch of texts in, one result row per text out.

Every consumer calls :func:`score_batch` and only adapts its input and output: bulk
files (:mod:`.files`), pandas and Dask frames (:mod:`.frames`), the HTTP service
(:mod:`.http`) and the later ones (Spark, known-content matching, the review page). A
batch is vectorized once; explanations reuse the scoring features.

A result row is a :class:`ScoreResult`: a JSON-ready dict with ``label``,
``confidence``, ``scores`` and, when asked for, ``explanation``.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from ..labels import check_threshold

if TYPE_CHECKING:
    from ..model import ExtremismClassifier
    from ..scoring_model import Contribution, ScoringModel

__all__ = [
    "ScoreResult",
    "Explanation",
    "BatchScores",
    "score_batch",
    "resolve_model",
    "check_top",
    "DEFAULT_TOP",
]

#: n-grams per explanation unless asked otherwise.
DEFAULT_TOP = 10


class Explanation(TypedDict):
    """Why a post scores as it does: ``{"label", "ngrams": [{"feature", "weight"}]}``.

    ``label`` is the flagged label when the model has one (else the predicted label);
    ``ngrams`` are the n-grams that pushed its score most, largest absolute weight
    first; a positive weight pushes towards ``label``.
    """

    label: str
    ngrams: list[dict[str, Any]]


class _ScoreResultBase(TypedDict):
    label: str
    confidence: float
    scores: dict[str, float]


class ScoreResult(_ScoreResultBase, total=False):
    """The result row of one post, the one type every consumer starts from.

    Keys
    ----
    label : str
        The predicted label (the threshold applied to the flagged label).
    confidence : float
        The calibrated probability of ``label``.
    scores : dict of str to float
        The calibrated probability of every label, in the order of the model's
        ``classes_``; they sum to 1.
    explanation : Explanation
        Only when scored with ``explain=True``.
    """

    explanation: Explanation


@dataclass(frozen=True)
class BatchScores:
    """The answers of the model for a batch of texts, as arrays and as result rows.

    A sequence of :class:`ScoreResult` (``len``, indexing and iteration give the rows),
    with the arrays underneath for consumers that want columns.

    Attributes
    ----------
    classes : tuple of str
        The model's labels, the columns of ``proba``.
    proba : ndarray of shape (n_texts, n_labels)
    labels : list of str
        The predicted label of each text.
    explanations : list of (str, list of Contribution), or None
        With ``explain=True``: the explained label and n-grams of each text.
    features : scipy.sparse.csr_matrix or None
        With ``keep_features=True``: the TF-IDF rows the scores came from (for consumers
        that also compare posts, such as :func:`~arabic_extremism_clf.adapt.select_for_review`).
    """

    classes: tuple[str, ...]
    proba: np.ndarray
    labels: list[str]
    explanations: list[tuple[str, list[Contribution]]] | None = None
    features: Any = None

    def results(self) -> list[ScoreResult]:
        """One :class:`ScoreResult` per text, in order."""
        classes = self.classes
        column = {label: i for i, label in enumerate(classes)}
        out: list[ScoreResult] = []
        explanations = self.explanations
        for k, (label, scores) in enumerate(zip(self.labels, self.proba.tolist())):
            row: ScoreResult = {
                "label": label,
                "confidence": scores[column[label]],
                "scores": dict(zip(classes, scores)),
            }
            if explanations is not None:
                explained, ngrams = explanations[k]
                row["explanation"] = {
                    "label": explained,
                    "ngrams": [c.to_dict() for c in ngrams],
                }
            out.append(row)
        return out

    def __iter__(self) -> Iterator[ScoreResult]:
        return iter(self.results())

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> ScoreResult:
        return self.results()[index]


def resolve_model(model: Any = None) -> ExtremismClassifier | ScoringModel:
    """The model to score with: ``None`` loads the shipped model, a path loads that model.

    A model read from disk is loaded for scoring only
    (:func:`~arabic_extremism_clf.persistence.load_scoring_model`: the same scores,
    without importing scikit-learn).

    Parameters
    ----------
    model : ExtremismClassifier, ScoringModel, str, path-like or None
        A fitted model (returned as it is), a model directory saved by
        :func:`~arabic_extremism_clf.persistence.save_model`, or None.

    Returns
    -------
    ExtremismClassifier or ScoringModel
    """
    if model is None or isinstance(model, (str, os.PathLike)):
        from ..persistence.format import load_scoring_model

        return load_scoring_model(model)
    return model


def check_top(top: object) -> int:
    """Return ``top`` (n-grams per explanation) or raise ``ValueError``: a positive int."""
    if not isinstance(top, numbers.Integral) or isinstance(top, bool) or top < 1:
        raise ValueError(f"top must be a positive int, got {top!r}")
    return int(top)


def score_batch(
    model: ExtremismClassifier,
    texts: Sequence[str],
    *,
    threshold: float | None = None,
    explain: bool = False,
    top: int = DEFAULT_TOP,
    keep_features: bool = False,
) -> BatchScores:
    """Score a batch of posts: one result row per post, in order.

    Parameters
    ----------
    model : ExtremismClassifier
        A fitted classifier (see :func:`resolve_model`).
    texts : sequence of str
        The posts; every item must be a ``str`` (the consumers report bad rows before
        they reach the core).
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    explain : bool, default=False
        Also find the ``top`` n-grams that pushed each post's score most.
    top : int, default=10
    keep_features : bool, default=False
        Also return the feature matrix (``BatchScores.features``).

    Returns
    -------
    BatchScores
        Iterate it (or call ``results()``) for the :class:`ScoreResult` rows.

    Raises
    ------
    ValueError
        For a ``threshold`` outside [0, 1] or a ``top`` that is not a positive int.

    Examples
    --------
    >>> from arabic_extremism_clf.model import ExtremismClassifier
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    >>> clf = clf.fit(texts, (["sport"] * 3 + ["weather"] * 3) * 3)
    >>> [row["label"] for row in score_batch(clf, ["مباراة الفريق", "طقس ممطر"])]
    ['sport', 'weather']
    """
    if threshold is not None:
        check_threshold(threshold)
    if explain:
        check_top(top)
    classes = tuple(str(c) for c in model.classes_)
    texts = list(texts)
    if not texts:
        return BatchScores(classes, np.zeros((0, len(classes))), [], [] if explain else None)
    features = model.vectorizer_.transform_rows(texts)
    proba = model.proba_from_features(features)
    labels = model.labels_from_proba(proba, threshold).tolist()
    explanations = None
    if explain:
        explained = model.explained_labels(proba, threshold)
        ngrams = model.explanations_from_features(features, explained, top=top)
        explanations = list(zip(explained, ngrams))
    return BatchScores(
        classes, proba, labels, explanations, features.to_csr() if keep_features else None
    )
