"""Text tables shipped as package data: reading and validating them.

The Arabic text tables of the library (the held-out functional test lines of
:mod:`.functional`, the authored training negatives of :mod:`.authored_negatives`) are
UTF-8 tab-separated files in the package's ``data/`` folder, read with
:mod:`importlib.resources` so that they load from a checkout, a wheel or a zip alike.

Format of a table file:

* UTF-8 without a byte order mark, LF line ends;
* the first line is the header: the column names, separated by tabs, exactly as the
  table's :class:`TableSpec` lists them;
* then one row a line, its fields separated by one tab. There is no quoting and no
  escaping, so a field holds no tab and no line break, and a ``"`` is a plain character;
* no blank line, no field with leading or trailing whitespace, no empty field (except in
  the spec's ``optional`` columns), every value of a constrained column among the allowed
  ones, no two rows with the same ``unique`` key.

:func:`table_problems` reports every breach of these rules, each as a
:class:`~arabic_extremism_clf.errors.CorpusError` naming the file, the line and the
column; :func:`read_table` returns the rows of a valid table and raises the first problem
otherwise (the others attached as notes).

Examples
--------
>>> spec = TableSpec("functional_cases.tsv", ("functionality", "expected", "text", "note"))
>>> rows = read_table(spec)
>>> sorted(rows[0])
['expected', 'functionality', 'note', 'text']
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import CorpusError

__all__ = ["TableSpec", "data_file", "read_table", "table_problems"]

#: The folder of the package data, inside the package.
DATA_DIR = "data"

_CRLF = "ends with a carriage return; save the file with LF line ends"

#: How the parser reports a problem: ``problem(message, line, column=None)``.
_Report = Callable[..., None]


@dataclass(frozen=True)
class TableSpec:
    """What a text table must look like.

    Parameters
    ----------
    name : str
        The file name inside the package's ``data/`` folder.
    columns : tuple of str
        The header, in order.
    allowed : mapping of str to collection of str
        Column -> the values a field of that column may take (columns left out are free).
    optional : collection of str
        Columns whose fields may be empty; every other field must hold text.
    unique : tuple of str
        Columns whose joint values no two rows may share.
    """

    name: str
    columns: tuple[str, ...]
    allowed: Mapping[str, Collection[str]] = field(default_factory=dict)
    optional: Collection[str] = frozenset()
    unique: tuple[str, ...] = ("text",)


def data_file(name: str) -> Traversable:
    """The packaged data file `name` (in ``arabic_extremism_clf/data/``).

    Parameters
    ----------
    name : str

    Returns
    -------
    importlib.resources.abc.Traversable
    """
    return files(__package__).joinpath(DATA_DIR, name)


def table_problems(spec: TableSpec, source: Traversable | Path | None = None) -> list[CorpusError]:
    """Every problem of a table file, in line order (an empty list: the table is valid).

    Parameters
    ----------
    spec : TableSpec
    source : Traversable or Path or None
        The file to check; ``None`` checks the packaged ``data/<spec.name>``.

    Returns
    -------
    list of CorpusError
        One per problem, each naming the file, the 1-based line and, where it applies,
        the column.
    """
    return _parse(spec, source)[1]


def read_table(spec: TableSpec, source: Traversable | Path | None = None) -> list[dict[str, str]]:
    """The rows of a valid table file, in file order.

    Parameters
    ----------
    spec : TableSpec
    source : Traversable or Path or None
        The file to read; ``None`` reads the packaged ``data/<spec.name>``.

    Returns
    -------
    list of dict
        One ``{column: field}`` dict per row.

    Raises
    ------
    CorpusError
        If the file breaks a rule of the format: the first problem, with the file and
        line number; the other problems are attached as notes.
    """
    rows, problems = _parse(spec, source)
    if problems:
        first = problems[0]
        for other in problems[1:]:
            first.add_note(str(other))
        raise first
    return rows


def _parse(
    spec: TableSpec, source: Traversable | Path | None
) -> tuple[list[dict[str, str]], list[CorpusError]]:
    if source is None:
        source = data_file(spec.name)
    path = str(source)
    problems: list[CorpusError] = []

    def problem(message: str, line: int, column: str | None = None) -> None:
        problems.append(CorpusError(message, path=path, line=line, column=column))

    try:
        data = source.read_bytes()
    except OSError as exc:
        problem(f"cannot be read ({exc})", 1)
        return [], problems
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the line break that ends the last line
    if not lines:
        problem(f"is empty; expected a header line {_tabbed(spec.columns)}", 1)
        return [], problems
    if lines[0].startswith(b"\xef\xbb\xbf"):
        problem("starts with a UTF-8 byte order mark; save the file without it", 1)
        lines[0] = lines[0][3:]
    header = _decode(lines[0], 1, problem)
    if header is not None and header.endswith("\r"):
        problem(_CRLF, 1)
    elif header is not None and header.split("\t") != list(spec.columns):
        problem(f"the header is {header!r}; expected {_tabbed(spec.columns)}", 1)
        return [], problems
    rows: list[dict[str, str]] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        text = _decode(raw, number, problem)
        if text is None:
            continue
        row = _row(spec, text, number, problem)
        if row is None:
            continue
        key = tuple(row[column] for column in spec.unique)
        if key in seen:
            column = spec.unique[0] if len(spec.unique) == 1 else None
            problem(f"duplicates line {seen[key]}", number, column)
            continue
        seen[key] = number
        rows.append(row)
    return rows, problems


def _decode(raw: bytes, number: int, problem: _Report) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem(f"is not valid UTF-8 (byte {raw[exc.start]:#04x} at byte {exc.start + 1})", number)
        return None


def _row(spec: TableSpec, text: str, number: int, problem: _Report) -> dict[str, str] | None:
    """The row of one line, or None after reporting why it is not one."""
    if text.endswith("\r"):
        problem(_CRLF, number)
        return None
    if not text.strip():
        problem("is blank; remove it", number)
        return None
    fields = text.split("\t")
    if len(fields) != len(spec.columns):
        problem(
            f"has {len(fields)} tab-separated fields, expected {len(spec.columns)} "
            f"({', '.join(spec.columns)}); a field holds no tab",
            number,
        )
        return None
    row = dict(zip(spec.columns, fields, strict=True))
    valid = True
    for column, value in row.items():
        if value != value.strip():
            problem("has leading or trailing whitespace", number, column)
            valid = False
        elif not value and column not in spec.optional:
            problem("is empty", number, column)
            valid = False
        elif value and column in spec.allowed and value not in spec.allowed[column]:
            known = ", ".join(spec.allowed[column])
            problem(f"unknown value {value!r}; allowed: {known}", number, column)
            valid = False
    return row if valid else None


def _tabbed(columns: tuple[str, ...]) -> str:
    return repr("\t".join(columns))
