"""Training: grouped cross-validation, the choice of threshold, and fitting a recipe.

The default recipe itself (which corpora, samples, groups and weights) is defined in
:mod:`arabic_extremism_clf.recipe`; the names of it that callers used to import from
here are re-exported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from .corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from .labels import label_indices
from .model import ExtremismClassifier
from .recipe import (
    DEFAULT_PARAMS,
    DEFAULT_RECIPE,
    HELDOUT_DAYS,
    MAX_RELIGIOUS_FPR,
    TrainingSet,
    _religious_mask,
    _sizes,
    default_training_set,
    functional_corpus,
)

# Re-exported: names of the recipe that callers imported from this module.
from .recipe import DEFAULT_WEIGHTS as DEFAULT_WEIGHTS
from .recipe import LOADED_TERMS as LOADED_TERMS
from .recipe import SAMPLES as SAMPLES
from .recipe import SEED as SEED
from .recipe import USE_AUTHORED_NEGATIVES as USE_AUTHORED_NEGATIVES
from .recipe import _loaded_mask as _loaded_mask
from .recipe import authored_corpus as authored_corpus
from .recipe import recipe_weights as recipe_weights

__all__ = [
    "DEFAULT_RECIPE",
    "HELDOUT_DAYS",
    "TrainingSet",
    "default_training_set",
    "functional_corpus",
    "grouped_cross_val_proba",
    "heldout_report",
    "default_estimator",
    "TrainingResult",
    "train_files",
    "train_default",
    "best_macro_f1_threshold",
    "PROMOTIONAL",
    "NOT_PROMOTIONAL",
]

logger = logging.getLogger(__name__)


def grouped_cross_val_proba(
    estimator,
    cv_corpus: Corpus,
    always_train: Corpus | None = None,
    *,
    n_splits: int = 5,
    random_state: int = 0,
    on_fold: Callable[[int, float], None] | None = None,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities on ``cv_corpus``, near-duplicates kept on one side.

    Folds are :class:`~sklearn.model_selection.StratifiedGroupKFold` over
    ``cv_corpus.groups``; every row of ``always_train`` is added to every training fold,
    except the rows derived from a post of the test fold (``meta["from"]`` is that post's
    id, e.g. a hashtag cut from it), which would let the fold see its own test posts.

    Parameters
    ----------
    estimator : ExtremismClassifier
        Cloned for each fold.
    cv_corpus : Corpus
    always_train : Corpus or None
    n_splits : int, default=5
    random_state : int, default=0
    on_fold : callable or None
        Called with (fold number, fold accuracy at the estimator's threshold).
    sample_weight : array or None
        Weights of the rows of ``cv_corpus`` followed by those of ``always_train``.

    Returns
    -------
    proba : ndarray of shape (len(cv_corpus), n_classes)
    classes : ndarray of str
    """
    texts = np.asarray(cv_corpus.texts, dtype=object)
    labels = np.asarray(cv_corpus.labels, dtype=object)
    groups = np.asarray(cv_corpus.groups, dtype=object)
    extra_texts = list(always_train.texts) if always_train is not None else []
    extra_labels = list(always_train.labels) if always_train is not None else []
    # The row of cv_corpus each always_train row was cut from (-1: none).
    row_of = {row_id: i for i, row_id in enumerate(cv_corpus.ids)}
    cut_from = np.array(
        [row_of.get(m.get("from"), -1) for m in always_train.meta]
        if always_train is not None
        else [],
        dtype=np.intp,
    )
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        if sample_weight.shape != (len(texts) + len(extra_texts),):
            raise ValueError(
                "sample_weight must hold one weight per row of cv_corpus then always_train "
                f"({len(texts)} + {len(extra_texts)}), got shape {sample_weight.shape}"
            )
        cv_weight, extra_weight = sample_weight[: len(texts)], sample_weight[len(texts) :]
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    proba = None
    classes = None
    for fold, (train, test) in enumerate(folds.split(texts, labels, groups)):
        in_test = np.zeros(len(texts), dtype=bool)
        in_test[test] = True
        keep = (cut_from < 0) | ~in_test[cut_from]
        fold_texts = [t for t, k in zip(extra_texts, keep) if k]
        fold_labels = [y for y, k in zip(extra_labels, keep) if k]
        fit_params = {}
        if sample_weight is not None:  # only then: any estimator without it still works
            fit_params["sample_weight"] = np.concatenate([cv_weight[train], extra_weight[keep]])
        model = clone(estimator).fit(
            list(texts[train]) + fold_texts, list(labels[train]) + fold_labels, **fit_params
        )
        fold_proba = model.predict_proba(list(texts[test]))
        if proba is None:
            classes = model.classes_
            proba = np.zeros((len(texts), len(classes)))
        elif list(model.classes_) != list(classes):
            raise ValueError("a fold saw a different label set; use fewer splits")
        proba[test] = fold_proba
        if on_fold is not None:
            predicted = model.labels_from_proba(fold_proba)
            on_fold(fold, float(np.mean(predicted == labels[test])))
    return proba, classes


