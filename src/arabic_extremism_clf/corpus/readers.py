"""Reading labelled files.

:func:`read_corpus` reads a user's CSV, TSV or JSON Lines file; the low-level text and
delimited-record readers are shared with the loaders.

Every refusal is a :class:`~arabic_extremism_clf.errors.CorpusError` naming the file,
the 1-based physical line, the column and the fix.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from .base import Corpus

logger = logging.getLogger(__name__)


def _read_text(path: Path, encoding: str) -> str:
    """The whole file decoded; undecodable bytes -> CorpusError with the line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise CorpusError("is a directory, expected a file", path=str(path)) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end]
        raise CorpusError(
            f"cannot decode byte(s) {bad!r} as {encoding} ({exc.reason}): save the file "
            f"as UTF-8, or pass encoding= naming the file's encoding",
            path=str(path),
            line=line,
        ) from None
    except LookupError:
        raise CorpusError(f"unknown encoding {encoding!r}", path=str(path)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _delimited_records(
    text: str, path: Path, *, delimiter: str, quoting: int
) -> Iterator[tuple[int, int, list[str]]]:
    """Yield ``(first_line, last_line, fields)`` per record; blank lines are skipped.

    Line numbers are 1-based physical lines, so a record with a quoted line break spans
    several. Malformed quoting raises :class:`CorpusError` at the line concerned.
    """
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True
    )
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, path, start, reader.line_num) from None
        end = reader.line_num
        if row:
            yield start, end, row
        start = end + 1


def _csv_error(exc: csv.Error, path: Path, start: int, current: int) -> CorpusError:
    """A CorpusError explaining a csv module error."""
    if "unexpected end of data" in str(exc):
        return CorpusError(
            "a double quote opened in this record is never closed (the field runs to the "
            "end of the file): close the quote, or double every quote inside a quoted "
            'field ("")',
            path=str(path),
            line=start,
        )
    return CorpusError(
        f"malformed quoting ({exc}): a field that starts with a double quote must end "
        'with one right before the delimiter; double every quote inside it (""), or '
        "pass quoting=False if the file does not quote fields",
        path=str(path),
        line=current,
    )


_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def read_corpus(
    path: str | os.PathLike[str],
    *,
    text_col: str = "text",
    label_col: str = "label",
    id_col: str | None = None,
    format: str | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    quoting: bool = True,
    min_labels: int = 2,
) -> Corpus:
    """Read a user's labelled corpus from a CSV, TSV or JSON Lines file.

    CSV and TSV files need a header row; fields that contain the delimiter, a double
    quote or a line break must be double-quoted (as spreadsheet programs and pandas
    write them). A JSON Lines file holds one JSON object per line. Blank lines are
    ignored. Labels may be any strings (numbers are converted with ``str``).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    text_col, label_col : str, default "text", "label"
        Column (or JSON field) of the post and of its label.
    id_col : str, optional
        Column of a row identifier (must be unique). Default: ``"<stem>:<line>"``.
    format : {"csv", "tsv", "jsonl"}, optional
        Default: from the suffix (``.csv``; ``.tsv``/``.tab``; ``.jsonl``/``.ndjson``).
    encoding : str, default "utf-8"
        A leading byte-order mark is ignored.
    delimiter : str, optional
        Field delimiter of CSV/TSV files. Default: ``","`` for CSV, tab for TSV.
    quoting : bool, default True
        Whether CSV/TSV fields may be double-quoted. Pass ``False`` for files, such as
        many tweet dumps, whose texts contain stray quotes and no delimiters.
    min_labels : int, default 2
        Fewest distinct labels accepted. Training needs two; pass 1 to read a one-class
        file for evaluation (e.g. news only, to measure false positives).

    Returns
    -------
    Corpus
        ``sources`` is the file stem for every row; ``groups`` equal ``ids``; ``meta``
        holds ``{"line": first physical line, "columns": {other columns}}``.

    Raises
    ------
    CorpusError
        If the file cannot be read as asked. The message names the file, the 1-based
        line and the column where known, and says how to fix it: undecodable bytes,
        malformed quoting, a row with the wrong number of fields, invalid JSON, a
        missing column, an empty text or label, a duplicate id, no rows, or fewer
        than ``min_labels`` distinct labels.
    """
    path = Path(path)
    fmt = _infer_format(path, format)
    text = _read_text(path, encoding)
    if fmt == "jsonl":
        if delimiter is not None:
            raise CorpusError("delimiter= applies to CSV/TSV files, not JSON Lines", path=str(path))
        rows = _jsonl_rows(text, path, text_col, label_col, id_col)
    else:
        sep = delimiter if delimiter is not None else ("\t" if fmt == "tsv" else ",")
        if len(sep) != 1:
            raise CorpusError(f"delimiter must be one character, got {sep!r}", path=str(path))
        rows = _table_rows(
            text,
            path,
            sep,
            csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
            text_col,
            label_col,
            id_col,
        )
    return _user_corpus(path, rows, id_col, min_labels)


