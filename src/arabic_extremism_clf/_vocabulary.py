"""A word vocabulary kept split into unigrams and token-id n-grams (model format 2).

A fitted :class:`~arabic_extremism_clf.features.PostVectorizer` maps word n-gram terms
(``"first second"``: tokens joined by a space; tokens never hold whitespace) to
columns. Most of those terms are bigrams, and making ~10^5 of their strings, or splitting
them again for the fast transform's bigram tables, is most of the time it takes to load
a model for scoring. :class:`SplitVocabulary` is the same mapping kept as its parts: the
unigrams as a dict, and every longer n-gram as a row of token ids with its column. The
model format stores the word vocabulary this way; the fast transform builds its tables
from the id arrays with numpy; and the n-gram strings are made only when a term is
looked up, iterated or named (explanations, feature names), once. Private: the loaders
in :mod:`.persistence.format` build it, and check everything its invariants require.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["SplitVocabulary", "PAD"]

#: The id that pads the rows of n-grams shorter than the widest one.
PAD = -1


class SplitVocabulary(Mapping[str, int]):
    """A word vocabulary (term -> column) kept as unigrams and rows of token ids.

    Reads like the ``dict`` it stands for (``len``, lookups, iteration in column
    order, ``==``); the strings of the longer n-grams are built on the first lookup or
    iteration, not before, so ``len`` and the fast transform's tables cost no strings.

    Parameters
    ----------
    unigram_index : dict of str to int
        The terms without a space, to their columns.
    tokens : list of str
        The distinct tokens of the longer n-grams; a token's id is its position.
    ngrams : ndarray of int32, shape (n_ngrams, width)
        One n-gram per row: its token ids, then :data:`PAD` up to ``width`` (>= 2).
        Rows are distinct and in increasing lexicographic order.
    ngram_columns : ndarray of int32, shape (n_ngrams,)
        The column of each row's n-gram.
    token_ids : dict of str to int or None
        ``tokens`` to their ids, if already built (the loader builds it to check that
        the tokens are distinct).

    Notes
    -----
    The invariants (no space in a unigram or a token, distinct tokens, ids in range,
    padding only at the end of a row, sorted distinct rows, the columns a permutation
    of ``0..n-1``) are established by :meth:`from_terms` and checked by the model
    loader; the class itself trusts its arguments.

    Examples
    --------
    >>> vocab = SplitVocabulary.from_terms({"b": 0, "a c": 1, "a": 2, "c a": 3})
    >>> len(vocab), vocab.tokens, vocab.ngrams.tolist()
    (4, ['a', 'c'], [[0, 1], [1, 0]])
    >>> vocab["c a"], list(vocab)
    (3, ['b', 'a c', 'a', 'c a'])
    >>> vocab == {"a": 2, "b": 0, "a c": 1, "c a": 3}
    True
    """

    def __init__(
        self,
        unigram_index: dict[str, int],
        tokens: list[str],
        ngrams: np.ndarray,
        ngram_columns: np.ndarray,
        token_ids: dict[str, int] | None = None,
    ) -> None:
        self.unigram_index = unigram_index
        self.tokens = tokens
        self.ngrams = ngrams
        self.ngram_columns = ngram_columns
        self.token_ids = dict(zip(tokens, range(len(tokens)))) if token_ids is None else token_ids
        self._terms: dict[str, int] | None = None

    @classmethod
    def from_terms(cls, vocabulary: Mapping[str, int]) -> SplitVocabulary:
        """Split a term -> column mapping: the unigrams in column order, the tokens
        sorted, the rows in increasing order (so the same mapping gives the same arrays).

        Parameters
        ----------
        vocabulary : mapping of str to int
            Word n-gram terms (tokens joined by single spaces) to their columns.

        Returns
        -------
        SplitVocabulary
            The same mapping: ``SplitVocabulary.from_terms(v) == v``.
        """
        if isinstance(vocabulary, SplitVocabulary):
            return vocabulary
        items = sorted((int(i), t) for t, i in vocabulary.items())  # in column order
        unigram_index = {t: i for i, t in items if " " not in t}
        longer = [(t.split(" "), i) for i, t in items if " " in t]
        tokens = sorted({token for parts, _ in longer for token in parts})
        token_ids = dict(zip(tokens, range(len(tokens))))
        width = max((len(parts) for parts, _ in longer), default=2)
        rows = [
            [*map(token_ids.__getitem__, parts), *[PAD] * (width - len(parts))]
            for parts, _ in longer
        ]
        ngrams = np.array(rows, dtype=np.int32).reshape(len(longer), width)
        columns = np.array([i for _, i in longer], dtype=np.int32)
        order = np.lexsort(ngrams.T[::-1])  # rows by first id, then second, ...
        return cls(unigram_index, tokens, ngrams[order], columns[order], token_ids)

    def ngram_lengths(self) -> np.ndarray:
        """The number of tokens of each row's n-gram (ndarray of int)."""
        return np.count_nonzero(self.ngrams != PAD, axis=1)

    def bigrams(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows of exactly two tokens and their columns, in row order.

        Returns
        -------
        pairs : ndarray of int32, shape (n_bigrams, 2)
            Token ids, in increasing lexicographic order.
        columns : ndarray of int32, shape (n_bigrams,)
        """
        if self.ngrams.shape[1] == 2:
            return self.ngrams, self.ngram_columns
        two = self.ngram_lengths() == 2
        return self.ngrams[two, :2], self.ngram_columns[two]

    def ngram_strings(self) -> list[str]:
        """The terms of the rows (``"first second"``), in row order."""
        lengths = self.ngram_lengths()
        out: list[Any] = [None] * len(lengths)
        token = self.tokens.__getitem__
        for n in np.unique(lengths).tolist():
            rows = np.flatnonzero(lengths == n)
            ids = self.ngrams[rows, :n]
            columns = [map(token, ids[:, j].tolist()) for j in range(n)]
            strings = list(map(" ".join, zip(*columns)))
            if len(rows) == len(out):
                return strings
            for i, string in zip(rows.tolist(), strings):
                out[i] = string
        return out

    def to_dict(self) -> dict[str, int]:
        """A new ``dict`` of every term to its column, in column order.

        The form a fitted ``PostVectorizer.word_vocabulary_`` has: the same dict, in
        the same order, as the terms stored in column order would give.
        """
        n = len(self)
        terms = np.empty(n, dtype=object)
        unigram_columns = np.fromiter(
            self.unigram_index.values(), np.int64, len(self.unigram_index)
        )
        # Object arrays of the str objects themselves (a unicode array would drop NULs).
        terms[unigram_columns] = _objects(list(self.unigram_index))
        terms[self.ngram_columns] = _objects(self.ngram_strings())
        return dict(zip(terms.tolist(), range(n)))

    def _mapping(self) -> dict[str, int]:
        """Every term to its column, built on first use and kept."""
        if self._terms is None:
            self._terms = self.to_dict()
        return self._terms

    # --- the Mapping interface: len without strings, the rest through the dict ------

    def __len__(self) -> int:
        return len(self.unigram_index) + len(self.ngram_columns)

    def __getitem__(self, term: str) -> int:
        return self._mapping()[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __contains__(self, term: object) -> bool:
        return term in self._mapping()

    def keys(self) -> Any:
        return self._mapping().keys()

    def items(self) -> Any:
        return self._mapping().items()

    def values(self) -> Any:
        return self._mapping().values()

    def get(self, term: str, default: Any = None) -> Any:
        return self._mapping().get(term, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SplitVocabulary):
            other = other._mapping()
        if not isinstance(other, Mapping):
            return NotImplemented
        return self._mapping() == (other if isinstance(other, dict) else dict(other.items()))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like dict

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_terms"] = None  # rebuilt on first use
        state["token_ids"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.token_ids is None:
            self.token_ids = dict(zip(self.tokens, range(len(self.tokens))))

    def __repr__(self) -> str:
        return (
            f"SplitVocabulary({len(self)} terms: {len(self.unigram_index)} unigrams, "
            f"{len(self.ngram_columns)} longer n-grams of {len(self.tokens)} tokens)"
        )


def _objects(strings: list[str]) -> np.ndarray:
    """A 1-d object array holding the given str objects."""
    out = np.empty(len(strings), dtype=object)
    out[:] = strings
    return out
