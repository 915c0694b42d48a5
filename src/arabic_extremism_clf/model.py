"""The classifier: TF-IDF n-grams, a linear model, calibrated scores, one result per post.

:class:`ExtremismClassifier` is a scikit-learn estimator over raw posts (it works in
``Pipeline``, ``clone``, ``GridSearchCV``), and :meth:`ExtremismClassifier.classify`
returns one :class:`Prediction` per post, in input order.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from .calibration import as_2d, fit_calibrator, logistic_proba
from .features import PostVectorizer
from .labels import check_threshold, label_indices

__all__ = ["ExtremismClassifier", "Prediction", "Contribution", "PROMOTIONAL", "NOT_PROMOTIONAL"]

#: The flagged label of the shipped model.
PROMOTIONAL = "promotional"
#: The other label of the shipped model.
NOT_PROMOTIONAL = "not_promotional"


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


class ExtremismClassifier(ClassifierMixin, BaseEstimator):
    """Flag posts that promote violent extremist groups (or any other label set).

    Word n-gram and within-word character n-gram TF-IDF features
    (:class:`~arabic_extremism_clf.features.PostVectorizer`) feed a logistic
    regression (or, with ``loss="squared_hinge"``, a linear support vector machine).
    Its decision values are then calibrated with a sigmoid (Platt) model
    fitted on out-of-fold decision values, so that ``predict_proba`` gives probabilities
    that match observed frequencies on data like the training mix.

    Parameters
    ----------
    word_ngram_range : (int, int), default=(1, 2)
    char_ngram_range : (int, int) or None, default=(2, 5)
    min_df : int, default=2
    max_word_features, max_char_features : int or None, default=None
    sublinear_tf : bool, default=True
    normalize_options : dict or None, default=None
        Switches of :func:`~arabic_extremism_clf.preprocess.normalize`.
    C : float, default=10.0
        Inverse regularization strength of the linear model.
    loss : {"log_loss", "squared_hinge"}, default="log_loss"
        ``"log_loss"``: logistic regression
        (:class:`~sklearn.linear_model.LogisticRegression`); ``"squared_hinge"``: a
        linear SVM (:class:`~sklearn.svm.LinearSVC`), which ignores posts that are
        already classified with a margin, so a mass of easy negatives weighs less. The
        SVM has no probabilities of its own: it needs ``calibration="sigmoid"``.
    class_weight : "balanced", dict or None, default="balanced"
    max_iter : int, default=2000
    calibration : {"sigmoid", None}, default="sigmoid"
        ``None`` uses the logistic regression's own probabilities (``loss="log_loss"``
        only).
    calibration_cv : int, default=5
        Folds for the out-of-fold decision values the calibration is fitted on.
    flagged_label : str or None, default="promotional"
        The label that ``threshold`` applies to. If it is not among the classes, the
        most probable label is predicted.
    threshold : float, default=0.5
        A post gets ``flagged_label`` when that label's calibrated probability is at
        least this; otherwise the most probable other label.
    random_state : int, default=0

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the order of the ``predict_proba`` columns.
    vectorizer_ : PostVectorizer
    coef_ : ndarray of shape (n_classes or 1, n_features)
    intercept_ : ndarray
    calibration_coef_, calibration_intercept_ : ndarray or None
        The sigmoid calibration model (a logistic regression on decision values).

    Examples
    --------
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> labels = ["sport"] * 3 + ["weather"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    >>> clf = clf.fit(texts, labels * 3)
    >>> clf.classify(["مباراة الفريق"])[0].label
    'sport'
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        max_word_features: int | None = None,
        max_char_features: int | None = None,
        sublinear_tf: bool = True,
        normalize_options: dict | None = None,
        C: float = 10.0,
        loss: str = "log_loss",
        class_weight: str | dict | None = "balanced",
        max_iter: int = 2000,
        calibration: str | None = "sigmoid",
        calibration_cv: int = 5,
        flagged_label: str | None = PROMOTIONAL,
        threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.sublinear_tf = sublinear_tf
        self.normalize_options = normalize_options
        self.C = C
        self.loss = loss
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.calibration = calibration
        self.calibration_cv = calibration_cv
        self.flagged_label = flagged_label
        self.threshold = threshold
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------

    def _validate_params(self) -> None:
        if self.calibration not in ("sigmoid", None):
            raise ValueError(f"calibration must be 'sigmoid' or None, got {self.calibration!r}")
        check_threshold(self.threshold)
        if not isinstance(self.calibration_cv, numbers.Integral) or self.calibration_cv < 2:
            raise ValueError(f"calibration_cv must be an int >= 2, got {self.calibration_cv!r}")
        if not isinstance(self.C, numbers.Real) or self.C <= 0:
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if self.loss not in ("log_loss", "squared_hinge"):
            raise ValueError(f"loss must be 'log_loss' or 'squared_hinge', got {self.loss!r}")
        if self.loss == "squared_hinge" and self.calibration is None:
            raise ValueError(
                "loss='squared_hinge' (a linear SVM) has no probabilities of its own: "
                "use calibration='sigmoid'"
            )

    def _linear_model(self) -> LogisticRegression | LinearSVC:
        class_weight = self.class_weight
        if isinstance(class_weight, Mapping):
            # The model is fitted on label indices: key the weights by index, not label.
            unknown = sorted(str(k) for k in class_weight if str(k) not in set(self.classes_))
            if unknown:
                raise ValueError(
                    f"class_weight has labels {unknown} that are not in the training "
                    f"labels {list(self.classes_)}"
                )
            index = {label: i for i, label in enumerate(self.classes_)}
            class_weight = {index[str(k)]: v for k, v in class_weight.items()}
        if self.loss == "squared_hinge":
            return LinearSVC(
                C=self.C,
                class_weight=class_weight,
                max_iter=self.max_iter,
                random_state=self.random_state,
            )
        return LogisticRegression(
            C=self.C,
            class_weight=class_weight,
            max_iter=self.max_iter,
            solver="lbfgs",
            random_state=self.random_state,
        )

    def fit(
        self, X: Iterable[str], y: Sequence[Any], sample_weight: Sequence[float] | None = None
    ) -> ExtremismClassifier:
        """Fit on raw posts and their labels.

        Parameters
        ----------
        X : iterable of str
            Raw posts.
        y : sequence of labels
            One label per post (converted to ``str``); at least two distinct labels.
        sample_weight : sequence of float or None
            Weight of each post in the linear model's loss (e.g. to balance sources).
            The calibration is fitted on unweighted out-of-fold decision values.

        Returns
        -------
        self
        """
        self._validate_params()
        texts = _check_texts(X)
        labels = np.asarray([str(label) for label in y], dtype=object)
        if len(labels) != len(texts):
            raise ValueError(f"X has {len(texts)} posts but y has {len(labels)} labels")
        classes, y_idx, counts = np.unique(labels, return_inverse=True, return_counts=True)
        if len(classes) < 2:
            raise ValueError(
                f"need at least two distinct labels to fit, found only {list(classes)!r}"
            )
        self.classes_ = classes.astype(str)
        self.vectorizer_ = PostVectorizer(
            word_ngram_range=self.word_ngram_range,
            char_ngram_range=self.char_ngram_range,
            min_df=self.min_df,
            max_word_features=self.max_word_features,
            max_char_features=self.max_char_features,
            sublinear_tf=self.sublinear_tf,
            normalize_options=self.normalize_options,
        )
        features = self.vectorizer_.fit_transform(texts)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float64)
            if sample_weight.shape != (len(texts),) or not np.all(np.isfinite(sample_weight)):
                raise ValueError(
                    f"sample_weight must hold one finite number per post ({len(texts)}), "
                    f"got shape {sample_weight.shape}"
                )
            if np.any(sample_weight < 0) or not np.any(sample_weight > 0):
                raise ValueError("sample_weight must be >= 0 with at least one positive weight")
        linear = self._linear_model().fit(features, y_idx, sample_weight=sample_weight)
        self.coef_ = linear.coef_.astype(np.float64)
        self.intercept_ = linear.intercept_.astype(np.float64)
        self.n_iter_ = np.atleast_1d(linear.n_iter_).astype(np.int32)
        self.calibration_coef_ = None
        self.calibration_intercept_ = None
        if self.calibration == "sigmoid":
            n_splits = min(self.calibration_cv, int(counts.min()))
            if n_splits < 2:
                raise ValueError(
                    "calibration needs at least 2 posts of every label; "
                    f"label counts are {dict(zip(self.classes_, counts.tolist()))}. "
                    "Add posts or pass calibration=None"
                )
            oof = np.zeros((len(texts), self.coef_.shape[0]))
            folds = StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
            for train, test in folds.split(features, y_idx):
                fold_weight = None if sample_weight is None else sample_weight[train]
                fold_model = self._linear_model().fit(
                    features[train], y_idx[train], sample_weight=fold_weight
                )
                oof[test] = as_2d(fold_model.decision_function(features[test]))
            calibrator = fit_calibrator(oof, y_idx)
            self.calibration_coef_ = calibrator.coef_.astype(np.float64)
            self.calibration_intercept_ = calibrator.intercept_.astype(np.float64)
        return self

    # -- scoring ----------------------------------------------------------------------

    def _features(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "coef_")
        return self.vectorizer_.transform(_check_texts(X))

    def _decision_from_features(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef_.T) + self.intercept_

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

    def proba_from_features(self, features: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities from a matrix made by ``vectorizer_``.

        Parameters
        ----------
        features : sparse matrix of shape (n_posts, n_features)

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
        check_is_fitted(self, "coef_")
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
        check_is_fitted(self, "coef_")
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
        self, features: sp.spmatrix, labels: Sequence[str], *, top: int = 10
    ) -> list[list[Contribution]]:
        """The n-grams that pushed the score of a label most, for a batch of posts.

        The batch form of :meth:`explain`, on a matrix made by ``vectorizer_`` (so that
        bulk scoring vectorizes each post once): row ``i`` is explained for
        ``labels[i]``, exactly as ``explain`` explains one post.

        Parameters
        ----------
        features : sparse matrix of shape (n_posts, n_features)
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
        check_is_fitted(self, "coef_")
        if not isinstance(top, numbers.Integral) or isinstance(top, bool) or top < 1:
            raise ValueError(f"top must be a positive int, got {top!r}")
        features = sp.csr_matrix(features)
        labels = [str(label) for label in labels]
        if features.shape != (len(labels), self.coef_.shape[1]):
            raise ValueError(
                f"features has shape {features.shape} but there are {len(labels)} labels "
                f"and {self.coef_.shape[1]} features: make features with vectorizer_"
            )
        index = {str(label): i for i, label in enumerate(self.classes_)}
        unknown = sorted(set(labels) - set(index))
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; the labels are {list(self.classes_)}")
        label_idx = np.array([index[label] for label in labels], dtype=np.intp)
        features = features.sorted_indices()  # ties then come in feature order
        indptr = features.indptr.tolist()
        rows = np.repeat(np.arange(len(labels)), np.diff(features.indptr))
        cols = features.indices
        if self.coef_.shape[0] == 1:  # two labels: one coefficient row, for classes_[1]
            sign = np.where(label_idx == 1, 1.0, -1.0)
            weights = features.data * self.coef_[0][cols] * sign[rows]
        else:
            weights = features.data * self.coef_[label_idx[rows], cols]
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

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_names_cache", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
