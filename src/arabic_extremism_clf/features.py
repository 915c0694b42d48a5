"""TF-IDF features of posts: word n-grams and character n-grams within words.

:class:`PostVectorizer` turns raw posts into one sparse TF-IDF matrix made of two
blocks, each L2-normalized on its own:

* word n-grams over the tokens of :func:`arabic_extremism_clf.preprocess.preprocess`;
* character n-grams inside each token, padded with a space on both sides (the
  ``char_wb`` scheme of scikit-learn), where Arabic clitics and stems live.

Vocabulary learning and document frequencies use scikit-learn's ``CountVectorizer``
and ``TfidfTransformer``. Transforming is done by fast paths that give the same
matrix: :meth:`PostVectorizer.transform_tokens` maps every distinct token once to the
indices of its character n-grams and memoizes the result, because most tokens repeat
across posts; :meth:`PostVectorizer.transform` (raw posts) goes further and maps every
distinct whitespace-separated chunk of a post once to integer token slots, then builds a
batch's matrix with vectorized numpy (see ``_FastTransform``); its result is bit-identical
to ``transform_tokens`` of the preprocessed posts.
"""

from __future__ import annotations

import array
import threading
from collections.abc import Iterable, Sequence
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.utils.validation import check_is_fitted

from .preprocess import _check_str, _options_from, _prepare, preprocess

__all__ = ["PostVectorizer", "word_ngrams", "char_ngrams"]

_MEMO_LIMIT = 500_000
#: Distinct chunks (and distinct tokens) memoized by the fast transform path before its
#: memos are cleared: about 100 MB at most.
_FAST_MEMO_LIMIT = 200_000


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


def _doc_word_ngrams(tokens: Sequence[str], ngram_range: tuple[int, int]) -> list[str]:
    return word_ngrams(tokens, ngram_range)


