"""Labelled corpora: a user's own files and loaders of the shared public corpora.

Two ways in:

* :func:`read_corpus` reads a user's labelled CSV, TSV or JSONL file, and refuses a
  malformed one with a :class:`~arabic_extremism_clf.errors.CorpusError` that names the
  file, the 1-based physical line, the column and the fix.
* ``load_*`` functions read the public corpora of the shared data directory (see
  :func:`data_dir`) into the training label scheme: :data:`PROMOTIONAL` for posts from
  pro-ISIS accounts, :data:`NOT_PROMOTIONAL` for everything else; the corpus' own label is
  kept in ``meta["orig_label"]``.

The corpora are never bundled with the package (several licences forbid it): they are read
from a directory given by ``--data-dir`` / ``AECLF_DATA_DIR``. :data:`CORPUS_SOURCES` says
where each comes from and under which licence.

Every :class:`Corpus` row carries a ``group``: rows of one near-duplicate cluster (see
:func:`near_duplicate_clusters`; for news, one article; for HateCheck, one template)
share it, so that grouped cross-validation (``GroupKFold``) never puts near-copies on
both sides of a split. Group keys are prefixed with the source name, so they stay
distinct after :meth:`Corpus.concat`.

Row counts measured on the shared data (see each loader for details):

=====================================  ========  ==========================================
loader                                 rows      labels / notes
=====================================  ========  ==========================================
``load_alfifi()``                      2,000     1,000 promotional / 1,000 not
``load_saudinewsnet()`` (lead)         1,226     articles mentioning ISIS (21,748 snippets)
``load_saudinewsnet(isis_only=False)`` 18,945    of 18,984 articles in 11 daily zips
                                                 (202,297 snippets; upstream: 31,030 in 18)
``load_asnd("train")`` / ``"dev"``     6,676     567 (the test split is not in the data dir)
``load_osact2020("train")`` / dev      7,000     1,000
``load_osact2022("train")`` / dev      8,887     1,270 (the CSV parses as 8,557 / 1,266)
``load_lhsab()``                       5,846     3,650 normal, 1,728 abusive, 468 hate
``load_dangerous_speech()``            5,011     3,636 safe, 1,375 dangerous
``load_hatecheck()``                   3,570     2,494 hateful, 1,076 non-hateful
=====================================  ========  ==========================================
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import CorpusError, DataDirError

__all__ = [
    "Corpus",
    "PROMOTIONAL",
    "NOT_PROMOTIONAL",
    "DATA_DIR_ENV",
    "CORPUS_FOLDERS",
    "CORPUS_SOURCES",
    "CorpusSource",
    "data_dir",
    "read_corpus",
    "load_alfifi",
    "load_saudinewsnet",
    "saudinewsnet_dates",
    "load_asnd",
    "load_osact2020",
    "load_osact2022",
    "load_lhsab",
    "load_dangerous_speech",
    "load_hatecheck",
    "load_religious_hate",
    "near_duplicate_clusters",
    "NEAR_DUPLICATE_JACCARD",
    "POST_MAX_CHARS",
]

logger = logging.getLogger(__name__)

#: Training label of a post that promotes a violent extremist group.
PROMOTIONAL = "promotional"
#: Training label of every other post (news, counter-speech, religion, insults...).
NOT_PROMOTIONAL = "not_promotional"

#: Environment variable naming the directory of the shared public corpora.
DATA_DIR_ENV = "AECLF_DATA_DIR"

#: The sub-folders of the shared data directory that the loaders read.
CORPUS_FOLDERS = (
    "alfifi-isis-2000",
    "saudinewsnet",
    "asnd",
    "osact2020",
    "osact2022",
    "l-hsab",
    "dangerous-speech",
    "hatecheck-ar",
    "religious-hate-aref2020",
)


@dataclass(frozen=True)
class CorpusSource:
    """Where one shared corpus comes from and on which terms it may be used.

    Attributes
    ----------
    title : str
        What the corpus is, in a few words.
    url : str
        The repository the files were copied from.
    citation : str
        The publication to cite.
    licence : str
        The licence or terms, as the corpus' source states them; says plainly when
        use is restricted to research or when no licence is stated.
    """

    title: str
    url: str
    citation: str
    licence: str


#: Source, citation and licence of every corpus folder (keys: :data:`CORPUS_FOLDERS`), as
#: the shared data directory's README and each folder's SOURCE.txt give them. The model
#: card looks training files up here by the folder recorded in their fingerprint.
CORPUS_SOURCES: Mapping[str, CorpusSource] = MappingProxyType({
    "alfifi-isis-2000": CorpusSource(
        title="Alfifi et al.: 2015 Arabic tweets of pro-ISIS accounts and other tweets",
        url="https://github.com/majidalfifi/extremism-llm",
        citation=(
            "Alfifi, Kaghazgaran, Caverlee. Extremism Detection and Counter-Messaging with "
            "Large Language Models. ASONAM"
        ),
        licence=(
            "None declared: research use only; redistribution status unclear (the tweets "
            "come from the 2015 Arabic Twitter firehose)"
        ),
    ),
    "saudinewsnet": CorpusSource(
        title="SaudiNewsNet: Saudi newspaper articles, July-August 2015",
        url="https://github.com/parallelfold/SaudiNewsNet",
        citation="Alhagri, M. A. (2015). Saudi Newspapers Arabic Corpus (SaudiNewsNet)",
        licence=(
            "CC BY-NC-SA 4.0 (non-commercial, share-alike); article copyright stays with "
            "the newspapers; research use only"
        ),
    ),
    "asnd": CorpusSource(
        title="ASND: Al Jazeera and other outlets' social-media news posts",
        url="https://github.com/shammur/Arabic_news_text_classification_datasets",
        citation=(
            "Chowdhury, Abdelali, Darwish, Jung, Salminen, Jansen (2020). Improving Arabic "
            "Text Categorization Using Transformer Training Diversification. WANLP 2020"
        ),
        licence="CC BY 4.0 per the Masader catalogue; the repository itself states no licence",
    ),
    "osact2020": CorpusSource(
        title="OSACT 2020 shared task: offensive language and hate speech tweets",
        url="https://github.com/motazsaad/arabic-hatespeech-data",
        citation=(
            "Mubarak, Darwish, Magdy, Elsayed, Al-Khalifa (2020). Overview of OSACT4 Arabic "
            "Offensive Language Detection Shared Task. OSACT4 (LREC 2020)"
        ),
        licence=(
            "CC BY 4.0 per the Masader catalogue (QCRI, OffensEval 2020); the mirror the "
            "files come from states no licence"
        ),
    ),
    "osact2022": CorpusSource(
        title="OSACT 2022 shared task: offensive language and fine-grained hate speech tweets",
        url="https://github.com/zainasaadeddin/Hate-Speech-Detection-on-Arabic-Twitter",
        citation=(
            "Mubarak, Al-Khalifa, Al-Thubaity (2022). Overview of OSACT5 Shared Task on "
            "Arabic Offensive Language and Hate Speech Detection. OSACT 2022 (LREC)"
        ),
        licence=(
            "QCRI terms: research use only (Masader: custom licence); the third-party "
            "mirror the files come from states no licence"
        ),
    ),
    "l-hsab": CorpusSource(
        title="L-HSAB: Levantine political tweets, normal / abusive / hate",
        url="https://github.com/motazsaad/arabic-hatespeech-data",
        citation=(
            "Mulki, Haddad, Bechikh Ali, Alshabani (2019). L-HSAB: A Levantine Twitter "
            "Dataset for Hate Speech and Abusive Language. 3rd Workshop on Abusive "
            "Language Online (ACL)"
        ),
        licence="Unstated: no licence is given, so the terms of use are unknown",
    ),
    "dangerous-speech": CorpusSource(
        title="Dangerous speech: tweets with threats of violence and safe tweets",
        url="https://github.com/UBC-NLP/Arabic-Dangerous-Dataset",
        citation=(
            "Alshehri, Nagoudi, Abdul-Mageed (2020). Understanding and Detecting Dangerous "
            "Speech in Social Media. OSACT4 (LREC 2020)"
        ),
        licence=(
            "Unstated: the repository gives no licence (Masader: unknown), so the terms of "
            "use are unknown"
        ),
    ),
    "hatecheck-ar": CorpusSource(
        title="Multilingual HateCheck: Arabic functional test cases",
        url="https://github.com/rewire-online/multilingual-hatecheck",
        citation=(
            "Röttger, Seelawi, Nozza, Talat, Vidgen (2022). Multilingual HateCheck: "
            "Functional Tests for Multilingual Hate Speech Detection Models. WOAH 2022"
        ),
        licence="CC BY 4.0 (LICENSE file in the repository)",
    ),
    "religious-hate-aref2020": CorpusSource(
        title=(
            "Religious and sectarian hate tweets (Shia/Sunni, Iran, clergy), half of the rows"
        ),
        url="https://github.com/NataliaVanetik/ArabicOffensiveLanguage_TaxonomyAndData",
        citation=(
            "Aref, Al Mahmoud, Taha, Al-Sharif et al. (2020). Hate speech detection of "
            "Arabic shorttext. CS & IT Conference Proceedings vol. 10, pp. 81-94"
        ),
        licence="GPL-3.0 repository; the tweets' own terms: research use only",
    ),
})

#: Longest lead / snippet cut from a news article: one tweet.
POST_MAX_CHARS = 280


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """Texts with labels and per-row provenance; all fields are tuples of one length.

    Parameters
    ----------
    texts : tuple of str
        The posts, as found in the source (not normalized).
    labels : tuple of str
        Training labels (for the public corpora: :data:`PROMOTIONAL` or
        :data:`NOT_PROMOTIONAL`).
    sources : tuple of str
        Source name of each row, e.g. ``"alfifi"``, or the file stem for
        :func:`read_corpus`.
    groups : tuple of str
        Grouping key for grouped cross-validation: rows of one near-duplicate cluster
        share it; otherwise it is unique per row.
    ids : tuple of str
        Row identifiers, unique within one loaded corpus.
    meta : tuple of dict
        Per-row extras (original label, taxonomy tags, date, line number...).

    Raises
    ------
    ValueError
        If the fields differ in length.
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    sources: tuple[str, ...]
    groups: tuple[str, ...]
    ids: tuple[str, ...]
    meta: tuple[dict, ...]

    def __post_init__(self) -> None:
        lengths = {}
        for name in ("texts", "labels", "sources", "groups", "ids", "meta"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                value = tuple(value)
                object.__setattr__(self, name, value)
            lengths[name] = len(value)
        if len(set(lengths.values())) > 1:
            detail = ", ".join(f"{name}={n}" for name, n in lengths.items())
            raise ValueError(f"Corpus fields must all have the same length, got {detail}")

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k!r}: {v}" for k, v in sorted(Counter(self.labels).items()))
        sources = ", ".join(sorted(set(self.sources)))
        return f"Corpus({len(self)} rows, labels {{{counts}}}, sources [{sources}])"

    def subset(self, index: Iterable[int] | Iterable[bool]) -> Corpus:
        """Select rows by position or by boolean mask.

        Parameters
        ----------
        index : iterable of int, or iterable of bool
            Row positions (any order, repeats allowed, negative positions count from
            the end), or a boolean mask of ``len(self)`` values. NumPy arrays work.

        Returns
        -------
        Corpus

        Raises
        ------
        ValueError
            If a boolean mask does not have one value per row.
        IndexError
            If a position is out of range.
        TypeError
            If an element is neither a bool nor an integer.
        """
        positions = _positions(index, len(self))
        return Corpus(
            texts=tuple(self.texts[i] for i in positions),
            labels=tuple(self.labels[i] for i in positions),
            sources=tuple(self.sources[i] for i in positions),
            groups=tuple(self.groups[i] for i in positions),
            ids=tuple(self.ids[i] for i in positions),
            meta=tuple(self.meta[i] for i in positions),
        )

    @staticmethod
    def concat(corpora: Iterable[Corpus]) -> Corpus:
        """Concatenate corpora, in order.

        Parameters
        ----------
        corpora : iterable of Corpus

        Returns
        -------
        Corpus
            All rows; empty if ``corpora`` is empty.
        """
        fields: dict[str, list[Any]] = {
            name: [] for name in ("texts", "labels", "sources", "groups", "ids", "meta")
        }
        for corpus in corpora:
            if not isinstance(corpus, Corpus):
                raise TypeError(f"Corpus.concat expects Corpus objects, got {type(corpus).__name__}")
            for name, values in fields.items():
                values.extend(getattr(corpus, name))
        return Corpus(**{name: tuple(values) for name, values in fields.items()})


