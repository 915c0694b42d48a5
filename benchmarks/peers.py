"""This library's classifier against what teams usually start with, on the same data.

Four systems are trained and evaluated in one run, on the default recipe of
:func:`arabic_extremism_clf.training.default_training_set`:

``keywords``
    A list of ~20 well-known pro-ISIS terms (the group's self-names and slogans as
    news coverage quotes them); a post that contains one is flagged. Nothing is learned.
``fasttext``
    fastText supervised (``fasttext-wheel``) over the tokens of the plain CAMeL chain,
    word bigrams and character 2-5-grams, one thread (deterministic).
``sklearn-naive``
    A scikit-learn pipeline a team would write first: word 1-2-gram and ``char_wb``
    2-5-gram TF-IDF over the plain CAMeL chain, then a class-balanced logistic regression.
``aeclf``
    This library's :func:`~arabic_extremism_clf.training.default_estimator` with its
    defaults, trained as :func:`~arabic_extremism_clf.training.train_default` trains the
    shipped model: with the recipe's sample weights (``TrainingSet.weights``), in the
    cross-validation folds and in the final fit.
``aeclf-unweighted`` (only when asked for with ``--systems``)
    The same estimator without the sample weights.

The plain CAMeL chain is ``normalize_unicode``, ``dediac_ar``, ``normalize_alef_ar``,
``normalize_alef_maksura_ar``, ``normalize_teh_marbuta_ar`` and, for tokens,
``simple_word_tokenize`` -- CAMeL Tools as it comes, without this library's handling of
social-media text (HTML entities, mentions, hashtags, URLs, letter stretching...).

What is measured, per system:

* macro-F1 in grouped cross-validation on the 2,000 Alfifi tweets, with every other
  training negative (news, ASND, offensive/hate tweets) in every training fold: the
  folds of :func:`~arabic_extremism_clf.training.grouped_cross_val_proba`, which this
  script calls (``StratifiedGroupKFold`` over near-duplicate groups). Each system is
  first read at its natural decision rule (probability >= 0.5, i.e. argmax for two
  labels; a keyword match), then, for the learned systems, at the threshold with the
  best macro-F1 on those same out-of-fold scores (a 0.05 grid, as
  :func:`~arabic_extremism_clf.training.best_macro_f1_threshold` picks it for the
  shipped model). The second figure is optimistic: the threshold is chosen on the data
  it is scored on.
* false-positive rates, after fitting on the whole training set, on sets that are never
  trained on: news about ISIS from held-out days, the ASND dev split, held-out
  offensive/hate/dangerous tweets, and the project's functional table of news,
  counter-speech and religious lines (every row of those sets is negative).
* scoring throughput: raw posts to scores for all those held-out posts (a few tens of
  thousands) in one call, wall clock and CPU time of this process.

Usage::

    python benchmarks/peers.py --data-dir ../shared/data            # full run, 5 folds
    python benchmarks/peers.py --quick                                # smoke run
    python benchmarks/peers.py --systems keywords,fasttext --folds 3 --json-out out.json

The data directory defaults to ``AECLF_DATA_DIR``. The tables go to stdout (markdown),
progress to stderr. See ``BENCHMARKS.md`` for the figures measured on the development
machines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from arabic_extremism_clf.corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from arabic_extremism_clf.evaluate import evaluate_predictions
from arabic_extremism_clf.training import (
    best_macro_f1_threshold,
    default_estimator,
    default_training_set,
    grouped_cross_val_proba,
)

logger = logging.getLogger("peers")

#: Held-out sets whose false-positive rate is reported: (key in TrainingSet.heldout, column).
FPR_SETS = (
    ("news_isis_heldout_days", "news about ISIS"),
    ("asnd_dev", "ASND news dev"),
    ("offensive_hate_dangerous_heldout", "offensive/hate"),
    ("functional", "functional table"),
)
SYSTEMS = ("keywords", "fasttext", "sklearn-naive", "aeclf")
#: Systems that can be asked for but are not run by default.
EXTRA_SYSTEMS = ("aeclf-unweighted",)
#: Systems trained with the recipe's sample weights (as ``train_default`` trains).
WEIGHTED = {"aeclf"}
CLASSES = np.array([NOT_PROMOTIONAL, PROMOTIONAL])

# --- the plain CAMeL chain --------------------------------------------------------


def camel_chain(text: str) -> str:
    """CAMeL Tools' normalizers as they come, in the usual order."""
    text = normalize_unicode(text)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    return normalize_teh_marbuta_ar(text)


