"""``aeclf train``: fit a model on labelled files or on the default recipe, and save it."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TYPE_CHECKING

from ..corpus import PROMOTIONAL, Corpus, read_corpus
from ..persistence import check_model_target
from ._args import non_negative_float, positive_float, probability

if TYPE_CHECKING:
    from ..model import ExtremismClassifier

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="train a model on labelled files or on the default recipe over the shared data",
        description="Train a model, report grouped cross-validated figures while training, "
        "and save it (a directory with a JSON manifest, numeric arrays and a model card).",
    )
    parser.add_argument(
        "files",
        nargs="*",
        help="labelled CSV, TSV or JSONL files (with --recipe default: rows added to the recipe)",
    )
    parser.add_argument(
        "--recipe",
        choices=["default"],
        help="train on the shared public corpora with the default recipe (needs --data-dir); "
        "with FILEs, the recipe plus their rows",
    )
    parser.add_argument(
        "--weight",
        type=float,
        help="--recipe default with FILEs: sample weight of each of their rows (default: "
        "10, adapt.DEFAULT_USER_WEIGHT; an Alfifi positive weighs 1)",
    )
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument("-o", "--output", required=True, help="model directory to write")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing model")
    parser.add_argument("--text-col", default="text", help="text column/field (default: text)")
    parser.add_argument("--label-col", default="label", help="label column/field (default: label)")
    parser.add_argument("--format", choices=["csv", "tsv", "jsonl"], help="input format")
    parser.add_argument(
        "--cv",
        type=int,
        help="cross-validation folds, 0 to skip (default: 5; with --recipe default and FILEs: "
        "0, the model is fitted once and keeps the shipped model's threshold)",
    )
    parser.add_argument(
        "--flagged-label",
        help="label the threshold applies to (default: 'promotional' when the data has that "
        "label, else none: each post gets its most probable label)",
    )
    parser.add_argument(
        "--threshold", type=probability, help="decision threshold of the flagged label"
    )
    parser.add_argument(
        "--C", dest="C", type=positive_float, help="inverse regularization strength"
    )
    parser.add_argument(
        "--loss",
        choices=["log_loss", "squared_hinge"],
        help="linear model: logistic regression (log_loss, the estimator's default) or a "
        "linear SVM (squared_hinge, the default recipe's); both are Platt-calibrated",
    )
    parser.add_argument(
        "--norm-floor",
        nargs=2,
        type=non_negative_float,
        metavar=("WORDS", "CHARS"),
        help="do not scale a post's word (character) n-gram block up to unit length below "
        "the weight of this many terms of median IDF, so one or two words cannot carry a "
        "whole post's weight (default: none; with --recipe default: the recipe's 8 100; "
        "0 0 turns it off)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(run=run)


def _estimator(args: argparse.Namespace, labels: set[str]) -> ExtremismClassifier:
    from ..model import ExtremismClassifier  # here: the parser must not import scikit-learn

    flagged = args.flagged_label
    if flagged is None:
        flagged = PROMOTIONAL if PROMOTIONAL in labels else None
    params = {"flagged_label": flagged}
    if args.C is not None:
        params["C"] = args.C
    if args.loss is not None:
        params["loss"] = args.loss
    if args.threshold is not None:
        params["threshold"] = args.threshold
    if args.norm_floor is not None:
        params["norm_floor"] = tuple(args.norm_floor)
    if args.recipe == "default":
        from ..training import default_estimator

        return default_estimator().set_params(**params)
    return ExtremismClassifier(**params)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..training import train_default, train_files

    if not args.files and not args.recipe:
        print("aeclf train: error: give labelled files, --recipe default, or both", file=sys.stderr)
        return 2
    if args.weight is not None and not (args.files and args.recipe):
        print("aeclf train: error: --weight needs --recipe default and FILEs", file=sys.stderr)
        return 2
    if args.weight is not None and not args.weight > 0:
        print(
            f"aeclf train: error: --weight must be positive, got {args.weight:g}", file=sys.stderr
        )
        return 2
    check_model_target(args.output, args.overwrite)  # before minutes of training
    progress = _fold_logger()
    if args.recipe and args.files:
        from ..adapt import DEFAULT_USER_WEIGHT, train_adapted

        estimator = _estimator(args, {PROMOTIONAL})
        result = train_adapted(
            args.files,
            data_dir=args.data_dir,
            estimator=estimator,
            weight=DEFAULT_USER_WEIGHT if args.weight is None else args.weight,
            cv=0 if args.cv is None else args.cv,
            threshold=args.threshold,
            text_col=args.text_col,
            label_col=args.label_col,
            format=args.format,
            on_fold=progress,
        )
    elif args.recipe:
        estimator = _estimator(args, {PROMOTIONAL})
        result = train_default(
            estimator,
            data_dir=args.data_dir,
            cv=5 if args.cv is None else args.cv,
            on_fold=progress,
            choose_threshold=args.threshold is None,
        )
    else:
        # One file must hold two labels; several files may hold one each (positives.csv
        # and negatives.csv), as long as they hold two together.
        min_labels = 2 if len(args.files) == 1 else 1
        corpus = Corpus.concat(
            [
                read_corpus(
                    path,
                    text_col=args.text_col,
                    label_col=args.label_col,
                    format=args.format,
                    min_labels=min_labels,
                )
                for path in args.files
            ]
        )
        if len(set(corpus.labels)) < 2:
            print(
                f"aeclf train: error: the files hold only the label {corpus.labels[0]!r}; "
                "a training corpus needs at least two labels (check --label-col)",
                file=sys.stderr,
            )
            return 1
        estimator = _estimator(args, set(corpus.labels))
        result = train_files(
            estimator, corpus, args.files, cv=5 if args.cv is None else args.cv, on_fold=progress
        )
    path = result.save(args.output, overwrite=args.overwrite)
    if args.json:
        print(json.dumps(result.metrics, ensure_ascii=False, indent=2))
    else:
        print(result.summary())
        print(f"model written to {path}")
    return 0


def _fold_logger():
    def on_fold(fold: int, accuracy: float) -> None:
        print(
            f"  cross-validation fold {fold + 1}: accuracy {accuracy:.4f}",
            file=sys.stderr,
            flush=True,
        )

    return on_fold
