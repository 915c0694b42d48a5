"""Scoring with a fitted model, without scikit-learn: the methods and the loaded form.

:class:`ScoringMethods` holds every way of scoring a fitted linear model (probabilities,
labels under a threshold, :class:`Prediction` rows, explanations). The estimator
:class:`~arabic_extremism_clf.model.ExtremismClassifier` inherits them, and so does
:class:`ScoringModel`, the scoring-only form of a saved model that
:func:`~arabic_extremism_clf.persistence.load_scoring_model` returns: the same numbers,
bit for bit, from the same code, but neither scikit-learn nor scipy is imported (about
1 s of start-up and 170 MB of memory), which is what bulk scoring, the HTTP service and
Spark executors want. Training, refitting and ``get_params`` need the estimator
(:func:`~arabic_extremism_clf.persistence.load_model`).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._fast_transform import _FastTransform
from ._rows import Rows
from .calibration import logistic_proba
from .labels import check_threshold, label_indices

__all__ = ["ScoringMethods", "ScoringModel", "ScoringFeatures", "Prediction", "Contribution"]


@dataclass(frozen=True)
class Prediction:
    """The result for one post.

    Attributes
    ----------
    label : str
        The predicted label.
    confidence : float
        The calibrated probability of ``label`` (see the README, "What confidence means").
    scores : mapping of str to float
        The calibrated probability of every label; they sum to 1.
    """

    label: str
    confidence: float
    scores: Mapping[str, float] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"label", "confidence", "scores"}``."""
        return {"label": self.label, "confidence": self.confidence, "scores": dict(self.scores)}


