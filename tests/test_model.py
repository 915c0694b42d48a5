"""Contract tests of ExtremismClassifier, Prediction and Contribution.

scikit-learn's ``check_estimator`` skips text estimators, so the parts of the estimator
contract we rely on are tested here. Mechanics only, on a neutral toy corpus (sport,
weather, cooking).
"""

from __future__ import annotations

import dataclasses
import inspect
import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.features import char_ngrams, word_ngrams
from arabic_extremism_clf.model import Contribution, ExtremismClassifier, Prediction
from arabic_extremism_clf.preprocess import preprocess

BINARY_X = SPORT + WEATHER
BINARY_Y = ["sport"] * len(SPORT) + ["weather"] * len(WEATHER)
MULTI_X = SPORT + WEATHER + COOKING
MULTI_Y = BINARY_Y + ["cooking"] * len(COOKING)

# Unseen posts whose label is obvious from the training words.
OBVIOUS = [
    ("الفريق فاز بالمباراة والهدف", "sport"),
    ("طقس ممطر ورياح قوية اليوم", "weather"),
    ("وصفة الأرز مع الدجاج والصلصة", "cooking"),
    ("اللاعب سجل هدفا في الملعب", "sport"),
    ("أمطار وغيوم في المساء", "weather"),
]

FAST = {"min_df": 1, "calibration_cv": 2}


def _clf(**params) -> ExtremismClassifier:
    return ExtremismClassifier(**{**FAST, **params})


@pytest.fixture(scope="module")
def binary() -> ExtremismClassifier:
    return _clf(flagged_label="sport").fit(BINARY_X, BINARY_Y)


@pytest.fixture(scope="module")
def multi() -> ExtremismClassifier:
    return _clf(flagged_label=None).fit(MULTI_X, MULTI_Y)


# -- the scikit-learn contract -----------------------------------------------------------

NON_DEFAULT_PARAMS = {
    "word_ngram_range": (1, 3),
    "char_ngram_range": None,
    "min_df": 3,
    "max_word_features": 100,
    "max_char_features": 50,
    "sublinear_tf": False,
    "normalize_options": {"some_switch": False},
    "norm_floor": (4, 40),
    "C": 0.5,
    "loss": "squared_hinge",
    "class_weight": {"a": 2.0},
    "max_iter": 7,
    "calibration": None,
    "calibration_cv": 4,
    "flagged_label": "x",
    "threshold": 0.25,
    "random_state": 42,
}


def test_init_stores_params_verbatim():
    assert set(NON_DEFAULT_PARAMS) == set(ExtremismClassifier().get_params())
    clf = ExtremismClassifier(**NON_DEFAULT_PARAMS)
    params = clf.get_params(deep=False)
    assert params == NON_DEFAULT_PARAMS
    for name, value in NON_DEFAULT_PARAMS.items():
        assert params[name] is value  # the same object, not a copy or a conversion
    # No validation in __init__: an invalid value is stored, and rejected by fit.
    assert ExtremismClassifier(threshold=1.5).threshold == 1.5
    assert ExtremismClassifier(calibration="isotonic").calibration == "isotonic"


def test_hyperparameters_are_keyword_only():
    for name, parameter in inspect.signature(ExtremismClassifier).parameters.items():
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
    with pytest.raises(TypeError):
        ExtremismClassifier(1.0)


def test_get_params_round_trip_and_set_params():
    clf = ExtremismClassifier(**NON_DEFAULT_PARAMS)
    again = ExtremismClassifier(**clf.get_params())
    assert again.get_params() == clf.get_params()
    assert clf.set_params(C=3.0, threshold=0.9) is clf
    assert clf.C == 3.0 and clf.threshold == 0.9
    with pytest.raises(ValueError):
        clf.set_params(not_a_param=1)


def test_clone_unfitted():
    clf = _clf(C=2.0, flagged_label="sport")
    copy = clone(clf)
    assert copy is not clf
    assert copy.get_params() == clf.get_params()


