"""The review store: queues of posts and the reviewers' decisions, in one SQLite file.

Decisions are events, appended and never changed: a decision, a change of mind and an
undo are each a new row of ``decisions``. The standing decision of a reviewer on a text
is their latest event on it (an undo appends the decision it restores, or a cleared
one); the standing decision of a text is the latest standing decision of any reviewer
that is not cleared. Both are kept in tables updated in the same transaction as the
event, so they can always be rebuilt from the events
(:func:`~arabic_extremism_clf.review.schema.rebuild_state`).

Every write is one short ``BEGIN IMMEDIATE`` transaction on its own connection, in WAL
mode with ``synchronous=FULL`` and a busy timeout: two pages or two reviewers writing at
once wait for each other instead of failing, and a process killed mid-write loses at
most the transaction in flight. A queue is keyed by the SHA-256 of its input file, so
opening the same input again resumes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..corpus import NOT_PROMOTIONAL, PROMOTIONAL
from .schema import migrate, schema_version

__all__ = [
    "UNSURE",
    "DECISION_LABELS",
    "FILTERS",
    "ReviewStore",
    "QueueItem",
    "ConflictError",
    "text_sha256",
]

#: The decision of a reviewer who cannot tell.
UNSURE = "unsure"
#: The labels a decision can have.
DECISION_LABELS = (PROMOTIONAL, NOT_PROMOTIONAL, UNSURE)
#: The filters of :meth:`ReviewStore.find` besides ``decided:<label>`` and ``model:<label>``.
FILTERS = ("all", "undecided", "decided")
#: Longest note, in characters.
MAX_NOTE_CHARS = 10_000
#: Longest reviewer name, in characters.
MAX_REVIEWER_CHARS = 200


class ConflictError(RuntimeError):
    """An undo that would overwrite a later event (someone changed the decision since)."""


def text_sha256(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, in hex (lone surrogates kept as escapes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class QueueItem:
    """One post of a queue, as scored when the queue was made.

    Attributes
    ----------
    text : str
    line : int
        The 1-based line (or row) of the input.
    id : str or None
        The input's id of the post, if it has one.
    label : str
        The model's label.
    confidence : float
        The model's probability of ``label``.
    score : float
        The model's probability of the flagged label (else ``confidence``).
    explanation : dict
        ``{"label", "ngrams": [{"feature", "weight"}]}``.
    match : dict or None
        A known-content match, when one was found.
    """

    text: str
    line: int
    id: str | None
    label: str
    confidence: float
    score: float
    explanation: Mapping[str, Any]
    match: Mapping[str, Any] | None = None


def _check_reviewer(reviewer: object) -> str:
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ValueError("reviewer= must be a non-empty name")
    reviewer = reviewer.strip()
    if len(reviewer) > MAX_REVIEWER_CHARS:
        raise ValueError(f"reviewer= is longer than {MAX_REVIEWER_CHARS} characters")
    return reviewer


def _filter_sql(filter: str) -> tuple[str, tuple]:
    """The SQL condition of a filter over ``items i LEFT JOIN text_state t``."""
    if filter == "all":
        return "", ()
    if filter == "undecided":
        return " AND t.label IS NULL", ()
    if filter == "decided":
        return " AND t.label IS NOT NULL", ()
    kind, _, label = filter.partition(":")
    if kind == "decided" and label in DECISION_LABELS:
        return " AND t.label = ?", (label,)
    if kind == "model" and label:
        return " AND i.label = ?", (label,)
    raise ValueError(
        f"unknown filter= {filter!r}: use all, undecided, decided, decided:<label> "
        f"(one of {', '.join(DECISION_LABELS)}) or model:<label>"
    )


class ReviewStore:
    """A review database: open (and create or migrate) the SQLite file at ``path``.

    Parameters
    ----------
    path : str or path-like
        The database file; created if missing.
    timeout : float, default=30.0
        Seconds a write waits for another writer before failing.

    Raises
    ------
    ValueError
        If the file is a review database of a newer schema version.
    sqlite3.DatabaseError
        If the file is not an SQLite database.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self.timeout = timeout
        with self.connect() as conn:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"{self.path}: cannot use WAL mode (got {mode})")
            migrate(conn)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A new connection (autocommit; transactions are explicit), closed at the end."""
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end, rolled back on an error."""
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        """The database's schema version (:data:`~.schema.SCHEMA_VERSION` once open)."""
        with self.connect() as conn:
            return schema_version(conn)

    # --- queues ----------------------------------------------------------------------

    def queue(self, input_sha256: str) -> dict[str, Any] | None:
        """The description of a queue, or None if there is none for this input."""
        with self.connect() as conn:
            row = conn.execute(
                "SELECT * FROM queues WHERE input_sha256 = ?", (input_sha256,)
            ).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["errors"] = json.loads(out.pop("errors_json"))
        return out

    def save_queue(
        self,
        input_sha256: str,
        items: Sequence[QueueItem],
        *,
        input_name: str,
        model_name: str,
        model_version: str | None,
        model_id: str,
        order_by: str,
        flagged_label: str | None,
        threshold: float | None,
        n_rows: int,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Make (or replace) the queue of an input: its items in review order.

        Decisions are kept: they belong to texts, not to queues. The reviewers' places
        in a replaced queue are reset.
        """
        rows = [
            (
                input_sha256,
                position,
                text_sha256(item.text),
                item.text,
                item.line,
                item.id,
                item.label,
                float(item.confidence),
                float(item.score),
                json.dumps(item.explanation, ensure_ascii=False),
                None if item.match is None else json.dumps(item.match, ensure_ascii=False),
            )
            for position, item in enumerate(items)
        ]
        with self._write() as conn:
            conn.execute("DELETE FROM items WHERE input_sha256 = ?", (input_sha256,))
            conn.execute("DELETE FROM cursors WHERE input_sha256 = ?", (input_sha256,))
            conn.execute("DELETE FROM queues WHERE input_sha256 = ?", (input_sha256,))
            conn.execute(
                "INSERT INTO queues (input_sha256, input_name, created, model_name, "
                "model_version, model_id, order_by, flagged_label, threshold, n_rows, "
                "errors_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    input_sha256,
                    input_name,
                    _now(),
                    model_name,
                    model_version,
                    model_id,
                    order_by,
                    flagged_label,
                    threshold,
                    n_rows,
                    json.dumps(list(errors), ensure_ascii=False),
                ),
            )
            conn.executemany(
                "INSERT INTO items (input_sha256, position, text_sha256, text, line, "
                "item_id, label, confidence, score, explanation_json, match_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _item(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        item = {
            "position": row["position"],
            "text_sha256": row["text_sha256"],
            "text": row["text"],
            "line": row["line"],
            "id": row["item_id"],
            "label": row["label"],
            "confidence": row["confidence"],
            "score": row["score"],
            "explanation": json.loads(row["explanation_json"]),
            "decision": None,
            "reviewers": self._standing(conn, row["text_sha256"]),
        }
        if row["match_json"] is not None:
            item["match"] = json.loads(row["match_json"])
        if row["decision_id"] is not None:
            item["decision"] = self._event(conn, row["decision_id"])
        return item

    def find(
        self,
        input_sha256: str,
        position: int,
        direction: str = "next",
        filter: str = "all",
    ) -> dict[str, Any] | None:
        """The first item of a queue after (``"next"``), before (``"prev"``) or at or
        after (``"at"``) ``position`` that passes ``filter``, or None.

        ``filter`` is ``"all"``, ``"undecided"``, ``"decided"``, ``"decided:<label>"``
        (a standing decision of that label) or ``"model:<label>"`` (the model's label).
        The item comes with its standing ``decision`` and the standing decisions of
        every reviewer (``reviewers``).
        """
        condition, params = _filter_sql(filter)
        compare, order = {"next": (">", "ASC"), "prev": ("<", "DESC"), "at": (">=", "ASC")}[
            direction
        ]
        with self.connect() as conn:
            row = conn.execute(
                "SELECT i.*, t.event_id AS decision_id FROM items i "
                "LEFT JOIN text_state t ON t.text_sha256 = i.text_sha256 "
                f"WHERE i.input_sha256 = ? AND i.position {compare} ?{condition} "
                f"ORDER BY i.position {order} LIMIT 1",
                (input_sha256, position, *params),
            ).fetchone()
            return None if row is None else self._item(conn, row)

    def progress(self, input_sha256: str) -> dict[str, Any]:
        """Counts of a queue: ``total``, ``reviewed`` (a standing decision), per decision
        label, and ``model_flagged`` (items the model gave the queue's flagged label)."""
        with self.connect() as conn:
            flagged = conn.execute(
                "SELECT flagged_label FROM queues WHERE input_sha256 = ?", (input_sha256,)
            ).fetchone()
            row = conn.execute(
                "SELECT COUNT(*) AS total, COUNT(t.label) AS reviewed, "
                "COALESCE(SUM(t.label = ?), 0), COALESCE(SUM(t.label = ?), 0), "
                "COALESCE(SUM(t.label = ?), 0), COALESCE(SUM(i.label = ?), 0) "
                "FROM items i LEFT JOIN text_state t ON t.text_sha256 = i.text_sha256 "
                "WHERE i.input_sha256 = ?",
                (*DECISION_LABELS, flagged[0] if flagged else None, input_sha256),
            ).fetchone()
        return {
            "total": row[0],
            "reviewed": row[1],
            "decided": dict(zip(DECISION_LABELS, row[2:5])),
            "model_flagged": row[5],
        }

    def set_matches(self, input_sha256: str, matches: Sequence[Mapping[str, Any] | None]) -> None:
        """Replace the known-content match of every item (in queue order) of a queue."""
        rows = [
            (None if m is None else json.dumps(m, ensure_ascii=False), input_sha256, position)
            for position, m in enumerate(matches)
        ]
        with self._write() as conn:
            conn.executemany(
                "UPDATE items SET match_json = ? WHERE input_sha256 = ? AND position = ?", rows
            )

    def texts(self, input_sha256: str) -> list[str]:
        """The texts of a queue, in queue order."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT text FROM items WHERE input_sha256 = ? ORDER BY position", (input_sha256,)
            ).fetchall()
        return [r[0] for r in rows]

    def model_labels(self, input_sha256: str) -> list[str]:
        """The labels the model gave the items of a queue, sorted."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT label FROM items WHERE input_sha256 = ? ORDER BY label",
                (input_sha256,),
            ).fetchall()
        return [r[0] for r in rows]

    # --- places ----------------------------------------------------------------------

    def cursor(self, input_sha256: str, reviewer: str) -> int:
        """Where a reviewer stopped in a queue (-1 if they have not started)."""
        with self.connect() as conn:
            row = conn.execute(
                "SELECT position FROM cursors WHERE input_sha256 = ? AND reviewer = ?",
                (input_sha256, reviewer),
            ).fetchone()
        return -1 if row is None else int(row[0])

    @staticmethod
    def _set_cursor(
        conn: sqlite3.Connection, input_sha256: str, reviewer: str, position: int
    ) -> None:
        conn.execute(
            "INSERT INTO cursors (input_sha256, reviewer, position) VALUES (?, ?, ?) "
            "ON CONFLICT (input_sha256, reviewer) DO UPDATE SET position = excluded.position",
            (input_sha256, reviewer, position),
        )

    def skip(self, input_sha256: str, position: int, reviewer: str) -> None:
        """Record that a reviewer moved past an item without deciding it."""
        reviewer = _check_reviewer(reviewer)
        with self._write() as conn:
            self._set_cursor(conn, input_sha256, reviewer, position)

    # --- decisions -------------------------------------------------------------------

    def _event(self, conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
        row = conn.execute(
            "SELECT id, text_sha256, label, note, reviewer, decided_at, model_name, "
            "model_version, model_id, score, input_sha256, undoes FROM decisions "
            "WHERE id = ?",
            (event_id,),
        ).fetchone()
        return dict(row)

    def _standing(self, conn: sqlite3.Connection, sha: str) -> list[dict[str, Any]]:
        rows = conn.execute(
            "SELECT r.reviewer, r.label, d.note, d.decided_at FROM reviewer_state r "
            "JOIN decisions d ON d.id = r.event_id "
            "WHERE r.text_sha256 = ? AND r.label IS NOT NULL ORDER BY r.event_id",
            (sha,),
        ).fetchall()
        return [dict(r) for r in rows]

    @staticmethod
    def _append(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
        """Append one event and update the standing decisions of its text."""
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = conn.execute(
            f"INSERT INTO decisions ({columns}) VALUES ({marks})", tuple(values.values())
        )
        event_id = int(cur.lastrowid)
        sha, reviewer, label = values["text_sha256"], values["reviewer"], values["label"]
        conn.execute(
            "INSERT INTO reviewer_state (text_sha256, reviewer, event_id, label) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (text_sha256, reviewer) DO UPDATE SET "
            "event_id = excluded.event_id, label = excluded.label",
            (sha, reviewer, event_id, label),
        )
        latest = conn.execute(
            "SELECT event_id, label FROM reviewer_state WHERE text_sha256 = ? "
            "AND label IS NOT NULL ORDER BY event_id DESC LIMIT 1",
            (sha,),
        ).fetchone()
        if latest is None:
            conn.execute("DELETE FROM text_state WHERE text_sha256 = ?", (sha,))
        else:
            conn.execute(
                "INSERT INTO text_state (text_sha256, event_id, label) VALUES (?, ?, ?) "
                "ON CONFLICT (text_sha256) DO UPDATE SET event_id = excluded.event_id, "
                "label = excluded.label",
                (sha, latest[0], latest[1]),
            )
        return event_id

    def decide(
        self,
        input_sha256: str,
        position: int,
        label: str,
        *,
        reviewer: str,
        note: str = "",
    ) -> dict[str, Any]:
        """Record a reviewer's decision on the item at ``position`` of a queue.

        The event stores the text, its SHA-256, the label, the note, the reviewer, the
        time, and the model's name, version and score from the queue.

        Returns
        -------
        dict
            The event (``id``, ``label``, ``reviewer``, ``decided_at``, ...).

        Raises
        ------
        ValueError
            For a ``label`` not in :data:`DECISION_LABELS`, an empty ``reviewer``, a
            ``note`` over :data:`MAX_NOTE_CHARS`, or no item at ``position``.
        """
        if label not in DECISION_LABELS:
            raise ValueError(f"label= must be one of {', '.join(DECISION_LABELS)}, got {label!r}")
        reviewer = _check_reviewer(reviewer)
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            raise ValueError(f"note= must be a str of at most {MAX_NOTE_CHARS} characters")
        with self._write() as conn:
            item = conn.execute(
                "SELECT i.text_sha256, i.text, i.score, q.model_name, q.model_version, "
                "q.model_id FROM items i JOIN queues q ON q.input_sha256 = i.input_sha256 "
                "WHERE i.input_sha256 = ? AND i.position = ?",
                (input_sha256, position),
            ).fetchone()
            if item is None:
                raise ValueError(f"position= {position!r}: no such item in the queue")
            event_id = self._append(
                conn,
                {
                    "text_sha256": item["text_sha256"],
                    "text": item["text"],
                    "label": label,
                    "note": note,
                    "reviewer": reviewer,
                    "decided_at": _now(),
                    "model_name": item["model_name"],
                    "model_version": item["model_version"],
                    "model_id": item["model_id"],
                    "score": item["score"],
                    "input_sha256": input_sha256,
                },
            )
            self._set_cursor(conn, input_sha256, reviewer, position)
            return self._event(conn, event_id)

    def undo(self, event_id: int, *, reviewer: str) -> dict[str, Any]:
        """Undo a reviewer's event: append the decision it replaced (or a cleared one).

        Raises
        ------
        ValueError
            If there is no such event, or it is another reviewer's.
        ConflictError
            If the reviewer has made a later event on the same text (undo that first).
        """
        reviewer = _check_reviewer(reviewer)
        with self._write() as conn:
            row = conn.execute("SELECT * FROM decisions WHERE id = ?", (event_id,)).fetchone()
            if row is None:
                raise ValueError(f"event_id= {event_id!r}: no such decision")
            if row["reviewer"] != reviewer:
                raise ValueError(
                    f"event_id= {event_id!r} is a decision of {row['reviewer']!r}, not of "
                    f"reviewer= {reviewer!r}"
                )
            standing = conn.execute(
                "SELECT event_id FROM reviewer_state WHERE text_sha256 = ? AND reviewer = ?",
                (row["text_sha256"], reviewer),
            ).fetchone()
            if standing is None or standing[0] != event_id:
                raise ConflictError(
                    f"decision {event_id} is no longer {reviewer}'s latest on this text; "
                    "undo the later one first"
                )
            previous = conn.execute(
                "SELECT label, note FROM decisions WHERE text_sha256 = ? AND reviewer = ? "
                "AND id < ? ORDER BY id DESC LIMIT 1",
                (row["text_sha256"], reviewer, event_id),
            ).fetchone()
            new_id = self._append(
                conn,
                {
                    "text_sha256": row["text_sha256"],
                    "text": row["text"],
                    "label": None if previous is None else previous["label"],
                    "note": "" if previous is None else previous["note"],
                    "reviewer": reviewer,
                    "decided_at": _now(),
                    "model_name": row["model_name"],
                    "model_version": row["model_version"],
                    "model_id": row["model_id"],
                    "score": row["score"],
                    "input_sha256": row["input_sha256"],
                    "undoes": event_id,
                },
            )
            return self._event(conn, new_id)

    def history(self, sha: str) -> list[dict[str, Any]]:
        """Every event on a text, oldest first."""
        with self.connect() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM decisions WHERE text_sha256 = ? ORDER BY id", (sha,)
                )
            ]
            return [self._event(conn, i) for i in ids]
