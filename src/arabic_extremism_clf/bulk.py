"""Bulk scoring: stream posts from files or pipes through a model, in batches, in order.

The pieces, each usable on its own:

* **readers** turn an input stream into :class:`Record` rows ``(line, id, text, error)``:
  plain text (one post per line), CSV/TSV with a header, JSON Lines and Parquet. A bad
  row never raises: undecodable bytes, a malformed JSON line, a missing or non-string
  text field, an empty post or a CSV row with the wrong number of fields each give a
  record with ``text=None`` and an ``error`` message, and reading goes on.
* **scoring**: :func:`score_iter` scores an iterable of posts and yields one
  :class:`~arabic_extremism_clf.model.Prediction` per post; :func:`score_records` scores
  records and yields one output row (a dict) per record, error rows included. Both
  work in batches, so memory stays bounded whatever the input size, and both keep the
  input order, also with ``n_jobs > 1`` worker processes. With ``explain=True`` each
  scored row also carries the ``top`` n-grams that pushed its score most (slower).
* **writers** (:class:`JsonlWriter`, :class:`CsvWriter`) write output rows, and
  :func:`resume_point` finds where an interrupted output file stopped, so that a job
  can continue into it without repeating or skipping a row.

Readers and writers work on open file objects (the ``aeclf score`` command opens the
files); nothing here prints.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import pickle
import re
import shutil
import tempfile
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, BinaryIO, NamedTuple

import numpy as np

from .corpus import _json_type

if TYPE_CHECKING:
    from .model import Contribution, Prediction

__all__ = [
    "Record",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "DEFAULT_BATCH_SIZE",
    "infer_format",
    "read_records",
    "read_text",
    "read_jsonl",
    "read_delimited",
    "read_parquet",
    "score_iter",
    "score_records",
    "score_batches",
    "ScoredBatch",
    "output_columns",
    "JsonlWriter",
    "CsvWriter",
    "ResumePoint",
    "resume_point",
    "Summary",
]

logger = logging.getLogger(__name__)

#: Input formats of :func:`read_records`.
INPUT_FORMATS = ("text", "csv", "tsv", "jsonl", "parquet")
#: Output formats (:class:`JsonlWriter`, :class:`CsvWriter`).
OUTPUT_FORMATS = ("jsonl", "csv")
#: Posts per batch: large enough to amortize the per-batch work and the transfer to
#: worker processes, small enough that a batch stays a few hundred kB.
DEFAULT_BATCH_SIZE = 1000

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


# --- readers -------------------------------------------------------------------------


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
    for name, option in ((text_col, "--text-col"), (id_col, "--id-col")):
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
        for name, option in ((text_col, "--text-col"), (id_col, "--id-col")):
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
                "--text-col naming the column that holds the posts"
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
    format: str = "text",  # noqa: A002 - the name users expect
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


def _batched(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _check_options(
    model: Any, batch_size: int, threshold: float | None, n_jobs: int, top: int = 1
) -> None:
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ValueError(f"top must be a positive int, got {top!r}")
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1 (all cores), got {n_jobs!r}")
    if threshold is not None:
        # The model's own check, before any input is read.
        model.labels_from_proba(np.zeros((0, len(model.classes_))), threshold)


def _resolve_model(model: Any) -> Any:
    if model is None:
        from .persistence import load_model

        return load_model()
    return model


# Models of worker processes, by the key of their _ModelHandle. One at a time: a new
# key evicts the others, so workers reused by a later job do not pile models up.
_WORKER_MODELS: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


@dataclass(frozen=True)
class _ModelHandle:
    """What a task carries instead of the model: a key and the file to load it from.

    Pickled with every task, so it must stay small; each worker process loads the
    model once per job and keeps it, warm memos included, for all its later batches.
    """

    key: str
    path: str

    def get(self) -> Any:
        with _WORKER_LOCK:
            model = _WORKER_MODELS.get(self.key)
            if model is None:
                _WORKER_MODELS.clear()
                with open(self.path, "rb") as fh:
                    model = _WORKER_MODELS[self.key] = pickle.load(fh)
            return model


#: The explanations of a batch: per scored post, the explained label and its n-grams.
_Explanations = list[tuple[str, list["Contribution"]]]


def _explained(
    model: Any, texts: Sequence[str], threshold: float | None, top: int
) -> tuple[np.ndarray, _Explanations]:
    """The probabilities of a batch of posts and their explanations, vectorized once.

    The explained label is :meth:`~arabic_extremism_clf.model.ExtremismClassifier.explained_labels`'s
    (the flagged label when the model has one, else the predicted label), as in the HTTP service.
    """
    features = model.vectorizer_.transform(list(texts))
    proba = model.proba_from_features(features)
    labels = model.explained_labels(proba, threshold)
    ngrams = model.explanations_from_features(features, labels, top=top)
    return proba, list(zip(labels, ngrams))


def _proba_task(
    handle: _ModelHandle, texts: list[str], explain: tuple[float | None, int] | None = None
) -> np.ndarray | tuple[np.ndarray, _Explanations]:
    """Worker side: the probabilities of a batch of posts (and their explanations)."""
    if explain is None:
        return handle.get().predict_proba(texts)
    return _explained(handle.get(), texts, *explain)


def _proba_batches(
    batches: Iterable[Sequence[str]],
    model: Any,
    n_jobs: int,
    explain: tuple[float | None, int] | None = None,
) -> Iterator[Any]:
    """The probabilities of every (non-empty) batch of posts, in order.

    With ``explain=(threshold, top)``, ``(proba, explanations)`` of every batch.
    """
    if n_jobs == 1:
        for texts in batches:
            if explain is None:
                yield model.predict_proba(texts)
            else:
                yield _explained(model, texts, *explain)
        return
    import joblib

    # The model goes to each worker once: pickled here to a private temporary file
    # (our own bytes, never a user's file), loaded by a worker the first time it sees
    # the handle's key, then kept. Passing the model itself would pickle it per task.
    tmp = tempfile.mkdtemp(prefix="aeclf-score-")
    try:
        path = os.path.join(tmp, "model.pickle")
        with open(path, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        handle = _ModelHandle(key=uuid.uuid4().hex, path=path)
        parallel = joblib.Parallel(
            n_jobs=n_jobs, return_as="generator", batch_size=1, pre_dispatch="2 * n_jobs"
        )
        results = parallel(
            joblib.delayed(_proba_task)(handle, texts, explain) for texts in batches
        )
        try:
            # Not ``yield from``: it would close ``results`` before this ``finally``.
            for proba in results:
                yield proba
        finally:
            # Stopped early (e.g. the reader of the output went away): cancelling the
            # tasks still running is intended, not worth joblib's warning.
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", ".*adjusting the input task iterator", UserWarning
                )
                results.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def score_iter(
    texts: Iterable[str],
    model: Any = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    n_jobs: int = 1,
) -> Iterator[Prediction]:
    """Score an iterable of posts in batches; one Prediction per post, in input order.

    The input is consumed lazily, one batch at a time (with ``n_jobs > 1``, a few
    batches ahead), so a generator over millions of posts is scored in bounded memory.

    Parameters
    ----------
    texts : iterable of str
        The posts. Any ``str`` is scored, an empty one included.
    model : ExtremismClassifier or None
        A fitted classifier; None loads the shipped model.
    batch_size : int, default=1000
        Posts scored at a time.
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    n_jobs : int, default=1
        Worker processes (joblib); -1 for one per core. The order is kept.

    Yields
    ------
    Prediction

    Raises
    ------
    TypeError
        If ``texts`` is a ``str`` (at once), or when an item that is not a ``str`` is
        reached.
    ValueError
        For an invalid ``batch_size``, ``threshold`` or ``n_jobs`` (at once).

    Examples
    --------
    >>> from arabic_extremism_clf.model import ExtremismClassifier
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    >>> clf = clf.fit(texts, (["sport"] * 3 + ["weather"] * 3) * 3)
    >>> posts = (post for post in ["مباراة الفريق", "طقس ممطر"])
    >>> [p.label for p in score_iter(posts, clf, batch_size=1)]
    ['sport', 'weather']
    """
    if isinstance(texts, str):
        raise TypeError(
            "Iterable over raw text documents expected, str object received: "
            "wrap a single post in a list"
        )
    model = _resolve_model(model)
    _check_options(model, batch_size, threshold, n_jobs)
    return _predictions(_checked_text_batches(texts, batch_size), model, threshold, n_jobs)


def _predictions(
    batches: Iterable[list[str]], model: Any, threshold: float | None, n_jobs: int
) -> Iterator[Prediction]:
    for proba in _proba_batches(batches, model, n_jobs):
        yield from model.predictions_from_proba(proba, threshold=threshold)


def _checked_text_batches(texts: Iterable[str], batch_size: int) -> Iterator[list[str]]:
    offset = 0
    for batch in _batched(texts, batch_size):
        for i, text in enumerate(batch):
            if not isinstance(text, str):
                raise TypeError(
                    f"expected every post to be a str, item {offset + i} is "
                    f"{type(text).__name__}: {text!r:.60}"
                )
        offset += len(batch)
        yield batch


def _record_batches(
    records: Iterable[Record], batch_size: int, pending: deque
) -> Iterator[list[str]]:
    """The texts of every batch of records; the batches wait in ``pending`` for their
    probabilities. Batches without any scorable text are not sent to the model."""
    for batch in _batched(records, batch_size):
        texts = [r.text for r in batch if r.error is None]
        pending.append((batch, bool(texts)))
        if texts:
            yield texts


class ScoredBatch(NamedTuple):
    """A batch of records and the model's answers for those that could be scored.

    Attributes
    ----------
    records : list of Record
        In input order, error records included.
    proba : ndarray of shape (n_scored, n_labels)
        The probabilities of the records without an error, in order; columns in the
        order of the model's ``classes_``.
    labels : list of str
        The predicted label of each scored record (the threshold applied).
    explanations : list of (str, list of Contribution), or None
        With ``explain=True``: for each scored record, the explained label and the
        n-grams that pushed its score most (see
        :meth:`~arabic_extremism_clf.model.ExtremismClassifier.explain`).
    """

    records: list[Record]
    proba: np.ndarray
    labels: list[str]
    explanations: _Explanations | None = None

    def rows(self, classes: Sequence[str]) -> Iterator[dict[str, Any]]:
        """One output row (a dict, see :func:`score_records`) per record."""
        column = {label: i for i, label in enumerate(classes)}
        values = self.proba.tolist()
        labels = self.labels
        k = 0
        for record in self.records:
            row: dict[str, Any] = {} if record.file is None else {"file": record.file}
            row["line"] = record.line
            if record.id is not None:
                row["id"] = record.id
            if record.error is not None:
                row["error"] = record.error
            else:
                label = labels[k]
                scores = values[k]
                row["label"] = label
                row["confidence"] = scores[column[label]]
                row["scores"] = dict(zip(classes, scores))
                if self.explanations is not None:
                    explained, ngrams = self.explanations[k]
                    row["explanation"] = {
                        "label": explained,
                        "ngrams": [c.to_dict() for c in ngrams],
                    }
                k += 1
            yield row


def score_batches(
    records: Iterable[Record],
    model: Any = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    n_jobs: int = 1,
    explain: bool = False,
    top: int = 10,
) -> Iterator[ScoredBatch]:
    """Score records a batch at a time; one :class:`ScoredBatch` per batch, in order.

    The lower-level form of :func:`score_records`, for writers that format a whole
    batch at once.

    Parameters
    ----------
    records : iterable of Record
        Consumed lazily (with ``n_jobs > 1``, a few batches ahead).
    model : ExtremismClassifier or None
        A fitted classifier; None loads the shipped model.
    batch_size : int, default=1000
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    n_jobs : int, default=1
        Worker processes (joblib); -1 for one per core. The order is kept.
    explain : bool, default=False
        Also find, for every scored record, the n-grams that pushed its score most
        (:attr:`ScoredBatch.explanations`). Slower; off by default.
    top : int, default=10
        How many n-grams per record, with ``explain=True``.

    Yields
    ------
    ScoredBatch
    """
    model = _resolve_model(model)
    _check_options(model, batch_size, threshold, n_jobs, top)
    explanation = (threshold, top) if explain else None
    return _scored_batches(records, model, batch_size, threshold, n_jobs, explanation)


def _scored_batches(
    records: Iterable[Record],
    model: Any,
    batch_size: int,
    threshold: float | None,
    n_jobs: int,
    explain: tuple[float | None, int] | None,
) -> Iterator[ScoredBatch]:
    empty = np.zeros((0, len(model.classes_)))
    pending: deque = deque()
    probas = _proba_batches(_record_batches(records, batch_size, pending), model, n_jobs, explain)
    results: deque = deque()
    while True:
        while pending:
            batch, scored = pending[0]
            if scored:
                # Results come in the order of the scored batches.
                result = results.popleft() if results else next(probas)
                proba, explanations = (result, None) if explain is None else result
                labels = model.labels_from_proba(proba, threshold).tolist()
            else:
                proba, labels = empty, []
                explanations = None if explain is None else []
            pending.popleft()
            yield ScoredBatch(batch, proba, labels, explanations)
        # Reading on: a batch with nothing to score is queued without a result.
        try:
            results.append(next(probas))
        except StopIteration:
            if not pending:
                return


def score_records(
    records: Iterable[Record],
    model: Any = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    n_jobs: int = 1,
    explain: bool = False,
    top: int = 10,
) -> Iterator[dict[str, Any]]:
    """Score records in batches; one output row per record, error rows included.

    Parameters
    ----------
    records : iterable of Record
        For instance from :func:`read_records`; consumed lazily.
    model : ExtremismClassifier or None
        A fitted classifier; None loads the shipped model.
    batch_size : int, default=1000
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    n_jobs : int, default=1
        Worker processes (joblib); -1 for one per core. The order is kept.
    explain : bool, default=False
        Add an ``"explanation"`` to every scored row. Slower; off by default.
    top : int, default=10
        How many n-grams per explanation.

    Yields
    ------
    dict
        ``{"line", "id", "label", "confidence", "scores"}`` for a scored record
        (``scores`` maps every label to its probability), or ``{"line", "id",
        "error"}`` for a record that could not be scored; ``"id"`` is there only when
        the record has one, and a first key ``"file"`` when the record has a ``file``.
        With ``explain=True`` a scored row ends with ``"explanation": {"label",
        "ngrams": [{"feature", "weight"}, ...]}``, as in the HTTP service: the
        flagged label if the model has one (else the predicted label) and the ``top``
        n-grams that pushed its score most, largest absolute weight first.

    Examples
    --------
    >>> from arabic_extremism_clf.model import ExtremismClassifier
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    >>> clf = clf.fit(texts, (["sport"] * 3 + ["weather"] * 3) * 3)
    >>> records = [Record(1, "a", "مباراة الفريق", None), Record(2, "b", None, "empty post")]
    >>> [row.get("label", row.get("error")) for row in score_records(records, clf)]
    ['sport', 'empty post']
    """
    model = _resolve_model(model)
    batches = score_batches(
        records,
        model,
        batch_size=batch_size,
        threshold=threshold,
        n_jobs=n_jobs,
        explain=explain,
        top=top,
    )
    return _rows_of(batches, [str(c) for c in model.classes_])


def _rows_of(batches: Iterable[ScoredBatch], classes: list[str]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        yield from batch.rows(classes)


# --- writers -------------------------------------------------------------------------


def output_columns(
    classes: Sequence[str],
    *,
    with_id: bool = False,
    with_file: bool = False,
    explain: bool = False,
) -> list[str]:
    """The CSV output columns.

    ``[file,] line, [id,] label, confidence, score_<label>..., [explained_label,
    explanation,] error``: ``explanation`` holds the n-grams as a JSON array of
    ``[feature, weight]`` pairs (see :class:`CsvWriter`).

    Examples
    --------
    >>> output_columns(["a", "b"], with_id=True)
    ['line', 'id', 'label', 'confidence', 'score_a', 'score_b', 'error']
    >>> output_columns(["a", "b"], explain=True)[-3:]
    ['explained_label', 'explanation', 'error']
    """
    head = (["file"] if with_file else []) + ["line"] + (["id"] if with_id else [])
    tail = (["explained_label", "explanation"] if explain else []) + ["error"]
    return head + ["label", "confidence"] + [f"score_{c}" for c in classes] + tail


_compact_json = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":")
).encode


def _compact_ngrams(pairs: Iterable[tuple[str, float]]) -> str:
    """The CSV form of an explanation's n-grams: ``[["w:…",0.41],["c:…",-0.2]]``."""
    return _compact_json([[feature, weight] for feature, weight in pairs])


