"""Tests of arabic_extremism_clf.evaluate on hand-made probabilities and a toy model.

The toy corpus is neutral (sport vs weather); "promotional" / "not_promotional" are
only the label names the library expects.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from arabic_extremism_clf.evaluate import (
    ThresholdChoice,
    calibration_curve_table,
    evaluate,
    evaluate_predictions,
    expected_calibration_error,
    format_report,
    select_threshold,
)
from arabic_extremism_clf.model import NOT_PROMOTIONAL, PROMOTIONAL, ExtremismClassifier

POS, NEG = PROMOTIONAL, NOT_PROMOTIONAL
BINARY = [NEG, POS]  # column order of a fitted model's classes_ (sorted)

SPORT = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري", "مدرب الفريق سعيد"]
WEATHER = ["طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم", "شمس ساطعة وحرارة"]
TOY_TEXTS = (SPORT + WEATHER) * 2
TOY_LABELS = ([POS] * 4 + [NEG] * 4) * 2


@pytest.fixture(scope="module")
def toy_model() -> ExtremismClassifier:
    return ExtremismClassifier(min_df=1, calibration_cv=2).fit(TOY_TEXTS, TOY_LABELS)


def binary_proba(p_pos: list[float]) -> np.ndarray:
    p = np.asarray(p_pos, dtype=float)
    return np.column_stack([1.0 - p, p])


def assert_plain_json(value: object, where: str = "report") -> None:
    """Every leaf is a builtin type (np.float64 would pass json.dumps, np.int64 not)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, f"{where}: key {key!r} is {type(key).__name__}"
            assert_plain_json(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_plain_json(item, f"{where}[{i}]")
    else:
        assert type(value) in (str, int, float, bool, type(None)), (
            f"{where} is {type(value).__name__}"
        )


# -- calibration ----------------------------------------------------------------------


def test_ece_of_perfectly_calibrated_case_is_zero():
    # 0.25 -> 1 of 4 true; 0.75 -> 3 of 4 true.
    truth = [1, 0, 0, 0, 1, 1, 1, 0]
    proba = [0.25] * 4 + [0.75] * 4
    assert expected_calibration_error(truth, proba) == pytest.approx(0.0, abs=1e-12)


def test_ece_of_overconfident_case():
    # Bin 0.9: half true -> gap 0.4; bin 0.3: 1 of 4 true -> gap 0.05; equal weights.
    truth = [True, True, False, False, True, False, False, False]
    proba = [0.9] * 4 + [0.3] * 4
    assert expected_calibration_error(truth, proba) == pytest.approx(0.225)
    assert expected_calibration_error(truth, proba, n_bins=1) == pytest.approx(abs(3 / 8 - 0.6))


def test_calibration_table_bins_and_edges():
    table = calibration_curve_table([1, 0, 1, 0], [0.0, 0.05, 0.5, 1.0], n_bins=4)
    edges = [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0)]
    assert [(b["lo"], b["hi"]) for b in table] == edges
    assert [b["count"] for b in table] == [2, 0, 1, 1]  # 0.5 opens bin 2, 1.0 is in the last
    assert table[0]["mean_conf"] == pytest.approx(0.025)
    assert table[0]["frac_pos"] == 0.5
    assert table[1]["mean_conf"] is None and table[1]["frac_pos"] is None
    assert (table[3]["mean_conf"], table[3]["frac_pos"]) == (1.0, 0.0)


@pytest.mark.parametrize("n_bins", [3, 7, 10, 100])
def test_value_on_a_bin_edge_opens_the_bin_above(n_bins):
    edges = [i / n_bins for i in range(n_bins)]
    table = calibration_curve_table([1] * n_bins, edges, n_bins=n_bins)
    assert [b["count"] for b in table] == [1] * n_bins
    assert [b["mean_conf"] for b in table] == [b["lo"] for b in table]


