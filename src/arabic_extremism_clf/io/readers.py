"""Readers: turn an input stream into :class:`Record` rows ``(line, id, text, error)``.

Plain text (one post per line), CSV/TSV with a header, JSON Lines and Parquet. A bad row
never raises: undecodable bytes, a malformed JSON line, a missing or non-string text
field, an empty post or a CSV row with the wrong number of fields each give a record with
``text=None`` and an ``error`` message, and reading goes on. Readers work on open file
objects (the ``aeclf`` command opens the files).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..corpus import _json_type

__all__ = [
    "Record",
    "INPUT_FORMATS",
    "infer_format",
    "read_records",
    "read_text",
    "read_jsonl",
    "read_delimited",
    "read_parquet",
]

logger = logging.getLogger(__name__)

#: Input formats of :func:`read_records`.
INPUT_FORMATS = ("text", "csv", "tsv", "jsonl", "parquet")
_SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_BOM = b"\xef\xbb\xbf"
# Characters that surrogateescape decoding makes of undecodable bytes.
_ESCAPED_BYTES_RE = re.compile("[\udc80-\udcff]")


class Record(NamedTuple):
    """One input row.

    Attributes
    ----------
    line : int
        1-based position in the input: the physical line for text, CSV/TSV (where the
        record starts; the header is line 1) and JSON Lines, the row for Parquet.
    id : object
        The value of the id column or field, or None.
    text : str or None
        The post; None when the row cannot be scored.
    error : str or None
        Why the row cannot be scored; None for a good row.
    file : str or None
        The input it comes from, when a job reads several (None otherwise).
    """

    line: int
    id: Any
    text: str | None
    error: str | None
    file: str | None = None


def infer_format(name: str) -> str:
    """The input format from a file name: its suffix (a ``.gz`` suffix is skipped).

    Parameters
    ----------
    name : str
        A file or directory name; ``"-"`` (stdin) or an unknown suffix gives ``"text"``.

    Returns
    -------
    str
        One of :data:`INPUT_FORMATS`.

    Examples
    --------
    >>> infer_format("posts.jsonl.gz"), infer_format("posts.tsv"), infer_format("-")
    ('jsonl', 'tsv', 'text')
    """
    base = os.path.basename(str(name)).lower()
    if base.endswith(".gz"):
        base = base[:-3]
    return _SUFFIX_FORMATS.get(os.path.splitext(base)[1], "text")


def _strip_newline(raw: bytes) -> bytes:
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    return raw


def _decode(raw: bytes) -> tuple[str | None, str | None]:
    """``(text, None)``, or ``(None, error)`` when the bytes are not UTF-8."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 4]
        return None, (
            f"undecodable bytes: {bad!r} at byte {exc.start + 1} of the line is not "
            f"UTF-8 ({exc.reason})"
        )


def _first_line(raw: Any) -> bytes:
    if not isinstance(raw, (bytes, bytearray)):
        raise TypeError(
            f"expected a binary stream (lines as bytes), got {type(raw).__name__} "
            "lines: open the file in binary mode ('rb'), or use sys.stdin.buffer"
        )
    return raw[3:] if raw.startswith(_BOM) else raw


