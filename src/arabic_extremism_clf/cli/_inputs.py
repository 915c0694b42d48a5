"""The inputs of a command: the flags ``--format``, ``--text-col``, ``--id-col`` and
``--no-quoting`` (:func:`add_input_arguments`) and opening an input, ``-`` being stdin
(:func:`open_input`), shared by ``score``, ``sample``, ``match`` and ``review``."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterator
from typing import IO

from ..io import INPUT_FORMATS, Record
from ..io.open import format_of, open_records
from ._args import UsageError

__all__ = ["add_input_arguments", "stdin_bytes", "open_input"]


def add_input_arguments(
    parser: argparse.ArgumentParser,
    *,
    id_help: str = "column or field of the ids (default: none; rows carry their line number)",
) -> None:
    """Add ``--format``, ``--text-col``, ``--id-col`` and ``--no-quoting`` to ``parser``."""
    parser.add_argument(
        "--format",
        choices=["auto", *INPUT_FORMATS],
        default="auto",
        help="input format (default: from the file suffix; stdin and unknown: text)",
    )
    parser.add_argument(
        "--text-col",
        "--text-field",
        dest="text_col",
        default="text",
        help="column (CSV/TSV/Parquet) or field (JSON Lines) of the posts (default: text)",
    )
    parser.add_argument("--id-col", "--id-field", dest="id_col", help=id_help)
    parser.add_argument(
        "--no-quoting",
        dest="quoting",
        action="store_false",
        help="CSV/TSV: fields are not quoted, read every double quote literally",
    )


def stdin_bytes() -> IO[bytes]:
    """stdin as a binary stream."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    # A text stream without a binary buffer (e.g. replaced in tests): re-encode.
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


@contextlib.contextmanager
def open_input(name: str, args: argparse.Namespace) -> Iterator[Iterator[Record]]:
    """The records of one input named on the command line, its files closed at the end."""
    fmt = format_of(name, args.format)
    if fmt == "text" and args.id_col is not None:
        raise UsageError(
            "plain-text input has no ids: --id-col needs csv, tsv, jsonl or parquet input"
        )
    if fmt == "parquet" and name == "-":
        raise UsageError("Parquet input must be a file or a directory, not stdin")
    with open_records(
        name,
        fmt,
        text_col=args.text_col,
        id_col=args.id_col,
        quoting=getattr(args, "quoting", True),
        stdin=stdin_bytes() if name == "-" else None,
    ) as records:
        yield records
