"""End-to-end tests of the review page in a real headless Chromium (Playwright).

They start ``aeclf review serve`` on a free local port and drive Debian's
``/usr/bin/chromium``. Without Chromium or Playwright they are skipped, except in CI
(``CI=true``, ``AECLF_REQUIRE_DATA=1`` or ``AECLF_REQUIRE_BROWSER=1``), where they fail.
Posts are neutral toy posts; the hostile ones are markup and control characters only.

``AECLF_UPDATE_SCREENSHOT=1`` writes the screenshot of the README to docs/review.png.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from review_toy import TOY_LABELS, TOY_TEXTS, save_toy_model

from arabic_extremism_clf.cli import main
from arabic_extremism_clf.review.store import ReviewStore, text_sha256

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
TOKEN = "toy-token-1234"


def _required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("AECLF_REQUIRE_DATA", "") == "1"
        or os.environ.get("AECLF_REQUIRE_BROWSER", "") == "1"
    )


@pytest.fixture(scope="module")
def browser():
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "Playwright is not installed (pip install -e '.[dev]')"
    if problem is None and not os.access(CHROMIUM, os.X_OK):
        problem = f"{CHROMIUM} not found (apt-get install -y chromium chromium-driver)"
    if problem is not None:
        if _required():
            pytest.fail(f"browser tests are mandatory here: {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    return save_toy_model(tmp_path_factory.mktemp("model") / "toy")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``aeclf review serve`` in a child process."""

    def __init__(self, posts: Path, db: Path, model: Path | None, *extra: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.db = db
        command = [sys.executable, "-m", "arabic_extremism_clf", "review", "serve", str(posts)]
        command += ["--db", str(db), "--port", str(self.port), *extra]
        if model is not None:
            command += ["--model", str(model)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.log = open(db.with_suffix(".log"), "w+b")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url + "static/app.css", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers (401 with a token)
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the server did not start: {self.output()}") from None
                time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.log.closed:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def serve(tmp_path):
    servers: list[Server] = []

    def start(texts, *extra, model=None, name="posts.jsonl"):
        posts = tmp_path / name
        if not posts.exists():
            with open(posts, "w", encoding="utf-8") as stream:
                for text in texts:
                    stream.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        server = Server(posts, tmp_path / "reviews.sqlite", model, *extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _open(browser, url: str, reviewer: str | None = "alice"):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    if reviewer is not None and page.input_value("#reviewer") != reviewer:
        page.fill("#reviewer", reviewer)
        page.dispatch_event("#reviewer", "change")
        page.keyboard.press("Escape")  # leave the field: keys go to the page
    return context, page


def _position(page) -> int:
    return int(page.get_attribute("body", "data-position"))


def _wait_position(page, position: int) -> None:
    page.wait_for_selector(f"body[data-position='{position}']")


def _press(page, key: str, then: int) -> None:
    page.keyboard.press(key)
    _wait_position(page, then)


def _queue(db: Path) -> str:
    store = ReviewStore(db)
    with store.connect() as conn:
        (sha,) = [r[0] for r in conn.execute("SELECT input_sha256 FROM queues")]
    return sha


def test_keyboard_review_undo_reload_resume_and_change_of_mind(browser, serve, toy_model):
    server = serve(TOY_TEXTS, "--order", "input", "--reviewer", "alice", model=toy_model)
    context, page = _open(browser, server.url)
    assert page.text_content("#post") == TOY_TEXTS[0]
    assert page.get_attribute("#post", "dir") == "rtl"
    assert "Reviewed 0 of 18" in page.text_content("#progress")
    # A note, then decisions by keyboard.
    page.fill("#note", "لاعب وفريق")
    page.keyboard.press("Escape")
    _press(page, "p", 1)
    _press(page, "n", 2)
    _press(page, "u", 3)
    _press(page, "s", 4)  # skip
    assert "Reviewed 3 of 18" in page.text_content("#progress")
    _press(page, "z", 2)  # undo the last decision ("unsure" on #3)
    assert "Not decided yet" in page.text_content("#decision")
    assert "Reviewed 2 of 18" in page.text_content("#progress")
    # Buttons too.
    page.click("button[data-label='not_promotional']")
    _wait_position(page, 3)
    # Reload: the queue resumes where alice stopped: the first undecided post after
    # her last decision (#3, which she had skipped before the undo).
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert _position(page) == 3
    assert page.text_content("#post") == TOY_TEXTS[3]
    # Change of mind later: the decided filter, then another decision.
    page.select_option("#filter", "decided")
    _wait_position(page, 0)
    assert "Decision: promotional" in page.text_content("#decision")
    assert page.input_value("#note") == "لاعب وفريق"
    _press(page, "n", 1)
    # The model's label as a filter.
    page.select_option("#filter", "model:not_promotional")
    page.locator("#meta .tag", has_text="model: not_promotional").wait_for()
    assert page.text_content("#post") in TOY_TEXTS[6:]
    context.close()
    # Serving the same input again (a new process) resumes the same queue.
    server.stop()
    again = serve(TOY_TEXTS, "--order", "input", "--reviewer", "alice", model=toy_model)
    assert "resumed queue of 18 posts (3 reviewed)" in again.output()
    context, page = _open(browser, again.url)
    assert _position(page) == 3
    assert "Reviewed 3 of 18" in page.text_content("#progress")
    context.close()

    store = ReviewStore(server.db)
    events = store.history(text_sha256(TOY_TEXTS[0]))
    assert [(e["label"], e["reviewer"]) for e in events] == [
        ("promotional", "alice"),
        ("not_promotional", "alice"),
    ]
    assert events[0]["note"] == "لاعب وفريق"
    assert events[0]["model_name"] == "toy" and events[0]["score"] > 0.5
    assert [e["label"] for e in store.history(text_sha256(TOY_TEXTS[2]))] == [
        "unsure",
        None,  # the undo
        "not_promotional",
    ]
    assert store.progress(_queue(server.db))["reviewed"] == 3


def test_two_pages_deciding_at_once_lose_nothing(browser, serve, toy_model):
    server = serve(TOY_TEXTS, "--order", "input", model=toy_model)
    one, page_a = _open(browser, server.url, "alice")
    two, page_b = _open(browser, server.url, "bob")
    # Keys pressed in turn on both pages, each page moving through its own queue.
    for k in range(1, 4):
        page_a.keyboard.press("p")
        page_b.keyboard.press("n")
        _wait_position(page_a, k)
        _wait_position(page_b, k)
    # Then bursts of simultaneous requests from both pages.
    burst = """async ([first, label, reviewer]) => {
        const state = await (await fetch('/api/state')).json();
        const posts = [];
        for (let position = first; position < 18; position++) {
            posts.push(fetch('/api/decide', {method: 'POST', body: JSON.stringify(
                {position, label, reviewer}), headers: {'Content-Type': 'application/json',
                'X-CSRF-Token': state.csrf}}).then((r) => r.status));
        }
        window.__statuses = Promise.all(posts);
    }"""
    page_a.evaluate(burst, [3, "promotional", "alice"])
    page_b.evaluate(burst, [3, "not_promotional", "bob"])
    assert page_a.evaluate("() => window.__statuses") == [200] * 15
    assert page_b.evaluate("() => window.__statuses") == [200] * 15
    one.close()
    two.close()
    store = ReviewStore(server.db)
    with store.connect() as conn:
        rows = conn.execute("SELECT reviewer, label, COUNT(*) FROM decisions GROUP BY 1, 2")
        assert sorted(map(tuple, rows)) == [
            ("alice", "promotional", 18),
            ("bob", "not_promotional", 18),
        ]
    # Every text now has two disagreeing reviewers: the export reports them all.
    out = server.db.parent / "labels.csv"
    assert main(["review", "export", "--db", str(server.db), "-o", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as stream:
        assert list(csv.DictReader(stream)) == []


HOSTILE = [
    "<script>window.__pwned = 'script'</script>نص",
    '<img src="x" onerror="window.__pwned = \'img\'">صورة',
    "abc \u202edcba\u202c \u2067كلمة\u2069 \u200fend",
    "كلمة " * 20_000,  # 100,000 characters
]


def test_hostile_posts_render_as_inert_text(browser, serve, toy_model):
    server = serve(HOSTILE, "--order", "input", "--reviewer", "alice", model=toy_model)
    context, page = _open(browser, server.url)
    for position, text in enumerate(HOSTILE[:2]):
        _wait_position(page, position)
        assert page.text_content("#post") == text  # shown as text
        assert page.locator("#post script, #post img, body img").count() == 0
        page.keyboard.press("s")
    _wait_position(page, 2)
    # Bidi controls: shown as visible markers, absent from the displayed text.
    markers = page.locator("#post .bidi").all_text_contents()
    assert markers == ["[RLO]", "[PDF]", "[RLI]", "[PDI]", "[RLM]"]
    shown = page.text_content("#post")
    assert not any(c in shown for c in "\u202e\u202c\u2067\u2069\u200f")
    assert shown == "abc [RLO]dcba[PDF] [RLI]كلمة[PDI] [RLM]end"
    page.keyboard.press("s")
    _wait_position(page, 3)
    assert len(page.text_content("#post")) == 20_000  # capped
    assert page.is_visible("#more")
    page.click("#more")
    # (Not wait_for_function: it evaluates strings, which the page's CSP forbids.)
    deadline = time.monotonic() + 10
    while len(page.text_content("#post")) != 100_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.text_content("#post") == HOSTILE[3]
    assert page.evaluate("() => window.__pwned") is None
    context.close()


def test_token_cookie_and_cross_site_requests(browser, serve, toy_model):
    server = serve(TOY_TEXTS[:3], "--order", "input", "--token", TOKEN, model=toy_model)
    context = browser.new_context()
    page = context.new_page()
    assert page.goto(server.url).status == 401
    page.goto(server.url + "?token=" + TOKEN)  # sets the cookie, then redirects to /
    page.wait_for_selector("body[data-ready='1']")
    assert page.url == server.url
    page.fill("#reviewer", "alice")
    page.dispatch_event("#reviewer", "change")
    page.keyboard.press("Escape")
    _press(page, "p", 1)
    # Another site in the same browser cannot change anything.
    other = context.new_page()
    other.goto("about:blank")
    status = other.evaluate(
        """async (url) => { try { await fetch(url + 'api/decide', {method: 'POST',
            mode: 'no-cors', body: '{"position": 1, "label": "unsure", "reviewer": "x"}'});
            return 'sent'; } catch (e) { return 'refused'; } }""",
        server.url,
    )
    assert status in ("sent", "refused")
    context.close()
    store = ReviewStore(server.db)
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 1


def test_export_of_a_keyboard_review_retrains(browser, serve, toy_model, tmp_path):
    server = serve(TOY_TEXTS, "--order", "input", "--reviewer", "alice", model=toy_model)
    context, page = _open(browser, server.url)
    keys = {"promotional": "p", "not_promotional": "n"}
    for position, label in enumerate(TOY_LABELS):
        _wait_position(page, position)
        page.keyboard.press(keys[label])
    page.wait_for_selector("#empty:not([hidden])")
    context.close()
    out = tmp_path / "labels.csv"
    assert main(["review", "export", "--db", str(server.db), "-o", str(out)]) == 0
    model_dir = tmp_path / "retrained"
    assert main(["train", str(out), "-o", str(model_dir), "--cv", "0"]) == 0
    from arabic_extremism_clf.persistence import load_model

    model = load_model(model_dir)
    assert set(model.classes_) == {"promotional", "not_promotional"}
    predicted = model.predict(TOY_TEXTS)
    assert (predicted == TOY_LABELS).mean() >= 0.8


def test_screenshot_of_neutral_posts(browser, serve, tmp_path):
    """The README's screenshot: the shipped model on neutral example posts."""
    lines = (ROOT / "examples" / "posts.txt").read_text(encoding="utf-8").splitlines()
    neutral = lines[:5]  # greeting, football, Eid, prayer, history
    server = serve(neutral, "--order", "input", "--reviewer", "reviewer-1")
    context, page = _open(browser, server.url, "reviewer-1")
    _press(page, "n", 1)
    assert page.text_content("#post") == neutral[1]
    target = tmp_path / "review.png"
    if os.environ.get("AECLF_UPDATE_SCREENSHOT") == "1":
        target = ROOT / "docs" / "review.png"
        target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    context.close()
    with open(target, "rb") as stream:
        assert stream.read(8) == b"\x89PNG\r\n\x1a\n"
    with contextlib.suppress(OSError):
        assert target.stat().st_size > 10_000


def test_known_content_match_is_shown(browser, serve, toy_model, tmp_path):
    known = tmp_path / "known.jsonl"
    with open(known, "w", encoding="utf-8") as stream:
        for k, text in enumerate(TOY_TEXTS[:6]):
            stream.write(json.dumps({"id": f"k{k}", "text": text}, ensure_ascii=False) + "\n")
    sigs = tmp_path / "sigs"
    assert main(["match", "index", str(known), "--id-col", "id", "-o", str(sigs)]) == 0
    server = serve(TOY_TEXTS, "--order", "input", "--reviewer", "alice", "--known", str(sigs),
                   model=toy_model)  # fmt: skip
    context, page = _open(browser, server.url)
    for position in range(len(TOY_TEXTS)):
        _wait_position(page, position)
        box = page.locator("#match")
        if box.is_visible():
            assert "Known-content match" in box.text_content()
            assert "similarity" in box.text_content()
            break
        page.keyboard.press("s")
    else:
        pytest.fail("no post of the index was shown with its match")
    context.close()
    store = ReviewStore(server.db)
    with store.connect() as conn:
        matched = conn.execute("SELECT COUNT(*) FROM items WHERE match_json IS NOT NULL")
        assert matched.fetchone()[0] >= 1
