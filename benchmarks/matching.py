"""Known-content matching: recall under edits, false matches, speed and size.

On neutral public text only (news posts and sentences, ordinary tweets): ASND, OSACT
2020 (rows labelled NOT_OFF), L-HSAB (rows labelled normal) and SaudiNewsNet content
sentences. Nothing is written except ``--save-sigs`` (signatures, no text) if given.

1. The pool: those posts, with at least ``--min-chars`` characters of match text,
   made "unrelated" by keeping one post per near-duplicate cluster (word-set Jaccard
   >= 0.5, exact, ``corpus.near_duplicate_clusters``; cached in ``--cache-dir``, as
   positions, since it takes minutes).
2. Known posts: ``--known`` (10,000) drawn from the pool (news sentences of the first
   two days of SaudiNewsNet; the unrelated ones come from the days after a gap of one,
   because papers reprint a press release on the next day); edited copies of them made by
   ``matching.edits`` with 1, 2, 4 and 6 random edits, and with one edit of each kind.
   Recall: the share of edited copies whose match is the post they were made from.
3. False matches: ``--unrelated`` (100,000) other posts of the pool (news from the other
   days) queried against the known posts; any match is counted as false.
4. Speed: query throughput on one core against 100k and 1M signatures: text in
   (normalization, shingles, MinHash, LSH, verification) and signatures in (LSH and
   verification only); build time; bytes per signature on disk and in memory, and the
   memory of a loaded 1M index in a fresh process. The pool has ~200k posts; the 1M
   index is the pool plus synthetic neutral posts: words of the pool drawn at random
   (by frequency), 8 to 40 a post.
5. Baselines in the same run: SHA-256 of the raw text, SHA-256 of ``normalize(text)``,
   and TLSH (``py-tlsh``, if installed; distance <= ``--tlsh-distance``, brute force,
   so on ``--tlsh-known`` known posts only).

``--grid`` also compares the candidate parameter sets (recall and false matches only).

Usage::

    nice -n 10 python benchmarks/matching.py [--data-dir DIR] [--grid] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from arabic_extremism_clf import corpus, normalize
from arabic_extremism_clf.matching import (
    DEFAULT_THRESHOLD,
    MatchParams,
    SignatureIndex,
    match_text,
    save_index,
    signatures,
)
from arabic_extremism_clf.matching.edits import EDITS, apply_edits

EDIT_COUNTS = (1, 2, 4, 6)
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75)
BATCH = 1000

#: Parameter sets compared by --grid (the first is the library default).
GRID = {
    "char4 P128 b16 21x6": MatchParams(),
    "char4 P128 b16 25x5": MatchParams(bands=25, rows=5),
    "char3 P128 b16 21x6": MatchParams(shingle_size=3),
    "char5 P128 b16 21x6": MatchParams(shingle_size=5),
    "char5 P128 b16 25x5": MatchParams(shingle_size=5, bands=25, rows=5),
    "char5 P128 b16 32x4": MatchParams(shingle_size=5, bands=32, rows=4),
    "char6 P128 b16 21x6": MatchParams(shingle_size=6),
    "char5 P64 b32 16x4": MatchParams(shingle_size=5, num_perm=64, hash_bits=32, bands=16, rows=4),
    "char4 P64 b32 10x6": MatchParams(num_perm=64, hash_bits=32, bands=10, rows=6),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- data ----------------------------------------------------------------------------


def _clusters(texts: list[str], cache_dir: Path) -> list[int]:
    """``near_duplicate_clusters(texts, 0.5)``, cached (positions only, no text)."""
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    cache = cache_dir / f"aeclf-match-clusters-{digest}.npy"
    if cache.is_file():
        return np.load(cache).tolist()
    t0 = time.perf_counter()
    clusters = corpus.near_duplicate_clusters(texts, threshold=0.5)
    log(f"near-duplicate clusters of {len(texts):,} posts in {time.perf_counter() - t0:.0f} s")
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(cache, np.array(clusters, dtype=np.int64))
    return clusters


def load_pool(data_dir: str | None, min_chars: int, cache_dir: Path) -> list[tuple[str, str, str]]:
    """Neutral posts as (text, source, date), one per near-duplicate cluster.

    ``date`` is the SaudiNewsNet extraction day ("" for the tweet corpora).
    """
    rows: list[tuple[str, str, str]] = []

    def take(name: str, c: corpus.Corpus, keep: set[str] | None = None) -> None:
        for text, meta in zip(c.texts, c.meta):
            if keep is None or meta.get("orig_label") in keep:
                rows.append((text, name, meta.get("date", "")))

    for split in ("train", "dev"):
        take("asnd", corpus.load_asnd(data_dir, split=split))
        take("osact2020", corpus.load_osact2020(data_dir, split=split), {"NOT_OFF/NOT_HS"})
    take("l-hsab", corpus.load_lhsab(data_dir), {"normal"})
    take("saudinewsnet", corpus.load_saudinewsnet(data_dir, kind="sentences", isis_only=False))
    log(f"loaded {len(rows):,} posts: {dict(Counter(r[1] for r in rows))}")
    rows = [r for r in rows if len(match_text(r[0])) >= min_chars]
    clusters = _clusters([r[0] for r in rows], cache_dir)
    firsts = [rows[i] for i, c in enumerate(clusters) if c == i]
    log(
        f"{len(rows):,} with >= {min_chars} chars of match text; {len(firsts):,} near-duplicate "
        "clusters (word Jaccard >= 0.5)"
    )
    return firsts


def split_pool(
    pool: list[tuple[str, str, str]], n_known: int, n_unrelated: int, seed: int
) -> tuple[list[int], list[int]]:
    """Known and unrelated positions: news of the first two days and of the days after a
    gap of one (papers reprint a press release on the next day), tweets and news posts at
    random."""
    rng = random.Random(seed)
    days = sorted({d for _, _, d in pool if d})
    known_days, later_days = set(days[:2]), set(days[3:])
    known_side = [i for i, (_, _, d) in enumerate(pool) if not d or d in known_days]
    rng.shuffle(known_side)
    known = known_side[:n_known]
    taken = set(known)
    rest = [i for i, (_, _, d) in enumerate(pool) if i not in taken and (not d or d in later_days)]
    rng.shuffle(rest)
    if len(known) < n_known or len(rest) < n_unrelated:
        raise SystemExit(f"the pool is too small: {len(known):,} known, {len(rest):,} unrelated")
    return known, rest[:n_unrelated]


def synthetic_posts(texts: list[str], n: int, seed: int) -> list[str]:
    """Word salad of neutral words: 8..40 words drawn by frequency from ``texts``."""
    rng = np.random.default_rng(seed)
    words = np.array([w for t in texts[:50_000] for w in t.split()], dtype=object)
    lengths = rng.integers(8, 41, n)
    picks = rng.integers(0, len(words), int(lengths.sum()))
    out, at = [], 0
    for length in lengths.tolist():
        out.append(" ".join(words[picks[at : at + length]].tolist()))
        at += length
    return out


# --- matching helpers ------------------------------------------------------------------


def sign_all(texts: list[str], params: MatchParams) -> tuple[np.ndarray, np.ndarray]:
    sigs, signed = [], []
    for i in range(0, len(texts), BATCH):
        s, ok = signatures(texts[i : i + BATCH], params)
        sigs.append(s)
        signed.append(ok)
    return np.concatenate(sigs), np.concatenate(signed)


def query_all(
    index: SignatureIndex, qsigs: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    best, sim = [], []
    for i in range(0, len(qsigs), BATCH):
        b, s = index.query(qsigs[i : i + BATCH], threshold)
        best.append(b)
        sim.append(s)
    return np.concatenate(best), np.concatenate(sim)


def matched_ids(
    index: SignatureIndex, texts: list[str], threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the matched index position (-1: none or too short) and similarity."""
    qsigs, signed = sign_all(texts, index.params)
    best = np.full(len(texts), -1)
    sim = np.zeros(len(texts))
    b, s = query_all(index, qsigs, threshold)
    best[signed], sim[signed] = b, s
    return best, sim


