"""Resuming: find where an interrupted output file stopped, and cut off a partial row.

So that a job can continue into the same file without repeating or skipping a row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["ResumePoint", "resume_point"]


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
            f"cannot resume: the output was written {written} explain= and this run is "
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
