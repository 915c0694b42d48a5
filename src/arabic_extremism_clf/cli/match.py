"""``aeclf match``: signatures of known posts, and matching new posts against them.

``index`` signs known posts into a signatures directory (no text in it), ``query``
writes one JSON Lines row per input row with its ``match``, ``info`` prints a
signatures directory's manifest, ``merge`` joins signatures directories. Inputs are
read as ``aeclf score`` reads them (text, CSV, TSV, JSON Lines, Parquet).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import IO, Any

import numpy as np

from .. import io as aeclf_io
from ..io import Record
from ._args import UsageError
from ._inputs import add_input_arguments

BATCH = 1000
_ID_HELP = "column or field of the ids (default: none; the id is the line number)"


def similarity(value: str) -> float:
    """``type=`` of ``--match-threshold``: a number in (0, 1]."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {value!r}") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {value}")
    return number


def add_match_threshold(parser: argparse.ArgumentParser, default: str) -> None:
    """The ``--match-threshold`` flag (shared with ``score`` and ``serve``)."""
    parser.add_argument(
        "--match-threshold",
        type=similarity,
        metavar="T",
        help=f"minimum estimated Jaccard similarity of a match, in (0, 1] (default: {default})",
    )


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "match",
        help="match posts against signatures of known posts (index, query, info, merge)",
        description="Known-content matching: sign posts a reviewer confirmed, share the "
        "signatures (never the text), and find edited re-posts of them.",
    )
    commands = parser.add_subparsers(dest="match_command", metavar="ACTION", required=True)

    index = commands.add_parser(
        "index",
        help="sign known posts into a signatures directory",
        description="Sign the posts of INPUT into the signatures directory SIGS. Posts "
        "with too little content to match safely are not indexed; the counts go to stderr.",
    )
    index.add_argument("input", metavar="INPUT", help="input file ('-': stdin)")
    index.add_argument("-o", "--output", required=True, metavar="SIGS", help="signatures directory")
    index.add_argument("--append", action="store_true", help="add to the existing SIGS")
    index.add_argument("--overwrite", action="store_true", help="replace an existing SIGS")
    add_input_arguments(index, id_help=_ID_HELP)
    index.set_defaults(run=run_index)

    query = commands.add_parser(
        "query",
        help="match posts against a signatures directory (JSON Lines out)",
        description="Write one JSON Lines row per row of INPUT: line, id (with --id-col), "
        'and match: null or {"id", "similarity"} of the best known post at or above the '
        "threshold; a row that cannot be read gets an error field.",
    )
    query.add_argument("sigs", metavar="SIGS", help="signatures directory")
    query.add_argument(
        "input", metavar="INPUT", nargs="?", default="-", help="input file ('-': stdin)"
    )
    query.add_argument("-o", "--output", help="output file (default: stdout)")
    add_match_threshold(query, "the one recorded in SIGS")
    add_input_arguments(query, id_help=_ID_HELP)
    query.set_defaults(run=run_query)

    info = commands.add_parser("info", help="print a signatures directory's manifest")
    info.add_argument("sigs", metavar="SIGS", help="signatures directory")
    info.add_argument("--json", action="store_true", help="the whole manifest as JSON")
    info.set_defaults(run=run_info)

    merge = commands.add_parser("merge", help="merge signatures directories into one")
    merge.add_argument("sigs", metavar="SIGS", nargs="+", help="signatures directories")
    merge.add_argument("-o", "--output", required=True, metavar="OUT", help="the merged directory")
    merge.add_argument("--overwrite", action="store_true", help="replace an existing OUT")
    merge.set_defaults(run=run_merge)


def load_known(args: argparse.Namespace) -> tuple[Any, float] | None:
    """``(index, threshold)`` of ``--known`` / ``--match-threshold``, or None."""
    if args.known is None:
        if args.match_threshold is not None:
            raise UsageError("--match-threshold sets the threshold of --known: it needs --known")
        return None
    from ..matching import load_index

    index, manifest = load_index(args.known)
    index.build()
    threshold = manifest["threshold"] if args.match_threshold is None else args.match_threshold
    return index, threshold


def add_matches(
    rows: list[dict[str, Any]], records: list[Record], index: Any, threshold: float
) -> None:
    """Give every output row of a batch its ``match`` (None for an error row)."""
    from ..matching import match_rows

    texts = [r.text if r.error is None else None for r in records]
    for row, match in zip(rows, match_rows(index, texts, threshold)):
        row["match"] = match


def _batches(args: argparse.Namespace, name: str) -> Any:
    """Lists of records of the input, BATCH at a time (read as ``aeclf score`` reads)."""
    from ._inputs import open_input as _open_records

    with _open_records(name, args) as records:
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def _record_id(record: Record, args: argparse.Namespace) -> Any:
    return record.id if args.id_col is not None else record.line


# --- index ---------------------------------------------------------------------------


