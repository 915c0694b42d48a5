"""``aeclf sample``: choose the unlabelled posts most worth a reviewer's time.

Reads its inputs exactly as ``aeclf score`` does; writes a CSV with the columns
``text, line, id, score, ngrams, label`` (``file`` too when there are several inputs), in
the order chosen, with ``label`` empty. Filled in (every row labelled, or unlabelled rows
deleted), it is a valid input of ``aeclf train --recipe default FILE``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from .. import io as aeclf_io
from ._inputs import add_input_arguments
from ._inputs import open_input as _open_records

COLUMNS = ["text", "line", "id", "score", "ngrams", "label"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    from ..adapt import STRATEGIES

    parser = subparsers.add_parser(
        "sample",
        help="choose N unlabelled posts worth labelling (uncertain and diverse), as a CSV to fill in",
        description="Score unlabelled posts and choose N whose labels would teach the model "
        "most: near the threshold and unlike each other. Posts already in --exclude files "
        "are skipped. The output CSV has an empty 'label' column: fill it in and give the file "
        "to 'aeclf train --recipe default'.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="input files as for 'aeclf score' ('-': stdin; a directory: a Parquet data set)",
    )
    parser.add_argument("-n", type=int, required=True, help="how many posts to choose")
    parser.add_argument("-o", "--output", required=True, help="the CSV to write")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument(
        "--exclude",
        nargs="+",
        default=[],
        metavar="FILE",
        help="files of posts already labelled (read like the inputs; e.g. earlier samples)",
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default=STRATEGIES[0],
        help="uncertain-diverse (default): nearest the threshold first, no near-copies; "
        "uncertain: nearest the threshold, copies included; k-center: the most diverse of the 5N nearest; random: a uniform sample",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of ties and of random (default: 0)"
    )
    parser.add_argument(
        "--threshold", type=float, help="operating threshold (default: the model's)"
    )
    parser.add_argument("--top", type=int, default=5, help="n-grams per post (default: 5)")
    add_input_arguments(parser, id_help="column or field of the ids, copied to the output")
    parser.set_defaults(run=run)


def _texts(names: list[str], args: argparse.Namespace) -> tuple[list[aeclf_io.Record], int]:
    """The readable records of ``names`` (with their file) and the number of bad rows."""
    good, bad = [], 0
    for name in names:
        with _open_records(name, args) as records:
            for record in records:
                if record.error is not None or not record.text or not record.text.strip():
                    bad += 1
                    continue
                good.append(record._replace(file=name))
    return good, bad


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..adapt import select_for_review
    from ..persistence import load_model

    if args.n < 1:
        print(f"aeclf sample: error: -n must be a positive number, got {args.n}", file=sys.stderr)
        return 2
    if args.top < 1:
        print(
            f"aeclf sample: error: --top must be a positive number, got {args.top}", file=sys.stderr
        )
        return 2
    if args.threshold is not None and not 0.0 < args.threshold < 1.0:
        print(
            f"aeclf sample: error: --threshold must be in (0, 1), got {args.threshold:g}",
            file=sys.stderr,
        )
        return 2
    output = Path(args.output)
    if output.exists() and not args.overwrite:
        print(
            f"aeclf sample: error: {output} exists (perhaps labels are being filled in): "
            "pass --overwrite to replace it, or choose another path",
            file=sys.stderr,
        )
        return 1
    model = load_model(args.model)
    records, bad = _texts(args.inputs, args)
    excluded, _ = _texts(args.exclude, args) if args.exclude else ([], 0)
    picks = select_for_review(
        model,
        [r.text for r in records],
        args.n,
        strategy=args.strategy,
        threshold=args.threshold,
        exclude=[r.text for r in excluded],
        seed=args.seed,
        top=args.top,
    )
    columns = COLUMNS if len(args.inputs) == 1 else ["file", *COLUMNS]
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for pick in picks:
            record = records[pick.index]
            ngrams = json.dumps(
                [[c.feature, round(c.weight, 4)] for c in pick.ngrams],
                ensure_ascii=False,
                separators=(",", ":"),
            )
            row = [
                record.text,
                record.line,
                "" if record.id is None else record.id,
                f"{pick.score:.4f}",
                ngrams,
                "",
            ]
            writer.writerow(row if len(args.inputs) == 1 else [record.file, *row])
    print(
        f"aeclf sample: wrote {len(picks)} posts to {output} (of {len(records)} readable rows; "
        f"{bad} unreadable or empty rows skipped; {len(args.exclude)} exclude files)",
        file=sys.stderr,
    )
    if len(picks) < args.n:
        print(
            f"aeclf sample: only {len(picks)} new posts were left to choose from", file=sys.stderr
        )
    return 0
