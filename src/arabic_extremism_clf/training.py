"""Training recipes over the shared public corpora, and grouped cross-validation.

The default recipe (:data:`DEFAULT_RECIPE`) builds the training set of the shipped
model and the held-out sets it is judged on:

* positives: the 1,000 tweets of pro-ISIS accounts (Alfifi et al.);
* negatives: the 1,000 other Alfifi tweets (their religious posts included), news about
  ISIS from SaudiNewsNet cut to post length (title plus lead) and as sentence-level
  snippets (reporting and counter-extremism commentary), sentence snippets of other
  SaudiNewsNet articles (everyday news, religious pages), the ASND news posts (train
  split), samples of the offensive, hate and dangerous-speech tweets, the sectarian and
  religious hate tweets of Aref et al. 2020 (all but a grouped held-out part: sectarian
  hostility is not promotion of a group) and short fragments (one to three tokens) cut
  from the other negatives (one ordinary word is not evidence);
* held out, never trained on: SaudiNewsNet articles of the last :data:`HELDOUT_DAYS`
  days, the ASND dev split, the rest of the offensive/hate/dangerous tweets and the
  OSACT dev splits, the held-out part of the sectarian tweets, HateCheck's Arabic cases
  and the project's functional table (:mod:`arabic_extremism_clf.functional`).

Sampling is seeded: the same data gives the same training set and the same model.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from . import corpus as C
from .corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from .hard_negatives import grouped_holdout, ordinary_posts
from .hard_negatives import short_fragments as _short_fragments
from .model import ExtremismClassifier
from .preprocess import normalize

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

#: Name of the default recipe.
DEFAULT_RECIPE = "default-v3"
#: SaudiNewsNet days (the last ones) held out from training.
HELDOUT_DAYS = 3
#: Sample sizes of the default recipe.
SAMPLES = {
    "saudinewsnet_isis_sentences": 20_000,
    "saudinewsnet_other_sentences": 6_000,
    "osact2020": 3_000,
    "osact2022": 3_000,
    "l-hsab": 2_000,
    "dangerous-speech": 2_000,
    "short_fragments": 6_000,
}
#: Share of the sectarian tweets' groups (Aref et al. 2020) held out from training.
SECTARIAN_HELDOUT_FRACTION = 0.3
#: Held-out corpora whose rows are ordinary traffic (source to the original labels kept,
#: None: all): the pool the ordinary false-positive rate and the shortcut audit use.
ORDINARY_SOURCES: dict = {
    "asnd": None,
    "saudinewsnet-other": None,
    "osact2020": None,
    "l-hsab": {"normal"},
}
SEED = 20150721
#: Highest out-of-fold flag rate on the religious Alfifi negatives that the default
#: recipe's threshold may have.
MAX_RELIGIOUS_FPR = 0.02
#: Whether the default recipe trains on the project's authored hard negatives.
USE_AUTHORED_NEGATIVES = True
#: Hyper-parameters of the default recipe's estimator: a linear SVM, Platt-calibrated.
#: Against logistic regression (C=10) under the same weights and threshold rule it gave
#: a higher and steadier grouped CV macro-F1 over three fold seeds and fewer held-out
#: false positives (BENCHMARKS.md, "Recipe selection").
DEFAULT_PARAMS: dict = {"C": 1.0, "loss": "squared_hinge"}


@dataclass(frozen=True)
class TrainingSet:
    """A training corpus, the held-out corpora and what was used to make them.

    Attributes
    ----------
    train : Corpus
        What the model is fitted on.
    cv_corpus : Corpus
        The part of ``train`` that cross-validation splits (the Alfifi tweets); the rest
        of ``train`` is in every training fold.
    heldout : dict of str to Corpus
        Named evaluation sets that are never trained on.
    files : list of Path
        Every data file read (for fingerprints).
    recipe : dict
        A JSON-ready description of the recipe.
    """

    train: Corpus
    cv_corpus: Corpus
    heldout: dict[str, Corpus]
    files: list[Path] = field(default_factory=list)
    recipe: dict = field(default_factory=dict)

    def weights(self, corpus: Corpus) -> np.ndarray | None:
        """Sample weights of the rows of ``corpus`` (a part of ``train``) by the recipe."""
        return recipe_weights(corpus, self.recipe.get("weights"))


def _sample(corpus: Corpus, n: int, rng: np.random.Generator) -> tuple[Corpus, Corpus]:
    """Split ``corpus`` into a seeded sample of ``n`` rows and the rest."""
    order = rng.permutation(len(corpus))
    return corpus.subset(np.sort(order[:n])), corpus.subset(np.sort(order[n:]))


def _by_date(corpus: Corpus, dates: set[str]) -> tuple[Corpus, Corpus]:
    inside = np.array([m["date"] in dates for m in corpus.meta], dtype=bool)
    return corpus.subset(~inside), corpus.subset(inside)


def _files(root: Path) -> list[Path]:
    names = [
        "alfifi-isis-2000/alfifi_isis_eval_2000.csv",
        "saudinewsnet/isis_mention_articles.jsonl",
        "asnd/sm_news_ar_trn.csv",
        "asnd/sm_news_ar_dev.csv",
        "osact2020/OSACT2020-sharedTask-train.txt",
        "osact2020/OSACT2020-sharedTask-dev.txt",
        "osact2022/train_data2022.csv",
        "osact2022/dev_data2022.csv",
        "l-hsab/L-HSAB",
        "dangerous-speech/Dangerous_Dataset.tsv",
        "hatecheck-ar/hatecheck_cases_final_arabic.csv",
        "religious-hate-aref2020/aref2020_religious_hate_half_a.csv",
    ]
    files = [root / name for name in names]
    files.extend(sorted((root / "saudinewsnet").glob("*.zip")))
    return files


def authored_corpus() -> Corpus:
    """The project's authored training negatives (:mod:`arabic_extremism_clf.authored_negatives`)."""
    from .authored_negatives import POSTS

    n = len(POSTS)
    return Corpus(
        texts=tuple(post.text for post in POSTS),
        labels=(NOT_PROMOTIONAL,) * n,
        sources=("authored",) * n,
        groups=tuple(f"authored:{i}" for i in range(n)),
        ids=tuple(f"authored-{i}" for i in range(n)),
        meta=tuple({"category": post.category} for post in POSTS),
    )