def run_index(args: argparse.Namespace) -> int:
    """``aeclf match index``."""
    from ..matching import SignatureIndex, load_index, save_index, signatures

    out = Path(args.output)
    if args.append and args.overwrite:
        raise UsageError("--append keeps SIGS and --overwrite replaces it: choose one")
    exists = out.exists() and (not out.is_dir() or any(out.iterdir()))
    if exists and not (args.append or args.overwrite):
        raise FileExistsError(
            f"{out} exists: pass --append to add to it, or --overwrite to replace it"
        )
    if args.append and exists:
        index, manifest = load_index(out)
        not_indexed = dict(manifest.get("not_indexed", {}))
        created = manifest.get("created")
    else:
        index, not_indexed, created = SignatureIndex(), {}, None
    before = len(index)
    known_ids = {str(i) for i in index.ids.tolist()}
    short = errors = duplicates = rows = 0
    parts, new_ids = [], []  # added once at the end: no copy of the index per batch
    for batch in _batches(args, args.input):
        good = [r for r in batch if r.error is None and r.text is not None]
        for r in batch:
            if r.error is not None or r.text is None:
                errors += 1
                print(f"aeclf match index: line {r.line}: {r.error}", file=sys.stderr)
        rows += len(batch)
        sigs, signed = signatures([r.text for r in good], index.params)
        parts.append(sigs)
        short += int(len(good) - signed.sum())
        for r, keep in zip(good, signed):
            if keep:
                ident = _record_id(r, args)
                duplicates += str(ident) in known_ids
                known_ids.add(str(ident))
                new_ids.append(ident)
    if parts:
        index.add(np.concatenate(parts), new_ids)
    not_indexed["too_short"] = not_indexed.get("too_short", 0) + short
    not_indexed["errors"] = not_indexed.get("errors", 0) + errors
    save_index(index, out, not_indexed=not_indexed, created=created)
    print(
        f"aeclf match index: {rows:,} rows, {len(index) - before:,} indexed, {short:,} with too "
        f"little content, {errors:,} errors; {out} holds {len(index):,} signatures",
        file=sys.stderr,
    )
    if duplicates:
        print(
            f"aeclf match index: warning: {duplicates:,} ids were already in {out} "
            "(matches report the first one indexed)",
            file=sys.stderr,
        )
    return 0


# --- query ---------------------------------------------------------------------------


def run_query(args: argparse.Namespace) -> int:
    """``aeclf match query``."""
    from ..matching import load_index, match_rows

    if (
        args.output is not None
        and args.input != "-"
        and Path(args.output).exists()
        and (Path(args.output).resolve() == Path(args.input).resolve())
    ):
        raise UsageError(f"{args.output} is both the input and the output")
    from .score import _stdout_text

    index, manifest = load_index(args.sigs)
    threshold = args.match_threshold if args.match_threshold is not None else manifest["threshold"]
    rows = matched = errors = 0
    with contextlib.ExitStack() as stack:
        if args.output is None:
            stream: IO[str] = stack.enter_context(_stdout_text())
        else:
            stream = stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
        writer = aeclf_io.JsonlWriter(stream)
        for batch in _batches(args, args.input):
            texts = [r.text if r.error is None else None for r in batch]
            out = []
            for record, match in zip(batch, match_rows(index, texts, threshold)):
                row: dict[str, Any] = {"line": record.line}
                if args.id_col is not None:
                    row["id"] = record.id
                row["match"] = match
                if record.error is not None:
                    row["error"] = record.error
                    errors += 1
                matched += match is not None
                out.append(row)
            rows += writer.write(out)
            stream.flush()
    print(
        f"aeclf match query: {rows:,} rows, {matched:,} matched (threshold {threshold}), "
        f"{errors:,} errors",
        file=sys.stderr,
    )
    return 0


# --- info, merge ---------------------------------------------------------------------


def run_info(args: argparse.Namespace) -> int:
    """``aeclf match info``."""
    from ..matching import read_manifest

    manifest = read_manifest(args.sigs)
    if args.json:
        print(json.dumps(manifest, indent=2, ensure_ascii=False))
        return 0
    p = manifest["params"]
    arrays = manifest["arrays"]
    count = manifest["count"]
    lines = [
        f"{args.sigs}: {manifest['format']} version {manifest['format_version']}",
        f"signatures: {count:,} ({manifest['id_type']} ids), not indexed: "
        + ", ".join(f"{k} {v:,}" for k, v in manifest.get("not_indexed", {}).items()),
        f"parameters: {p['shingle_size']}-character shingles, {p['num_perm']} permutations of "
        f"{p['hash_bits']} bits, {p['bands']} bands x {p['rows']} rows, seed {p['seed']}, "
        f"at least {p['min_shingles']} shingles; normalization version "
        f"{manifest['normalization_version']}",
        f"default match threshold: {manifest.get('threshold')}",
        f"arrays: {arrays['file']}, {arrays['bytes']:,} bytes"
        + (f" ({arrays['bytes'] / count:.0f} per signature)" if count else "")
        + f", sha256 {arrays['sha256']}",
        f"made by arabic_extremism_clf {manifest.get('library_version')}, created "
        f"{manifest.get('created')}, updated {manifest.get('updated')}",
    ]
    print("\n".join(lines))
    return 0


def run_merge(args: argparse.Namespace) -> int:
    """``aeclf match merge``."""
    from ..matching import load_index, save_index

    out = Path(args.output)
    if out.exists() and not args.overwrite:
        raise FileExistsError(f"{out} exists: pass --overwrite to replace it")
    if any(Path(s).resolve() == out.resolve() for s in args.sigs) and out.exists():
        raise UsageError(f"{out} is both an input and the output")
    merged, manifest = load_index(args.sigs[0])
    not_indexed = dict(manifest.get("not_indexed", {}))
    for path in args.sigs[1:]:
        other, other_manifest = load_index(path)
        merged.merge(other)
        for key, value in other_manifest.get("not_indexed", {}).items():
            not_indexed[key] = not_indexed.get(key, 0) + value
    save_index(merged, out, not_indexed=not_indexed, threshold=manifest["threshold"])
    print(f"aeclf match merge: {out} holds {len(merged):,} signatures", file=sys.stderr)
    return 0
