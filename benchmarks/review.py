"""The review queue: making it, and recording decisions, against plain scoring.

Builds N distinct neutral posts (seeded combinations of the toy sport/weather/cooking
posts of the tests), then times in this process, with the shipped model:

* the baseline: :func:`~arabic_extremism_clf.scoring.core.score_batch` without
  explanations, in batches of 1,000;
* making a queue: :func:`~arabic_extremism_clf.review.queue.build_queue` (scoring with
  explanations) and :meth:`~arabic_extremism_clf.review.store.ReviewStore.save_queue`;
* serving one item: :meth:`ReviewStore.find` + highlighting, per call;
* recording decisions: :meth:`ReviewStore.decide`, each its own durable transaction.

It prints posts/s and the ratio to the baseline measured in the same run (the machines are
shared: compare ratios, not absolute figures). Nothing is written inside the repository.

Usage::

    python benchmarks/review.py --posts 5000 --decisions 500
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.io import Record
from arabic_extremism_clf.review.highlight import segments
from arabic_extremism_clf.review.queue import build_queue
from arabic_extremism_clf.review.store import ReviewStore
from arabic_extremism_clf.scoring.core import resolve_model, score_batch


def _posts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    pool = SPORT + WEATHER + COOKING
    out: set[str] = set()
    while len(out) < n:
        out.add(" ".join(rng.sample(pool, 3)) + f" {rng.randrange(10**6)}")
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    args = parser.parse_args()
    model = resolve_model(args.model)
    texts = _posts(args.posts)
    score_batch(model, texts[:100])  # warm the memos like a running server would

    start = time.perf_counter()
    for i in range(0, len(texts), 1000):
        score_batch(model, texts[i : i + 1000])
    baseline = len(texts) / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        store = ReviewStore(Path(tmp) / "r.sqlite")
        records = (Record(k + 1, None, t, None) for k, t in enumerate(texts))
        start = time.perf_counter()
        items, _, n_rows = build_queue(model, records, order="sample")
        store.save_queue(
            "0" * 64, items, input_name="bench", model_name="m", model_version=None,
            model_id="m", order_by="sample", flagged_label=model.flagged_label,
            threshold=float(model.threshold), n_rows=n_rows,
        )  # fmt: skip
        queue = len(texts) / (time.perf_counter() - start)

        options = model.vectorizer_.normalize_options
        start = time.perf_counter()
        calls = min(500, len(texts))
        for position in range(calls):
            item = store.find("0" * 64, position, "at")
            segments(item["text"], item["explanation"]["ngrams"], options)
        served = calls / (time.perf_counter() - start)

        start = time.perf_counter()
        for k in range(args.decisions):
            store.decide("0" * 64, k % len(texts), "not_promotional", reviewer="bench")
        decided = args.decisions / (time.perf_counter() - start)

    print(f"| step ({args.posts} posts) | per second | ratio to scoring |")
    print("|---|---:|---:|")
    print(f"| score_batch, no explanations (baseline) | {baseline:,.0f} posts | 1.00 |")
    print(
        f"| make the queue (explain + order + SQLite) | {queue:,.0f} posts | {queue / baseline:.2f} |"
    )
    print(f"| serve one item (find + highlight) | {served:,.0f} items | {served / baseline:.2f} |")
    print(f"| record a decision (durable) | {decided:,.0f} decisions | {decided / baseline:.3f} |")


if __name__ == "__main__":
    main()
