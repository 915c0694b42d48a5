"""End-to-end bulk scoring throughput: ``aeclf score`` vs a naive scikit-learn pipeline.

Builds a few hundred thousand posts by sampling (seeded) the texts of the shared public
corpora, writes them to a temporary file (one post per line; never inside the
repository), then times, each in a fresh process, file in -> JSON Lines out:

* ``aeclf score`` with the shipped model (or, when there is none yet, a model trained
  with the library on a small recipe: Alfifi + SaudiNewsNet leads), for every ``--jobs``;
* a naive pipeline with the same features, fitted on the same small recipe: a
  ``FeatureUnion`` of ``TfidfVectorizer`` word (1, 2)-grams (``tokenizer=`` CAMeL
  ``simple_word_tokenize``) and ``char_wb`` (2, 5)-grams, each with a ``preprocessor=``
  chaining the five CAMeL normalizers per post, then a logistic regression; it reads
  the same file in batches and writes the same kind of JSON Lines;
* optionally fastText's Python ``predict`` (called per post) on the same file, as the
  stretch goal of the speed issue.

It prints a Markdown table: posts/s (wall clock of the whole process: start-up, model
loading, reading, scoring and writing), the ratio to the naive pipeline, the CPU time per
post (the process and its workers: on a busy machine, where wall clock says little about
``--jobs``, this still shows what parallelism costs) and the peak resident memory (the
main process plus its worker processes). The machines are shared, so figures vary from
run to run: compare the ratios of one run.

Usage::

    python benchmarks/throughput.py --data-dir ../shared/data          # or AECLF_DATA_DIR
    python benchmarks/throughput.py --posts 100000 --jobs 1 2 --naive-posts 30000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

SEED = 20150721
REPO = Path(__file__).resolve().parents[1]


# --- the naive pipeline (module-level functions: the pipeline must pickle) ------------


def camel_normalize(text: str) -> str:
    """The five CAMeL normalizers, chained, on one whole post."""
    text = normalize_unicode(text)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    return normalize_teh_marbuta_ar(text)


def naive_pipeline():
    """TF-IDF word (1, 2) + char_wb (2, 5) n-grams, then a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer(
        preprocessor=camel_normalize,
        tokenizer=simple_word_tokenize,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        preprocessor=camel_normalize,
        lowercase=False,
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("word", words), ("char", chars)])),
            ("clf", LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)),
        ]
    )


# --- data ------------------------------------------------------------------------------


def small_recipe(data_dir: str | None):
    """The training posts of the small recipe: Alfifi + SaudiNewsNet leads."""
    from arabic_extremism_clf import corpus as C

    alfifi = C.load_alfifi(data_dir)
    news = C.load_saudinewsnet(data_dir)
    return list(alfifi.texts) + list(news.texts), list(alfifi.labels) + list(news.labels)


def post_pool(data_dir: str | None) -> list[str]:
    """Texts of several shared corpora, each collapsed to one line."""
    from arabic_extremism_clf import corpus as C

    loaders = [
        lambda: C.load_alfifi(data_dir),
        lambda: C.load_saudinewsnet(data_dir, kind="sentences"),
        lambda: C.load_asnd(data_dir, split="train"),
        lambda: C.load_osact2020(data_dir, split="train"),
        lambda: C.load_lhsab(data_dir),
        lambda: C.load_dangerous_speech(data_dir),
    ]
    pool = []
    for load in loaders:
        pool += [" ".join(text.split()) for text in load().texts]
    return [text for text in pool if text]


def write_posts(path: Path, pool: list[str], n: int) -> None:
    rng = random.Random(SEED)
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(n):
            fh.write(rng.choice(pool) + "\n")


# --- runs in child processes ----------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak RSS of this process plus the peaks of its live child processes (Linux)."""
    total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                total += int(status.split("VmHWM:")[1].split()[0]) / 1024
            except (OSError, IndexError, ValueError):
                pass
    except ImportError:
        pass
    return total


def _child_score(argv: list[str]) -> None:
    from arabic_extremism_clf.cli import main

    code = main(["score", *argv])
    print(json.dumps({"rss_mb": _peak_rss_mb(), "code": code}), file=sys.stderr)


def _child_naive(pipeline_path: str, posts: str, out: str, limit: int) -> None:
    import joblib
    import numpy as np

    pipeline = joblib.load(pipeline_path)
    classes = [str(c) for c in pipeline.classes_]
    with open(posts, encoding="utf-8") as fin, open(out, "w", encoding="utf-8") as fout:
        batch: list[str] = []
        line = 0

        def flush() -> None:
            proba = pipeline.predict_proba(batch)
            best = np.argmax(proba, axis=1)
            start = line - len(batch) + 1
            for i, (row, k) in enumerate(zip(proba.tolist(), best.tolist())):
                fout.write(
                    json.dumps(
                        {"line": start + i, "label": classes[k], "confidence": row[k],
                         "scores": dict(zip(classes, row))},
                        ensure_ascii=False,
                    ) + "\n"
                )  # fmt: skip
            batch.clear()

        for text in fin:
            if line >= limit:
                break
            line += 1
            batch.append(text.rstrip("\n"))
            if len(batch) == 1000:
                flush()
        if batch:
            flush()
    print(json.dumps({"rss_mb": _peak_rss_mb(), "code": 0}), file=sys.stderr)


