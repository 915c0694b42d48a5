"""Opening one named input (a file, a Parquet data set or a given stream) as records.

Shared by the commands that read posts (``aeclf score``, ``aeclf review serve``): the
format comes from the name unless given, a ``.gz`` file is decompressed, a directory is
a Parquet data set read in the natural order of its parts. Nothing here reads stdin:
the caller passes the stream that ``"-"`` stands for.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .readers import Record, infer_format, read_parquet, read_records

__all__ = ["format_of", "parquet_parts", "open_records"]


def _natural_key(path: Path) -> list:
    """Sort key putting ``part.2`` before ``part.10``."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.as_posix())]


def parquet_parts(path: Path) -> list[Path]:
    """The .parquet files under a data set directory, in natural order of their paths."""
    parts = sorted(
        (p for p in path.rglob("*") if p.is_file() and infer_format(p.name) == "parquet"),
        key=lambda p: _natural_key(p.relative_to(path)),
    )
    if not parts:
        raise ValueError(
            f"{path}: a directory without .parquet files; give files or a Parquet data set"
        )
    return parts


def format_of(name: str, requested: str = "auto") -> str:
    """The input format of ``name``: ``requested`` unless ``"auto"``, else from the name."""
    if requested != "auto":
        return requested
    if name != "-" and Path(name).is_dir():
        return "parquet"
    return infer_format(name)


@contextlib.contextmanager
def open_records(
    name: str,
    fmt: str = "auto",
    *,
    text_col: str = "text",
    id_col: str | None = None,
    quoting: bool = True,
    stdin: IO[bytes] | None = None,
) -> Iterator[Iterator[Record]]:
    """The records of one input, with its files closed at the end.

    Parameters
    ----------
    name : str
        A file path, a Parquet data set directory, or ``"-"`` for ``stdin``.
    fmt : str, default="auto"
        One of :data:`~arabic_extremism_clf.io.INPUT_FORMATS`, or ``"auto"``.
    text_col, id_col : str
        Column or field of the posts and of the ids (not for plain text).
    quoting : bool, default=True
        CSV/TSV: whether fields may be quoted.
    stdin : binary stream, optional
        What ``"-"`` reads.

    Yields
    ------
    iterator of Record

    Raises
    ------
    ValueError
        For ``id_col=`` with plain text, Parquet from ``"-"``, ``"-"`` without
        ``stdin=``, or a directory without Parquet files.
    """
    fmt = format_of(name, fmt)
    options: dict[str, Any] = {"text_col": text_col, "id_col": id_col}
    if fmt == "text" and id_col is not None:
        raise ValueError("plain-text input has no ids: id_col= needs csv, tsv, jsonl or parquet")
    if fmt in ("csv", "tsv"):
        options["quoting"] = quoting
    if fmt == "text":
        options = {}
    if fmt == "parquet":
        if name == "-":
            raise ValueError("Parquet input must be a file or a directory, not a stream")
        path = Path(name)
        parts = parquet_parts(path) if path.is_dir() else [path]
        yield read_parquet(parts, **options)
        return
    if name == "-":
        if stdin is None:
            raise ValueError("the input '-' needs stdin= (the stream to read)")
        yield read_records(stdin, fmt, **options)
        return
    opener = gzip.open if name.lower().endswith(".gz") else open
    with opener(name, "rb") as stream:
        yield read_records(stream, fmt, **options)
