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

For every ``--sizes`` value (default 30k, 200k and 1M posts: the first posts of one
file) the fastText run and each ``--jobs`` run score the same file, and the table gives
each run against the naive pipeline, fastText and ``--jobs 1`` of the same size. It also
times start-up: the whole ``aeclf score`` process on a 10-post file, next to the
interpreter's own start and ``import sklearn``.

Usage::

    python benchmarks/throughput.py --data-dir ../shared/data          # or AECLF_DATA_DIR
    python benchmarks/throughput.py --sizes 30000 200000 --jobs 1 2 --naive-posts 30000
"""

from __future__ import annotations

import argparse
import contextlib
import functools
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
from typing import Any

SEED = 20150721
REPO = Path(__file__).resolve().parents[1]


# --- the naive pipeline (module-level functions: the pipeline must pickle) ------------


# CAMeL Tools is imported on first use, not at the top: the runs of ``aeclf score``
# start from this script too, and must not pay for its imports.
@functools.cache
def _camel_normalizers() -> tuple:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    return (normalize_unicode, dediac_ar, normalize_alef_ar, normalize_alef_maksura_ar,
            normalize_teh_marbuta_ar)  # fmt: skip


def camel_normalize(text: str) -> str:
    """The five CAMeL normalizers, chained, on one whole post."""
    for step in _camel_normalizers():
        text = step(text)
    return text


def naive_pipeline():
    """TF-IDF word (1, 2) + char_wb (2, 5) n-grams, then a logistic regression."""
    from camel_tools.tokenizers.word import simple_word_tokenize
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


def _hwm_mb(pid: int | str = "self") -> float:
    """Peak RSS (VmHWM) of a live process, in MB (Linux). Unlike ``ru_maxrss``, which
    a child inherits from the parent that forked it, VmHWM starts afresh at exec."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def _peak_rss_mb() -> float:
    """Peak RSS of this process plus the peaks of its live child processes (Linux)."""
    try:
        total = _hwm_mb()
    except (OSError, IndexError, ValueError):
        total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += _hwm_mb(child.pid)
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


def _rss_pss(proc: Any) -> tuple[int, int]:
    """Resident and proportional set size of a process, in bytes.

    From ``/proc/PID/smaps_rollup`` (Linux 4.14+), one short read: psutil's
    ``memory_full_info`` walks the whole ``smaps`` file, and sampling that every tenth of
    a second took about 12% of a core, taken from the workers being measured.
    """
    try:
        text = Path(f"/proc/{proc.pid}/smaps_rollup").read_text()
    except OSError:
        info = proc.memory_full_info()
        return info.rss, info.pss
    fields = dict(line.split(":", 1) for line in text.splitlines()[1:] if ":" in line)
    return int(fields["Rss"].split()[0]) * 1024, int(fields["Pss"].split()[0]) * 1024


def _sample_tree(pid: int, peak: list[float], done: Any) -> None:
    """Sample the memory of the process tree of ``pid`` until ``done`` is set.

    ``peak[0]``: the largest sum of RSS (pages shared by forked workers counted once per
    process); ``peak[1]``: the largest sum of PSS (shared pages split between the
    processes that share them: the memory the tree really takes).
    """
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not done.wait(0.2):
        try:
            procs = [root, *root.children(recursive=True)]
            rss = pss = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error, KeyError, ValueError, OSError):
                    one_rss, one_pss = _rss_pss(proc)
                    rss += one_rss
                    pss += one_pss
        except psutil.Error:
            return
        peak[0] = max(peak[0], rss / 2**20)
        peak[1] = max(peak[1], pss / 2**20)