def functional_corpus() -> Corpus:
    """The project's functional table of news, counter-speech and religious lines."""
    from .functional import CASES

    n = len(CASES)
    return Corpus(
        texts=tuple(case.text for case in CASES),
        labels=tuple(case.expected for case in CASES),
        sources=("functional",) * n,
        groups=tuple(f"functional:{i}" for i in range(n)),
        ids=tuple(f"functional-{i}" for i in range(n)),
        meta=tuple({"functionality": case.functionality} for case in CASES),
    )


#: Words whose every news use is a negative worth having: the vocabulary that reporting,
#: counter-speech and everyday religion share with propaganda (matched on normalized text).
LOADED_TERMS = re.compile(
    r"خلاف|خليف|جهاد|مجاهد|شهيد|شهداء|استشهاد|الدوله الاسلاميه|الامه الاسلاميه|\bالجنه\b"
    r"|كفار|\bبيعه\b|داعش|\bالدوله\b|تنظيم|ارهاب|متطرف|\bالله\b"
)


def _religious_mask(corpus: Corpus) -> np.ndarray:
    """Rows tagged religious (the Alfifi "Religion and Spirituality" taxonomy tag)."""
    return np.array([bool(m.get("religious")) for m in corpus.meta], dtype=bool)


def _loaded_mask(corpus: Corpus) -> np.ndarray:
    """Rows whose normalized text contains one of :data:`LOADED_TERMS`."""
    return np.array([bool(LOADED_TERMS.search(normalize(t))) for t in corpus.texts], dtype=bool)