def _infer_format(path: Path, format: str | None) -> str:
    """The format, given or from the file suffix."""
    if format is not None:
        fmt = str(format).lower().lstrip(".")
        fmt = {"ndjson": "jsonl", "tab": "tsv"}.get(fmt, fmt)
        if fmt not in ("csv", "tsv", "jsonl"):
            raise CorpusError(
                f"unknown format {format!r}: use 'csv', 'tsv' or 'jsonl'", path=str(path)
            )
        return fmt
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CorpusError(
            f"cannot tell the format from the suffix {path.suffix!r}: pass "
            "format='csv', 'tsv' or 'jsonl' (or rename the file)",
            path=str(path),
        )
    return fmt


# A parsed row: (first line, text, label, id or None, other fields)
_Row = tuple[int, str, str, str | None, dict]


def _table_rows(
    text: str,
    path: Path,
    delimiter: str,
    quoting: int,
    text_col: str,
    label_col: str,
    id_col: str | None,
) -> list[_Row]:
    """Rows of a CSV/TSV file with a header, checked."""
    records = _delimited_records(text, path, delimiter=delimiter, quoting=quoting)
    first = next(records, None)
    if first is None:
        raise CorpusError(
            f"the file is empty: expected a header row naming the columns "
            f"{text_col!r} and {label_col!r}, then one row per post",
            path=str(path),
            line=1,
        )
    header_line, _, header = first
    header = [name.strip() for name in header]
    _check_header(header, path, header_line, text_col, label_col, id_col, delimiter)
    position = {name: i for i, name in enumerate(header)}
    rows: list[_Row] = []
    for start, end, fields in records:
        if len(fields) != len(header):
            raise _field_count_error(fields, header, path, start, end, delimiter)
        values = dict(zip(header, fields))
        text_value = fields[position[text_col]]
        label = fields[position[label_col]]
        ident = fields[position[id_col]] if id_col is not None else None
        _check_row(path, start, text_col, text_value, label_col, label, id_col, ident)
        others = {k: v for k, v in values.items() if k not in (text_col, label_col, id_col)}
        rows.append((start, text_value, label.strip(), ident, others))
    return rows


def _check_header(
    header: list[str],
    path: Path,
    line: int,
    text_col: str,
    label_col: str,
    id_col: str | None,
    delimiter: str,
) -> None:
    """Refuse a header without the requested columns or with duplicate names."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise CorpusError(
                f"the header names the column {name!r} twice: give every column a distinct name",
                path=str(path),
                line=line,
                column=name,
            )
        seen.add(name)
    for name, option in ((text_col, "text_col"), (label_col, "label_col"), (id_col, "id_col")):
        if name is not None and name not in seen:
            hint = ""
            if len(header) == 1 and any(d in header[0] for d in ",\t;|" if d != delimiter):
                hint = " (the header is a single column: is the delimiter right? pass delimiter= or format=)"
            raise CorpusError(
                f"no column {name!r}; the header has the columns "
                f"{', '.join(repr(h) for h in header)}: pass {option}= naming the "
                f"column that holds the {option[:-4]}{hint}",
                path=str(path),
                line=line,
                column=name,
            )


def _field_count_error(
    fields: list[str], header: list[str], path: Path, start: int, end: int, delimiter: str
) -> CorpusError:
    """A CorpusError for a record whose field count differs from the header's."""
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    message = (
        f"row has {len(fields)} field{'s' if len(fields) != 1 else ''}, header has "
        f"{len(header)}: quote fields containing the delimiter ({shown}) with double "
        'quotes, and double any quote inside them ("")'
    )
    if end > start:
        message += (
            f"; this record spans lines {start}-{end}: look for a double quote that "
            "opens a field and is not closed where it should be"
        )
    column = header[len(fields)] if len(fields) < len(header) else None
    return CorpusError(message, path=str(path), line=start, column=column)