def _positions(index: Iterable[int] | Iterable[bool], n: int) -> list[int]:
    """Row positions from positions or a boolean mask (lists or NumPy arrays)."""
    dtype = getattr(index, "dtype", None)
    items = list(index)
    is_mask = (dtype is not None and dtype.kind == "b") or (
        dtype is None and bool(items) and all(isinstance(x, bool) for x in items)
    )
    if is_mask:
        if len(items) != n:
            raise ValueError(f"boolean mask has {len(items)} values, the corpus has {n} rows")
        return [i for i, keep in enumerate(items) if keep]
    positions = []
    for x in items:
        if isinstance(x, bool):
            raise TypeError("index mixes booleans and integers: pass a mask or positions")
        try:
            positions.append(x.__index__())
        except AttributeError:
            raise TypeError(f"index elements must be integers, got {type(x).__name__}") from None
    for p in positions:
        if not -n <= p < n:
            raise IndexError(f"row position {p} is out of range for a corpus of {n} rows")
    return positions


# --------------------------------------------------------------------------------------
# The shared data directory
# --------------------------------------------------------------------------------------

_HOW_TO_SET = (
    f"pass the directory with the --data-dir option (or the data_dir argument), or set "
    f"the environment variable {DATA_DIR_ENV}; it is the folder that holds "
    + ", ".join(f"{name}/" for name in CORPUS_FOLDERS[:3])
    + " ... (the project's sibling shared/data)"
)


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Locate the directory of the shared public corpora.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The directory. Default: the environment variable ``AECLF_DATA_DIR``.

    Returns
    -------
    pathlib.Path
        The directory (``~`` expanded).

    Raises
    ------
    DataDirError
        If neither ``path`` nor ``AECLF_DATA_DIR`` is set, if the directory does not
        exist, or if it holds none of the corpus folders (:data:`CORPUS_FOLDERS`). The
        message says how to set it.
    """
    if path is None or str(path) == "":
        env = os.environ.get(DATA_DIR_ENV, "")
        if not env.strip():
            raise DataDirError(f"the shared data directory is not set: {_HOW_TO_SET}")
        path, origin = env, f"{DATA_DIR_ENV}={env!r}"
    else:
        origin = "the given data directory"
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise DataDirError(f"{origin}: {directory} is not an existing directory: {_HOW_TO_SET}")
    if not any((directory / name).is_dir() for name in CORPUS_FOLDERS):
        raise DataDirError(
            f"{origin}: {directory} holds none of the corpus folders "
            f"({', '.join(CORPUS_FOLDERS)}): {_HOW_TO_SET}"
        )
    return directory


def _corpus_dir(directory: str | os.PathLike[str] | None, folder: str) -> Path:
    """One corpus folder of the shared data; :class:`DataDirError` if it is missing.

    (The loaders' ``data_dir`` argument shadows :func:`data_dir`, hence this helper.)
    """
    path = data_dir(directory) / folder
    if not path.is_dir():
        raise DataDirError(
            f"{path} not found: the shared data directory lacks the folder {folder}/"
        )
    return path


def _corpus_file(directory: str | os.PathLike[str] | None, folder: str, name: str) -> Path:
    """Path of one file of the shared data; :class:`DataDirError` if it is missing."""
    path = _corpus_dir(directory, folder) / name
    if not path.is_file():
        raise DataDirError(
            f"{path} not found: the shared data directory lacks {folder}/{name} "
            f"(see {folder}/SOURCE.txt for where it comes from)"
        )
    return path


# --------------------------------------------------------------------------------------
# Low-level readers (shared by read_corpus and the loaders)
# --------------------------------------------------------------------------------------


def _read_text(path: Path, encoding: str) -> str:
    """The whole file decoded; undecodable bytes -> CorpusError with the line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise CorpusError("is a directory, expected a file", path=str(path)) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end]
        raise CorpusError(
            f"cannot decode byte(s) {bad!r} as {encoding} ({exc.reason}): save the file "
            f"as UTF-8, or pass encoding= naming the file's encoding",
            path=str(path),
            line=line,
        ) from None
    except LookupError:
        raise CorpusError(f"unknown encoding {encoding!r}", path=str(path)) from None
    return text[1:] if text.startswith("\ufeff") else text


