"""Batches of texts through the scoring core, in this process or in worker processes.

:func:`scored_text_batches` yields one :class:`~.core.BatchScores` per batch, in input
order, with ``n_jobs`` worker processes or in this process.

Worker processes, where the platform forks (Linux): ``n_jobs`` forked processes that
inherit the loaded model (no import, no model load, no pickling of the model). Batches
of texts go to them in turn, at most ``2 * n_jobs`` in flight (memory stays bounded),
and their answers are read back in input order. The first sight of a chunk of text
(normalizing, tokenizing, looking its n-grams up) is the most expensive step of
scoring, and each worker memoizes the chunks it has seen; so that two workers do not
each compute every distinct chunk, each answer carries the chunks its worker computed
(:meth:`~arabic_extremism_clf._fast_transform._FastTransform.export`), and this
process passes them on with the next batch of every other worker, which memoizes them
without computing them (``absorb``). Only the chunks that two workers meet before
either has heard of the other's are computed twice.

Elsewhere (no fork), joblib's worker processes, which get the model once each from a
temporary pickle.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import traceback
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._fast_transform import _FastTransform
from .core import BatchScores, score_batch

__all__ = ["scored_text_batches", "work_batches", "check_n_jobs"]

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


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class WorkerError(RuntimeError):
    """An error in a worker process that could not be sent back as it was."""


def _work(model: Any, job: _Job, item: Any) -> Any:
    """One batch: score the texts of ``item``, then ``job.finish`` the answer."""
    texts = job.texts_of(item)
    return job.finish(item, score_batch(model, texts, **job.options))


def _worker_main(model: Any, job: _Job, tasks: Any, results: Any) -> None:
    """A forked worker: answer each task, in order, until the ``None`` that ends the job.

    A task is ``(id, item, relays)``: first memoize the chunks of ``relays`` (other
    workers' exports), then :func:`_work` on ``item``. The answer is ``(id, "ok", value,
    export)`` or ``(id, "error", exception, traceback text)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
    fast = _FastTransform.of(model.vectorizer_)
    if fast is not None:
        fast.record_new_chunks()
    while (task := tasks.get()) is not None:
        task_id, item, relays = task
        try:
            for relay in relays:
                fast.absorb(relay)
            value = _work(model, job, item)
            answer = (task_id, "ok", value, None if fast is None else fast.export())
        except Exception as exc:  # sent to the parent, which raises it
            answer = (task_id, "error", exc, traceback.format_exc())
        try:
            results.send(answer)
        except Exception:  # the answer (an exception, or a finish's value) does not pickle
            text = answer[3] if answer[1] == "error" else traceback.format_exc()
            results.send((task_id, "error", WorkerError(text), text))


def _widen(connection: Any) -> None:
    """Give a result pipe room for a whole answer (Linux; up to 1 MiB), so that a worker
    can go on to its next batch while this process is still busy with an earlier one,
    instead of waiting in ``send`` for it to read (a pipe holds 64 KiB by default)."""
    import fcntl  # here: this path runs where processes fork, and Windows has no fcntl

    set_size = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # 1031: Linux's F_SETPIPE_SZ
    with contextlib.suppress(OSError):
        fcntl.fcntl(connection.fileno(), set_size, 1 << 20)


