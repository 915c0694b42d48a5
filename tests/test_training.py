"""Unit tests of the training mechanics: recipe weights, threshold choice, grouped CV.

Mechanics only, on neutral toy posts (sport, weather, cooking); the end-to-end test that
retrains on the real corpora lives elsewhere. Where a rule depends on the loaded
vocabulary (:data:`~arabic_extremism_clf.training.LOADED_TERMS`), the posts use its
everyday words in neutral sentences ("God bless the team", "organising the match").
"""

from __future__ import annotations

import csv
import hashlib
import json
from typing import ClassVar

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus, read_corpus
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.training import (
    TrainingResult,
    TrainingSet,
    _loaded_mask,
    authored_corpus,
    best_macro_f1_threshold,
    functional_corpus,
    grouped_cross_val_proba,
    recipe_weights,
    train_files,
)

FAST = {"min_df": 1, "calibration_cv": 2}
#: The threshold grid of :func:`best_macro_f1_threshold`.
GRID = [round(0.05 * k, 2) for k in range(1, 20)]


def _corpus(rows: list[tuple[str, str, str, dict]]) -> Corpus:
    """A corpus from ``(text, label, source, meta)`` rows, one group per row."""
    return Corpus(
        texts=tuple(r[0] for r in rows),
        labels=tuple(r[1] for r in rows),
        sources=tuple(r[2] for r in rows),
        groups=tuple(f"g{i}" for i in range(len(rows))),
        ids=tuple(f"row-{i}" for i in range(len(rows))),
        meta=tuple(r[3] for r in rows),
    )


# -- the loaded vocabulary ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "loaded"),
    [
        ("بارك الله في الفريق", True),  # God bless the team
        ("اللّهُ أكبر على هذا الهدف", True),  # diacritics are normalized away
        ("تنظيم المباراة في الملعب", True),  # organising the match
        ("الدولة تبني ملعبا جديدا", True),  # the state builds a stadium (ة -> ه)
        ("عبدالله سجل هدفا", False),  # a name: الله inside a word does not count
        ("اللاعب سجل هدفا رائعا", False),
        ("طقس ممطر اليوم", False),
    ],
)
def test_loaded_mask_matches_on_normalized_text(text, loaded):
    corpus = _corpus([(text, NOT_PROMOTIONAL, "news", {})])
    assert _loaded_mask(corpus).tolist() == [loaded]


def test_loaded_mask_is_one_bool_per_row():
    corpus = _corpus([(t, NOT_PROMOTIONAL, "news", {}) for t in [*SPORT, "بارك الله في الفريق"]])
    mask = _loaded_mask(corpus)
    assert mask.dtype == bool
    assert mask.tolist() == [False] * len(SPORT) + [True]


# -- recipe_weights ----------------------------------------------------------------------

WEIGHTS = {"cv_negative": 5.0, "cv_religious_negative": 20.0, "hard": 0.25, "rest_total": 10.0}
GOD_BLESS = "بارك الله في الفريق"
ORGANISING = "تنظيم المباراة في الملعب"

# (text, label, source, meta, expected weight: a number, a WEIGHTS key or "rest")
WEIGHT_TABLE = [
    (SPORT[0], PROMOTIONAL, "alfifi", {}, 1.0),
    (SPORT[1], PROMOTIONAL, "alfifi", {"religious": True}, 1.0),  # only negatives
    (GOD_BLESS, PROMOTIONAL, "alfifi", {}, 1.0),  # Alfifi rows are never "hard"
    (WEATHER[0], NOT_PROMOTIONAL, "alfifi", {}, "cv_negative"),
    (WEATHER[1], NOT_PROMOTIONAL, "alfifi", {"religious": False}, "cv_negative"),
    (GOD_BLESS, NOT_PROMOTIONAL, "alfifi", {}, "cv_negative"),
    (WEATHER[2], NOT_PROMOTIONAL, "alfifi", {"religious": True}, "cv_religious_negative"),
    (ORGANISING, NOT_PROMOTIONAL, "saudinewsnet", {}, "hard"),
    ("بارك الله في الطباخ", NOT_PROMOTIONAL, "asnd", {}, "hard"),  # God bless the cook
    (COOKING[0], NOT_PROMOTIONAL, "authored", {}, "hard"),  # authored: hard, loaded or not
    (COOKING[1], NOT_PROMOTIONAL, "saudinewsnet", {}, "rest"),
    (COOKING[2], NOT_PROMOTIONAL, "asnd", {}, "rest"),
    (WEATHER[3], NOT_PROMOTIONAL, "osact2020", {"religious": True}, "rest"),
    # Positives weigh 1 wherever they come from: hard and rest are for negatives.
    (ORGANISING, PROMOTIONAL, "saudinewsnet", {}, 1.0),
    (COOKING[3], PROMOTIONAL, "asnd", {}, 1.0),
    (COOKING[4], PROMOTIONAL, "authored", {}, 1.0),
]


