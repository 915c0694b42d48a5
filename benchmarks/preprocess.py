"""Throughput of the preprocessing on the real public corpora.

Compares, in one run and interleaved over several repeats:

(a) the plain CAMeL Tools chain, ``simple_word_tokenize(normalize_teh_marbuta_ar(
    normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(x))))))``;
(b) ``tokenize(normalize(x))``;
(c) ``preprocess(x)``.

For each repeat and method there is a cold pass (the chunk memo emptied first) and a
warm pass (the memo filled by the cold pass). The median posts/s over the repeats is
reported, with the ratio to the plain chain (above 1: faster than the plain chain).

Usage::

    python benchmarks/preprocess.py [--data-dir DIR] [--repeat 5] [--limit N]

The corpora are read from ``--data-dir``, else ``$AECLF_DATA_DIR``, else the
repository's sibling ``../shared/data``. Nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import camel_tools
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from arabic_extremism_clf import normalize, preprocess, tokenize

# The package exports the function ``preprocess``; the module holding the memo is this.
_pp = importlib.import_module("arabic_extremism_clf.preprocess")

DATA_DIR_ENV = "AECLF_DATA_DIR"

csv.field_size_limit(sys.maxsize)


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "shared" / "data"


# --- loaders: the text column only -----------------------------------------------------


def _csv_column(path: Path, column: str) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield row[column]


def _tsv_column(path: Path, column: int, *, header: bool) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if header:
            next(rows, None)
        for row in rows:
            if row and row[column].strip():
                yield row[column]


def _news_posts(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                article = json.loads(line)
                yield f"{article.get('title') or ''} {(article.get('content') or '')[:280]}"


def load_sources(data_dir: Path) -> dict[str, list[str]]:
    d = data_dir
    sources: dict[str, Callable[[], Iterator[str]]] = {
        "alfifi-isis-2000": lambda: _csv_column(
            d / "alfifi-isis-2000" / "alfifi_isis_eval_2000.csv", "text"
        ),
        "osact2020": lambda: itertools.chain(
            _tsv_column(d / "osact2020" / "OSACT2020-sharedTask-train.txt", 0, header=False),
            _tsv_column(d / "osact2020" / "OSACT2020-sharedTask-dev.txt", 0, header=False),
        ),
        "asnd": lambda: itertools.chain(
            _csv_column(d / "asnd" / "sm_news_ar_trn.csv", "Content"),
            _csv_column(d / "asnd" / "sm_news_ar_dev.csv", "Content"),
        ),
        "dangerous-speech": lambda: _tsv_column(
            d / "dangerous-speech" / "Dangerous_Dataset.tsv", 0, header=True
        ),
        "l-hsab": lambda: _tsv_column(d / "l-hsab" / "L-HSAB", 0, header=True),
        "osact2022": lambda: itertools.chain(
            _csv_column(d / "osact2022" / "train_data2022.csv", "Tweet"),
            _csv_column(d / "osact2022" / "dev_data2022.csv", "Tweet"),
        ),
        "saudinewsnet-isis": lambda: _news_posts(
            d / "saudinewsnet" / "isis_mention_articles.jsonl"
        ),
    }
    return {name: list(load()) for name, load in sources.items()}


def interleave(sources: dict[str, list[str]], limit: int | None) -> list[str]:
    """Round-robin over the sources, so that ``--limit`` samples all of them."""
    out = [x for group in itertools.zip_longest(*sources.values()) for x in group if x is not None]
    return out[:limit] if limit else out


# --- the methods ------------------------------------------------------------------------


def plain_chain(x: str) -> list[str]:
    return simple_word_tokenize(
        normalize_teh_marbuta_ar(
            normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(x))))
        )
    )


def ours_two_calls(x: str) -> list[str]:
    return tokenize(normalize(x))


METHODS: dict[str, Callable[[str], list[str]]] = {
    "plain CAMeL chain": plain_chain,
    "tokenize(normalize(x))": ours_two_calls,
    "preprocess(x)": preprocess,
}


def clear_memo() -> None:
    _pp._OPTIONS.clear()
    _pp._TOKENIZE_MEMO.clear()


def timed_pass(func: Callable[[str], list[str]], posts: list[str]) -> float:
    start = time.perf_counter()
    for x in posts:
        func(x)
    return len(posts) / (time.perf_counter() - start)


def run(posts: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    cold: dict[str, list[float]] = {name: [] for name in METHODS}
    warm: dict[str, list[float]] = {name: [] for name in METHODS}
    names = list(METHODS)
    for r in range(repeat):
        # Rotate the order from one repeat to the next.
        for name in names[r % len(names) :] + names[: r % len(names)]:
            clear_memo()
            cold[name].append(timed_pass(METHODS[name], posts))
            warm[name].append(timed_pass(METHODS[name], posts))
    clear_memo()
    return {name: (statistics.median(cold[name]), statistics.median(warm[name])) for name in names}


def check(posts: list[str]) -> tuple[int, int, int]:
    """Untimed: (posts where preprocess != tokenize(normalize)), (non-idempotent
    normalize, outputs with '&' aside), (posts whose tokens differ from the plain chain)."""
    fused = sum(preprocess(x) != tokenize(normalize(x)) for x in posts)
    idem = 0
    for x in posts:
        once = normalize(x)
        if "&" not in once and normalize(once) != once:
            idem += 1
    differ = sum(preprocess(x) != plain_chain(x) for x in posts)
    clear_memo()
    return fused, idem, differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"directory of the shared corpora (default: ${DATA_DIR_ENV}, else ../shared/data)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="repeats (median reported)")
    parser.add_argument("--limit", type=int, default=None, help="use at most this many posts")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or default_data_dir()
    if not data_dir.is_dir():
        parser.error(f"data directory not found: {data_dir} (set --data-dir or ${DATA_DIR_ENV})")
    sources = load_sources(data_dir)
    posts = interleave(sources, args.limit)
    chars = sum(map(len, posts))

    print(
        f"python {platform.python_version()}, camel-tools {camel_tools.__version__}, "
        f"{platform.machine()}"
    )
    print("posts per source: " + ", ".join(f"{k} {len(v)}" for k, v in sources.items()))
    print(f"benchmarked: {len(posts)} posts, {chars / max(len(posts), 1):.0f} chars/post")
    fused, idem, differ = check(posts)
    print(
        f"checks: preprocess != tokenize(normalize): {fused}; normalize not idempotent: {idem}; "
        f"tokens differ from the plain chain: {differ} of {len(posts)}"
    )
    print()

    results = run(posts, args.repeat)
    plain_cold, plain_warm = results["plain CAMeL chain"]
    print(f"median of {args.repeat} interleaved repeats")
    print()
    print(
        "| method | cold posts/s | warm posts/s | cold ratio ours/plain | warm ratio ours/plain |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, (c, w) in results.items():
        print(f"| {name} | {c:,.0f} | {w:,.0f} | {c / plain_cold:.2f} | {w / plain_warm:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