def _delimited_records(
    text: str, path: Path, *, delimiter: str, quoting: int
) -> Iterator[tuple[int, int, list[str]]]:
    """Yield ``(first_line, last_line, fields)`` per record; blank lines are skipped.

    Line numbers are 1-based physical lines, so a record with a quoted line break spans
    several. Malformed quoting raises :class:`CorpusError` at the line concerned.
    """
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True
    )
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, path, start, reader.line_num) from None
        end = reader.line_num
        if row:
            yield start, end, row
        start = end + 1


def _csv_error(exc: csv.Error, path: Path, start: int, current: int) -> CorpusError:
    """A CorpusError explaining a csv module error."""
    if "unexpected end of data" in str(exc):
        return CorpusError(
            "a double quote opened in this record is never closed (the field runs to the "
            'end of the file): close the quote, or double every quote inside a quoted '
            'field ("")',
            path=str(path),
            line=start,
        )
    return CorpusError(
        f"malformed quoting ({exc}): a field that starts with a double quote must end "
        'with one right before the delimiter; double every quote inside it (""), or '
        "pass quoting=False if the file does not quote fields",
        path=str(path),
        line=current,
    )


# --------------------------------------------------------------------------------------
# read_corpus
# --------------------------------------------------------------------------------------

_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def read_corpus(
    path: str | os.PathLike[str],
    *,
    text_col: str = "text",
    label_col: str = "label",
    id_col: str | None = None,
    format: str | None = None,  # noqa: A002 - the name users expect
    encoding: str = "utf-8",
    delimiter: str | None = None,
    quoting: bool = True,
    min_labels: int = 2,
) -> Corpus:
    """Read a user's labelled corpus from a CSV, TSV or JSON Lines file.

    CSV and TSV files need a header row; fields that contain the delimiter, a double
    quote or a line break must be double-quoted (as spreadsheet programs and pandas
    write them). A JSON Lines file holds one JSON object per line. Blank lines are
    ignored. Labels may be any strings (numbers are converted with ``str``).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    text_col, label_col : str, default "text", "label"
        Column (or JSON field) of the post and of its label.
    id_col : str, optional
        Column of a row identifier (must be unique). Default: ``"<stem>:<line>"``.
    format : {"csv", "tsv", "jsonl"}, optional
        Default: from the suffix (``.csv``; ``.tsv``/``.tab``; ``.jsonl``/``.ndjson``).
    encoding : str, default "utf-8"
        A leading byte-order mark is ignored.
    delimiter : str, optional
        Field delimiter of CSV/TSV files. Default: ``","`` for CSV, tab for TSV.
    quoting : bool, default True
        Whether CSV/TSV fields may be double-quoted. Pass ``False`` for files, such as
        many tweet dumps, whose texts contain stray quotes and no delimiters.
    min_labels : int, default 2
        Fewest distinct labels accepted. Training needs two; pass 1 to read a one-class
        file for evaluation (e.g. news only, to measure false positives).

    Returns
    -------
    Corpus
        ``sources`` is the file stem for every row; ``groups`` equal ``ids``; ``meta``
        holds ``{"line": first physical line, "columns": {other columns}}``.

    Raises
    ------
    CorpusError
        If the file cannot be read as asked. The message names the file, the 1-based
        line and the column where known, and says how to fix it: undecodable bytes,
        malformed quoting, a row with the wrong number of fields, invalid JSON, a
        missing column, an empty text or label, a duplicate id, no rows, or fewer
        than ``min_labels`` distinct labels.
    """
    path = Path(path)
    fmt = _infer_format(path, format)
    text = _read_text(path, encoding)
    if fmt == "jsonl":
        if delimiter is not None:
            raise CorpusError("delimiter= applies to CSV/TSV files, not JSON Lines", path=str(path))
        rows = _jsonl_rows(text, path, text_col, label_col, id_col)
    else:
        sep = delimiter if delimiter is not None else ("\t" if fmt == "tsv" else ",")
        if len(sep) != 1:
            raise CorpusError(f"delimiter must be one character, got {sep!r}", path=str(path))
        rows = _table_rows(
            text,
            path,
            sep,
            csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
            text_col,
            label_col,
            id_col,
        )
    return _user_corpus(path, rows, id_col, min_labels)