def _expected(expected, weights: dict, n_rest: int) -> float:
    if expected == "rest":
        return weights["rest_total"] / n_rest
    if isinstance(expected, str):
        return weights[expected]
    return expected


@pytest.mark.parametrize("weights", [None, {}])
def test_recipe_weights_without_weights_is_none(weights):
    corpus = _corpus([r[:4] for r in WEIGHT_TABLE])
    assert recipe_weights(corpus, weights) is None


def test_recipe_weights_follow_the_recipe_row_by_row():
    corpus = _corpus([r[:4] for r in WEIGHT_TABLE])
    n_rest = sum(r[4] == "rest" for r in WEIGHT_TABLE)
    got = recipe_weights(corpus, WEIGHTS)
    assert got.shape == (len(corpus),)
    for (text, label, source, meta, expected), weight in zip(WEIGHT_TABLE, got):
        want = _expected(expected, WEIGHTS, n_rest)
        assert weight == pytest.approx(want), (text, label, source, meta, expected)


def test_recipe_weights_religious_negatives_weigh_cv_negative_without_their_key():
    weights = {k: v for k, v in WEIGHTS.items() if k != "cv_religious_negative"}
    corpus = _corpus([r[:4] for r in WEIGHT_TABLE])
    n_rest = sum(r[4] == "rest" for r in WEIGHT_TABLE)
    got = recipe_weights(corpus, weights)
    for (*_, expected), weight in zip(WEIGHT_TABLE, got):
        expected = "cv_negative" if expected == "cv_religious_negative" else expected
        assert weight == pytest.approx(_expected(expected, weights, n_rest))
    religious = [i for i, r in enumerate(WEIGHT_TABLE) if r[4] == "cv_religious_negative"]
    assert religious and all(got[i] == weights["cv_negative"] for i in religious)


@pytest.mark.parametrize("n_rest", [1, 3, 7])
def test_recipe_weights_rest_rows_share_rest_total(n_rest):
    rest = [(t, NOT_PROMOTIONAL, "saudinewsnet", {}) for t in (WEATHER + COOKING)[:n_rest]]
    others = [(ORGANISING, NOT_PROMOTIONAL, "asnd", {}), (SPORT[0], PROMOTIONAL, "alfifi", {})]
    got = recipe_weights(_corpus(others + rest), WEIGHTS)
    assert got[len(others) :].sum() == pytest.approx(WEIGHTS["rest_total"], rel=1e-12)
    assert np.all(got[len(others) :] == got[len(others)])  # shared equally
    assert got[: len(others)].tolist() == [WEIGHTS["hard"], 1.0]


def test_recipe_weights_without_rest_rows():
    corpus = _corpus(
        [(SPORT[0], PROMOTIONAL, "alfifi", {}), (ORGANISING, NOT_PROMOTIONAL, "asnd", {})]
    )
    assert recipe_weights(corpus, WEIGHTS).tolist() == [1.0, WEIGHTS["hard"]]


