"""The scoring-only form of a saved model: the estimator's scores, bit for bit, without
scikit-learn or scipy."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import numpy as np
import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.features import PostVectorizer
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.params import (
    ESTIMATOR_PARAMS,
    VECTORIZER_PARAMS,
    check_estimator_params,
)
from arabic_extremism_clf.persistence import load_model, load_scoring_model, save_model
from arabic_extremism_clf.scoring import score_batch
from arabic_extremism_clf.scoring_model import ScoringFeatures, ScoringModel

PROBES = [
    "مباراة الفريق اليوم",
    "الطقس حار والرياح قوية",
    "وصفة الدجاج بالأرز",
    "كلام جديد تماما لم يظهر",
    "",
    "#الفريق ممطر!! http://example.com @someone 2024",
]


def _fit(classes: int, **params) -> ExtremismClassifier:
    groups = [("sport", SPORT), ("weather", WEATHER), ("cooking", COOKING)][:classes]
    texts = [t for _, posts in groups for t in posts]
    labels = [label for label, posts in groups for _ in posts]
    settings = {"min_df": 1, "calibration_cv": 2, "flagged_label": None, **params}
    return ExtremismClassifier(**settings).fit(texts, labels)


@pytest.mark.parametrize(
    ("classes", "params"),
    [
        (2, {"flagged_label": "sport", "threshold": 0.4}),
        (3, {}),
        (3, {"flagged_label": "weather", "threshold": 0.7, "loss": "squared_hinge"}),
        (2, {"calibration": None}),
        (2, {"char_ngram_range": None}),
        (3, {"word_ngram_range": (1, 1), "calibration": None}),
        (2, {"word_ngram_range": (2, 2), "sublinear_tf": False}),
        (2, {"normalize_options": {"dediac": False}, "char_ngram_range": (3, 4)}),
        (2, {"norm_floor": (2, 20)}),
    ],
    ids=[
        "binary",
        "3-class",
        "3-class-svm",
        "uncal",
        "no-char",
        "unigrams",
        "bigrams",
        "opts",
        "floor",
    ],  # fmt: skip
)
def test_scores_are_the_estimators_bit_for_bit(tmp_path, classes, params):
    model = _fit(classes, **params)
    path = save_model(model, tmp_path / "m")
    estimator, scoring = load_model(path), load_scoring_model(path)

    assert type(scoring) is ScoringModel
    np.testing.assert_array_equal(scoring.classes_, estimator.classes_)
    assert scoring.flagged_label == estimator.flagged_label
    assert scoring.threshold == estimator.threshold
    assert dict(scoring.params) == estimator.get_params()
    for method in ("predict_proba", "decision_function", "predict"):
        np.testing.assert_array_equal(
            getattr(scoring, method)(PROBES), getattr(estimator, method)(PROBES)
        )
    assert [p.to_dict() for p in scoring.classify(PROBES, threshold=0.6)] == [
        p.to_dict() for p in estimator.classify(PROBES, threshold=0.6)
    ]
    for text in PROBES:
        assert scoring.explain(text, top=4) == estimator.explain(text, top=4)
    np.testing.assert_array_equal(
        scoring.vectorizer_.get_feature_names_out(), estimator.vectorizer_.get_feature_names_out()
    )
    expected = estimator.vectorizer_.transform(PROBES)
    got = scoring.vectorizer_.transform(PROBES)
    assert (got != expected).nnz == 0
    assert got.shape == expected.shape
    assert score_batch(scoring, PROBES, explain=True).results() == (
        score_batch(estimator, PROBES, explain=True).results()
    )


def test_longer_word_ngrams_load_the_estimator(tmp_path):
    path = save_model(_fit(2, word_ngram_range=(1, 3)), tmp_path / "m")

    loaded = load_scoring_model(path)

    assert type(loaded) is ExtremismClassifier
    np.testing.assert_array_equal(
        loaded.predict_proba(PROBES), load_model(path).predict_proba(PROBES)
    )
    vec = load_model(path).vectorizer_
    with pytest.raises(ValueError, match="word n-grams of n <= 2 only"):
        ScoringFeatures(
            word_ngram_range=(1, 3), char_ngram_range=None, sublinear_tf=True,
            normalize_options=None, word_vocabulary=vec.word_vocabulary_,
            char_vocabulary={}, word_idf=vec.word_idf_, char_idf=np.zeros(0),
        )  # fmt: skip


def test_pickles_with_its_scores(tmp_path):
    """Spark and joblib workers get the model pickled."""
    scoring = load_scoring_model(save_model(_fit(3, flagged_label="sport"), tmp_path / "m"))
    before = scoring.predict_proba(PROBES)

    again = pickle.loads(pickle.dumps(scoring))

    np.testing.assert_array_equal(again.predict_proba(PROBES), before)
    assert again.explain(PROBES[0]) == scoring.explain(PROBES[0])
    assert dict(again.params) == dict(scoring.params)
    assert repr(again) == repr(scoring)
    with pytest.raises(TypeError):
        again.params["threshold"] = 0.1  # read-only, as before pickling


def test_has_no_training_surface(tmp_path):
    scoring = load_scoring_model(save_model(_fit(2), tmp_path / "m"))
    assert not hasattr(scoring, "fit")
    assert not hasattr(scoring, "get_params")
    assert "ScoringModel(classes_=['sport', 'weather']" in repr(scoring)
    with pytest.raises(TypeError, match="wrap a single post in a list"):
        scoring.predict_proba("one post")
    with pytest.raises(TypeError, match="item 1 is int"):
        scoring.predict_proba(["a", 1])


def test_parameter_names_are_the_estimators():
    assert set(ExtremismClassifier().get_params(deep=False)) == ESTIMATOR_PARAMS
    assert set(PostVectorizer().get_params(deep=False)) == VECTORIZER_PARAMS


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"calibration": "isotonic"}, "calibration must be"),
        ({"threshold": 1.5}, "threshold must be a number"),
        ({"calibration_cv": 1}, "calibration_cv must be an int >= 2"),
        ({"C": 0}, "C must be a positive number"),
        ({"loss": "hinge"}, "loss must be"),
        ({"loss": "squared_hinge", "calibration": None}, "no probabilities of its own"),
    ],
)
def test_parameter_checks(params, match):
    with pytest.raises(ValueError, match=match):
        check_estimator_params(params)
    with pytest.raises(ValueError, match=match):
        ExtremismClassifier(**params).fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6)


def test_scoring_imports_neither_scikit_learn_nor_scipy(tmp_path):
    """The point of the scoring form: start-up and memory without scikit-learn."""
    path = save_model(_fit(2, flagged_label="sport"), tmp_path / "m")
    code = (
        "import json, sys\n"
        "from arabic_extremism_clf import load_scoring_model, score_batch\n"
        f"model = load_scoring_model({str(path)!r})\n"
        f"rows = score_batch(model, {PROBES!r}, explain=True).results()\n"
        "heavy = sorted(m for m in ('sklearn', 'scipy', 'pandas', 'torch') if m in sys.modules)\n"
        "print(json.dumps({'heavy': heavy, 'labels': [r['label'] for r in rows]}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    report = json.loads(result.stdout)
    assert report["heavy"] == []
    assert report["labels"] == load_model(path).predict(PROBES).tolist()
