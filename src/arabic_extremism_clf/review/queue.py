"""A review queue: the posts of one input, scored once, in review order.

Orders (``order=``):

``"input"``
    The order of the file.
``"score"``
    The flagged label's probability, highest first (ties: file order).
``"sample"``
    The order of ``aeclf sample`` (most informative first): see :func:`sample_order`.

A post that appears several times in the input is queued once (at its first place):
decisions belong to texts. Rows that cannot be read are not queued; they are returned
with their line numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..adapt.sampling import select_for_review
from ..scoring.core import score_batch
from .store import QueueItem, text_sha256

if TYPE_CHECKING:
    from ..io import Record
    from ..model import ExtremismClassifier

__all__ = [
    "ORDERS",
    "order_positions",
    "sample_order",
    "build_queue",
    "describe_model",
    "BATCH_SIZE",
]

logger = logging.getLogger(__name__)

#: The orders of a queue.
ORDERS = ("sample", "score", "input")
#: Posts scored at a time while a queue is made.
BATCH_SIZE = 1000
#: n-grams kept per post for highlighting.
TOP = 10


def sample_order(
    scores: np.ndarray,
    threshold: float,
    *,
    model: ExtremismClassifier | None = None,
    texts: Sequence[str] | None = None,
) -> np.ndarray:
    """The review order of ``aeclf sample``: the most informative posts first.

    The posts come in the order of
    :func:`~arabic_extremism_clf.adapt.sampling.select_for_review` (its default
    strategy: uncertainty around the threshold, near-copies of a post already chosen
    put back), then the posts it left out (normalised repeats) by uncertainty. Without
    ``model`` and ``texts``, or for a model without a flagged label or a ``threshold``
    of 0 or 1: uncertainty alone, ``|score - threshold|`` ascending (ties: file order).
    This is the one place where the queue depends on the sampling.

    Parameters
    ----------
    scores : ndarray of shape (n_posts,)
        The flagged label's probability of each post.
    threshold : float
        The model's threshold.
    model : ExtremismClassifier, optional
    texts : sequence of str, optional
        The posts (both needed for ``select_for_review``).

    Returns
    -------
    ndarray of int
        Indices of the posts in review order.
    """
    scores = np.asarray(scores, dtype=float)
    by_uncertainty = np.argsort(np.abs(scores - threshold), kind="stable")
    if (
        model is None
        or texts is None
        or model.flagged_index_ is None
        or not 0.0 < threshold < 1.0
        or not len(scores)
    ):
        return by_uncertainty
    picks = select_for_review(model, list(texts), len(texts), threshold=threshold, top=1)
    chosen = [p.index for p in picks]
    taken = set(chosen)
    rest = [int(k) for k in by_uncertainty if int(k) not in taken]
    return np.array(chosen + rest, dtype=np.intp)


def order_positions(
    scores: np.ndarray,
    order: str,
    threshold: float | None,
    *,
    model: ExtremismClassifier | None = None,
    texts: Sequence[str] | None = None,
) -> np.ndarray:
    """Indices of the posts in review order (see the module docstring).

    ``model`` and ``texts`` are for ``order="sample"`` (see :func:`sample_order`).

    Raises
    ------
    ValueError
        For an unknown ``order``.
    """
    scores = np.asarray(scores, dtype=float)
    if order == "input":
        return np.arange(len(scores))
    if order == "score":
        return np.argsort(-scores, kind="stable")
    if order == "sample":
        return sample_order(
            scores, 0.5 if threshold is None else threshold, model=model, texts=texts
        )
    raise ValueError(f"order= must be one of {', '.join(ORDERS)}, got {order!r}")


def build_queue(
    model: ExtremismClassifier,
    records: Iterable[Record],
    *,
    order: str = "sample",
    batch_size: int = BATCH_SIZE,
    match: Any = None,
) -> tuple[list[QueueItem], list[dict[str, Any]], int]:
    """Score the records of an input and put them in review order.

    Parameters
    ----------
    model : ExtremismClassifier
    records : iterable of Record
        The input's rows (see :func:`arabic_extremism_clf.io.read_records`).
    order : {"sample", "score", "input"}, default="sample"
    batch_size : int, default=1000
    match : callable, optional
        ``match(texts) -> list of dict or None``: the known-content match of each text.

    Returns
    -------
    items : list of QueueItem
        In review order, each text once.
    errors : list of dict
        ``{"line", "error"}`` of every row that could not be read.
    n_rows : int
        Rows read (errors and repeats included).
    """
    if order not in ORDERS:
        raise ValueError(f"order= must be one of {', '.join(ORDERS)}, got {order!r}")
    flagged = model.flagged_index_
    threshold = float(model.threshold) if flagged is not None else None
    items: list[QueueItem] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    n_rows = 0
    batch: list[Record] = []

    def flush() -> None:
        texts = [r.text for r in batch]
        scored = score_batch(model, texts, explain=True, top=TOP)
        matches = match(texts) if match is not None else [None] * len(texts)
        for record, row, proba, found in zip(batch, scored, scored.proba, matches):
            score = float(proba[flagged]) if flagged is not None else row["confidence"]
            items.append(
                QueueItem(
                    text=record.text,
                    line=record.line,
                    id=None if record.id is None else str(record.id),
                    label=row["label"],
                    confidence=row["confidence"],
                    score=score,
                    explanation=row["explanation"],
                    match=found,
                )
            )
        batch.clear()

    for record in records:
        n_rows += 1
        if record.error is not None:
            logger.warning("line %d: %s (not queued)", record.line, record.error)
            errors.append({"line": record.line, "error": record.error})
            continue
        sha = text_sha256(record.text)
        if sha in seen:
            continue
        seen.add(sha)
        batch.append(record)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    scores = np.array([i.score for i in items])
    texts = [i.text for i in items]
    positions = order_positions(scores, order, threshold, model=model, texts=texts)
    return [items[k] for k in positions], errors, n_rows


def describe_model(model_path: Any, manifest: dict[str, Any]) -> dict[str, Any]:
    """The name, version and fingerprint of a model, as decisions record them."""
    from pathlib import Path

    from ..scoring.http import _model_id

    library = manifest.get("library") if isinstance(manifest.get("library"), dict) else {}
    name = "shipped" if model_path is None else Path(model_path).resolve().name
    return {
        "model_name": name,
        "model_version": library.get("version"),
        "model_id": _model_id(manifest),
    }