def test_training_set_weights_use_the_recipe_weights():
    corpus = _corpus([r[:4] for r in WEIGHT_TABLE])
    ts = TrainingSet(train=corpus, cv_corpus=corpus, heldout={}, recipe={"weights": WEIGHTS})
    np.testing.assert_array_equal(ts.weights(corpus), recipe_weights(corpus, WEIGHTS))
    assert TrainingSet(train=corpus, cv_corpus=corpus, heldout={}).weights(corpus) is None


# -- authored_corpus and functional_corpus ----------------------------------------------


def test_authored_corpus_is_negatives_with_unique_groups_and_ids():
    from arabic_extremism_clf.authored_negatives import POSTS

    corpus = authored_corpus()
    assert len(corpus) == len(POSTS) > 0
    assert corpus.texts == tuple(post.text for post in POSTS)
    assert set(corpus.labels) == {NOT_PROMOTIONAL}
    assert set(corpus.sources) == {"authored"}
    assert len(set(corpus.groups)) == len(set(corpus.ids)) == len(corpus)
    assert [m["category"] for m in corpus.meta] == [post.category for post in POSTS]
    # Every authored post is a hard negative of the recipe.
    assert np.all(recipe_weights(corpus, WEIGHTS) == WEIGHTS["hard"])


def test_functional_corpus_keeps_the_expected_labels():
    from arabic_extremism_clf.functional import CASES

    corpus = functional_corpus()
    assert len(corpus) == len(CASES) > 0
    assert corpus.texts == tuple(case.text for case in CASES)
    assert corpus.labels == tuple(case.expected for case in CASES)
    assert set(corpus.sources) == {"functional"}
    assert len(set(corpus.groups)) == len(set(corpus.ids)) == len(corpus)
    assert [m["functionality"] for m in corpus.meta] == [case.functionality for case in CASES]


# -- best_macro_f1_threshold -------------------------------------------------------------

BINARY_CLASSES = ["sport", "weather"]


def _binary_proba(sport_proba: list[float]) -> np.ndarray:
    p = np.asarray(sport_proba, dtype=float)
    return np.column_stack([p, 1.0 - p])


def test_threshold_sweep_has_one_row_per_grid_point():
    labels = ["sport", "weather", "sport", "weather"]
    threshold, sweep = best_macro_f1_threshold(
        labels, _binary_proba([0.9, 0.1, 0.7, 0.3]), BINARY_CLASSES, "sport"
    )
    assert [row["threshold"] for row in sweep] == GRID
    for row in sweep:
        assert set(row) == {"threshold", "macro_f1", "guard_flag_rate"}
        assert row["guard_flag_rate"] is None
        assert 0.0 <= row["macro_f1"] <= 1.0
    assert threshold in GRID
    json.dumps(sweep)  # JSON-ready for the manifest


def test_threshold_with_the_only_perfect_split_is_chosen():
    # Only 0.45 lies between the highest weather score (0.43) and the lowest sport score (0.47).
    labels = ["sport"] * 4 + ["weather"] * 4
    proba = _binary_proba([0.47, 0.6, 0.8, 0.95, 0.05, 0.2, 0.3, 0.43])
    threshold, sweep = best_macro_f1_threshold(labels, proba, BINARY_CLASSES, "sport")
    assert threshold == 0.45
    by_threshold = {row["threshold"]: row["macro_f1"] for row in sweep}
    assert by_threshold[0.45] == 1.0
    assert all(f1 < 1.0 for t, f1 in by_threshold.items() if t != 0.45)


def test_threshold_macro_f1_values_are_the_macro_f1_of_the_flags():
    # One sport post, three weather posts: macro-F1 differs from the support-weighted F1.
    labels = ["sport", "weather", "weather", "weather"]
    proba = _binary_proba([0.9, 0.6, 0.1, 0.1])
    _, sweep = best_macro_f1_threshold(labels, proba, BINARY_CLASSES, "sport")
    by_threshold = {row["threshold"]: row["macro_f1"] for row in sweep}
    # At 0.5 two posts are flagged: sport P 1/2 R 1, F1 2/3; weather P 1 R 2/3, F1 4/5.
    assert by_threshold[0.5] == pytest.approx((2 / 3 + 4 / 5) / 2)
    # At 0.95 nothing is flagged: sport F1 0; weather P 3/4 R 1, F1 6/7.
    assert by_threshold[0.95] == pytest.approx(3 / 7)
    # At 0.05 everything is flagged: sport P 1/4 R 1, F1 2/5; weather F1 0.
    assert by_threshold[0.05] == pytest.approx(1 / 5)