def _infer_format(path: Path, format: str | None) -> str:  # noqa: A002
    """The format, given or from the file suffix."""
    if format is not None:
        fmt = str(format).lower().lstrip(".")
        fmt = {"ndjson": "jsonl", "tab": "tsv"}.get(fmt, fmt)
        if fmt not in ("csv", "tsv", "jsonl"):
            raise CorpusError(
                f"unknown format {format!r}: use 'csv', 'tsv' or 'jsonl'", path=str(path)
            )
        return fmt
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CorpusError(
            f"cannot tell the format from the suffix {path.suffix!r}: pass "
            "format='csv', 'tsv' or 'jsonl' (or rename the file)",
            path=str(path),
        )
    return fmt


# A parsed row: (first line, text, label, id or None, other fields)
_Row = tuple[int, str, str, str | None, dict]


def _table_rows(
    text: str,
    path: Path,
    delimiter: str,
    quoting: int,
    text_col: str,
    label_col: str,
    id_col: str | None,
) -> list[_Row]:
    """Rows of a CSV/TSV file with a header, checked."""
    records = _delimited_records(text, path, delimiter=delimiter, quoting=quoting)
    first = next(records, None)
    if first is None:
        raise CorpusError(
            f"the file is empty: expected a header row naming the columns "
            f"{text_col!r} and {label_col!r}, then one row per post",
            path=str(path),
            line=1,
        )
    header_line, _, header = first
    header = [name.strip() for name in header]
    _check_header(header, path, header_line, text_col, label_col, id_col, delimiter)
    position = {name: i for i, name in enumerate(header)}
    rows: list[_Row] = []
    for start, end, fields in records:
        if len(fields) != len(header):
            raise _field_count_error(fields, header, path, start, end, delimiter)
        values = dict(zip(header, fields))
        text_value = fields[position[text_col]]
        label = fields[position[label_col]]
        ident = fields[position[id_col]] if id_col is not None else None
        _check_row(path, start, text_col, text_value, label_col, label, id_col, ident)
        others = {k: v for k, v in values.items() if k not in (text_col, label_col, id_col)}
        rows.append((start, text_value, label.strip(), ident, others))
    return rows