def edited_sets(known: list[str], seed: int) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for n in EDIT_COUNTS:
        rng = random.Random(seed * 100 + n)
        sets[f"{n} edits"] = [apply_edits(t, n, rng)[0] for t in known]
    for name in EDITS:
        rng = random.Random(f"{seed}-{name}")
        sets[f"1 x {name}"] = [apply_edits(t, [name], rng)[0] for t in known[:2000]]
    return sets


def evaluate_params(
    params: MatchParams, known: list[str], edited: dict[str, list[str]], unrelated: list[str]
) -> dict:
    """Recall per edit set and false matches at each threshold of THRESHOLDS."""
    t0 = time.perf_counter()
    index = SignatureIndex(params)
    signed = index.add_texts(known, ids=list(range(len(known))))
    index.build()
    build = time.perf_counter() - t0
    position_of = np.full(len(known), -1)
    position_of[np.flatnonzero(signed)] = np.arange(int(signed.sum()))
    low = min(THRESHOLDS)
    result: dict = {"indexed": int(signed.sum()), "build_s": build, "recall": {}, "false": {}}
    for name, texts in edited.items():
        n = len(texts)
        target = position_of[:n]
        ok_rows = target >= 0  # recall over the known posts that were indexed
        best, sim = matched_ids(index, texts, low)
        result["recall"][name] = {
            t: float(((best == target) & (sim >= t))[ok_rows].mean()) for t in THRESHOLDS
        }
    best, sim = matched_ids(index, unrelated, low)
    result["false"] = {t: int(((best >= 0) & (sim >= t)).sum()) for t in THRESHOLDS}
    result["false_max_similarity"] = float(sim.max()) if len(sim) else 0.0
    return result


