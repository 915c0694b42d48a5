"""The worker pool of bulk scoring: order, bounded look-ahead, early stop, worker errors.

Neutral toy corpus (sport vs weather).
"""

from __future__ import annotations

import multiprocessing

import pytest
from toy_corpus import SPORT, WEATHER

from arabic_extremism_clf._fast_transform import _FastTransform
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.scoring import pool
from arabic_extremism_clf.scoring.core import score_batch


@pytest.fixture(scope="module")
def model() -> ExtremismClassifier:
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    return clf.fit(SPORT + WEATHER, ["sport"] * len(SPORT) + ["weather"] * len(WEATHER))


def _batches(n: int, size: int = 5) -> list[list[str]]:
    posts = SPORT + WEATHER
    return [[f"{posts[(b + i) % len(posts)]} {b}" for i in range(size)] for b in range(n)]


def test_two_workers_give_the_answers_of_this_process_in_order(model):
    batches = _batches(23)
    two = list(pool.scored_text_batches(iter(batches), model, n_jobs=2, threshold=0.4))
    assert len(two) == len(batches)
    for texts, scores in zip(batches, two):
        here = score_batch(model, texts, threshold=0.4)
        assert scores.labels == here.labels
        assert scores.proba.tobytes() == here.proba.tobytes()


def test_input_is_read_a_bounded_number_of_batches_ahead(model):
    read = [0]

    def counted():
        for texts in _batches(40):
            read[0] += 1
            yield texts

    scored = pool.scored_text_batches(counted(), model, n_jobs=2)
    next(scored)
    assert read[0] <= 2 * 2 + 1
    scored.close()


@pytest.mark.skipif(not pool._can_fork(), reason="the forked pool is the Linux path")
def test_stopping_early_ends_the_workers(model):
    before = set(multiprocessing.active_children())
    scored = pool.scored_text_batches(iter(_batches(40)), model, n_jobs=2)
    next(scored)
    assert len(set(multiprocessing.active_children()) - before) == 2
    scored.close()
    assert set(multiprocessing.active_children()) - before == set()


def test_a_worker_error_reaches_the_caller_after_the_answers_before_it(model):
    batches = _batches(6)
    batches[3] = ["ok", 42]  # not a str: the vectorizer fails in the worker
    answers = pool.scored_text_batches(iter(batches), model, n_jobs=2)
    assert [next(answers).labels for _ in range(3)] == [
        score_batch(model, texts).labels for texts in batches[:3]
    ]
    with pytest.raises(TypeError, match=r"expected a str \(one post\), got int") as raised:
        next(answers)
    assert isinstance(raised.value.__cause__, pool.WorkerError)
    assert "Traceback" in str(raised.value.__cause__)


@pytest.mark.parametrize("n_jobs", [2, 3])
@pytest.mark.parametrize("word_ngram_range", [(1, 2), (1, 3)], ids=["fast", "no-fast-path"])
def test_any_number_of_workers_gives_this_process_answers(n_jobs, word_ngram_range):
    clf = ExtremismClassifier(
        min_df=1, calibration_cv=3, flagged_label="sport", word_ngram_range=word_ngram_range
    ).fit(SPORT + WEATHER, ["sport"] * len(SPORT) + ["weather"] * len(WEATHER))
    batches = _batches(17, size=7)
    options = {"threshold": 0.3, "explain": True, "top": 3}
    got = list(pool.scored_text_batches(iter(batches), clf, n_jobs=n_jobs, **options))
    assert [scores.results() for scores in got] == [
        score_batch(clf, texts, **options).results() for texts in batches
    ]


# --- passing memos between workers (the fast transform's export and absorb) -------------


def _fresh_transform(model: ExtremismClassifier) -> _FastTransform:
    fast = _FastTransform(model.vectorizer_)
    fast.record_new_chunks()
    return fast


def _same_rows(a, b) -> bool:
    return all(x.tobytes() == y.tobytes() for x, y in zip(a[:3], b[:3])) and a.shape == b.shape


def test_absorbed_chunks_are_not_computed_again(model, monkeypatch):
    docs = [text for batch in _batches(6) for text in batch]
    first = _fresh_transform(model)
    expected = first.transform(docs)
    relay = first.export()
    assert relay is not None
    assert set(relay.chunks) == {chunk for doc in docs for chunk in doc.split()}
    assert first.export() is None  # each chunk is exported once

    second = _fresh_transform(model)
    second.absorb(relay)

    def no_computing(chunks):
        raise AssertionError(f"{len(chunks)} chunks were computed again")

    monkeypatch.setattr(second, "_compute", no_computing)
    assert _same_rows(second.transform(docs), expected)
    assert second.export() is None  # it computed nothing


def test_absorb_keeps_what_a_transform_has_and_adds_the_rest(model):
    docs = [text for batch in _batches(8) for text in batch]
    half = len(docs) // 2
    one, other = _fresh_transform(model), _fresh_transform(model)
    one.transform(docs[:half])
    other.transform(docs[half - 5 :])  # some chunks in both
    one.absorb(other.export())
    reference = _fresh_transform(model)
    assert _same_rows(one.transform(docs), reference.transform(docs))
    assert one.export() is not None and one.export() is None


def test_export_after_a_reset_holds_only_memoized_chunks(model, monkeypatch):
    import arabic_extremism_clf._fast_transform as fast_module

    monkeypatch.setattr(fast_module, "_FAST_MEMO_LIMIT", 10)
    docs = [text for batch in _batches(5) for text in batch]
    first = _fresh_transform(model)
    for doc in docs:  # the memos are reset several times on the way
        first.transform([doc])
    relay = first.export()
    assert set(relay.chunks) <= set(first.chunk_slots)
    second = _fresh_transform(model)
    second.absorb(relay)
    assert _same_rows(second.transform(docs), _fresh_transform(model).transform(docs))


def _unpicklable(item, scores):
    return lambda: scores  # a lambda does not pickle: the worker cannot send it back


@pytest.mark.skipif(not pool._can_fork(), reason="the forked pool is the Linux path")
def test_an_answer_that_does_not_pickle_is_an_error_with_the_workers_traceback(model):
    answers = pool.work_batches(iter(_batches(4)), model, options={}, n_jobs=2, finish=_unpicklable)
    with pytest.raises(pool.WorkerError, match="pickle"):
        list(answers)