def timed(args: list[str], rows: int, out: Path, *, memory: bool = True) -> dict:
    """Run this script in a child mode; wall-clock posts/s and, with ``memory``, the peak
    memory of its process tree.

    Sampling the tree's memory reads ``/proc/PID/smaps_rollup`` of every process, which
    takes the kernel about 13 ms per 200 MB process: at five samples a second, 6% of a
    core during the run. That core is one the workers of ``--jobs 2`` need, so the timed
    runs do not sample (``memory=False``) and the memory is measured in a run of its own.
    """
    import threading

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tree_peak = [0.0, 0.0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(child.pid, tree_peak, done))
    if memory:
        sampler.start()
    stdout, stderr = child.communicate()
    done.set()
    if memory:
        sampler.join()
    proc = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
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
        # The larger of the child's own peak (with its live workers) and the peak of
        # the sum of RSS over its process tree, sampled every 200 ms from here.
        "rss_mb": max(report.get("rss_mb") or 0.0, tree_peak[0]) or None,
        "pss_mb": tree_peak[1] or None,
    }
    print(f"  {args[0][3:]}: {rows:,} posts in {seconds:.1f} s", flush=True)
    return result


# --- main ------------------------------------------------------------------------------


def _row(name: str, jobs: int, n: int, run: dict, base: dict[str, float]) -> str:
    def ratio(key: str) -> str:
        return f"{run['rate'] / base[key]:.2f}x" if base.get(key) else "-"

    rss = f"{run['rss_mb']:.0f}" if run.get("rss_mb") else "n/a"
    pss = f"{run['pss_mb']:.0f}" if run.get("pss_mb") else "n/a"
    seconds = f"{run['seconds']:.1f}"
    if "spread" in run:
        seconds += f" ({run['spread'][0]:.1f}-{run['spread'][1]:.1f})"
    return (
        f"| {name} | {jobs} | {n:,} | {seconds} | {run['rate']:,.0f} | "
        f"{ratio('naive')} | {ratio('fasttext')} | {ratio('jobs1')} | {run['cpu_us']:.0f} | "
        f"{rss} | {pss} |"
    )


