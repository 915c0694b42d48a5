"""The storage layer of the review page: schema and migrations, events, concurrency,
crash safety, queue order, highlighting and the export (neutral toy posts only)."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from review_toy import TOY_TEXTS, save_toy_model, toy_classifier

from arabic_extremism_clf.cli import main
from arabic_extremism_clf.corpus import read_corpus
from arabic_extremism_clf.io.open import open_records
from arabic_extremism_clf.review.export import collect, standing, write_csv
from arabic_extremism_clf.review.highlight import segments
from arabic_extremism_clf.review.queue import build_queue, order_positions
from arabic_extremism_clf.review.schema import SCHEMA_VERSION, migrate
from arabic_extremism_clf.review.store import ConflictError, QueueItem, ReviewStore, text_sha256

QUEUE = "0" * 64


def _item(text: str, score: float = 0.5) -> QueueItem:
    return QueueItem(
        text, 1, None, "promotional", score, score, {"label": "promotional", "ngrams": []}
    )


def _store(path: Path, texts=("أ", "ب", "ج")) -> ReviewStore:
    store = ReviewStore(path)
    store.save_queue(
        QUEUE,
        [_item(t) for t in texts],
        input_name="toy.txt",
        model_name="toy",
        model_version="0.0",
        model_id="id",
        order_by="input",
        flagged_label="promotional",
        threshold=0.5,
        n_rows=len(texts),
    )
    return store


def test_new_database_is_current_and_in_wal_mode(tmp_path):
    store = _store(tmp_path / "r.sqlite")
    assert store.schema_version == SCHEMA_VERSION == 2
    with contextlib.closing(sqlite3.connect(tmp_path / "r.sqlite")) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1


def test_migration_from_v1_keeps_events_and_rebuilds_the_standing_decisions(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 0
    rows = [
        ("s1", "نص", "promotional", "alice", "2026-01-01T00:00:00"),
        ("s1", "نص", "not_promotional", "alice", "2026-01-02T00:00:00"),  # changed her mind
        ("s1", "نص", "promotional", "bob", "2026-01-03T00:00:00"),
        ("s2", "آخر", "unsure", "bob", "2026-01-04T00:00:00"),
    ]
    conn.executemany(
        "INSERT INTO decisions (text_sha256, text, label, reviewer, decided_at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    conn.close()
    store = ReviewStore(path)  # migrates to the current version
    assert store.schema_version == SCHEMA_VERSION
    assert [e["label"] for e in store.history("s1")] == [
        "promotional",
        "not_promotional",
        "promotional",
    ]
    found = {sha: {d["reviewer"]: d["label"] for d in ds} for sha, _, ds in standing(store)}
    assert found == {
        "s1": {"alice": "not_promotional", "bob": "promotional"},
        "s2": {"bob": "unsure"},
    }
    with store.connect() as c:
        assert c.execute("SELECT label FROM text_state WHERE text_sha256='s1'").fetchone()[0] == (
            "promotional"  # bob's is the latest standing decision
        )
    # Migrating again does nothing.
    with store.connect() as c:
        assert migrate(c) == SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    ReviewStore(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
        conn.commit()
    with pytest.raises(ValueError, match="schema version 99, newer"):
        ReviewStore(path)


def test_decisions_are_append_only_and_undo_restores_the_previous_one(tmp_path):
    store = _store(tmp_path / "r.sqlite")
    first = store.decide(QUEUE, 0, "promotional", reviewer="alice", note="first look")
    assert first["text_sha256"] == text_sha256("أ")
    assert (first["model_name"], first["model_version"], first["score"]) == ("toy", "0.0", 0.5)
    second = store.decide(QUEUE, 0, "not_promotional", reviewer="alice", note="on reflection")
    assert store.find(QUEUE, 0, "at")["decision"]["label"] == "not_promotional"
    undone = store.undo(second["id"], reviewer="alice")
    assert (undone["label"], undone["note"], undone["undoes"]) == (
        "promotional",
        "first look",
        second["id"],
    )
    assert store.find(QUEUE, 0, "at")["decision"]["label"] == "promotional"
    with pytest.raises(ConflictError):
        store.undo(second["id"], reviewer="alice")  # no longer her latest
    last = store.undo(undone["id"], reviewer="alice")  # undo the undo
    assert last["label"] == "not_promotional"
    events = store.history(text_sha256("أ"))
    assert [e["label"] for e in events] == [
        "promotional",
        "not_promotional",
        "promotional",
        "not_promotional",
    ]
    with pytest.raises(ValueError, match="not of reviewer"):
        store.undo(last["id"], reviewer="bob")
    with pytest.raises(ValueError, match="label= must be one of"):
        store.decide(QUEUE, 0, "maybe", reviewer="alice")
    with pytest.raises(ValueError, match="reviewer="):
        store.decide(QUEUE, 0, "unsure", reviewer="  ")


def test_undo_of_a_first_decision_clears_it(tmp_path):
    store = _store(tmp_path / "r.sqlite")
    event = store.decide(QUEUE, 1, "unsure", reviewer="alice")
    assert store.progress(QUEUE)["reviewed"] == 1
    assert store.undo(event["id"], reviewer="alice")["label"] is None
    assert store.progress(QUEUE)["reviewed"] == 0
    assert store.find(QUEUE, 1, "at")["decision"] is None


def test_filters_progress_and_cursor(tmp_path):
    store = _store(tmp_path / "r.sqlite", texts=("أ", "ب", "ج", "د"))
    store.decide(QUEUE, 1, "promotional", reviewer="a")
    store.decide(QUEUE, 2, "unsure", reviewer="a")
    assert store.find(QUEUE, -1, "next", "undecided")["position"] == 0
    assert store.find(QUEUE, 0, "next", "undecided")["position"] == 3
    assert store.find(QUEUE, -1, "next", "decided")["position"] == 1
    assert store.find(QUEUE, -1, "next", "decided:unsure")["position"] == 2
    assert store.find(QUEUE, 3, "prev", "decided")["position"] == 2
    assert store.find(QUEUE, -1, "next", "model:not_promotional") is None
    with pytest.raises(ValueError, match="unknown filter"):
        store.find(QUEUE, -1, "next", "bogus")
    progress = store.progress(QUEUE)
    assert progress["total"] == 4 and progress["reviewed"] == 2
    assert progress["decided"] == {"promotional": 1, "not_promotional": 0, "unsure": 1}
    assert progress["model_flagged"] == 4
    assert store.cursor(QUEUE, "a") == 2
    store.skip(QUEUE, 3, "a")
    assert store.cursor(QUEUE, "a") == 3
    assert store.cursor(QUEUE, "b") == -1


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "r.sqlite"
    _store(path, texts=[f"نص {i}" for i in range(20)])
    errors: list[BaseException] = []
    per_writer = 60

    def write(name: str) -> None:
        store = ReviewStore(path)  # its own connections
        try:
            for k in range(per_writer):
                store.decide(
                    QUEUE, k % 20, ("promotional", "not_promotional")[k % 2], reviewer=name
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 2 * per_writer
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM reviewer_state").fetchone()[0] == 40


_WRITER = textwrap.dedent(
    """
    import sys
    from arabic_extremism_clf.review.store import ReviewStore
    store = ReviewStore(sys.argv[1])
    k = 0
    while True:
        store.decide(sys.argv[2], k % 3, "promotional", reviewer="w", note="x" * 1000)
        k += 1
        print(k, flush=True)
    """
)


def test_a_killed_writer_loses_at_most_the_decision_in_flight(tmp_path):
    path = tmp_path / "r.sqlite"
    _store(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), QUEUE],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    acknowledged = 0
    for line in proc.stdout:
        acknowledged = int(line)
        if acknowledged >= 50:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    acknowledged = max(acknowledged, *(int(x) for x in proc.stdout.read().split() or [0]))
    proc.stdout.close()
    store = ReviewStore(path)
    with store.connect() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    # Every acknowledged decision is there; at most the one in flight is lost (or
    # was committed just before the kill, unacknowledged).
    assert acknowledged <= stored <= acknowledged + 1


def test_export_leaves_out_conflicts_and_unsure_and_train_reads_it(tmp_path):
    texts = ("أ", "ب", "ج", "د", "هـ")
    store = _store(tmp_path / "r.sqlite", texts=texts)
    store.decide(QUEUE, 0, "promotional", reviewer="alice", note='a "quoted", note')
    store.decide(QUEUE, 0, "promotional", reviewer="bob")  # agreement
    store.decide(QUEUE, 1, "promotional", reviewer="alice")
    store.decide(QUEUE, 1, "not_promotional", reviewer="bob")  # conflict
    store.decide(QUEUE, 2, "unsure", reviewer="alice")
    store.decide(QUEUE, 3, "promotional", reviewer="alice")
    store.decide(QUEUE, 3, "not_promotional", reviewer="alice")  # a change of mind
    result = collect(store)
    assert [(r["text"], r["label"]) for r in result.rows] == [
        ("أ", "promotional"),
        ("د", "not_promotional"),
    ]
    assert result.rows[0]["reviewers"] == "alice;bob"
    assert [c[1] for c in result.conflicts] == ["ب"]
    assert result.unsure == 1
    out = tmp_path / "labels.csv"
    with open(out, "w", encoding="utf-8", newline="") as stream:
        assert write_csv(result.rows, stream) == 2
    corpus = read_corpus(out)
    assert list(corpus.texts) == ["أ", "د"]
    assert list(corpus.labels) == ["promotional", "not_promotional"]


def test_cli_export_exit_codes_and_conflict_report(tmp_path, capsys):
    store = _store(tmp_path / "r.sqlite")
    store.decide(QUEUE, 0, "promotional", reviewer="alice")
    store.decide(QUEUE, 1, "not_promotional", reviewer="alice")
    store.decide(QUEUE, 1, "promotional", reviewer="bob")
    store.decide(QUEUE, 2, "not_promotional", reviewer="bob")
    db, out = str(tmp_path / "r.sqlite"), str(tmp_path / "labels.csv")
    assert main(["review", "export", "--db", db, "-o", out]) == 0
    err = capsys.readouterr().err
    assert "2 rows" in err and f"conflict on text {text_sha256('ب')[:16]}" in err
    assert "alice=not_promotional, bob=promotional" in err
    with open(out, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["text"], r["label"]) for r in rows] == [
        ("أ", "promotional"),
        ("ج", "not_promotional"),
    ]
    assert main(["review", "export", "--db", db, "-o", out]) == 1  # exists
    assert "--overwrite" in capsys.readouterr().err
    assert main(["review", "export", "--db", db, "-o", out, "--overwrite", "--strict"]) == 1
    conflicts = tmp_path / "conflicts.csv"
    assert (
        main(
            [
                "review",
                "export",
                "--db",
                db,
                "-o",
                out,
                "--overwrite",
                "--conflicts",
                str(conflicts),
            ]
        )
        == 0
    )
    with open(conflicts, encoding="utf-8", newline="") as stream:
        assert [(r["reviewer"], r["label"]) for r in csv.DictReader(stream)] == [
            ("alice", "not_promotional"),
            ("bob", "promotional"),
        ]
    assert main(["review", "export", "--db", str(tmp_path / "none.sqlite"), "-o", out]) == 1
    assert main(["review", "export", "--db", db]) == 2  # -o missing
    capsys.readouterr()


def test_cli_serve_refuses_a_public_host_without_token(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AECLF_REVIEW_TOKEN", raising=False)
    posts = tmp_path / "posts.txt"
    posts.write_text("نص\n", encoding="utf-8")
    args = ["review", "serve", str(posts), "--db", str(tmp_path / "r.sqlite"), "--host", "0.0.0.0"]
    assert main(args) == 2
    assert "--token" in capsys.readouterr().err
    assert main([*args, "--token", "short"]) == 2
    assert main(["review", "serve", "-", "--db", str(tmp_path / "r.sqlite")]) == 2
    assert main([*args[:5], "--order", "bogus"]) == 2


def test_queue_orders_dedup_and_errors(tmp_path):
    model = toy_classifier()
    posts = tmp_path / "posts.txt"
    posts.write_text("\n".join([*TOY_TEXTS, TOY_TEXTS[0], ""]) + "\n", encoding="utf-8")
    with open_records(str(posts)) as records:
        items, errors, n_rows = build_queue(model, records, order="score")
    assert n_rows == len(TOY_TEXTS) + 2
    assert errors == [{"line": len(TOY_TEXTS) + 2, "error": "empty post"}]
    assert len(items) == len(TOY_TEXTS)  # the repeat is queued once
    scores = [i.score for i in items]
    assert scores == sorted(scores, reverse=True)
    with open_records(str(posts)) as records:
        by_input, _, _ = build_queue(model, records, order="input")
    assert [i.text for i in by_input] == TOY_TEXTS
    scores = np.array([0.95, 0.1, 0.55, 0.3])
    assert order_positions(scores, "sample", 0.5).tolist() == [2, 3, 1, 0]
    assert order_positions(scores, "score", 0.5).tolist() == [0, 2, 3, 1]
    with pytest.raises(ValueError, match="order="):
        order_positions(scores, "random", 0.5)


def test_highlight_keeps_the_raw_text_and_marks_normalised_ngrams():
    text = "فازَ الفريقُ 😊 #كرة_القدم\u202e اليوم"
    ngrams = [
        {"feature": "w:فاز الفريق", "weight": 0.5},
        {"feature": "w:القدم", "weight": -0.2},
        {"feature": "c:يوم", "weight": 0.1},
    ]
    parts = segments(text, ngrams)
    assert "".join(p["text"] for p in parts) == text  # diacritics, emoji, controls kept
    marked = {p["text"]: p["weight"] for p in parts if p["weight"]}
    assert marked == {"فازَ الفريقُ": 0.5, "#كرة_القدم\u202e": -0.2, "اليوم": 0.1}


def test_serve_saves_a_queue_that_a_second_start_resumes(tmp_path, monkeypatch):
    """`aeclf review serve` up to the server start: a new queue, then the same one."""
    import arabic_extremism_clf.review.app as app_module

    model = save_toy_model(tmp_path / "model")
    posts = tmp_path / "posts.txt"
    posts.write_text("\n".join(TOY_TEXTS) + "\n", encoding="utf-8")
    started = []
    monkeypatch.setattr(app_module, "run_server", lambda app, host, port, **kw: started.append(app))
    db = tmp_path / "r.sqlite"
    args = ["review", "serve", str(posts), "--db", str(db), "--model", str(model)]
    assert main(args) == 0
    store = ReviewStore(db)
    with store.connect() as conn:
        (queue,) = [r[0] for r in conn.execute("SELECT input_sha256 FROM queues")]
    store.decide(queue, 0, "promotional", reviewer="alice")
    assert main(args) == 0
    assert len(started) == 2
    progress = store.progress(queue)
    assert (progress["total"], progress["reviewed"]) == (len(TOY_TEXTS), 1)
    assert store.cursor(queue, "alice") == 0  # the queue was kept, not rebuilt


def test_sample_order_follows_aeclf_sample():
    from arabic_extremism_clf.adapt.sampling import select_for_review
    from arabic_extremism_clf.review.queue import sample_order
    from arabic_extremism_clf.scoring.core import score_batch

    model = toy_classifier()
    texts = [*TOY_TEXTS, "فاز الفريق اليوم", "طقس ممطر في الملعب"]
    scores = score_batch(model, texts).proba[:, model.flagged_index_]
    order = sample_order(scores, model.threshold, model=model, texts=texts).tolist()
    assert sorted(order) == list(range(len(texts)))  # every post, once
    picks = select_for_review(model, texts, len(texts), threshold=model.threshold, top=1)
    assert 0 < len(picks) <= len(texts)
    assert order[: len(picks)] == [p.index for p in picks]
    # Without a model (or texts) it is uncertainty alone.
    alone = sample_order(scores, model.threshold).tolist()
    assert alone == np.argsort(np.abs(scores - model.threshold), kind="stable").tolist()


def test_export_reports_spellings_of_one_text_with_opposite_labels(tmp_path):
    from arabic_extremism_clf.adapt.user_rows import read_user_rows

    texts = ("فاز الفريق", "فازَ الفريقُ", "طقس ممطر", "اطبخ الأرز")
    store = _store(tmp_path / "r.sqlite", texts=texts)
    store.decide(QUEUE, 0, "promotional", reviewer="alice")
    store.decide(QUEUE, 1, "not_promotional", reviewer="alice")  # same text, with tashkeel
    store.decide(QUEUE, 2, "not_promotional", reviewer="alice")
    store.decide(QUEUE, 3, "promotional", reviewer="alice")
    result = collect(store)
    assert sorted(c[1] for c in result.conflicts) == sorted(texts[:2])
    assert [r["text"] for r in result.rows] == list(texts[2:])
    out = tmp_path / "labels.csv"
    with open(out, "w", encoding="utf-8", newline="") as stream:
        write_csv(result.rows, stream)
    # What `aeclf train --recipe default FILE` reads, with its checks.
    corpus, files = read_user_rows([out])
    assert list(corpus.labels) == ["not_promotional", "promotional"]
    assert files[0]["rows"] == 2
