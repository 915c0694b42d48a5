"""Tests of the TF-IDF features: n-gram helpers and PostVectorizer.

Mechanics only, on a neutral toy corpus (sport, weather, cooking). The references are
built with scikit-learn's own analyzers and a hand-written TF-IDF, independently of the
fast transform path under test.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer

from arabic_extremism_clf._fast_transform import block_norm_floor
from arabic_extremism_clf.features import PostVectorizer, char_ngrams, word_ngrams
from arabic_extremism_clf.preprocess import preprocess

TRAIN = [
    "فاز الفريق بالمباراة",
    "سجل اللاعب هدفا رائعا في المباراة",
    "الفريق بطل الدوري",
    "طقس ممطر اليوم و رياح قوية",
    "درجات الحرارة مرتفعة اليوم",
    "رياح قوية وغيوم في المساء",
    "اطبخ الأرز مع الدجاج و البصل",
    "أضف الملح إلى الصلصة",
    "وصفة الحساء بالخضار و الأرز",
]
# Unseen posts: known words, out-of-vocabulary words, a repeated one-letter token
# ("و"), repeated words (sublinear tf) and Latin text.
UNSEEN = [
    "الفريق الفريق فاز و و و لاعب جديد",
    "طقس غريب جدا اليوم Goal match",
    "كلمات لم ترد قط",
    "الأرز و الدجاج مع الأرز",
]


def _word_ngrams_reference(tokens: list[str]) -> list[str]:
    """Word 1- and 2-grams of a token list, written independently of word_ngrams."""
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def _sublinear_tfidf_l2(counts: np.ndarray, idf: np.ndarray, sublinear: bool) -> np.ndarray:
    """(1 + log tf) * idf, then each row scaled to unit L2 norm (zero rows stay zero)."""
    tf = counts.astype(np.float64)
    if sublinear:
        nonzero = tf > 0
        tf[nonzero] = 1.0 + np.log(tf[nonzero])
    weighted = tf * idf
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return weighted / norms


def _smooth_idf(counts: np.ndarray) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1, scikit-learn's smoothed idf."""
    df = (counts > 0).sum(axis=0)
    return np.log((1 + counts.shape[0]) / (1 + df)) + 1.0


def _reference_matrix(vec: PostVectorizer, train: list[str], docs: list[str]) -> np.ndarray:
    """TF-IDF of ``docs`` built with scikit-learn analyzers and vec's vocabularies."""
    train_tokens = [preprocess(d) for d in train]
    doc_tokens = [preprocess(d) for d in docs]
    word_counter = CountVectorizer(analyzer=_word_ngrams_reference, vocabulary=vec.word_vocabulary_)
    char_counter = CountVectorizer(
        analyzer="char_wb",
        ngram_range=vec.char_ngram_range,
        lowercase=False,
        vocabulary=vec.char_vocabulary_,
    )
    word_idf = _smooth_idf(word_counter.transform(train_tokens).toarray())
    char_idf = _smooth_idf(char_counter.transform([" ".join(t) for t in train_tokens]).toarray())
    np.testing.assert_allclose(vec.word_idf_, word_idf)
    np.testing.assert_allclose(vec.char_idf_, char_idf)
    word = _sublinear_tfidf_l2(
        word_counter.transform(doc_tokens).toarray(), word_idf, vec.sublinear_tf
    )
    char = _sublinear_tfidf_l2(
        char_counter.transform([" ".join(t) for t in doc_tokens]).toarray(),
        char_idf,
        vec.sublinear_tf,
    )
    return np.hstack([word, char])


# -- n-gram helpers ----------------------------------------------------------------------

CHAR_WORDS = [
    "a", "ab", "abc", "hello", "و", "في", "كرة", "الفريق", "بالمباراه", "123",
    "ب" * 62, "abc" * 30,  # the longest padded size whose slices are kept, and a longer one
]  # fmt: skip
CHAR_RANGES = [(1, 1), (1, 3), (2, 5), (3, 3), (4, 6)]


