"""Plain-text rendering of evaluation reports (the dicts of :mod:`.evaluate`).

:func:`format_report` turns a report from :func:`~arabic_extremism_clf.evaluate.evaluate`
or :func:`~arabic_extremism_clf.evaluate.evaluate_predictions` into aligned text tables;
``evaluate`` re-exports it. Nothing is printed here: the CLI prints the text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_report"]


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_report(report: dict[str, Any]) -> str:
    """A human-readable text version of a report from :func:`evaluate`.

    Parameters
    ----------
    report : dict
        As returned by :func:`evaluate` or :func:`evaluate_predictions`.

    Returns
    -------
    str
        Several aligned tables, numbers to three decimals, ``-`` where undefined.

    Examples
    --------
    >>> import numpy as np
    >>> from arabic_extremism_clf.evaluate import evaluate_predictions
    >>> proba = np.array([[0.2, 0.8], [0.7, 0.3], [0.4, 0.6]])
    >>> report = evaluate_predictions(["spam", "ham", "ham"], proba, ["ham", "spam"],
    ...                               flagged_label="spam")
    >>> "macro F1     0.667" in format_report(report)
    True
    """
    calibration = report["calibration"]
    lines = [
        f"posts        {report['n']}",
        f"flagged      {_fmt(report['flagged_label'])} (threshold {_fmt(report['threshold'])})",
        f"accuracy     {_fmt(report['accuracy'])}",
        f"macro F1     {_fmt(report['macro_f1'])}",
        f"ROC AUC      {_fmt(report['roc_auc'])}",
        f"PR AUC       {_fmt(report['pr_auc'])}",
    ]
    if report.get("auc_note"):
        lines.append(f"             ({report['auc_note']})")
    lines.append(f"ECE          {_fmt(calibration['ece'])} (confidence of the predicted label)")
    if calibration.get("flagged_ece") is not None:
        lines.append(f"flagged ECE  {_fmt(calibration['flagged_ece'])}")
    lines.append("")
    rows = [
        [label, _fmt(m["precision"]), _fmt(m["recall"]), _fmt(m["f1"]), _fmt(m["support"])]
        for label, m in report["per_label"].items()
    ]
    lines += _table(["label", "precision", "recall", "f1", "support"], rows)
    lines.append("")
    cm = report["confusion_matrix"]
    lines.append("confusion matrix (rows true, columns predicted)")
    lines += _table(
        ["", *cm["labels"]],
        [[label, *(str(v) for v in row)] for label, row in zip(cm["labels"], cm["matrix"])],
    )
    by_source = report.get("by_source")
    if by_source:
        lines.append("")
        header = ["source", "n", "accuracy", "positives", "flagged", "flag rate", "recall", "FPR"]
        rows = [
            [
                name,
                _fmt(s["n"]),
                _fmt(s["accuracy"]),
                _fmt(s["positives"]),
                _fmt(s["flagged"]),
                _fmt(s["flag_rate"]),
                _fmt(s["recall"]),
                _fmt(s["false_positive_rate"]),
            ]
            for name, s in by_source.items()
        ]
        lines += _table(header, rows)
    return "\n".join(lines) + "\n"
