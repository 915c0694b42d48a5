"""``aeclf score``: score posts from files or stdin, in batches, one output row per input row.

Reads plain text (one post per line), CSV/TSV, JSON Lines or Parquet; writes JSON Lines
or CSV to stdout or a file. Bad input rows become output rows with an ``error`` field
and the job goes on; ``--strict`` makes them an exit status of 1. ``--resume``
continues an interrupted job into the same output file. ``--explain`` adds to every
scored row the ``--top`` n-grams that pushed its score most (slower, so off by default).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from .. import io as aeclf_io
from ..io import Record, ResumePoint
from ..scoring.files import DEFAULT_BATCH_SIZE, ScoredBatch, Summary, score_batches
from ._args import UsageError, n_jobs, positive_int, probability
from ._inputs import add_input_arguments, open_input
from .match import add_match_threshold, add_matches, load_known

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "score",
        help="score posts from files or stdin (text, CSV, TSV, JSON Lines, Parquet)",
        description="Score posts in batches and write one row per input row, in input "
        "order: the line number (and id), the label, the confidence and the score of every "
        "label, or an 'error' field for a row that cannot be scored. A one-line summary "
        "goes to stderr at the end.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        default=["-"],
        metavar="INPUT",
        help="input files ('-' or nothing: stdin; a directory: a Parquet data set; "
        "a .gz suffix is decompressed)",
    )
    add_input_arguments(
        parser,
        id_help="column or field of the ids, copied to the output (default: none; rows "
        "always carry their line number)",
    )
    parser.add_argument("-o", "--output", help="output file (default: stdout)")
    parser.add_argument(
        "--output-format",
        choices=aeclf_io.OUTPUT_FORMATS,
        help="output format (default: csv for an -o file ending in .csv, else jsonl)",
    )
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=DEFAULT_BATCH_SIZE,
        help=f"posts scored at a time (default: {DEFAULT_BATCH_SIZE})",
    )
    parser.add_argument(
        "--jobs", type=n_jobs, default=1, help="worker processes, -1 for all cores (default: 1)"
    )
    parser.add_argument(
        "--threshold", type=probability, help="override the model's threshold (0 to 1)"
    )
    parser.add_argument(
        "--only-flagged",
        action="store_true",
        help="write only the rows with the flagged label (error rows, and with --known "
        "the rows that match a known post, are written too)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="add to every scored row the n-grams that pushed its score most, as the HTTP "
        "service does: an 'explanation' {label, ngrams: [{feature, weight}]} in JSON Lines, "
        "columns explained_label and explanation (a JSON array of [feature, weight] pairs) "
        "in CSV; the label is the flagged label (else the predicted one), a positive weight "
        "pushes towards it. Slower (see README)",
    )
    parser.add_argument(
        "--top",
        type=positive_int,
        metavar="K",
        help="with --explain: n-grams per row, largest absolute weight first (default: 10)",
    )
    parser.add_argument(
        "--known",
        metavar="SIGS",
        help="signatures of known posts (aeclf match index): every row gets 'match', null "
        'or {"id", "similarity"} of the best known post (CSV: a JSON column)',
    )
    add_match_threshold(parser, "the one recorded in SIGS; needs --known")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 if any row had an error"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted job: keep the complete rows of the -o file and "
        "score the input rows after them (give the options of the first run: a change of "
        "--explain is refused, a change of --threshold cannot be detected)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace an existing non-empty -o file"
    )
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bar (it is shown only when stderr is a terminal)",
    )
    parser.set_defaults(run=run)


# --- input ---------------------------------------------------------------------------

#: The opener of one input (shared with ``aeclf review``).
_open_records = open_input


# --- output --------------------------------------------------------------------------


def _output_format(args: argparse.Namespace) -> str:
    if args.output_format:
        return args.output_format
    if args.output and aeclf_io.infer_format(args.output) == "csv":
        return "csv"
    return "jsonl"


@contextlib.contextmanager
def _stdout_text() -> Iterator[IO[str]]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", errors="backslashreplace", newline="")
    try:
        yield stream
    finally:
        try:
            stream.flush()
        finally:
            stream.detach()


def _resume(args: argparse.Namespace, fmt: str, columns: list[str]) -> ResumePoint | None:
    """Cut an interrupted output back to its last complete row; None: start afresh."""
    if not args.resume:
        return None
    path = Path(args.output)
    if not path.exists():
        log.info("%s does not exist yet: starting from the first row", path)
        return None
    with path.open("r+b") as fh:
        point = aeclf_io.resume_point(fh, fmt, columns=columns, explain=args.explain)
    if point.truncated:
        log.warning("%s: cut off an incomplete last row (%d bytes)", path, point.truncated)
    log.info("%s: %d complete rows, resuming after line %d", path, point.rows, point.line)
    return point


def _check_output(args: argparse.Namespace) -> None:
    if args.output is None:
        if args.resume:
            raise UsageError("--resume needs -o FILE: the output to continue")
        return
    path = Path(args.output)
    if args.output in args.inputs or (
        path.exists()
        and any(
            name != "-" and Path(name).exists() and Path(name).resolve() == path.resolve()
            for name in args.inputs
        )
    ):
        raise UsageError(f"{path} is both an input and the output")
    if args.resume and args.overwrite:
        raise UsageError("--resume keeps the output file and --overwrite replaces it: choose one")
    if not args.resume and not args.overwrite and path.exists() and path.stat().st_size > 0:
        raise FileExistsError(
            f"{path} exists: pass --resume to continue that job, or --overwrite to replace it"
        )


# --- the command ---------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..persistence import load_scoring_model

    _check_output(args)
    if args.top is not None and not args.explain:
        raise UsageError("--top sets the size of explanations: it needs --explain")
    top = 10 if args.top is None else args.top
    known = load_known(args)
    model = load_scoring_model(args.model)
    classes = [str(c) for c in model.classes_]
    flagged_label = model.flagged_label if model.flagged_label in classes else None
    if args.only_flagged and flagged_label is None:
        raise ValueError(
            f"--only-flagged needs a model with a flagged label; this model's labels are "
            f"{classes} and its flagged label is {model.flagged_label!r}"
        )
    fmt = _output_format(args)
    with_file = len(args.inputs) > 1
    extra = ["match"] if known is not None else []
    columns = aeclf_io.output_columns(
        classes,
        with_id=args.id_col is not None,
        with_file=with_file,
        explain=args.explain,
        extra=extra,
    )
    point = _resume(args, fmt, columns)
    summary = Summary(flagged_label=flagged_label)
    try:
        with contextlib.ExitStack() as stack:
            if args.output is None:
                stream = stack.enter_context(_stdout_text())
            else:
                mode = "a" if point is not None else "w"
                stream = stack.enter_context(
                    open(args.output, mode, encoding="utf-8", errors="backslashreplace", newline="")
                )
            formatter = _BatchFormatter(
                fmt,
                classes,
                with_id=args.id_col is not None,
                with_file=with_file,
                explain=args.explain,
                extra=extra,
                flagged_label=flagged_label,
                only_flagged=args.only_flagged,
                known=known,
            )
            if fmt == "csv" and (point is None or not point.header):
                formatter.writer(stream).header()
            bar = stack.enter_context(_progress(args))
            _score_inputs(args, model, formatter, stream, summary, point, with_file, bar, top)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0
    print(f"aeclf score: {summary.format()}", file=sys.stderr, flush=True)
    if args.strict and summary.errors:
        print(
            f"aeclf score: error: {summary.errors:,} rows could not be scored (--strict)",
            file=sys.stderr,
        )
        return 1
    return 0


def _progress(args: argparse.Namespace) -> Any:
    from tqdm import tqdm

    enabled = args.progress and sys.stderr.isatty()
    return tqdm(
        desc="scoring",
        unit=" posts",
        unit_scale=True,
        file=sys.stderr,
        disable=not enabled,
        mininterval=0.5,
        dynamic_ncols=True,
    )


class _Formatted(NamedTuple):
    """A batch's output text and its counts (see :class:`_BatchFormatter`)."""

    text: str
    rows: int
    flagged: int
    errors: int
    written: int


