"""The ``aeclf`` command: one entry point, one module per subcommand.

Each subcommand module has ``add_parser(subparsers)`` and ``run(args) -> int``. Only
this package reads stdin, writes stdout, sets up logging and returns exit codes:
0 success; 1 an error of the data or at run time (a file that cannot be read, a
malformed input, an existing output, rows that failed under ``--strict``); 2 a usage
error (an unknown flag, a flag value out of range, flags that do not go together).
Library errors name parameters (``text_col=``); messages here name the flags.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import AeclfError
from ._args import UsageError, flag_names

__all__ = ["main", "build_parser"]

#: Subcommand modules, in the order ``aeclf --help`` lists them.
SUBCOMMANDS = (
    "score",
    "train",
    "sample",
    "threshold",
    "evaluate",
    "audit",
    "serve",
    "review",
    "preprocess",
    "match",
)

log = logging.getLogger("arabic_extremism_clf")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="aeclf",
        description="Flag Arabic posts that promote violent extremist groups, for human review.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output on stderr"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.add_parser(subparsers)
    # The subcommands' parsers, by name: their usage and flags go into messages.
    parser.commands = subparsers.choices  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``aeclf`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="aeclf: %(levelname)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error
        return 0
    except UsageError as exc:
        command = parser.commands[args.command]
        print(
            f"{command.format_usage().rstrip()}\naeclf {args.command}: error: {exc}",
            file=sys.stderr,
        )
        return 2
    except (AeclfError, OSError, ValueError, TypeError) as exc:
        command = parser.commands[args.command]
        message = flag_names(str(exc), command._actions)
        print(f"aeclf {args.command}: error: {message}", file=sys.stderr)
        if args.verbose:
            log.exception("details")
        return 1
    except KeyboardInterrupt:
        print(f"aeclf {args.command}: interrupted", file=sys.stderr)
        return 130