def _median_run(runs: list[dict]) -> dict:
    """The median run by wall clock (its own figures), with the spread of the walls."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["spread"] = (ordered[0]["seconds"], ordered[-1]["seconds"])
    return median


def _memory(argv: list[str], rows: int, out: Path) -> dict:
    """Peak RSS and PSS of one more run, untimed, whose memory is sampled."""
    run = timed(argv, rows, out, memory=True)
    return {"rss_mb": run["rss_mb"], "pss_mb": run["pss_mb"]}


def _head(source: Path, target: Path, n: int) -> None:
    with source.open("rb") as fin, target.open("wb") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)


def _startup(model_dir: str, tmp: Path, repeats: int = 5) -> dict[str, float]:
    """Seconds of the whole ``aeclf score`` process on a 10-post file (best of
    ``repeats``, after one run that writes the bytecode and the caches, as any first run
    on a machine does), of ``python -c pass``, of ``import numpy`` and of ``import
    sklearn`` (same run), and the memory that loading the model for scoring adds."""
    small = tmp / "posts-10.txt"
    _head(tmp / "posts.txt", small, 10)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def best(argv: list[str]) -> float:
        subprocess.run(argv, check=True, capture_output=True, env=env)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - start)
        return min(times)

    score = [sys.executable, "-m", "arabic_extremism_clf", "score", "--model", model_dir,
             str(small), "-o", str(tmp / "startup.jsonl"), "--overwrite", "--no-progress"]  # fmt: skip
    model_mb = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, sys.argv[2]); import throughput as t\n"
         "import arabic_extremism_clf.persistence as p\n"
         "before = t._hwm_mb(); p.load_scoring_model(sys.argv[1])\n"
         "print(t._hwm_mb() - before)", model_dir, str(Path(__file__).parent)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    return {
        "score": best(score),
        "python": best([sys.executable, "-c", "pass"]),
        "numpy": best([sys.executable, "-c", "import numpy"]),
        "sklearn": best([sys.executable, "-c", "import sklearn"]),
        "model_mb": float(model_mb),
    }


def big_input(args: argparse.Namespace) -> None:
    """Score one large input (``--big-gb``) with every ``--jobs``: posts/s and memory."""
    from arabic_extremism_clf.persistence import default_model_path

    data_dir = args.data_dir or os.environ.get("AECLF_DATA_DIR")
    model_dir = args.model or str(default_model_path())
    tmp = Path(tempfile.mkdtemp(prefix="aeclf-big-"))
    try:
        pool = post_pool(data_dir)
        posts = tmp / "posts.txt"
        rng = random.Random(SEED)
        target = int(args.big_gb * 1e9)
        n = 0
        with posts.open("w", encoding="utf-8") as fh:
            while fh.tell() < target:
                fh.writelines(rng.choice(pool) + "\n" for _ in range(10_000))
                n += 10_000
        print(f"{n:,} posts written ({posts.stat().st_size / 1e9:.2f} GB); timing...")
        print(
            "\n| jobs | posts | seconds | posts/s | CPU µs/post | peak RSS (MB) | peak PSS (MB) |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for jobs in args.jobs:
            out = tmp / "out.jsonl"
            run = timed(
                ["--_score", "--model", model_dir, str(posts), "-o", str(out),
                 "--jobs", str(jobs), "--no-progress", "--overwrite"],
                n, out,
            )  # fmt: skip
            out.unlink()
            print(
                f"| {jobs} | {n:,} | {run['seconds']:.0f} | {run['rate']:,.0f} | "
                f"{run['cpu_us']:.0f} | {run['rss_mb']:.0f} | {run['pss_mb']:.0f} |",
                flush=True,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="shared data directory (default: $AECLF_DATA_DIR)")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[30_000, 200_000, 1_000_000],
        help="input sizes in posts (default: 30000 200000 1000000)",
    )  # fmt: skip
    parser.add_argument(
        "--naive-posts", type=int, default=30_000,
        help="posts for the naive pipeline, which is slow (default: 30000)",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to time")
    parser.add_argument("--model", help="model directory (default: shipped, else trained here)")
    parser.add_argument("--no-fasttext", action="store_true", help="skip the fastText runs")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="runs of every system and size, interleaved; the median is reported (default: 3)",
    )  # fmt: skip
    parser.add_argument(
        "--big-gb", type=float,
        help="instead: score one input of this many GB with every --jobs (memory whatever "
        "the input size)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.big_gb:
        big_input(args)
        return

    import joblib

    from arabic_extremism_clf.persistence import default_model_path, save_model

    data_dir = args.data_dir or os.environ.get("AECLF_DATA_DIR")
    tmp = Path(tempfile.mkdtemp(prefix="aeclf-throughput-"))
    sizes = sorted(set(args.sizes))
    try:
        texts, labels = small_recipe(data_dir)
        model_dir = args.model
        model_note = model_dir
        if model_dir is None:
            try:
                model_dir = str(default_model_path())
                model_note = "shipped model"
            except Exception:
                from arabic_extremism_clf.model import ExtremismClassifier

                print(f"no shipped model: training one on the small recipe ({len(texts)} posts)")
                model_dir = str(save_model(ExtremismClassifier().fit(texts, labels), tmp / "model"))
                model_note = "library model, small recipe"
        print(f"fitting the naive pipeline on the small recipe ({len(texts)} posts)")
        joblib.dump(naive_pipeline().fit(texts, labels), tmp / "naive.joblib")
        posts = tmp / "posts.txt"
        write_posts(posts, post_pool(data_dir), max(sizes))
        print(f"{max(sizes):,} posts written ({posts.stat().st_size / 1e6:.0f} MB); timing...")
        ft_path = None
        if not args.no_fasttext:
            try:
                import fasttext
            except ImportError:
                print("fasttext is not installed (the peers extra): no fastText runs")
            else:
                train = tmp / "fasttext-train.txt"
                with train.open("w", encoding="utf-8") as fh:
                    for text, label in zip(texts, labels):
                        fh.write(f"__label__{label} {' '.join(text.split())}\n")
                ft = fasttext.train_supervised(
                    str(train), wordNgrams=2, minn=2, maxn=5, epoch=10, verbose=0, seed=SEED,
                    thread=1,
                )  # fmt: skip
                ft_path = tmp / "ft.bin"
                ft.save_model(str(ft_path))

        startup = _startup(model_dir, tmp)
        naive_n = min(args.naive_posts, max(sizes))
        out = tmp / "naive.jsonl"
        naive_argv = ["--_naive", str(tmp / "naive.joblib"), str(posts), str(out), str(naive_n)]
        naive = {
            **timed(naive_argv, naive_n, out, memory=False),
            **_memory(naive_argv, naive_n, out),
        }
        lines = []
        for n in sizes:
            sized = tmp / f"posts-{n}.txt"
            _head(posts, sized, n)
            base: dict[str, float] = {"naive": naive["rate"]}
            # Every system's runs interleaved, --repeat times: the machine's load drifts,
            # and each figure is the median run (by wall clock) of its system.
            systems: list[tuple[str, int, list[str], Path]] = []
            if ft_path is not None:
                out = tmp / "fasttext.jsonl"
                systems.append(("fastText predict, per post", 1,
                                ["--_fasttext", str(ft_path), str(sized), str(out), str(n)], out))  # fmt: skip
            for jobs in args.jobs:
                out = tmp / f"score-{jobs}.jsonl"
                systems.append((f"aeclf score ({model_note})", jobs,
                                ["--_score", "--model", model_dir, str(sized), "-o", str(out),
                                 "--jobs", str(jobs), "--no-progress", "--overwrite"], out))  # fmt: skip
            memories = [_memory(argv, n, out) for _, _, argv, out in systems]
            timings: list[list[dict]] = [[] for _ in systems]
            for _ in range(args.repeat):
                for k, (_, _, argv, out) in enumerate(systems):
                    timings[k].append(timed(argv, n, out, memory=False))
            runs = []
            for (name, jobs, argv, _), times, peaks in zip(systems, timings, memories):
                run = {**_median_run(times), **peaks}
                if argv[0] == "--_fasttext":
                    base["fasttext"] = run["rate"]
                elif jobs == 1:
                    base["jobs1"] = run["rate"]
                runs.append((name, jobs, run))
            if n == naive_n or n == min(sizes):
                lines.append(_row("naive sklearn pipeline", 1, naive_n, naive, {}))
            lines += [_row(name, jobs, n, run, base) for name, jobs, run in runs]
            sized.unlink()

        print()
        print(
            "| pipeline | jobs | posts | seconds (range) | posts/s | vs naive | vs fastText (same size) "
            "| vs jobs 1 | CPU µs/post | peak RSS (MB) | peak PSS (MB) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(lines))
        print(
            f"\nStart-up (a 10-post file, whole process, best of 5 after a warm-up run): "
            f"aeclf score {startup['score']:.2f} s; same run: `python -c pass` "
            f"{startup['python']:.2f} s, `import numpy` {startup['numpy']:.2f} s, `import "
            f"sklearn` {startup['sklearn']:.2f} s. Loading the model for scoring adds "
            f"{startup['model_mb']:.0f} MB of RSS."
        )
        print(
            f"{os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.1f}. Each "
            f"figure: the median of {args.repeat} interleaved runs (the range of their wall "
            "clocks in brackets; peak memory: one more run of each, before them, whose "
            "memory is sampled: sampling takes CPU, so the timed runs are not). posts/s: "
            "wall clock of the whole process (start-up and model loading included). CPU: user "
            "+ system time of the process and its workers per post. Peak RSS: the process plus "
            "its workers (pages the forked workers share with it counted once per process); "
            "peak PSS: the same with shared pages split between the processes that share "
            "them, which is what the tree takes. The naive pipeline runs on the first posts "
            "of the same file."
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
