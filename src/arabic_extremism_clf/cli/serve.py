"""``aeclf serve``: the HTTP service (``POST /classify``, ``GET /health``, ``GET /model``)."""

from __future__ import annotations

import argparse
import sys

# Only the constants: the server module imports FastAPI and the model lazily.
from ..scoring.http import (
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONCURRENT_BATCHES,
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_MAX_TOP,
)
from ._args import UsageError, port, positive_int
from .match import add_match_threshold


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP service (needs: pip install 'arabic-extremism-clf[serve]')",
        description='Serve a model over HTTP: POST /classify with {"texts": [...]} returns '
        "one label, confidence and scores per text; GET /health, GET /model (the manifest), "
        "GET /docs and /openapi.json. SIGTERM or Ctrl+C stops it after the requests in "
        "progress. There is no authentication: keep it on loopback or a private network.",
    )
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=port, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--max-batch",
        type=positive_int,
        default=DEFAULT_MAX_BATCH,
        help=f"most texts per request (default: {DEFAULT_MAX_BATCH})",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=positive_int,
        default=DEFAULT_MAX_BODY_BYTES,
        help=f"largest request body in bytes (default: {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--max-text-chars",
        type=positive_int,
        default=DEFAULT_MAX_TEXT_CHARS,
        help=f"longest text in characters (default: {DEFAULT_MAX_TEXT_CHARS})",
    )
    parser.add_argument(
        "--max-top",
        type=positive_int,
        default=DEFAULT_MAX_TOP,
        help=f"most n-grams per explanation (default: {DEFAULT_MAX_TOP})",
    )
    parser.add_argument(
        "--max-concurrent-batches",
        type=positive_int,
        default=DEFAULT_MAX_CONCURRENT_BATCHES,
        help="batches scored at once per process, each in a worker thread "
        f"(default: {DEFAULT_MAX_CONCURRENT_BATCHES})",
    )
    parser.add_argument(
        "--known",
        metavar="SIGS",
        help="signatures of known posts (aeclf match index): every result gets 'match'",
    )
    add_match_threshold(parser, "the one recorded in SIGS; needs --known")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="server processes, each with its own copy of the model (default: 1)",
    )
    parser.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="info",
        help="the server's log level (default: info)",
    )
    parser.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="do not log one line per request",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand: serve until SIGTERM (exit 0) or Ctrl+C (exit 130)."""
    from ..scoring.http import serve

    if args.match_threshold is not None and args.known is None:
        raise UsageError("--match-threshold sets the threshold of --known: it needs --known")
    try:
        serve(
            args.model,
            args.host,
            args.port,
            max_batch=args.max_batch,
            max_body_bytes=args.max_body_bytes,
            max_text_chars=args.max_text_chars,
            max_top=args.max_top,
            max_concurrent_batches=args.max_concurrent_batches,
            workers=args.workers,
            log_level=args.log_level,
            access_log=args.access_log,
            known=args.known,
            match_threshold=args.match_threshold,
        )
    except ImportError as exc:
        print(f"aeclf serve: error: {exc}", file=sys.stderr)
        return 1
    return 0
