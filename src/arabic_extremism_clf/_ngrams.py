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
    padded = f" {token} "
    size = len(padded)
    bounds = _SLICES.get((size, *ngram_range)) if size <= _SLICED_SIZES else None
    if bounds is None:
        bounds = _slices(size, ngram_range)
    return [padded[start:end] for start, end in bounds]


#: Padded token lengths whose slice bounds are kept (longer tokens are rare).
_SLICED_SIZES = 64
_SLICES: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}


def _slices(size: int, ngram_range: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` of every character n-gram of a padded token of ``size``
    characters, in :func:`char_ngrams`' order (one list comprehension of slices is
    about twice as fast as slicing in nested loops; the bounds depend only on the size)."""
    lo, hi = ngram_range
    bounds: list[tuple[int, int]] = []
    for n in range(lo, hi + 1):
        if n >= size:
            # A token shorter than n is one n-gram, counted once (as scikit-learn does).
            bounds.append((0, size))
            break
        bounds.extend((i, i + n) for i in range(size - n + 1))
    out = tuple(bounds)
    if size <= _SLICED_SIZES:
        _SLICES[(size, lo, hi)] = out
    return out