def _lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """``(line number, line without its line break)``; a leading BOM is dropped."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = _first_line(raw)
        yield number, _strip_newline(raw)


def read_text(stream: Iterable[bytes]) -> Iterator[Record]:
    """Records of a plain-text input: one post per line.

    Parameters
    ----------
    stream : binary file or iterable of bytes
        Lines end with ``\\n`` (a ``\\r`` before it is dropped too). The ids are None.

    Yields
    ------
    Record
        An error record for undecodable bytes and for an empty (blank) line.

    Examples
    --------
    >>> records = list(read_text([b"one post\\n", b"\\n", b"\\xff\\n"]))
    >>> [r.text for r in records]
    ['one post', None, None]
    >>> records[1].error, records[2].error[:36]
    ('empty post', "undecodable bytes: b'\\\\xff' at byte 1")
    """
    # One flat loop: this runs once per post.
    number = 0
    for raw in stream:
        if number == 0:
            raw = _first_line(raw)
        number += 1
        if raw[-1:] == b"\n":
            raw = raw[:-2] if raw[-2:-1] == b"\r" else raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield Record(number, None, None, _decode(raw)[1])
            continue
        if not text or text.isspace():
            yield Record(number, None, None, "empty post")
        else:
            yield Record(number, None, text, None)


def _check_text(value: Any, name: str) -> tuple[str | None, str | None]:
    """``(text, None)`` for a usable post, else ``(None, error)``."""
    if not isinstance(value, str):
        return None, f"field {name!r} is {_json_type(value)}, expected a string"
    if not value.strip():
        return None, "empty post"
    return value, None


def read_jsonl(
    stream: Iterable[bytes], *, text_field: str = "text", id_field: str | None = None
) -> Iterator[Record]:
    """Records of a JSON Lines input: one JSON object per line.

    Parameters
    ----------
    stream : binary file or iterable of bytes
    text_field : str, default="text"
        The field that holds the post.
    id_field : str or None
        The field that holds the id (any JSON value; a missing id gives None).

    Yields
    ------
    Record
        An error record for undecodable bytes, a blank or malformed line, a line that
        is not an object, and a missing, non-string or empty text field.
    """
    for number, raw in _lines(stream):
        line, error = _decode(raw)
        if line is None:
            yield Record(number, None, None, error)
            continue
        if not line.strip():
            yield Record(number, None, None, "empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(number, None, None, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield Record(number, None, None, "malformed JSON: nested too deeply")
            continue
        if not isinstance(obj, dict):
            yield Record(number, None, None, f"expected a JSON object, found {_json_type(obj)}")
            continue
        ident = obj.get(id_field) if id_field is not None else None
        if text_field not in obj:
            fields = ", ".join(repr(k) for k in list(obj)[:10]) or "none"
            yield Record(number, ident, None, f"no field {text_field!r} (the object has: {fields})")
            continue
        text, error = _check_text(obj[text_field], text_field)
        yield Record(number, ident, text, error)


class _DecodedLines:
    """Lines decoded for the csv module, remembering the first undecodable one."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream
        self.first_bad: int | None = None
        self.first_bad_message: str | None = None

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self._stream, start=1):
            if number == 1 and raw.startswith(_BOM):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                if self.first_bad is None:
                    _, self.first_bad_message = _decode(_strip_newline(raw))
                    self.first_bad = number
                yield raw.decode("utf-8", "surrogateescape")


def read_delimited(
    stream: Iterable[bytes],
    *,
    delimiter: str = ",",
    text_col: str = "text",
    id_col: str | None = None,
    quoting: bool = True,
) -> Iterator[Record]:
    """Records of a CSV or TSV input with a header row.

    Parameters
    ----------
    stream : binary file or iterable of bytes
    delimiter : str, default=","
        ``"\\t"`` for TSV.
    text_col : str, default="text"
        The column that holds the posts.
    id_col : str or None
        The column that holds the ids.
    quoting : bool, default=True
        Fields may be double-quoted (and then hold delimiters, quotes written ``""``
        and line breaks). False reads every character literally.

    Yields
    ------
    Record
        ``line`` is the physical line where the record starts (the header is line 1).
        An error record for undecodable bytes, a blank line, a row whose number of
        fields differs from the header's, malformed quoting and an empty text.

    Raises
    ------
    ValueError
        If the header is undecodable or lacks ``text_col`` or ``id_col``: then no row
        could be scored, so the input is refused as a whole.
    """
    lines = _DecodedLines(stream)
    reader = csv.reader(
        lines,
        delimiter=delimiter,
        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
        strict=False,
    )
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ValueError(f"the header row cannot be read: {exc}") from None
    if lines.first_bad is not None:
        raise ValueError(f"the header row cannot be read: {lines.first_bad_message}")
    header = [name.strip() for name in header]
    kind = "TSV" if delimiter == "\t" else "CSV"
    position = {}
    for name, option in ((text_col, "text_col="), (id_col, "id_col=")):
        if name is None:
            continue
        if name not in header:
            shown = ", ".join(repr(h) for h in header[:20])
            raise ValueError(
                f"the {kind} header has no column {name!r} (it has {shown}): pass "
                f"{option} naming the column, or add a header row"
            )
        position[name] = header.index(name)
    n_fields = len(header)
    start = reader.line_num + 1
    while True:
        lines.first_bad = None
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(start, None, None, f"malformed {kind} row: {exc}")
            start = reader.line_num + 1
            continue
        end = reader.line_num
        if lines.first_bad is not None:
            yield Record(start, None, None, lines.first_bad_message)
        elif not row:
            yield Record(start, None, None, "empty line")
        elif len(row) != n_fields:
            span = (
                f" (the record spans lines {start}-{end}: a quote is not closed)"
                if end > start
                else ""
            )
            ident = (
                row[position[id_col]]
                if id_col is not None and position[id_col] < len(row)
                else None
            )
            yield Record(
                start,
                ident,
                None,
                f"expected {n_fields} fields as in the header, found {len(row)}{span}",
            )
        else:
            ident = row[position[id_col]] if id_col is not None else None
            text, error = _check_text(row[position[text_col]], text_col)
            yield Record(start, ident, text, error)
        start = end + 1