def test_clone_fitted_gives_unfitted_copy(binary):
    copy = clone(binary)
    assert copy.get_params() == binary.get_params()
    assert not hasattr(copy, "classes_")
    with pytest.raises(NotFittedError):
        copy.predict(["الفريق"])
    np.testing.assert_array_equal(
        copy.fit(BINARY_X, BINARY_Y).predict_proba(BINARY_X), binary.predict_proba(BINARY_X)
    )


def test_fit_returns_self_and_fitted_state_ends_with_underscore():
    clf = _clf()
    before = set(vars(clf))
    assert clf.fit(BINARY_X, BINARY_Y) is clf
    added = set(vars(clf)) - before
    assert {"classes_", "vectorizer_", "coef_", "intercept_"} <= added
    assert all(name.endswith("_") for name in added), sorted(added)
    assert set(vars(clf)) - added == set(clf.get_params())


def test_not_fitted_raises_not_fitted_error():
    clf = _clf()
    for method in (clf.predict, clf.predict_proba, clf.decision_function, clf.classify):
        with pytest.raises(NotFittedError):
            method(["الفريق"])
    with pytest.raises(NotFittedError):
        clf.explain("الفريق")


@pytest.mark.parametrize("fixture", ["binary", "multi"])
def test_classes_order_equals_predict_proba_columns(request, fixture):
    clf = request.getfixturevalue(fixture)
    x, y = (BINARY_X, BINARY_Y) if fixture == "binary" else (MULTI_X, MULTI_Y)
    assert list(clf.classes_) == sorted(set(y))
    proba = clf.predict_proba(x)
    assert proba.shape == (len(x), len(clf.classes_))
    # The column with the highest probability is the training label's column.
    np.testing.assert_array_equal(clf.classes_[np.argmax(proba, axis=1)], y)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all((proba >= 0) & (proba <= 1))


def test_binary_and_three_label_sets(binary, multi):
    texts = [t for t, _ in OBVIOUS]
    assert binary.coef_.shape[0] == 1
    assert multi.coef_.shape[0] == 3
    assert binary.decision_function(texts).shape == (len(texts),)
    assert multi.decision_function(texts).shape == (len(texts), 3)
    np.testing.assert_array_equal(multi.predict(texts), [label for _, label in OBVIOUS])
    binary_texts = [t for t, label in OBVIOUS if label != "cooking"]
    np.testing.assert_array_equal(
        binary.predict(binary_texts), [label for _, label in OBVIOUS if label != "cooking"]
    )


def test_works_in_pipeline():
    pipe = Pipeline([("clf", _clf(flagged_label=None))])
    pipe.fit(MULTI_X, MULTI_Y)
    texts = [t for t, _ in OBVIOUS]
    np.testing.assert_array_equal(pipe.predict(texts), [label for _, label in OBVIOUS])
    np.testing.assert_allclose(pipe.predict_proba(texts).sum(axis=1), 1.0)
    np.testing.assert_array_equal(pipe.classes_, pipe.named_steps["clf"].classes_)


def test_grid_search_over_c():
    search = GridSearchCV(_clf(flagged_label=None), {"C": [1.0, 10.0]}, cv=2)
    search.fit(BINARY_X, BINARY_Y)
    assert search.best_params_["C"] in (1.0, 10.0)
    assert len(search.cv_results_["mean_test_score"]) == 2
    assert not np.isnan(search.cv_results_["mean_test_score"]).any()
    assert search.best_params_["C"] == search.best_estimator_.C
    np.testing.assert_array_equal(search.predict(BINARY_X), BINARY_Y)


def test_cross_val_score():
    scores = cross_val_score(_clf(flagged_label=None), BINARY_X, BINARY_Y, cv=2)
    assert scores.shape == (2,)
    assert np.all((scores >= 0) & (scores <= 1))
    assert not np.isnan(scores).any()


