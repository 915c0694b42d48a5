"""Bulk scoring: records from files or pipes through the scoring core, in batches, in order.

* :func:`score_iter` scores an iterable of posts and yields one
  :class:`~arabic_extremism_clf.model.Prediction` per post;
* :func:`score_records` scores :class:`~arabic_extremism_clf.io.Record` rows (from the
  readers of :mod:`arabic_extremism_clf.io`) and yields one output row (a dict) per
  record, error rows included; :func:`score_batches` does the same a batch at a time.

Both work in batches, so memory stays bounded whatever the input size, and both keep
the input order, also with ``n_jobs > 1`` worker processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ..io.readers import Record
from ..labels import check_threshold
from .core import DEFAULT_TOP, BatchScores, check_top, resolve_model
from .pool import check_n_jobs, scored_text_batches, work_batches

if TYPE_CHECKING:
    from ..scoring_model import Prediction

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "score_iter",
    "score_records",
    "score_batches",
    "ScoredBatch",
    "Summary",
]

#: Posts per batch: large enough to amortize the per-batch work and the transfer to
#: worker processes, small enough that a batch stays a few hundred kB.
DEFAULT_BATCH_SIZE = 1000


def check_batch_size(batch_size: object) -> int:
    """Return ``batch_size`` or raise ``ValueError``: a positive int."""
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    return batch_size


def _check_options(batch_size: int, threshold: float | None, n_jobs: int, top: int) -> None:
    check_batch_size(batch_size)
    check_top(top)
    check_n_jobs(n_jobs)
    if threshold is not None:
        check_threshold(threshold)


def _batched(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


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
    model : ExtremismClassifier, path or None
        A fitted classifier or a model directory; None loads the shipped model.
    batch_size : int, default=1000
        Posts scored at a time.
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    n_jobs : int, default=1
        Worker processes (see :mod:`.pool`); -1 for one per core. The order is kept.

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
    >>> from arabic_extremism_clf import load_model
    >>> clf = load_model()  # the shipped model
    >>> posts = (post for post in ["مباراة الفريق", "طقس ممطر"])
    >>> [p.label for p in score_iter(posts, clf, batch_size=1)]
    ['not_promotional', 'not_promotional']
    """
    if isinstance(texts, str):
        raise TypeError(
            "Iterable over raw text documents expected, str object received: "
            "wrap a single post in a list"
        )
    model = resolve_model(model)
    _check_options(batch_size, threshold, n_jobs, DEFAULT_TOP)
    return _predictions(_checked_text_batches(texts, batch_size), model, threshold, n_jobs)


def _predictions(
    batches: Iterable[list[str]], model: Any, threshold: float | None, n_jobs: int
) -> Iterator[Prediction]:
    from ..scoring_model import Prediction

    for scores in scored_text_batches(batches, model, n_jobs=n_jobs, threshold=threshold):
        for row in scores:
            yield Prediction(row["label"], row["confidence"], MappingProxyType(row["scores"]))


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


class ScoredBatch(NamedTuple):
    """A batch of records and the scoring core's answers for those that could be scored.

    Attributes
    ----------
    records : list of Record
        In input order, error records included.
    scores : BatchScores
        The answers for the records without an error, in order.
    """

    records: list[Record]
    scores: BatchScores

    @property
    def labels(self) -> list[str]:
        """The predicted label of each scored record."""
        return self.scores.labels

    def rows(self) -> Iterator[dict[str, Any]]:
        """One output row (a dict, see :func:`score_records`) per record."""
        results = iter(self.scores.results())
        for record in self.records:
            row: dict[str, Any] = {} if record.file is None else {"file": record.file}
            row["line"] = record.line
            if record.id is not None:
                row["id"] = record.id
            if record.error is not None:
                row["error"] = record.error
            else:
                row.update(next(results))
            yield row


def score_batches(
    records: Iterable[Record],
    model: Any = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    n_jobs: int = 1,
    explain: bool = False,
    top: int = DEFAULT_TOP,
    finish: Callable[[ScoredBatch], Any] | None = None,
) -> Iterator[Any]:
    """Score records a batch at a time; one :class:`ScoredBatch` per batch, in order.

    Parameters are those of :func:`score_records`, and:

    finish : callable or None
        Applied to every :class:`ScoredBatch`, its answer yielded instead. With
        ``n_jobs > 1`` it runs in the worker processes, so the work of formatting
        output is shared too (``aeclf score`` formats the rows of a batch there).

    Yields
    ------
    ScoredBatch, or the answer of ``finish``
    """
    model = resolve_model(model)
    _check_options(batch_size, threshold, n_jobs, top)
    options = {"threshold": threshold, "explain": explain, "top": top}
    return work_batches(
        _batched(records, batch_size),
        model,
        options=options,
        n_jobs=n_jobs,
        texts_of=_scorable_texts,
        finish=_scored if finish is None else _Finish(finish),
    )


def _scorable_texts(records: list[Record]) -> list[str]:
    return [record.text for record in records if record.error is None]


def _scored(records: list[Record], scores: BatchScores) -> ScoredBatch:
    return ScoredBatch(records, scores)


@dataclass(frozen=True)
class _Finish:
    """``finish(ScoredBatch(records, scores))``, as the pool's ``finish``."""

    finish: Callable[[ScoredBatch], Any]

    def __call__(self, records: list[Record], scores: BatchScores) -> Any:
        return self.finish(ScoredBatch(records, scores))


def score_records(
    records: Iterable[Record],
    model: Any = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    n_jobs: int = 1,
    explain: bool = False,
    top: int = DEFAULT_TOP,
) -> Iterator[dict[str, Any]]:
    """Score records in batches; one output row per record, error rows included.

    Parameters
    ----------
    records : iterable of Record
        For instance from :func:`~arabic_extremism_clf.io.read_records`; consumed lazily.
    model : ExtremismClassifier, path or None
        A fitted classifier or a model directory; None loads the shipped model.
    batch_size : int, default=1000
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    n_jobs : int, default=1
        Worker processes (see :mod:`.pool`); -1 for one per core. The order is kept.
    explain : bool, default=False
        Add an ``"explanation"`` to every scored row. Slower; off by default.
    top : int, default=10
        How many n-grams per explanation.

    Yields
    ------
    dict
        ``{"line", "id"}`` then the :class:`~.core.ScoreResult` of a scored record
        (``label``, ``confidence``, ``scores`` and, with ``explain=True``,
        ``explanation``), or ``{"line", "id", "error"}`` for a record that could not
        be scored; ``"id"`` is there only when the record has one, and a first key
        ``"file"`` when the record has a ``file``.

    Examples
    --------
    >>> from arabic_extremism_clf import load_model
    >>> clf = load_model()  # the shipped model
    >>> records = [Record(1, "a", "مباراة الفريق", None), Record(2, "b", None, "empty post")]
    >>> [row.get("label", row.get("error")) for row in score_records(records, clf)]
    ['not_promotional', 'empty post']
    """
    batches = score_batches(
        records,
        model,
        batch_size=batch_size,
        threshold=threshold,
        n_jobs=n_jobs,
        explain=explain,
        top=top,
    )
    return (row for batch in batches for row in batch.rows())


@dataclass
class Summary:
    """Counts of a scoring job, for the one-line summary.

    Attributes
    ----------
    flagged_label : str or None
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
