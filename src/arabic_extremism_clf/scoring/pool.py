"""Batches of texts through the scoring core, in this process or in worker processes.

:func:`scored_text_batches` yields one :class:`~.core.BatchScores` per batch, in input
order, with ``n_jobs`` worker processes or in this process.

Worker processes: where the platform forks (Linux), a pool of forked processes that
inherit the loaded model (no import, no model load, no pickling of the model); each
task carries only a batch of texts and returns the batch's arrays. At most
``2 * n_jobs`` batches are in flight, so memory stays bounded, and the results are
yielded in input order by the one consumer (the writer). Elsewhere, joblib's worker
processes, which get the model once each from a temporary pickle.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import threading
import uuid
import warnings
from collections import deque
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


# The model of a forked worker, set by the pool's initializer (inherited, not pickled).
_FORKED_MODEL: list[Any] = []


def _forked_init(model: Any) -> None:
    _FORKED_MODEL[:] = [model]


def _forked_task(texts: list[str], options: dict[str, Any]) -> BatchScores:
    """Forked-worker side: the scores of a batch of posts."""
    return score_batch(_FORKED_MODEL[0], texts, **options)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _forked_batches(
    batches: Iterable[Sequence[str]], model: Any, n_jobs: int, options: dict[str, Any]
) -> Iterator[BatchScores]:
    """Batches through a pool of forked workers, in order, at most 2 * n_jobs in flight."""
    context = multiprocessing.get_context("fork")
    pool = context.Pool(n_jobs, initializer=_forked_init, initargs=(model,))
    try:
        pending: deque = deque()
        for texts in batches:
            pending.append(pool.apply_async(_forked_task, (list(texts), options)))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        # Also when stopped early (the reader of the output went away): the tasks
        # still running are not needed.
        pool.terminate()
        pool.join()


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
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if n_jobs == 1:
        for texts in batches:
            yield score_batch(model, texts, **options)
        return
    if _can_fork():
        yield from _forked_batches(batches, model, n_jobs, options)
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
            for scores in results:  # noqa: UP028
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
