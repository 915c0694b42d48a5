"""``aeclf audit``: which ordinary tokens flag a post on their own (shortcut audit)."""

from __future__ import annotations

import argparse
import json

from ._args import positive_int, probability


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "audit",
        help="shortcut audit: common ordinary tokens that flag a post alone or in a neutral sentence",
        description="Score the most common tokens and hashtags of the default recipe's held-out "
        "ordinary posts (news, everyday tweets) alone and inside neutral carrier sentences, and "
        "list the model's top-weighted features that are source artefacts (hashtag, handle and "
        "URL placeholders, Latin URL pieces, relay markers).",
    )
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument(
        "--tokens",
        type=positive_int,
        default=3000,
        metavar="N",
        help="how many common tokens (default: 3000)",
    )
    parser.add_argument("--threshold", type=probability, help="override the model's threshold")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..audit import format_audit, shortcut_audit
    from ..persistence import load_model
    from ..recipe_audit import default_audit_tokens

    model = load_model(args.model)
    tokens = default_audit_tokens(args.data_dir, n=args.tokens)
    report = shortcut_audit(model, tokens, threshold=args.threshold)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_audit(report))
    return 0