@dataclass(frozen=True)
class Contribution:
    """How much one n-gram of a post pushed the score of a label.

    Attributes
    ----------
    feature : str
        The n-gram: ``w:`` word n-gram or ``c:`` character n-gram, then the text.
    weight : float
        Feature value times model coefficient; positive pushes towards the label.
    """

    feature: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"feature", "weight"}``."""
        return {"feature": self.feature, "weight": self.weight}


def _check_texts(texts: object) -> list[str]:
    if isinstance(texts, str):
        raise TypeError(
            "Iterable over raw text documents expected, str object received: "
            "wrap a single post in a list"
        )
    if not isinstance(texts, Iterable):
        raise TypeError(f"expected an iterable of str, got {type(texts).__name__}")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"expected every post to be a str, item {i} is {type(text).__name__}: {text!r:.60}"
            )
    return texts


def feature_names(word_vocabulary: Mapping[str, int], char_vocabulary: Mapping[str, int]):
    """Names of the features: ``w:<n-gram>`` then ``c:<n-gram>``, in column order."""
    names = np.empty(len(word_vocabulary) + len(char_vocabulary), dtype=object)
    offset = len(word_vocabulary)
    for term, idx in word_vocabulary.items():
        names[idx] = "w:" + term
    for term, idx in char_vocabulary.items():
        names[offset + idx] = "c:" + term
    return names


class ScoringMethods:
    """Scoring of a fitted linear model on TF-IDF features, calibrated.

    A mixin: the class provides ``classes_``, ``vectorizer_`` (with ``transform_rows``
    and ``get_feature_names_out``), ``coef_``, ``intercept_``, ``calibration_coef_``,
    ``calibration_intercept_``, ``flagged_label`` and ``threshold``, and may override
    :meth:`_check_fitted`.
    """

    def _check_fitted(self) -> None:
        """Raise if the model is not fitted (the estimator raises ``NotFittedError``)."""

    def _features(self, X: Iterable[str]) -> Rows:
        self._check_fitted()
        return self.vectorizer_.transform_rows(_check_texts(X))

    def _decision_from_features(self, features: Any) -> np.ndarray:
        return Rows.of(features).dot(self.coef_) + self.intercept_

    def _proba_from_decision(self, decision: np.ndarray) -> np.ndarray:
        if self.calibration_coef_ is not None:
            decision = decision @ self.calibration_coef_.T + self.calibration_intercept_
        return logistic_proba(decision)

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Uncalibrated decision values of the linear model.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of shape (n_posts,) for two labels (positive favours ``classes_[1]``),
        else (n_posts, n_classes)
        """
        decision = self._decision_from_features(self._features(X))
        return decision.ravel() if decision.shape[1] == 1 else decision

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probability of every label.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of shape (n_posts, n_classes), columns in the order of ``classes_``
        """
        return self.proba_from_features(self._features(X))

    def proba_from_features(self, features: Any) -> np.ndarray:
        """Calibrated probabilities from a matrix made by ``vectorizer_``.

        Parameters
        ----------
        features : sparse matrix or Rows of shape (n_posts, n_features)

        Returns
        -------
        ndarray of shape (n_posts, n_classes)
        """
        return self._proba_from_decision(self._decision_from_features(features))

    def labels_from_proba(self, proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
        """Labels from probabilities, applying the flagged label's threshold.

        Parameters
        ----------
        proba : ndarray of shape (n_posts, n_classes)
        threshold : float or None
            Overrides ``self.threshold``.

        Returns
        -------
        ndarray of str
        """
        self._check_fitted()
        threshold = self.threshold if threshold is None else threshold
        return self.classes_[label_indices(proba, self.flagged_index_, threshold)]

    def explained_labels(self, proba: np.ndarray, threshold: float | None = None) -> list[str]:
        """The label to explain for each post: ``flagged_label``, else the predicted one.

        The rule :meth:`explain`, bulk scoring and the HTTP service share: reviewers see
        why a post scores as it does on the flagged label, whether or not it was flagged.

        Parameters
        ----------
        proba : ndarray of shape (n_posts, n_classes)
        threshold : float or None
            Overrides ``self.threshold`` (only used without a flagged label).

        Returns
        -------
        list of str
        """
        flagged = self.flagged_index_
        if flagged is None:
            return self.labels_from_proba(proba, threshold).tolist()
        return [str(self.classes_[flagged])] * len(proba)

    @property
    def flagged_index_(self) -> int | None:
        """Column of ``flagged_label`` in ``classes_``, or None if it is not a class."""
        self._check_fitted()
        hits = np.flatnonzero(self.classes_ == self.flagged_label)
        return int(hits[0]) if hits.size else None

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Predicted label of every post (the threshold applies to ``flagged_label``).

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of str
        """
        return self.labels_from_proba(self.predict_proba(X))

    def classify(self, texts: Iterable[str], *, threshold: float | None = None) -> list[Prediction]:
        """One :class:`Prediction` per post, in input order.

        Parameters
        ----------
        texts : iterable of str
        threshold : float or None
            Overrides ``self.threshold`` for this call.

        Returns
        -------
        list of Prediction
        """
        proba = self.predict_proba(texts)
        return self.predictions_from_proba(proba, threshold=threshold)

    def predictions_from_proba(
        self, proba: np.ndarray, *, threshold: float | None = None
    ) -> list[Prediction]:
        """:class:`Prediction` objects from a probability matrix.

        Parameters
        ----------
        proba : ndarray of shape (n_posts, n_classes)
        threshold : float or None

        Returns
        -------
        list of Prediction
        """
        labels = self.labels_from_proba(proba, threshold)
        column = {label: i for i, label in enumerate(self.classes_)}
        names = [str(c) for c in self.classes_]
        out = []
        for row, label in zip(proba.tolist(), labels.tolist()):
            scores = MappingProxyType(dict(zip(names, row)))
            out.append(Prediction(label=label, confidence=row[column[label]], scores=scores))
        return out

    def explain(self, text: str, *, label: str | None = None, top: int = 10) -> list[Contribution]:
        """The n-grams of a post that pushed the score of a label most.

        Parameters
        ----------
        text : str
            One post.
        label : str or None
            The label to explain; default ``flagged_label`` if it is a class, else the
            predicted label.
        top : int, default=10
            How many n-grams, by absolute weight.

        Returns
        -------
        list of Contribution
            Sorted by absolute weight, largest first (ties: in feature order);
            positive weights push towards ``label``.

        See Also
        --------
        explanations_from_features : The same for a batch of posts.
        """
        if not isinstance(text, str):
            raise TypeError(f"expected one post as a str, got {type(text).__name__}")
        features = self._features([text])
        if label is None:
            label = self.explained_labels(self.proba_from_features(features))[0]
        return self.explanations_from_features(features, [label], top=top)[0]

    def explanations_from_features(
        self, features: Any, labels: Sequence[str], *, top: int = 10
    ) -> list[list[Contribution]]:
        """The n-grams that pushed the score of a label most, for a batch of posts.

        The batch form of :meth:`explain`, on a matrix made by ``vectorizer_`` (so that
        bulk scoring vectorizes each post once): row ``i`` is explained for
        ``labels[i]``, exactly as ``explain`` explains one post.

        Parameters
        ----------
        features : sparse matrix or Rows of shape (n_posts, n_features)
        labels : sequence of str
            The label to explain for each post.
        top : int, default=10
            How many n-grams per post, by absolute weight.

        Returns
        -------
        list of list of Contribution
            One list per post, sorted by absolute weight, largest first (ties: in
            feature order); positive weights push towards the post's label.

        Raises
        ------
        ValueError
            If a label is not a class, ``top`` is not a positive int, or ``features``
            and ``labels`` do not match.

        Examples
        --------
        >>> from arabic_extremism_clf.model import ExtremismClassifier
        >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
        ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
        >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
        >>> clf = clf.fit(texts, (["sport"] * 3 + ["weather"] * 3) * 3)
        >>> features = clf.vectorizer_.transform(["مباراة الفريق", "طقس ممطر"])
        >>> for (first,) in clf.explanations_from_features(features, ["sport", "sport"], top=1):
        ...     print(first.feature, first.weight > 0)
        w:الفريق True
        w:طقس False
        """
        self._check_fitted()
        if not isinstance(top, numbers.Integral) or isinstance(top, bool) or top < 1:
            raise ValueError(f"top must be a positive int, got {top!r}")
        rows = Rows.of(features)
        labels = [str(label) for label in labels]
        if rows.shape != (len(labels), self.coef_.shape[1]):
            raise ValueError(
                f"features has shape {rows.shape} but there are {len(labels)} labels "
                f"and {self.coef_.shape[1]} features: make features with vectorizer_"
            )
        index = {str(label): i for i, label in enumerate(self.classes_)}
        unknown = sorted(set(labels) - set(index))
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; the labels are {list(self.classes_)}")
        label_idx = np.array([index[label] for label in labels], dtype=np.intp)
        lengths = np.diff(rows.indptr)
        row_of = np.repeat(np.arange(len(labels)), lengths)
        in_order = np.lexsort((rows.indices, row_of))  # each row's columns ascending
        cols, data = rows.indices[in_order], rows.data[in_order]  # ties: in feature order
        indptr = rows.indptr.tolist()
        if self.coef_.shape[0] == 1:  # two labels: one coefficient row, for classes_[1]
            sign = np.where(label_idx == 1, 1.0, -1.0)
            weights = data * self.coef_[0][cols] * sign[row_of]
        else:
            weights = data * self.coef_[label_idx[row_of], cols]
        # Each post's n-grams by absolute weight, largest first (a stable sort).
        magnitude = -np.abs(weights)
        chosen = [
            start + np.argsort(magnitude[start:end], kind="stable")[:top]
            for start, end in zip(indptr[:-1], indptr[1:])
        ]
        flat = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.intp)
        names = self._feature_names()[cols[flat]].tolist()
        contributions = list(map(Contribution, names, weights[flat].tolist()))
        out = []
        start = 0
        for picked in chosen:
            out.append(contributions[start : start + len(picked)])
            start += len(picked)
        return out

    def _feature_names(self) -> np.ndarray:
        """The vectorizer's feature names, built once per fitted model (explain is per post)."""
        names = self.__dict__.get("_names_cache")
        if names is None or names[0] is not self.vectorizer_:
            names = (self.vectorizer_, self.vectorizer_.get_feature_names_out())
            self.__dict__["_names_cache"] = names
        return names[1]