def camel_tokens(text: str) -> list[str]:
    """The plain chain, then ``simple_word_tokenize``."""
    return simple_word_tokenize(camel_chain(text))


# --- keyword list ------------------------------------------------------------------

#: Well-known pro-ISIS terms as news coverage quotes them: the group's self-names,
#: titles, leaders and slogans, and the jargon of its statements -- the kind of list a
#: team starts with. Short terms only, matched as substrings of the post after the plain
#: CAMeL chain and re-tokenization (so an attached conjunction or preposition still
#: matches). The pejorative "Daesh" is not on the list: the group's supporters avoid it,
#: and everyone reporting on the group uses it.
KEYWORDS = (
    "الدولة الإسلامية",  # "the Islamic State"
    "أنصار الدولة",  # "supporters of the State"
    "الخلافة",  # "the caliphate"
    "خليفة",  # "caliph"
    "باقية وتتمدد",  # "remaining and expanding" (the slogan)
    "أمير المؤمنين",  # "commander of the faithful"
    "البغدادي",  # al-Baghdadi, the leader in 2015
    "العدناني",  # al-Adnani, the spokesman in 2015
    "المجاهدين",  # "the mujahideen"
    "ولاية",  # "province" (the group's wilayat)
    "مبايعة",  # "pledge of allegiance"
    "دابق",  # Dabiq (the magazine, the prophesied battle)
    "الصليبيين",  # "the crusaders"
    "المرتدين",  # "the apostates"
    "الطواغيت",  # "the tyrants"
    "الصحوات",  # "the Sahwa (Awakening) militias"
    "غزوة",  # "raid"
    "انغماسي",  # "inghimasi (storming) fighter"
    "استشهادي",  # "martyrdom-seeker"
    "الحسبة",  # "the hisba (morality police)"
)


class KeywordList(ClassifierMixin, BaseEstimator):
    """Flag a post that contains one of ``keywords`` (probability 1, else 0)."""

    def __init__(self, keywords: tuple[str, ...] = KEYWORDS) -> None:
        self.keywords = keywords

    def fit(self, X, y, sample_weight=None):
        self.classes_ = CLASSES.copy()
        terms = sorted({" ".join(camel_tokens(k)) for k in self.keywords}, key=len, reverse=True)
        self.pattern_ = re.compile("|".join(re.escape(t) for t in terms))
        return self

    def predict_proba(self, X) -> np.ndarray:
        search = self.pattern_.search
        hit = np.array([search(" ".join(camel_tokens(x))) is not None for x in X], dtype=float)
        return np.column_stack([1.0 - hit, hit])


# --- fastText ---------------------------------------------------------------------


