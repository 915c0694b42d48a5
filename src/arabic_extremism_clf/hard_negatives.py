"""Negatives that teach a model to need evidence: short fragments and grouped hold-outs.

* :func:`short_fragments`: one- to three-token fragments cut from negative posts. A
  model trained only on whole posts never sees a post made of one ordinary word, so
  normalised TF-IDF gives such a post the full weight of its strongest feature and the
  calibration turns it into near-certainty; fragments of ordinary posts, labelled
  negative, teach it that one common word is not evidence.
* :func:`hashtag_fragments`: single hashtags of negative posts, each as a negative post
  of its own. The 2015 accounts relayed with hashtags that ordinary posts rarely carry in the
  corpora (``#عاجل``, "#breaking": 104 of the 1,000 pro-ISIS tweets, 6 negatives in
  all), so a post made of one hashtag got the full weight of that source artefact; these
  rows teach the model that a hashtag alone is not evidence of promotion.
* :func:`grouped_holdout`: a seeded split of a corpus by group (near-duplicates on one
  side), for sets such as the sectarian tweets that are both trained on and measured.
* :func:`ordinary_posts`: the rows of held-out corpora that are ordinary traffic.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from .corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from .preprocess import _HASHTAG_RE, HASHTAG_TOKEN, URL_TOKEN, USER_TOKEN, preprocess

__all__ = [
    "short_fragments",
    "hashtag_fragments",
    "grouped_holdout",
    "ordinary_posts",
    "FRAGMENT_LENGTHS",
]

#: Fragment lengths (tokens) of :func:`short_fragments` and their probabilities.
FRAGMENT_LENGTHS: dict[int, float] = {1: 0.5, 2: 0.3, 3: 0.2}

_DROP = {URL_TOKEN, USER_TOKEN}


def short_fragments(
    corpus: Corpus,
    n: int,
    rng: np.random.Generator,
    *,
    lengths: dict[int, float] | None = None,
    source: str = "short-fragments",
    around: re.Pattern[str] | None = None,
) -> Corpus:
    """``n`` fragments of 1 to 3 consecutive tokens cut from the negative rows of ``corpus``.

    Posts are drawn uniformly among the negatives (so frequent words are frequent among
    the fragments), then a window of a random length (``lengths``) at a random place in
    the post's tokens (:func:`~arabic_extremism_clf.preprocess.preprocess`, without the
    URL and handle placeholders). The text of a fragment is its normalized tokens.

    With ``around``, only posts with a token that the pattern matches (``search``) are
    cut, and every window holds one such token: fragments of the loaded words that
    ordinary posts share with propaganda (religious formulae, "the state").

    Parameters
    ----------
    corpus : Corpus
        Only its rows not labelled ``"promotional"`` are cut.
    n : int
        How many fragments.
    rng : numpy Generator
    lengths : dict of int to float or None
        Window length to probability (default :data:`FRAGMENT_LENGTHS`).
    source : str, default="short-fragments"
    around : compiled regex or None

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``meta``: ``{"from": id of the post}``; each fragment
        is its own group.
    """
    lengths = dict(FRAGMENT_LENGTHS if lengths is None else lengths)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n!r}")
    sizes = np.array(list(lengths), dtype=np.int64)
    probs = np.array(list(lengths.values()), dtype=np.float64)
    if sizes.size == 0 or np.any(sizes < 1) or np.any(probs < 0) or probs.sum() <= 0:
        raise ValueError(f"lengths must map lengths >= 1 to probabilities, got {lengths!r}")
    probs = probs / probs.sum()
    negatives = np.flatnonzero(np.asarray(corpus.labels, dtype=object) != PROMOTIONAL)
    if around is not None:
        negatives = np.array(
            [i for i in negatives if any(around.search(t) for t in preprocess(corpus.texts[i]))],
            dtype=np.int64,
        )
    texts: list[str] = []
    origin: list[str] = []
    if n and negatives.size:
        for _ in range(20):  # posts with no usable token are drawn again
            for i in rng.choice(negatives, size=n - len(texts)):
                tokens = [t for t in preprocess(corpus.texts[i]) if t not in _DROP]
                if not tokens or tokens == [HASHTAG_TOKEN]:
                    continue
                k = int(min(rng.choice(sizes, p=probs), len(tokens)))
                if around is None:
                    start = int(rng.integers(0, len(tokens) - k + 1))
                else:  # a window over one matching token, at a random place in it
                    hits = [j for j, t in enumerate(tokens) if around.search(t)]
                    j = hits[int(rng.integers(0, len(hits)))]
                    start = int(rng.integers(max(0, j - k + 1), min(j, len(tokens) - k) + 1))
                texts.append(" ".join(tokens[start : start + k]))
                origin.append(corpus.ids[i])
            if len(texts) >= n:
                break
    m = len(texts)
    return Corpus(
        texts=tuple(texts),
        labels=(NOT_PROMOTIONAL,) * m,
        sources=(source,) * m,
        groups=tuple(f"{source}:{i}" for i in range(m)),
        ids=tuple(f"{source}-{i}" for i in range(m)),
        meta=tuple({"from": o} for o in origin),
    )


def hashtag_fragments(
    corpus: Corpus, n: int, rng: np.random.Generator, *, source: str = "hashtag-fragments"
) -> Corpus:
    """``n`` single hashtags drawn from all the hashtags of ``corpus``, each a negative row.

    Every hashtag occurrence (``#`` and its word characters) of every row, whatever its
    label, is a candidate; ``n`` are drawn uniformly with replacement, so frequent
    hashtags are frequent among the fragments. The text of a fragment is the hashtag as
    written (the vectorizer then reads it as the ``HASHTAG`` placeholder and its words).

    Parameters
    ----------
    corpus : Corpus
    n : int
        How many fragments (none when the corpus has no hashtag).
    rng : numpy Generator
    source : str, default="hashtag-fragments"

    Returns
    -------
    Corpus
        All :data:`NOT_PROMOTIONAL`; ``meta``: ``{"from": id of the post}``; each fragment
        is its own group.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n!r}")
    found = [
        (match.group(0), row_id)
        for text, row_id in zip(corpus.texts, corpus.ids)
        for match in _HASHTAG_RE.finditer(text)
    ]
    picks = rng.integers(0, len(found), size=n) if found and n else []
    texts = tuple(found[i][0] for i in picks)
    m = len(texts)
    return Corpus(
        texts=texts,
        labels=(NOT_PROMOTIONAL,) * m,
        sources=(source,) * m,
        groups=tuple(f"{source}:{i}" for i in range(m)),
        ids=tuple(f"{source}-{i}" for i in range(m)),
        meta=tuple({"from": found[i][1]} for i in picks),
    )


