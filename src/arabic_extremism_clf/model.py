"""The classifier: TF-IDF n-grams, a linear model, calibrated scores, one result per post.

:class:`ExtremismClassifier` is a scikit-learn estimator over raw posts (it works in
``Pipeline``, ``clone``, ``GridSearchCV``), and :meth:`ExtremismClassifier.classify`
returns one :class:`Prediction` per post, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from .calibration import as_2d, fit_calibrator
from .features import PostVectorizer
from .params import check_estimator_params
from .scoring_model import Contribution, Prediction, ScoringMethods, _check_texts

__all__ = ["ExtremismClassifier", "Prediction", "Contribution", "PROMOTIONAL", "NOT_PROMOTIONAL"]

#: The flagged label of the shipped model.
PROMOTIONAL = "promotional"
#: The other label of the shipped model.
NOT_PROMOTIONAL = "not_promotional"


class ExtremismClassifier(ScoringMethods, ClassifierMixin, BaseEstimator):
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
    norm_floor : (float, float) or None, default=None
        ``(word, char)``: a post's TF-IDF blocks are not scaled up to unit length when
        they hold less than that many terms' worth of weight
        (:class:`~arabic_extremism_clf.features.PostVectorizer`), so a one- or two-word
        post cannot get a whole post's score from one feature. ``None``: plain L2.
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
        norm_floor: tuple[float, float] | None = None,
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
        self.norm_floor = norm_floor
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
        check_estimator_params(self.get_params(deep=False))

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
            norm_floor=self.norm_floor,
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

    # -- scoring: the methods of ScoringMethods ----------------------------------------

    def _check_fitted(self) -> None:
        check_is_fitted(self, "coef_")

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_names_cache", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