class FastTextClassifier(ClassifierMixin, BaseEstimator):
    """fastText supervised over the plain CAMeL chain's tokens.

    ``predict`` of ``fasttext-wheel`` 0.9.2 breaks under numpy 2 (a list gives wrong
    probabilities, one post raises on ``np.array(copy=False)``), so posts are scored one
    at a time through the underlying binding, which returns ``(probability, label)``.
    """

    def __init__(
        self,
        *,
        lr: float = 0.5,
        epoch: int = 25,
        word_ngrams: int = 2,
        minn: int = 2,
        maxn: int = 5,
        dim: int = 50,
        bucket: int = 1_000_000,
        loss: str = "softmax",
        thread: int = 1,
        seed: int = 0,
    ) -> None:
        self.lr = lr
        self.epoch = epoch
        self.word_ngrams = word_ngrams
        self.minn = minn
        self.maxn = maxn
        self.dim = dim
        self.bucket = bucket
        self.loss = loss
        self.thread = thread
        self.seed = seed

    @staticmethod
    def _line(text: str) -> str:
        return " ".join(camel_tokens(text))

    def fit(self, X, y, sample_weight=None):
        import fasttext

        if sample_weight is not None:
            raise ValueError("fastText supervised takes no sample weights")
        labels = [str(label) for label in y]
        self.classes_ = np.array(sorted(set(labels)))
        with tempfile.TemporaryDirectory(prefix="peers-fasttext-") as tmp:
            path = Path(tmp) / "train.txt"
            with path.open("w", encoding="utf-8") as f:
                for text, label in zip(X, labels):
                    f.write(f"__label__{label} {self._line(text)}\n")
            self.model_ = fasttext.train_supervised(
                input=str(path),
                lr=self.lr,
                epoch=self.epoch,
                wordNgrams=self.word_ngrams,
                minn=self.minn,
                maxn=self.maxn,
                dim=self.dim,
                bucket=self.bucket,
                loss=self.loss,
                thread=self.thread,
                seed=self.seed,
                verbose=0,
            )
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.predict_proba_lines([self._line(text) for text in X])

    def predict_proba_lines(self, lines: list[str]) -> np.ndarray:
        """Probabilities of posts already run through the chain (``_line``)."""
        column = {f"__label__{c}": i for i, c in enumerate(self.classes_)}
        k = len(self.classes_)
        predict = self.model_.f.predict
        proba = np.zeros((len(lines), k))
        for i, line in enumerate(lines):
            for p, label in predict(line + "\n", k, 0.0, "strict"):
                proba[i, column[label]] = p
        # fastText adds 1e-5 inside its log: renormalize so rows are probabilities.
        proba = np.clip(proba, 0.0, None)
        return proba / proba.sum(axis=1, keepdims=True)


# --- the naive scikit-learn pipeline ----------------------------------------------


def naive_pipeline() -> Pipeline:
    """Word 1-2-gram + char_wb 2-5-gram TF-IDF over the plain chain, balanced LR."""
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            TfidfVectorizer(
                                preprocessor=camel_chain,
                                tokenizer=simple_word_tokenize,
                                ngram_range=(1, 2),
                                token_pattern=None,
                            ),
                        ),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(2, 5), preprocessor=camel_chain
                            ),
                        ),
                    ]
                ),
            ),
            ("clf", LogisticRegression(class_weight="balanced", max_iter=2000)),
        ]
    )


def make_system(name: str) -> BaseEstimator:
    if name == "keywords":
        return KeywordList()
    if name == "fasttext":
        return FastTextClassifier()
    if name == "sklearn-naive":
        return naive_pipeline()
    if name in ("aeclf", "aeclf-unweighted"):
        return default_estimator()
    raise ValueError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS + EXTRA_SYSTEMS)}")


DESCRIPTIONS = {
    "keywords": f"keyword list ({len(KEYWORDS)} terms)",
    "fasttext": "fastText supervised",
    "sklearn-naive": "naive scikit-learn pipeline",
    "aeclf": "arabic_extremism_clf default_estimator() + recipe weights",
    "aeclf-unweighted": "arabic_extremism_clf default_estimator(), no weights",
}
NATURAL_RULE = {
    "keywords": "keyword match",
    "fasttext": "argmax",
    "sklearn-naive": "p >= 0.5",
    "aeclf": "p >= 0.5",
    "aeclf-unweighted": "p >= 0.5",
}