def test_int_labels_are_converted_to_str():
    y = [int(label == "weather") for label in BINARY_Y]
    clf = _clf(flagged_label=None).fit(BINARY_X, y)
    assert clf.classes_.dtype.kind == "U"
    assert list(clf.classes_) == ["0", "1"]
    predicted = clf.predict(BINARY_X)
    assert list(predicted) == [str(label) for label in y]
    assert all(isinstance(p.label, str) for p in clf.classify(BINARY_X))
    # Converted labels sort as strings, not as numbers: "10" comes before "2".
    y = [10 if label == "weather" else 2 for label in BINARY_Y]
    assert list(_clf(flagged_label=None).fit(BINARY_X, y).classes_) == ["10", "2"]


def test_class_weight_dict_is_keyed_by_label():
    weighted = _clf(flagged_label=None, class_weight={"sport": 1.0, "weather": 5.0})
    weighted.fit(BINARY_X, BINARY_Y)
    plain = _clf(flagged_label=None, class_weight=None).fit(BINARY_X, BINARY_Y)
    # Up-weighting "weather" (classes_[1]) raises its decision value everywhere.
    assert np.all(weighted.decision_function(BINARY_X) > plain.decision_function(BINARY_X))
    with pytest.raises(ValueError, match="cooking"):
        _clf(class_weight={"sport": 1.0, "cooking": 2.0}).fit(BINARY_X, BINARY_Y)


# -- threshold ----------------------------------------------------------------------------


def test_threshold_one_flags_only_certain_posts(binary):
    sport = list(binary.classes_).index("sport")
    # Uncalibrated probabilities of the toy corpus stay below 1: nothing is flagged.
    raw = _clf(flagged_label="sport", calibration=None).fit(BINARY_X, BINARY_Y)
    assert np.all(raw.predict_proba(BINARY_X)[:, sport] < 1.0)
    assert "sport" in raw.predict(BINARY_X)  # flagged at the default 0.5
    assert list(raw.set_params(threshold=1.0).predict(BINARY_X)) == ["weather"] * len(BINARY_X)
    # Calibrated on this separable corpus, some probabilities are exactly 1: exactly
    # those posts are flagged.
    proba = binary.predict_proba(BINARY_X)
    labels = [p.label for p in binary.classify(BINARY_X, threshold=1.0)]
    assert labels == ["sport" if p == 1.0 else "weather" for p in proba[:, sport]]
    made_up = np.array([[1.0, 0.0], [0.999, 0.001], [0.0, 1.0]])[:, [sport, 1 - sport]]
    assert list(binary.labels_from_proba(made_up, threshold=1.0)) == [
        "sport",
        "weather",
        "weather",
    ]


def test_threshold_zero_flags_everything(binary):
    texts = BINARY_X + [t for t, _ in OBVIOUS]
    assert "weather" in binary.predict(texts)
    predictions = binary.classify(texts, threshold=0.0)
    assert [p.label for p in predictions] == ["sport"] * len(texts)
    sport = list(binary.classes_).index("sport")
    made_up = np.zeros((1, 2))
    made_up[0, 1 - sport] = 1.0
    assert list(binary.labels_from_proba(made_up, threshold=0.0)) == ["sport"]


def test_classify_threshold_overrides_for_one_call_only(binary):
    proba = binary.predict_proba(BINARY_X)
    sport = list(binary.classes_).index("sport")
    cut = float(np.median(proba[:, sport]))
    labels = [p.label for p in binary.classify(BINARY_X, threshold=cut)]
    expected = np.where(proba[:, sport] >= cut, "sport", "weather")
    assert labels == list(expected)
    assert binary.threshold == 0.5
    assert [p.label for p in binary.classify(BINARY_X)] == list(binary.predict(BINARY_X))


def test_threshold_with_three_labels_falls_back_to_best_other_label():
    clf = _clf(flagged_label="sport").fit(MULTI_X, MULTI_Y)
    order = {label: i for i, label in enumerate(clf.classes_)}
    made_up = np.zeros((2, 3))
    made_up[0, [order["sport"], order["weather"], order["cooking"]]] = [0.6, 0.1, 0.3]
    made_up[1, [order["sport"], order["weather"], order["cooking"]]] = [0.2, 0.5, 0.3]
    assert list(clf.labels_from_proba(made_up, threshold=0.7)) == ["cooking", "weather"]
    assert list(clf.labels_from_proba(made_up, threshold=0.2)) == ["sport", "sport"]