# --- baselines -------------------------------------------------------------------------


def sha_baseline(known: list[str], edited: dict[str, list[str]], unrelated: list[str], key) -> dict:
    digests = {
        hashlib.sha256(key(t).encode("utf-8", "surrogatepass")).digest(): i
        for i, t in enumerate(known)
    }
    out = {"recall": {}, "false": 0}
    for name, texts in edited.items():
        hits = [
            digests.get(hashlib.sha256(key(t).encode("utf-8", "surrogatepass")).digest()) == i
            for i, t in enumerate(texts)
        ]
        out["recall"][name] = float(np.mean(hits))
    out["false"] = sum(
        hashlib.sha256(key(t).encode("utf-8", "surrogatepass")).digest() in digests
        for t in unrelated
    )
    return out


def tlsh_baseline(
    known: list[str], edited: dict[str, list[str]], unrelated: list[str], distance: int
) -> dict | None:
    try:
        import tlsh
    except ImportError:
        return None

    def digest(t: str) -> str:
        h = tlsh.hash(t.encode("utf-8", "surrogatepass"))
        return h if h and h != "TNULL" else ""

    known_h = [digest(t) for t in known]
    valid = [(i, h) for i, h in enumerate(known_h) if h]

    def best(t: str) -> int:
        h = digest(t)
        if not h:
            return -1
        scores = [(tlsh.diff(h, kh), i) for i, kh in valid]
        d, i = min(scores)
        return i if d <= distance else -1

    out = {"recall": {}, "hashable": len(valid), "known": len(known)}
    for name, texts in edited.items():
        texts = texts[: len(known)]
        out["recall"][name] = float(np.mean([best(t) == i for i, t in enumerate(texts)]))
    out["false"] = sum(best(t) >= 0 for t in unrelated)
    out["unrelated"] = len(unrelated)
    return out


