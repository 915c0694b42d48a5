"""Tests of adaptation: user rows on top of a recipe, review sampling, target thresholds.

Mechanics run on neutral toy posts (sport, weather, cooking from ``toy_corpus``) under the
recipe's label names; the real default recipe is run once, in a ``shared_data`` test.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.adapt import (
    AdaptedTrainingSet,
    adapted_training_set,
    pr_table,
    read_user_rows,
    select_for_review,
    threshold_for_target,
    train_adapted,
)
from arabic_extremism_clf.cli import main
from arabic_extremism_clf.corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus
from arabic_extremism_clf.errors import CorpusError
from arabic_extremism_clf.evaluate import select_threshold
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import load_model, read_manifest, save_model
from arabic_extremism_clf.preprocess import normalize
from arabic_extremism_clf.training import TrainingSet

POS, NEG = PROMOTIONAL, NOT_PROMOTIONAL


def _combos(first: list[str], second: list[str]) -> list[str]:
    return [f"{a} {b}" for a in first for b in second]


def _write(path: Path, rows: list[tuple[str, str]], header=("text", "label")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _toy_set() -> TrainingSet:
    """A recipe-like training set: sport is 'promotional', weather and cooking are not."""
    texts = (
        SPORT
        + _combos(SPORT[:3], SPORT[3:])
        + WEATHER
        + COOKING
        + _combos(WEATHER[:3], COOKING[:3])
    )
    labels = [POS] * (len(SPORT) + 9) + [NEG] * (len(WEATHER) + len(COOKING) + 9)
    n = len(texts)
    sources = ["toy-cv"] * 12 + ["toy-other"] * (n - 12)
    corpus = Corpus(
        texts=tuple(texts),
        labels=tuple(labels),
        sources=tuple(sources),
        groups=tuple(f"g{i}" for i in range(n)),
        ids=tuple(f"toy-{i}" for i in range(n)),
        meta=({},) * n,
    )
    cv = corpus.subset(range(12))
    negatives = corpus.subset([i for i, label in enumerate(labels) if label == NEG])
    names = ("news_isis_heldout_days", "asnd_dev", "functional", "offensive_hate_dangerous_heldout")
    heldout = {name: negatives for name in names}  # the names the recipe's ranking figures read
    return TrainingSet(
        train=corpus, cv_corpus=cv, heldout=heldout, files=[], recipe={"name": "toy"}
    )


def _estimator(**params) -> ExtremismClassifier:
    return ExtremismClassifier(min_df=1, calibration_cv=2, **params)


@pytest.fixture
def toy_model_dir(tmp_path) -> Path:
    texts = (
        SPORT + _combos(SPORT[:3], SPORT[3:]) + WEATHER + COOKING + _combos(WEATHER, COOKING[:2])
    )
    labels = ["sport"] * 15 + ["other"] * (len(texts) - 15)
    model = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport", threshold=0.5)
    return save_model(model.fit(texts, labels), tmp_path / "toy-model", training={"recipe": "toy"})


# -- user rows -----------------------------------------------------------------------


def test_read_user_rows_counts_and_fingerprints(tmp_path):
    path = _write(tmp_path / "mine.csv", [(WEATHER[0], NEG), (SPORT[0], POS), (COOKING[0], NEG)])
    corpus, files = read_user_rows([path])
    assert corpus.sources == ("user:mine",) * 3
    assert corpus.labels == (NEG, POS, NEG)
    assert files == [
        {
            "path": "mine.csv",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "bytes": path.stat().st_size,
            "rows": 3,
            "labels": {NEG: 2, POS: 1},
        }
    ]


def test_read_user_rows_refuses_a_label_outside_the_model_naming_file_and_line(tmp_path):
    path = _write(tmp_path / "mine.csv", [(WEATHER[0], NEG), (SPORT[0], "sport")])
    with pytest.raises(
        CorpusError, match=r"mine\.csv.*line 3.*'sport' is not a label of the model"
    ):
        read_user_rows([path])


def test_read_user_rows_refuses_one_post_with_two_labels(tmp_path):
    a = _write(tmp_path / "a.csv", [(SPORT[0], POS)])
    b = _write(tmp_path / "b.csv", [("  " + SPORT[0] + "ـ", NEG)])  # same after normalization
    assert normalize("  " + SPORT[0] + "ـ") == normalize(SPORT[0])
    with pytest.raises(
        CorpusError, match=r"b\.csv.*line 2.*labelled 'promotional' in a\.csv line 2"
    ):
        read_user_rows([a, b])


def test_user_rows_override_recipe_rows_and_weigh_the_weight(tmp_path):
    ts = _toy_set()
    # A recipe post relabelled by the user (written with a tatweel: same normalized text).
    relabelled = SPORT[0].replace("الفريق", "الفريـق")
    assert normalize(relabelled) == normalize(SPORT[0]) and relabelled != SPORT[0]
    path = _write(tmp_path / "mine.csv", [(relabelled, NEG), ("الكرة في الملعب", POS)])
    user, files = read_user_rows([path])
    adapted = adapted_training_set(ts, user, weight=7.0, files=files)
    assert isinstance(adapted, AdaptedTrainingSet)
    assert SPORT[0] not in adapted.train.texts
    assert SPORT[0] not in adapted.cv_corpus.texts
    assert len(adapted.train) == len(ts.train) - 1 + 2
    assert adapted.train.texts[-2:] == (relabelled, "الكرة في الملعب")
    weights = adapted.weights(adapted.train)
    assert weights[-2:].tolist() == [7.0, 7.0]
    assert np.all(weights[:-2] == 1.0)  # the toy recipe has no weights
    assert adapted.user_rows["overridden_recipe_rows"] == 1
    assert adapted.user_rows["labels"] == {NEG: 1, POS: 1}
    assert adapted.recipe["train_sizes"]["user:mine"] == {NEG: 1, POS: 1}


@pytest.mark.parametrize("weight", [0, -1.0, float("nan"), True])
def test_adapted_training_set_refuses_a_bad_weight(weight):
    user = _toy_set().train.subset([0])
    with pytest.raises(ValueError, match="weight must be a positive number"):
        adapted_training_set(_toy_set(), user, weight=weight)


def test_train_adapted_records_what_was_added_and_no_text(tmp_path):
    added = [("الكرة في الملعب والفريق", POS), ("غيوم ومطر في الملعب", NEG)]
    path = _write(tmp_path / "reviewed.csv", added)
    result = train_adapted(
        [path], training_set=_toy_set(), estimator=_estimator(), weight=2.5, threshold=0.4
    )
    assert result.model.threshold == 0.4
    assert result.training["user_rows"]["weight"] == 2.5
    assert (
        result.training["user_rows"]["files"][0]["sha256"]
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert result.training["user_rows"]["files"][0]["labels"] == {NEG: 1, POS: 1}
    assert "cross_validation" not in result.metrics
    assert result.metrics["threshold_selection"]["threshold"] == 0.4
    saved = result.save(tmp_path / "model")
    manifest_text = (saved / "manifest.json").read_text(encoding="utf-8")
    card = (saved / "README.md").read_text(encoding="utf-8")
    for text, _ in added:
        assert text not in manifest_text and text not in card
    assert "reviewed.csv" in card and "supplied by the user" in card
    assert hashlib.sha256(path.read_bytes()).hexdigest() in card
    assert "given as threshold=0.4" in card
    assert load_model(saved).predict(["الكرة في الملعب والفريق"])[0] == POS


def test_train_adapted_with_cv_chooses_the_threshold(tmp_path):
    path = _write(tmp_path / "reviewed.csv", [("الكرة في الملعب", POS), ("غيوم ومطر", NEG)])
    folds = []
    result = train_adapted(
        [path],
        training_set=_toy_set(),
        estimator=_estimator(),
        cv=2,
        on_fold=lambda fold, acc: folds.append(fold),
    )
    assert folds == [0, 1]
    assert result.metrics["threshold_selection"]["threshold"] == result.model.threshold
    assert "cross_validation" in result.metrics


# -- sampling ------------------------------------------------------------------------


@pytest.fixture
def toy_model(toy_model_dir) -> ExtremismClassifier:
    return load_model(toy_model_dir)


def _pool() -> list[str]:
    return _combos(SPORT, WEATHER) + _combos(COOKING, SPORT[:2]) + WEATHER + COOKING


def test_sampling_is_deterministic_for_a_seed_and_skips_excluded_and_repeated(toy_model):
    pool = _pool()
    first = select_for_review(toy_model, pool, 10, seed=3)
    assert [p.index for p in first] == [
        p.index for p in select_for_review(toy_model, pool, 10, seed=3)
    ]
    assert len({normalize(pool[p.index]) for p in first}) == 10
    excluded = [pool[p.index] + "ـ" for p in first[:4]]  # same normalized text
    again = select_for_review(
        toy_model, pool + [pool[first[5].index]], 10, exclude=excluded, seed=3
    )
    assert not {p.index for p in again} & {p.index for p in first[:4]}
    assert len(pool) not in {p.index for p in again}  # the repeat of a post is not a candidate


def test_uncertain_strategy_takes_the_posts_nearest_the_threshold(toy_model):
    pool = _pool()
    proba = toy_model.predict_proba(pool)[:, toy_model.flagged_index_]
    picks = select_for_review(toy_model, pool, 5, strategy="uncertain", threshold=0.5)
    logit = np.log(proba / (1 - proba))
    nearest = sorted(np.abs(logit))[:5]
    assert sorted(abs(np.log(p.score / (1 - p.score))) for p in picks) == pytest.approx(nearest)
    assert [p.score for p in picks] == pytest.approx(proba[[p.index for p in picks]].tolist())


@pytest.mark.parametrize("strategy", ["uncertain-diverse", "k-center"])
def test_diverse_strategies_avoid_near_copies_in_one_batch(toy_model, strategy):
    base = _combos(SPORT[:2], WEATHER[:3])
    near_copies = [f"{t} اليوم" for t in base] + [f"{t} جدا" for t in base]
    pool = base + near_copies
    uncertain = select_for_review(toy_model, pool, 6, strategy="uncertain")
    diverse = select_for_review(toy_model, pool, 6, strategy=strategy)
    assert [p.index for p in diverse] == [
        p.index for p in select_for_review(toy_model, pool, 6, strategy=strategy)
    ]

    def stems(picks):
        return {pool[p.index].removesuffix(" اليوم").removesuffix(" جدا") for p in picks}

    assert len(stems(diverse)) == 6  # six different posts, no two copies of one
    assert len(stems(uncertain)) < 6  # nearest-the-threshold alone takes copies


def test_random_strategy_depends_on_the_seed_and_returns_ngrams(toy_model):
    pool = _pool()
    a = select_for_review(toy_model, pool, 8, strategy="random", seed=1)
    b = select_for_review(toy_model, pool, 8, strategy="random", seed=2)
    assert {p.index for p in a} != {p.index for p in b}
    assert all(1 <= len(p.ngrams) <= 5 for p in a)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n must be a positive int"),
        ({"strategy": "x"}, "strategy must be one of"),
        ({"threshold": 1.0}, r"threshold must be in \(0, 1\)"),
    ],
)
def test_sampling_rejects_bad_parameters(toy_model, kwargs, match):
    kwargs = {"n": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        select_for_review(toy_model, _pool(), **kwargs)


# -- thresholds ----------------------------------------------------------------------


def _scores(n_pos=60, n_neg=140, seed=0):
    rng = np.random.default_rng(seed)
    labels = ["spam"] * n_pos + ["ham"] * n_neg
    scores = np.concatenate([rng.beta(5, 2, n_pos), rng.beta(2, 5, n_neg)])
    return labels, scores


def test_threshold_for_target_uses_the_select_threshold_rule_and_brackets_it():
    labels, scores = _scores()
    estimate = threshold_for_target(labels, scores, flagged_label="spam", precision=0.8, n_boot=300)
    assert estimate.choice == select_threshold(labels, scores, flagged_label="spam", precision=0.8)
    low, high = estimate.interval
    assert low <= estimate.choice.threshold <= high and low < high
    assert (
        estimate.precision_interval[0]
        <= estimate.choice.precision
        <= estimate.precision_interval[1]
    )
    assert (estimate.n_positive, estimate.n_negative) == (60, 140)
    again = threshold_for_target(labels, scores, flagged_label="spam", precision=0.8, n_boot=300)
    assert again == estimate  # seeded
    json.dumps(estimate.to_dict())


def test_more_labels_give_a_narrower_interval():
    small = threshold_for_target(*_scores(30, 70), flagged_label="spam", recall=0.8, n_boot=300)
    large = threshold_for_target(*_scores(600, 1400), flagged_label="spam", recall=0.8, n_boot=300)

    def width(e):
        return e.interval[1] - e.interval[0]

    assert width(large) < width(small) / 2


def test_too_few_positives_is_a_clear_error():
    labels, scores = _scores(n_pos=10)
    with pytest.raises(ValueError, match="too few labelled posts.*10 labelled 'spam'"):
        threshold_for_target(labels, scores, flagged_label="spam", recall=0.9)


def test_pr_table_by_hand():
    rows = pr_table(
        ["a", "b", "a", "b"], [0.9, 0.6, 0.4, 0.1], flagged_label="a", thresholds=[0.5, 0.95]
    )
    assert rows == [
        {"threshold": 0.5, "precision": 0.5, "recall": 0.5, "flagged": 2, "fpr": 0.5},
        {"threshold": 0.95, "precision": None, "recall": 0.0, "flagged": 0, "fpr": 0.0},
    ]


# -- CLI -----------------------------------------------------------------------------


def _pool_file(tmp_path) -> Path:
    path = tmp_path / "pool.txt"
    path.write_text("\n".join(_pool() + [""]) + "\n", encoding="utf-8")
    return path


def test_cli_sample_writes_a_csv_to_fill_in(tmp_path, toy_model_dir, capsys):
    out = tmp_path / "batch.csv"
    code, stdout, err = _run(
        capsys, "sample", _pool_file(tmp_path), "-n", 6, "-o", out, "--model", toy_model_dir
    )
    assert code == 0, err
    assert stdout == ""
    assert "wrote 6 posts" in err and "1 unreadable or empty rows skipped" in err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["text", "line", "id", "score", "ngrams", "label"]
    pool = _pool()
    for row in rows:
        assert pool[int(row["line"]) - 1] == row["text"]
        assert row["label"] == "" and row["id"] == ""
        assert 0 <= float(row["score"]) <= 1
        assert all(f.startswith(("w:", "c:")) for f, _ in json.loads(row["ngrams"]))
    # A second batch excludes the first.
    out2 = tmp_path / "batch2.csv"
    code, _, err = _run(
        capsys,
        "sample",
        _pool_file(tmp_path),
        "-n",
        6,
        "-o",
        out2,
        "--model",
        toy_model_dir,
        "--exclude",
        out,
    )
    assert code == 0, err
    with out2.open(encoding="utf-8", newline="") as fh:
        assert not {r["text"] for r in csv.DictReader(fh)} & {r["text"] for r in rows}


def test_cli_sample_output_filled_in_trains(tmp_path, toy_model_dir, capsys):
    out = tmp_path / "batch.csv"
    assert (
        _run(capsys, "sample", _pool_file(tmp_path), "-n", 30, "-o", out, "--model", toy_model_dir)[
            0
        ]
        == 0
    )
    filled = tmp_path / "filled.csv"
    with (
        out.open(encoding="utf-8", newline="") as src,
        filled.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            row["label"] = POS if row["text"].startswith(tuple(SPORT)) else NEG
            writer.writerow(row)
    result = train_adapted([filled], training_set=_toy_set(), estimator=_estimator(), threshold=0.5)
    assert result.training["user_rows"]["rows"] == 30
    assert set(result.training["user_rows"]["labels"]) == {POS, NEG}
    code, _, err = _run(
        capsys, "train", filled, "-o", tmp_path / "m", "--cv", "0", "--flagged-label", POS
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["-n", "0"], 2, "-n must be a positive number"),
        (["-n", "3", "--strategy", "best"], 2, "invalid choice"),
        (["-n", "3", "--threshold", "1.5"], 2, "--threshold must be in (0, 1)"),
    ],
)
def test_cli_sample_usage_errors(tmp_path, toy_model_dir, capsys, argv, code, message):
    got, _, err = _run(
        capsys,
        "sample",
        _pool_file(tmp_path),
        "-o",
        tmp_path / "o.csv",
        "--model",
        toy_model_dir,
        *argv,
    )
    assert got == code
    assert message in err
    assert not (tmp_path / "o.csv").exists()


def test_cli_sample_data_errors(tmp_path, toy_model_dir, capsys):
    code, _, err = _run(
        capsys,
        "sample",
        tmp_path / "missing.txt",
        "-n",
        3,
        "-o",
        tmp_path / "o.csv",
        "--model",
        toy_model_dir,
    )
    assert code == 1 and "missing.txt" in err
    existing = tmp_path / "o.csv"
    existing.write_text("text,label\nx,y\n", encoding="utf-8")
    code, _, err = _run(
        capsys, "sample", _pool_file(tmp_path), "-n", 3, "-o", existing, "--model", toy_model_dir
    )
    assert code == 1 and "--overwrite" in err
    assert existing.read_text(encoding="utf-8") == "text,label\nx,y\n"


def _labelled(tmp_path, n_sport=30) -> Path:
    sport = (_combos(SPORT, SPORT) * 2)[:n_sport]
    other = _combos(WEATHER, COOKING)
    return _write(
        tmp_path / "labelled.csv", [(t, "sport") for t in sport] + [(t, "other") for t in other]
    )


def test_cli_threshold_prints_the_table_and_writes_a_copy(tmp_path, toy_model_dir, capsys):
    copy = tmp_path / "copy"
    plot = tmp_path / "pr.png"
    code, out, err = _run(
        capsys,
        "threshold",
        _labelled(tmp_path),
        "--model",
        toy_model_dir,
        "--target-recall",
        "0.9",
        "-o",
        copy,
        "--plot",
        plot,
        "--bootstrap",
        "200",
    )
    assert code == 0, err
    assert out.splitlines()[0].split() == ["threshold", "precision", "recall", "flagged", "FPR"]
    assert "target recall 0.9 on 30 'sport' and 36 other posts: threshold" in out
    model = load_model(copy)
    manifest = read_manifest(copy)
    selection = manifest["metrics"]["threshold_selection"]
    assert model.threshold == selection["threshold"] == manifest["threshold"]
    assert f"threshold {model.threshold:.4f}" in out
    assert selection["previous_threshold"] == 0.5
    assert selection["labelled_file"]["path"] == "labelled.csv"
    assert "not retrained" in (copy / "README.md").read_text(encoding="utf-8")
    original = load_model(toy_model_dir)
    texts = _pool()
    assert np.allclose(original.predict_proba(texts), model.predict_proba(texts))
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_threshold_too_few_positives_is_exit_1(tmp_path, toy_model_dir, capsys):
    code, out, err = _run(
        capsys,
        "threshold",
        _labelled(tmp_path, n_sport=5),
        "--model",
        toy_model_dir,
        "--target-precision",
        "0.9",
        "-o",
        tmp_path / "copy",
    )
    assert code == 1
    assert "too few labelled posts" in err and out == ""
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize(
    "argv",
    [["--target-precision", "0.9", "--target-recall", "0.9"], [], ["--target-recall", "1.5"]],
    ids=["both", "neither", "out-of-range"],
)
def test_cli_threshold_usage_errors(tmp_path, toy_model_dir, capsys, argv):
    code, out, _ = _run(capsys, "threshold", _labelled(tmp_path), "--model", toy_model_dir, *argv)
    assert code == 2 and out == ""


def test_cli_threshold_plot_without_matplotlib_is_a_clear_error(
    tmp_path, toy_model_dir, capsys, monkeypatch
):
    import arabic_extremism_clf.cli.threshold as cli_threshold

    monkeypatch.setattr(cli_threshold, "_pyplot", lambda: None)
    code, _, err = _run(
        capsys,
        "threshold",
        _labelled(tmp_path),
        "--model",
        toy_model_dir,
        "--target-recall",
        "0.9",
        "--plot",
        tmp_path / "p.png",
    )
    assert code == 1 and "--plot needs matplotlib" in err


def test_cli_train_weight_needs_the_recipe_and_files(tmp_path, capsys):
    path = _write(tmp_path / "mine.csv", [(SPORT[0], POS), (WEATHER[0], NEG)])
    code, _, err = _run(capsys, "train", path, "--weight", "2", "-o", tmp_path / "m")
    assert code == 2 and "--weight needs --recipe default and FILEs" in err


def test_cli_train_recipe_with_a_foreign_label_names_file_and_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AECLF_DATA_DIR", raising=False)
    path = _write(tmp_path / "mine.csv", [(SPORT[0], POS), (WEATHER[0], "weather")])
    code, _, err = _run(capsys, "train", "--recipe", "default", path, "-o", tmp_path / "m")
    assert code == 1
    assert "mine.csv" in err and "line 3" in err and "'weather' is not a label of the model" in err
    assert not (tmp_path / "m").exists()


# -- the real recipe -----------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.slow
def test_cli_train_recipe_default_plus_sampled_rows_records_them(tmp_path, shared_data_dir, capsys):
    pool = tmp_path / "pool.txt"
    pool.write_text("\n".join(_pool()) + "\n", encoding="utf-8")
    batch = tmp_path / "batch.csv"
    code, _, err = _run(capsys, "sample", pool, "-n", 8, "-o", batch)  # the shipped model
    assert code == 0, err
    filled = tmp_path / "reviewed.csv"
    with (
        batch.open(encoding="utf-8", newline="") as src,
        filled.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            writer.writerow({**row, "label": NEG})
    out_dir = tmp_path / "adapted"
    code, _, err = _run(
        capsys,
        "train",
        "--recipe",
        "default",
        "--data-dir",
        shared_data_dir,
        filled,
        "--weight",
        "4",
        "-o",
        out_dir,
    )
    assert code == 0, err
    manifest = read_manifest(out_dir)
    user = manifest["training"]["user_rows"]
    assert user["weight"] == 4.0 and user["rows"] == 8 and user["labels"] == {NEG: 8}
    assert user["files"][0]["sha256"] == hashlib.sha256(filled.read_bytes()).hexdigest()
    assert manifest["training"]["recipe"]["train_sizes"]["user:reviewed"] == {NEG: 8}
    assert "news_isis_heldout_days" in manifest["metrics"]["heldout"]
    card = (out_dir / "README.md").read_text(encoding="utf-8")
    assert "reviewed.csv" in card and user["files"][0]["sha256"] in card
    with filled.open(encoding="utf-8", newline="") as fh:
        assert not any(row["text"] in card for row in csv.DictReader(fh))
    assert os.path.getsize(out_dir / "arrays.npz") > 0


def test_train_help_gives_the_default_user_weight(capsys):
    from arabic_extremism_clf.adapt import DEFAULT_USER_WEIGHT
    from arabic_extremism_clf.cli import main

    assert main(["train", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"(default: {DEFAULT_USER_WEIGHT:g}, adapt.DEFAULT_USER_WEIGHT;" in help_text