def test_labels_from_proba_without_flagged_label_is_argmax(multi):
    assert multi.flagged_index_ is None
    proba = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.1, 0.2, 0.7]])
    expected = multi.classes_[[1, 0, 2]]
    for threshold in (None, 0.0, 1.0):
        np.testing.assert_array_equal(multi.labels_from_proba(proba, threshold), expected)


def test_flagged_label_not_a_class_is_argmax():
    clf = _clf(flagged_label="absent").fit(BINARY_X, BINARY_Y)
    assert clf.flagged_index_ is None
    proba = clf.predict_proba(BINARY_X)
    np.testing.assert_array_equal(clf.predict(BINARY_X), clf.classes_[proba.argmax(axis=1)])


@pytest.mark.parametrize("threshold", [1.5, -0.1, "a", None, float("nan")])
def test_invalid_threshold_at_fit(threshold):
    with pytest.raises(ValueError, match="threshold"):
        _clf(threshold=threshold).fit(BINARY_X, BINARY_Y)


@pytest.mark.parametrize("threshold", [1.5, -0.1, "a", float("nan")])
def test_invalid_threshold_in_classify(binary, threshold):
    with pytest.raises(ValueError, match="threshold"):
        binary.classify(BINARY_X[:2], threshold=threshold)
    with pytest.raises(ValueError, match="threshold"):
        binary.labels_from_proba(binary.predict_proba(BINARY_X[:2]), threshold=threshold)


# -- classify and Prediction ------------------------------------------------------------


def test_classify_one_prediction_per_text_in_input_order(multi):
    texts = [t for t, _ in OBVIOUS]
    expected = [label for _, label in OBVIOUS]
    predictions = multi.classify(texts)
    assert all(isinstance(p, Prediction) for p in predictions)
    assert [p.label for p in predictions] == expected
    reversed_predictions = multi.classify(list(reversed(texts)))
    assert [p.label for p in reversed_predictions] == list(reversed(expected))
    # A generator is accepted too.
    assert [p.label for p in multi.classify(t for t in texts)] == expected


def test_prediction_confidence_and_scores(multi):
    texts = [t for t, _ in OBVIOUS]
    proba = multi.predict_proba(texts)
    for prediction, row in zip(multi.classify(texts), proba):
        assert set(prediction.scores) == set(multi.classes_)
        assert prediction.confidence == prediction.scores[prediction.label]
        assert prediction.confidence == max(prediction.scores.values())
        assert sum(prediction.scores.values()) == pytest.approx(1.0)
        np.testing.assert_allclose([prediction.scores[c] for c in multi.classes_], row)


def test_prediction_is_frozen(binary):
    prediction = binary.classify(["الفريق فاز"])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        prediction.label = "weather"
    with pytest.raises(dataclasses.FrozenInstanceError):
        prediction.confidence = 0.0
    with pytest.raises(TypeError):
        prediction.scores["sport"] = 0.0


def test_prediction_to_dict_is_json_serializable(multi):
    prediction = multi.classify(["الفريق فاز"])[0]
    data = json.loads(json.dumps(prediction.to_dict()))
    assert data == {
        "label": prediction.label,
        "confidence": prediction.confidence,
        "scores": dict(prediction.scores),
    }
    assert type(data["confidence"]) is float


# -- explain -----------------------------------------------------------------------------


def _ngrams_of(clf: ExtremismClassifier, text: str) -> set[str]:
    tokens = preprocess(text)
    words = {"w:" + g for g in word_ngrams(tokens, clf.word_ngram_range)}
    chars = {"c:" + g for t in tokens for g in char_ngrams(t, clf.char_ngram_range)}
    return words | chars