class Logged(ClassifierMixin, BaseEstimator):
    """Delegates to ``estimator`` and logs how long every fit takes."""

    def __init__(self, estimator: BaseEstimator, name: str = "") -> None:
        self.estimator = estimator
        self.name = name

    def fit(self, X, y, sample_weight=None):
        X, y = list(X), list(y)
        start = time.perf_counter()
        if sample_weight is None:
            self.fitted_ = clone(self.estimator).fit(X, y)
        else:
            self.fitted_ = clone(self.estimator).fit(X, y, sample_weight=sample_weight)
        self.fit_seconds_ = time.perf_counter() - start
        self.classes_ = np.asarray(self.fitted_.classes_)
        logger.info("%s: fitted on %d posts in %.1f s", self.name, len(X), self.fit_seconds_)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return np.asarray(self.fitted_.predict_proba(list(X)), dtype=np.float64)


# --- running ----------------------------------------------------------------------


def _others(ts) -> Corpus:
    cv_ids = set(ts.cv_corpus.ids)
    return ts.train.subset([i for i, row_id in enumerate(ts.train.ids) if row_id not in cv_ids])


def _cap(corpus: Corpus, n: int | None, seed: int = 0) -> Corpus:
    if n is None or len(corpus) <= n:
        return corpus
    rng = np.random.default_rng(seed)
    return corpus.subset(np.sort(rng.permutation(len(corpus))[:n]))


def _promo(proba: np.ndarray, classes) -> np.ndarray:
    return proba[:, list(classes).index(PROMOTIONAL)]


def run_system(
    name: str,
    *,
    cv_corpus: Corpus,
    others: Corpus,
    heldout: dict[str, Corpus],
    folds: int,
    weights: Callable[[Corpus], np.ndarray | None] | None = None,
) -> dict:
    """Cross-validate, fit on everything, score the held-out sets; return the figures.

    ``weights`` gives the sample weights of training rows (the recipe's); it is used
    only for the systems in :data:`WEIGHTED`.
    """
    system = Logged(make_system(name), name=name)
    labels = list(cv_corpus.labels)
    train = Corpus.concat([cv_corpus, others])
    sample_weight = weights(train) if weights is not None and name in WEIGHTED else None
    start = time.perf_counter()
    cv_kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    proba, classes = grouped_cross_val_proba(system, cv_corpus, others, n_splits=folds, **cv_kwargs)
    cv_seconds = time.perf_counter() - start
    natural = evaluate_predictions(
        labels, proba, list(classes), flagged_label=PROMOTIONAL, threshold=0.5
    )
    result: dict = {
        "system": name,
        "description": DESCRIPTIONS[name],
        "natural_rule": NATURAL_RULE[name],
        "sample_weights": sample_weight is not None,
        "cv_seconds": cv_seconds,
        "cv": _cv_figures(natural),
    }
    learned = name != "keywords"
    if learned:
        threshold, _ = best_macro_f1_threshold(labels, proba, list(classes), PROMOTIONAL)
        tuned = evaluate_predictions(
            labels, proba, list(classes), flagged_label=PROMOTIONAL, threshold=threshold
        )
        result["best_threshold"] = threshold
        result["cv_at_best"] = _cv_figures(tuned)
    logger.info(
        "%s: cross-validation done in %.0f s, macro-F1 %.3f", name, cv_seconds, natural["macro_f1"]
    )

    model = system.fit(list(train.texts), list(train.labels), sample_weight=sample_weight)
    result["fit_seconds"] = model.fit_seconds_
    result["train_size"] = len(train)

    # Throughput: every held-out post of the reported sets, raw text to scores, one call.
    names = [key for key, _ in FPR_SETS]
    posts = [text for key in names for text in heldout[key].texts]
    wall, cpu = time.perf_counter(), time.process_time()
    scores = _promo(model.predict_proba(posts), model.classes_)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result["throughput"] = {
        "posts": len(posts),
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "posts_per_second": len(posts) / wall,
        "posts_per_cpu_second": len(posts) / cpu if cpu > 0 else None,
    }
    logger.info("%s: scored %d held-out posts at %.0f posts/s", name, len(posts), len(posts) / wall)
    if isinstance(model.fitted_, FastTextClassifier):
        # fastText alone, on posts already normalized and tokenized (not in the table).
        lines = [model.fitted_._line(text) for text in posts]
        wall = time.perf_counter()
        model.fitted_.predict_proba_lines(lines)
        wall = time.perf_counter() - wall
        result["throughput"]["model_only_posts_per_second"] = len(posts) / wall
        logger.info("%s: %.0f posts/s without the CAMeL chain", name, len(posts) / wall)

    thresholds = {"natural": 0.5}
    if learned:
        thresholds["best"] = result["best_threshold"]
    result["fpr"] = {which: {} for which in thresholds}
    offset = 0
    for key in names:
        corpus = heldout[key]
        part = scores[offset : offset + len(corpus)]
        offset += len(corpus)
        negative = np.array([label != PROMOTIONAL for label in corpus.labels])
        for which, threshold in thresholds.items():
            flagged = part[negative] >= threshold
            result["fpr"][which][key] = {
                "n": int(negative.sum()),
                "false_positives": int(flagged.sum()),
                "rate": float(flagged.mean()) if negative.any() else None,
            }
    return result


