"""The review application's HTTP guards, through FastAPI's test client (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from arabic_extremism_clf.review.app import allowed_hosts, create_review_app
from arabic_extremism_clf.review.store import QueueItem, ReviewStore

QUEUE = "1" * 64
TOKEN = "secret-token-42"
DECISION = {"position": 0, "label": "unsure", "reviewer": "alice"}


@pytest.fixture
def store(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    item = QueueItem(
        "فاز الفريق", 1, None, "promotional", 0.8, 0.8,
        {"label": "promotional", "ngrams": [{"feature": "w:فاز", "weight": 0.4}]},
    )  # fmt: skip
    store.save_queue(
        QUEUE, [item], input_name="t.txt", model_name="toy", model_version="0", model_id="i",
        order_by="input", flagged_label="promotional", threshold=0.5, n_rows=1,
    )  # fmt: skip
    return store


def _client(store, **options) -> TestClient:
    app = create_review_app(store, QUEUE, hosts=allowed_hosts("127.0.0.1", 8765), **options)
    return TestClient(app, base_url="http://127.0.0.1:8765")


def _session(client: TestClient) -> str:
    assert client.get("/").status_code == 200
    return client.get("/api/state").json()["csrf"]


def _events(store) -> int:
    with store.connect() as conn:
        return conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]


def test_page_headers_and_item_segments(store):
    client = _client(store)
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../store.py").status_code == 404
    item = client.get("/api/item").json()["item"]
    assert [(s["text"], s["weight"]) for s in item["segments"]] == [("فاز", 0.4), (" الفريق", 0.0)]


def test_post_needs_session_csrf_json_and_same_origin(store):
    client = _client(store)
    csrf = _session(client)
    assert client.post("/api/decide", json=DECISION).status_code == 403  # no CSRF header
    headers = {"X-CSRF-Token": "0" * 64}
    assert client.post("/api/decide", json=DECISION, headers=headers).status_code == 403
    headers = {"X-CSRF-Token": csrf}
    form = client.post("/api/decide", data={"position": "0"}, headers=headers)
    assert form.status_code == 415
    evil = {**headers, "Origin": "http://evil.example"}
    assert client.post("/api/decide", json=DECISION, headers=evil).status_code == 403
    cross = {**headers, "Sec-Fetch-Site": "cross-site"}
    assert client.post("/api/decide", json=DECISION, headers=cross).status_code == 403
    assert _events(store) == 0
    same = {**headers, "Origin": "http://127.0.0.1:8765"}
    assert client.post("/api/decide", json=DECISION, headers=same).status_code == 200
    assert client.get("/api/decide").status_code == 405  # state changes are POST only
    assert _events(store) == 1
    other = _client(store)  # another session: its own CSRF token
    _session(other)
    assert other.post("/api/decide", json=DECISION, headers=headers).status_code == 403


def test_host_header_is_checked_against_dns_rebinding(store):
    client = _client(store)
    assert client.get("/", headers={"Host": "attacker.example:8765"}).status_code == 421
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    assert allowed_hosts("0.0.0.0", 80) is None  # every interface: the token guards


def test_token_on_every_request(store):
    client = _client(store, token=TOKEN)
    assert client.get("/").status_code == 401
    assert client.get("/api/item").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/api/item", headers={"X-Review-Token": TOKEN}).status_code == 200
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/item", headers=bearer).status_code == 200
    login = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert "httponly" in login.headers["set-cookie"].lower()
    assert client.get("/api/item").status_code == 200  # the cookie now
    csrf = _session(client)
    response = client.post("/api/decide", json=DECISION, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200


def test_body_limit_and_validation_errors_do_not_echo_input(store):
    client = _client(store, max_body_bytes=1000)
    csrf = _session(client)
    headers = {"X-CSRF-Token": csrf}
    big = {**DECISION, "note": "x" * 2000}
    assert client.post("/api/decide", json=big, headers=headers).status_code == 413
    client = _client(store)
    csrf = _session(client)
    bad = {**DECISION, "label": "<b>" * 50}
    response = client.post("/api/decide", json=bad, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    assert "<b>" not in response.text and "label" in response.json()["detail"]
    long_note = {**DECISION, "note": "x" * 10_001}
    response = client.post("/api/decide", json=long_note, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    response = client.post(
        "/api/undo", json={"event_id": 99, "reviewer": "a"}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 422 and "no such decision" in response.json()["detail"]
    assert client.get("/api/item", params={"filter": "bogus"}).status_code == 422
