"""Scoring: the core that turns a batch of texts into result rows, and its consumers.

* :mod:`.core`: :func:`score_batch` (texts -> :class:`ScoreResult` rows), the one model
  resolver and the option checks every consumer shares;
* :mod:`.pool`: batches through the core in this process or in worker processes;
* :mod:`.files`: records from files and pipes (:func:`score_records`,
  :func:`score_iter`);
* :mod:`.frames`: pandas and Dask DataFrames (:func:`score_pandas`,
  :func:`score_dataframe`);
* :mod:`.http`: the HTTP service (:func:`~.http.create_app`, :func:`~.http.serve`;
  ``serve`` extra).

The consumers only adapt input and output; none of them scores on its own.
"""

from __future__ import annotations

from .core import BatchScores, Explanation, ScoreResult, resolve_model, score_batch
from .files import (
    DEFAULT_BATCH_SIZE,
    ScoredBatch,
    Summary,
    score_batches,
    score_iter,
    score_records,
)
from .frames import score_columns, score_dataframe, score_pandas

__all__ = [
    "score_batch",
    "BatchScores",
    "ScoreResult",
    "Explanation",
    "resolve_model",
    "DEFAULT_BATCH_SIZE",
    "score_iter",
    "score_records",
    "score_batches",
    "ScoredBatch",
    "Summary",
    "score_pandas",
    "score_dataframe",
    "score_columns",
]