class ScoringFeatures:
    """The fitted features of a :class:`ScoringModel`: the transform of a fitted
    :class:`~arabic_extremism_clf.features.PostVectorizer`, without scikit-learn.

    Built by :func:`~arabic_extremism_clf.persistence.load_scoring_model`; only for word
    n-grams of n <= 2 (the fast transform), which every model of the default recipes has.

    Attributes
    ----------
    word_ngram_range, char_ngram_range, sublinear_tf, normalize_options, norm_floor
        As in ``PostVectorizer``.
    word_vocabulary_ : mapping of str to int
        A ``dict`` (model format 1), or a
        :class:`~arabic_extremism_clf._vocabulary.SplitVocabulary` (format 2), which
        builds the strings of its word n-grams only when a term is looked up or named
        (explanations); scoring never needs them.
    char_vocabulary_ : dict of str to int
    word_idf_, char_idf_ : ndarray of float64
    n_features_out_ : int
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int],
        char_ngram_range: tuple[int, int] | None,
        sublinear_tf: bool,
        normalize_options: dict | None,
        word_vocabulary: Mapping[str, int],
        char_vocabulary: dict[str, int],
        word_idf: np.ndarray,
        char_idf: np.ndarray,
        norm_floor: tuple[float, float] | None = None,
    ) -> None:
        self.word_ngram_range = tuple(word_ngram_range)
        self.char_ngram_range = None if char_ngram_range is None else tuple(char_ngram_range)
        self.sublinear_tf = sublinear_tf
        self.normalize_options = normalize_options
        self.norm_floor = None if norm_floor is None else tuple(norm_floor)
        self.word_vocabulary_ = word_vocabulary
        self.char_vocabulary_ = char_vocabulary
        self.word_idf_ = word_idf
        self.char_idf_ = char_idf
        self.n_features_out_ = len(word_vocabulary) + len(char_vocabulary)
        if _FastTransform.of(self) is None:
            raise ValueError(
                f"word_ngram_range {self.word_ngram_range}: scoring without scikit-learn "
                "supports word n-grams of n <= 2 only; load the estimator with load_model"
            )

    def transform_rows(self, raw_documents: list[str]) -> Rows:
        """The TF-IDF rows of raw posts, as CSR arrays (``PostVectorizer.transform``)."""
        if not raw_documents:
            empty = np.zeros(0, dtype=np.int64)
            return Rows(np.zeros(0), empty, np.zeros(1, dtype=np.int64), (0, self.n_features_out_))
        return _FastTransform.of(self).transform(raw_documents)

    def transform(self, raw_documents: Iterable[str]) -> Any:
        """TF-IDF matrix of raw posts (a ``scipy.sparse.csr_matrix``, importing scipy)."""
        return self.transform_rows(_check_texts(raw_documents)).to_csr()

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output features: ``w:<n-gram>`` then ``c:<n-gram>``."""
        return feature_names(self.word_vocabulary_, self.char_vocabulary_)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_fast", None)
        return state

    def __repr__(self) -> str:
        return (
            f"ScoringFeatures(word_ngram_range={self.word_ngram_range}, "
            f"char_ngram_range={self.char_ngram_range}, n_features_out_={self.n_features_out_})"
        )