class _Workers:
    """``n`` forked worker processes, each with a task queue and a result pipe."""

    def __init__(self, model: Any, job: _Job, n: int) -> None:
        context = multiprocessing.get_context("fork")
        self.tasks: list[Any] = []
        self.results: list[Any] = []
        self.processes: list[Any] = []
        # Objects alive now (the model, its vocabularies) go to the collector's permanent
        # generation for the fork: the workers' collections then never walk them, which
        # would touch (and so copy) their shared memory pages (the gc.freeze docs).
        gc.freeze()
        try:
            for _ in range(n):
                tasks = context.Queue()  # put() returns at once: a thread feeds the pipe
                receive, send = context.Pipe(duplex=False)
                _widen(send)
                process = context.Process(
                    target=_worker_main, args=(model, job, tasks, send), daemon=True
                )
                process.start()
                send.close()
                self.tasks.append(tasks)
                self.results.append(receive)
                self.processes.append(process)
        except BaseException:
            self.stop()
            raise
        finally:
            gc.unfreeze()

    def ready(self, worker: int) -> bool:
        """Whether an answer of the worker can be read without waiting."""
        return self.results[worker].poll()

    def receive(self, worker: int) -> tuple:
        """The next answer of a worker (they come in the order of its tasks)."""
        try:
            return self.results[worker].recv()
        except EOFError:
            code = self.processes[worker].exitcode
            raise WorkerError(f"worker process {worker} ended (exit code {code})") from None

    def stop(self) -> None:
        """End the workers (also when stopped early: the tasks still running are not
        needed)."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join()
        for tasks in self.tasks:
            tasks.cancel_join_thread()  # nothing waits to flush tasks to ended workers
            tasks.close()
        for results in self.results:
            results.close()


def _forked_batches(items: Iterable[Any], model: Any, job: _Job, n_jobs: int) -> Iterator[Any]:
    """Batches through forked workers, in turn and in order, at most 2 * n_jobs in
    flight; each worker's new chunks are passed on to the others as soon as they come."""
    workers = _Workers(model, job, n_jobs)
    relays: list[list[Any]] = [[] for _ in range(n_jobs)]  # to send to each worker
    pending: deque[int] = deque()  # the worker of each batch in flight, in order
    answers: list[deque] = [deque() for _ in range(n_jobs)]  # read, not yet yielded

    def read(worker: int) -> None:
        answer = workers.receive(worker)
        answers[worker].append(answer)
        if answer[1] == "ok" and answer[3] is not None:
            for other in range(n_jobs):
                if other != worker:
                    relays[other].append(answer[3])

    def read_ready() -> None:
        # Answers that have come: their chunks reach the other workers sooner.
        for worker in range(n_jobs):
            while len(answers[worker]) < pending.count(worker) and workers.ready(worker):
                read(worker)

    def next_in_order() -> Any:
        worker = pending.popleft()
        if not answers[worker]:
            read(worker)
        answer = answers[worker].popleft()
        if answer[1] == "error":  # raised in input order, after the answers before it
            raise answer[2] from WorkerError(f"in the worker process:\n{answer[3]}")
        return answer[2]

    try:
        for index, item in enumerate(items):
            worker = index % n_jobs
            read_ready()
            workers.tasks[worker].put((index, item, relays[worker]))
            relays[worker] = []
            pending.append(worker)
            if len(pending) >= 2 * n_jobs:
                yield next_in_order()
        while pending:
            yield next_in_order()
    finally:
        workers.stop()


def _task(handle: _ModelHandle, job: _Job, item: Any) -> Any:
    """A joblib worker's side: :func:`_work` with the model of ``handle``."""
    return _work(handle.get(), job, item)


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
    model : ExtremismClassifier or ScoringModel
    n_jobs : int, default=1
        Worker processes; -1 for one per core.
    threshold, explain, top
        As in :func:`~.core.score_batch`.

    Yields
    ------
    BatchScores
    """
    options = {"threshold": threshold, "explain": explain, "top": top}
    return work_batches(batches, model, options=options, n_jobs=n_jobs)


def _as_list(item: Sequence[str]) -> list[str]:
    return list(item)


def _scores(item: Any, scores: BatchScores) -> BatchScores:
    return scores


@dataclass(frozen=True)
class _Job:
    """What every batch of a job goes through: ``texts_of(item)`` gives the texts to
    score, ``finish(item, scores)`` the answer (in the worker process)."""

    options: dict[str, Any]
    texts_of: Callable[[Any], list[str]] = _as_list
    finish: Callable[[Any, BatchScores], Any] = _scores


def work_batches(
    items: Iterable[Any],
    model: Any,
    *,
    options: dict[str, Any],
    n_jobs: int = 1,
    texts_of: Callable[[Any], list[str]] = _as_list,
    finish: Callable[[Any, BatchScores], Any] = _scores,
) -> Iterator[Any]:
    """``finish(item, score_batch(model, texts_of(item), **options))`` of every item, in
    order, in this process or in ``n_jobs`` worker processes.

    The consumers of the scoring core that write output (``aeclf score``) pass a
    ``finish`` that formats a batch's rows, so that the workers do that work too.

    Parameters
    ----------
    items : iterable
        One item per batch (a list of texts, or the records of a batch), consumed
        lazily (with ``n_jobs > 1``, at most ``2 * n_jobs + 1`` items ahead).
    model : ExtremismClassifier or ScoringModel
    options : dict
        Keyword arguments of :func:`~.core.score_batch`.
    n_jobs : int, default=1
        Worker processes; -1 for one per core.
    texts_of : callable, default: ``list``
        The texts of an item to score.
    finish : callable, default: the scores
        The answer for an item, given the item and its :class:`~.core.BatchScores`.
        With forked workers (Linux) it runs in the worker processes and may be any
        callable; with joblib's workers it and ``texts_of`` must pickle.

    Yields
    ------
    object
        The answer of every item, in input order.
    """
    job = _Job(options, texts_of, finish)
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if n_jobs == 1:
        for item in items:
            yield _work(model, job, item)
        return
    if _can_fork():
        yield from _forked_batches(items, model, job, n_jobs)
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
        results = parallel(joblib.delayed(_task)(handle, job, item) for item in items)
        try:
            # Not ``yield from``: it would close ``results`` before this ``finally``.
            for answer in results:  # noqa: UP028
                yield answer
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
