"""The HTTP service: the real server on a loopback port, talked to over HTTP.

Most tests start ``python -m arabic_extremism_clf serve`` as a subprocess on
127.0.0.1 and use httpx; a few use FastAPI's in-process ``TestClient`` where the test
needs to reach into the process (a scoring call held open on purpose). The model is
a toy one trained on neutral sport and weather posts, whose labels merely borrow the
names of the real ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
httpx = pytest.importorskip("httpx")

from arabic_extremism_clf._version import __version__  # noqa: E402
from arabic_extremism_clf.model import ExtremismClassifier  # noqa: E402
from arabic_extremism_clf.persistence import load_model, save_model  # noqa: E402

HOST = "127.0.0.1"
#: Small limits so the over-the-limit requests stay small.
MAX_BATCH = 20
MAX_BODY_BYTES = 20_000
MAX_TEXT_CHARS = 500
MAX_TOP = 15
#: Seconds a server may take to start (importing CAMeL Tools and loading the model).
START_TIMEOUT = 90.0

SPORT = [
    "فاز الفريق بالمباراة",
    "هدف رائع في المباراة",
    "الفريق بطل الدوري",
    "اللاعب سجل هدفين",
    "المدرب يختار التشكيلة",
    "جمهور الملعب يهتف",
]
WEATHER = [
    "طقس ممطر اليوم",
    "درجات الحرارة مرتفعة",
    "رياح وغيوم اليوم",
    "توقعات بهطول أمطار",
    "الجو مشمس وحار",
    "ضباب كثيف صباحا",
]
#: Toy label names: "sport" plays the flagged label, "weather" the other.
FLAGGED, OTHER = "promotional", "not_promotional"
QUERIES = ["مباراة الفريق اليوم", "أمطار ورياح", "هدف اللاعب", "الحرارة والغيوم"]
EXPECTED = [FLAGGED, OTHER, FLAGGED, OTHER]


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = ExtremismClassifier(min_df=1, calibration_cv=2)
    model.fit(SPORT + WEATHER, [FLAGGED] * len(SPORT) + [OTHER] * len(WEATHER))
    path = tmp_path_factory.mktemp("served") / "model"
    save_model(model, path, metrics={"toy": True})
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """A ``python -m arabic_extremism_clf serve`` subprocess on a loopback port."""

    def __init__(self, model_dir: Path, log_path: Path, *extra: str) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        command = [
            sys.executable, "-m", "arabic_extremism_clf", "serve",
            "--model", str(model_dir), "--host", HOST, "--port", str(self.port),
            "--max-batch", str(MAX_BATCH), "--max-body-bytes", str(MAX_BODY_BYTES),
            "--max-text-chars", str(MAX_TEXT_CHARS), "--max-top", str(MAX_TOP), *extra,
        ]  # fmt: skip
        # A file, not a pipe: an unread pipe fills up and blocks the server's logging.
        self._log = log_path.open("wb")
        # Its own process group, so that stop() also reaches --workers children.
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"the server did not answer /health within {START_TIMEOUT}s:\n{self.log()}")

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, then the exit status (killing it if it does not stop in time)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill_group()
            pytest.fail(f"the server did not stop within {timeout}s of SIGTERM:\n{self.log()}")
        finally:
            self._log.close()

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Kill the server and any workers it left (a no-op after a clean stop)."""
        self._kill_group()
        self._log.close()


@pytest.fixture(scope="module")
def server(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("server-log") / "server.log"
    running = Server(model_dir, log, "--no-access-log")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30.0) as http:
        yield http


def _post_json(client: httpx.Client, body: object) -> httpx.Response:
    return client.post("/classify", json=body)


def _assert_still_serving(client: httpx.Client, server: Server) -> None:
    assert server.process.poll() is None, server.log()
    response = _post_json(client, {"texts": QUERIES})
    assert response.status_code == 200, response.text
    assert [r["label"] for r in response.json()["results"]] == EXPECTED


# --- the happy path ------------------------------------------------------------------


