"""Loaders of the shared tweet corpora, and the table helpers every loader shares.

Alfifi, OSACT 2020 and 2022, L-HSAB, dangerous speech, HateCheck.
"""

from __future__ import annotations

import csv
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import CorpusError
from .base import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from .dedup import NEAR_DUPLICATE_JACCARD, _UnionFind, near_duplicate_clusters
from .readers import _delimited_records, _field_count_error, _read_text
from .sources import _corpus_file

logger = logging.getLogger(__name__)


def _table(
    path: Path,
    *,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    header: Sequence[str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(first_line, {column: value})`` from a shared-data table.

    ``header=None`` reads the header from the first row; otherwise the file has none
    and ``header`` names the columns. A record with the wrong number of fields raises
    :class:`CorpusError` (the shared files are expected to be well formed).
    """
    records = _delimited_records(
        _read_text(path, "utf-8"), path, delimiter=delimiter, quoting=quoting
    )
    if header is None:
        first = next(records, None)
        if first is None:
            raise CorpusError("the file is empty", path=str(path), line=1)
        header = [name.strip() for name in first[2]]
    for start, end, fields in records:
        if len(fields) != len(header):
            raise _field_count_error(fields, list(header), path, start, end, delimiter)
        yield start, dict(zip(header, fields))


def _require_columns(path: Path, row: dict[str, str], names: Iterable[str]) -> None:
    """CorpusError if a shared-data table lacks an expected column."""
    missing = [name for name in names if name not in row]
    if missing:
        raise CorpusError(
            f"expected the column(s) {', '.join(map(repr, missing))}; the file has "
            f"{', '.join(map(repr, row))}: the shared data changed, update the loader",
            path=str(path),
            column=missing[0],
        )


def _check_split(split: str, names: Sequence[str]) -> None:
    if split not in names:
        raise ValueError(f"split must be one of {', '.join(map(repr, names))}, got {split!r}")


def _negatives(
    source: str,
    texts: list[str],
    ids: list[str],
    meta: list[dict],
    groups: list[str] | None = None,
) -> Corpus:
    """A corpus whose rows are all :data:`NOT_PROMOTIONAL`.

    Default groups: near-duplicate clusters (:func:`near_duplicate_clusters`), named
    ``"<source>:<id of the cluster's first row>"``.
    """
    n = len(texts)
    if groups is None:
        groups = [f"{source}:{ids[root]}" for root in near_duplicate_clusters(texts)]
    return Corpus(
        texts=tuple(texts),
        labels=(NOT_PROMOTIONAL,) * n,
        sources=(source,) * n,
        groups=tuple(groups),
        ids=tuple(ids),
        meta=tuple(meta),
    )


def _expect(path: Path, line: int, column: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise CorpusError(
            f"unexpected value {value!r}, expected one of {', '.join(map(repr, allowed))}",
            path=str(path),
            line=line,
            column=column,
        )


_ALFIFI_PREDICTION_SUFFIXES = ("claude35sonnet", "gpt4o")


def load_alfifi(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    near_duplicate_jaccard: float = NEAR_DUPLICATE_JACCARD,
) -> Corpus:
    """Load the Alfifi et al. 2015 tweets: 1,000 from pro-ISIS accounts, 1,000 others.

    ``gold_label`` ISIS becomes :data:`PROMOTIONAL`, NOT-ISIS :data:`NOT_PROMOTIONAL`.
    Labels are account-based (a few positives are not promotional, one negative is).

    Near-duplicates share a group. Two tweets are near-duplicates when the sets of
    their words, after :func:`~arabic_extremism_clf.preprocess.normalize` and with the
    placeholders (``URL``, ``USER``, ``HASHTAG``), numbers and one-letter tokens dropped,
    have a Jaccard similarity of at least ``near_duplicate_jaccard``; clusters are the
    transitive closure of that relation. Measured at 0.8: **45 groups of 2 or more
    tweets (164 tweets)**, 41 of them among the negatives (mostly commercial spam, the
    largest 26 tweets), 4 among the positives, none mixed. The data README counts 42
    groups among the negatives; thresholds 0.7 / 0.9 / 1.0 give 48 / 37 / 31 groups.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    near_duplicate_jaccard : float, default 0.8
        Similarity threshold of the near-duplicate groups, in (0, 1].

    Returns
    -------
    Corpus
        2,000 rows; ``ids`` are the upstream ``pos_N`` / ``neg_N``. ``meta``:
        ``orig_label``, ``taxonomy`` (list of "Category -> Subcategory" strings; empty
        for 58 tweets), ``religious`` (the taxonomy has "Religion and Spirituality":
        350 tweets),
        ``llm_predictions`` (the 8 GPT-4o / Claude-3.5 columns), ``line``.
    """
    if not 0 < near_duplicate_jaccard <= 1:
        raise ValueError(f"near_duplicate_jaccard must be in (0, 1], got {near_duplicate_jaccard}")
    path = _corpus_file(data_dir, "alfifi-isis-2000", "alfifi_isis_eval_2000.csv")
    texts: list[str] = []
    labels: list[str] = []
    ids: list[str] = []
    meta: list[dict] = []
    for line, row in _table(path):
        if not texts:
            _require_columns(path, row, ("id", "gold_label", "text", "taxonomy_labels"))
        gold = row["gold_label"].strip()
        if gold not in ("ISIS", "NOT-ISIS"):
            raise CorpusError(
                f"unexpected gold_label {gold!r}, expected 'ISIS' or 'NOT-ISIS'",
                path=str(path),
                line=line,
                column="gold_label",
            )
        if not row["text"].strip():
            logger.warning("%s line %d: empty text, row skipped", path, line)
            continue
        taxonomy = [t.strip() for t in row["taxonomy_labels"].split(" | ") if t.strip()]
        texts.append(row["text"])
        labels.append(PROMOTIONAL if gold == "ISIS" else NOT_PROMOTIONAL)
        ids.append(row["id"])
        meta.append(
            {
                "orig_label": gold,
                "taxonomy": taxonomy,
                "religious": any(t.startswith("Religion and Spirituality") for t in taxonomy),
                "llm_predictions": {
                    k: v for k, v in row.items() if k.endswith(_ALFIFI_PREDICTION_SUFFIXES)
                },
                "line": line,
            }
        )
    clusters = near_duplicate_clusters(texts, near_duplicate_jaccard)
    groups = [f"alfifi:{ids[root]}" for root in clusters]
    logger.info(
        "alfifi: %d rows, %d near-duplicate groups of 2+",
        len(texts),
        sum(1 for n in Counter(clusters).values() if n > 1),
    )
    return Corpus(
        texts=tuple(texts),
        labels=tuple(labels),
        sources=("alfifi",) * len(texts),
        groups=tuple(groups),
        ids=tuple(ids),
        meta=tuple(meta),
    )


def load_osact2020(data_dir: str | os.PathLike[str] | None = None, split: str = "train") -> Corpus:
    """Load the OSACT 2020 offensive / hate-speech tweets (header-less TSV, no quoting).

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    split : {"train", "dev"}, default "train"
        7,000 (1,410 offensive, 361 hate) or 1,000 rows (179 offensive, 44 hate), as
        documented. The file must be read with quoting disabled: with CSV quoting, 40
        tweets that start with a quote swallow their neighbours (6,839 rows).

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``ids``: ``"<split>:<line>"``. ``meta``:
        ``offensive``, ``hate`` (bool), ``orig_label`` (e.g. ``"OFF/HS"``), ``split``,
        ``line``. Texts keep the ``@USER``, ``URL``, ``<LF>`` placeholders.
        ``groups``: near-duplicate clusters (train: 110 groups of 2+ covering 238
        rows; dev: 1).
    """
    _check_split(split, ("train", "dev"))
    path = _corpus_file(data_dir, "osact2020", f"OSACT2020-sharedTask-{split}.txt")
    texts, ids, meta = [], [], []
    header = ("text", "offensive", "hate")
    for line, row in _table(path, delimiter="\t", quoting=csv.QUOTE_NONE, header=header):
        off, hate = row["offensive"].strip(), row["hate"].strip()
        _expect(path, line, "offensive", off, ("OFF", "NOT_OFF"))
        _expect(path, line, "hate", hate, ("HS", "NOT_HS"))
        if not row["text"].strip():
            continue
        texts.append(row["text"])
        ids.append(f"{split}:{line}")
        meta.append(
            {
                "orig_label": f"{off}/{hate}",
                "offensive": off == "OFF",
                "hate": hate == "HS",
                "split": split,
                "line": line,
            }
        )
    return _negatives("osact2020", texts, ids, meta)


_OSACT2022_COLUMNS = ("Id", "Tweet", "Offensive", "Hate", "Vulgar", "Violence")

_OSACT2022_VALUES = {
    "Offensive": ("OFF", "NOT_OFF"),
    "Hate": ("NOT_HS", "HS1", "HS2", "HS3", "HS4", "HS5", "HS6"),
    "Vulgar": ("VLG", "NOT_VLG"),
    "Violence": ("VIO", "NOT_VIO"),
}

_OSACT2022_TSV_ROW = re.compile(r"^(\d+)\t")


def load_osact2022(data_dir: str | os.PathLike[str] | None = None, split: str = "train") -> Corpus:
    """Load the OSACT 2022 offensive / fine-grained hate / vulgar / violence tweets.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).
    split : {"train", "dev"}, default "train"
        8,887 or 1,270 rows: the official split sizes. The mirror's CSV parses into only
        8,557 / 1,266 records (the numbers in the data README) because one tweet in each
        file (Id 7395, Id 9698) opens an unclosed quote, and the conversion that made
        the mirror swallowed the next 330 / 4 tweets, still as raw ``Id<TAB>Tweet<TAB>
        labels`` lines, into that tweet's field, with the last swallowed tweet's labels
        in the record's label columns. This loader splits such a record back into its
        tweets, each with its own labels (the swallowed tweets' texts can differ from
        the official ones by a double quote). Measured: train 3,172 offensive, 959 hate,
        134 vulgar, 61 violence (the README's 35% / 11% / 1.5% / 0.7%); dev 404 / 109 /
        16 / 6.

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``ids``: the upstream ``Id``. ``meta``:
        ``offensive``, ``vulgar``, ``violence``, ``hate`` (bool), ``hate_type``
        (``NOT_HS`` or ``HS1``..``HS6``), ``orig_label`` (e.g.
        ``"OFF/HS3/NOT_VLG/NOT_VIO"``), ``split``, ``line``. ``groups``:
        near-duplicate clusters (train: 86 groups of 2+ covering 210 rows; dev: 2).
    """
    _check_split(split, ("train", "dev"))
    path = _corpus_file(data_dir, "osact2022", f"{split}_data2022.csv")
    texts, ids, meta = [], [], []
    for line, row in _table(path):
        if not texts:
            _require_columns(path, row, _OSACT2022_COLUMNS)
        for offset, (ident, tweet, values) in enumerate(_osact2022_tweets(row, path, line)):
            for column, value in values.items():
                _expect(path, line + offset, column, value, _OSACT2022_VALUES[column])
            if not tweet.strip():
                continue
            texts.append(tweet)
            ids.append(ident)
            meta.append(
                {
                    "orig_label": "/".join(values[c] for c in _OSACT2022_VALUES),
                    "offensive": values["Offensive"] == "OFF",
                    "hate": values["Hate"] != "NOT_HS",
                    "hate_type": values["Hate"],
                    "vulgar": values["Vulgar"] == "VLG",
                    "violence": values["Violence"] == "VIO",
                    "split": split,
                    "line": line + offset,
                }
            )
    return _negatives("osact2022", texts, ids, meta)


def _osact2022_tweets(
    row: dict[str, str], path: Path, line: int
) -> list[tuple[str, str, dict[str, str]]]:
    """``(id, tweet, labels)`` of one CSV record, splitting a record that swallowed tweets.

    The k-th tweet of a split record sits on physical line ``line + k``.
    """
    labels = {c: row[c].strip() for c in _OSACT2022_VALUES}
    tweet = row["Tweet"]
    parts = tweet.split("\n")
    if len(parts) < 2 or not all(_OSACT2022_TSV_ROW.match(p) for p in parts[1:]):
        return [(row["Id"].strip(), tweet, labels)]
    # parts[0] = "<tweet>\t<4 labels>"; parts[1:-1] = "<id>\t<tweet>\t<4 labels>";
    # parts[-1] = "<id>\t<tweet>" whose labels are the record's label columns.
    out = []
    ident = row["Id"].strip()
    for k, part in enumerate(parts):
        if k > 0:
            ident, part = part.split("\t", 1)
        if k == len(parts) - 1:
            out.append((ident, part, labels))
            continue
        fields = part.rsplit("\t", 4)
        if len(fields) != 5:
            raise CorpusError(
                f"record swallowed tweets but part {k + 1} has no tab-separated labels",
                path=str(path),
                line=line + k,
                column="Tweet",
            )
        out.append((ident, fields[0], dict(zip(_OSACT2022_VALUES, fields[1:]))))
    logger.info("%s line %d: one record split back into %d tweets", path, line, len(out))
    return out


def load_lhsab(data_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Load L-HSAB: Levantine political tweets labelled normal / abusive / hate.

    The data README says to read the TSV with quoting disabled, but three tweets are
    double-quoted with line breaks inside (starting on lines 4086, 5275, 5740): with
    quoting disabled they break into 3 lines without a label, a blank line and 3
    "rows" whose text is a lone quote. With standard quoting the file parses cleanly
    into the documented 5,846 rows (3,650 normal, 1,728 abusive, 468 hate), so this
    loader reads it quoted.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``ids``: ``"line:<n>"``. ``meta``: ``orig_label``
        (the class), ``line``. ``groups``: near-duplicate clusters (200 groups of 2+
        covering 413 rows).
    """
    path = _corpus_file(data_dir, "l-hsab", "L-HSAB")
    texts, ids, meta = [], [], []
    for line, row in _table(path, delimiter="\t"):
        if not texts:
            _require_columns(path, row, ("Tweet", "Class"))
        label = row["Class"].strip()
        _expect(path, line, "Class", label, ("normal", "abusive", "hate"))
        if not row["Tweet"].strip():
            continue
        texts.append(row["Tweet"])
        ids.append(f"line:{line}")
        meta.append({"orig_label": label, "line": line})
    return _negatives("l-hsab", texts, ids, meta)


def load_dangerous_speech(data_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Load the Arabic dangerous-speech tweets (threats of violence vs safe).

    The TSV is read with quoting disabled: its tweets never span lines (CRLF line ends),
    and three tweets start with a quotation mark that standard quoting would strip.
    5,011 rows (1,375 dangerous, 3,636 safe), as documented.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL` (violent threats against a person do not promote a
        group); ``ids``: ``"line:<n>"``. ``meta``: ``orig_label``, ``dangerous`` (bool),
        ``line``. ``groups``: near-duplicate clusters (200 groups of 2+ covering 474
        rows, the largest 19).
    """
    path = _corpus_file(data_dir, "dangerous-speech", "Dangerous_Dataset.tsv")
    texts, ids, meta = [], [], []
    for line, row in _table(path, delimiter="\t", quoting=csv.QUOTE_NONE):
        if not texts:
            _require_columns(path, row, ("Tweet", "Label"))
        label = row["Label"].strip()
        _expect(path, line, "Label", label, ("dangerous", "safe"))
        if not row["Tweet"].strip():
            continue
        texts.append(row["Tweet"])
        ids.append(f"line:{line}")
        meta.append({"orig_label": label, "dangerous": label == "dangerous", "line": line})
    return _negatives("dangerous-speech", texts, ids, meta)


def load_hatecheck(data_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Load the Arabic Multilingual HateCheck functional test cases.

    3,570 cases (2,494 hateful, 1,076 non-hateful, 27 functionalities), as documented.
    Their targets are identity groups, not extremist groups, so all rows are
    :data:`NOT_PROMOTIONAL`; the counter-speech and quoting functionalities
    (``counter_quote_nh``, ``counter_ref_nh``) are the pattern for the project's own
    functional tests.

    Cases are generated from templates by swapping the identity term, so cases of one
    template are near-duplicates: a group is a template (``templ_id``) joined with the
    template it references (``ref_templ_id``, e.g. the hateful statement a
    counter-speech case quotes): 173 groups of 7 to 88 cases.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The shared data directory (default: see :func:`data_dir`).

    Returns
    -------
    Corpus
        ``ids``: ``mhc_case_id``. ``meta``: ``orig_label`` = ``label_gold``,
        ``functionality``, ``target_ident``, ``templ_id``, ``line``.
    """
    path = _corpus_file(data_dir, "hatecheck-ar", "hatecheck_cases_final_arabic.csv")
    texts, ids, meta, templates, refs = [], [], [], [], []
    for line, row in _table(path):
        if not texts:
            _require_columns(
                path, row, ("mhc_case_id", "functionality", "test_case", "label_gold", "templ_id")
            )
        if not row["test_case"].strip():
            continue
        texts.append(row["test_case"])
        ids.append(row["mhc_case_id"])
        templates.append(_template_id(row["templ_id"]) or f"case:{row['mhc_case_id']}")
        refs.append(_template_id(row.get("ref_templ_id", "")))
        meta.append(
            {
                "orig_label": row["label_gold"],
                "functionality": row["functionality"],
                "label_gold": row["label_gold"],
                "target_ident": row.get("target_ident", ""),
                "templ_id": templates[-1],
                "line": line,
            }
        )
    groups = _template_groups(templates, refs)
    return _negatives("hatecheck", texts, ids, meta, groups)


def _template_id(value: str) -> str:
    """``"242.0"`` -> ``"242"``; empty stays empty."""
    value = value.strip()
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value


def _template_groups(templates: list[str], refs: list[str]) -> list[str]:
    """Group keys joining each template with the template it references."""
    names = sorted(set(templates) | {r for r in refs if r})
    position = {name: i for i, name in enumerate(names)}
    sets = _UnionFind(len(names))
    for templ, ref in zip(templates, refs):
        if ref:
            sets.union(position[templ], position[ref])
    return [f"hatecheck:templ:{names[sets.find(position[t])]}" for t in templates]