class _BatchFormatter:
    """The output of a scored batch: its rows (with ``--known``, their matches; with
    ``--only-flagged``, filtered) formatted as JSON Lines or CSV text, with the counts
    of the summary. With ``--jobs N`` it runs in the worker processes."""

    def __init__(
        self,
        fmt: str,
        classes: list[str],
        *,
        with_id: bool,
        with_file: bool,
        explain: bool,
        extra: list[str],
        flagged_label: str | None,
        only_flagged: bool,
        known: Any,
    ) -> None:
        self.fmt = fmt
        self.classes = classes
        self.with_id, self.with_file, self.explain, self.extra = with_id, with_file, explain, extra
        self.flagged_label = flagged_label
        self.only = flagged_label if only_flagged else None
        self.known = known

    def writer(self, stream: IO[str]) -> Any:
        """A writer of this format on ``stream``."""
        if self.fmt == "csv":
            return aeclf_io.CsvWriter(
                stream,
                self.classes,
                with_id=self.with_id,
                with_file=self.with_file,
                explain=self.explain,
                extra=self.extra,
            )
        return aeclf_io.JsonlWriter(stream)

    def __call__(self, batch: ScoredBatch) -> _Formatted:
        rows = list(batch.rows())
        if self.known is not None:
            add_matches(rows, batch.records, *self.known)
        tally = Summary(flagged_label=self.flagged_label)  # the summary's counting rule
        for row in rows:
            tally.add(row)
        only = self.only
        if only is not None:
            rows = [row for row in rows if row.get("label", only) == only or row.get("match")]
        out = io.StringIO()
        written = self.writer(out).write(rows)
        return _Formatted(out.getvalue(), tally.rows, tally.flagged, tally.errors, written)


