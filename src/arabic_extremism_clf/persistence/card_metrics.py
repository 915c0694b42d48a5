"""The "Evaluation" section of the model card, from the manifest's ``metrics``.

Cross-validation, held-out sets and ranking figures become tables; every other detail
is left to ``manifest.json`` and pointed to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._markdown import (
    _MISSING,
    _cell,
    _code,
    _is_number,
    _json_block,
    _label_name,
    _mapping,
    _number,
    _percent,
    _table,
    _threshold,
)

__all__ = ["metrics_section"]


def _threshold_sentence(threshold: Any, selection: Mapping[str, Any]) -> str:
    method = selection.get("method")
    if isinstance(method, str) and method:
        return f"Threshold {_threshold(threshold)}. How it was chosen: {method}."
    return (
        f"Threshold {_threshold(threshold)} (the estimator's `threshold` parameter); how "
        "it was chosen is not recorded."
    )


def _cv_section(
    cv: Mapping[str, Any], selection: Mapping[str, Any], flagged: Any, heldout: bool
) -> str:
    if isinstance(cv.get("flagged_label"), str):
        flagged = cv["flagged_label"]
    name = _label_name(flagged)
    per_label = _mapping(_mapping(cv.get("per_label")).get(flagged))
    calibration = _mapping(cv.get("calibration"))
    figures = [
        ("posts", _number(cv.get("n"))),
        ("macro-F1", _number(cv.get("macro_f1"))),
        ("ROC-AUC", _number(cv.get("roc_auc"))),
        ("PR-AUC (average precision)", _number(cv.get("pr_auc"))),
        (f"precision of {name}", _number(per_label.get("precision"))),
        (f"recall of {name}", _number(per_label.get("recall"))),
        (f"F1 of {name}", _number(per_label.get("f1"))),
        ("ECE (confidence of the predicted label)", _number(calibration.get("ece"))),
        (f"ECE (probability of {name})", _number(calibration.get("flagged_ece"))),
        ("threshold", _threshold(cv.get("threshold"))),
    ]
    rows = [[figure, value] for figure, value in figures if value != _MISSING]
    intro = (
        "Out-of-fold predictions (cross-validation). These posts come from the training "
        "data's distribution, so the figures overstate performance on other sources"
        + ("; the held-out sets below show those." if heldout else ".")
    )
    sources = _mapping(cv.get("by_source"))
    if sources:
        intro += (
            " Sources: "
            + ", ".join(
                f"`{_cell(source)}` ({_number(_mapping(counts).get('n'))} posts)"
                for source, counts in sources.items()
            )
            + "."
        )
    parts = [intro, _table(["figure", "value"], rows)]
    if cv.get("threshold") is not None or selection:
        threshold = selection.get("threshold", cv.get("threshold"))
        parts.append(_threshold_sentence(threshold, selection))
    return "### Cross-validation\n\n" + "\n\n".join(parts)


def _flag_counts(report: Mapping[str, Any], flagged: Any) -> tuple[Any, Any, Any]:
    """``(positives, flagged, true flags)`` of the flagged label; None where unknown.

    From the confusion matrix, else summed over ``by_source`` (without true flags).
    """
    matrix = _mapping(report.get("confusion_matrix"))
    labels, rows = matrix.get("labels"), matrix.get("matrix")
    try:
        if not isinstance(labels, list):
            raise TypeError("no confusion matrix labels")
        j = labels.index(flagged)
        positives = sum(rows[j])
        return positives, sum(row[j] for row in rows), rows[j][j]
    except (KeyError, ValueError, TypeError, IndexError):
        pass
    sources = [_mapping(s) for s in _mapping(report.get("by_source")).values()]
    try:
        return sum(s["positives"] for s in sources), sum(s["flagged"] for s in sources), None
    except (KeyError, TypeError):
        return None, None, None


def _heldout_row(name: str, report: Mapping[str, Any], flagged: Any, threshold: Any) -> list[str]:
    n = report.get("n")
    positives, n_flagged, true_flags = _flag_counts(report, flagged)
    flag_rate = n_flagged / n if _is_number(n_flagged) and _is_number(n) and n else None
    fpr = None
    if _is_number(positives) and _is_number(n) and n > positives:
        if positives == 0:
            fpr = flag_rate
        elif _is_number(true_flags):
            fpr = (n_flagged - true_flags) / (n - positives)
    per_label = _mapping(report.get("per_label"))
    recall = _mapping(per_label.get(flagged)).get("recall") if positives else None
    both = sum(1 for m in per_label.values() if _mapping(m).get("support")) >= 2
    label = _code(_cell(name))
    if _is_number(report.get("threshold")) and report["threshold"] != threshold:
        label += f" (threshold {_threshold(report['threshold'])})"
    return [
        label,
        _number(n),
        _number(positives),
        f"{_number(n_flagged)} ({_percent(flag_rate)})" if _is_number(n_flagged) else _MISSING,
        _percent(fpr),
        _number(recall),
        _number(report.get("macro_f1")) if both else _MISSING,
        _number(_mapping(report.get("calibration")).get("ece")),
    ]


def _heldout_section(heldout: Mapping[str, Any], flagged: Any, threshold: Any) -> str:
    rows = [
        _heldout_row(name, _mapping(report), flagged, threshold) for name, report in heldout.items()
    ]
    name = _label_name(flagged)
    header = [
        "held-out set",
        "posts",
        f"{name} posts",
        "flagged (rate)",
        "false-positive rate",
        "recall",
        "macro-F1",
        "ECE",
    ]
    return (
        "### Held-out sets\n\n"
        f"The final model on sets it was not trained on, at its threshold "
        f"({_threshold(threshold)}). On a set without {name} posts every flag is a false "
        f"positive, and recall and macro-F1 are undefined ({_MISSING}).\n\n" + _table(header, rows)
    )


def _ranking_section(ranking: Mapping[str, Any], flagged: Any) -> str:
    rows = [
        [
            _code(_cell(name)),
            _number(_mapping(figures).get("roc_auc")),
            _number(_mapping(figures).get("n_positive")),
            _number(_mapping(figures).get("n_negative")),
        ]
        for name, figures in ranking.items()
    ]
    return (
        "### Ranking\n\n"
        f"ROC-AUC of the {_label_name(flagged)} probability, independent of the threshold: the "
        "cross-validation positives (out-of-fold scores) against the posts of each held-out "
        "set as negatives.\n\n"
        + _table(["negatives", "ROC-AUC", "positives", "negatives (n)"], rows)
    )


_METRIC_PARTS = (
    "threshold_selection",
    "cross_validation",
    "heldout",
    "ranking",
    "shortcut_audit",
    "ece_by_length",
    "evidence_benchmark",
)


def _details(metrics: Mapping[str, Any]) -> list[str]:
    """Names of the details of ``metrics`` that the card leaves to the manifest."""
    reports = [_mapping(metrics.get("cross_validation"))]
    reports += [_mapping(r) for r in _mapping(metrics.get("heldout")).values()]
    details = []
    if _mapping(metrics.get("threshold_selection")).get("sweep"):
        details.append("the threshold sweep")
    for key, what in (
        ("per_label", "figures per label"),
        ("confusion_matrix", "confusion matrices"),
        ("calibration", "calibration bins"),
        ("by_source", "rates per source"),
    ):
        if any(report.get(key) for report in reports):
            details.append(what)
    return details


def metrics_section(metrics: Mapping[str, Any] | None, manifest: Mapping[str, Any]) -> str:
    if not metrics:
        return "Not recorded: `metrics` was not passed to `save_model`."
    if not isinstance(metrics, Mapping):
        return _json_block(metrics)
    flagged = manifest.get("flagged_label")
    threshold = manifest.get("threshold")
    cv = _mapping(metrics.get("cross_validation"))
    heldout = _mapping(metrics.get("heldout"))
    ranking = _mapping(metrics.get("ranking"))
    parts = []
    if cv:
        selection = _mapping(metrics.get("threshold_selection"))
        parts.append(_cv_section(cv, selection, flagged, bool(heldout)))
    elif _mapping(metrics.get("threshold_selection")):  # no cross-validation: say how anyway
        selection = _mapping(metrics["threshold_selection"])
        parts.append("### Threshold\n\n" + _threshold_sentence(threshold, selection))
    if heldout:
        parts.append(_heldout_section(heldout, flagged, threshold))
    if ranking:
        parts.append(_ranking_section(ranking, flagged))
    from ..audit import evidence_card_sections

    parts.extend(evidence_card_sections(metrics))
    rest = {k: v for k, v in metrics.items() if k not in _METRIC_PARTS}
    flat = {k: v for k, v in rest.items() if not isinstance(v, (Mapping, list))}
    if flat:
        parts.append(_table(["figure", "value"], [[_cell(k), _cell(v)] for k, v in flat.items()]))
    details = _details(metrics)
    pointer = "Every figure is also in `manifest.json` under `metrics`"
    if details:
        listed = ", ".join(details[:-1]) + " and " if len(details) > 1 else ""
        pointer += f", with {listed}{details[-1]}"
    pointer += "."
    unshown = [_code(_cell(k)) for k in rest if k not in flat]
    if unshown:
        pointer += " Also recorded there: " + ", ".join(unshown) + "."
    return "\n\n".join([pointer, *parts])