def test_health(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_classify_returns_one_result_per_text_in_order(
    client: httpx.Client, model_dir: Path
) -> None:
    response = _post_json(client, {"texts": QUERIES})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    expected = [p.to_dict() for p in load_model(model_dir).classify(QUERIES)]
    got = [{k: r[k] for k in ("label", "confidence", "scores")} for r in body["results"]]
    assert got == expected
    assert [r["label"] for r in body["results"]] == EXPECTED
    for result in body["results"]:
        assert result["id"] is None
        assert "explanation" not in result
        assert result["confidence"] == result["scores"][result["label"]]
        assert sum(result["scores"].values()) == pytest.approx(1.0)
    assert body["model"]["threshold"] == 0.5
    assert body["model"]["flagged_label"] == FLAGGED
    assert body["model"]["version"] == __version__
    assert len(body["model"]["id"]) == 16


def test_ids_are_echoed_in_order(client: httpx.Client) -> None:
    ids = ["post-1", 2, "post-3", 4]
    response = _post_json(client, {"texts": QUERIES, "ids": ids})
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["results"]] == ids


@pytest.mark.parametrize("threshold", [0.0, 0.3, 1.0])
def test_threshold_override(client: httpx.Client, model_dir: Path, threshold: float) -> None:
    response = _post_json(client, {"texts": QUERIES, "threshold": threshold})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = load_model(model_dir).classify(QUERIES, threshold=threshold)
    assert [r["label"] for r in body["results"]] == [p.label for p in expected]
    assert body["model"]["threshold"] == threshold
    if threshold == 0.0:  # every post reaches a threshold of 0
        assert {r["label"] for r in body["results"]} == {FLAGGED}


def test_threshold_override_does_not_stick(client: httpx.Client) -> None:
    assert _post_json(client, {"texts": QUERIES, "threshold": 0.0}).status_code == 200
    body = _post_json(client, {"texts": QUERIES}).json()
    assert [r["label"] for r in body["results"]] == EXPECTED
    assert body["model"]["threshold"] == 0.5


def test_explain(client: httpx.Client, model_dir: Path) -> None:
    response = _post_json(client, {"texts": QUERIES[:2], "explain": True, "top": 3})
    assert response.status_code == 200, response.text
    model = load_model(model_dir)
    for text, result in zip(QUERIES[:2], response.json()["results"]):
        explanation = result["explanation"]
        assert explanation["label"] == FLAGGED
        expected = model.explain(text, label=FLAGGED, top=3)
        assert explanation["ngrams"] == [
            {"feature": c.feature, "weight": c.weight} for c in expected
        ]
        assert 1 <= len(explanation["ngrams"]) <= 3
        assert all(g["feature"][:2] in ("w:", "c:") for g in explanation["ngrams"])


def test_empty_batch_and_odd_texts(client: httpx.Client) -> None:
    response = _post_json(client, {"texts": []})
    assert response.status_code == 200
    assert response.json()["results"] == []
    odd = ["", "   ", "\x00", "😀" * 50, "a" * MAX_TEXT_CHARS, "abc 123"]
    response = _post_json(client, {"texts": odd})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]) == len(odd)


def test_model_manifest(client: httpx.Client, model_dir: Path) -> None:
    response = client.get("/model")
    assert response.status_code == 200
    manifest = response.json()
    saved = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["classes"] == [OTHER, FLAGGED]
    assert manifest["library"]["version"] == __version__
    assert manifest["metrics"] == {"toy": True}
    assert manifest["threshold"] == 0.5
    assert not {"files", "arrays", "n_iter"} & set(manifest)
    assert {k: v for k, v in saved.items() if k in manifest} == manifest