def _kept(batch: ScoredBatch, only_label: str | None) -> Iterator[tuple[Record, int]]:
    """``(record, index among the scored)`` of the records to write (-1: an error)."""
    k = 0
    for record in batch.records:
        if record.error is not None:
            yield record, -1
            continue
        if only_label is None or batch.labels[k] == only_label:
            yield record, k
        k += 1


class JsonlWriter:
    """Write output rows as JSON Lines (UTF-8, non-ASCII characters kept).

    Parameters
    ----------
    stream : text file
        Opened with ``newline=""`` or in a mode that does not translate ``\\n``.
    classes : sequence of str or None
        The model's labels; needed by :meth:`write_batch` only.

    Notes
    -----
    A value that JSON cannot represent (e.g. a Parquet timestamp id) is written as its
    ``str``.
    """

    def __init__(self, stream: IO[str], classes: Sequence[str] | None = None) -> None:
        self.stream = stream
        self._dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=str).encode
        self.classes = [str(c) for c in classes] if classes is not None else None

    def header(self) -> None:
        """JSON Lines has no header: nothing to write."""

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write rows (dicts), one JSON object per line; return how many."""
        dumps = self._dumps
        lines = [dumps(row) + "\n" for row in rows]
        self.stream.write("".join(lines))
        return len(lines)

    def write_batch(self, batch: ScoredBatch, *, only_label: str | None = None) -> int:
        """Write the rows of a batch (the same text as ``write(batch.rows(classes))``).

        Parameters
        ----------
        batch : ScoredBatch
        only_label : str or None
            Write only the rows with this label, and the error rows.

        Returns
        -------
        int
            Rows written.
        """
        if self.classes is None:
            raise ValueError(
                "JsonlWriter.write_batch needs the classes: JsonlWriter(stream, classes)"
            )
        dumps = self._dumps
        labels = batch.labels
        values = batch.proba.tolist()
        quoted = {label: dumps(label) for label in self.classes}
        column = {label: i for i, label in enumerate(self.classes)}
        # '"a": {!r}, "b": {!r}' with the braces of the label texts escaped.
        scores = ", ".join(
            dumps(c).replace("{", "{{").replace("}", "}}") + ": {!r}" for c in self.classes
        )
        scores_format = scores.format
        explanations = batch.explanations
        lines = []
        append = lines.append
        for record, k in _kept(batch, only_label):
            start = "{" if record.file is None else '{"file": ' + dumps(record.file) + ", "
            ident = "" if record.id is None else ', "id": ' + dumps(record.id)
            if k < 0:
                append(f'{start}"line": {record.line}{ident}, "error": {dumps(record.error)}}}\n')
            else:
                label = labels[k]
                row = values[k]
                extra = "" if explanations is None else self._explanation(*explanations[k])
                append(
                    f'{start}"line": {record.line}{ident}, "label": {quoted[label]}, '
                    f'"confidence": {row[column[label]]!r}, "scores": {{{scores_format(*row)}}}'
                    f"{extra}}}\n"
                )
        self.stream.write("".join(lines))
        return len(lines)

    def _explanation(self, label: str, ngrams: list[Contribution]) -> str:
        """``, "explanation": {...}``: the text ``write`` gives the row's explanation."""
        dumps = self._dumps
        items = ", ".join(
            f'{{"feature": {dumps(c.feature)}, "weight": {c.weight!r}}}' for c in ngrams
        )
        return f', "explanation": {{"label": {dumps(label)}, "ngrams": [{items}]}}'


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
    ) -> None:
        self.stream = stream
        self.classes = [str(c) for c in classes]
        self.columns = output_columns(
            self.classes, with_id=with_id, with_file=with_file, explain=explain
        )
        self._writer = csv.writer(stream, lineterminator="\n")
        self._with_id = with_id
        self._with_file = with_file
        self._explain = explain

    def header(self) -> None:
        """Write the header row."""
        self._writer.writerow(self.columns)

    def _head(self, file: Any, line: int, ident: Any) -> list[Any]:
        fields: list[Any] = [file] if self._with_file else []
        fields.append(line)
        if self._with_id:
            fields.append("" if ident is None else ident)
        return fields

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write rows (dicts); the scores of an error row are empty. Return how many."""
        out = []
        empty = [""] * (len(self.classes) + 2 + 2 * self._explain)
        for row in rows:
            fields = self._head(row.get("file"), row["line"], row.get("id"))
            error = row.get("error")
            if error is None:
                scores = row["scores"]
                fields += [row["label"], row["confidence"]]
                fields += [scores[c] for c in self.classes]
                if self._explain:
                    explanation = row["explanation"]
                    pairs = ((n["feature"], n["weight"]) for n in explanation["ngrams"])
                    fields += [explanation["label"], _compact_ngrams(pairs)]
                fields.append("")
            else:
                fields += empty
                fields.append(error)
            out.append(fields)
        self._writer.writerows(out)
        return len(out)

    def write_batch(self, batch: ScoredBatch, *, only_label: str | None = None) -> int:
        """Write the rows of a batch; see :meth:`JsonlWriter.write_batch`."""
        if self._explain and batch.explanations is None:
            raise ValueError(
                "this CsvWriter has explanation columns but the batch has no explanations: "
                "score with explain=True"
            )
        out = []
        empty = [""] * (len(self.classes) + 2 + 2 * self._explain)
        column = {label: i for i, label in enumerate(self.classes)}
        values = batch.proba.tolist()
        for record, k in _kept(batch, only_label):
            fields = self._head(record.file, record.line, record.id)
            if k < 0:
                fields += empty
                fields.append(record.error)
            else:
                label = batch.labels[k]
                row = values[k]
                fields += [label, row[column[label]], *row]
                if self._explain:
                    explained, ngrams = batch.explanations[k]
                    fields += [explained, _compact_ngrams((c.feature, c.weight) for c in ngrams)]
                fields.append("")
            out.append(fields)
        self._writer.writerows(out)
        return len(out)


# --- resuming ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumePoint:
    """Where an existing output file stops.

    Attributes
    ----------
    rows : int
        Complete output rows in the file (the header not counted).
    line : int
        The ``line`` of the last complete row; 0 when there is none.
    file : str or None
        The ``file`` of the last complete row, when rows carry one.
    truncated : int
        Bytes of an incomplete last row that were cut off.
    header : bool
        Whether the file holds the CSV header (always False for JSON Lines).
    """

    rows: int
    line: int
    file: str | None
    truncated: int
    header: bool


def resume_point(
    stream: BinaryIO,
    output_format: str,
    *,
    columns: Sequence[str] | None = None,
    explain: bool | None = None,
) -> ResumePoint:
    """Find the last complete row of an output file and cut off anything after it.

    A row is complete when its line break was written. An interrupted job may leave a
    partial last row; it is truncated, so that the job continues with the next input
    row and no row is repeated or skipped.

    Parameters
    ----------
    stream : binary file
        The output file, opened ``"r+b"`` (read, write, seekable).
    output_format : {"jsonl", "csv"}
    columns : sequence of str
        CSV only: the header the job writes; an existing header must be the same.
    explain : bool or None
        JSON Lines only: whether the job adds explanations; when the last complete row
        is a scored row, it must have an ``explanation`` exactly when ``explain`` is
        true (None: not checked). The CSV header checks the same through ``columns``.

    Returns
    -------
    ResumePoint

    Raises
    ------
    ValueError
        If the file is not an output of this command with the same columns (a CSV
        header that differs, a last row that is not a valid row, a JSON Lines row with
        or without explanations against ``explain``).
    """
    if output_format == "jsonl":
        return _resume_jsonl(stream, explain)
    if output_format == "csv":
        return _resume_csv(stream, list(columns or []))
    raise ValueError(f"unknown output format {output_format!r}: use jsonl or csv")


def _truncate(stream: BinaryIO, size: int, end: int) -> int:
    cut = end - size
    if cut:
        stream.seek(size)
        stream.truncate(size)
    stream.seek(size)
    return cut


def _resume_jsonl(stream: BinaryIO, explain: bool | None = None) -> ResumePoint:
    stream.seek(0)
    rows = 0
    good_end = 0
    last = b""
    offset = 0
    for raw in stream:
        offset += len(raw)
        if raw.endswith(b"\n"):
            rows += 1
            good_end = offset
            last = raw
    truncated = _truncate(stream, good_end, offset)
    if not rows:
        return ResumePoint(0, 0, None, truncated, False)
    try:
        row = json.loads(last)
        line = row["line"]
        if not isinstance(line, int) or isinstance(line, bool):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ValueError(
            f"cannot resume: the last complete row ({last[:80]!r}) is not a JSON object with "
            "an integer 'line'; is this the output of aeclf score?"
        ) from None
    if explain is not None and "label" in row and ("explanation" in row) != explain:
        written, asked = ("with", "without") if "explanation" in row else ("without", "with")
        raise ValueError(
            f"cannot resume: the output was written {written} --explain and this run is "
            f"{asked} it; resume with the options of the first run, or start a new file"
        )
    return ResumePoint(rows, line, row.get("file"), truncated, False)


def _resume_csv(stream: BinaryIO, columns: list[str]) -> ResumePoint:
    stream.seek(0)
    offsets: list[int] = []

    def lines() -> Iterator[str]:
        offset = 0
        for raw in stream:
            if not raw.endswith(b"\n"):
                return  # an incomplete last line is never part of a complete row
            offset += len(raw)
            offsets.append(offset)
            yield raw.decode("utf-8", "surrogateescape")

    reader = csv.reader(lines(), strict=True)
    header_end = 0
    good_end = 0
    rows = 0
    last: list[str] | None = None
    try:
        header = next(reader, None)
        if header is not None:
            header_end = good_end = offsets[-1]
            if header != columns:
                raise ValueError(
                    f"cannot resume: the CSV header of the output ({', '.join(header)}) "
                    f"differs from this job's ({', '.join(columns)}); use the same model "
                    "and options, or another output file"
                )
            for row in reader:
                if len(row) != len(columns):
                    break
                rows += 1
                last = row
                good_end = offsets[-1]
    except csv.Error:
        pass  # a partial quoted field at the end: cut before it
    stream.seek(0, io.SEEK_END)
    truncated = _truncate(stream, good_end, stream.tell())
    if last is None:
        return ResumePoint(0, 0, None, truncated, header_end > 0)
    record = dict(zip(columns, last))
    try:
        line = int(record["line"])
    except ValueError:
        raise ValueError(
            f"cannot resume: the last complete row has line {record['line']!r}, not a number"
        ) from None
    return ResumePoint(rows, line, record.get("file"), truncated, True)


# --- summary -------------------------------------------------------------------------


@dataclass
class Summary:
    """Counts of a scoring job, for the one-line summary.

    Attributes
    ----------
    rows : int
        Input rows scored or reported as errors in this run.
    flagged : int
        Rows that got the flagged label.
    errors : int
        Error rows.
    written : int
        Rows written (fewer than ``rows`` with ``--only-flagged``).
    skipped : int
        Rows already in a resumed output file, before this run.
    flagged_label : str or None
    started : float
        ``time.perf_counter()`` at the start.
    """

    flagged_label: str | None = None
    rows: int = 0
    flagged: int = 0
    errors: int = 0
    written: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, row: Mapping[str, Any]) -> None:
        """Count one output row."""
        self.rows += 1
        if "error" in row:
            self.errors += 1
        elif row["label"] == self.flagged_label:
            self.flagged += 1

    def add_batch(self, batch: ScoredBatch) -> None:
        """Count the rows of a batch."""
        self.rows += len(batch.records)
        self.errors += len(batch.records) - len(batch.labels)
        if self.flagged_label is not None:
            self.flagged += batch.labels.count(self.flagged_label)

    @property
    def seconds(self) -> float:
        """Seconds since ``started``."""
        return time.perf_counter() - self.started

    def format(self) -> str:
        """``"1,000 rows, 12 flagged, 3 errors, 25,000 posts/s (0.0 s)"`` and extras."""
        seconds = self.seconds
        rate = self.rows / seconds if seconds > 0 else 0.0
        text = (
            f"{self.rows:,} rows, {self.flagged:,} flagged, {self.errors:,} errors, "
            f"{rate:,.0f} posts/s ({seconds:.1f} s)"
        )
        if self.written != self.rows:
            text += f", {self.written:,} written"
        if self.skipped:
            text += f"; {self.skipped:,} rows were already in the output (resumed)"
        return text
