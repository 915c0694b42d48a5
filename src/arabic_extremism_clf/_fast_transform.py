"""The memoized fast path of :meth:`PostVectorizer.transform <.features.PostVectorizer.transform>`.

Raw posts -> the TF-IDF matrix that ``PostVectorizer.transform_tokens`` gives for the
preprocessed posts, bit for bit, computed with memos of chunks and tokens and vectorized
numpy (see :class:`_FastTransform`), as plain CSR arrays (:class:`._rows.Rows`): this
module imports neither scipy nor scikit-learn, so scoring does not either. Private:
:mod:`.features` is the public interface.
"""

from __future__ import annotations

import array
import itertools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ._ngrams import char_ngrams
from ._rows import Rows, hstack_rows, l2_normalize_rows, norm_floor_value
from ._vocabulary import SplitVocabulary
from .preprocess import _check_str, _options_from, _prepare

if TYPE_CHECKING:  # type hints only: features imports this module
    from .features import PostVectorizer

#: Distinct chunks (and distinct tokens) memoized by the fast transform path before its
#: memos are cleared: about 100 MB at most.
_FAST_MEMO_LIMIT = 200_000


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


class SlotTables(NamedTuple):
    """Per token slot: its unigram column (-1: none), its id among the tokens of the
    vocabulary's bigrams (-1: none), where its character n-gram columns start in
    ``char_indices`` and how many there are."""

    unigram: np.ndarray
    bigram_token: np.ndarray
    char_start: np.ndarray
    char_count: np.ndarray
    char_indices: np.ndarray


class Relay(NamedTuple):
    """Chunks memoized by one fast transform, for another to memoize without computing
    them (:meth:`_FastTransform.export`, :meth:`_FastTransform.absorb`): worker
    processes pass on what each computed, so that each distinct chunk is normalized,
    tokenized and looked up in the vocabularies about once, whatever the workers."""

    #: The chunks.
    chunks: list[str]
    #: Tokens per chunk.
    counts: np.ndarray
    #: The tokens of all chunks, chunk after chunk.
    tokens: list[str]
    #: Per token: unigram column, bigram-token id, number of character n-gram columns.
    unigram: np.ndarray
    bigram_token: np.ndarray
    char_count: np.ndarray
    #: The character n-gram columns of all tokens, token after token.
    char_indices: np.ndarray


