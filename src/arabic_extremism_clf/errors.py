"""Exception classes of the library.

Every error the library raises on purpose derives from :class:`AeclfError`, and also
from the builtin exception that fits, so callers may catch either.
"""

from __future__ import annotations

__all__ = ["AeclfError", "CorpusError", "ModelFileError", "DataDirError"]


class AeclfError(Exception):
    """Base class of the errors raised by ``arabic_extremism_clf``."""


class CorpusError(AeclfError, ValueError):
    """A labelled corpus file cannot be read as asked.

    Parameters
    ----------
    message : str
        What was expected, what was found and how to fix it.
    path : str or None
        The file.
    line : int or None
        1-based physical line number in the file, where known.
    column : str or None
        The column or field concerned, where known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DataDirError(AeclfError, FileNotFoundError):
    """The directory of the shared public corpora is not set or not found."""


class ModelFileError(AeclfError, ValueError):
    """A saved model is corrupt, truncated, tampered with, foreign or of a newer format."""