@pytest.mark.parametrize(
    ("truth", "proba", "n_bins", "match"),
    [
        ([1, 0], [0.5], 10, "2 labels but 1"),
        ([1, 2], [0.5, 0.5], 10, "booleans or 0/1"),
        ([1, 0], [0.5, 1.5], 10, r"in \[0, 1\]"),
        ([1, 0], [0.5, 0.5], 0, "n_bins"),
    ],
)
def test_calibration_rejects_bad_input(truth, proba, n_bins, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(truth, proba, n_bins)


# -- evaluate_predictions -------------------------------------------------------------


def test_binary_report_by_hand():
    labels = [POS, POS, POS, NEG, NEG, NEG]
    proba = binary_proba([0.9, 0.6, 0.3, 0.7, 0.2, 0.1])
    report = evaluate_predictions(labels, proba, BINARY, flagged_label=POS, threshold=0.5)
    # Predicted: POS POS NEG POS NEG NEG -> TP 2, FN 1, FP 1, TN 2.
    assert report["n"] == 6
    assert report["labels"] == BINARY
    assert report["threshold"] == 0.5
    assert report["per_label"][POS] == pytest.approx(
        {"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "support": 3}
    )
    assert report["confusion_matrix"] == {"labels": BINARY, "matrix": [[2, 1], [1, 2]]}
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["macro_f1"] == pytest.approx(2 / 3)
    # Positive scores 0.9, 0.6, 0.3 vs negative 0.7, 0.2, 0.1: 7 of 9 pairs ranked right.
    assert report["roc_auc"] == pytest.approx(7 / 9)
    # Ranked 0.9 P, 0.7 N, 0.6 P, 0.3 P: precision at each positive 1/1, 2/3, 3/4.
    assert report["pr_auc"] == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)
    assert report["auc_note"] is None
    assert "by_source" not in report


def test_threshold_changes_predictions():
    labels = [POS, POS, NEG, NEG]
    proba = binary_proba([0.9, 0.4, 0.35, 0.1])
    low = evaluate_predictions(labels, proba, BINARY, flagged_label=POS, threshold=0.3)
    assert low["confusion_matrix"]["matrix"] == [[1, 1], [0, 2]]
    high = evaluate_predictions(labels, proba, BINARY, flagged_label=POS, threshold=0.95)
    assert high["confusion_matrix"]["matrix"] == [[2, 0], [2, 0]]
    assert high["per_label"][POS] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}


def test_calibration_in_report_uses_confidence_of_predicted_label():
    labels = [POS, NEG, POS, NEG]
    proba = binary_proba([0.9, 0.9, 0.1, 0.1])
    report = evaluate_predictions(labels, proba, BINARY, flagged_label=POS)
    # Every prediction has confidence 0.9 and half are right: ECE 0.4.
    assert report["calibration"]["ece"] == pytest.approx(0.4)
    assert sum(b["count"] for b in report["calibration"]["bins"]) == 4
    # The flagged label's probability: bin 0.1 has 1 of 2 true, bin 0.9 has 1 of 2.
    assert report["calibration"]["flagged_ece"] == pytest.approx(0.4)
    perfect = evaluate_predictions([POS, NEG], binary_proba([1.0, 0.0]), BINARY, flagged_label=POS)
    assert perfect["calibration"]["ece"] == 0.0
    assert perfect["calibration"]["flagged_ece"] == 0.0


def test_by_source_counts_and_rates():
    labels = [NEG] * 5 + [POS, POS, NEG, NEG] + [POS, POS]
    p_pos = [0.8, 0.6, 0.2, 0.1, 0.3] + [0.9, 0.2, 0.7, 0.1] + [0.95, 0.55]
    sources = ["news"] * 5 + ["mixed"] * 4 + ["campaign"] * 2
    report = evaluate_predictions(
        labels, binary_proba(p_pos), BINARY, flagged_label=POS, sources=sources
    )
    by_source = report["by_source"]
    assert list(by_source) == ["campaign", "mixed", "news"]
    assert by_source["news"] == {
        "n": 5,
        "accuracy": 0.6,
        "positives": 0,
        "flagged": 2,
        "flag_rate": 0.4,
        "recall": None,
        "false_positive_rate": 0.4,
    }
    assert by_source["mixed"] == {
        "n": 4,
        "accuracy": 0.5,
        "positives": 2,
        "flagged": 2,
        "flag_rate": 0.5,
        "recall": 0.5,
        "false_positive_rate": 0.5,
    }
    assert by_source["campaign"] == {
        "n": 2,
        "accuracy": 1.0,
        "positives": 2,
        "flagged": 2,
        "flag_rate": 1.0,
        "recall": 1.0,
        "false_positive_rate": None,
    }


def test_auc_is_none_with_reason_when_one_class_present():
    report = evaluate_predictions(
        [NEG, NEG, NEG],
        binary_proba([0.1, 0.7, 0.2]),
        BINARY,
        flagged_label=POS,
        sources=["a"] * 3,
    )
    assert report["roc_auc"] is None and report["pr_auc"] is None
    assert "only one class" in report["auc_note"]
    # sklearn would give 0.5 (F1 0 for the absent label): a number that says nothing.
    assert report["macro_f1"] is None
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["by_source"]["a"]["false_positive_rate"] == pytest.approx(1 / 3)
    json.dumps(report, allow_nan=False)