def _cv_figures(report: dict) -> dict:
    promo = report["per_label"][PROMOTIONAL]
    return {
        "threshold": report["threshold"],
        "macro_f1": report["macro_f1"],
        "precision": promo["precision"],
        "recall": promo["recall"],
        "roc_auc": report["roc_auc"],
        "pr_auc": report["pr_auc"],
    }


# --- output -----------------------------------------------------------------------


def _pct(fpr: dict) -> str:
    return "-" if fpr["rate"] is None else f"{100 * fpr['rate']:.2f}% ({fpr['false_positives']})"


def _heldout_header(results: list[dict]) -> list[str]:
    first = results[0]["fpr"]["natural"]
    return [f"FPR {label} (n={first[key]['n']:,})" for key, label in FPR_SETS]


def markdown_tables(results: list[dict], folds: int) -> str:
    """The two markdown tables: natural decision rule, and best out-of-fold threshold."""
    lines = [
        f"### Each system at its natural decision rule ({folds}-fold grouped CV)",
        "",
        "| system | rule | CV macro-F1 | CV precision | CV recall | "
        + " | ".join(_heldout_header(results))
        + " | posts/s (wall) | posts/s (CPU) | fit s |",
        "|---" * (5 + len(FPR_SETS) + 3) + "|",
    ]
    for r in results:
        cv, tp = r["cv"], r["throughput"]
        per_cpu = tp["posts_per_cpu_second"]
        lines.append(
            f"| {r['description']} | {r['natural_rule']} | {cv['macro_f1']:.3f} | "
            f"{cv['precision']:.3f} | {cv['recall']:.3f} | "
            + " | ".join(_pct(r["fpr"]["natural"][key]) for key, _ in FPR_SETS)
            + f" | {tp['posts_per_second']:,.0f} | "
            + ("-" if per_cpu is None else f"{per_cpu:,.0f}")
            + f" | {r['fit_seconds']:.1f} |"
        )
    learned = [r for r in results if "best_threshold" in r]
    if learned:
        lines += [
            "",
            "### Learned systems at the threshold with the best out-of-fold macro-F1",
            "",
            "The threshold is chosen on the same out-of-fold scores it is read on "
            "(0.05 grid), so the macro-F1 here is optimistic.",
            "",
            "| system | threshold | CV macro-F1 | CV precision | CV recall | CV ROC AUC "
            "| CV PR AUC | " + " | ".join(_heldout_header(results)) + " |",
            "|---" * (7 + len(FPR_SETS)) + "|",
        ]
        for r in learned:
            cv = r["cv_at_best"]
            lines.append(
                f"| {r['description']} | {r['best_threshold']:.2f} | {cv['macro_f1']:.3f} | "
                f"{cv['precision']:.3f} | {cv['recall']:.3f} | {cv['roc_auc']:.3f} | "
                f"{cv['pr_auc']:.3f} | "
                + " | ".join(_pct(r["fpr"]["best"][key]) for key, _ in FPR_SETS)
                + " |"
            )
    return "\n".join(lines) + "\n"