#: Sample weights of the default recipe. The 1,000 positives weigh 1 each (times the
#: balanced class weight); ``cv_negative``: each Alfifi negative (the in-distribution
#: negatives); ``cv_religious_negative``: each Alfifi negative whose taxonomy tag is
#: "Religion and Spirituality" (ordinary religious tweets: the posts this library must
#: not flag); ``hard``: each other negative that contains a :data:`LOADED_TERMS` word
#: (reporting, counter-speech, religion: the negatives that matter most); the other
#: negatives share ``rest_total`` between them, so that their sheer number does not
#: drown the rest. ``sectarian``: each sectarian tweet of Aref et al. 2020 (hard negatives
#: that share their words with propaganda); ``short_total``: shared by the short
#: fragments (:func:`~arabic_extremism_clf.hard_negatives.short_fragments`).
DEFAULT_WEIGHTS = {
    "cv_negative": 5.0,
    "cv_religious_negative": 40.0,
    "hard": 0.7,
    "rest_total": 2000.0,
    "sectarian": 1.0,
    "short_total": 2000.0,
}
#: Source names of the sectarian tweets and of the short fragments in the training set.
SECTARIAN_SOURCE = "religious-hate-aref2020"
FRAGMENT_SOURCE = "short-fragments"


def recipe_weights(corpus: Corpus, weights: dict | None) -> np.ndarray | None:
    """Per-row sample weights of a recipe (None: all rows weigh 1).

    Parameters
    ----------
    corpus : Corpus
        Rows of a recipe's training set; Alfifi rows are recognised by their source.
    weights : dict or None
        ``{"cv_negative", "cv_religious_negative", "hard", "rest_total", "sectarian",
        "short_total"}`` as in :data:`DEFAULT_WEIGHTS`; ``cv_religious_negative`` may be
        left out (then the religious Alfifi negatives weigh ``cv_negative``), and so may
        ``sectarian`` and ``short_total`` (then those rows are weighed as the others).

    Returns
    -------
    ndarray of float or None
    """
    if not weights:
        return None
    sources = np.asarray(corpus.sources, dtype=object)
    labels = np.asarray(corpus.labels, dtype=object)
    in_cv = sources == "alfifi"
    negative = labels != PROMOTIONAL
    own = np.zeros(len(corpus), dtype=bool)  # sources with a weight of their own
    if "sectarian" in weights:
        own |= sources == SECTARIAN_SOURCE
    if "short_total" in weights:
        own |= sources == FRAGMENT_SOURCE
    hard = ~in_cv & negative & ~own & (_loaded_mask(corpus) | (sources == "authored"))
    rest = ~in_cv & negative & ~hard & ~own
    out = np.ones(len(corpus))
    out[in_cv & (labels != PROMOTIONAL)] = weights["cv_negative"]
    if "cv_religious_negative" in weights:
        out[in_cv & _religious_mask(corpus) & (labels != PROMOTIONAL)] = weights["cv_religious_negative"]
    out[hard] = weights["hard"]
    if rest.any():
        out[rest] = weights["rest_total"] / rest.sum()
    if "sectarian" in weights:
        out[negative & (sources == SECTARIAN_SOURCE)] = weights["sectarian"]
    fragments = negative & (sources == FRAGMENT_SOURCE)
    if "short_total" in weights and fragments.any():
        out[fragments] = weights["short_total"] / fragments.sum()
    return out


def _relabel_source(corpus: Corpus, source: str) -> Corpus:
    return Corpus(
        texts=corpus.texts,
        labels=corpus.labels,
        sources=(source,) * len(corpus),
        groups=corpus.groups,
        ids=corpus.ids,
        meta=corpus.meta,
    )


