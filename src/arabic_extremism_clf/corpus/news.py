"""Loaders of the shared news corpora.

SaudiNewsNet articles cut to post length, and the ASND social-media news posts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CorpusError, DataDirError
from .base import Corpus
from .loaders import _check_split, _negatives, _require_columns, _table
from .readers import _read_text
from .snippets import _lead, _snippets
from .sources import _corpus_dir, _corpus_file

logger = logging.getLogger(__name__)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_saudinewsnet(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    kind: str = "lead",
    isis_only: bool = True,
    dates: Iterable[str] | None = None,
) -> Corpus:
    """Load SaudiNewsNet newspaper articles (July-August 2015) cut to post length.

    All rows are :data:`NOT_PROMOTIONAL` (``orig_label`` "news"): reporting on ISIS and
    counter-extremism commentary are the hardest negatives.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    kind : {"lead", "sentences"}, default "lead"
        ``"lead"``: one row per article, the title and the first sentence(s) of the
        content, at most 280 characters, cut at a sentence end when one falls in the
        second half, else at a word boundary. ``"sentences"``: one row per snippet of
        the content: sentences (split at ``. ! ? ؟`` and line breaks), sentences over
        280 characters cut at ``، ؛`` commas then at words, sentences under 40
        characters merged with the next; snippets under 5 words dropped.
    isis_only : bool, default True
        ``True``: the articles that mention ISIS (``isis_mention_articles.jsonl``:
        1,226, as in the data README; its SOURCE.txt says 1,846 of 31,030, which
        counts the full upstream corpus). ``False``: every article of the daily zips
        (18,984 in 11 zips here; the upstream corpus has 31,030 in 18).
    dates : iterable of str, optional
        Keep only articles extracted on these ``YYYY-MM-DD`` days (see
        :func:`saudinewsnet_dates`).

    Returns
    -------
    Corpus
        ``ids``: the article URL (``"<url>#<n>"`` for snippets); ``groups``: the URL,
        so snippets of one article stay together. ``meta``: ``date``, ``newspaper``,
        ``url``, ``orig_label``. One ISIS-mention article has an empty content (its
        lead is its title); articles with neither title nor content are skipped (39
        of the 18,984 in the zips). Measured: 1,226 leads / 21,748 snippets (ISIS
        mentions); 18,945 leads / 202,297 snippets (all). Lead lengths: 42-280
        characters, median 264 (ISIS mentions); 4-280, median 269 (all: 142 leads
        under 40 characters). Snippets: median 158 characters.
    """
    if kind not in ("lead", "sentences"):
        raise ValueError(f"kind must be 'lead' or 'sentences', got {kind!r}")
    keep = _date_filter(dates)
    texts: list[str] = []
    ids: list[str] = []
    groups: list[str] = []
    meta: list[dict] = []
    skipped = 0
    for article in _articles(data_dir, isis_only):
        date = article["date"]
        if keep is not None and date not in keep:
            continue
        url = article["url"]
        pieces = (
            [_lead(article["title"], article["content"])]
            if kind == "lead"
            else _snippets(article["content"])
        )
        pieces = [p for p in pieces if p]
        if not pieces:
            skipped += 1
            continue
        for n, piece in enumerate(pieces):
            texts.append(piece)
            ids.append(url if kind == "lead" else f"{url}#{n}")
            groups.append(f"saudinewsnet:{url}")
            meta.append(
                {"orig_label": "news", "date": date, "newspaper": article["source"], "url": url}
            )
    if skipped:
        logger.info("saudinewsnet: %d articles without usable text skipped", skipped)
    return _negatives("saudinewsnet", texts, ids, meta, groups)


def saudinewsnet_dates(
    data_dir: str | os.PathLike[str] | None = None, *, isis_only: bool = True
) -> list[str]:
    """Sorted distinct extraction dates (``YYYY-MM-DD``) of the SaudiNewsNet articles.

    Callers can hold out the last days: ``load_saudinewsnet(dates=dates[-2:])``.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    isis_only : bool, default True
        Dates of the ISIS-mention articles, or of all articles (both: 11 days,
        2015-07-21..2015-08-03, with 07-28..07-30 missing).

    Returns
    -------
    list of str
    """
    return sorted({article["date"] for article in _articles(data_dir, isis_only)})


def _date_filter(dates: Iterable[str] | None) -> set[str] | None:
    if dates is None:
        return None
    if isinstance(dates, str):
        dates = [dates]
    keep = set(dates)
    bad = sorted(d for d in keep if not isinstance(d, str) or not _DATE_RE.match(d))
    if bad:
        raise ValueError(f"dates must be 'YYYY-MM-DD' strings, got {bad[:3]}")
    return keep


def _articles(data_dir: str | os.PathLike[str] | None, isis_only: bool) -> Iterator[dict]:
    """Articles as dicts with ``date``, ``url``, ``source``, ``title``, ``content``."""
    if isis_only:
        path = _corpus_file(data_dir, "saudinewsnet", "isis_mention_articles.jsonl")
        for number, line in enumerate(_read_text(path, "utf-8").split("\n"), start=1):
            if line.strip():
                yield _article(_json(line, path, number), path, number)
        return
    folder = _corpus_dir(data_dir, "saudinewsnet")
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        raise DataDirError(f"{folder}: no daily .zip files of SaudiNewsNet found")
    for path in zips:
        for obj in _zip_json_array(path):
            yield _article(obj, path, None)


def _zip_json_array(path: Path) -> list:
    """The JSON array in each ``.json`` member of a zip, concatenated (no extraction)."""
    out: list = []
    try:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if not name.endswith(".json"):
                    continue
                data = _json(archive.read(name).decode("utf-8"), path, None)
                if not isinstance(data, list):
                    raise CorpusError(f"{name}: expected a JSON array of articles", path=str(path))
                out.extend(data)
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise CorpusError(f"unreadable zip archive: {exc}", path=str(path)) from None
    return out


def _json(text: str, path: Path, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"invalid JSON: {exc}", path=str(path), line=line) from None


def _article(obj: Any, path: Path, line: int | None) -> dict:
    """Check and tidy one SaudiNewsNet article."""
    if not isinstance(obj, dict) or not isinstance(obj.get("url"), str):
        raise CorpusError("expected an article object with a 'url'", path=str(path), line=line)
    stamp = str(obj.get("date_extracted") or "")
    date = stamp[:10]
    if not _DATE_RE.match(date):
        raise CorpusError(
            f"date_extracted {stamp!r} does not start with YYYY-MM-DD",
            path=str(path),
            line=line,
            column="date_extracted",
        )
    return {
        "date": date,
        "url": obj["url"],
        "source": str(obj.get("source") or ""),
        "title": " ".join(str(obj.get("title") or "").split()),
        "content": str(obj.get("content") or ""),
    }


def load_asnd(data_dir: str | os.PathLike[str] | None = None, split: str = "train") -> Corpus:
    """Load ASND: Al Jazeera and other outlets' social-media news posts.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    split : {"train", "dev"}, default "train"
        ``sm_news_ar_trn.csv`` (6,676 rows) or ``sm_news_ar_dev.csv`` (567 rows), as
        documented. The test split (1,103 rows) listed in SOURCE.txt is not in the data
        directory. The two files order their columns differently (read by name);
        ``Content`` holds quoted multi-line posts (2,588 of the train rows), and 210
        train posts are longer than a tweet (up to 2,946 characters; dev: 5,793),
        mostly YouTube and Facebook descriptions. Texts are returned uncut.

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``ids``: the upstream ``ID``. ``meta``: ``topic``
        (``Class``, 12 topics) = ``orig_label``, ``platform``, ``split``, ``line``.
        ``groups``: near-duplicate clusters (as for :func:`load_alfifi`). The same news
        is often posted on several platforms: train has 1,001 groups of 2+ posts
        covering 2,204 rows (a third), dev 9 (18 rows); and 180 distinct dev texts also
        occur in train, so train-then-dev scores are optimistic.
    """
    _check_split(split, ("train", "dev"))
    name = {"train": "sm_news_ar_trn.csv", "dev": "sm_news_ar_dev.csv"}[split]
    path = _corpus_file(data_dir, "asnd", name)
    texts, ids, meta = [], [], []
    for line, row in _table(path):
        if not texts:
            _require_columns(path, row, ("Class", "Content", "ID", "Platform"))
        if not row["Content"].strip():
            logger.warning("%s line %d: empty Content, row skipped", path, line)
            continue
        texts.append(row["Content"])
        ids.append(row["ID"])
        meta.append(
            {
                "orig_label": row["Class"],
                "topic": row["Class"],
                "platform": row["Platform"],
                "split": split,
                "line": line,
            }
        )
    return _negatives("asnd", texts, ids, meta)