def test_multiclass_report_argmax():
    classes = ["news", "sport", "weather"]
    labels = ["news", "news", "sport", "sport", "weather", "weather"]
    proba = np.array(
        [
            [0.7, 0.2, 0.1],  # news
            [0.3, 0.6, 0.1],  # sport (wrong)
            [0.1, 0.8, 0.1],  # sport
            [0.2, 0.5, 0.3],  # sport
            [0.1, 0.1, 0.8],  # weather
            [0.5, 0.1, 0.4],  # news (wrong)
        ]
    )
    report = evaluate_predictions(labels, proba, classes, sources=["x"] * 6)
    assert report["flagged_label"] is None and report["threshold"] is None
    assert report["roc_auc"] is None and "no flagged label" in report["auc_note"]
    assert report["calibration"]["flagged_ece"] is None
    assert report["confusion_matrix"]["matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert report["per_label"]["news"] == pytest.approx(
        {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    )
    assert report["per_label"]["sport"] == pytest.approx(
        {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2}
    )
    assert report["per_label"]["weather"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    )
    assert report["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["by_source"]["x"]["flagged"] is None
    assert_plain_json(report)


def test_multiclass_report_with_flagged_label_and_threshold():
    classes = ["news", "sport", "weather"]
    labels = ["sport", "news", "weather", "weather"]
    proba = np.array([[0.5, 0.4, 0.1], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
    report = evaluate_predictions(labels, proba, classes, flagged_label="sport", threshold=0.35)
    # Row 0 is flagged (0.4 >= 0.35) though news is more probable; row 1 is not.
    assert report["confusion_matrix"]["matrix"] == [[1, 0, 0], [0, 1, 0], [0, 0, 2]]
    assert report["roc_auc"] == 1.0
    assert report["calibration"]["bins"][4]["count"] == 1  # row 0: confidence 0.4
    assert_plain_json(report)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"labels": [POS, "unknown"]}, r"\['unknown'\] are not among the classes"),
        ({"flagged_label": "sport"}, "flagged_label 'sport' is not among the classes"),
        ({"proba": binary_proba([0.5, 0.5, 0.5])}, "2 labels but 3 probability rows"),
        ({"proba": np.full((2, 3), 1 / 3)}, "3 columns but there are 2 classes"),
        ({"sources": ["a"]}, "2 labels but 1 sources"),
        ({"threshold": 1.5}, r"threshold must be a number in \[0, 1\]"),
        ({"classes": [POS, POS]}, "classes must be distinct"),
    ],
)
def test_evaluate_predictions_rejects_bad_input(kwargs, match):
    args = {"labels": [POS, NEG], "proba": binary_proba([0.9, 0.1]), "classes": BINARY}
    args.update(kwargs)
    labels, proba, classes = args.pop("labels"), args.pop("proba"), args.pop("classes")
    with pytest.raises(ValueError, match=match):
        evaluate_predictions(labels, proba, classes, **args)


# -- select_threshold -----------------------------------------------------------------

# Scores descending; precision/recall when flagging from the top down:
#   0.95 P 1/1 r .25 | 0.9 P 2/2 r .5 | 0.8 N 2/3 r .5 | 0.7 P 3/4 r .75
#   0.6 N 3/5 r .75 | 0.5 P 4/6 r 1 | 0.4 N 4/7 r 1 | 0.3 N 4/8 r 1
SCORES = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
TRUTH = [POS, POS, NEG, POS, NEG, POS, NEG, NEG]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ({"precision": 1.0}, ThresholdChoice(0.9, 1.0, 0.5, 2)),
        ({"precision": 0.75}, ThresholdChoice(0.7, 0.75, 0.75, 4)),
        # Precision is not monotone: 0.6 misses 0.65 but the lower 0.5 reaches it.
        ({"precision": 0.65}, ThresholdChoice(0.5, 4 / 6, 1.0, 6)),
        ({"precision": 0.5}, ThresholdChoice(0.3, 0.5, 1.0, 8)),
        ({"recall": 1.0}, ThresholdChoice(0.5, 4 / 6, 1.0, 6)),
        ({"recall": 0.75}, ThresholdChoice(0.7, 0.75, 0.75, 4)),
        ({"recall": 0.6}, ThresholdChoice(0.7, 0.75, 0.75, 4)),
        ({"recall": 0.5}, ThresholdChoice(0.9, 1.0, 0.5, 2)),
        ({"recall": 0.1}, ThresholdChoice(0.95, 1.0, 0.25, 1)),
    ],
)
def test_select_threshold_by_hand(target, expected):
    choice = select_threshold(TRUTH, SCORES, flagged_label=POS, **target)
    assert choice.threshold == expected.threshold
    assert choice.precision == pytest.approx(expected.precision)
    assert choice.recall == pytest.approx(expected.recall)
    assert choice.n_flagged == expected.n_flagged


