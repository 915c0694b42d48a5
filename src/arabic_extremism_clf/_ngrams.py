"""Word n-grams and character n-grams within words: the features' vocabulary units.

Re-exported by :mod:`arabic_extremism_clf.features`, their public home.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["word_ngrams", "char_ngrams"]


def word_ngrams(tokens: Sequence[str], ngram_range: tuple[int, int]) -> list[str]:
    """Word n-grams of a token list, joined by a space.

    Parameters
    ----------
    tokens : sequence of str
    ngram_range : (int, int)
        Smallest and largest n.

    Returns
    -------
    list of str

    Examples
    --------
    >>> word_ngrams(["a", "b", "c"], (1, 2))
    ['a', 'b', 'c', 'a b', 'b c']
    """
    lo, hi = ngram_range
    out = list(tokens) if lo == 1 else []
    n_tokens = len(tokens)
    for n in range(max(lo, 2), min(hi, n_tokens) + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1))
    return out


def char_ngrams(token: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of one token padded with spaces (scikit-learn's ``char_wb``).

    Parameters
    ----------
    token : str
    ngram_range : (int, int)

    Returns
    -------
    list of str

    Examples
    --------
    >>> char_ngrams("ab", (2, 3))
    [' a', 'ab', 'b ', ' ab', 'ab ']
    """
    lo, hi = ngram_range
    padded = f" {token} "
    size = len(padded)
    out = []
    for n in range(lo, hi + 1):
        if n >= size:
            # A token shorter than n is one n-gram, counted once (as scikit-learn does).
            out.append(padded)
            break
        out.extend(padded[i : i + n] for i in range(size - n + 1))
    return out
