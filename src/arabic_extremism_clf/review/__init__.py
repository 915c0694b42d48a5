"""The review page: reviewers decide on the posts of a queue in a browser.

* :mod:`.store`: the SQLite store of queues and decision events (:mod:`.schema`: its
  versioned schema and migrations);
* :mod:`.queue`: scoring an input into a queue, in review order;
* :mod:`.highlight`: where the contributing n-grams are in a post's raw text;
* :mod:`.app`: the web application (the ``serve`` extra) and its page in ``static/``;
* :mod:`.export`: the decisions as the training file of ``aeclf train``.

``aeclf review serve`` and ``aeclf review export`` are the command line.
"""

from __future__ import annotations

from .store import DECISION_LABELS, UNSURE, ConflictError, QueueItem, ReviewStore, text_sha256

__all__ = [
    "ReviewStore",
    "QueueItem",
    "ConflictError",
    "DECISION_LABELS",
    "UNSURE",
    "text_sha256",
]