def test_selected_threshold_gives_the_promised_metrics_in_the_report():
    choice = select_threshold(TRUTH, SCORES, flagged_label=POS, precision=0.75)
    report = evaluate_predictions(
        TRUTH, binary_proba(SCORES), BINARY, flagged_label=POS, threshold=choice.threshold
    )
    assert report["per_label"][POS]["precision"] == pytest.approx(choice.precision)
    assert report["per_label"][POS]["recall"] == pytest.approx(choice.recall)
    matrix = report["confusion_matrix"]["matrix"]  # rows true, columns predicted
    assert matrix[0][1] + matrix[1][1] == choice.n_flagged
    assert json.dumps(choice.to_dict())


def test_select_threshold_raises_when_precision_unattainable():
    with pytest.raises(ValueError, match=r"no threshold reaches precision 0.6 .* best is 0.5"):
        select_threshold([NEG, POS], [0.9, 0.1], flagged_label=POS, precision=0.6)


@pytest.mark.parametrize(
    ("labels", "kwargs", "match"),
    [
        ([NEG, NEG], {"recall": 0.5}, "no post is labelled 'promotional'"),
        ([NEG, POS], {}, "exactly one of precision= and recall="),
        ([NEG, POS], {"precision": 0.9, "recall": 0.9}, "exactly one of"),
        ([NEG, POS], {"recall": 1.5}, r"recall must be a number in \(0, 1\]"),
        ([NEG, POS], {"precision": 0.0}, r"precision must be a number in \(0, 1\]"),
    ],
)
def test_select_threshold_rejects_bad_input(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        select_threshold(labels, [0.2, 0.8], flagged_label=POS, **kwargs)


# -- evaluate with a fitted model and format_report -----------------------------------


def test_evaluate_matches_model_predictions(toy_model):
    texts = SPORT + WEATHER
    labels = [POS] * 4 + [NEG] * 4
    sources = ["sport_site"] * 4 + ["weather_site"] * 4
    report = evaluate(toy_model, texts, labels, sources=sources)
    predicted = toy_model.predict(texts)
    n_flagged = int((predicted == POS).sum())
    assert report["labels"] == BINARY
    assert report["flagged_label"] == POS
    assert report["threshold"] == toy_model.threshold
    assert sum(row[1] for row in report["confusion_matrix"]["matrix"]) == n_flagged
    assert (
        report["by_source"]["sport_site"]["flagged"]
        + report["by_source"]["weather_site"]["flagged"]
        == n_flagged
    )
    assert report["accuracy"] == pytest.approx(float(np.mean(predicted == np.array(labels))))
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text) == report
    assert_plain_json(report)


def test_evaluate_threshold_override_and_given_proba(toy_model):
    texts = SPORT + WEATHER
    labels = [POS] * 4 + [NEG] * 4
    everything = evaluate(toy_model, texts, labels, threshold=0.0)
    assert everything["threshold"] == 0.0
    assert everything["confusion_matrix"]["matrix"] == [[0, 4], [0, 4]]
    # Given probabilities are used as they are, not recomputed.
    proba = binary_proba([0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9])
    report = evaluate(toy_model, texts, labels, proba=proba)
    assert report["confusion_matrix"]["matrix"] == [[3, 1], [2, 2]]
    with pytest.raises(ValueError, match="8 posts but 2 rows"):
        evaluate(toy_model, texts, labels, proba=proba[:2])


def test_evaluate_model_whose_flagged_label_is_not_a_class():
    model = ExtremismClassifier(min_df=1, calibration_cv=2)  # flagged_label="promotional"
    model.fit(TOY_TEXTS, ["sport"] * 4 + ["weather"] * 4 + ["sport"] * 4 + ["weather"] * 4)
    report = evaluate(model, SPORT, ["sport"] * 4)
    assert report["flagged_label"] is None
    assert report["roc_auc"] is None
    assert report["per_label"]["sport"]["support"] == 4


def test_format_report_contains_the_numbers():
    labels = [POS, POS, POS, NEG, NEG, NEG]
    proba = binary_proba([0.9, 0.6, 0.3, 0.7, 0.2, 0.1])
    report = evaluate_predictions(
        labels, proba, BINARY, flagged_label=POS, sources=["a", "a", "b", "b", "b", "b"]
    )
    text = format_report(report)
    assert f"{report['macro_f1']:.3f}" in text
    assert "0.667" in text and f"{7 / 9:.3f}" in text
    assert POS in text and NEG in text
    lines = text.splitlines()
    assert any(line.startswith("macro F1") and "0.667" in line for line in lines)
    assert any(line.split()[:2] == ["b", "4"] for line in lines)


def test_format_report_without_flagged_label_or_aucs():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    report = evaluate_predictions(["a", "b", "c"], proba, ["a", "b", "c"])
    text = format_report(report)
    assert "macro F1     1.000" in text
    assert "no flagged label" in text
