"""What the subcommands share: argument types, the usage error, flag names in messages.

The exit-status rule of ``aeclf`` (see :func:`arabic_extremism_clf.cli.main`):
0 success; 1 an error of the data or at run time (a file that cannot be read, a
malformed input, an output that exists, rows that failed under ``--strict``);
2 a usage error (an unknown flag, a flag value out of range, flags that do not go
together). Argument types raise :class:`argparse.ArgumentTypeError` and a subcommand
raises :class:`UsageError`; both end with status 2.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable

from ..labels import check_threshold

__all__ = [
    "UsageError",
    "positive_int",
    "positive_float",
    "probability",
    "n_jobs",
    "port",
    "flag_names",
]


class UsageError(ValueError):
    """The command line is wrong: exit status 2."""


def _number(text: str, kind: type, what: str):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text: str) -> int:
    """``type=`` of a flag that takes an integer >= 1."""
    value = _number(text, int, "a positive integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def positive_float(text: str) -> float:
    """``type=`` of a flag that takes a number > 0."""
    value = _number(text, float, "a positive number")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def non_negative_float(text: str) -> float:
    """``type=`` of a flag that takes a finite number >= 0."""
    value = _number(text, float, "a number >= 0")
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def probability(text: str) -> float:
    """``type=`` of a flag that takes a threshold in [0, 1]."""
    value = _number(text, float, "a number in [0, 1]")
    try:
        return check_threshold(value, "the value")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def n_jobs(text: str) -> int:
    """``type=`` of ``--jobs``: a positive integer, or -1 for every core."""
    value = _number(text, int, "a positive integer or -1")
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or -1, got {value}")
    return value


def port(text: str) -> int:
    """``type=`` of ``--port``."""
    value = _number(text, int, "a port number")
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {value}")
    return value


_PARAMETER_RE = re.compile(r"(?<![\w-])([a-z][a-z0-9_]*)=(True\b)?")


def flag_names(message: str, actions: Iterable[argparse.Action]) -> str:
    """A library message with its parameter names (``text_col=``) as the command's flags.

    Library errors speak of parameters; the command line speaks of flags. Only the
    parameters that are a flag of the command are rewritten.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> _ = parser.add_argument("--text-col")
    >>> _ = parser.add_argument("--overwrite", action="store_true")
    >>> flag_names("pass text_col= naming the column, or overwrite=True", parser._actions)
    'pass --text-col naming the column, or --overwrite'
    """
    flags = {}
    for action in actions:
        long = [s for s in action.option_strings if s.startswith("--")]
        if long:
            flags.setdefault(action.dest, long[0])

    def replace(match: re.Match[str]) -> str:
        flag = flags.get(match.group(1))
        return match.group(0) if flag is None else flag

    return _PARAMETER_RE.sub(replace, message)