def _doc_char_ngrams(tokens: Sequence[str], ngram_range: tuple[int, int]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(char_ngrams(token, ngram_range))
    return out


class PostVectorizer(TransformerMixin, BaseEstimator):
    """Word and character n-gram TF-IDF features of raw Arabic posts.

    Parameters
    ----------
    word_ngram_range : (int, int), default=(1, 2)
        Range of n for word n-grams.
    char_ngram_range : (int, int), default=(2, 5)
        Range of n for character n-grams within words. ``None`` disables them.
    min_df : int, default=2
        Ignore n-grams found in fewer posts than this.
    max_word_features, max_char_features : int or None, default=None
        Keep only the most frequent n-grams of each kind.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.
    normalize_options : dict or None, default=None
        Switches passed to :func:`~arabic_extremism_clf.preprocess.normalize`.

    Attributes
    ----------
    word_vocabulary_ : dict of str to int
    char_vocabulary_ : dict of str to int
    word_idf_, char_idf_ : ndarray of float64
    n_features_out_ : int

    Examples
    --------
    >>> vec = PostVectorizer(min_df=1).fit(["مباراة كرة القدم", "طقس ممطر اليوم"])
    >>> vec.transform(["مباراة اليوم"]).shape[0]
    1
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        max_word_features: int | None = None,
        max_char_features: int | None = None,
        sublinear_tf: bool = True,
        normalize_options: dict | None = None,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.sublinear_tf = sublinear_tf
        self.normalize_options = normalize_options

    # -- fitting ----------------------------------------------------------------------

    def _tokens(self, raw_documents: Iterable[str]) -> list[list[str]]:
        if isinstance(raw_documents, str):
            raise TypeError(
                "Iterable over raw text documents expected, str object received: "
                "wrap a single post in a list"
            )
        options = self.normalize_options or {}
        return [preprocess(doc, **options) for doc in raw_documents]

    def fit(self, raw_documents: Iterable[str], y: object = None) -> PostVectorizer:
        """Learn the vocabularies and document frequencies.

        Parameters
        ----------
        raw_documents : iterable of str
        y : ignored

        Returns
        -------
        self
        """
        self._fit_tokens(self._tokens(raw_documents))
        return self

    def _fit_tokens(self, docs: list[list[str]]) -> sp.csr_matrix:
        self.__dict__.pop("_char_memo", None)
        self.__dict__.pop("_fast", None)
        blocks = []
        word_counter = CountVectorizer(
            analyzer=partial(_doc_word_ngrams, ngram_range=tuple(self.word_ngram_range)),
            min_df=self.min_df,
            max_features=self.max_word_features,
            dtype=np.float64,
        )
        word_counts = word_counter.fit_transform(docs)
        self.word_vocabulary_ = dict(word_counter.vocabulary_)
        word_tfidf = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(word_counts)
        self.word_idf_ = word_tfidf.idf_.astype(np.float64)
        blocks.append(self._weight(word_counts, self.word_idf_))
        if self.char_ngram_range is not None:
            char_counter = CountVectorizer(
                analyzer=partial(_doc_char_ngrams, ngram_range=tuple(self.char_ngram_range)),
                min_df=self.min_df,
                max_features=self.max_char_features,
                dtype=np.float64,
            )
            char_counts = char_counter.fit_transform(docs)
            self.char_vocabulary_ = dict(char_counter.vocabulary_)
            self.char_idf_ = (
                TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(char_counts).idf_
            ).astype(np.float64)
            blocks.append(self._weight(char_counts, self.char_idf_))
        else:
            self.char_vocabulary_ = {}
            self.char_idf_ = np.zeros(0)
        self.n_features_out_ = len(self.word_vocabulary_) + len(self.char_vocabulary_)
        return sp.hstack(blocks, format="csr")

    def fit_transform(self, raw_documents: Iterable[str], y: object = None) -> sp.csr_matrix:
        """Fit, then return the TF-IDF matrix of the same posts.

        Parameters
        ----------
        raw_documents : iterable of str
        y : ignored

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_posts, n_features_out_)
        """
        return self._fit_tokens(self._tokens(raw_documents))

    # -- transforming -----------------------------------------------------------------

    def _weight(self, counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        counts = sp.csr_matrix(counts, dtype=np.float64)
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        counts = counts @ sp.diags(idf) if idf.size else counts
        if counts.shape[0] == 0:  # sklearn's normalize refuses an empty matrix
            return counts
        return l2_normalize(counts, copy=False)

    def _word_counts(self, docs: list[list[str]]) -> sp.csr_matrix:
        vocab = self.word_vocabulary_
        ngram_range = tuple(self.word_ngram_range)
        indptr = [0]
        indices: list[int] = []
        get = vocab.get
        for tokens in docs:
            for gram in word_ngrams(tokens, ngram_range):
                idx = get(gram)
                if idx is not None:
                    indices.append(idx)
            indptr.append(len(indices))
        return _counts_matrix(indptr, indices, len(docs), len(vocab))

    def _token_char_indices(self, token: str) -> np.ndarray:
        memo = self.__dict__.setdefault("_char_memo", {})
        out = memo.get(token)
        if out is None:
            get = self.char_vocabulary_.get
            found = [get(g) for g in char_ngrams(token, tuple(self.char_ngram_range))]
            out = np.fromiter((i for i in found if i is not None), dtype=np.int64)
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[token] = out
        return out

    def _char_counts(self, docs: list[list[str]]) -> sp.csr_matrix:
        memo = self.__dict__.setdefault("_char_memo", {})
        lookup = self._token_char_indices
        pieces: list[np.ndarray] = []
        lengths = np.zeros(len(docs) + 1, dtype=np.int64)
        for row, tokens in enumerate(docs):
            total = 0
            for token in tokens:
                arr = memo.get(token)
                if arr is None:
                    arr = lookup(token)
                pieces.append(arr)
                total += arr.size
            lengths[row + 1] = total
        indptr = np.cumsum(lengths)
        indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        return _counts_matrix(indptr, indices, len(docs), len(self.char_vocabulary_))

    def transform_tokens(self, docs: list[list[str]]) -> sp.csr_matrix:
        """TF-IDF matrix of already preprocessed posts (lists of tokens).

        Parameters
        ----------
        docs : list of list of str
            Output of :func:`~arabic_extremism_clf.preprocess.preprocess`, one per post.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_posts, n_features_out_)
        """
        check_is_fitted(self, "word_vocabulary_")
        blocks = [self._weight(self._word_counts(docs), self.word_idf_)]
        if self.char_vocabulary_:
            blocks.append(self._weight(self._char_counts(docs), self.char_idf_))
        return sp.hstack(blocks, format="csr")

    def transform(self, raw_documents: Iterable[str]) -> sp.csr_matrix:
        """TF-IDF matrix of raw posts.

        Parameters
        ----------
        raw_documents : iterable of str

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_posts, n_features_out_)
        """
        check_is_fitted(self, "word_vocabulary_")
        if isinstance(raw_documents, str):
            return self.transform_tokens(self._tokens(raw_documents))  # raises TypeError
        docs = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
        fast = _FastTransform.of(self) if docs else None
        if fast is not None:
            return fast.transform(docs)
        return self.transform_tokens(self._tokens(docs))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output features: ``w:<n-gram>`` then ``c:<n-gram>``.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self, "word_vocabulary_")
        names = np.empty(self.n_features_out_, dtype=object)
        offset = len(self.word_vocabulary_)
        for term, idx in self.word_vocabulary_.items():
            names[idx] = "w:" + term
        for term, idx in self.char_vocabulary_.items():
            names[offset + idx] = "c:" + term
        return names

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_char_memo", None)
        state.pop("_fast", None)
        return state

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


def _counts_matrix(indptr, indices, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """CSR count matrix from per-row feature indices (repeats are summed)."""
    indices = np.asarray(indices, dtype=np.int64)
    data = np.ones(indices.size, dtype=np.float64)
    matrix = sp.csr_matrix(
        (data, indices, np.asarray(indptr, dtype=np.int64)), shape=(n_rows, n_cols)
    )
    matrix.sum_duplicates()
    return matrix


# --- the fast transform path -----------------------------------------------------------


class _Growing:
    """A numpy array that grows by doubling (appending is amortized O(1))."""

    __slots__ = ("array", "size")

    def __init__(self, dtype: type) -> None:
        self.array = np.empty(1024, dtype=dtype)
        self.size = 0

    def extend(self, values: Sequence[int]) -> None:
        end = self.size + len(values)
        if end > self.array.size:
            grown = np.empty(max(2 * self.array.size, end), dtype=self.array.dtype)
            grown[: self.size] = self.array[: self.size]
            self.array = grown
        self.array[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.array[: self.size]


class _FastTransform:
    """Raw posts -> the TF-IDF matrix of :meth:`PostVectorizer.transform_tokens`, faster.

    The result is bit-identical to ``transform_tokens([preprocess(doc) ...])``; only the
    way it is computed differs:

    * every distinct whitespace-free chunk of a post (see ``preprocess._prepare``) is
      mapped once to a tuple of integer token *slots*, memoized, so a post costs one
      dict lookup per chunk instead of normalizing, tokenizing and building n-gram
      strings;
    * per slot, numpy arrays hold the token's unigram index, its id among the tokens of
      the vocabulary's bigrams, and the indices of its character n-grams;
    * a batch of posts then becomes its count matrices with vectorized numpy: a gather
      of the character n-gram indices, a ``searchsorted`` of the bigram keys, one sort
      of ``(row, column)`` keys and run lengths for the counts;
    * the counts are weighted as ``PostVectorizer._weight`` does, with the values and
      the in-row order (descending columns) that its ``counts @ sp.diags(idf)`` product
      gives, so that the L2 normalization sums in the same order.

    Used for word n-grams of n <= 2 (the default); other settings take the reference
    path. Memos are bounded (:data:`_FAST_MEMO_LIMIT`) and cleared together when full. A
    lock makes concurrent ``transform`` calls from threads safe.
    """

    def __init__(self, vec: PostVectorizer) -> None:
        self.key = _FastTransform._key(vec)
        self.vec = vec
        self.options = _options_from(vec.normalize_options or {})
        lo, hi = vec.word_ngram_range
        self.unigrams = lo <= 1
        self.bigrams = lo <= 2 <= hi
        self.char_range = tuple(vec.char_ngram_range) if vec.char_vocabulary_ else None
        unigram_index: dict[str, int] = {}
        bigram_token: dict[str, int] = {}
        pairs: list[tuple[int, int, int]] = []
        for term, index in vec.word_vocabulary_.items():
            parts = term.split(" ")
            if len(parts) == 1:
                unigram_index[term] = index
            elif len(parts) == 2:
                first = bigram_token.setdefault(parts[0], len(bigram_token))
                second = bigram_token.setdefault(parts[1], len(bigram_token))
                pairs.append((first, second, index))
            # Longer terms cannot match: tokens never hold whitespace.
        self.unigram_index = unigram_index
        self.bigram_token = bigram_token
        self.n_bigram_tokens = max(len(bigram_token), 1)
        table = np.asarray(pairs, dtype=np.int64).reshape(-1, 3)
        keys = table[:, 0] * self.n_bigram_tokens + table[:, 1]
        order = np.argsort(keys)
        self.bigram_keys = keys[order]
        self.bigram_index = table[order, 2]
        self.lock = threading.Lock()
        self._reset()

    @staticmethod
    def _key(vec: PostVectorizer) -> tuple:
        options = tuple(sorted((vec.normalize_options or {}).items()))
        return (
            id(vec.word_vocabulary_), id(vec.char_vocabulary_), id(vec.word_idf_),
            id(vec.char_idf_), tuple(vec.word_ngram_range),
            None if vec.char_ngram_range is None else tuple(vec.char_ngram_range),
            options, vec.sublinear_tf,
        )  # fmt: skip

    @classmethod
    def of(cls, vec: PostVectorizer) -> _FastTransform | None:
        """The fast path of a fitted vectorizer, or None where it does not apply."""
        lo, hi = vec.word_ngram_range
        if not 1 <= lo <= hi <= 2:
            return None
        fast = vec.__dict__.get("_fast")
        if fast is None or fast.key != cls._key(vec):
            fast = vec.__dict__["_fast"] = cls(vec)
        return fast

    def _reset(self) -> None:
        self.chunk_slots: dict[str, array.array] = {}
        self.token_slot: dict[str, int] = {}
        self.slot_unigram = _Growing(np.int64)
        self.slot_bigram_token = _Growing(np.int64)
        self.slot_char_start = _Growing(np.int64)
        self.slot_char_count = _Growing(np.int64)
        self.char_indices = _Growing(np.int32)
        self._n_char_indices = 0
        self._new_slots()

    def _new_slots(self) -> None:
        """Start collecting the arrays of new slots (appended to the arrays at once)."""
        self._pending: tuple[list[int], list[int], list[int], list[int], array.array] = (
            [], [], [], [], array.array("i"),
        )  # fmt: skip

    def _new_slot(self, token: str) -> int:
        slot = len(self.token_slot)
        self.token_slot[token] = slot
        unigram, bigram_token, char_start, char_count, char_indices = self._pending
        unigram.append(self.unigram_index.get(token, -1))
        bigram_token.append(self.bigram_token.get(token, -1))
        found: list[int] = []
        if self.char_range is not None:
            get = self.vec.char_vocabulary_.get
            found = [i for i in map(get, char_ngrams(token, self.char_range)) if i is not None]
        char_start.append(self._n_char_indices)
        char_count.append(len(found))
        char_indices.extend(found)
        self._n_char_indices += len(found)
        return slot

    def _append_new_slots(self) -> None:
        unigram, bigram_token, char_start, char_count, char_indices = self._pending
        if unigram:
            self.slot_unigram.extend(unigram)
            self.slot_bigram_token.extend(bigram_token)
            self.slot_char_start.extend(char_start)
            self.slot_char_count.extend(char_count)
            self.char_indices.extend(np.frombuffer(char_indices, dtype=np.intc))
            self._new_slots()

    def _chunk(self, chunk: str) -> array.array:
        token_slot = self.token_slot
        slots = array.array("q")
        for token in self.options.tokenize_chunk(chunk):
            slot = token_slot.get(token)
            slots.append(self._new_slot(token) if slot is None else slot)
        self.chunk_slots[chunk] = slots
        return slots

    def _slots(self, docs: list[str]) -> tuple[bytes, list[int], tuple[np.ndarray, ...]]:
        """The token slots of every post (int64 bytes), where each post's slots end,
        and the slot arrays they index."""
        with self.lock:
            if max(len(self.chunk_slots), len(self.token_slot)) >= _FAST_MEMO_LIMIT:
                self._reset()
            memo_get = self.chunk_slots.get
            new_chunk = self._chunk
            pieces: list[array.array] = []
            add_pieces = pieces.extend
            ends = []
            total = 0
            for doc in docs:
                if not isinstance(doc, str):
                    _check_str(doc)
                chunks = _prepare(doc)
                # The memo lookups of a post in one C-level map; misses are rare.
                found = list(map(memo_get, chunks))
                if None in found:
                    found = [
                        new_chunk(chunk) if slots is None else slots
                        for chunk, slots in zip(chunks, found)
                    ]
                add_pieces(found)
                total += sum(map(len, found))
                ends.append(total)
            flat = b"".join(pieces)
            self._append_new_slots()
            arrays = (
                self.slot_unigram.view(), self.slot_bigram_token.view(),
                self.slot_char_start.view(), self.slot_char_count.view(),
                self.char_indices.view(),
            )  # fmt: skip
        return flat, ends, arrays

    def transform(self, docs: list[str]) -> sp.csr_matrix:
        vec = self.vec
        flat, ends, arrays = self._slots(docs)
        unigram, bigram_token, char_start, char_count, char_indices = arrays
        n_docs = len(docs)
        slots = np.frombuffer(flat, dtype=np.int64)
        lengths = np.diff(np.asarray([0, *ends], dtype=np.int64))
        row = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
        rows, cols = [], []
        if self.unigrams:
            index = unigram[slots]
            found = index >= 0
            rows.append(row[found])
            cols.append(index[found])
        if self.bigrams and slots.size > 1 and self.bigram_keys.size:
            ids = bigram_token[slots]
            first, second = ids[:-1], ids[1:]
            pair = (row[:-1] == row[1:]) & (first >= 0) & (second >= 0)
            keys = first[pair] * self.n_bigram_tokens + second[pair]
            where = np.searchsorted(self.bigram_keys, keys)
            where[where == self.bigram_keys.size] = 0
            found = self.bigram_keys[where] == keys
            rows.append(row[:-1][pair][found])
            cols.append(self.bigram_index[where[found]])
        blocks = [
            _weighted_counts(
                np.concatenate(rows) if rows else row[:0],
                np.concatenate(cols) if cols else row[:0],
                n_docs, len(vec.word_vocabulary_), vec.word_idf_, vec.sublinear_tf,
            )
        ]  # fmt: skip
        if vec.char_vocabulary_:
            counts = char_count[slots]
            starts = char_start[slots]
            total = int(counts.sum())
            offsets = np.cumsum(counts) - counts
            gather = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, counts)
            blocks.append(
                _weighted_counts(
                    np.repeat(row, counts), char_indices[gather],
                    n_docs, len(vec.char_vocabulary_), vec.char_idf_, vec.sublinear_tf,
                )
            )  # fmt: skip
        return sp.hstack(blocks, format="csr")


def _weighted_counts(
    rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, idf: np.ndarray, sublinear: bool
) -> sp.csr_matrix:
    """``PostVectorizer._weight`` of the count matrix of ``(row, col)`` occurrences.

    Same values, same in-row order: ``_weight`` multiplies the canonical count matrix
    by ``sp.diags(idf)``, whose product lists each row's columns in descending order
    and drops zeros; the L2 normalization then sums each row in that order.

    The occurrences are sorted as ``row * n_cols + (n_cols - 1 - col)`` keys (int32
    when they fit, which sorts fastest); runs of equal keys are the counts, and the
    row boundaries are found by binary search instead of dividing every key.
    """
    descending = idf.size > 0
    dtype = np.int32 if (n_rows + 1) * max(n_cols, 1) < 2**31 else np.int64
    keys = rows.astype(dtype, copy=True)
    keys *= dtype(n_cols)
    if descending:
        keys += dtype(n_cols - 1)
        keys -= cols.astype(dtype, copy=False)
    else:
        keys += cols.astype(dtype, copy=False)
    keys.sort()
    if keys.size:
        change = np.empty(keys.size, dtype=bool)
        change[0] = True
        np.not_equal(keys[1:], keys[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        data = np.diff(starts, append=keys.size).astype(np.float64)
        keys = keys[starts]
    else:
        data = np.zeros(0)
    row_base = np.arange(n_rows + 1, dtype=dtype) * dtype(n_cols)
    indptr = np.searchsorted(keys, row_base)
    columns = keys - np.repeat(row_base[:-1], np.diff(indptr))
    if descending:
        np.subtract(dtype(n_cols - 1), columns, out=columns)
    if sublinear:
        np.log(data, data)
        data += 1.0
    if descending:
        data *= idf[columns]
        nonzero = data != 0
        if not nonzero.all():  # the product drops zeros: so must this
            kept = np.cumsum(np.concatenate(([0], nonzero)))
            data, columns, indptr = data[nonzero], columns[nonzero], kept[indptr]
    matrix = sp.csr_matrix((data, columns, indptr), shape=(n_rows, n_cols))
    if not descending:
        matrix.has_canonical_format = True
    return l2_normalize(matrix, copy=False)
