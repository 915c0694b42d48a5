"""TF-IDF features of posts: word n-grams and character n-grams within words.

:class:`PostVectorizer` turns raw posts into one sparse TF-IDF matrix made of two
blocks, each L2-normalized on its own (with ``norm_floor``, a post with little text is
not scaled up to unit length: see :class:`PostVectorizer`):

* word n-grams over the tokens of :func:`arabic_extremism_clf.preprocess.preprocess`;
* character n-grams inside each token, padded with a space on both sides (the
  ``char_wb`` scheme of scikit-learn), where Arabic clitics and stems live.

Vocabulary learning and document frequencies use scikit-learn's ``CountVectorizer``
and ``TfidfTransformer``. Transforming is done by fast paths that give the same
matrix: :meth:`PostVectorizer.transform_tokens` maps every distinct token once to the
indices of its character n-grams and memoizes the result, because most tokens repeat
across posts; :meth:`PostVectorizer.transform` (raw posts) goes further and maps every
distinct whitespace-separated chunk of a post once to integer token slots, then builds a
batch's matrix with vectorized numpy (``_FastTransform``, in :mod:`._fast_transform`); its
result is bit-identical to ``transform_tokens`` of the preprocessed posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

# _weighted_counts: imported for tests/test_bulk.py, which checks it against _weight here.
from ._fast_transform import _FastTransform, _weighted_counts, block_norm_floor  # noqa: F401
from ._ngrams import char_ngrams, word_ngrams
from ._rows import Rows, l2_normalize_rows
from .params import check_norm_floor
from .preprocess import preprocess
from .scoring_model import feature_names

__all__ = ["PostVectorizer", "word_ngrams", "char_ngrams"]

_MEMO_LIMIT = 500_000


def _counts_matrix(indptr, indices, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """CSR count matrix from per-row feature indices (repeats are summed)."""
    indices = np.asarray(indices, dtype=np.int64)
    data = np.ones(indices.size, dtype=np.float64)
    matrix = sp.csr_matrix(
        (data, indices, np.asarray(indptr, dtype=np.int64)), shape=(n_rows, n_cols)
    )
    matrix.sum_duplicates()
    return matrix


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
    norm_floor : (float, float) or None, default=None
        ``(word, char)``. Each block of a post's row is divided by its L2 norm, or by the
        norm of that many distinct terms of the block's median IDF if that is larger
        (:func:`~arabic_extremism_clf._rows.norm_floor_value`). A post with less text
        than that keeps a row shorter than 1 instead of being scaled up to unit length,
        so one or two words do not carry the weight of a whole post. ``None``: plain L2
        normalization.

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
        norm_floor: tuple[float, float] | None = None,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.sublinear_tf = sublinear_tf
        self.normalize_options = normalize_options
        self.norm_floor = norm_floor

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
        check_norm_floor(self.norm_floor)
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
        blocks.append(self._weight(word_counts, self.word_idf_, 0))
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
            blocks.append(self._weight(char_counts, self.char_idf_, 1))
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

    def _weight(self, counts: sp.csr_matrix, idf: np.ndarray, block: int) -> sp.csr_matrix:
        counts = sp.csr_matrix(counts, dtype=np.float64)
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        counts = counts @ sp.diags(idf) if idf.size else counts
        l2_normalize_rows(counts.data, counts.indptr, block_norm_floor(self, block, idf))
        return counts

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
        blocks = [self._weight(self._word_counts(docs), self.word_idf_, 0)]
        if self.char_vocabulary_:
            blocks.append(self._weight(self._char_counts(docs), self.char_idf_, 1))
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
            return fast.transform(docs).to_csr()
        return self.transform_tokens(self._tokens(docs))

    def transform_rows(self, raw_documents: list[str]) -> Rows:
        """:meth:`transform` as plain CSR arrays (the scoring path, which needs no scipy).

        Parameters
        ----------
        raw_documents : list of str

        Returns
        -------
        Rows
            The arrays of the matrix that :meth:`transform` returns.
        """
        check_is_fitted(self, "word_vocabulary_")
        fast = _FastTransform.of(self) if raw_documents else None
        if fast is not None:
            return fast.transform(raw_documents)
        return Rows.of(self.transform_tokens(self._tokens(raw_documents)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output features: ``w:<n-gram>`` then ``c:<n-gram>``.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self, "word_vocabulary_")
        return feature_names(self.word_vocabulary_, self.char_vocabulary_)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_char_memo", None)
        state.pop("_fast", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
