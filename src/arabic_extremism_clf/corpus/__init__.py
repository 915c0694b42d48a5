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
``load_religious_hate()``              1,639     all not promotional (327 offensive); half
                                                 of Aref et al. 2020 (sectarian tweets)
=====================================  ========  ==========================================

The modules, each importing only those above it: :mod:`.base` (:class:`Corpus`, the
labels), :mod:`.sources` (the data directory, :data:`CORPUS_SOURCES`), :mod:`.readers`
(:func:`read_corpus` and the low-level readers), :mod:`.dedup` (near-duplicate clusters),
:mod:`.snippets` (news cut to post length), :mod:`.loaders` (the tweet corpora) and
:mod:`.news` (SaudiNewsNet, ASND), :mod:`.sectarian` (the sectarian tweets). Import the names from this package.
"""

from __future__ import annotations

from .base import NOT_PROMOTIONAL, POST_MAX_CHARS, PROMOTIONAL, Corpus
from .dedup import NEAR_DUPLICATE_JACCARD, near_duplicate_clusters
from .loaders import (
    load_alfifi,
    load_dangerous_speech,
    load_hatecheck,
    load_lhsab,
    load_osact2020,
    load_osact2022,
)
from .news import load_asnd, load_saudinewsnet, saudinewsnet_dates
from .readers import _json_type as _json_type  # bulk.py reuses it
from .readers import read_corpus
from .sectarian import load_religious_hate
from .snippets import SNIPPET_MIN_CHARS as SNIPPET_MIN_CHARS
from .snippets import SNIPPET_MIN_WORDS as SNIPPET_MIN_WORDS
from .sources import CORPUS_FOLDERS, CORPUS_SOURCES, DATA_DIR_ENV, CorpusSource, data_dir

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