def heldout_report(model, heldout: dict[str, Corpus], *, threshold: float | None = None) -> dict:
    """Evaluate a fitted model on each named held-out corpus.

    Parameters
    ----------
    model : ExtremismClassifier
    heldout : dict of str to Corpus
    threshold : float or None
        Overrides the model's threshold.

    Returns
    -------
    dict
        Name to the report of :func:`~arabic_extremism_clf.evaluate.evaluate`.
    """
    from .evaluate import evaluate

    return {
        name: evaluate(
            model, list(c.texts), list(c.labels), sources=list(c.sources), threshold=threshold
        )
        for name, c in heldout.items()
    }


def default_estimator() -> ExtremismClassifier:
    """The estimator of the default recipe (its hyper-parameters)."""
    return ExtremismClassifier(**DEFAULT_PARAMS)


@dataclass
class TrainingResult:
    """A fitted model with the figures and provenance to save with it.

    Attributes
    ----------
    model : ExtremismClassifier
    metrics : dict
        ``cross_validation`` (report on out-of-fold probabilities), ``heldout``
        (name to report), ``threshold_selection``.
    training : dict
        ``recipe`` and ``files`` (fingerprints) for the manifest and model card.
    oof : (ndarray, ndarray) or None
        Out-of-fold ``(proba, classes)`` of the cross-validation, not saved.
    """

    model: ExtremismClassifier
    metrics: dict
    training: dict
    oof: tuple | None = None

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Save the model with its manifest and model card; return the directory."""
        from .persistence import save_model

        return save_model(
            self.model, path, training=self.training, metrics=self.metrics, overwrite=overwrite
        )

    def summary(self) -> str:
        """A human-readable summary of the figures."""
        from .evaluate import format_report

        parts = []
        cv = self.metrics.get("cross_validation")
        if cv:
            parts.append("== grouped cross-validation ==\n" + format_report(cv))
        for name, report in self.metrics.get("heldout", {}).items():
            parts.append(f"== held out: {name} ==\n" + format_report(report))
        return "\n\n".join(parts)


def _fingerprints(files: list[Path]) -> list[dict]:
    from .persistence import file_fingerprint

    return [file_fingerprint(path) for path in files]


def train_files(
    estimator: ExtremismClassifier,
    corpus: Corpus,
    files: list[str | os.PathLike[str]],
    *,
    cv: int = 5,
    on_fold: Callable[[int, float], None] | None = None,
) -> TrainingResult:
    """Cross-validate then fit ``estimator`` on a user's labelled corpus.

    Parameters
    ----------
    estimator : ExtremismClassifier
    corpus : Corpus
    files : list of path
        The files ``corpus`` was read from (fingerprinted into the manifest).
    cv : int, default=5
        Grouped folds; 0 skips cross-validation.
    on_fold : callable or None

    Returns
    -------
    TrainingResult
    """
    from .evaluate import evaluate_predictions

    metrics: dict = {}
    if cv:
        proba, classes = grouped_cross_val_proba(estimator, corpus, n_splits=cv, on_fold=on_fold)
        metrics["cross_validation"] = evaluate_predictions(
            list(corpus.labels),
            proba,
            list(classes),
            flagged_label=estimator.flagged_label,
            threshold=estimator.threshold,
            sources=list(corpus.sources),
        )
    model = clone(estimator).fit(list(corpus.texts), list(corpus.labels))
    from .recipe_audit import corpus_audit

    metrics.update(corpus_audit(model, corpus))
    training = {
        "recipe": {"name": "files", "train_sizes": _sizes(corpus), "cv_folds": cv},
        "files": _fingerprints([Path(f) for f in files]),
    }
    return TrainingResult(model=model, metrics=metrics, training=training)


def train_default(
    estimator: ExtremismClassifier | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    cv: int = 5,
    on_fold: Callable[[int, float], None] | None = None,
    choose_threshold: bool = True,
    training_set: TrainingSet | None = None,
) -> TrainingResult:
    """Train with the default recipe over the shared corpora.

    Cross-validation is grouped (near-duplicates on one side) over the Alfifi tweets,
    with every other training row in every training fold. When ``choose_threshold``,
    the flagged label's threshold is the one that maximizes macro-F1 on the out-of-fold
    probabilities. The fitted model is then evaluated on every held-out set.

    Parameters
    ----------
    estimator : ExtremismClassifier or None
        Default: :func:`default_estimator`.
    data_dir : str or os.PathLike, optional
    cv : int, default=5
    on_fold : callable or None
    choose_threshold : bool, default=True
    training_set : TrainingSet or None
        Train on this set instead of building the recipe's from ``data_dir`` (e.g. the
        recipe plus a user's rows, :func:`~arabic_extremism_clf.adapt.train_adapted`).

    Returns
    -------
    TrainingResult
        With ``oof``: the out-of-fold ``(proba, classes)`` (None without CV).
    """
    from .evaluate import evaluate_predictions

    estimator = default_estimator() if estimator is None else estimator
    ts = default_training_set(data_dir) if training_set is None else training_set
    cv_ids = set(ts.cv_corpus.ids)
    others = ts.train.subset([i for i, row_id in enumerate(ts.train.ids) if row_id not in cv_ids])
    metrics: dict = {}
    if cv:
        weights = ts.weights(Corpus.concat([ts.cv_corpus, others]))
        proba, classes = grouped_cross_val_proba(
            estimator, ts.cv_corpus, others, n_splits=cv, on_fold=on_fold, sample_weight=weights
        )
        labels = list(ts.cv_corpus.labels)
        if choose_threshold:
            religious = _religious_mask(ts.cv_corpus)
            threshold, sweep = best_macro_f1_threshold(
                labels,
                proba,
                list(classes),
                estimator.flagged_label,
                guard=religious,
                max_guard_rate=MAX_RELIGIOUS_FPR,
            )
            best = threshold
            floor = ts.recipe.get("min_threshold")
            if floor is not None:  # the recipe's operating point (recipe.MIN_THRESHOLD)
                threshold = max(threshold, float(floor))
            estimator = clone(estimator).set_params(threshold=threshold)
            metrics["threshold_selection"] = {
                "method": (
                    "maximize macro-F1 on grouped out-of-fold probabilities, among thresholds "
                    "that flag at most "
                    f"{MAX_RELIGIOUS_FPR:.0%} of the religious posts among the negatives"
                    + (f"; then raised to the recipe's floor {floor}" if floor is not None else "")
                ),
                "threshold": threshold,
                "best_macro_f1_threshold": best,
                "sweep": sweep,
            }
        metrics["cross_validation"] = evaluate_predictions(
            labels,
            proba,
            list(classes),
            flagged_label=estimator.flagged_label,
            threshold=estimator.threshold,
            sources=list(ts.cv_corpus.sources),
        )
    model = clone(estimator).fit(
        list(ts.train.texts), list(ts.train.labels), sample_weight=ts.weights(ts.train)
    )
    metrics["heldout"] = heldout_report(model, ts.heldout)
    if cv:
        metrics["ranking"] = _ranking_auc(model, ts, proba, classes)
    from .recipe_audit import recipe_audit

    metrics.update(recipe_audit(model, ts, (proba, classes) if cv else None))
    training = {"recipe": ts.recipe, "files": _fingerprints(ts.files)}
    oof = (proba, classes) if cv else None
    return TrainingResult(model=model, metrics=metrics, training=training, oof=oof)


def best_macro_f1_threshold(
    labels: list[str],
    proba: np.ndarray,
    classes: list[str],
    flagged_label: str,
    *,
    guard: np.ndarray | None = None,
    max_guard_rate: float = 1.0,
) -> tuple[float, list[dict]]:
    """The flagged label's threshold (on a 0.05 grid) with the best macro-F1.

    Ties go to the higher threshold (fewer flags). With ``guard``, only thresholds
    that flag at most ``max_guard_rate`` of the guarded negatives are eligible (the
    default recipe guards the religious posts among the negatives: over-flagging
    ordinary religious speech is the failure this library must avoid).

    Parameters
    ----------
    labels : list of str
    proba : ndarray of shape (n_posts, n_classes)
    classes : list of str
    flagged_label : str
    guard : ndarray of bool or None
        Rows whose negatives' flag rate is capped.
    max_guard_rate : float, default=1.0

    Returns
    -------
    threshold : float
    sweep : list of dict
        ``{"threshold", "macro_f1", "guard_flag_rate"}`` for every grid point.
    """
    from sklearn.metrics import f1_score

    column = list(classes).index(flagged_label)
    names = np.asarray(classes, dtype=object)
    guarded = None
    if guard is not None:
        guarded = np.asarray(guard, dtype=bool) & (
            np.asarray(labels, dtype=object) != flagged_label
        )
    sweep = []
    for threshold in np.round(np.arange(0.05, 0.951, 0.05), 2):
        indices = label_indices(proba, column, float(threshold))
        flagged = indices == column
        predicted = names[indices]
        row = {
            "threshold": float(threshold),
            "macro_f1": float(f1_score(labels, predicted, average="macro")),
            "guard_flag_rate": float(flagged[guarded].mean())
            if guarded is not None and guarded.any()
            else None,
        }
        sweep.append(row)
    eligible = [
        r for r in sweep if r["guard_flag_rate"] is None or r["guard_flag_rate"] <= max_guard_rate
    ]
    best = max(eligible or sweep, key=lambda row: (round(row["macro_f1"], 6), row["threshold"]))
    return best["threshold"], sweep


def _ranking_auc(model, ts: TrainingSet, oof_proba: np.ndarray, classes) -> dict:
    """ROC-AUC of pro-ISIS posts against news and counter-speech from other sources.

    Positives: the out-of-fold scores of the Alfifi positives (never seen by the model
    that scored them). Negatives: the final model's scores on each held-out set of
    news and counter-speech (never trained on). Mixing fold models and the final model
    is an approximation: they share recipe and hyper-parameters.
    """
    from sklearn.metrics import roc_auc_score

    flagged = list(classes).index(model.flagged_label)
    positives = oof_proba[np.asarray(ts.cv_corpus.labels) == model.flagged_label, flagged]
    out = {}
    for name in (
        "news_isis_heldout_days",
        "asnd_dev",
        "functional",
        "offensive_hate_dangerous_heldout",
    ):
        negatives = model.predict_proba(list(ts.heldout[name].texts))[:, flagged]
        scores = np.concatenate([positives, negatives])
        truth = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
        out[name] = {
            "roc_auc": float(roc_auc_score(truth, scores)),
            "n_positive": int(len(positives)),
            "n_negative": int(len(negatives)),
        }
    return out
