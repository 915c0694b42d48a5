"""Where the contributing n-grams of a post are in its raw text.

The features are n-grams of the *normalised* tokens (``w:<word n-gram>``,
``c:<character n-gram>``, see :mod:`arabic_extremism_clf.features`), and
normalisation changes the text (diacritics and tatweel go, alef forms are folded, a
hashtag becomes several tokens, punctuation is split off), so an n-gram has no exact
place in the raw text. The approximation used here: the raw text is cut at white space
into chunks; each chunk is normalised and tokenised on its own; a word n-gram marks
every run of consecutive chunks whose tokens contain its words in order, a character
n-gram marks every chunk with a token that contains it (with the padding spaces of
``char_wb`` n-grams read as the token's edges). A chunk's weight is the sum of the
weights of the n-grams that mark it. The raw text itself, diacritics and emoji
included, is never changed: the segments put back together are the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..preprocess import preprocess

__all__ = ["segments"]

_SPACE_RE = re.compile(r"(\s+)")


def segments(
    text: str,
    ngrams: Sequence[Mapping[str, Any]],
    normalize_options: Mapping[str, bool] | None = None,
) -> list[dict[str, Any]]:
    """Cut ``text`` into segments, each with the weight of the n-grams that mark it.

    Parameters
    ----------
    text : str
        The raw post.
    ngrams : sequence of dict
        ``{"feature", "weight"}`` items of an explanation.
    normalize_options : dict, optional
        The model's switches of :func:`~arabic_extremism_clf.preprocess.normalize`.

    Returns
    -------
    list of dict
        ``{"text", "weight", "features"}`` in order; ``"".join`` of the texts is
        ``text``. Unmarked stretches have weight 0 and no features.

    Examples
    --------
    >>> parts = segments("فازَ الفريقُ اليوم", [{"feature": "w:فاز الفريق", "weight": 0.5}])
    >>> [(p["text"], p["weight"]) for p in parts]
    [('فازَ الفريقُ', 0.5), (' اليوم', 0.0)]
    """
    options = dict(normalize_options or {})
    pieces = _SPACE_RE.split(text)  # chunks at even indices, white space at odd ones
    chunk_tokens = [preprocess(p, **options) if i % 2 == 0 else [] for i, p in enumerate(pieces)]
    flat = [(tok, i) for i, toks in enumerate(chunk_tokens) for tok in toks]
    words = [tok for tok, _ in flat]
    weight = [0.0] * len(pieces)
    features: list[list[str]] = [[] for _ in pieces]

    def mark(index: int, feature: str, w: float) -> None:
        if feature not in features[index]:
            features[index].append(feature)
            weight[index] += w

    for ngram in ngrams:
        feature, w = str(ngram["feature"]), float(ngram["weight"])
        kind, _, body = feature.partition(":")
        if kind == "w":
            gram = body.split(" ")
            n = len(gram)
            for start in range(len(words) - n + 1):
                if words[start : start + n] == gram:
                    first, last = flat[start][1], flat[start + n - 1][1]
                    for i in range(first, last + 1, 2):
                        mark(i, feature, w)
        elif kind == "c":
            for i, toks in enumerate(chunk_tokens):
                if any(body in f" {tok} " for tok in toks):
                    mark(i, feature, w)
    # Join a marked run of chunks with the white space between them (one highlight
    # per word n-gram), then merge neighbours of the same weight.
    out: list[dict[str, Any]] = []
    for i, piece in enumerate(pieces):
        if not piece:
            continue
        w, feats = weight[i], features[i]
        if i % 2 == 1 and 0 < i < len(pieces) - 1:
            shared = [f for f in features[i - 1] if f in features[i + 1] and f.startswith("w:")]
            if shared and weight[i - 1] == weight[i + 1]:
                w, feats = weight[i - 1], features[i - 1]
        if out and out[-1]["weight"] == w and out[-1]["features"] == feats:
            out[-1]["text"] += piece
        else:
            out.append({"text": piece, "weight": w, "features": list(feats)})
    return out