@pytest.mark.parametrize("ngram_range", CHAR_RANGES)
@pytest.mark.parametrize("word", CHAR_WORDS)
def test_char_ngrams_match_sklearn_char_wb(word, ngram_range):
    analyzer = CountVectorizer(
        analyzer="char_wb", ngram_range=ngram_range, lowercase=False
    ).build_analyzer()
    assert Counter(char_ngrams(word, ngram_range)) == Counter(analyzer(word))


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2), (1, 3), (2, 4)])
@pytest.mark.parametrize("tokens", [[], ["a"], ["a", "b"], ["الفريق", "فاز", "بالمباراه", "اليوم"]])
def test_word_ngrams_match_sklearn_word_analyzer(tokens, ngram_range):
    analyzer = CountVectorizer(
        ngram_range=ngram_range, lowercase=False, token_pattern=r"\S+"
    ).build_analyzer()
    assert Counter(word_ngrams(tokens, ngram_range)) == Counter(analyzer(" ".join(tokens)))


# -- PostVectorizer ----------------------------------------------------------------------


@pytest.fixture
def fitted() -> PostVectorizer:
    return PostVectorizer(min_df=1).fit(TRAIN)


@pytest.mark.parametrize("sublinear_tf", [True, False])
def test_transform_equals_fit_transform_on_training_posts(sublinear_tf):
    vec = PostVectorizer(min_df=1, sublinear_tf=sublinear_tf)
    fitted_matrix = vec.fit_transform(TRAIN)
    assert fitted_matrix.shape == (len(TRAIN), vec.n_features_out_)
    np.testing.assert_allclose(vec.transform(TRAIN).toarray(), fitted_matrix.toarray())


@pytest.mark.parametrize("sublinear_tf", [True, False])
def test_transform_matches_sklearn_reference_on_unseen_posts(sublinear_tf):
    vec = PostVectorizer(min_df=1, sublinear_tf=sublinear_tf).fit(TRAIN)
    # The unseen posts do contain out-of-vocabulary words and known ones.
    unseen_tokens = {t for d in UNSEEN for t in preprocess(d)}
    assert unseen_tokens - set(vec.word_vocabulary_)
    assert unseen_tokens & set(vec.word_vocabulary_)
    expected = _reference_matrix(vec, TRAIN, UNSEEN)
    np.testing.assert_allclose(vec.transform(UNSEEN).toarray(), expected, atol=1e-12)


def test_training_matrix_matches_sklearn_reference():
    vec = PostVectorizer(min_df=1)
    np.testing.assert_allclose(
        vec.fit_transform(TRAIN).toarray(), _reference_matrix(vec, TRAIN, TRAIN), atol=1e-12
    )


def test_rows_are_l2_normalized_per_block(fitted):
    matrix = fitted.transform(TRAIN + UNSEEN).toarray()
    n_word = len(fitted.word_vocabulary_)
    assert 0 < n_word < matrix.shape[1]
    word_norms = np.linalg.norm(matrix[:, :n_word], axis=1)
    char_norms = np.linalg.norm(matrix[:, n_word:], axis=1)
    # The one post made only of unknown words has an empty word block.
    expected_word = [0.0 if i == len(TRAIN) + 2 else 1.0 for i in range(matrix.shape[0])]
    np.testing.assert_allclose(word_norms, expected_word)
    np.testing.assert_allclose(char_norms, 1.0)


def test_norm_floor_shrinks_short_posts_only():
    """With a floor, a post lighter than the floor keeps a norm below 1 (in proportion
    to its weight), a heavier one is L2-normalized as before; fast path == token path."""
    posts = TRAIN + UNSEEN
    plain = PostVectorizer(min_df=1).fit(TRAIN)
    floored = PostVectorizer(min_df=1, norm_floor=(3, 30)).fit(TRAIN)
    docs = plain._tokens(posts)
    counts_of = [plain._word_counts(docs), plain._char_counts(docs)]
    n_word = len(plain.word_vocabulary_)
    for block, (counts, idf) in enumerate(zip(counts_of, (plain.word_idf_, plain.char_idf_))):
        weights = counts.copy()
        np.log(weights.data, weights.data)
        weights.data += 1.0
        norms = np.linalg.norm((weights @ sp.diags(idf)).toarray(), axis=1)
        floor = block_norm_floor(floored, block, idf)
        cols = slice(0, n_word) if block == 0 else slice(n_word, None)
        got = np.linalg.norm(floored.transform(posts).toarray()[:, cols], axis=1)
        expected = np.where(norms > 0, norms / np.maximum(norms, floor), 0.0)
        np.testing.assert_allclose(got, expected)
        assert (norms[norms > 0] < floor).any() and (norms >= floor).any()
    heavy = plain.transform(posts).toarray()
    assert not np.array_equal(floored.transform(posts).toarray(), heavy)
    np.testing.assert_array_equal(
        floored.transform(posts).toarray(),
        floored.transform_tokens(floored._tokens(posts)).toarray(),
    )


