"""Batches of texts through the scoring core, in this process or in worker processes.

:func:`scored_text_batches` yields one :class:`~.core.BatchScores` per batch, in input
order, with ``n_jobs`` worker processes (joblib) or in this process.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import threading
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .core import BatchScores, score_batch

__all__ = ["scored_text_batches", "check_n_jobs"]

# Models of worker processes, by the key of their _ModelHandle. One at a time: a new
# key evicts the others, so workers reused by a later job do not pile models up.
_WORKER_MODELS: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def check_n_jobs(n_jobs: object) -> int:
    """Return ``n_jobs`` or raise ``ValueError``: a positive int, or -1 for all cores."""
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1 (all cores), got {n_jobs!r}")
    return n_jobs


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


def _task(handle: _ModelHandle, texts: list[str], options: dict[str, Any]) -> BatchScores:
    """Worker side: the scores of a batch of posts."""
    return score_batch(handle.get(), texts, **options)


def scored_text_batches(
    batches: Iterable[Sequence[str]],
    model: Any,
    *,
    n_jobs: int = 1,
    threshold: float | None = None,
    explain: bool = False,
    top: int = 10,
) -> Iterator[BatchScores]:
    """The :func:`~.core.score_batch` answer of every batch of texts, in order.

    Parameters
    ----------
    batches : iterable of sequences of str
        Consumed lazily (with ``n_jobs > 1``, a few batches ahead).
    model : ExtremismClassifier
    n_jobs : int, default=1
        Worker processes; -1 for one per core.
    threshold, explain, top
        As in :func:`~.core.score_batch`.

    Yields
    ------
    BatchScores
    """
    options = {"threshold": threshold, "explain": explain, "top": top}
    if n_jobs == 1:
        for texts in batches:
            yield score_batch(model, texts, **options)
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
        results = parallel(joblib.delayed(_task)(handle, list(texts), options) for texts in batches)
        try:
            # Not ``yield from``: it would close ``results`` before this ``finally``.
            for scores in results:
                yield scores
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
