"""The worker pool of bulk scoring: order, bounded look-ahead, early stop, worker errors.

Neutral toy corpus (sport vs weather).
"""

from __future__ import annotations

import multiprocessing

import pytest
from toy_corpus import SPORT, WEATHER

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


def test_a_worker_error_reaches_the_caller(model):
    batches = _batches(6)
    batches[3] = ["ok", 42]  # not a str: the vectorizer fails in the worker
    with pytest.raises((TypeError, AttributeError, ValueError)):
        list(pool.scored_text_batches(iter(batches), model, n_jobs=2))
