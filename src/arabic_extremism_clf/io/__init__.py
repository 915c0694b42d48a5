"""Input and output of bulk scoring: readers of posts, writers of rows, resuming a job.

* :mod:`.readers`: text, CSV/TSV, JSON Lines and Parquet inputs as :class:`Record` rows;
* :mod:`.writers`: output rows as JSON Lines or CSV;
* :mod:`.resume`: where an interrupted output file stopped.

Nothing here scores or prints; :mod:`arabic_extremism_clf.scoring` scores the records.
"""

from __future__ import annotations

from .readers import (
    INPUT_FORMATS,
    Record,
    infer_format,
    read_delimited,
    read_jsonl,
    read_parquet,
    read_records,
    read_text,
)
from .resume import ResumePoint, resume_point
from .writers import OUTPUT_FORMATS, CsvWriter, JsonlWriter, output_columns

__all__ = [
    "Record",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "infer_format",
    "read_records",
    "read_text",
    "read_jsonl",
    "read_delimited",
    "read_parquet",
    "output_columns",
    "JsonlWriter",
    "CsvWriter",
    "ResumePoint",
    "resume_point",
]
