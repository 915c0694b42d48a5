"""The default recipe plus a user's labelled rows.

A user's rows are read like any labelled file (:func:`~arabic_extremism_clf.corpus.read_corpus`:
CSV, TSV or JSON Lines with ``text`` and ``label`` columns). Their labels must be labels
of the default recipe (:data:`~arabic_extremism_clf.corpus.PROMOTIONAL` and
:data:`~arabic_extremism_clf.corpus.NOT_PROMOTIONAL`). Each user row weighs
``weight`` in the linear model's loss (an Alfifi positive weighs 1, see
:data:`~arabic_extremism_clf.training.DEFAULT_WEIGHTS`); a recipe row whose normalized
text equals a user row's is dropped, so the user's label wins.

What is recorded (manifest ``training.user_rows`` and the model card): per file its name,
size, SHA-256 and counts per label, the total counts, the number of recipe rows
overridden and the weight. Never a text.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus, read_corpus
from ..errors import CorpusError
from ..model import ExtremismClassifier
from ..preprocess import normalize
from ..training import (
    DEFAULT_RECIPE,
    TrainingResult,
    TrainingSet,
    default_estimator,
    default_training_set,
    recipe_weights,
    train_default,
)

__all__ = [
    "DEFAULT_USER_WEIGHT",
    "USER_SOURCE_PREFIX",
    "AdaptedTrainingSet",
    "adapted_training_set",
    "read_user_rows",
    "train_adapted",
]

logger = logging.getLogger(__name__)

#: Sample weight of each user row (chosen by ``benchmarks/adaptation.py``, see the README,
#: "Adapting to your platform").
DEFAULT_USER_WEIGHT = 10.0
#: Prefix of the ``sources`` of user rows (then the file stem).
USER_SOURCE_PREFIX = "user:"
#: The labels of the default recipe, which user rows must use.
RECIPE_LABELS = (NOT_PROMOTIONAL, PROMOTIONAL)


@dataclass(frozen=True)
class AdaptedTrainingSet(TrainingSet):
    """A :class:`~arabic_extremism_clf.training.TrainingSet` with user rows in ``train``.

    Attributes
    ----------
    user_weight : float
        Sample weight of each user row (rows whose source starts with
        :data:`USER_SOURCE_PREFIX`); the recipe rows keep the recipe's weights.
    user_rows : dict
        What was added, as recorded in the manifest (no text).
    """

    user_weight: float = DEFAULT_USER_WEIGHT
    user_rows: dict | None = None

    def weights(self, corpus: Corpus) -> np.ndarray:
        """Sample weights of the rows of ``corpus`` (a part of ``train``)."""
        is_user = np.array([s.startswith(USER_SOURCE_PREFIX) for s in corpus.sources], dtype=bool)
        out = np.full(len(corpus), float(self.user_weight))
        recipe = recipe_weights(corpus.subset(~is_user), self.recipe.get("weights"))
        out[~is_user] = 1.0 if recipe is None else recipe
        return out


def _check_weight(weight: object) -> float:
    if (
        isinstance(weight, bool)
        or not isinstance(weight, (int, float))
        or not np.isfinite(weight)
        or weight <= 0
    ):
        raise ValueError(f"weight must be a positive number, got {weight!r}")
    return float(weight)


def read_user_rows(
    files: Sequence[str | os.PathLike[str]],
    *,
    labels: Sequence[str] = RECIPE_LABELS,
    text_col: str = "text",
    label_col: str = "label",
    format: str | None = None,
) -> tuple[Corpus, list[dict]]:
    """Read a user's labelled files and check them against a label set.

    Parameters
    ----------
    files : sequence of path
        CSV, TSV or JSON Lines files (see :func:`~arabic_extremism_clf.corpus.read_corpus`);
        one file may hold a single label.
    labels : sequence of str, default (not_promotional, promotional)
        The labels the rows may have.
    text_col, label_col : str
    format : {"csv", "tsv", "jsonl"} or None
        Default: from each file's suffix.

    Returns
    -------
    corpus : Corpus
        All rows; ``sources`` are ``"user:<file stem>"``, ids ``"user:<file id>"``.
    files : list of dict
        Per file: ``path`` (the name), ``sha256``, ``bytes``, ``rows`` and ``labels``
        (counts per label).

    Raises
    ------
    CorpusError
        If a file cannot be read, a label is not in ``labels`` (naming the file and
        the line), or two rows with the same normalized text have different labels.
    """
    from ..persistence import file_fingerprint

    if isinstance(files, (str, os.PathLike)):
        raise TypeError("files must be a sequence of paths, not one path: wrap it in a list")
    if not files:
        raise ValueError("files must name at least one labelled file")
    allowed = [str(label) for label in labels]
    corpora, summaries = [], []
    seen: dict[str, tuple[str, str, int]] = {}  # normalized text -> (label, file, line)
    for path in map(Path, files):
        corpus = read_corpus(
            path, text_col=text_col, label_col=label_col, format=format, min_labels=1
        )
        for text, label, meta in zip(corpus.texts, corpus.labels, corpus.meta):
            if label not in allowed:
                raise CorpusError(
                    f"label {label!r} is not a label of the model: use one of "
                    f"{', '.join(map(repr, allowed))} (check {label_col!r})",
                    path=str(path),
                    line=meta["line"],
                    column=label_col,
                )
            key = normalize(text)
            first = seen.setdefault(key, (label, path.name, meta["line"]))
            if first[0] != label:
                raise CorpusError(
                    f"this post is labelled {label!r} but the same post (after normalization) "
                    f"is labelled {first[0]!r} in {first[1]} line {first[2]}: keep one label",
                    path=str(path),
                    line=meta["line"],
                    column=label_col,
                )
        source = USER_SOURCE_PREFIX + path.stem
        ids = tuple(USER_SOURCE_PREFIX + i for i in corpus.ids)
        corpora.append(replace(corpus, sources=(source,) * len(corpus), ids=ids, groups=ids))
        fingerprint = file_fingerprint(path)
        summaries.append(
            {
                **{k: fingerprint[k] for k in ("path", "sha256", "bytes")},
                "rows": len(corpus),
                "labels": dict(sorted(Counter(corpus.labels).items())),
            }
        )
    return Corpus.concat(corpora), summaries


def adapted_training_set(
    training_set: TrainingSet,
    user: Corpus,
    *,
    weight: float = DEFAULT_USER_WEIGHT,
    files: list[dict] | None = None,
) -> AdaptedTrainingSet:
    """A recipe's training set with user rows added, overriding same-text recipe rows.

    Parameters
    ----------
    training_set : TrainingSet
        E.g. :func:`~arabic_extremism_clf.training.default_training_set`.
    user : Corpus
        The user rows (see :func:`read_user_rows`); their sources should start with
        :data:`USER_SOURCE_PREFIX` (those that do not are given it).
    weight : float, default=DEFAULT_USER_WEIGHT
        Sample weight of each user row.
    files : list of dict or None
        The file summaries of :func:`read_user_rows`, recorded in ``user_rows``.

    Returns
    -------
    AdaptedTrainingSet
        ``train``: the recipe rows whose normalized text is not a user row's, then the
        user rows; ``cv_corpus`` loses the same rows; ``heldout`` is unchanged.
    """
    weight = _check_weight(weight)
    if not len(user):
        raise ValueError("user has no rows: nothing to add to the recipe")
    sources = tuple(
        s if s.startswith(USER_SOURCE_PREFIX) else USER_SOURCE_PREFIX + s for s in user.sources
    )
    user = replace(user, sources=sources)
    user_keys = {normalize(t) for t in user.texts}
    train = training_set.train
    keep = np.array([normalize(t) not in user_keys for t in train.texts], dtype=bool)
    dropped = train.subset(~keep)
    kept_ids = set(np.asarray(train.ids, dtype=object)[keep].tolist())
    cv_corpus = training_set.cv_corpus
    cv_corpus = cv_corpus.subset(
        [i for i, row_id in enumerate(cv_corpus.ids) if row_id in kept_ids]
    )
    merged = Corpus.concat([train.subset(keep), user])
    summary = {
        "weight": weight,
        "rows": len(user),
        "labels": dict(sorted(Counter(user.labels).items())),
        "files": list(files or []),
        "overridden_recipe_rows": len(dropped),
        "overridden_by_source": dict(sorted(Counter(dropped.sources).items())),
    }
    recipe = {
        **training_set.recipe,
        "train_sizes": _sizes(merged),
        "user_rows": {
            k: summary[k] for k in ("weight", "rows", "labels", "overridden_recipe_rows")
        },
    }
    logger.info(
        "added %d user rows (%s) with weight %g; %d recipe rows overridden",
        len(user),
        summary["labels"],
        weight,
        len(dropped),
    )
    return AdaptedTrainingSet(
        train=merged,
        cv_corpus=cv_corpus,
        heldout=training_set.heldout,
        files=list(training_set.files),
        recipe=recipe,
        user_weight=weight,
        user_rows=summary,
    )


def _sizes(corpus: Corpus) -> dict[str, dict[str, int]]:
    sizes: dict[str, dict[str, int]] = {}
    for (source, label), n in Counter(zip(corpus.sources, corpus.labels)).items():
        sizes.setdefault(source, {})[label] = n
    return sizes


def recipe_threshold() -> float | None:
    """The threshold of the shipped default model when it was trained with the current
    default recipe (chosen there on grouped cross-validation); None otherwise."""
    from ..errors import ModelFileError
    from ..persistence import default_model_path, read_manifest

    try:
        manifest = read_manifest(default_model_path())
    except (ModelFileError, OSError) as exc:
        logger.warning("no shipped default model to take the threshold from: %s", exc)
        return None
    recipe = (manifest.get("training") or {}).get("recipe") or {}
    if recipe.get("name") != DEFAULT_RECIPE:
        return None
    return float(manifest["threshold"])


def train_adapted(
    files: Sequence[str | os.PathLike[str]],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    weight: float = DEFAULT_USER_WEIGHT,
    estimator: ExtremismClassifier | None = None,
    cv: int = 0,
    threshold: float | None = None,
    text_col: str = "text",
    label_col: str = "label",
    format: str | None = None,
    on_fold: Callable[[int, float], None] | None = None,
    training_set: TrainingSet | None = None,
) -> TrainingResult:
    """Train the default recipe plus a user's labelled files.

    Parameters
    ----------
    files : sequence of path
        The user's labelled CSV, TSV or JSON Lines files (see :func:`read_user_rows`).
    data_dir : str or os.PathLike, optional
        The shared data directory (default: ``AECLF_DATA_DIR``).
    weight : float, default=DEFAULT_USER_WEIGHT
        Sample weight of each user row.
    estimator : ExtremismClassifier or None
        Default: :func:`~arabic_extremism_clf.training.default_estimator`.
    cv : int, default=0
        Grouped cross-validation folds over the Alfifi tweets, as in
        :func:`~arabic_extremism_clf.training.train_default` (the user rows in every
        training fold), which also choose the threshold; minutes. 0 (the default) skips
        it: the model is fitted once (calibration included) and evaluated on the held-out
        sets, in about a minute.
    threshold : float or None
        With ``cv=0``: the threshold of the model. Default: the shipped default model's
        threshold when it was trained with the same recipe (else the estimator's).
        Choose one for the platform with :func:`threshold_for_target`.
    text_col, label_col, format
        How to read ``files``.
    on_fold : callable or None
    training_set : TrainingSet or None
        The recipe's training set, if already built (default: built from ``data_dir``).

    Returns
    -------
    TrainingResult
        ``training["user_rows"]`` records the files (name, size, SHA-256, counts per
        label), the weight and the overridden rows; ``training["files"]`` also lists
        the user files.
    """
    user, summaries = read_user_rows(files, text_col=text_col, label_col=label_col, format=format)
    base = default_training_set(data_dir) if training_set is None else training_set
    ts = adapted_training_set(base, user, weight=weight, files=summaries)
    estimator = default_estimator() if estimator is None else estimator
    metrics_note = None
    if not cv:
        chosen = threshold if threshold is not None else recipe_threshold()
        if chosen is not None:
            estimator = estimator.set_params(threshold=chosen)
            metrics_note = (
                "given as threshold="
                if threshold is not None
                else f"the threshold of the shipped default model (recipe {DEFAULT_RECIPE}, chosen on its "
                "grouped cross-validation); no cross-validation was run with the added rows"
            )
    elif threshold is not None:
        estimator = estimator.set_params(threshold=threshold)
    result = train_default(
        estimator, cv=cv, on_fold=on_fold, choose_threshold=threshold is None, training_set=ts
    )
    result.training["files"] = list(result.training.get("files", [])) + [
        {
            **{k: f[k] for k in ("path", "sha256", "bytes")},
            "licence": "supplied by the user",
            "source": "the user's labelled rows (training.user_rows)",
        }
        for f in summaries
    ]
    result.training["user_rows"] = ts.user_rows
    if metrics_note is not None:
        result.metrics["threshold_selection"] = {
            "method": metrics_note if threshold is None else f"given as threshold={threshold:g}",
            "threshold": float(result.model.threshold),
        }
    return result