def _child_fasttext(model_path: str, posts: str, out: str, limit: int) -> None:
    import fasttext

    model = fasttext.load_model(model_path)
    with open(posts, encoding="utf-8") as fin, open(out, "w", encoding="utf-8") as fout:
        for line, text in enumerate(fin, start=1):
            if line > limit:
                break
            # FastText.predict breaks with numpy 2 (np.array(copy=False)), on a list
            # and on one post: call the binding it wraps, one post at a time.
            pairs = model.f.predict(text.rstrip("\n"), -1, 0.0, "strict")
            scores = {label[9:]: float(p) for p, label in pairs}
            best = max(scores, key=scores.get)
            fout.write(
                json.dumps(
                    {"line": line, "label": best, "confidence": scores[best], "scores": scores},
                    ensure_ascii=False,
                ) + "\n"
            )  # fmt: skip
    print(json.dumps({"rss_mb": _peak_rss_mb(), "code": 0}), file=sys.stderr)


def timed(args: list[str], rows: int, out: Path) -> dict:
    """Run this script in a child mode; wall-clock posts/s and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the child and of its worker processes (reaped before it exits).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = {}
    for line in proc.stderr.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
    if proc.returncode != 0 or report.get("code") != 0:
        sys.exit(f"benchmark run failed: {args}\n{proc.stderr[-3000:]}")
    with out.open("rb") as fh:
        written = sum(1 for _ in fh)
    if written != rows:
        sys.exit(f"{args}: {written} output rows for {rows} posts")
    result = {
        "seconds": seconds,
        "rate": rows / seconds,
        "cpu_us": cpu / rows * 1e6,
        "rss_mb": report.get("rss_mb"),
    }
    print(f"  {args[0][3:]}: {rows:,} posts in {seconds:.1f} s", flush=True)
    return result


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument(
        "--posts", type=int, default=300_000, help="posts to score (default: 300000)"
    )
    parser.add_argument(
        "--naive-posts", type=int, default=50_000,
        help="posts for the naive pipeline, which is slow (default: 50000)",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to time")
    parser.add_argument("--model", help="model directory (default: shipped, else trained here)")
    parser.add_argument("--no-fasttext", action="store_true", help="skip the fastText run")
    args = parser.parse_args()

    import joblib

    from arabic_extremism_clf.persistence import default_model_path, save_model

    data_dir = args.data_dir or os.environ.get("AECLF_DATA_DIR")
    tmp = Path(tempfile.mkdtemp(prefix="aeclf-throughput-"))
    try:
        texts, labels = small_recipe(data_dir)
        model_dir = args.model
        model_note = model_dir
        if model_dir is None:
            try:
                model_dir = str(default_model_path())
                model_note = "shipped model"
            except Exception:  # noqa: BLE001 - no shipped model yet
                from arabic_extremism_clf.model import ExtremismClassifier

                print(f"no shipped model: training one on the small recipe ({len(texts)} posts)")
                model_dir = str(save_model(ExtremismClassifier().fit(texts, labels), tmp / "model"))
                model_note = "library model, small recipe"
        print(f"fitting the naive pipeline on the small recipe ({len(texts)} posts)")
        joblib.dump(naive_pipeline().fit(texts, labels), tmp / "naive.joblib")
        posts = tmp / "posts.txt"
        write_posts(posts, post_pool(data_dir), args.posts)
        naive_n = min(args.naive_posts, args.posts)
        print(f"{args.posts:,} posts written ({posts.stat().st_size / 1e6:.0f} MB); timing...")

        results = []
        out = tmp / "naive.jsonl"
        naive = timed(
            ["--_naive", str(tmp / "naive.joblib"), str(posts), str(out), str(naive_n)],
            naive_n,
            out,
        )
        results.append(("naive sklearn pipeline (TfidfVectorizer + LR)", 1, naive_n, naive))
        for jobs in args.jobs:
            out = tmp / f"score-{jobs}.jsonl"
            run = timed(
                ["--_score", "--model", model_dir, str(posts), "-o", str(out), "--jobs", str(jobs),
                 "--no-progress"],
                args.posts, out,
            )  # fmt: skip
            results.append((f"aeclf score ({model_note})", jobs, args.posts, run))
        if not args.no_fasttext:
            try:
                import fasttext
            except ImportError:
                fasttext = None
            if fasttext is not None:
                train = tmp / "fasttext-train.txt"
                with train.open("w", encoding="utf-8") as fh:
                    for text, label in zip(texts, labels):
                        fh.write(f"__label__{label} {' '.join(text.split())}\n")
                ft = fasttext.train_supervised(
                    str(train), wordNgrams=2, minn=2, maxn=5, epoch=10, verbose=0, seed=SEED,
                    thread=1,
                )  # fmt: skip
                ft.save_model(str(tmp / "ft.bin"))
                out = tmp / "fasttext.jsonl"
                run = timed(
                    ["--_fasttext", str(tmp / "ft.bin"), str(posts), str(out), str(args.posts)],
                    args.posts,
                    out,
                )
                results.append(("fastText predict, per post (stretch goal)", 1, args.posts, run))

        print()
        columns = ["pipeline", "jobs", "posts", "seconds", "posts/s", "vs naive"]
        print("| " + " | ".join([*columns, "CPU µs/post", "peak RSS (MB)"]) + " |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, jobs, n, run in results:
            ratio = run["rate"] / naive["rate"]
            rss = f"{run['rss_mb']:.0f}" if run.get("rss_mb") else "n/a"
            print(
                f"| {name} | {jobs} | {n:,} | {run['seconds']:.1f} | {run['rate']:,.0f} | "
                f"{ratio:.1f}x | {run['cpu_us']:.0f} | {rss} |"
            )
        print(
            f"\n{os.cpu_count()} CPUs. posts/s: wall clock of the whole process (start-up and "
            "model loading included). CPU: user + system time of the process and its workers "
            "per post. Peak RSS: the process plus its workers."
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_score":
        _child_score(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--_naive":
        _child_naive(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--_fasttext":
        _child_fasttext(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