def _check_header(
    header: list[str],
    path: Path,
    line: int,
    text_col: str,
    label_col: str,
    id_col: str | None,
    delimiter: str,
) -> None:
    """Refuse a header without the requested columns or with duplicate names."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise CorpusError(
                f"the header names the column {name!r} twice: give every column a "
                "distinct name",
                path=str(path),
                line=line,
                column=name,
            )
        seen.add(name)
    for name, option in ((text_col, "text_col"), (label_col, "label_col"), (id_col, "id_col")):
        if name is not None and name not in seen:
            hint = ""
            if len(header) == 1 and any(d in header[0] for d in ",\t;|" if d != delimiter):
                hint = " (the header is a single column: is the delimiter right? pass delimiter= or format=)"
            raise CorpusError(
                f"no column {name!r}; the header has the columns "
                f"{', '.join(repr(h) for h in header)}: pass {option}= naming the "
                f"column that holds the {option[:-4]}{hint}",
                path=str(path),
                line=line,
                column=name,
            )


def _field_count_error(
    fields: list[str], header: list[str], path: Path, start: int, end: int, delimiter: str
) -> CorpusError:
    """A CorpusError for a record whose field count differs from the header's."""
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    message = (
        f"row has {len(fields)} field{'s' if len(fields) != 1 else ''}, header has "
        f"{len(header)}: quote fields containing the delimiter ({shown}) with double "
        'quotes, and double any quote inside them ("")'
    )
    if end > start:
        message += (
            f"; this record spans lines {start}-{end}: look for a double quote that "
            "opens a field and is not closed where it should be"
        )
    column = header[len(fields)] if len(fields) < len(header) else None
    return CorpusError(message, path=str(path), line=start, column=column)