def read_parquet(
    files: Any,
    *,
    text_col: str = "text",
    id_col: str | None = None,
    batch_size: int = 10_000,
) -> Iterator[Record]:
    """Records of one Parquet file or of the parts of a data set, read batch by batch.

    Needs ``pyarrow`` (the ``parquet`` extra).

    Parameters
    ----------
    files : path, binary file, or iterable of them
        Several parts are read in the order given and numbered as one data set.
    text_col : str, default="text"
    id_col : str or None
    batch_size : int, default=10000
        Rows read at a time.

    Yields
    ------
    Record
        ``line`` is the 1-based row number; a null or empty text gives an error record.

    Raises
    ------
    ImportError
        If pyarrow is not installed.
    ValueError
        If a part lacks ``text_col`` or ``id_col``, or its text column is not a string
        column.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is in the dev extra
        raise ImportError(
            "reading Parquet needs pyarrow: pip install 'arabic-extremism-clf[parquet]'"
        ) from exc
    if isinstance(files, (str, os.PathLike)) or hasattr(files, "read"):
        files = [files]
    number = 0
    for part in files:
        parquet = pq.ParquetFile(part)
        schema = parquet.schema_arrow
        columns = [text_col] + ([id_col] if id_col is not None else [])
        for name, option in ((text_col, "text_col="), (id_col, "id_col=")):
            if name is not None and name not in schema.names:
                shown = ", ".join(repr(n) for n in schema.names[:20])
                raise ValueError(
                    f"the Parquet data has no column {name!r} (it has {shown}): pass "
                    f"{option} naming the column"
                )
        kind = schema.field(text_col).type
        if not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ):
            raise ValueError(
                f"the Parquet column {text_col!r} has type {kind}, expected strings: pass "
                "text_col= naming the column that holds the posts"
            )
        for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
            texts = batch.column(0).to_pylist()
            ids = batch.column(1).to_pylist() if id_col is not None else [None] * len(texts)
            for text, ident in zip(texts, ids):
                number += 1
                if text is None:
                    yield Record(number, ident, None, f"column {text_col!r} is null")
                elif not text.strip():
                    yield Record(number, ident, None, "empty post")
                else:
                    yield Record(number, ident, text, None)


def read_records(
    source: Any,
    format: str = "text",
    *,
    text_col: str = "text",
    id_col: str | None = None,
    quoting: bool = True,
) -> Iterator[Record]:
    """Records of an input in any of :data:`INPUT_FORMATS`, lazily.

    Parameters
    ----------
    source : binary file, iterable of bytes, or (Parquet) paths or files
    format : {"text", "csv", "tsv", "jsonl", "parquet"}, default="text"
    text_col : str, default="text"
        The column (CSV, TSV, Parquet) or field (JSON Lines) that holds the posts.
    id_col : str or None
        The column or field that holds the ids. Not allowed with ``"text"``.
    quoting : bool, default=True
        CSV/TSV only: see :func:`read_delimited`.

    Returns
    -------
    iterator of Record
        One per input row, in input order; the input is read as the iterator advances.

    Examples
    --------
    >>> import io
    >>> data = io.BytesIO(b'{"id": 7, "text": "a post"}\\n{"id": 8}\\n')
    >>> for record in read_records(data, "jsonl", id_col="id"):
    ...     print(record.line, record.id, record.text, record.error)
    1 7 a post None
    2 8 None no field 'text' (the object has: 'id')
    """
    if format == "text":
        if id_col is not None:
            raise ValueError("plain-text input has no ids: id_col needs csv, tsv, jsonl or parquet")
        return read_text(source)
    if format == "jsonl":
        return read_jsonl(source, text_field=text_col, id_field=id_col)
    if format in ("csv", "tsv"):
        delimiter = "," if format == "csv" else "\t"
        return read_delimited(
            source, delimiter=delimiter, text_col=text_col, id_col=id_col, quoting=quoting
        )
    if format == "parquet":
        return read_parquet(source, text_col=text_col, id_col=id_col)
    raise ValueError(f"unknown input format {format!r}: use one of {', '.join(INPUT_FORMATS)}")


# --- scoring -------------------------------------------------------------------------
