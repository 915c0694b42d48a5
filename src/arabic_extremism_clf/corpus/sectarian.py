"""Loader of the sectarian and religious hate tweets (Aref et al. 2020, the shared half)."""

from __future__ import annotations

import logging
import os

from .base import Corpus
from .loaders import _expect, _negatives, _require_columns, _table
from .sources import _corpus_file

__all__ = ["load_religious_hate"]

logger = logging.getLogger(__name__)


def load_religious_hate(data_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Load the sectarian and religious hate tweets of Aref et al. 2020 (the shared half).

    Tweets on Shia/Sunni, Iran, clergy and sectarian politics, mostly hostile, labelled
    offensive or not, **not** for promotion of a group: every row is
    :data:`NOT_PROMOTIONAL` (hard negatives: sectarian hostility is not, by itself,
    promotion). The shared folder holds 1,639 of the 3,236 rows.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).

    Returns
    -------
    Corpus
        ``ids``: ``"aref:<text_id>"``. ``meta``: ``offensive`` (True, False or None when
        unlabelled), ``line``. ``groups``: near-duplicate clusters.
    """
    path = _corpus_file(data_dir, "religious-hate-aref2020", "aref2020_religious_hate_half_a.csv")
    texts, ids, meta = [], [], []
    for line, row in _table(path):
        if not texts:
            _require_columns(path, row, ("text_id", "text", "offensive"))
        offensive = row["offensive"].strip()
        _expect(path, line, "offensive", offensive, ("0", "1", ""))
        if not row["text"].strip():
            logger.warning("%s line %d: empty text, row skipped", path, line)
            continue
        texts.append(row["text"])
        ids.append(f"aref:{row['text_id'].strip()}")
        meta.append({"offensive": None if not offensive else offensive == "1", "line": line})
    return _negatives("religious-hate-aref2020", texts, ids, meta)