def _check_row(
    path: Path,
    line: int,
    text_col: str,
    text: Any,
    label_col: str,
    label: Any,
    id_col: str | None,
    ident: Any,
) -> None:
    """Refuse an empty or non-string text, an empty label or an empty id."""
    if not isinstance(text, str):
        raise CorpusError(
            f"field {text_col!r} is not a string but {_json_type(text)}: write the post "
            "as a JSON string",
            path=str(path),
            line=line,
            column=text_col,
        )
    if not text.strip():
        raise CorpusError(
            f"field {text_col!r} is empty: every row needs a post; fill it in or delete "
            "the row",
            path=str(path),
            line=line,
            column=text_col,
        )
    if not isinstance(label, str) or not label.strip():
        raise CorpusError(
            f"empty label in field {label_col!r}: every row needs a label; fill it in or "
            "delete the row",
            path=str(path),
            line=line,
            column=label_col,
        )
    if id_col is not None and (not isinstance(ident, str) or not ident.strip()):
        raise CorpusError(
            f"empty id in field {id_col!r}: every row needs an id when id_col= is given",
            path=str(path),
            line=line,
            column=id_col,
        )


def _json_type(value: Any) -> str:
    """JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def _jsonl_rows(
    text: str, path: Path, text_col: str, label_col: str, id_col: str | None
) -> list[_Row]:
    """Rows of a JSON Lines file, checked."""
    rows: list[_Row] = []
    # Split on "\n" only: str.splitlines would also split on U+2028 and other
    # characters that JSON strings may legally hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(
                f"invalid JSON: {exc.msg} at character {exc.colno}: write exactly one "
                "JSON object per line (line breaks inside a text must be written \\n)",
                path=str(path),
                line=number,
            ) from None
        if not isinstance(obj, dict):
            raise CorpusError(
                f"the line holds {_json_type(obj)}, expected a JSON object with the "
                f"fields {text_col!r} and {label_col!r}",
                path=str(path),
                line=number,
            )
        for name, option in ((text_col, "text_col"), (label_col, "label_col"), (id_col, "id_col")):
            if name is not None and name not in obj:
                fields = ", ".join(repr(k) for k in obj) or "none"
                raise CorpusError(
                    f"field {name!r} is missing; the object has the fields {fields}: add "
                    f"it, or pass {option}= naming the field that holds the {option[:-4]}",
                    path=str(path),
                    line=number,
                    column=name,
                )
        label = _json_label(obj[label_col], path, number, label_col)
        ident = obj[id_col] if id_col is not None else None
        if id_col is not None and isinstance(ident, (int, float)) and not isinstance(ident, bool):
            ident = str(ident)
        _check_row(path, number, text_col, obj[text_col], label_col, label, id_col, ident)
        others = {k: v for k, v in obj.items() if k not in (text_col, label_col, id_col)}
        rows.append((number, obj[text_col], label.strip(), ident, others))
    return rows


def _json_label(value: Any, path: Path, line: int, label_col: str) -> str:
    """A JSON label as a string: strings, numbers and booleans are accepted."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return str(value)
    if value is None:
        return ""
    raise CorpusError(
        f"label in field {label_col!r} is {_json_type(value)}: labels must be strings "
        "or numbers",
        path=str(path),
        line=line,
        column=label_col,
    )


