"""Tests of :mod:`arabic_extremism_clf.audit` and :mod:`arabic_extremism_clf.hard_negatives`.

Neutral toy posts only (sport, weather, cooking: tests/toy_corpus.py).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf import ExtremismClassifier
from arabic_extremism_clf.audit import (
    NEUTRAL_CARRIERS,
    artefact_kind,
    audit_markdown,
    common_tokens,
    ece_by_length,
    evidence_card_sections,
    format_audit,
    post_lengths,
    shortcut_audit,
)
from arabic_extremism_clf.corpus import Corpus
from arabic_extremism_clf.hard_negatives import (
    grouped_holdout,
    hashtag_fragments,
    ordinary_posts,
    short_fragments,
)
from arabic_extremism_clf.preprocess import preprocess


@pytest.fixture(scope="module")
def sport_model() -> ExtremismClassifier:
    texts = (SPORT + WEATHER + COOKING) * 3
    labels = (["sport"] * 6 + ["other"] * 12) * 3
    return ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport").fit(texts, labels)


def _corpus(texts, labels=None, sources=None, meta=None) -> Corpus:
    n = len(texts)
    return Corpus(
        texts=tuple(texts),
        labels=tuple(labels or ["other"] * n),
        sources=tuple(sources or ["toy"] * n),
        groups=tuple(f"g{i // 2}" for i in range(n)),
        ids=tuple(f"id{i}" for i in range(n)),
        meta=tuple(meta or [{}] * n),
    )


def test_common_tokens_by_document_frequency_without_placeholders() -> None:
    texts = ["طقس ممطر اليوم #طقس", "طقس بارد اليوم", "طقس حار @user https://x.org 2024", "ممطر"]
    tokens = common_tokens(texts, n=3, n_hashtags=5)
    assert tokens[:3] == ["طقس", "اليوم", "ممطر"]  # 3, 2, 2 posts; ties alphabetical
    assert tokens[3:] == ["#طقس"]
    everything = common_tokens(texts, n=100)
    assert not {"URL", "USER", "HASHTAG", "2024"} & set(everything)


def test_artefact_kinds() -> None:
    assert artefact_kind("w:HASHTAG") == "placeholder"
    assert artefact_kind("w:USER شكرا") == "placeholder"
    assert artefact_kind("c:.co/") == "latin"
    assert artefact_kind("w:http") == "latin"
    assert artefact_kind("w:rt") == "relay"
    assert artefact_kind("w:عاجل") == "relay"
    assert artefact_kind("w:2015") == "number"
    assert artefact_kind("w:المباراه") is None
    assert artefact_kind("c:ملعب") is None


def test_shortcut_audit_counts_tokens_alone_and_in_carriers(sport_model) -> None:
    tokens = ["الفريق", "المباراة", "الطقس", "الأرز", "اليوم"]
    report = shortcut_audit(sport_model, tokens, threshold=0.5, top_features=10)
    alone = sport_model.predict_proba(tokens)[:, sport_model.flagged_index_]
    assert report["n_tokens"] == 5
    assert report["alone"]["flagged"] == int((alone >= 0.5).sum())
    assert report["max_score_alone"] == pytest.approx(alone.max())
    filled = [c.format(t) for c in NEUTRAL_CARRIERS for t in tokens]
    in_carrier = sport_model.predict_proba(filled)[:, 1].reshape(len(NEUTRAL_CARRIERS), -1).max(0)
    assert report["in_carrier"]["flagged"] == int((in_carrier >= 0.5).sum())
    # the sport words are the ones flagged alone, highest score first
    shown = [e["token"] for e in report["alone"]["examples"]]
    assert set(shown) <= {"الفريق", "المباراة"} and shown
    scores = [e["score"] for e in report["alone"]["examples"]]
    assert scores == sorted(scores, reverse=True)
    assert len(report["artefacts"]["features"]) == 10
    weights = [f["weight"] for f in report["artefacts"]["features"]]
    assert weights == sorted(weights, reverse=True)
    assert "alone" in format_audit(report) and "| the token alone |" in audit_markdown(report)


def test_shortcut_audit_rejects_bad_input(sport_model) -> None:
    with pytest.raises(ValueError, match="tokens is empty"):
        shortcut_audit(sport_model, [])
    with pytest.raises(ValueError, match="exactly one"):
        shortcut_audit(sport_model, ["الفريق"], carriers=["بلا مكان"])


def test_ece_by_length_buckets() -> None:
    rows = ece_by_length([1, 0, 0, 1], [0.9, 0.1, 0.8, 0.7], [1, 2, 4, 30])
    assert [r["n"] for r in rows] == [2, 1, 0, 0, 1]
    assert rows[0]["ece"] == pytest.approx(0.1)  # 0.9 right, 0.1 right: each off by 0.1
    assert rows[1]["ece"] == pytest.approx(0.8) and rows[1]["max_proba"] == 0.8
    assert rows[2]["ece"] is None and rows[4]["tokens"] == "21+"
    with pytest.raises(ValueError, match="differ in length"):
        ece_by_length([1], [0.5, 0.5], [1])
    assert list(post_lengths(["فاز الفريق", "طقس"])) == [2, 1]


def test_card_sections(sport_model) -> None:
    report = shortcut_audit(sport_model, ["الفريق"], threshold=0.5)
    ece = ece_by_length([1, 0], [0.9, 0.1], [1, 5])
    parts = evidence_card_sections({"shortcut_audit": report, "ece_by_length": ece})
    assert parts[0].startswith("### Shortcut audit") and parts[1].startswith("### Calibration")
    assert evidence_card_sections({}) == []


def test_short_fragments_cut_negatives_only() -> None:
    corpus = _corpus(SPORT + WEATHER, ["sport"] * 6 + ["other"] * 6)
    corpus = Corpus(
        texts=corpus.texts,
        labels=("promotional",) * 6 + ("not_promotional",) * 6,
        sources=corpus.sources,
        groups=corpus.groups,
        ids=corpus.ids,
        meta=corpus.meta,
    )
    frags = short_fragments(corpus, 50, np.random.default_rng(0))
    assert len(frags) == 50 and set(frags.labels) == {"not_promotional"}
    weather_tokens = {t for text in WEATHER for t in preprocess(text)}
    for text, meta in zip(frags.texts, frags.meta):
        tokens = text.split()
        assert 1 <= len(tokens) <= 3 and set(tokens) <= weather_tokens
        assert meta["from"] in corpus.ids[6:]
    again = short_fragments(corpus, 50, np.random.default_rng(0))
    assert again.texts == frags.texts  # seeded
    with pytest.raises(ValueError, match="lengths"):
        short_fragments(corpus, 5, np.random.default_rng(0), lengths={0: 1.0})


def test_hashtag_fragments_are_single_hashtags_of_any_row() -> None:
    texts = ["فاز #الفريق اليوم", "طقس #ممطر و #بارد", "لا وسم هنا"]
    corpus = _corpus(texts, ["promotional", "not_promotional", "not_promotional"])
    frags = hashtag_fragments(corpus, 300, np.random.default_rng(0))
    assert len(frags) == 300 and set(frags.labels) == {"not_promotional"}
    assert set(frags.texts) == {"#الفريق", "#ممطر", "#بارد"}  # the positive's too
    counts = Counter(frags.texts)
    assert all(60 < c < 140 for c in counts.values())  # uniform over the occurrences
    assert {m["from"] for m in frags.meta} == {"id0", "id1"}
    assert len(set(frags.groups)) == 300  # each its own group
    assert hashtag_fragments(corpus, 300, np.random.default_rng(0)).texts == frags.texts
    assert len(hashtag_fragments(_corpus(["لا وسم"]), 5, np.random.default_rng(0))) == 0
    with pytest.raises(ValueError, match="n must"):
        hashtag_fragments(corpus, -1, np.random.default_rng(0))


def test_grouped_holdout_keeps_groups_together() -> None:
    corpus = _corpus([f"نص {i}" for i in range(200)])
    train, held = grouped_holdout(corpus, 0.3, salt="x")
    assert len(train) + len(held) == 200 and 30 < len(held) < 90
    assert not set(train.groups) & set(held.groups)
    assert grouped_holdout(corpus, 0.3, salt="x")[1].ids == held.ids
    with pytest.raises(ValueError, match="fraction"):
        grouped_holdout(corpus, 1.0)


def test_ordinary_posts_by_source_and_label() -> None:
    corpus = _corpus(
        ["أ", "ب", "ج", "د"],
        sources=["news", "tweets", "tweets", "other"],
        meta=[{}, {"orig_label": "normal"}, {"orig_label": "hate"}, {}],
    )
    kept = ordinary_posts(corpus, {"news": None, "tweets": {"normal"}})
    assert kept.texts == ("أ", "ب")


def test_short_fragments_around_a_pattern() -> None:
    import re

    corpus = _corpus(WEATHER + COOKING, ["not_promotional"] * 12)
    pattern = re.compile(r"^اليوم$")
    frags = short_fragments(corpus, 30, np.random.default_rng(1), around=pattern)
    assert len(frags) == 30
    assert all("اليوم" in text.split() for text in frags.texts)
    assert {m["from"] for m in frags.meta} <= {"id0", "id1"}  # the two posts with it


# --------------------------------------------------------------------------------------
# On the real corpora
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recipe_set(default_set):
    return default_set


@pytest.mark.shared_data
def test_default_recipe_holds_out_a_grouped_part_of_the_sectarian_tweets(
    recipe_set, shared_data_dir
):
    from arabic_extremism_clf.corpus import load_religious_hate

    train = {i for i, s in zip(recipe_set.train.ids, recipe_set.train.sources)
             if s == "religious-hate-aref2020"}  # fmt: skip
    held = recipe_set.heldout["sectarian_heldout"]
    assert len(train) + len(held) == len(load_religious_hate(shared_data_dir))
    assert 0.2 < len(held) / (len(train) + len(held)) < 0.4
    assert not train & set(held.ids)
    train_groups = {g for g, s in zip(recipe_set.train.groups, recipe_set.train.sources)
                    if s == "religious-hate-aref2020"}  # fmt: skip
    assert not train_groups & set(held.groups)  # near-duplicates on one side


@pytest.mark.shared_data
def test_short_fragments_come_from_training_negatives_only(recipe_set):
    train_ids = set(recipe_set.train.ids)
    for source in ("short-fragments", "short-fragments-loaded"):
        rows = [m for m, s in zip(recipe_set.train.meta, recipe_set.train.sources) if s == source]
        assert rows, source
        assert all(m["from"] in train_ids and not m["from"].startswith(("pos_", "neg_"))
                   for m in rows)  # fmt: skip
    ordinary = recipe_set.heldout["ordinary_heldout"]
    assert len(ordinary) > 10_000 and set(ordinary.sources) == {
        "asnd",
        "saudinewsnet-other",
        "osact2020",
        "l-hsab",
    }


@pytest.mark.shared_data
def test_hashtag_fragments_of_the_recipe_are_hashtags_of_its_training_posts(recipe_set):
    train = recipe_set.train
    rows = [(t, m) for t, m, s in zip(train.texts, train.meta, train.sources)
            if s == "hashtag-fragments"]  # fmt: skip
    assert len(rows) == 3000
    by_id = dict(zip(train.ids, train.texts))
    # Each is a hashtag of a post of the training set (ids are not unique across corpora,
    # so the post is found by id among the training rows and must contain the hashtag).
    assert all(text.startswith("#") and text in by_id[m["from"]] for text, m in rows)
    assert len({text for text, _ in rows}) > 500
    # Never from the cross-validated tweets: the negatives outside them only.
    assert {by_id[m["from"]] for _, m in rows}.isdisjoint(recipe_set.cv_corpus.texts)
    origins = {m["from"] for _, m in rows}
    sources = {s for i, s in zip(train.ids, train.sources) if i in origins}
    assert "alfifi" not in sources and sources <= set(train.sources) - {"hashtag-fragments"}


@pytest.mark.shared_data
def test_aeclf_audit_on_the_shipped_model(shared_data_dir, default_set, capsys, monkeypatch):
    import json

    from arabic_extremism_clf import training
    from arabic_extremism_clf.cli import main
    from arabic_extremism_clf.persistence import load_model

    built_for = []

    def session_set(data_dir=None, **kwargs):  # the session's set, not a third build
        built_for.append(data_dir)
        return default_set

    monkeypatch.setattr(training, "default_training_set", session_set)
    assert main(["audit", "--data-dir", str(shared_data_dir), "--tokens", "300", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [str(d) for d in built_for] == [str(shared_data_dir)]
    ordinary = default_set.heldout["ordinary_heldout"]
    tokens = common_tokens(ordinary.texts, 300)
    assert report["n_tokens"] == len(tokens)
    model = load_model()
    alone = model.predict_proba(tokens)[:, model.flagged_index_] >= model.threshold
    assert report["alone"]["flagged"] == int(alone.sum())
    assert main(["audit", "--data-dir", str(shared_data_dir), "--tokens", "50"]) == 0
    assert "in a neutral carrier" in capsys.readouterr().out