def _score_inputs(
    args: argparse.Namespace,
    model: Any,
    formatter: _BatchFormatter,
    stream: IO[str],
    summary: Summary,
    point: ResumePoint | None,
    with_file: bool,
    bar: Any,
    top: int,
) -> None:
    """Score every input in turn (after the resume point) and write the rows."""
    batches = score_batches(
        _records(args, summary, point, with_file),
        model,
        batch_size=args.batch_size,
        threshold=args.threshold,
        n_jobs=args.jobs,
        explain=args.explain,
        top=top,
        finish=formatter,
    )
    for batch in batches:
        stream.write(batch.text)
        stream.flush()  # output appears as it goes
        summary.rows += batch.rows
        summary.flagged += batch.flagged
        summary.errors += batch.errors
        summary.written += batch.written
        bar.update(batch.rows)


def _records(
    args: argparse.Namespace, summary: Summary, point: ResumePoint | None, with_file: bool
) -> Iterator[Record]:
    """The records of all inputs, one after the other, after the resume point.

    One stream for all inputs, so that worker processes get the model once per job.
    """
    inputs = list(args.inputs)
    first, after_line = 0, 0
    if point is not None and point.rows:
        summary.skipped = point.rows
        after_line = point.line
        if with_file:
            if point.file not in inputs:
                raise ValueError(
                    f"cannot resume: the output's last row is from {point.file!r}, which is "
                    f"not among the inputs {inputs}; give the same inputs as the first run"
                )
            first = inputs.index(point.file)
    for index in range(first, len(inputs)):
        name = inputs[index]
        with _open_records(name, args) as records:
            if index == first and after_line:
                records = _skip(records, after_line)
            if with_file:
                for record in records:
                    yield record._replace(file=name)
            else:
                yield from records


def _skip(records: Iterator[Record], after_line: int) -> Iterator[Record]:
    """The records after ``after_line`` (read, not scored, up to there)."""
    for record in records:
        if record.line > after_line:
            yield record
            break
    yield from records