def test_explain_sorted_present_and_consistent_with_decision(binary):
    text = OBVIOUS[0][0]
    contributions = binary.explain(text, label="sport", top=10**6)
    assert all(isinstance(c, Contribution) for c in contributions)
    weights = [c.weight for c in contributions]
    assert [abs(w) for w in weights] == sorted((abs(w) for w in weights), reverse=True)
    assert {c.feature for c in contributions} <= _ngrams_of(binary, text)
    assert len(contributions) == binary.vectorizer_.transform([text]).nnz
    assert len(binary.explain(text, label="sport")) == 10
    # The contributions add up to the decision value of the label.
    decision = binary.decision_function([text])[0]  # positive favours classes_[1]
    sign = 1.0 if binary.classes_[1] == "sport" else -1.0
    assert sum(weights) + sign * binary.intercept_[0] == pytest.approx(sign * decision)
    other = binary.explain(text, label="weather", top=10**6)
    assert sum(c.weight for c in other) + (-sign) * binary.intercept_[0] == pytest.approx(
        -sign * decision
    )
    assert {(c.feature, -c.weight) for c in other} == {(c.feature, c.weight) for c in contributions}


def test_explain_default_label_is_flagged_label(binary):
    text = OBVIOUS[1][0]
    assert binary.explain(text) == binary.explain(text, label="sport")


def test_explain_three_labels_adds_up_to_decision(multi):
    text = OBVIOUS[2][0]
    decision = multi.decision_function([text])[0]
    for k, label in enumerate(multi.classes_):
        contributions = multi.explain(text, label=label, top=10**6)
        total = sum(c.weight for c in contributions) + multi.intercept_[k]
        assert total == pytest.approx(decision[k])
    # Without a flagged label the predicted label is explained.
    assert multi.explain(text) == multi.explain(text, label="cooking")


def test_explained_labels_flagged_else_predicted(binary, multi):
    texts = [t for t, _ in OBVIOUS]
    # With a flagged label: that label for every post, flagged or not.
    assert binary.explained_labels(binary.predict_proba(texts)) == ["sport"] * len(texts)
    # Without: the predicted label (argmax here).
    proba = multi.predict_proba(texts)
    assert multi.explained_labels(proba) == list(multi.predict(texts))
    assert multi.explained_labels(proba, threshold=0.99) == list(multi.predict(texts))


def test_contribution_to_dict():
    assert Contribution("w:x y", 0.5).to_dict() == {"feature": "w:x y", "weight": 0.5}


def test_explain_errors(binary):
    with pytest.raises(ValueError, match="unknown label 'cooking'"):
        binary.explain("الفريق فاز", label="cooking")
    with pytest.raises(TypeError, match="str"):
        binary.explain(["الفريق فاز"])
    with pytest.raises(TypeError, match="str"):
        binary.explain(None)


# -- calibration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y"), [(BINARY_X, BINARY_Y), (MULTI_X, MULTI_Y)], ids=["binary", "three"]
)
def test_no_calibration_equals_sklearn_logistic_regression(x, y):
    clf = _clf(calibration=None, flagged_label=None).fit(x, y)
    assert clf.calibration_coef_ is None and clf.calibration_intercept_ is None
    reference = LogisticRegression(
        C=clf.C,
        class_weight=clf.class_weight,
        max_iter=clf.max_iter,
        solver="lbfgs",
        random_state=clf.random_state,
    ).fit(clf.vectorizer_.transform(x), y)
    texts = x + [t for t, _ in OBVIOUS]
    np.testing.assert_array_equal(reference.classes_, clf.classes_)
    np.testing.assert_allclose(
        clf.predict_proba(texts),
        reference.predict_proba(clf.vectorizer_.transform(texts)),
        rtol=1e-6,
        atol=1e-6,
    )


def test_sigmoid_calibration_changes_probabilities():
    raw = _clf(calibration=None, flagged_label=None).fit(BINARY_X, BINARY_Y)
    calibrated = _clf(calibration="sigmoid", flagged_label=None).fit(BINARY_X, BINARY_Y)
    assert calibrated.calibration_coef_.shape == (1, 1)
    # Same linear model, different probabilities.
    np.testing.assert_array_equal(raw.coef_, calibrated.coef_)
    p_raw = raw.predict_proba(BINARY_X)
    p_cal = calibrated.predict_proba(BINARY_X)
    assert np.abs(p_raw - p_cal).max() > 1e-3
    np.testing.assert_allclose(p_cal.sum(axis=1), 1.0)
    # Calibration is monotone in the decision value for two labels.
    order = np.argsort(raw.decision_function(BINARY_X))
    assert np.all(np.diff(p_cal[order, 1]) >= 0)