def _user_corpus(
    path: Path, rows: Sequence[_Row], id_col: str | None, min_labels: int
) -> Corpus:
    """Build the Corpus of read_corpus, refusing duplicate ids, no rows, too few labels."""
    if not rows:
        raise CorpusError(
            "no data rows: the file needs one row per labelled post", path=str(path)
        )
    stem = path.stem
    ids: list[str] = []
    first_line: dict[str, int] = {}
    for line, _, _, ident, _ in rows:
        key = ident if ident is not None else f"{stem}:{line}"
        if key in first_line:
            raise CorpusError(
                f"duplicate id {key!r} (first on line {first_line[key]}): ids in "
                f"{id_col!r} must be unique",
                path=str(path),
                line=line,
                column=id_col,
            )
        first_line[key] = line
        ids.append(key)
    labels = tuple(row[2] for row in rows)
    distinct = sorted(set(labels))
    if len(distinct) < min_labels:
        found = ", ".join(map(repr, distinct))
        raise CorpusError(
            f"a training corpus needs at least {_count_word(min_labels)} labels, found "
            f"only {found} in {len(rows)} rows: add examples of the other class(es), "
            "check label_col=, or pass min_labels=1 to read a one-class file for "
            "evaluation",
            path=str(path),
        )
    logger.info("read %d rows from %s: %s", len(rows), path, dict(Counter(labels)))
    return Corpus(
        texts=tuple(row[1] for row in rows),
        labels=labels,
        sources=(stem,) * len(rows),
        groups=tuple(ids),
        ids=tuple(ids),
        meta=tuple({"line": row[0], "columns": row[4]} for row in rows),
    )


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


# --------------------------------------------------------------------------------------
# Helpers of the loaders
# --------------------------------------------------------------------------------------