# --- speed -----------------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def speed(
    params: MatchParams,
    real: list[str],
    sizes: list[int],
    queries: list[str],
    seed: int,
    threshold: float,
) -> list[dict]:
    """Build indexes of each size (real posts first, then synthetic) and time queries."""
    rows = []
    need = max(sizes)
    t0 = time.perf_counter()
    texts = real[:need] + synthetic_posts(real, max(0, need - len(real)) + need // 20, seed)
    gen_s = time.perf_counter() - t0
    log(
        f"{len(texts):,} posts for the speed indexes ({min(len(real), need):,} real), generated in {gen_s:.0f} s"
    )
    t0 = time.perf_counter()
    sigs, signed = sign_all(texts, params)
    sign_s = time.perf_counter() - t0
    log(f"signed {len(texts):,} posts in {sign_s:.0f} s ({len(texts) / sign_s:,.0f}/s)")
    del texts
    gc.collect()
    sigs = sigs[:need]
    qsigs, qsigned = sign_all(queries, params)
    for size in sizes:
        rss0 = rss_mb()
        t0 = time.perf_counter()
        index = SignatureIndex(params)
        index.add(sigs[:size], list(range(size)))
        index.build()
        table_s = time.perf_counter() - t0
        rss1 = rss_mb()
        # text in: the whole path, batches of BATCH
        t0 = time.perf_counter()
        n_text = 0
        for i in range(0, len(queries), BATCH):
            index.match(queries[i : i + BATCH], threshold)
            n_text += len(queries[i : i + BATCH])
        text_qps = n_text / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        best, _ = query_all(index, qsigs, threshold)
        sig_qps = len(qsigs) / (time.perf_counter() - t0)
        with tempfile.TemporaryDirectory() as tmp:
            save_index(index, tmp)
            disk = (Path(tmp) / "signatures.npz").stat().st_size
            fresh = fresh_process_memory(tmp)
        rows.append(
            {
                "size": size,
                "text_qps": text_qps,
                "sig_qps": sig_qps,
                "matched": int((best >= 0).sum()),
                "queries": len(queries),
                "build_s": sign_s * size / len(sigs) + table_s,
                "table_s": table_s,
                "disk_bytes_per_sig": disk / size,
                "memory_bytes_per_sig": index.nbytes / size,
                "rss_delta_mb": rss1 - rss0,
                "fresh": fresh,
            }
        )
        log(json.dumps(rows[-1]))
        del index
        gc.collect()
    return rows


_FRESH = """
import json, sys, time
from pathlib import Path
def rss(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
import numpy, arabic_extremism_clf.matching as m
base = rss("VmRSS:")
t0 = time.perf_counter()
index, _ = m.load_index(sys.argv[1])
index.build()
print(json.dumps({"load_s": time.perf_counter() - t0, "rss_mb": rss("VmRSS:") - base, "peak_mb": rss("VmHWM:")}))
"""


def fresh_process_memory(path: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _FRESH, path], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


# --- report ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--known", type=int, default=10_000)
    parser.add_argument("--unrelated", type=int, default=100_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--min-chars", type=int, default=30)
    parser.add_argument("--tlsh-known", type=int, default=1000)
    parser.add_argument("--tlsh-unrelated", type=int, default=10_000)
    parser.add_argument("--tlsh-distance", type=int, default=50)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--grid", action="store_true", help="compare the parameter sets of GRID")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1/10 of the sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cache-dir",
        default=tempfile.gettempdir(),
        help="where the near-duplicate clusters are cached (positions, no text)",
    )
    args = parser.parse_args()
    if args.quick:
        args.known //= 10
        args.unrelated //= 10
        args.sizes = [s // 10 for s in args.sizes]
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}"
    )
    pool = load_pool(args.data_dir, args.min_chars, Path(args.cache_dir))
    known_at, unrelated_at = split_pool(pool, args.known, args.unrelated, args.seed)
    known = [pool[i][0] for i in known_at]
    unrelated = [pool[i][0] for i in unrelated_at]
    print(
        f"pool {len(pool):,} posts ({dict(Counter(r[1] for r in pool))}); known {len(known):,} "
        f"({dict(Counter(pool[i][1] for i in known_at))}); unrelated queries {len(unrelated):,} "
        f"({dict(Counter(pool[i][1] for i in unrelated_at))}); news of days 1-2 known, "
        "of days 4+ unrelated"
    )
    edited = edited_sets(known, args.seed)
    grid = GRID if args.grid else {"default": MatchParams()}
    results = {}
    for name, params in grid.items():
        t0 = time.perf_counter()
        results[name] = evaluate_params(params, known, edited, unrelated)
        log(f"{name}: {time.perf_counter() - t0:.0f} s")
    t = args.threshold
    print(
        f"\n## Recall of edited copies and false matches in {len(unrelated):,} unrelated posts "
        f"(index of {len(known):,}), threshold {t}"
    )
    names = [n for n in edited if n.endswith("edits")]
    print("| method | indexed | " + " | ".join(f"recall {n}" for n in names) + " | false matches |")
    print("|---|---:|" + "---:|" * (len(names) + 1))
    for name, r in results.items():
        cells = " | ".join(f"{r['recall'][n][t]:.3f}" for n in names)
        print(f"| MinHash LSH {name} | {r['indexed']:,} | {cells} | {r['false'][t]} |")
    base = {
        "SHA-256 of raw text": sha_baseline(known, edited, unrelated, lambda x: x),
        "SHA-256 of normalize(text)": sha_baseline(known, edited, unrelated, normalize),
    }
    for name, r in base.items():
        cells = " | ".join(f"{r['recall'][n]:.3f}" for n in names)
        print(f"| {name} | {len(known):,} | {cells} | {r['false']} |")
    tl = tlsh_baseline(
        known[: args.tlsh_known], edited, unrelated[: args.tlsh_unrelated], args.tlsh_distance
    )
    if tl is None:
        print("| TLSH | not installed | | | | | |")
    else:
        cells = " | ".join(f"{tl['recall'][n]:.3f}" for n in names)
        print(
            f"| TLSH raw text, distance <= {args.tlsh_distance} ({tl['known']:,} known, {tl['unrelated']:,} unrelated) "
            f"| {tl['hashable']:,} | {cells} | {tl['false']} |"
        )

    print("\n## Threshold sweep: recall at 2 / 4 / 6 edits, false matches")
    print("| method | " + " | ".join(f"t={x}" for x in THRESHOLDS) + " | max false similarity |")
    print("|---|" + "---|" * (len(THRESHOLDS) + 1))
    for name, r in results.items():
        cells = " | ".join(
            f"{r['recall']['2 edits'][x]:.3f} / {r['recall']['4 edits'][x]:.3f} / "
            f"{r['recall']['6 edits'][x]:.3f} / {r['false'][x]}"
            for x in THRESHOLDS
        )
        print(f"| {name} | {cells} | {r['false_max_similarity']:.3f} |")

    first = next(iter(results))
    print(
        f"\n## Recall by edit kind (one edit, {len(edited['1 x diacritics']):,} posts, {first}, threshold {t})"
    )
    print("| edit | MinHash LSH | SHA-256 raw | SHA-256 normalized |")
    print("|---|---:|---:|---:|")
    for n in edited:
        if n.startswith("1 x "):
            print(
                f"| {n[4:]} | {results[first]['recall'][n][t]:.3f} | {base['SHA-256 of raw text']['recall'][n]:.3f} | "
                f"{base['SHA-256 of normalize(text)']['recall'][n]:.3f} |"
            )

    if not args.no_speed:
        queries = [
            apply_edits(x, 2, random.Random(i))[0] for i, x in enumerate(known[:5000])
        ] + unrelated[:15_000]
        # The index: every pool post but the unrelated queries (the known posts first).
        asked = set(unrelated_at[:15_000])
        taken = set(known_at)
        real = [pool[i][0] for i in known_at] + [
            pool[i][0] for i in range(len(pool)) if i not in asked and i not in taken
        ]
        rows = speed(MatchParams(), real, args.sizes, queries, args.seed, t)
        print(
            f"\n## Speed, one process (default parameters; {len(queries):,} queries: 1/4 edited "
            "known posts, 3/4 posts not in the index; batches of 1,000)"
        )
        print(
            "| index | build s | text in: queries/s | signatures in: queries/s | bytes/signature on disk | "
            "in memory | RSS of the loaded index (fresh process) | load + build s |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(
                f"| {r['size']:,} | {r['build_s']:.1f} | {r['text_qps']:,.0f} | {r['sig_qps']:,.0f} | "
                f"{r['disk_bytes_per_sig']:.0f} | {r['memory_bytes_per_sig']:.0f} | {r['fresh']['rss_mb']:.0f} MB | "
                f"{r['fresh']['load_s']:.1f} |"
            )
        sha_t0 = time.perf_counter()
        for q in queries:
            hashlib.sha256(normalize(q).encode("utf-8", "surrogatepass")).digest()
        print(
            f"(SHA-256 of normalize(text), same queries: {len(queries) / (time.perf_counter() - sha_t0):,.0f} queries/s)"
        )


if __name__ == "__main__":
    main()
