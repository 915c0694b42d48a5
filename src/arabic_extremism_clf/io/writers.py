"""Writers: output rows (dicts) as JSON Lines or CSV.

An output row is ``{["file",] "line", ["id",] "label", "confidence", "scores"[,
"explanation"]}`` for a scored input row, or ``{["file",] "line", ["id",] "error"}``
for one that could not be scored (see :func:`arabic_extremism_clf.scoring.score_records`).
JSON is written by the standard library's encoder with ``allow_nan=False``: a value
JSON cannot hold raises instead of writing invalid JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

__all__ = ["OUTPUT_FORMATS", "output_columns", "JsonlWriter", "CsvWriter", "json_dumps"]

#: Output formats (:class:`JsonlWriter`, :class:`CsvWriter`).
OUTPUT_FORMATS = ("jsonl", "csv")

#: ``json.dumps`` for output: UTF-8 text kept, no NaN or infinity, and the ``str`` of a
#: value JSON has no type for (e.g. a Parquet timestamp id).
json_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=str).encode

_compact_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def output_columns(
    classes: Sequence[str],
    *,
    with_id: bool = False,
    with_file: bool = False,
    explain: bool = False,
    extra: Sequence[str] = (),
) -> list[str]:
    """The CSV output columns.

    ``[file,] line, [id,] label, confidence, score_<label>..., [explained_label,
    explanation,] [extra...,] error``: ``explanation`` holds the n-grams as a JSON
    array of ``[feature, weight]`` pairs (see :class:`CsvWriter`); ``extra`` names
    further fields of the rows, written as JSON (e.g. ``match``).

    Examples
    --------
    >>> output_columns(["a", "b"], with_id=True)
    ['line', 'id', 'label', 'confidence', 'score_a', 'score_b', 'error']
    >>> output_columns(["a", "b"], explain=True)[-3:]
    ['explained_label', 'explanation', 'error']
    """
    head = (["file"] if with_file else []) + ["line"] + (["id"] if with_id else [])
    tail = (["explained_label", "explanation"] if explain else []) + list(extra) + ["error"]
    return head + ["label", "confidence"] + [f"score_{c}" for c in classes] + tail


class JsonlWriter:
    """Write output rows as JSON Lines (UTF-8, non-ASCII characters kept).

    Parameters
    ----------
    stream : text file
        Opened with ``newline=""`` or in a mode that does not translate ``\\n``.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> JsonlWriter(out).write([{"line": 1, "error": "empty post"}])
    1
    >>> out.getvalue()
    '{"line": 1, "error": "empty post"}\\n'
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def header(self) -> None:
        """JSON Lines has no header: nothing to write."""

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write rows (dicts), one JSON object per line; return how many.

        Raises
        ------
        ValueError
            If a row holds NaN or an infinity (nothing of the batch is written).
        """
        lines = [json_dumps(row) + "\n" for row in rows]
        self.stream.write("".join(lines))
        return len(lines)


class CsvWriter:
    """Write output rows as CSV with the columns of :func:`output_columns`.

    Parameters
    ----------
    stream : text file
        Opened with ``newline=""``.
    classes : sequence of str
        The model's labels, for the ``score_<label>`` columns.
    with_id, with_file : bool
        Whether the rows carry ``id`` / ``file``.
    explain : bool, default=False
        Whether the rows carry an explanation: then the columns ``explained_label``
        and ``explanation``, the n-grams as a compact JSON array of ``[feature,
        weight]`` pairs, largest absolute weight first (``json.loads`` reads it back).
    extra : sequence of str
        Further fields of the rows, one column each, as compact JSON (``null`` for None).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> row = {"line": 1, "label": "a", "confidence": 0.75, "scores": {"a": 0.75, "b": 0.25},
    ...        "explanation": {"label": "a", "ngrams": [{"feature": "w:x y", "weight": 0.5}]}}
    >>> CsvWriter(out, ["a", "b"], explain=True).write([row])
    1
    >>> print(out.getvalue(), end="")
    1,a,0.75,0.75,0.25,a,"[[""w:x y"",0.5]]",
    """

    def __init__(
        self,
        stream: IO[str],
        classes: Sequence[str],
        *,
        with_id: bool = False,
        with_file: bool = False,
        explain: bool = False,
        extra: Sequence[str] = (),
    ) -> None:
        self.stream = stream
        self.classes = [str(c) for c in classes]
        self.extra = list(extra)
        self.columns = output_columns(
            self.classes, with_id=with_id, with_file=with_file, explain=explain, extra=extra
        )
        self._writer = csv.writer(stream, lineterminator="\n")
        self._with_id = with_id
        self._with_file = with_file
        self._explain = explain

    def header(self) -> None:
        """Write the header row."""
        self._writer.writerow(self.columns)

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write rows (dicts); the scores of an error row are empty. Return how many.

        Raises
        ------
        ValueError
            If a score is NaN or infinite (nothing of the batch is written).
        """
        out = []
        n_empty = len(self.classes) + 2 + 2 * self._explain
        for row in rows:
            fields: list[Any] = [row.get("file")] if self._with_file else []
            fields.append(row["line"])
            if self._with_id:
                ident = row.get("id")
                fields.append("" if ident is None else ident)
            error = row.get("error")
            if error is None:
                scores = row["scores"]
                values = [row["confidence"], *(scores[c] for c in self.classes)]
                _check_finite(values)
                fields += [row["label"], *values]
                if self._explain:
                    explanation = row.get("explanation")
                    if explanation is None:
                        raise ValueError(
                            f"this CsvWriter has explanation columns but the row of line "
                            f"{row['line']} has no explanation: score with explain=True"
                        )
                    pairs = [[n["feature"], n["weight"]] for n in explanation["ngrams"]]
                    fields += [explanation["label"], _compact_json(pairs)]
                fields += [_compact_json(row.get(name)) for name in self.extra]
                fields.append("")
            else:
                fields += [""] * (n_empty + len(self.extra))
                fields.append(error)
            out.append(fields)
        self._writer.writerows(out)
        return len(out)


def _check_finite(values: Sequence[float]) -> None:
    for value in values:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"a score is {value!r}: the model gave a value that is not finite")