def _check_row(
    path: Path,
    line: int,
    text_col: str,
    text: Any,
    label_col: str,
    label: Any,
    id_col: str | None,
    ident: Any,
) -> None:
    """Refuse an empty or non-string text, an empty label or an empty id."""
    if not isinstance(text, str):
        raise CorpusError(
            f"field {text_col!r} is not a string but {_json_type(text)}: write the post "
            "as a JSON string",
            path=str(path),
            line=line,
            column=text_col,
        )
    if not text.strip():
        raise CorpusError(
            f"field {text_col!r} is empty: every row needs a post; fill it in or delete the row",
            path=str(path),
            line=line,
            column=text_col,
        )
    if not isinstance(label, str) or not label.strip():
        raise CorpusError(
            f"empty label in field {label_col!r}: every row needs a label; fill it in or "
            "delete the row",
            path=str(path),
            line=line,
            column=label_col,
        )
    if id_col is not None and (not isinstance(ident, str) or not ident.strip()):
        raise CorpusError(
            f"empty id in field {id_col!r}: every row needs an id when id_col= is given",
            path=str(path),
            line=line,
            column=id_col,
        )


def _json_type(value: Any) -> str:
    """JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def _jsonl_rows(
    text: str, path: Path, text_col: str, label_col: str, id_col: str | None
) -> list[_Row]:
    """Rows of a JSON Lines file, checked."""
    rows: list[_Row] = []
    # Split on "\n" only: str.splitlines would also split on U+2028 and other
    # characters that JSON strings may legally hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(
                f"invalid JSON: {exc.msg} at character {exc.colno}: write exactly one "
                "JSON object per line (line breaks inside a text must be written \\n)",
                path=str(path),
                line=number,
            ) from None
        if not isinstance(obj, dict):
            raise CorpusError(
                f"the line holds {_json_type(obj)}, expected a JSON object with the "
                f"fields {text_col!r} and {label_col!r}",
                path=str(path),
                line=number,
            )
        for name, option in ((text_col, "text_col"), (label_col, "label_col"), (id_col, "id_col")):
            if name is not None and name not in obj:
                fields = ", ".join(repr(k) for k in obj) or "none"
                raise CorpusError(
                    f"field {name!r} is missing; the object has the fields {fields}: add "
                    f"it, or pass {option}= naming the field that holds the {option[:-4]}",
                    path=str(path),
                    line=number,
                    column=name,
                )
        label = _json_label(obj[label_col], path, number, label_col)
        ident = obj[id_col] if id_col is not None else None
        if id_col is not None and isinstance(ident, (int, float)) and not isinstance(ident, bool):
            ident = str(ident)
        _check_row(path, number, text_col, obj[text_col], label_col, label, id_col, ident)
        others = {k: v for k, v in obj.items() if k not in (text_col, label_col, id_col)}
        rows.append((number, obj[text_col], label.strip(), ident, others))
    return rows


def _json_label(value: Any, path: Path, line: int, label_col: str) -> str:
    """A JSON label as a string: strings, numbers and booleans are accepted."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    if value is None:
        return ""
    raise CorpusError(
        f"label in field {label_col!r} is {_json_type(value)}: labels must be strings or numbers",
        path=str(path),
        line=line,
        column=label_col,
    )


def _user_corpus(path: Path, rows: Sequence[_Row], id_col: str | None, min_labels: int) -> Corpus:
    """Build the Corpus of read_corpus, refusing duplicate ids, no rows, too few labels."""
    if not rows:
        raise CorpusError("no data rows: the file needs one row per labelled post", path=str(path))
    stem = path.stem
    ids: list[str] = []
    first_line: dict[str, int] = {}
    for line, _, _, ident, _ in rows:
        key = ident if ident is not None else f"{stem}:{line}"
        if key in first_line:
            raise CorpusError(
                f"duplicate id {key!r} (first on line {first_line[key]}): ids in "
                f"{id_col!r} must be unique",
                path=str(path),
                line=line,
                column=id_col,
            )
        first_line[key] = line
        ids.append(key)
    labels = tuple(row[2] for row in rows)
    distinct = sorted(set(labels))
    if len(distinct) < min_labels:
        found = ", ".join(map(repr, distinct))
        raise CorpusError(
            f"a training corpus needs at least {_count_word(min_labels)} labels, found "
            f"only {found} in {len(rows)} rows: add examples of the other class(es), "
            "check label_col=, or pass min_labels=1 to read a one-class file for "
            "evaluation",
            path=str(path),
        )
    logger.info("read %d rows from %s: %s", len(rows), path, dict(Counter(labels)))
    return Corpus(
        texts=tuple(row[1] for row in rows),
        labels=labels,
        sources=(stem,) * len(rows),
        groups=tuple(ids),
        ids=tuple(ids),
        meta=tuple({"line": row[0], "columns": row[4]} for row in rows),
    )


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))