def default_training_set(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    sectarian_negatives: bool = True,
    short_fragments: int | None = None,
) -> TrainingSet:
    """Build the training and held-out sets of the default recipe.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: ``AECLF_DATA_DIR``).
    sectarian_negatives : bool, default=True
        Train on the sectarian tweets (all but their held-out part). False gives the
        training set of recipe default-v2 (with ``short_fragments=0``), for comparisons;
        the held-out sets are the same either way.
    short_fragments : int or None
        How many short fragments to train on (default ``SAMPLES["short_fragments"]``).

    Returns
    -------
    TrainingSet
    """
    root = C.data_dir(data_dir)
    rng = np.random.default_rng(SEED)
    alfifi = C.load_alfifi(root)

    dates = C.saudinewsnet_dates(root)
    heldout_dates = set(dates[-HELDOUT_DAYS:])
    news_lead_train, news_lead_test = _by_date(C.load_saudinewsnet(root, kind="lead"), heldout_dates)
    news_sent_train, news_sent_test = _by_date(
        C.load_saudinewsnet(root, kind="sentences"), heldout_dates
    )
    news_sent_train, _ = _sample(news_sent_train, SAMPLES["saudinewsnet_isis_sentences"], rng)
    isis_urls = {m["url"] for m in C.load_saudinewsnet(root, kind="lead").meta}
    other = C.load_saudinewsnet(root, kind="sentences", isis_only=False)
    keep = np.array([m["url"] not in isis_urls for m in other.meta], dtype=bool)
    other_train, other_test = _by_date(other.subset(keep), heldout_dates)
    loaded = _loaded_mask(other_train)
    other_loaded = other_train.subset(loaded)
    other_train, _ = _sample(other_train.subset(~loaded), SAMPLES["saudinewsnet_other_sentences"], rng)
    other_train = Corpus.concat([other_loaded, other_train])
    other_test, _ = _sample(other_test, 3_000, rng)
    other_train = _relabel_source(other_train, "saudinewsnet-other")
    other_test = _relabel_source(other_test, "saudinewsnet-other")

    asnd_train = C.load_asnd(root, "train")
    offensive_train, offensive_test = [], []
    for name, loaded in (
        ("osact2020", C.load_osact2020(root, "train")),
        ("osact2022", C.load_osact2022(root, "train")),
        ("l-hsab", C.load_lhsab(root)),
        ("dangerous-speech", C.load_dangerous_speech(root)),
    ):
        sample, rest = _sample(loaded, SAMPLES[name], rng)
        offensive_train.append(sample)
        offensive_test.append(rest)
    offensive_test += [C.load_osact2020(root, "dev"), C.load_osact2022(root, "dev")]

    parts = [news_lead_train, news_sent_train, other_train, asnd_train, *offensive_train]
    if USE_AUTHORED_NEGATIVES:
        parts.append(authored_corpus())
    # New parts draw from their own generator: the samples above (and so the held-out
    # rows of the corpora they come from) stay those of the earlier recipes.
    extra_rng = np.random.default_rng(SEED + 1)
    sectarian_train, sectarian_test = grouped_holdout(
        C.load_religious_hate(root), SECTARIAN_HELDOUT_FRACTION, salt=str(SEED)
    )
    n_fragments = SAMPLES["short_fragments"] if short_fragments is None else short_fragments
    fragments = _short_fragments(Corpus.concat(parts), n_fragments, extra_rng, source=FRAGMENT_SOURCE)
    others = Corpus.concat([*parts, *([sectarian_train] if sectarian_negatives else []), fragments])
    train = Corpus.concat([alfifi, others])
    offensive_heldout = Corpus.concat(offensive_test)
    heldout = {
        "news_isis_heldout_days": Corpus.concat([news_lead_test, news_sent_test]),
        "news_isis_heldout_days_lead": news_lead_test,
        "news_other_heldout_days": other_test,
        "asnd_dev": C.load_asnd(root, "dev"),
        "offensive_hate_dangerous_heldout": offensive_heldout,
        "sectarian_heldout": sectarian_test,
        "ordinary_heldout": Corpus.concat(
            [ordinary_posts(c, ORDINARY_SOURCES) for c in (
                C.load_asnd(root, "dev"), other_test, offensive_heldout)]
        ),
        "hatecheck": C.load_hatecheck(root),
        "functional": functional_corpus(),
    }
    standard = sectarian_negatives and n_fragments == SAMPLES["short_fragments"]
    recipe = {
        "name": DEFAULT_RECIPE if standard else f"{DEFAULT_RECIPE}-variant",
        "sectarian_negatives": sectarian_negatives,
        "seed": SEED,
        "heldout_dates": sorted(heldout_dates),
        "samples": {**SAMPLES, "short_fragments": n_fragments},
        "weights": dict(DEFAULT_WEIGHTS),
        "authored_negatives": USE_AUTHORED_NEGATIVES,
        "sectarian_heldout_fraction": SECTARIAN_HELDOUT_FRACTION,
        "train_sizes": _sizes(train),
        "heldout_sizes": {name: len(c) for name, c in heldout.items()},
        "description": "\n\n".join(__doc__.split("\n\n")[1:4]).strip(),
    }
    logger.info("default recipe: %d training posts (%s)", len(train), recipe["train_sizes"])
    return TrainingSet(
        train=train,
        cv_corpus=alfifi,
        heldout=heldout,
        files=[f for f in _files(root) if f.exists()],
        recipe=recipe,
    )


