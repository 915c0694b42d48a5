"""Former home of bulk scoring, kept so that 0.x imports keep working.

Readers, writers and resuming now live in :mod:`arabic_extremism_clf.io`; scoring in
:mod:`arabic_extremism_clf.scoring`. New code imports from there.
"""

from __future__ import annotations

from .io import (  # noqa: F401
    INPUT_FORMATS,
    OUTPUT_FORMATS,
    CsvWriter,
    JsonlWriter,
    Record,
    ResumePoint,
    infer_format,
    output_columns,
    read_delimited,
    read_jsonl,
    read_parquet,
    read_records,
    read_text,
    resume_point,
)
from .scoring.files import (  # noqa: F401
    DEFAULT_BATCH_SIZE,
    ScoredBatch,
    Summary,
    score_batches,
    score_iter,
    score_records,
)
