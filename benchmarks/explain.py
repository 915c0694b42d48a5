"""What ``aeclf score --explain`` costs: scoring with and without explanations.

Writes a few thousand neutral posts (sport, weather and cooking sentences of the test
suite's toy corpus, combined with a seeded generator and numbered so that every line
is distinct) to a temporary file, then times, with the shipped model (or ``--model``):

* in process, the scoring loop of ``aeclf score`` (``bulk.score_batches`` and the
  JSON Lines writer) without and with ``explain=True``, after one warm-up pass, in
  interleaved repeats; and, for reference, ``model.explain`` called once per post;
* end to end, ``aeclf score FILE -o OUT`` in a fresh process (start-up, model loading
  and cold memos included), without and with ``--explain``.

It prints a Markdown table: seconds (median of the repeats), posts/s, µs per post and
the ratio to scoring without explanations. The machines are shared, so read the ratios.

Usage::

    python benchmarks/explain.py                      # 5,000 posts, top 10, 5 repeats
    python benchmarks/explain.py --posts 20000 --top 3 --repeat 3 --model models/mine
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 20240601


def neutral_posts(n: int, seed: int = SEED) -> list[str]:
    """``n`` distinct neutral posts: 1 to 3 toy sentences and a number."""
    sys.path.insert(0, str(REPO / "tests"))
    from toy_corpus import COOKING, SPORT, WEATHER

    rng = random.Random(seed)
    pool = SPORT + WEATHER + COOKING
    return [
        " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) + f" {i}" for i in range(n)
    ]


def _in_process(model, posts: list[str], explain: bool, top: int) -> float:
    from arabic_extremism_clf import bulk

    records = (bulk.Record(i + 1, None, post, None) for i, post in enumerate(posts))
    writer = bulk.JsonlWriter(io.StringIO(newline=""), [str(c) for c in model.classes_])
    started = time.perf_counter()
    for batch in bulk.score_batches(records, model, explain=explain, top=top):
        writer.write_batch(batch)
    return time.perf_counter() - started


def _per_post(model, posts: list[str], top: int) -> float:
    started = time.perf_counter()
    for post in posts:
        model.explain(post, top=top)
    return time.perf_counter() - started


def _end_to_end(path: Path, out: Path, model_dir: str | None, options: list[str]) -> float:
    command = [sys.executable, "-m", "arabic_extremism_clf", "score", str(path)]
    command += ["-o", str(out), "--overwrite", "--no-progress", *options]
    command += ["--model", model_dir] if model_dir else []
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000, help="neutral posts (default: 5000)")
    parser.add_argument("--top", type=int, default=10, help="n-grams per post (default: 10)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats (default: 5)")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    args = parser.parse_args(argv)

    from arabic_extremism_clf.persistence import load_model

    model = load_model(args.model)
    posts = neutral_posts(args.posts)
    n = len(posts)
    _in_process(model, posts, True, args.top)  # warm-up: memos, feature names
    times: dict[str, list[float]] = {"plain": [], "explain": []}
    for _ in range(args.repeat):
        times["plain"].append(_in_process(model, posts, False, args.top))
        times["explain"].append(_in_process(model, posts, True, args.top))
    per_post = _per_post(model, posts[: min(n, 2000)], args.top) * n / min(n, 2000)

    with tempfile.TemporaryDirectory(prefix="aeclf-bench-explain-") as tmp:
        path, out = Path(tmp) / "posts.txt", Path(tmp) / "out.jsonl"
        path.write_text("\n".join(posts) + "\n", encoding="utf-8")
        e2e: dict[str, list[float]] = {"plain": [], "explain": []}
        for _ in range(args.repeat):
            e2e["plain"].append(_end_to_end(path, out, args.model, []))
            e2e["explain"].append(
                _end_to_end(path, out, args.model, ["--explain", "--top", str(args.top)])
            )

    def line(name: str, seconds: float, base: float) -> str:
        return (
            f"| {name} | {seconds:.3f} | {n / seconds:,.0f} | {seconds / n * 1e6:,.0f} "
            f"| {seconds / base:.2f}× |"
        )

    plain, explain = statistics.median(times["plain"]), statistics.median(times["explain"])
    print(f"{n:,} neutral posts, top {args.top}, median of {args.repeat} repeats\n")
    print("| in process (warm) | s | posts/s | µs/post | vs plain |")
    print("|---|---:|---:|---:|---:|")
    print(line("score_batches + JSON Lines", plain, plain))
    print(line("score_batches(explain=True) + JSON Lines", explain, plain))
    print(line("model.explain per post (scoring not included)", per_post, plain))
    plain, explain = statistics.median(e2e["plain"]), statistics.median(e2e["explain"])
    print("\n| end to end, fresh process | s | posts/s | µs/post | vs plain |")
    print("|---|---:|---:|---:|---:|")
    print(line("aeclf score", plain, plain))
    print(line(f"aeclf score --explain --top {args.top}", explain, plain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
