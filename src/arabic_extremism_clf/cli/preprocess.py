"""``aeclf preprocess``: show what the classifier sees of each post."""

from __future__ import annotations

import argparse
import json
import sys

from ..preprocess import normalize, tokenize


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "preprocess",
        help="normalize and tokenize posts (one per line) and print the tokens",
        description="Read posts, one per line, from FILE or stdin and print the normalized "
        "text (or the tokens as JSON Lines with --tokens).",
    )
    parser.add_argument("input", nargs="?", default="-", help="input file, '-' for stdin")
    parser.add_argument("--tokens", action="store_true", help="print JSON arrays of tokens")
    for name in ("dediac", "alef", "alef_maksura", "teh_marbuta", "unicode", "placeholders"):
        parser.add_argument(
            f"--no-{name.replace('_', '-')}",
            dest=name,
            action="store_false",
            help=f"switch off the {name} step",
        )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    options = {
        name: getattr(args, name)
        for name in ("dediac", "alef", "alef_maksura", "teh_marbuta", "unicode", "placeholders")
    }
    if args.input == "-":  # never closed here: stdin belongs to the caller
        _write(sys.stdin, args.tokens, options)
    else:
        with open(args.input, encoding="utf-8", errors="replace") as stream:
            _write(stream, args.tokens, options)
    return 0


def _write(stream, tokens: bool, options: dict) -> None:
    for line in stream:
        text = normalize(line.rstrip("\n"), **options)
        if tokens:
            print(json.dumps(tokenize(text), ensure_ascii=False))
        else:
            print(text)