class _FastTransform:
    """Raw posts -> the TF-IDF matrix of :meth:`PostVectorizer.transform_tokens`, faster.

    The result is bit-identical to ``transform_tokens([preprocess(doc) ...])``; only the
    way it is computed differs:

    * every distinct whitespace-free chunk of a post (see ``preprocess._prepare``) is
      mapped once to a tuple of integer token *slots*, memoized, so a post costs one
      dict lookup per chunk instead of normalizing, tokenizing and building n-gram
      strings; the chunks of a batch that the memo lacks are computed together
      (:meth:`_compute`);
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
        self.word_floor = block_norm_floor(vec, 0, vec.word_idf_)
        self.char_floor = block_norm_floor(vec, 1, vec.char_idf_)
        # Every token of a bigram has an id, and a bigram is the key first * n + second.
        vocabulary = vec.word_vocabulary_
        if isinstance(vocabulary, SplitVocabulary):
            tables = _FastTransform._split_tables(vocabulary)
        else:
            tables = _FastTransform._term_tables(vocabulary)
        self.unigram_index, self.bigram_token, first, second, columns = tables
        self.n_bigram_tokens = max(len(self.bigram_token), 1)
        keys = first * self.n_bigram_tokens + second
        order = np.argsort(keys, kind="stable")  # a split vocabulary's are already sorted
        self.bigram_keys = keys[order]
        self.bigram_index = columns[order]
        self.lock = threading.Lock()
        self.fresh: list[str] | None = None  # chunks computed here, when noted
        self._reset()

    @staticmethod
    def _term_tables(vocabulary: dict[str, int]) -> tuple:
        """The unigram index, the bigram token ids, and the bigrams as first ids, second
        ids and columns (int64), from a term -> column mapping.

        Tokens never hold whitespace, so a term is a unigram, a bigram "first second",
        or longer (which cannot match here: n <= 2). The bigrams are split all at once
        (one join and one split, in C: the vocabulary holds ~10^5 of them).
        """
        unigram_index = {t: i for t, i in vocabulary.items() if " " not in t}
        bigrams = [t for t in vocabulary if t.count(" ") == 1]
        parts = " ".join(bigrams).split(" ")
        bigram_token = dict(zip(dict.fromkeys(parts), itertools.count()))
        ids = np.fromiter(map(bigram_token.__getitem__, parts), np.int64, len(parts))
        columns = np.fromiter(map(vocabulary.__getitem__, bigrams), np.int64, len(bigrams))
        return unigram_index, bigram_token, ids[0::2], ids[1::2], columns

    @staticmethod
    def _split_tables(vocabulary: SplitVocabulary) -> tuple:
        """The same tables from a :class:`SplitVocabulary` (model format 2), with numpy
        only: no term string is built or split."""
        pairs, columns = vocabulary.bigrams()
        return (
            vocabulary.unigram_index, vocabulary.token_ids, pairs[:, 0].astype(np.int64),
            pairs[:, 1].astype(np.int64), columns.astype(np.int64),
        )  # fmt: skip

    @staticmethod
    def _key(vec: PostVectorizer) -> tuple:
        options = tuple(sorted((vec.normalize_options or {}).items()))
        return (
            id(vec.word_vocabulary_), id(vec.char_vocabulary_), id(vec.word_idf_),
            id(vec.char_idf_), tuple(vec.word_ngram_range),
            None if vec.char_ngram_range is None else tuple(vec.char_ngram_range),
            options, vec.sublinear_tf, getattr(vec, "norm_floor", None),
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
        self.slot_token: list[str] = []
        if self.fresh is not None:
            self.fresh = []
        self.slot_unigram = _Growing(np.int64)
        self.slot_bigram_token = _Growing(np.int64)
        self.slot_char_start = _Growing(np.int64)
        self.slot_char_count = _Growing(np.int64)
        self.char_indices = _Growing(np.int32)
        self._n_char_indices = 0

    def _slots(self, docs: list[str]) -> tuple[bytes, list[int], SlotTables]:
        """The string stage: the token slots of every post (int64 bytes, post after
        post), where each post's slots end, and the slot tables they index.

        A post costs one memo lookup per chunk. The chunks of the batch that no memo
        holds are computed all at once (:meth:`_compute`), then looked up like the
        others: :meth:`_rows` needs only numbers.
        """
        with self.lock:
            if max(len(self.chunk_slots), len(self.token_slot)) >= _FAST_MEMO_LIMIT:
                self._reset()
            memo_get = self.chunk_slots.get
            posts: list[list[Any]] = []  # per post: its chunks' slots
            redo: list[tuple[int, list[str]]] = []  # the posts that had new chunks
            missing: dict[str, None] = {}  # chunks to compute, in order of first sight
            for doc in docs:
                if not isinstance(doc, str):
                    _check_str(doc)
                chunks = _prepare(doc)
                # The memo lookups of a post in one C-level map.
                found = list(map(memo_get, chunks))
                if None in found:
                    missing.update(dict.fromkeys(
                        [chunk for chunk, slots in zip(chunks, found) if slots is None]
                    ))  # fmt: skip
                    redo.append((len(posts), chunks))
                posts.append(found)
            if missing:
                self._compute(list(missing))
                for index, chunks in redo:
                    posts[index] = list(map(memo_get, chunks))
            pieces: list[array.array] = []
            add_pieces = pieces.extend
            ends = []
            total = 0
            for found in posts:
                add_pieces(found)
                total += sum(map(len, found))
                ends.append(total)
            return b"".join(pieces), ends, self._tables()

    def _compute(self, chunks: list[str]) -> None:
        """Memoize chunks that no memo holds: normalize and tokenize them (all at once,
        ``_Options.tokenize_chunks``), give the tokens new here their slots, and look up
        those tokens' unigram, bigram-token and character n-gram columns in bulk."""
        token_lists = self.options.tokenize_chunks(chunks)
        counts = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
        tokens = list(itertools.chain.from_iterable(token_lists))
        slots, new = self._slot_tokens(tokens)
        if new:
            fresh = [tokens[i] for i in new]
            unigram = np.fromiter(
                map(self.unigram_index.get, fresh, itertools.repeat(-1)), np.int64, len(fresh)
            )
            bigram_token = np.fromiter(
                map(self.bigram_token.get, fresh, itertools.repeat(-1)), np.int64, len(fresh)
            )
            char_count, char_indices = self._char_columns(fresh)
            self._append_rows(unigram, bigram_token, char_count, char_indices)
        self._memoize(chunks, counts, slots)
        if self.fresh is not None:
            self.fresh.extend(chunks)

    def _char_columns(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per token, how many of its character n-grams are in the vocabulary; and their
        columns, token after token (in :func:`char_ngrams` order)."""
        if self.char_range is None:
            return np.zeros(len(tokens), np.int64), np.zeros(0, np.int32)
        grams = [char_ngrams(token, self.char_range) for token in tokens]
        sizes = np.fromiter(map(len, grams), np.int64, len(grams))
        columns = np.fromiter(
            map(self.vec.char_vocabulary_.get, itertools.chain.from_iterable(grams),
                itertools.repeat(-1)),
            np.int64, int(sizes.sum()),
        )  # fmt: skip
        found = columns >= 0
        owner = np.repeat(np.arange(len(tokens)), sizes)
        char_count = np.bincount(owner[found], minlength=len(tokens)).astype(np.int64)
        return char_count, columns[found].astype(np.int32)

    def _slot_tokens(self, tokens: list[str]) -> tuple[list[int], list[int]]:
        """The slot of every token, new slots given to the tokens new here (in order of
        first sight); and the positions in ``tokens`` of those new tokens."""
        token_slot = self.token_slot
        slots = list(map(token_slot.get, tokens))
        new: list[int] = []
        for i in [i for i, slot in enumerate(slots) if slot is None]:
            token = tokens[i]
            slot = token_slot.get(token)  # a token may come twice
            if slot is None:
                slot = token_slot[token] = len(self.slot_token)
                self.slot_token.append(token)
                new.append(i)
            slots[i] = slot
        return slots, new

    def _append_rows(
        self,
        unigram: np.ndarray,
        bigram_token: np.ndarray,
        char_count: np.ndarray,
        char_indices: np.ndarray,
    ) -> None:
        """Append the slot-table rows of new slots (in slot order) to the tables."""
        self.slot_unigram.extend(unigram)
        self.slot_bigram_token.extend(bigram_token)
        self.slot_char_start.extend(np.cumsum(char_count) - char_count + self._n_char_indices)
        self.slot_char_count.extend(char_count)
        self.char_indices.extend(char_indices)
        self._n_char_indices += int(char_count.sum())

    def _memoize(self, chunks: list[str], counts: np.ndarray, slots: list[int]) -> None:
        """Memoize the slots of chunks the memo lacks (``counts[i]`` slots per chunk,
        chunk after chunk in ``slots``)."""
        memo = self.chunk_slots
        flat = np.asarray(slots, dtype=np.int64).tobytes()
        position = 0
        for chunk, count in zip(chunks, counts.tolist()):
            end = position + count
            if chunk not in memo:
                memo[chunk] = array.array("q", flat[8 * position : 8 * end])
            position = end

    def _tables(self) -> SlotTables:
        """Views of the slot tables as they are now: later slots, or a reset of the
        memos, replace the arrays and leave these as they were."""
        return SlotTables(
            self.slot_unigram.view(), self.slot_bigram_token.view(),
            self.slot_char_start.view(), self.slot_char_count.view(),
            self.char_indices.view(),
        )  # fmt: skip

    # -- passing memos between processes (scoring.pool) --------------------------------

    def record_new_chunks(self) -> None:
        """From now on, note the chunks this transform computes (see :meth:`export`)."""
        with self.lock:
            self.fresh = []

    def export(self) -> Relay | None:
        """The chunks computed since the last export (or :meth:`record_new_chunks`),
        with their tokens and slot-table rows; None if there are none."""
        with self.lock:
            fresh = [chunk for chunk in self.fresh if chunk in self.chunk_slots]
            self.fresh = []
            if not fresh:
                return None
            pieces = [self.chunk_slots[chunk] for chunk in fresh]
            counts = np.fromiter(map(len, pieces), np.int64, len(pieces))
            slots = np.frombuffer(b"".join(pieces), dtype=np.int64)
            tables = self._tables()
            tokens = self.slot_token
            char_count = tables.char_count[slots]
            gather = _spans(tables.char_start[slots], char_count)
            return Relay(
                fresh, counts, [tokens[slot] for slot in slots.tolist()],
                tables.unigram[slots], tables.bigram_token[slots], char_count,
                tables.char_indices[gather],
            )  # fmt: skip

    def absorb(self, relay: Relay) -> None:
        """Memoize the chunks of another transform's :meth:`export` (same vectorizer)
        that this one lacks, without computing them.

        In bulk: the tokens are looked up in one pass, the rows of the tokens new here
        are appended to the slot tables as arrays, and a Python loop runs only over the
        new tokens and the chunks memoized.
        """
        with self.lock:
            if max(len(self.chunk_slots), len(self.token_slot)) >= _FAST_MEMO_LIMIT:
                self._reset()
            if all(map(self.chunk_slots.__contains__, relay.chunks)):
                return
            slots, new = self._slot_tokens(relay.tokens)
            if new:
                where = np.asarray(new, dtype=np.int64)
                counts = relay.char_count[where]
                gather = _spans(np.cumsum(relay.char_count)[where] - counts, counts)
                self._append_rows(
                    relay.unigram[where], relay.bigram_token[where], counts,
                    relay.char_indices[gather],
                )  # fmt: skip
            self._memoize(relay.chunks, relay.counts, slots)

    def transform(self, docs: list[str]) -> Rows:
        """The TF-IDF rows of raw posts (``PostVectorizer.transform`` as CSR arrays)."""
        return self._rows(*self._slots(docs))

    def _rows(self, flat: bytes, ends: list[int], tables: SlotTables) -> Rows:
        """The numeric stage: the TF-IDF rows of the posts whose slots :meth:`_slots`
        gave."""
        vec = self.vec
        unigram, bigram_token, char_start, char_count, char_indices = tables
        n_docs = len(ends)
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
                self.word_floor,
            )
        ]  # fmt: skip
        if vec.char_vocabulary_:
            counts = char_count[slots]
            gather = _spans(char_start[slots], counts)
            blocks.append(
                _weighted_counts(
                    np.repeat(row, counts), char_indices[gather],
                    n_docs, len(vec.char_vocabulary_), vec.char_idf_, vec.sublinear_tf,
                    self.char_floor,
                )
            )  # fmt: skip
        return hstack_rows(blocks)


def block_norm_floor(vec: Any, block: int, idf: np.ndarray) -> float:
    """The norm floor of a vectorizer's block 0 (words) or 1 (characters), from its
    ``norm_floor`` parameter and the block's IDF; 0.0 without one (plain L2)."""
    norm_floor = getattr(vec, "norm_floor", None)  # absent from older pickles
    return 0.0 if norm_floor is None else norm_floor_value(norm_floor[block], idf)


def _spans(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + counts[i] - 1`` of every span, one span
    after the other (to gather each slot's character n-gram columns at once).

    >>> _spans(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    offsets = np.cumsum(counts) - counts
    return np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(starts - offsets, counts)


def _weighted_counts(
    rows: np.ndarray,
    cols: np.ndarray,
    n_rows: int,
    n_cols: int,
    idf: np.ndarray,
    sublinear: bool,
    floor: float = 0.0,
) -> Rows:
    """``PostVectorizer._weight`` of the count matrix of ``(row, col)`` occurrences
    (``floor``: the block's norm floor, as ``_weight`` takes it from the vectorizer).

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
    l2_normalize_rows(data, indptr, floor)
    return Rows(data, columns, indptr, (n_rows, n_cols))
