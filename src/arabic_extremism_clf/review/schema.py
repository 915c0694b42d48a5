"""The versioned SQLite schema of the review store, and its migrations.

The version is kept in the table ``schema_version`` (one row). :data:`MIGRATIONS` lists
one function per version; :func:`migrate` runs, in one transaction each, those above the
version a database has, so a database of any earlier version is brought up to
:data:`SCHEMA_VERSION` when it is opened. A database newer than this library is
refused (it would be misread).

Version 1: queues, their items, and the decision events (append-only).
Version 2: the queue an event was made in and the event it undoes; a known-content
match per item; each reviewer's place in a queue; the standing decision of each
reviewer and of each text, kept up to date with every event (and rebuilt here from the
events of a version 1 database).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "migrate", "schema_version", "rebuild_state"]


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run the statements of ``script`` one by one, inside the caller's transaction.

    (``executescript`` would commit the transaction first.)
    """
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE queues (
            input_sha256 TEXT PRIMARY KEY,
            input_name TEXT NOT NULL,
            created TEXT NOT NULL,
            model_name TEXT NOT NULL,
            model_version TEXT,
            model_id TEXT NOT NULL,
            order_by TEXT NOT NULL,
            flagged_label TEXT,
            threshold REAL,
            n_rows INTEGER NOT NULL,
            errors_json TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE items (
            input_sha256 TEXT NOT NULL REFERENCES queues(input_sha256) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            line INTEGER NOT NULL,
            item_id TEXT,
            label TEXT NOT NULL,
            confidence REAL NOT NULL,
            score REAL NOT NULL,
            explanation_json TEXT NOT NULL,
            PRIMARY KEY (input_sha256, position)
        );
        CREATE INDEX items_text ON items(input_sha256, text_sha256);
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            label TEXT,
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            model_name TEXT,
            model_version TEXT,
            model_id TEXT,
            score REAL
        );
        CREATE INDEX decisions_text ON decisions(text_sha256, reviewer, id);
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        ALTER TABLE decisions ADD COLUMN input_sha256 TEXT;
        ALTER TABLE decisions ADD COLUMN undoes INTEGER REFERENCES decisions(id);
        ALTER TABLE items ADD COLUMN match_json TEXT;
        CREATE TABLE cursors (
            input_sha256 TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (input_sha256, reviewer)
        );
        CREATE TABLE reviewer_state (
            text_sha256 TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            event_id INTEGER NOT NULL REFERENCES decisions(id),
            label TEXT,
            PRIMARY KEY (text_sha256, reviewer)
        );
        CREATE TABLE text_state (
            text_sha256 TEXT PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES decisions(id),
            label TEXT NOT NULL
        );
        CREATE INDEX text_state_label ON text_state(label);
        """,
    )
    rebuild_state(conn)


#: One migration per version, in order: ``MIGRATIONS[k]`` makes version ``k + 1``.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
#: The version this library writes.
SCHEMA_VERSION = len(MIGRATIONS)


def rebuild_state(conn: sqlite3.Connection) -> None:
    """Recompute the standing decisions (``reviewer_state``, ``text_state``) from the events.

    The standing decision of a reviewer on a text is their latest event on it; that of
    a text is the latest standing decision of any reviewer that is not cleared.
    """
    conn.execute("DELETE FROM reviewer_state")
    conn.execute("DELETE FROM text_state")
    conn.execute(
        """
        INSERT INTO reviewer_state (text_sha256, reviewer, event_id, label)
        SELECT d.text_sha256, d.reviewer, d.id, d.label FROM decisions d
        JOIN (SELECT MAX(id) AS id FROM decisions GROUP BY text_sha256, reviewer) m
        ON d.id = m.id
        """
    )
    conn.execute(
        """
        INSERT INTO text_state (text_sha256, event_id, label)
        SELECT r.text_sha256, r.event_id, r.label FROM reviewer_state r
        JOIN (SELECT MAX(event_id) AS id FROM reviewer_state WHERE label IS NOT NULL
              GROUP BY text_sha256) m
        ON r.event_id = m.id
        """
    )


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version of an open database (0 for a new, empty one)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(row[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to version ``target``, one transaction per version.

    Parameters
    ----------
    conn : sqlite3.Connection
        Opened with ``isolation_level=None`` (transactions are explicit here).
    target : int, default=SCHEMA_VERSION
        The version to reach (lower ones are for tests of the migrations).

    Returns
    -------
    int
        The version the database had before.

    Raises
    ------
    ValueError
        If the database is newer than ``target``.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = schema_version(conn)
        if before > target:
            raise ValueError(
                f"the review database has schema version {before}, newer than this "
                f"library's {target}: upgrade arabic_extremism_clf to open it"
            )
        if before == 0:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version (version) VALUES (0)")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    for version in range(before + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if schema_version(conn) < version:
                MIGRATIONS[version - 1](conn)
                conn.execute("UPDATE schema_version SET version = ?", (version,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return before