def test_threshold_ties_go_to_the_higher_threshold():
    # Every threshold from 0.35 to 0.6 separates the labels perfectly.
    labels = ["sport"] * 3 + ["weather"] * 3
    proba = _binary_proba([0.62, 0.7, 0.8, 0.1, 0.2, 0.31])
    threshold, sweep = best_macro_f1_threshold(labels, proba, BINARY_CLASSES, "sport")
    perfect = [row["threshold"] for row in sweep if row["macro_f1"] == 1.0]
    assert perfect == [0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    assert threshold == 0.6


def test_threshold_below_the_flag_falls_back_to_the_best_other_label():
    # Three labels, "sport" flagged. The weather post's highest column is sport (0.5):
    # above 0.5 it must get its best other label, weather, not sport nor cooking.
    classes = ["cooking", "sport", "weather"]
    labels = ["sport", "weather", "cooking", "weather", "cooking"]
    proba = np.array(
        [
            [0.1, 0.6, 0.3],
            [0.15, 0.5, 0.35],
            [0.45, 0.4, 0.15],
            [0.2, 0.1, 0.7],
            [0.7, 0.1, 0.2],
        ]
    )
    threshold, sweep = best_macro_f1_threshold(labels, proba, classes, "sport")
    by_threshold = {row["threshold"]: row["macro_f1"] for row in sweep}
    assert by_threshold[0.55] == by_threshold[0.6] == 1.0
    assert threshold == 0.6


# The unguarded best is 0.5 (one false flag, no miss); 0.55 misses two sport posts but
# does not flag the guarded weather post scored 0.52. The guarded sport post (0.58) must
# not count: only guarded rows of the other labels do.
GUARD_LABELS = ["sport"] * 5 + ["weather"] * 5
GUARD_PROBA = _binary_proba([0.51, 0.53, 0.58, 0.58, 0.58, 0.1, 0.1, 0.1, 0.52, 0.1])
GUARD = np.array([False, False, True, False, False, False, False, False, True, True])


def test_threshold_guard_unused_gives_the_plain_best():
    threshold, _ = best_macro_f1_threshold(GUARD_LABELS, GUARD_PROBA, BINARY_CLASSES, "sport")
    assert threshold == 0.5


def test_threshold_guard_excludes_thresholds_that_flag_too_many_guarded_negatives():
    threshold, sweep = best_macro_f1_threshold(
        GUARD_LABELS, GUARD_PROBA, BINARY_CLASSES, "sport", guard=GUARD, max_guard_rate=0.0
    )
    assert threshold == 0.55
    rates = {row["threshold"]: row["guard_flag_rate"] for row in sweep}
    assert rates[0.05] == 1.0  # both guarded weather posts (0.52, 0.1) flagged
    assert rates[0.5] == 0.5  # only the one scored 0.52
    assert rates[0.55] == 0.0


def test_threshold_guard_rate_equal_to_the_cap_is_eligible():
    threshold, _ = best_macro_f1_threshold(
        GUARD_LABELS, GUARD_PROBA, BINARY_CLASSES, "sport", guard=GUARD, max_guard_rate=0.5
    )
    assert threshold == 0.5


def test_threshold_guard_with_no_guarded_negative_has_no_rate():
    guard = np.array([True] * 5 + [False] * 5)  # guards sport posts only
    threshold, sweep = best_macro_f1_threshold(
        GUARD_LABELS, GUARD_PROBA, BINARY_CLASSES, "sport", guard=guard, max_guard_rate=0.0
    )
    assert all(row["guard_flag_rate"] is None for row in sweep)
    assert threshold == 0.5


def test_threshold_falls_back_to_the_whole_sweep_when_nothing_is_eligible():
    # A guarded weather post scored 0.99 is flagged at every grid threshold.
    proba = _binary_proba([0.51, 0.53, 0.58, 0.58, 0.58, 0.1, 0.1, 0.1, 0.99, 0.1])
    plain, _ = best_macro_f1_threshold(GUARD_LABELS, proba, BINARY_CLASSES, "sport")
    threshold, sweep = best_macro_f1_threshold(
        GUARD_LABELS, proba, BINARY_CLASSES, "sport", guard=GUARD, max_guard_rate=0.0
    )
    assert all(row["guard_flag_rate"] > 0.0 for row in sweep)
    assert threshold == plain == 0.5


# -- grouped_cross_val_proba -------------------------------------------------------------


class SpyClassifier(ExtremismClassifier):
    """An ExtremismClassifier that records what every clone was fitted on and scored.

    Clones are made inside :func:`grouped_cross_val_proba`, so the records go to a
    class-level list (emptied by the ``spy`` fixture).
    """

    records: ClassVar[list[dict]] = []

    def fit(self, X, y, sample_weight=None):
        X, y = list(X), list(y)
        self.spy_record_ = {
            "model": self,
            "train": X,
            "labels": y,
            "weight": None if sample_weight is None else np.asarray(sample_weight).tolist(),
            "test": [],
            "proba": [],
        }
        SpyClassifier.records.append(self.spy_record_)
        return super().fit(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        X = list(X)
        proba = super().predict_proba(X)
        self.spy_record_["test"].extend(X)
        self.spy_record_["proba"].extend(proba.tolist())
        return proba


@pytest.fixture
def spy():
    SpyClassifier.records.clear()
    yield SpyClassifier(**FAST, flagged_label="sport")
    SpyClassifier.records.clear()


def _again(text: str) -> str:
    """A near-duplicate of a post ("... once again")."""
    return f"{text} مرة أخرى"


def _cv_corpus() -> Corpus:
    """Sport and weather posts, each with a near-duplicate in its group (24 rows, 12 groups)."""
    texts, labels, groups = [], [], []
    for label, posts in (("sport", SPORT), ("weather", WEATHER)):
        for i, post in enumerate(posts):
            texts += [post, _again(post)]
            labels += [label, label]
            groups += [f"{label}-{i}", f"{label}-{i}"]
    n = len(texts)
    return Corpus(
        texts=tuple(texts),
        labels=tuple(labels),
        sources=("toy",) * n,
        groups=tuple(groups),
        ids=tuple(f"cv-{i}" for i in range(n)),
        meta=({},) * n,
    )


CV = _cv_corpus()
ALWAYS = Corpus(
    texts=tuple(COOKING),
    labels=("cooking",) * len(COOKING),
    sources=("always",) * len(COOKING),
    groups=tuple(f"always-{i}" for i in range(len(COOKING))),
    ids=tuple(f"always-{i}" for i in range(len(COOKING))),
    meta=({},) * len(COOKING),
)


def test_spy_survives_clone(spy):
    copy = clone(spy)
    assert type(copy) is SpyClassifier
    assert copy.get_params() == spy.get_params()
    assert len(set(CV.texts)) == len(CV)  # the records identify rows by text


def test_grouped_cv_scores_every_row_once_out_of_fold(spy):
    proba, classes = grouped_cross_val_proba(spy, CV, ALWAYS, n_splits=3)
    assert list(classes) == ["cooking", "sport", "weather"]
    assert proba.shape == (len(CV), 3)
    assert len(spy.records) == 3
    tested = [text for record in spy.records for text in record["test"]]
    assert sorted(tested) == sorted(CV.texts)  # every row scored exactly once
    row = {text: i for i, text in enumerate(CV.texts)}
    for record in spy.records:
        assert not set(record["test"]) & set(record["train"])
        for text, fold_proba in zip(record["test"], record["proba"]):
            np.testing.assert_array_equal(proba[row[text]], fold_proba)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_grouped_cv_never_splits_a_group(spy):
    grouped_cross_val_proba(spy, CV, ALWAYS, n_splits=3)
    group = dict(zip(CV.texts, CV.groups))
    for record in spy.records:
        test_groups = {group[t] for t in record["test"]}
        train_groups = {group[t] for t in record["train"] if t in group}
        assert not test_groups & train_groups
        # both members of each tested group are tested together
        assert sum(t in group for t in record["test"]) == 2 * len(test_groups)


def test_grouped_cv_leaves_out_the_rows_derived_from_a_fold_s_test_posts(spy):
    # A fragment cut from a CV post (meta "from" = its id) trains every fold but that
    # post's; a row whose "from" is not a CV id trains every fold.
    derived = Corpus(
        texts=tuple(f"{COOKING[0]} {i}" for i in range(len(CV))) + (COOKING[1],),
        labels=("cooking",) * (len(CV) + 1),
        sources=("fragments",) * (len(CV) + 1),
        groups=tuple(f"frag-{i}" for i in range(len(CV) + 1)),
        ids=tuple(f"frag-{i}" for i in range(len(CV) + 1)),
        meta=tuple({"from": cv_id} for cv_id in CV.ids) + ({"from": "elsewhere-1"},),
    )
    weights = np.arange(1.0, len(CV) + len(derived) + 1)
    grouped_cross_val_proba(spy, CV, derived, n_splits=3, sample_weight=weights)
    of_post = dict(zip(derived.texts, (m["from"] for m in derived.meta)))
    text_of = dict(zip(CV.ids, CV.texts))
    weight_of = dict(zip(list(CV.texts) + list(derived.texts), weights.tolist()))
    for record in spy.records:
        tested = set(record["test"])
        trained_derived = [t for t in record["train"] if t in of_post]
        assert COOKING[1] in trained_derived
        expected = [t for t in derived.texts if text_of.get(of_post[t]) not in tested]
        assert trained_derived == expected and len(expected) < len(derived)
        assert record["weight"] == [weight_of[t] for t in record["train"]]


def test_grouped_cv_trains_every_fold_on_always_train(spy):
    grouped_cross_val_proba(spy, CV, ALWAYS, n_splits=3)
    assert len(spy.records) == 3
    for record in spy.records:
        assert set(ALWAYS.texts) <= set(record["train"])
        assert not set(ALWAYS.texts) & set(record["test"])
        labels = dict(zip(record["train"], record["labels"]))
        assert all(labels[t] == "cooking" for t in ALWAYS.texts)


def test_grouped_cv_without_always_train(spy):
    proba, classes = grouped_cross_val_proba(spy, CV, n_splits=3)
    assert list(classes) == ["sport", "weather"]
    assert proba.shape == (len(CV), 2)
    for record in spy.records:
        assert set(record["train"]) <= set(CV.texts)


def test_grouped_cv_passes_each_row_its_weight(spy):
    weight = np.arange(1.0, len(CV) + len(ALWAYS) + 1.0)
    by_text = dict(zip(CV.texts + ALWAYS.texts, weight.tolist()))
    grouped_cross_val_proba(spy, CV, ALWAYS, n_splits=3, sample_weight=weight)
    assert len(spy.records) == 3
    for record in spy.records:
        assert record["weight"] == [by_text[t] for t in record["train"]]


def test_grouped_cv_without_weights_fits_without_weights(spy):
    grouped_cross_val_proba(spy, CV, ALWAYS, n_splits=3)
    assert [record["weight"] for record in spy.records] == [None, None, None]


def test_grouped_cv_works_with_a_plain_scikit_learn_classifier():
    # No sample_weight and no on_fold: any classifier with fit/predict_proba/classes_.
    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression())
    proba, classes = grouped_cross_val_proba(pipeline, CV, ALWAYS, n_splits=3)
    assert list(classes) == ["cooking", "sport", "weather"]
    assert proba.shape == (len(CV), 3)
    assert np.all(proba.sum(axis=1) > 0.99)


@pytest.mark.parametrize(
    ("always_train", "extra"),
    [
        pytest.param(ALWAYS, 1, id="always_train-one-too-many"),
        pytest.param(ALWAYS, -1, id="always_train-one-too-few"),
        pytest.param(ALWAYS, -len(ALWAYS) - 1, id="always_train-shorter-than-cv"),
        pytest.param(None, 1, id="cv-only-one-too-many"),
        pytest.param(None, -1, id="cv-only-one-too-few"),
    ],
)
def test_grouped_cv_refuses_weights_of_the_wrong_length(spy, always_train, extra):
    n = len(CV) + (len(always_train) if always_train is not None else 0)
    weight = np.ones(n + extra)
    with pytest.raises(ValueError, match="sample_weight must hold one weight per row"):
        grouped_cross_val_proba(spy, CV, always_train, n_splits=3, sample_weight=weight)
    assert spy.records == []  # refused before any fitting


def test_grouped_cv_calls_on_fold_once_per_fold(spy):
    calls = []
    grouped_cross_val_proba(
        spy, CV, ALWAYS, n_splits=3, on_fold=lambda fold, acc: calls.append((fold, acc))
    )
    assert [fold for fold, _ in calls] == [0, 1, 2]
    truth = dict(zip(CV.texts, CV.labels))
    assert len(spy.records) == 3
    for (_, accuracy), record in zip(calls, spy.records):
        assert isinstance(accuracy, float)
        predicted = record["model"].labels_from_proba(np.asarray(record["proba"]))
        expected = np.mean([p == truth[t] for p, t in zip(predicted, record["test"])])
        assert accuracy == pytest.approx(expected)


# -- train_files -------------------------------------------------------------------------


@pytest.fixture
def toy_file(tmp_path):
    path = tmp_path / "toy posts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows([(t, "sport") for t in SPORT] + [(t, "weather") for t in WEATHER])
    return path


def test_train_files_cross_validates_and_fingerprints(toy_file):
    corpus = read_corpus(toy_file)
    estimator = ExtremismClassifier(**FAST, flagged_label="sport", threshold=0.4)
    folds = []
    result = train_files(
        estimator, corpus, [toy_file], cv=2, on_fold=lambda fold, acc: folds.append(fold)
    )
    assert isinstance(result, TrainingResult)
    assert folds == [0, 1]
    report = result.metrics["cross_validation"]
    assert report["n"] == len(corpus)
    assert report["flagged_label"] == "sport"
    assert report["threshold"] == 0.4
    assert result.training["files"] == [
        {
            "path": "toy posts.csv",
            "sha256": hashlib.sha256(toy_file.read_bytes()).hexdigest(),
            "bytes": toy_file.stat().st_size,
        }
    ]
    recipe = result.training["recipe"]
    assert recipe["name"] == "files"
    assert recipe["cv_folds"] == 2
    assert recipe["train_sizes"] == {"toy posts": {"sport": 6, "weather": 6}}
    # The returned model is a fitted clone; the estimator passed in stays unfitted.
    assert list(result.model.classes_) == ["sport", "weather"]
    assert result.model is not estimator and not hasattr(estimator, "classes_")
    assert result.model.predict(["فاز الفريق بالمباراة"]).tolist() == ["sport"]
    assert "grouped cross-validation" in result.summary()


def test_train_files_cv_zero_skips_cross_validation(toy_file, spy):
    corpus = read_corpus(toy_file)
    folds = []
    result = train_files(
        spy, corpus, [toy_file], cv=0, on_fold=lambda fold, acc: folds.append(fold)
    )
    assert "cross_validation" not in result.metrics
    assert folds == []
    assert [record["train"] for record in spy.records] == [list(corpus.texts)]  # one fit
    assert result.training["recipe"]["cv_folds"] == 0
    assert len(result.training["files"]) == 1
    assert list(result.model.classes_) == ["sport", "weather"]
