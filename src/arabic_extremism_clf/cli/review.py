"""``aeclf review``: a review page over a queue of posts, and the export of its decisions.

``aeclf review serve INPUT --db reviews.sqlite`` scores INPUT once into a queue kept in
the database (keyed by the SHA-256 of the input, so serving the same input again
resumes it) and serves the page; ``aeclf review export --db reviews.sqlite -o
labels.csv`` writes the decisions as the file ``aeclf train`` reads.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
from pathlib import Path

from ..io.open import parquet_parts
from ._args import UsageError, port
from ._inputs import add_input_arguments, open_input
from .match import add_match_threshold, load_known

log = logging.getLogger(__name__)

#: Environment variable holding the token when ``--token`` is not given.
TOKEN_ENV = "AECLF_REVIEW_TOKEN"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand and its two actions."""
    parser = subparsers.add_parser(
        "review",
        help="review posts in a browser (serve) and export the decisions (export)",
        description="A review page: reviewers go through a queue of posts in the browser, "
        "their decisions are kept in SQLite, and the export is a training file.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    serve = actions.add_parser(
        "serve",
        help="serve the review page of INPUT (needs: pip install 'arabic-extremism-clf[serve]')",
        description="Score INPUT once into a queue stored in --db and serve the review page. "
        "Serving the same INPUT again resumes its queue. Binds to 127.0.0.1; another "
        f"--host needs --token (or ${TOKEN_ENV}).",
    )
    serve.add_argument("input", metavar="INPUT", help="posts: text, CSV, TSV, JSON Lines, Parquet")
    serve.add_argument("--db", required=True, help="the review database (created if missing)")
    serve.add_argument("--model", help="model directory (default: the shipped model)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    serve.add_argument("--port", type=port, default=8765, help="port (default: 8765)")
    serve.add_argument(
        "--order",
        choices=["sample", "score", "input"],
        default="sample",
        help="queue order: sample (most uncertain first, as aeclf sample), score (highest "
        "first) or input (file order); default: sample",
    )
    serve.add_argument("--reviewer", help="the reviewer name the page starts with")
    serve.add_argument(
        "--token",
        help=f"a secret every request must carry (default: ${TOKEN_ENV}); required with a "
        "non-loopback --host. Open the printed address with ?token= once: it sets a cookie",
    )
    serve.add_argument(
        "--known",
        metavar="SIGS",
        help="signatures of known posts (aeclf match index): show each post's known-content match",
    )
    add_match_threshold(serve, "the one recorded in SIGS; needs --known")
    add_input_arguments(serve)
    serve.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="warning",
        help="the server's log level (default: warning)",
    )
    serve.set_defaults(run=run_serve)

    export = actions.add_parser(
        "export",
        help="write the decisions as a labelled CSV for aeclf train",
        description="Write one row per decided text (text,label,note,reviewers,decided_at,"
        "text_sha256): the file that aeclf train FILE and aeclf train --recipe default FILE "
        "read. Texts on which reviewers disagree are left out and listed on stderr; texts "
        "decided 'unsure' are left out.",
    )
    export.add_argument("--db", required=True, help="the review database")
    export.add_argument("-o", "--output", required=True, help="CSV file to write ('-': stdout)")
    export.add_argument("--overwrite", action="store_true", help="replace an existing file")
    export.add_argument("--conflicts", metavar="FILE", help="also write the conflicts to FILE")
    export.add_argument(
        "--strict", action="store_true", help="exit with status 1 if any text is a conflict"
    )
    export.set_defaults(run=run_export)


