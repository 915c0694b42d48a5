"""``aeclf threshold``: the threshold for a target precision or recall on labelled posts.

Prints the precision/recall table of the model on the file, the threshold that meets the
target with a bootstrap interval, and with ``-o`` writes a copy of the model with that
threshold (no retraining; the manifest and the model card record how it was chosen).
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "threshold",
        help="choose the threshold for a target precision or recall on labelled posts",
        description="Score a labelled file, print its precision/recall table and the "
        "threshold that meets the target, with a bootstrap interval; with -o, save a copy "
        "of the model with that threshold.",
    )
    parser.add_argument("file", metavar="LABELLED_FILE", help="labelled CSV, TSV or JSONL file")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--target-precision", type=float, help="lowest threshold with this precision"
    )
    target.add_argument("--target-recall", type=float, help="highest threshold with this recall")
    parser.add_argument("-o", "--output", help="write a copy of the model with the threshold here")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing model copy")
    parser.add_argument(
        "--plot", metavar="PNG", help="save the precision/recall curve (needs matplotlib)"
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap resamples (default: 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default: 0)")
    parser.add_argument("--text-col", default="text", help="text column/field (default: text)")
    parser.add_argument("--label-col", default="label", help="label column/field (default: label)")
    parser.add_argument("--format", choices=["csv", "tsv", "jsonl"], help="input format")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(run=run)


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    from ..adapt import pr_table, threshold_for_target
    from ..corpus import read_corpus
    from ..persistence import (
        check_model_target,
        default_model_path,
        file_fingerprint,
        load_model,
        read_manifest,
    )

    target = args.target_precision if args.target_precision is not None else args.target_recall
    if not 0.0 < target <= 1.0:
        flag = "--target-precision" if args.target_precision is not None else "--target-recall"
        print(f"aeclf threshold: error: {flag} must be in (0, 1], got {target:g}", file=sys.stderr)
        return 2
    if args.bootstrap < 10:
        print(
            f"aeclf threshold: error: --bootstrap must be at least 10, got {args.bootstrap}",
            file=sys.stderr,
        )
        return 2
    plt = None
    if args.plot:
        plt = _pyplot()
        if plt is None:
            print(
                "aeclf threshold: error: --plot needs matplotlib: pip install "
                "'arabic-extremism-clf[notebook]' (or matplotlib), or leave out --plot",
                file=sys.stderr,
            )
            return 1
    if args.output:
        check_model_target(args.output, args.overwrite)
    model = load_model(args.model)
    flagged = model.flagged_index_
    if flagged is None:
        print(
            f"aeclf threshold: error: the model's flagged label {model.flagged_label!r} is not one "
            f"of its labels {list(model.classes_)}: a threshold needs a flagged label",
            file=sys.stderr,
        )
        return 1
    label = str(model.classes_[flagged])
    corpus = read_corpus(
        args.file,
        text_col=args.text_col,
        label_col=args.label_col,
        format=args.format,
        min_labels=1,
    )
    scores = model.predict_proba(list(corpus.texts))[:, flagged]
    estimate = threshold_for_target(
        list(corpus.labels),
        scores,
        flagged_label=label,
        precision=args.target_precision,
        recall=args.target_recall,
        n_boot=args.bootstrap,
        seed=args.seed,
    )
    table = pr_table(list(corpus.labels), scores, flagged_label=label)
    if args.json:
        print(json.dumps({"table": table, "estimate": estimate.to_dict()}, indent=2))
    else:
        print(f"{'threshold':>9}  {'precision':>9}  {'recall':>6}  {'flagged':>7}  {'FPR':>6}")
        for row in table:
            print(
                f"{row['threshold']:>9.2f}  {_fmt(row['precision']):>9}  {_fmt(row['recall']):>6}  "
                f"{row['flagged']:>7}  {_fmt(row['fpr']):>6}"
            )
        c, pct = estimate.choice, round(100 * estimate.confidence)
        name, value = next(iter(estimate.target.items()))
        print(
            f"\ntarget {name} {value:g} on {estimate.n_positive} {label!r} and {estimate.n_negative} "
            f"other posts: threshold {c.threshold:.4f} ({pct}% bootstrap interval "
            f"{estimate.interval[0]:.4f} to {estimate.interval[1]:.4f}); there precision "
            f"{c.precision:.3f} ({estimate.precision_interval[0]:.3f} to {estimate.precision_interval[1]:.3f}), "
            f"recall {c.recall:.3f} ({estimate.recall_interval[0]:.3f} to {estimate.recall_interval[1]:.3f}), "
            f"{c.n_flagged} flagged"
        )
        if estimate.n_failed:
            print(
                f"the target was not met in {estimate.n_failed} of {estimate.n_boot} resamples: "
                "it is at the edge of what the model reaches on these posts"
            )
    if plt is not None:
        _plot(plt, corpus.labels, scores, label, estimate, args.plot)
        print(f"plot written to {args.plot}", file=sys.stderr)
    if args.output:
        manifest = read_manifest(args.model if args.model else default_model_path())
        metrics = dict(manifest.get("metrics") or {})
        if "threshold_selection" in metrics:
            metrics["previous_threshold_selection"] = metrics.pop("threshold_selection")
        name, value = next(iter(estimate.target.items()))
        metrics["threshold_selection"] = {
            "method": (
                f"target {name} {value:g} on the user's labelled file "
                f"{file_fingerprint(args.file)['path']} ({estimate.n_positive} {label} and "
                f"{estimate.n_negative} other posts; aeclf threshold): "
                + (
                    "the lowest threshold with at least that precision"
                    if name == "precision"
                    else "the highest threshold with at least that recall"
                )
                + f"; {round(100 * estimate.confidence)}% bootstrap interval "
                f"{estimate.interval[0]:.4f} to {estimate.interval[1]:.4f} over {estimate.n_boot} resamples"
                f"; the previous threshold was {model.threshold:g}; the model was not retrained"
            ),
            "threshold": estimate.choice.threshold,
            "estimate": estimate.to_dict(),
            "labelled_file": file_fingerprint(args.file),
            "previous_threshold": float(model.threshold),
        }
        model.set_params(threshold=estimate.choice.threshold)
        from ..persistence import save_model

        path = save_model(
            model,
            args.output,
            training=manifest.get("training"),
            metrics=metrics,
            overwrite=args.overwrite,
        )
        print(
            f"model with threshold {estimate.choice.threshold:.4f} written to {path}",
            file=sys.stderr,
        )
    return 0


def _plot(plt, labels, scores, label: str, estimate, path: str) -> None:
    from sklearn.metrics import precision_recall_curve

    precision, recall, _ = precision_recall_curve([lab == label for lab in labels], scores)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision, label="precision / recall")
    c = estimate.choice
    ax.plot([c.recall], [c.precision], "o", label=f"threshold {c.threshold:.3f}")
    ax.set_xlabel(f"recall of {label}")
    ax.set_ylabel(f"precision of {label}")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
