"""The export of a review database: the training file of ``aeclf train``.

One row per text with a standing decision of ``promotional`` or ``not_promotional``
that every reviewer who has one agrees on: columns ``text,label`` (what
:func:`~arabic_extremism_clf.corpus.read_corpus` reads) then ``note``, ``reviewers``,
``decided_at`` and ``text_sha256`` (extra columns, which it ignores). A text on which
reviewers' standing decisions differ is a conflict: it is left out and reported, never
merged; so are texts that normalise to the same text with different labels (which
training refuses). A text decided ``unsure`` by everyone is left out and counted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..corpus import NOT_PROMOTIONAL, PROMOTIONAL
from .store import UNSURE, ReviewStore

__all__ = [
    "EXPORT_COLUMNS",
    "Export",
    "standing",
    "collect",
    "write_csv",
    "write_conflicts_csv",
]

#: The columns of the exported file, in order.
EXPORT_COLUMNS = ("text", "label", "note", "reviewers", "decided_at", "text_sha256")
#: The columns of the conflicts file.
CONFLICT_COLUMNS = ("text_sha256", "text", "reviewer", "label", "note", "decided_at")
_TRAINING_LABELS = (PROMOTIONAL, NOT_PROMOTIONAL)


@dataclass
class Export:
    """What an export found.

    Attributes
    ----------
    rows : list of dict
        The training rows, keys :data:`EXPORT_COLUMNS`.
    conflicts : list of (str, str, list of dict)
        ``(text_sha256, text, standing decisions per reviewer)`` of every text the
        reviewers disagree on.
    unsure : int
        Texts left out because their only decision is ``unsure``.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[tuple[str, str, list[dict[str, Any]]]] = field(default_factory=list)
    unsure: int = 0

    def counts(self) -> dict[str, int]:
        """Rows per label."""
        out = dict.fromkeys(_TRAINING_LABELS, 0)
        for row in self.rows:
            out[row["label"]] += 1
        return out


def standing(store: ReviewStore) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """Every text with a standing decision: ``(sha256, text, [per reviewer])``,
    the reviewers' standing decisions oldest first, texts in the order first decided.
    """
    with store.connect() as conn:
        conn.execute("BEGIN")  # one snapshot for the whole read
        try:
            rows = conn.execute(
                "SELECT r.text_sha256, d.text, r.reviewer, r.label, d.note, d.decided_at "
                "FROM reviewer_state r JOIN decisions d ON d.id = r.event_id "
                "WHERE r.label IS NOT NULL ORDER BY "
                "(SELECT MIN(id) FROM decisions f WHERE f.text_sha256 = r.text_sha256), "
                "r.event_id"
            ).fetchall()
        finally:
            conn.execute("COMMIT")
    current: tuple[str, str, list[dict[str, Any]]] | None = None
    for row in rows:
        if current is None or current[0] != row[0]:
            if current is not None:
                yield current
            current = (row[0], row[1], [])
        current[2].append(
            {"reviewer": row[2], "label": row[3], "note": row[4], "decided_at": row[5]}
        )
    if current is not None:
        yield current


def collect(store: ReviewStore) -> Export:
    """The training rows, conflicts and unsure texts of a review database."""
    result = Export()
    for sha, text, decisions in standing(store):
        labels = {d["label"] for d in decisions}
        if len(labels) > 1:
            result.conflicts.append((sha, text, decisions))
            continue
        (label,) = labels
        if label == UNSURE:
            result.unsure += 1
            continue
        notes = [d["note"] for d in decisions if d["note"]]
        if len(decisions) > 1:
            notes = [f"{d['reviewer']}: {d['note']}" for d in decisions if d["note"]]
        result.rows.append(
            {
                "text": text,
                "label": label,
                "note": " | ".join(notes),
                "reviewers": ";".join(d["reviewer"] for d in decisions),
                "decided_at": max(d["decided_at"] for d in decisions),
                "text_sha256": sha,
            }
        )
    _normalised_conflicts(result)
    return result


def _normalised_conflicts(result: Export) -> None:
    """Move to the conflicts the rows whose texts normalise alike but differ in label.

    ``aeclf train --recipe default FILE`` refuses such rows (two spellings of one post
    with opposite labels), so they are reported with the other conflicts.
    """
    from ..preprocess import normalize

    labels: dict[str, set[str]] = {}
    for row in result.rows:
        labels.setdefault(normalize(row["text"]), set()).add(row["label"])
    clash = {key for key, found in labels.items() if len(found) > 1}
    if not clash:
        return
    kept = []
    for row in result.rows:
        if normalize(row["text"]) in clash:
            decisions = [
                {"reviewer": who, "label": row["label"], "note": row["note"],
                 "decided_at": row["decided_at"]}
                for who in row["reviewers"].split(";")
            ]  # fmt: skip
            result.conflicts.append((row["text_sha256"], row["text"], decisions))
        else:
            kept.append(row)
    result.rows = kept


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    """Write the training rows as CSV (open ``stream`` with ``newline=""``); return the count."""
    writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_conflicts_csv(
    conflicts: Iterable[tuple[str, str, list[dict[str, Any]]]], stream: IO[str]
) -> int:
    """Write the conflicts, one row per reviewer's standing decision; return the texts."""
    writer = csv.DictWriter(stream, fieldnames=CONFLICT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for sha, text, decisions in conflicts:
        n += 1
        for d in decisions:
            writer.writerow({"text_sha256": sha, "text": text, **d})
    return n