def _sizes(corpus: Corpus) -> dict[str, dict[str, int]]:
    sizes: dict[str, dict[str, int]] = {}
    for source, label in zip(corpus.sources, corpus.labels):
        sizes.setdefault(source, {}).setdefault(label, 0)
        sizes[source][label] += 1
    return sizes


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
    ``cv_corpus.groups``; every row of ``always_train`` is added to every training fold.

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
        fit_params = {}
        if sample_weight is not None:  # only then: any estimator without it still works
            fit_params["sample_weight"] = np.concatenate([cv_weight[train], extra_weight])
        model = clone(estimator).fit(
            list(texts[train]) + extra_texts, list(labels[train]) + extra_labels, **fit_params
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
        name: evaluate(model, list(c.texts), list(c.labels), sources=list(c.sources), threshold=threshold)
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
            list(corpus.labels), proba, list(classes),
            flagged_label=estimator.flagged_label, threshold=estimator.threshold,
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
        Default: :func:`default_training_set` of ``data_dir``.

    Returns
    -------
    TrainingResult
        Its ``metrics`` keep the out-of-fold probabilities out of the manifest; they are
        in ``oof`` (``(proba, classes)``, or None without cross-validation).
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
                labels, proba, list(classes), estimator.flagged_label,
                guard=religious, max_guard_rate=MAX_RELIGIOUS_FPR,
            )
            estimator = clone(estimator).set_params(threshold=threshold)
            metrics["threshold_selection"] = {
                "method": (
                    "maximize macro-F1 on grouped out-of-fold probabilities, among thresholds "
                    "that flag at most "
                    f"{MAX_RELIGIOUS_FPR:.0%} of the religious posts among the negatives"
                ),
                "threshold": threshold,
                "sweep": sweep,
            }
        metrics["cross_validation"] = evaluate_predictions(
            labels, proba, list(classes), flagged_label=estimator.flagged_label,
            threshold=estimator.threshold, sources=list(ts.cv_corpus.sources),
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
    result = TrainingResult(model=model, metrics=metrics, training=training)
    result.oof = (proba, classes) if cv else None
    return result


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
    others = proba.copy()
    others[:, column] = -1.0
    fallback = np.asarray(classes, dtype=object)[np.argmax(others, axis=1)]
    guarded = None
    if guard is not None:
        guarded = np.asarray(guard, dtype=bool) & (np.asarray(labels, dtype=object) != flagged_label)
    sweep = []
    for threshold in np.round(np.arange(0.05, 0.951, 0.05), 2):
        flagged = proba[:, column] >= threshold
        predicted = np.where(flagged, flagged_label, fallback)
        row = {
            "threshold": float(threshold),
            "macro_f1": float(f1_score(labels, predicted, average="macro")),
            "guard_flag_rate": float(flagged[guarded].mean()) if guarded is not None and guarded.any() else None,
        }
        sweep.append(row)
    eligible = [r for r in sweep if r["guard_flag_rate"] is None or r["guard_flag_rate"] <= max_guard_rate]
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
    for name in ("news_isis_heldout_days", "asnd_dev", "functional", "offensive_hate_dangerous_heldout"):
        negatives = model.predict_proba(list(ts.heldout[name].texts))[:, flagged]
        scores = np.concatenate([positives, negatives])
        truth = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
        out[name] = {
            "roc_auc": float(roc_auc_score(truth, scores)),
            "n_positive": int(len(positives)),
            "n_negative": int(len(negatives)),
        }
    return out