def test_openapi_describes_the_endpoints_and_limits(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert {"/classify", "/health", "/model"} <= set(spec["paths"])
    request = spec["components"]["schemas"]["ClassifyRequest"]
    assert request["required"] == ["texts"]
    assert request["properties"]["texts"]["maxItems"] == MAX_BATCH
    assert request["properties"]["texts"]["items"]["maxLength"] == MAX_TEXT_CHARS
    assert client.get("/docs").status_code == 200


# --- bad requests --------------------------------------------------------------------

JSON = {"content-type": "application/json"}


def _json_bytes(value: object) -> bytes:
    return json.dumps(value).encode("utf-8")


#: (id, body bytes, headers, status, words the message must contain)
BAD_REQUESTS = [
    ("malformed-json", b'{"texts": ["a", ', JSON, 400, ["not valid JSON"]),
    ("not-json-at-all", b"texts=a&texts=b", JSON, 400, ["not valid JSON"]),
    ("deeply-nested-json", b'{"texts": ' + b"[" * 5000 + b"]" * 5000 + b"}", JSON, 400,
     ["nested too deeply"]),
    ("no-content-type", _json_bytes({"texts": ["a"]}), {}, 422, ["Content-Type: application/json"]),
    ("empty-body", b"", JSON, 422, ["body is empty"]),
    ("body-not-an-object", _json_bytes(["a", "b"]), JSON, 422, ["JSON object", "found an array"]),
    ("texts-missing", _json_bytes({}), JSON, 422, ["texts", "missing"]),
    ("texts-misspelt", _json_bytes({"text": ["a"]}), JSON, 422,
     ["texts: required but missing", "text: unknown field"]),
    ("texts-a-string", _json_bytes({"texts": "a post"}), JSON, 422,
     ["texts: expected an array, found a string"]),
    ("texts-null", _json_bytes({"texts": None}), JSON, 422,
     ["texts: expected an array, found null"]),
    ("texts-an-object", _json_bytes({"texts": {"a": 1}}), JSON, 422,
     ["texts: expected an array, found an object"]),
    ("non-string-item", _json_bytes({"texts": ["a", 7, None]}), JSON, 422,
     ["texts[1]: expected a string, found an integer", "texts[2]: expected a string, found null"]),
    ("nested-list-item", _json_bytes({"texts": [["a"]]}), JSON, 422,
     ["texts[0]: expected a string, found an array"]),
    ("lone-surrogate", b'{"texts": ["\\ud800"]}', JSON, 422, ["texts[0]", "surrogate"]),
    ("ids-length-mismatch", _json_bytes({"texts": ["a", "b"], "ids": [1]}), JSON, 422,
     ["ids has 1 items but texts has 2"]),
    ("ids-not-a-list", _json_bytes({"texts": ["a"], "ids": "x"}), JSON, 422, ["ids"]),
    ("id-a-boolean", _json_bytes({"texts": ["a"], "ids": [True]}), JSON, 422,
     ["ids[0]: expected a string or an integer, found a boolean"]),
    ("threshold-above-1", _json_bytes({"texts": ["a"], "threshold": 1.5}), JSON, 422,
     ["threshold: expected a number from 0 to 1, found 1.5"]),
    ("threshold-negative", _json_bytes({"texts": ["a"], "threshold": -0.1}), JSON, 422,
     ["threshold: expected a number from 0 to 1"]),
    ("threshold-a-string", _json_bytes({"texts": ["a"], "threshold": "0.5"}), JSON, 422,
     ["threshold: expected a number from 0 to 1"]),
    ("threshold-nan", b'{"texts": ["a"], "threshold": NaN}', JSON, 422,
     ["threshold: expected a number from 0 to 1, found NaN"]),
    ("top-over-limit", _json_bytes({"texts": ["a"], "top": MAX_TOP + 1}), JSON, 422,
     [f"top: expected an integer from 1 to {MAX_TOP}"]),
    ("top-huge-integer", b'{"texts": ["a"], "top": 1' + b"0" * 5000 + b"}", JSON, 400,
     ["could not be parsed as JSON"]),
    ("explain-not-boolean", _json_bytes({"texts": ["a"], "explain": "yes"}), JSON, 422,
     ["explain: expected true or false"]),
    ("batch-over-limit", _json_bytes({"texts": ["a"] * (MAX_BATCH + 1)}), JSON, 422,
     [f"{MAX_BATCH + 1} texts", f"limit of {MAX_BATCH} per request"]),
    ("text-over-limit", _json_bytes({"texts": ["a" * (MAX_TEXT_CHARS + 1)]}), JSON, 422,
     [f"texts[0]: {MAX_TEXT_CHARS + 1} characters", f"limit of {MAX_TEXT_CHARS}"]),
    ("body-over-limit", _json_bytes({"texts": ["a" * 400] * 60}), JSON, 413,
     [f"limit of {MAX_BODY_BYTES} bytes"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_REQUESTS],
)
def test_bad_request_gets_a_4xx_that_says_why(
    client: httpx.Client,
    server: Server,
    body: bytes,
    headers: dict[str, str],
    status: int,
    words: list[str],
) -> None:
    response = client.post("/classify", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    for word in words:
        assert word in detail
    _assert_still_serving(client, server)


def test_body_over_limit_sent_in_chunks(client: httpx.Client, server: Server) -> None:
    """Without a Content-Length the body is counted as it arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"texts": ['
        for _ in range(60):
            yield b'"' + b"a" * 400 + b'", '
        yield b'"a"]}'

    response = client.post("/classify", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text
    assert f"limit of {MAX_BODY_BYTES} bytes" in response.json()["detail"]
    _assert_still_serving(client, server)


def test_chunked_body_under_limit_is_accepted(client: httpx.Client) -> None:
    body = _json_bytes({"texts": QUERIES})
    response = client.post("/classify", content=iter([body[:7], body[7:]]), headers=JSON)
    assert response.status_code == 200, response.text
    assert [r["label"] for r in response.json()["results"]] == EXPECTED


def test_wrong_method_and_path(client: httpx.Client, server: Server) -> None:
    assert client.get("/classify").status_code == 405
    assert client.post("/nowhere", json={"texts": ["a"]}).status_code == 404
    _assert_still_serving(client, server)


def test_garbage_on_the_socket_does_not_hurt(client: httpx.Client, server: Server) -> None:
    for garbage in (b"NOT HTTP AT ALL\r\n\r\n", b"\x00\xff" * 100, b"POST /classify HTTP/1.1\r\n"):
        with socket.create_connection((HOST, server.port), timeout=5) as sock:
            sock.sendall(garbage)
            sock.shutdown(socket.SHUT_WR)
            try:
                while sock.recv(4096):
                    pass
            except OSError:
                pass
    _assert_still_serving(client, server)


# --- concurrency ---------------------------------------------------------------------


def test_burst_of_concurrent_requests_all_answered(server: Server) -> None:
    n_requests = 50
    with httpx.Client(
        base_url=server.url,
        timeout=60.0,
        limits=httpx.Limits(max_connections=n_requests, max_keepalive_connections=n_requests),
    ) as http:

        def one(i: int) -> httpx.Response:
            # Each request a different batch, so a mix-up between requests would show.
            k = 1 + i % len(QUERIES)
            if i % 10 == 9:
                return http.get("/health")
            ids = [f"{i}-{j}" for j in range(k)]
            body = {"texts": QUERIES[:k], "ids": ids, "explain": i % 2 == 0}
            return http.post("/classify", json=body)

        with ThreadPoolExecutor(max_workers=n_requests) as pool:
            responses = list(pool.map(one, range(n_requests)))
    assert [r.status_code for r in responses] == [200] * n_requests
    for i, response in enumerate(responses):
        if i % 10 == 9:
            assert response.json() == {"status": "ok"}
            continue
        k = 1 + i % len(QUERIES)
        results = response.json()["results"]
        assert [r["id"] for r in results] == [f"{i}-{j}" for j in range(k)]
        assert [r["label"] for r in results] == EXPECTED[:k]
        assert all(("explanation" in r) == (i % 2 == 0) for r in results)
    assert server.process.poll() is None


# --- stopping, starting and failing to start -----------------------------------------


def test_sigterm_stops_the_server_cleanly(model_dir: Path, tmp_path: Path) -> None:
    running = Server(model_dir, tmp_path / "server.log")
    try:
        running.wait_ready()
        assert httpx.post(f"{running.url}/classify", json={"texts": QUERIES}).status_code == 200
        started = time.monotonic()
        status = running.terminate(timeout=15.0)
        took = time.monotonic() - started
    finally:
        running.stop()
    log = running.log()
    assert status == 0, log
    assert took < 10.0
    assert "Shutting down" in log and "Finished server process" in log
    assert "Traceback" not in log
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{running.url}/health", timeout=2.0)


def test_several_workers_serve_and_stop_cleanly(model_dir: Path, tmp_path: Path) -> None:
    running = Server(model_dir, tmp_path / "server.log", "--workers", "2", "--no-access-log")
    try:
        running.wait_ready()
        with httpx.Client(base_url=running.url, timeout=30.0) as http:
            for _ in range(4):
                response = http.post("/classify", json={"texts": QUERIES})
                assert response.status_code == 200, response.text
                assert [r["label"] for r in response.json()["results"]] == EXPECTED
            # Keep-alive requests must not wait ~40 ms on Nagle's algorithm and delayed
            # ACKs (uvicorn#3149: its workers' sockets lose TCP_NODELAY).
            latencies = []
            for _ in range(21):
                began = time.perf_counter()
                assert http.post("/classify", json={"texts": QUERIES[:1]}).status_code == 200
                latencies.append(time.perf_counter() - began)
            assert sorted(latencies)[10] < 0.035, latencies
        status = running.terminate(timeout=30.0)
    finally:
        running.stop()
    assert status == 0, running.log()
    assert "Traceback" not in running.log()


def _aeclf(*args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arabic_extremism_clf", *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_port_in_use_is_an_error(model_dir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _aeclf("serve", "--model", str(model_dir), "--host", HOST, "--port", str(port))
    assert done.returncode == 1, done.stderr
    assert f"could not start on {HOST}:{port}" in done.stderr


def test_missing_model_is_an_error(tmp_path: Path) -> None:
    from arabic_extremism_clf.cli import main

    missing = tmp_path / "no-such-model"
    assert main(["serve", "--model", str(missing), "--port", str(_free_port())]) == 1


@pytest.mark.parametrize(
    "args", [["--port", "0"], ["--port", "70000"], ["--max-batch", "0"], ["--workers", "x"]]
)
def test_bad_flags_are_usage_errors(args: list[str]) -> None:
    from arabic_extremism_clf.cli import main

    assert main(["serve", *args]) == 2


# --- in process ----------------------------------------------------------------------


def test_scoring_does_not_block_the_event_loop(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one batch is being scored, the server keeps answering other requests."""
    from fastapi.testclient import TestClient

    from arabic_extremism_clf.scoring_model import ScoringFeatures
    from arabic_extremism_clf.server import create_app

    entered, release = threading.Event(), threading.Event()
    transform = ScoringFeatures.transform_rows  # the service loads the model for scoring

    def held_transform(self, texts, *args, **kwargs):
        texts = list(texts)
        if texts == ["held"]:
            entered.set()
            assert release.wait(30.0), "the test never released the held request"
        return transform(self, texts, *args, **kwargs)

    monkeypatch.setattr(ScoringFeatures, "transform_rows", held_transform)
    with TestClient(create_app(model_dir)) as http, ThreadPoolExecutor(1) as pool:
        held = pool.submit(http.post, "/classify", json={"texts": ["held"]})
        try:
            assert entered.wait(30.0), "the held request never reached the model"
            assert http.get("/health").json() == {"status": "ok"}
            response = http.post("/classify", json={"texts": QUERIES})
            assert [r["label"] for r in response.json()["results"]] == EXPECTED
            assert not held.done()
        finally:
            release.set()
        assert held.result(timeout=30.0).status_code == 200


def test_create_app_checks_its_limits(model_dir: Path) -> None:
    from arabic_extremism_clf.server import create_app

    names = ("max_batch", "max_body_bytes", "max_text_chars", "max_top", "max_concurrent_batches")
    for name in names:
        with pytest.raises(ValueError, match=f"{name} must be a positive int"):
            create_app(model_dir, **{name: 0})


def test_missing_fastapi_says_how_to_install(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arabic_extremism_clf.server import create_app

    monkeypatch.setitem(sys.modules, "fastapi", None)  # makes ``import fastapi`` fail
    with pytest.raises(ImportError, match=r"pip install 'arabic-extremism-clf\[serve\]'"):
        create_app(model_dir)


def test_importing_the_cli_does_not_import_fastapi() -> None:
    code = (
        "import sys; import arabic_extremism_clf.cli.serve; "
        "print('fastapi' in sys.modules, 'arabic_extremism_clf.model' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