def test_calibration_with_a_one_post_label_is_refused():
    x = BINARY_X + ["وصفة الأرز"]
    y = BINARY_Y + ["cooking"]
    with pytest.raises(
        ValueError, match="at least 2 posts of every label.*cooking.*calibration=None"
    ):
        _clf().fit(x, y)
    # Without calibration the same data fits.
    assert list(_clf(calibration=None).fit(x, y).classes_) == ["cooking", "sport", "weather"]


# -- input validation ------------------------------------------------------------------------


def test_fit_with_one_label_is_refused():
    with pytest.raises(ValueError, match="at least two"):
        _clf().fit(SPORT, ["sport"] * len(SPORT))


def test_str_instead_of_list_is_refused(binary):
    with pytest.raises(TypeError, match="str object received"):
        _clf().fit("الفريق فاز", ["sport"])
    for method in (binary.predict, binary.predict_proba, binary.classify):
        with pytest.raises(TypeError, match="str object received"):
            method("الفريق فاز")


def test_non_str_item_is_refused_with_its_index(binary):
    x = BINARY_X[:2] + [None] + BINARY_X[3:]
    with pytest.raises(TypeError, match="item 2 is NoneType"):
        _clf().fit(x, BINARY_Y)
    with pytest.raises(TypeError, match="item 1 is int"):
        binary.predict(["الفريق", 5])


def test_length_mismatch_is_refused():
    with pytest.raises(ValueError, match="12 posts but y has 11 labels"):
        _clf().fit(BINARY_X, BINARY_Y[:-1])


@pytest.mark.parametrize(
    ("param", "value"),
    [("calibration", "isotonic"), ("calibration_cv", 1), ("C", 0), ("C", "big"), ("loss", "hinge")],
)
def test_invalid_params_are_refused_at_fit(param, value):
    with pytest.raises(ValueError, match=param):
        _clf(**{param: value}).fit(BINARY_X, BINARY_Y)


def test_svm_loss_needs_calibration():
    with pytest.raises(ValueError, match="no probabilities of its own"):
        _clf(loss="squared_hinge", calibration=None).fit(BINARY_X, BINARY_Y)


@pytest.mark.parametrize(
    ("X", "y"), [(BINARY_X, BINARY_Y), (MULTI_X, MULTI_Y)], ids=["binary", "3-class"]
)
def test_svm_loss_fits_a_linear_svm(X, y):
    from sklearn.svm import LinearSVC

    clf = _clf(loss="squared_hinge", flagged_label=None).fit(X, y)
    # The same decision values as LinearSVC on the same features.
    features = clf.vectorizer_.transform(X)
    _, y_idx = np.unique(y, return_inverse=True)
    svm = LinearSVC(C=clf.C, class_weight="balanced", max_iter=clf.max_iter, random_state=0)
    svm.fit(features, y_idx)
    np.testing.assert_allclose(clf.decision_function(X), svm.decision_function(features), atol=1e-8)
    assert not np.allclose(clf.coef_, _clf(flagged_label=None).fit(X, y).coef_)
    proba = clf.predict_proba([text for text, _ in OBVIOUS])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    expected = [label for _, label in OBVIOUS if label in set(y)]
    predicted = clf.predict([text for text, label in OBVIOUS if label in set(y)])
    assert list(predicted) == expected


# -- determinism ------------------------------------------------------------------------------


def test_two_fits_give_identical_probabilities():
    texts = MULTI_X + [t for t, _ in OBVIOUS]
    first = _clf().fit(MULTI_X, MULTI_Y).predict_proba(texts)
    second = _clf().fit(MULTI_X, MULTI_Y).predict_proba(texts)
    np.testing.assert_array_equal(first, second)