def machine() -> dict:
    """nproc, CPU model, RAM, Python and package versions."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    packages = {}
    names = (
        "arabic-extremism-clf",
        "scikit-learn",
        "numpy",
        "scipy",
        "camel-tools",
        "fasttext-wheel",
    )
    for pkg in names:
        try:
            packages[pkg] = version(pkg)
        except PackageNotFoundError:
            packages[pkg] = None
    try:
        root = Path(__file__).resolve().parents[1]
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        # The uncommitted changes to the library, if any, identified by a hash.
        diff = subprocess.run(
            ["git", "diff", "HEAD", "--", "src"],
            cwd=root,
            capture_output=True,
            timeout=10,
            check=True,
        ).stdout
        if diff:
            commit += f" (src diff sha256 {hashlib.sha256(diff).hexdigest()[:12]})"
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "code": commit,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir", default=None, help="shared data directory (default: AECLF_DATA_DIR)"
    )
    parser.add_argument(
        "--folds", type=int, default=None, help="grouped CV folds (default 5; 2 with --quick)"
    )
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated systems among {','.join(SYSTEMS + EXTRA_SYSTEMS)} "
        f"(default: {','.join(SYSTEMS)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 2 folds, 5,000 of the other training negatives, 1,000 posts per "
        "held-out set (figures not comparable to a full run)",
    )
    parser.add_argument(
        "--json-out", type=Path, default=None, help="also write every figure as JSON"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS + EXTRA_SYSTEMS]
    if unknown or not systems:
        choices = ", ".join(SYSTEMS + EXTRA_SYSTEMS)
        parser.error(f"unknown system(s) {unknown}; choose from {choices}")
    folds = args.folds if args.folds is not None else (2 if args.quick else 5)

    info = machine()
    start = time.perf_counter()
    ts = default_training_set(args.data_dir)
    others = _others(ts)
    heldout = {key: ts.heldout[key] for key, _ in FPR_SETS}
    if args.quick:
        others = _cap(others, 5_000)
        heldout = {key: _cap(c, 1_000) for key, c in heldout.items()}
    logger.info(
        "data loaded in %.0f s: %d CV posts, %d other training posts, held out %s",
        time.perf_counter() - start,
        len(ts.cv_corpus),
        len(others),
        {key: len(c) for key, c in heldout.items()},
    )

    results = []
    for name in systems:
        results.append(
            run_system(
                name,
                cv_corpus=ts.cv_corpus,
                others=others,
                heldout=heldout,
                folds=folds,
                weights=getattr(ts, "weights", None),
            )
        )
    total = time.perf_counter() - start

    print(markdown_tables(results, folds))
    print(
        f"{'QUICK smoke run, not comparable. ' if args.quick else ''}"
        f"{len(ts.cv_corpus):,} CV posts + {len(others):,} other training posts; "
        f"throughput on {results[0]['throughput']['posts']:,} held-out posts; "
        f"total {total / 60:.1f} min; {info['nproc']} x {info['cpu']}, {info['ram']} RAM, "
        f"Python {info['python']}, code {info['code']}, load average at start "
        f"{', '.join(f'{x:.1f}' for x in info['load_average_at_start'] or ())}"
    )
    if args.json_out is not None:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "command": " ".join(
                ["python", "benchmarks/peers.py", *(argv if argv is not None else sys.argv[1:])]
            ),
            "folds": folds,
            "quick": args.quick,
            "recipe": ts.recipe.get("name"),
            "total_seconds": total,
            "machine": info,
            "keywords": list(KEYWORDS),
            "results": results,
        }
        text = json.dumps(payload, indent=2, ensure_ascii=False)
        args.json_out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
