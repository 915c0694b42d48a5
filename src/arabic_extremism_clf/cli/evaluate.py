"""``aeclf evaluate``: figures of a model on labelled files or on the default held-out sets."""

from __future__ import annotations

import argparse
import json
import sys

from ..corpus import Corpus, read_corpus
from ._args import probability


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "evaluate",
        help="evaluate a model on labelled files or on the default recipe's held-out sets",
        description="Print per-label precision/recall/F1, macro-F1, ROC-AUC, PR-AUC, the "
        "confusion matrix, the flag rate of each source and the calibration error.",
    )
    parser.add_argument("files", nargs="*", help="labelled CSV, TSV or JSONL files")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument(
        "--recipe", choices=["default"], help="evaluate on the default recipe's held-out sets"
    )
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument("--text-col", default="text", help="text column/field (default: text)")
    parser.add_argument("--label-col", default="label", help="label column/field (default: label)")
    parser.add_argument("--format", choices=["csv", "tsv", "jsonl"], help="input format")
    parser.add_argument("--threshold", type=probability, help="override the model's threshold")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..evaluate import evaluate, format_report
    from ..persistence import load_model

    if bool(args.files) == bool(args.recipe):
        print(
            "aeclf evaluate: error: give labelled files or --recipe default (not both)",
            file=sys.stderr,
        )
        return 2
    model = load_model(args.model)
    if args.recipe:
        from ..training import default_training_set, heldout_report

        reports = heldout_report(
            model, default_training_set(args.data_dir).heldout, threshold=args.threshold
        )
    else:
        reports = {}
        for path in args.files:
            corpus: Corpus = read_corpus(
                path,
                text_col=args.text_col,
                label_col=args.label_col,
                format=args.format,
                min_labels=1,
            )
            reports[str(path)] = evaluate(
                model,
                list(corpus.texts),
                list(corpus.labels),
                sources=list(corpus.sources),
                threshold=args.threshold,
            )
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(f"== {name} ==\n{format_report(r)}" for name, r in reports.items()))
    return 0
