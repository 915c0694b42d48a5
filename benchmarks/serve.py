"""Throughput of the HTTP service (``aeclf serve``) on a loopback port.

Starts ``python -m arabic_extremism_clf serve`` on 127.0.0.1, sends batches of 1 and
of 100 posts, first from one client and then from a few concurrent ones, prints
requests/s, posts/s and latencies, and stops the server with SIGTERM. Every scenario
is bounded both in requests and in seconds.

Usage::

    python benchmarks/serve.py                      # shipped model, else a toy model
    python benchmarks/serve.py --model DIR --posts posts.txt --requests 200 --clients 4

The posts are synthetic neutral sentences (sport and weather words, numbers and
made-up words, about the length of a tweet) unless ``--posts`` names a UTF-8 file
with one post per line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HOST = "127.0.0.1"

_SPORT = [
    "فاز",
    "الفريق",
    "بالمباراة",
    "هدف",
    "رائع",
    "في",
    "الشوط",
    "الثاني",
    "اللاعب",
    "سجل",
    "هدفين",
    "المدرب",
    "يختار",
    "التشكيلة",
    "جمهور",
    "الملعب",
    "يهتف",
    "الدوري",
    "الكأس",
    "البطولة",
    "الحارس",
    "تصدى",
    "لركلة",
    "جزاء",
]
_WEATHER = [
    "طقس",
    "ممطر",
    "اليوم",
    "درجات",
    "الحرارة",
    "مرتفعة",
    "رياح",
    "وغيوم",
    "توقعات",
    "بهطول",
    "أمطار",
    "الجو",
    "مشمس",
    "وحار",
    "ضباب",
    "كثيف",
    "صباحا",
    "عاصفة",
    "رملية",
    "رطوبة",
    "عالية",
    "على",
    "المناطق",
    "الساحلية",
]
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def synthetic_posts(n: int, seed: int = 0) -> list[str]:
    """``n`` neutral posts of 8 to 30 words, with numbers, hashtags and made-up words."""
    rng = random.Random(seed)
    posts = []
    for _ in range(n):
        words = rng.choice((_SPORT, _WEATHER))
        post = []
        for _ in range(rng.randint(8, 30)):
            r = rng.random()
            if r < 0.15:  # an unseen word, so the character n-grams are really computed
                post.append("".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 8))))
            elif r < 0.2:
                post.append(str(rng.randint(1, 2025)))
            elif r < 0.23:
                post.append("#" + rng.choice(words))
            else:
                post.append(rng.choice(words))
        posts.append(" ".join(post))
    return posts


def read_posts(path: Path) -> list[str]:
    posts = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    posts = [p for p in posts if p]
    if not posts:
        raise SystemExit(f"{path}: no posts (expected one post per line)")
    return posts


def toy_model(directory: Path) -> Path:
    """Train and save a toy sport/weather model (label names borrowed from the real one)."""
    from arabic_extremism_clf.model import ExtremismClassifier
    from arabic_extremism_clf.persistence import save_model

    sport = [" ".join(_SPORT[i : i + 4]) for i in range(0, len(_SPORT) - 3, 2)]
    weather = [" ".join(_WEATHER[i : i + 4]) for i in range(0, len(_WEATHER) - 3, 2)]
    labels = ["promotional"] * len(sport) + ["not_promotional"] * len(weather)
    model = ExtremismClassifier(min_df=1, calibration_cv=2).fit(sport + weather, labels)
    return save_model(model, directory / "toy-model")


def default_model(scratch: Path) -> tuple[Path, str]:
    from arabic_extremism_clf.errors import ModelFileError
    from arabic_extremism_clf.persistence import default_model_path

    try:
        return default_model_path(), "shipped"
    except ModelFileError:
        return toy_model(scratch), "toy (no shipped model found)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(model: Path, port: int, log_path: Path, workers: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "arabic_extremism_clf", "serve", "--model", str(model),
        "--host", HOST, "--port", str(port), "--no-access-log", "--workers", str(workers),
    ]  # fmt: skip
    with log_path.open("wb") as log:
        # Its own process group, so that a kill also reaches --workers children.
        return subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def kill_group(process: subprocess.Popen) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def wait_ready(process: subprocess.Popen, url: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(encoding="utf-8", errors="replace")
            raise SystemExit(f"the server exited with {process.returncode}:\n{log}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    kill_group(process)
    raise SystemExit(f"the server did not start within {timeout}s:\n{log_path.read_text()}")


def run_scenario(
    client: httpx.Client,
    posts: list[str],
    batch: int,
    clients: int,
    requests: int,
    max_seconds: float,
    explain: bool,
) -> dict:
    """Send up to ``requests`` batches from ``clients`` threads, for at most ``max_seconds``."""
    deadline = time.monotonic() + max_seconds

    def one(i: int) -> float | None:
        if i > 0 and time.monotonic() > deadline:  # the first always runs: rates need one
            return None
        start = (i * batch) % len(posts)
        texts = [posts[(start + j) % len(posts)] for j in range(batch)]
        began = time.perf_counter()
        response = client.post("/classify", json={"texts": texts, "explain": explain})
        took = time.perf_counter() - began
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:300]}")
        if len(response.json()["results"]) != batch:
            raise RuntimeError("wrong number of results")
        return took

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = [t for t in pool.map(one, range(requests)) if t is not None]
    elapsed = time.perf_counter() - began
    latencies.sort()
    done = len(latencies)
    return {
        "batch": batch,
        "clients": clients,
        "requests": done,
        "seconds": elapsed,
        "req_s": done / elapsed,
        "posts_s": done * batch / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[min(done - 1, int(0.95 * done))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--model", type=Path, help="model directory (default: shipped, else toy)")
    add("--posts", type=Path, help="UTF-8 file, one post per line (default: synthetic)")
    add("--requests", type=int, default=200, help="most requests per scenario (default: 200)")
    add("--clients", type=int, default=4, help="concurrent clients (default: 4)")
    add("--max-seconds", type=float, default=20.0, help="most seconds a scenario (default: 20)")
    add("--workers", type=int, default=1, help="server processes (default: 1)")
    add("--explain", action="store_true", help="ask for explanations too")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.clients < 1 or args.max_seconds <= 0:
        parser.error("--requests, --clients and --max-seconds must be positive")

    with tempfile.TemporaryDirectory(prefix="aeclf-bench-") as scratch_name:
        scratch = Path(scratch_name)
        model, model_kind = (args.model, "given") if args.model else default_model(scratch)
        posts = read_posts(args.posts) if args.posts else synthetic_posts(2000)
        port = free_port()
        url = f"http://{HOST}:{port}"
        log_path = scratch / "server.log"
        started = time.perf_counter()
        process = start_server(model, port, log_path, args.workers)
        try:
            wait_ready(process, url, log_path, timeout=120.0)
            ready = time.perf_counter() - started
            print(f"model: {model} ({model_kind}); server ready in {ready:.1f}s")
            source = f"from {args.posts}" if args.posts else "synthetic"
            print(
                f"posts: {len(posts)} ({source}), mean {statistics.mean(map(len, posts)):.0f} "
                f"characters; workers: {args.workers}; explain: {args.explain}"
            )
            n = args.clients
            limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
            with httpx.Client(base_url=url, timeout=120.0, limits=limits) as client:
                for batch in (1, 100):  # warm up: first requests fill caches
                    run_scenario(client, posts, batch, 1, 3, 30.0, args.explain)
                rows = [
                    run_scenario(
                        client, posts, batch, clients, args.requests, args.max_seconds, args.explain
                    )
                    for batch in (1, 100)
                    for clients in sorted({1, n})
                ]
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                status = process.wait(30.0)
            except subprocess.TimeoutExpired:
                status = kill_group(process)
        columns = [("batch", 5), ("clients", 7), ("requests", 8), ("seconds", 7), ("req/s", 8),
                   ("posts/s", 8), ("p50 ms", 8), ("p95 ms", 8)]  # fmt: skip
        header = " ".join(f"{name:>{width}}" for name, width in columns)
        print(header)
        print("-" * len(header))
        for r in rows:
            print(
                f"{r['batch']:>5} {r['clients']:>7} {r['requests']:>8} {r['seconds']:>7.2f} "
                f"{r['req_s']:>8.1f} {r['posts_s']:>8.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
            )
        print(f"server stopped by SIGTERM with exit status {status}")
        return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