def grouped_holdout(corpus: Corpus, fraction: float, *, salt: str = "") -> tuple[Corpus, Corpus]:
    """Split ``corpus`` by group into (train, held out), about ``fraction`` held out.

    A group goes to the held-out side when a hash of its name (and ``salt``) falls
    below ``fraction``: the split does not depend on row order or on other corpora, and
    near-duplicates (one group) stay on one side.

    Parameters
    ----------
    corpus : Corpus
    fraction : float
        In (0, 1).
    salt : str, default=""

    Returns
    -------
    train, heldout : Corpus
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be in (0, 1), got {fraction!r}")

    def share(group: str) -> float:
        digest = hashlib.sha256(f"{salt}\x00{group}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    held = np.array([share(g) < fraction for g in corpus.groups], dtype=bool)
    return corpus.subset(~held), corpus.subset(held)


def ordinary_posts(corpus: Corpus, sources: dict[str, set[str] | None]) -> Corpus:
    """The rows of ``corpus`` from the given sources (optionally of given original labels).

    Parameters
    ----------
    corpus : Corpus
    sources : dict of str to set of str or None
        Source name to the ``meta["orig_label"]`` values kept (None: every row).

    Returns
    -------
    Corpus
    """
    keep = [
        i
        for i, (source, meta) in enumerate(zip(corpus.sources, corpus.meta))
        if source in sources
        and (sources[source] is None or meta.get("orig_label") in sources[source])
    ]
    return corpus.subset(keep)