class ScoringModel(ScoringMethods):
    """A saved model loaded for scoring only: the scores of the estimator, bit for bit.

    Has the estimator's scoring methods (``predict_proba``, ``predict``, ``classify``,
    ``explain``, ``decision_function`` and the ``*_from_features`` forms that
    :func:`~arabic_extremism_clf.scoring.score_batch` uses) and its fitted attributes,
    but no ``fit`` or ``get_params``. Built by
    :func:`~arabic_extremism_clf.persistence.load_scoring_model`.

    Attributes
    ----------
    classes_ : ndarray of str
    vectorizer_ : ScoringFeatures
    coef_, intercept_ : ndarray
    calibration_coef_, calibration_intercept_ : ndarray or None
    flagged_label : str or None
    threshold : float
    params : mapping
        The estimator's parameters, as saved (read-only).
    """

    def __init__(
        self,
        *,
        vectorizer: ScoringFeatures,
        classes: Sequence[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        calibration_coef: np.ndarray | None,
        calibration_intercept: np.ndarray | None,
        params: Mapping[str, Any],
    ) -> None:
        self.vectorizer_ = vectorizer
        self.classes_ = np.asarray(list(classes), dtype=str)
        self.coef_ = coef
        self.intercept_ = intercept
        self.calibration_coef_ = calibration_coef
        self.calibration_intercept_ = calibration_intercept
        self.params = MappingProxyType(dict(params))
        self.flagged_label = self.params.get("flagged_label")
        self.threshold = check_threshold(self.params.get("threshold", 0.5))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_names_cache", None)
        state["params"] = dict(self.params)  # a mappingproxy does not pickle
        return state

    def __setstate__(self, state: dict) -> None:
        state["params"] = MappingProxyType(state["params"])
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return (
            f"ScoringModel(classes_={self.classes_.tolist()}, flagged_label="
            f"{self.flagged_label!r}, threshold={self.threshold!r}, "
            f"n_features={self.coef_.shape[1]})"
        )