class _UnionFind:
    """Disjoint sets over ``range(n)``; the root of a set is its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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


# --------------------------------------------------------------------------------------
# Alfifi ISIS 2000
# --------------------------------------------------------------------------------------

#: Jaccard similarity of word sets at which two Alfifi tweets count as near-duplicates.
NEAR_DUPLICATE_JACCARD = 0.8

_ALFIFI_PREDICTION_SUFFIXES = ("claude35sonnet", "gpt4o")
_WORD_RE = re.compile(r"\w+")


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


def _dedup_words(text: str) -> frozenset[str]:
    """The word set compared for near-duplicates (placeholders, numbers dropped)."""
    from .preprocess import normalize  # lazy: camel_tools is slow to import

    return frozenset(
        w
        for w in _WORD_RE.findall(normalize(text))
        if len(w) > 1 and not w.isdigit() and w not in ("URL", "USER", "HASHTAG")
    )


def near_duplicate_clusters(texts: Sequence[str], threshold: float = NEAR_DUPLICATE_JACCARD) -> list[int]:
    """Cluster texts whose word sets have a Jaccard similarity >= ``threshold``.

    Candidates are found with prefix filtering (exact for Jaccard: two sets this
    similar share a word among their rarest ``|A| - ceil(t|A|) + 1`` words), then
    verified; clusters are the transitive closure (union-find). Texts with no words
    left after normalization stay alone.

    Parameters
    ----------
    texts : sequence of str
    threshold : float, default 0.8

    Returns
    -------
    list of int
        For each text, the position of the first text of its cluster.
    """
    sets = [_dedup_words(t) for t in texts]
    frequency = Counter(w for s in sets for w in s)
    index: dict[str, list[int]] = {}
    clusters = _UnionFind(len(sets))
    for i, words in enumerate(sets):
        if not words:
            continue
        size = len(words)
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        prefix = ordered[: size - math.ceil(threshold * size - 1e-9) + 1]
        candidates = {j for w in prefix for j in index.get(w, ())}
        for j in candidates:
            other = sets[j]
            if min(size, len(other)) < threshold * max(size, len(other)) - 1e-9:
                continue
            shared = len(words & other)
            if shared >= threshold * (size + len(other) - shared) - 1e-9:
                clusters.union(i, j)
        for w in prefix:
            index.setdefault(w, []).append(i)
    return [clusters.find(i) for i in range(len(sets))]


# --------------------------------------------------------------------------------------
# SaudiNewsNet
# --------------------------------------------------------------------------------------

_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟]) ")
_CLAUSE_END_RE = re.compile(r"(?<=[،؛,;])\s+")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SNIPPET_MIN_CHARS = 40
SNIPPET_MIN_WORDS = 5


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


def _lead(title: str, content: str, limit: int = POST_MAX_CHARS) -> str:
    """Title and the first sentence(s) of the content, cut to ``limit`` characters."""
    # Only the start of the article can reach the lead: split just that (a lot faster).
    body = " ".join(_sentences(content[: 4 * limit])) or " ".join(_sentences(content))
    text = f"{title}\n{body}".strip() if title else body
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a sentence end, else at a word boundary."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.start() for m in re.finditer(r"[.!?؟](?=\s)|\n", head)]
    if ends and ends[-1] >= limit // 2:
        end = ends[-1] + (0 if head[ends[-1]] == "\n" else 1)
        return head[:end].strip()
    space = head.rfind(" ")
    if space >= limit // 2:
        return head[:space].strip()
    return text[:limit].strip()


def _sentences(content: str) -> list[str]:
    """Sentences of an article: split at line breaks and at ``. ! ? ؟`` + space.

    Whitespace inside a line is collapsed to single spaces.
    """
    out: list[str] = []
    for line in content.split("\n"):
        line = " ".join(line.split())
        if line:
            out.extend(_SENTENCE_END_RE.split(line))
    return out


def _snippets(content: str, limit: int = POST_MAX_CHARS) -> list[str]:
    """Post-sized snippets of an article (see :func:`load_saudinewsnet`)."""
    pieces: list[str] = []
    for sentence in _sentences(content):
        pieces.extend(_pack(_CLAUSE_END_RE.split(sentence), limit) if len(sentence) > limit else [sentence])
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        joined = f"{carry} {piece}" if carry else piece
        if len(joined) > limit:
            if carry:
                merged.append(carry)
            joined = piece
        if len(joined) < SNIPPET_MIN_CHARS:
            carry = joined
        else:
            merged.append(joined)
            carry = ""
    if carry:
        merged.append(carry)
    return [s for s in merged if len(s.split()) >= SNIPPET_MIN_WORDS]


def _pack(parts: list[str], limit: int) -> list[str]:
    """Greedily join clauses into chunks of at most ``limit`` chars (long ones cut at words)."""
    words: list[str] = []
    for part in parts:
        if len(part) <= limit:
            words.append(part)
        else:
            words.extend(part.split())
    chunks: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > limit:
            chunks.append(current)
            current = ""
        current = f"{current} {word}" if current else word[:limit]
    if current:
        chunks.append(current)
    return chunks


# --------------------------------------------------------------------------------------
# News posts and negatives
# --------------------------------------------------------------------------------------


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


def _expect(path: Path, line: int, column: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise CorpusError(
            f"unexpected value {value!r}, expected one of {', '.join(map(repr, allowed))}",
            path=str(path),
            line=line,
            column=column,
        )


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