def input_sha256(name: str) -> str:
    """SHA-256 of an input file (of a Parquet data set: of its parts' paths and bytes)."""
    path = Path(name)
    digest = hashlib.sha256()
    parts = parquet_parts(path) if path.is_dir() else [path]
    for part in parts:
        if path.is_dir():
            digest.update(part.relative_to(path).as_posix().encode() + b"\0")
        with open(part, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def run_serve(args: argparse.Namespace) -> int:
    """Make or resume the queue of INPUT, then serve the page until Ctrl+C or SIGTERM."""
    from ..persistence import read_manifest
    from ..review.queue import build_queue, describe_model
    from ..review.store import ReviewStore
    from ..scoring.core import resolve_model

    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None
    if args.host not in _LOOPBACK and not token:
        raise UsageError(
            f"--host {args.host} is not loopback: give --token (or set {TOKEN_ENV}) so that "
            "only reviewers who have it can use the page"
        )
    if token is not None and len(token) < 8:
        raise UsageError("--token must have at least 8 characters")
    if args.input == "-":
        raise UsageError("INPUT must be a file (a queue is resumed by the file's SHA-256)")
    try:
        from ..review.app import allowed_hosts, create_review_app, run_server
    except ImportError as exc:  # pragma: no cover - the serve extra is missing
        print(f"aeclf review: error: {exc}", file=sys.stderr)
        return 1
    known = load_known(args)  # before the long part: a bad --known fails fast
    sha = input_sha256(args.input)
    manifest = read_manifest(args.model)
    model_info = describe_model(args.model, manifest)
    store = ReviewStore(args.db)
    queue = store.queue(sha)
    model = resolve_model(args.model)
    fresh = (
        queue is None
        or queue["model_id"] != model_info["model_id"]
        or queue["order_by"] != args.order
    )
    if fresh:
        if queue is not None:
            log.warning(
                "the queue of %s was made with another model or order: scoring it again "
                "(decisions are kept)",
                args.input,
            )
        with open_input(args.input, args) as records:
            items, errors, n_rows = build_queue(model, records, order=args.order)
        flagged = model.flagged_index_ is not None
        store.save_queue(
            sha,
            items,
            input_name=Path(args.input).name,
            order_by=args.order,
            flagged_label=model.flagged_label if flagged else None,
            threshold=float(model.threshold) if flagged else None,
            n_rows=n_rows,
            errors=errors,
            **model_info,
        )
        if errors:
            print(
                f"aeclf review: {len(errors)} rows of {args.input} could not be read and are "
                f"not queued (first: line {errors[0]['line']}: {errors[0]['error']})",
                file=sys.stderr,
            )
    if known is not None:
        from ..matching import match_rows

        index, match_threshold = known
        texts = store.texts(sha)
        matches: list = []
        for start in range(0, len(texts), 1000):
            matches += match_rows(index, texts[start : start + 1000], match_threshold)
        store.set_matches(sha, matches)
        log.info(
            "%d of %d posts match a known post", sum(m is not None for m in matches), len(texts)
        )
    progress = store.progress(sha)
    app = create_review_app(
        store,
        sha,
        normalize_options=model.vectorizer_.normalize_options,
        token=token,
        reviewer=args.reviewer,
        hosts=allowed_hosts(args.host, args.port),
    )
    shown = {"0.0.0.0": "<this machine>", "::": "<this machine>"}.get(args.host, args.host)
    shown = f"[{shown}]" if ":" in shown else shown
    address = f"http://{shown}:{args.port}/"
    print(
        f"aeclf review: {'new' if fresh else 'resumed'} queue of {progress['total']} posts "
        f"({progress['reviewed']} reviewed) from {args.input}; open {address}"
        + ("?token=<the token> once in each browser" if token else ""),
        file=sys.stderr,
        flush=True,
    )
    run_server(app, args.host, args.port, log_level=args.log_level)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the training file; report conflicts and unsure texts on stderr."""
    from ..review.export import collect, write_conflicts_csv, write_csv
    from ..review.store import ReviewStore

    if not Path(args.db).is_file():
        raise ValueError(f"{args.db}: no such review database (--db)")
    for target in (args.output, args.conflicts):
        if target not in (None, "-") and Path(target).exists() and not args.overwrite:
            raise ValueError(f"{target} exists: give --overwrite to replace it")
    result = collect(ReviewStore(args.db))
    if args.output == "-":
        write_csv(result.rows, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as stream:
            write_csv(result.rows, stream)
    if args.conflicts is not None:
        with open(args.conflicts, "w", encoding="utf-8", newline="") as stream:
            write_conflicts_csv(result.conflicts, stream)
    counts = result.counts()
    where = "stdout" if args.output == "-" else args.output
    print(
        f"aeclf review export: {len(result.rows)} rows to {where} ("
        + ", ".join(f"{n} {label}" for label, n in counts.items())
        + f"); {result.unsure} unsure and {len(result.conflicts)} conflicting texts left out",
        file=sys.stderr,
    )
    for sha, _, decisions in result.conflicts:
        who = ", ".join(f"{d['reviewer']}={d['label']}" for d in decisions)
        print(f"aeclf review export: conflict on text {sha[:16]}: {who}", file=sys.stderr)
    if sum(1 for n in counts.values() if n) < 2:
        print(
            "aeclf review export: warning: training needs both labels; this export has "
            + ("none" if not result.rows else "only one"),
            file=sys.stderr,
        )
    return 1 if args.strict and result.conflicts else 0