@pytest.mark.parametrize("bad", [8, (1,), (1, -2), ("a", 3), (1, float("nan")), (True, 2)])
def test_norm_floor_must_be_two_numbers(bad):
    with pytest.raises(ValueError, match="norm_floor must be None or"):
        PostVectorizer(norm_floor=bad).fit(TRAIN)


@pytest.mark.parametrize("post", ["", "   ", "\n"])
def test_empty_post_gives_zero_row(fitted, post):
    matrix = fitted.transform([post, TRAIN[0]])
    assert matrix.shape == (2, fitted.n_features_out_)
    assert matrix[0].nnz == 0
    assert matrix[1].nnz > 0


@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
def test_str_instead_of_list_raises_type_error(fitted, method):
    with pytest.raises(TypeError, match="str object received"):
        getattr(fitted, method)(TRAIN[0])


@pytest.mark.parametrize("method", ["transform", "get_feature_names_out"])
def test_not_fitted_raises_not_fitted_error(method):
    vec = PostVectorizer(min_df=1)
    args = (TRAIN,) if method == "transform" else ()
    with pytest.raises(NotFittedError):
        getattr(vec, method)(*args)


def test_get_feature_names_out(fitted):
    names = fitted.get_feature_names_out()
    n_word = len(fitted.word_vocabulary_)
    assert len(names) == fitted.n_features_out_ == fitted.transform(TRAIN).shape[1]
    assert n_word > 0 and len(fitted.char_vocabulary_) > 0
    assert all(name.startswith("w:") for name in names[:n_word])
    assert all(name.startswith("c:") for name in names[n_word:])
    for term, idx in fitted.word_vocabulary_.items():
        assert names[idx] == "w:" + term
    for term, idx in fitted.char_vocabulary_.items():
        assert names[n_word + idx] == "c:" + term


def test_without_char_ngrams_only_word_block():
    vec = PostVectorizer(min_df=1, char_ngram_range=None).fit(TRAIN)
    assert vec.char_vocabulary_ == {}
    assert vec.n_features_out_ == len(vec.word_vocabulary_)
    assert vec.transform(UNSEEN).shape == (len(UNSEEN), len(vec.word_vocabulary_))
    assert all(name.startswith("w:") for name in vec.get_feature_names_out())


def test_memo_does_not_change_results(fitted):
    first = fitted.transform(UNSEEN).toarray()
    # The fast path's memo now exists (it is what the next calls reuse).
    assert fitted.__dict__.get("_fast") is not None
    again = fitted.transform(UNSEEN).toarray()
    one_by_one = np.vstack([fitted.transform([d]).toarray() for d in UNSEEN])
    cold = PostVectorizer(min_df=1).fit(TRAIN).transform(UNSEEN).toarray()
    np.testing.assert_array_equal(again, first)
    np.testing.assert_array_equal(one_by_one, first)
    np.testing.assert_array_equal(cold, first)


def test_refit_invalidates_memo():
    other_train = [
        "الفريق يلعب مباراة جديدة",
        "اليوم طقس جميل",
        "الأرز مع الخضار",
        "لاعب جديد في الفريق",
    ]
    vec = PostVectorizer(min_df=1).fit(TRAIN)
    vec.transform(UNSEEN)  # fills the memo with indices of the first vocabulary
    refit = vec.fit(other_train).transform(UNSEEN).toarray()
    fresh = PostVectorizer(min_df=1).fit(other_train).transform(UNSEEN).toarray()
    np.testing.assert_array_equal(refit, fresh)
    # Same with fit_transform as the refit.
    vec.transform(UNSEEN)
    vec.fit_transform(TRAIN)
    np.testing.assert_array_equal(
        vec.transform(UNSEEN).toarray(),
        PostVectorizer(min_df=1).fit(TRAIN).transform(UNSEEN).toarray(),
    )
