"""Does the model flag on evidence? One run, every system on the same data (issue 12).

Systems, all judged on the default recipe's held-out sets and folds:

``keywords``
    The keyword list of ``benchmarks/peers.py`` (about 20 well-known pro-ISIS terms):
    nothing learned, so its "cross-validated" recall is its recall on all positives.
``shipped``
    The model at ``--shipped`` (default: the shipped model) as loaded, not retrained:
    held-out figures only; its cross-validated figures are those of its manifest.
``default-v2``
    An earlier recipe retrained in this run: no sectarian negatives, no short
    fragments (``default_training_set(sectarian_negatives=False, short_fragments=False)``),
    C=1.
``default-v4``
    The previous recipe retrained in this run: the current training set (sectarian
    tweets, all but a grouped held-out part, short fragments and single hashtags of
    ordinary posts as negatives), C=2, plain L2 normalization (no ``norm_floor``).
    (default-v3, without the hashtags, was last measured in BENCHMARKS.md.)
``default-v5``
    The current default recipe (:func:`~arabic_extremism_clf.training.train_default`):
    default-v4 with a norm floor (``norm_floor=(8, 100)``), so that a post with one or
    two words is not scaled up to a whole post's weight. With ``--save-model DIR`` this
    is the model saved, with this run's table in its card.

Figures, each system at its own threshold (the recipe's threshold rule for the learned
ones):

* shortcut audit: of the 3,000 most common tokens (and top hashtags) of the held-out
  ordinary posts, how many flag a post alone / inside a neutral carrier sentence
  (:mod:`arabic_extremism_clf.audit`);
* ordinary FPR: on the pooled held-out ordinary posts (``ordinary_heldout``: ASND dev,
  SaudiNewsNet sentences of held-out days not about ISIS, held-out OSACT 2020, held-out
  L-HSAB "normal"), never trained on, with the 95% upper bound (Wilson); and the
  precision that FPR implies at prevalences 1/1,000 and 1/100 for the recall measured;
* sectarian FPR on the held-out part of the sectarian tweets (``sectarian_heldout``);
* functional FPR on the negatives of the functional table;
* grouped 5-fold CV recall on the Alfifi positives: all, those that do not name the
  group (:data:`GROUP_NAMES`), those with sectarian words (:data:`SECTARIAN_WORDS`);
* ECE by post length (tokens): out-of-fold Alfifi scores with the ordinary held-out posts;
* for the current recipe, the trade-off curve over thresholds.

Usage::

    python benchmarks/evidence.py --data-dir ../shared/data [--folds 5]
        [--save-model models/default] [--readme README.md] [--json-out out.json]

Tables go to stdout (Markdown), progress to stderr. Nothing of the corpora's text is
printed except single common tokens flagged by the audit (``--show-tokens``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers import KeywordList

from arabic_extremism_clf.audit import NEUTRAL_CARRIERS, common_tokens, shortcut_audit
from arabic_extremism_clf.corpus import PROMOTIONAL
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import load_model, read_manifest
from arabic_extremism_clf.preprocess import normalize
from arabic_extremism_clf.recipe import DEFAULT_RECIPE
from arabic_extremism_clf.recipe_audit import AUDIT_TOKENS
from arabic_extremism_clf.training import (
    default_estimator,
    default_training_set,
    train_default,
)

logger = logging.getLogger("evidence")

#: Sectarian words (normalized; substrings): Rafida, Majus, Safavid, Nusayri, Shia.
SECTARIAN_WORDS = re.compile(r"رافض|روافض|مجوس|صفوي|نصيري|شيع")
#: Words that name the group (normalized; substrings): Daesh, (the) state, caliphate/caliph.
GROUP_NAMES = re.compile(r"داعش|دوله|خلاف|خليف")
PREVALENCES = (1 / 1000, 1 / 100)
#: Hyper-parameters of recipe default-v2 (default-v3 and v4 have C=2).
V2_PARAMS = {"C": 1.0, "loss": "squared_hinge"}
#: Hyper-parameters of recipes default-v3 and default-v4 (v5 adds ``norm_floor``).
V4_PARAMS = {"C": 2.0, "loss": "squared_hinge"}
README_START = "<!-- evidence-benchmark:start -->"
README_END = "<!-- evidence-benchmark:end -->"


def wilson_upper(k: int, n: int, z: float = 1.96) -> float:
    """Upper end of the Wilson score interval of a rate k/n."""
    if n == 0:
        return 1.0
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre + margin) / (1 + z * z / n))


def precision_at(recall: float, fpr: float, prevalence: float) -> float | None:
    """Precision of a flagger with this recall and FPR when ``prevalence`` of posts are positive."""
    flagged = recall * prevalence + fpr * (1 - prevalence)
    return None if flagged == 0 else recall * prevalence / flagged


def _scores(system, texts) -> np.ndarray:
    proba = system.predict_proba(list(texts))
    column = list(system.classes_).index(PROMOTIONAL)
    return proba[:, column]


def _audit_counts(system, tokens, threshold) -> tuple[int, int]:
    """Tokens that flag alone / in any neutral carrier (for systems without coefficients)."""
    alone = _scores(system, tokens) >= threshold
    filled = [c.format(t) for c in NEUTRAL_CARRIERS for t in tokens]
    carried = (_scores(system, filled) >= threshold).reshape(len(NEUTRAL_CARRIERS), -1).any(axis=0)
    return int(alone.sum()), int(carried.sum())


def _recalls(scores: np.ndarray, corpus, threshold: float) -> dict:
    labels = np.asarray(corpus.labels) == PROMOTIONAL
    normalized = [normalize(t) for t in corpus.texts]
    sect = np.array([bool(SECTARIAN_WORDS.search(t)) for t in normalized])
    named = np.array([bool(GROUP_NAMES.search(t)) for t in normalized])
    hit = scores >= threshold
    out = {}
    for name, mask in (
        ("all", labels),
        ("no_group_name", labels & ~named),
        ("sectarian", labels & sect),
    ):
        out[name] = {"recall": float(hit[mask].mean()), "n": int(mask.sum())}
    out["negatives_fpr"] = float(hit[~labels].mean())
    return out


def _rate(scores: np.ndarray, threshold: float) -> dict:
    k, n = int((scores >= threshold).sum()), int(len(scores))
    return {"rate": k / n if n else None, "k": k, "n": n, "upper95": wilson_upper(k, n)}


def measure(name: str, system, threshold: float, ts, tokens, oof_scores, ece=None) -> dict:
    """Every figure of one system."""
    heldout = ts.heldout
    functional = heldout["functional"]
    func_neg = [t for t, lab in zip(functional.texts, functional.labels) if lab != PROMOTIONAL]
    row: dict = {"system": name, "threshold": threshold}
    if hasattr(system, "coef_"):
        audit = shortcut_audit(system, tokens, threshold=threshold)
        row["audit"] = {
            "alone": audit["alone"]["flagged"],
            "in_carrier": audit["in_carrier"]["flagged"],
            "max_score_alone": audit["max_score_alone"],
            "flagged_alone": [e["token"] for e in audit["alone"]["examples"]],
            "artefacts_in_top50": audit["artefacts"]["by_kind"],
        }
    else:
        alone, carried = _audit_counts(system, tokens, threshold)
        row["audit"] = {"alone": alone, "in_carrier": carried}
    ordinary = _scores(system, heldout["ordinary_heldout"].texts)
    row["ordinary"] = _rate(ordinary, threshold)
    row["sectarian"] = _rate(_scores(system, heldout["sectarian_heldout"].texts), threshold)
    row["functional"] = _rate(_scores(system, func_neg), threshold)
    if oof_scores is not None:
        row["cv"] = _recalls(oof_scores, ts.cv_corpus, threshold)
        recall = row["cv"]["all"]["recall"]
        row["precision"] = {
            f"1/{round(1 / p)}": {
                "at_measured_fpr": precision_at(recall, row["ordinary"]["rate"], p),
                "at_fpr_upper95": precision_at(recall, row["ordinary"]["upper95"], p),
            }
            for p in PREVALENCES
        }
    if ece is not None:
        row["ece_by_length"] = ece
    return row


def tradeoff(model, ts, tokens, oof_scores, thresholds) -> list[dict]:
    """Recall, FPRs and audit counts of one model over thresholds."""
    ordinary = _scores(model, ts.heldout["ordinary_heldout"].texts)
    sectarian = _scores(model, ts.heldout["sectarian_heldout"].texts)
    rows = []
    for t in thresholds:
        audit = shortcut_audit(model, tokens, threshold=t, examples=0)
        rec = _recalls(oof_scores, ts.cv_corpus, t)
        rows.append(
            {
                "threshold": t,
                "recall": rec["all"]["recall"],
                "recall_no_group_name": rec["no_group_name"]["recall"],
                "recall_sectarian": rec["sectarian"]["recall"],
                "ordinary_fpr": float((ordinary >= t).mean()),
                "sectarian_fpr": float((sectarian >= t).mean()),
                "alone": audit["alone"]["flagged"],
                "in_carrier": audit["in_carrier"]["flagged"],
            }
        )
    return rows


def _pct(x, digits=2) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f}%"


def _prec(x) -> str:
    return "-" if x is None else f"{x:.2f}"


def markdown(rows: list[dict], curve: list[dict], n_tokens: int) -> str:
    """The tables of a run."""
    first = rows[-1]
    head = (
        f"| system | threshold | audit alone / in carrier (of {n_tokens:,}) | ordinary FPR "
        f"(n={first['ordinary']['n']:,}; 95% upper) | precision at 1/1,000 (at upper) | "
        f"precision at 1/100 | sectarian FPR (n={first['sectarian']['n']:,}) | functional FPR "
        f"(n={first['functional']['n']:,}) | CV recall: all / no group name / sectarian |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in rows:
        cv = r.get("cv")
        recall = (
            f"{_pct(cv['all']['recall'], 1)} / {_pct(cv['no_group_name']['recall'], 1)} / "
            f"{_pct(cv['sectarian']['recall'], 1)}"
            if cv
            else r.get("cv_note", "-")
        )
        prec = r.get("precision", {})
        p1000 = prec.get("1/1000", {})
        p100 = prec.get("1/100", {})
        lines.append(
            f"| {r['system']} | {r['threshold']:.2f} | {r['audit']['alone']} / "
            f"{r['audit']['in_carrier']} | {_pct(r['ordinary']['rate'], 3)} "
            f"({r['ordinary']['k']}; {_pct(r['ordinary']['upper95'], 3)}) | "
            f"{_prec(p1000.get('at_measured_fpr'))} ({_prec(p1000.get('at_fpr_upper95'))}) | "
            f"{_prec(p100.get('at_measured_fpr'))} ({_prec(p100.get('at_fpr_upper95'))}) | "
            f"{_pct(r['sectarian']['rate'], 1)} ({r['sectarian']['k']}) | "
            f"{_pct(r['functional']['rate'], 1)} ({r['functional']['k']}) | {recall} |"
        )
    cv_rows = [r for r in rows if r.get("cv")]
    if cv_rows:
        n = cv_rows[0]["cv"]
        lines.append(
            f"\nCV positives: {n['all']['n']:,} in all, {n['no_group_name']['n']} that do not name "
            f"the group, {n['sectarian']['n']} with sectarian words."
        )
    ece_rows = [r for r in rows if r.get("ece_by_length")]
    if ece_rows:
        buckets = [b["tokens"] for b in ece_rows[0]["ece_by_length"]]
        lines.append(
            "\nECE by post length (tokens), out-of-fold Alfifi + held-out ordinary posts "
            "(highest score in the bucket in brackets):\n"
        )
        lines.append("| system | " + " | ".join(buckets) + " |")
        lines.append("|---|" + "---:|" * len(buckets))
        for r in ece_rows:
            cells = [
                "-" if b["ece"] is None else f"{b['ece']:.4f} ({b['max_proba']:.2f})"
                for b in r["ece_by_length"]
            ]
            lines.append(f"| {r['system']} | " + " | ".join(cells) + " |")
        counts = " / ".join(f"{b['n']:,}" for b in ece_rows[0]["ece_by_length"])
        lines.append(f"\nPosts per bucket: {counts}.")
    if curve:
        lines.append(
            f"\nTrade-off of {DEFAULT_RECIPE} over thresholds (CV recall; FPRs on held-out sets):\n"
        )
        lines.append(
            "| threshold | recall | no group name | sectarian | ordinary FPR | sectarian FPR "
            "| audit alone / in carrier |\n|---:|---:|---:|---:|---:|---:|---:|"
        )
        for c in curve:
            lines.append(
                f"| {c['threshold']:.2f} | {_pct(c['recall'], 1)} | "
                f"{_pct(c['recall_no_group_name'], 1)} | {_pct(c['recall_sectarian'], 1)} | "
                f"{_pct(c['ordinary_fpr'], 3)} | {_pct(c['sectarian_fpr'], 1)} | "
                f"{c['alone']} / {c['in_carrier']} |"
            )
    return "\n".join(lines)


def _replace_in_readme(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise SystemExit(f"{path}: no {README_START} ... {README_END} markers")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    path.write_text(f"{before}{README_START}\n{table}\n{README_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--shipped", help="model directory of the 'shipped' row (default: shipped)")
    parser.add_argument("--save-model", help=f"save the {DEFAULT_RECIPE} model here (overwrites)")
    parser.add_argument("--readme", help="replace the table between the markers in this file")
    parser.add_argument("--json-out", help="write every figure as JSON here")
    parser.add_argument("--show-tokens", action="store_true", help="list tokens flagged alone")
    parser.add_argument(
        "--reuse",
        metavar="JSON",
        help="take the rows of the other systems from an earlier run's --json-out (same "
        f"data and code) instead of measuring them again: only {DEFAULT_RECIPE} is trained",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr
    )

    start = time.time()
    ts_now = default_training_set(args.data_dir)  # its held-out sets and folds judge every system
    previous = []
    if not args.reuse:
        v2 = {"sectarian_negatives": False, "short_fragments": False, "hashtag_fragments": False}
        previous = [
            ("default-v2", default_training_set(args.data_dir, **v2), V2_PARAMS),
            ("default-v4", ts_now, V4_PARAMS),
        ]
    tokens = common_tokens(ts_now.heldout["ordinary_heldout"].texts, AUDIT_TOKENS)
    alfifi = ts_now.cv_corpus
    rows = []

    reused = {}
    if args.reuse:
        reused = {r["system"]: r for r in json.loads(Path(args.reuse).read_text("utf-8"))["rows"]}
    if reused:
        rows.extend(r for name, r in reused.items() if name != DEFAULT_RECIPE)
    keywords = KeywordList().fit(["x"], ["y"])
    if not reused:
        kw = measure("keywords", keywords, 0.5, ts_now, tokens, _scores(keywords, alfifi.texts))
        kw["cv_note"] = "on all positives (nothing learned)"
        rows.append(kw)
        shipped = load_model(args.shipped)
        manifest = read_manifest(args.shipped)
        row = measure("shipped (as loaded)", shipped, shipped.threshold, ts_now, tokens, None)
        cv = manifest.get("metrics", {}).get("cross_validation", {})
        recall = cv.get("per_label", {}).get(PROMOTIONAL, {}).get("recall")
        row["cv_note"] = f"{_pct(recall, 1)} (its manifest; split by group name not recorded)"
        rows.append(row)
        logger.info("keywords and shipped measured (%.0fs)", time.time() - start)

    results = {}
    systems = [
        (name, ts, ExtremismClassifier(**params) if params else default_estimator())
        for name, ts, params in previous
    ]
    for name, ts, estimator in [*systems, (DEFAULT_RECIPE, ts_now, default_estimator())]:
        t0 = time.time()
        result = train_default(
            estimator,
            data_dir=args.data_dir,
            cv=args.folds,
            training_set=ts,
            on_fold=lambda i, acc, name=name: logger.info(
                "%s fold %d: accuracy %.3f", name, i, acc
            ),
        )
        proba, classes = result.oof
        oof = proba[:, list(classes).index(PROMOTIONAL)]
        results[name] = (result, oof)
        rows.append(
            measure(
                name,
                result.model,
                result.model.threshold,
                ts_now,
                tokens,
                oof,
                ece=result.metrics.get("ece_by_length"),
            )
        )
        logger.info("%s trained and measured (%.0fs)", name, time.time() - t0)

    result, oof = results[DEFAULT_RECIPE]
    grid = [round(t, 2) for t in np.arange(0.1, 0.91, 0.05)]
    curve = tradeoff(result.model, ts_now, tokens, oof, grid)
    table = markdown(rows, curve, len(tokens))
    if reused:
        table += (
            "\n\nThe other rows come from an earlier run of this script on the same data "
            f"(`--reuse`); {DEFAULT_RECIPE} was trained in this run."
        )
    print(table)
    if args.show_tokens:
        for r in rows:
            if r["audit"].get("flagged_alone"):
                print(f"{r['system']}: flagged alone: {', '.join(r['audit']['flagged_alone'])}")
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps({"rows": rows, "curve": curve}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    if args.readme:
        _replace_in_readme(Path(args.readme), table)
    if args.save_model:
        result.metrics["evidence_benchmark"] = table
        result.save(args.save_model, overwrite=True)
        logger.info("saved %s", args.save_model)
    logger.info("done in %.0fs", time.time() - start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
