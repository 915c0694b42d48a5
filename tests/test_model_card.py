"""The generated model card: evaluation tables, licences looked up by corpus, rewriting.

Metrics are built with the real :func:`evaluate_predictions` on neutral toy posts, so
the card is tested against the structure the library actually writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf import ModelFileError
from arabic_extremism_clf.corpus import CORPUS_FOLDERS, CORPUS_SOURCES
from arabic_extremism_clf.evaluate import evaluate_predictions
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import (
    FORMAT_VERSION,
    file_fingerprint,
    load_model,
    save_model,
    write_model_card,
)

THRESHOLD = 0.4
METHOD = "maximize macro-F1 on out-of-fold probabilities"


@pytest.fixture(scope="module")
def model() -> ExtremismClassifier:
    texts = SPORT + WEATHER
    labels = ["sport"] * len(SPORT) + ["weather"] * len(WEATHER)
    clf = ExtremismClassifier(
        min_df=1, calibration_cv=2, flagged_label="sport", threshold=THRESHOLD
    )
    return clf.fit(texts, labels)


def _report(model: ExtremismClassifier, texts: list[str], labels: list[str]) -> dict:
    return evaluate_predictions(
        labels,
        model.predict_proba(texts),
        list(model.classes_),
        flagged_label="sport",
        threshold=THRESHOLD,
        sources=["toy"] * len(texts),
    )


@pytest.fixture(scope="module")
def metrics(model) -> dict:
    """All four parts, as the default recipe writes them."""
    mixed = SPORT[:3] + COOKING[:3]
    return {
        "threshold_selection": {
            "method": METHOD,
            "threshold": THRESHOLD,
            "sweep": [{"threshold": 0.4, "macro_f1": 0.9, "guard_flag_rate": None}],
        },
        "cross_validation": _report(
            model, SPORT + WEATHER, ["sport"] * len(SPORT) + ["weather"] * len(WEATHER)
        ),
        "heldout": {
            "cooking_only": _report(model, COOKING, ["weather"] * len(COOKING)),
            "mixed": _report(model, mixed, ["sport"] * 3 + ["weather"] * 3),
        },
        "ranking": {"cooking_only": {"roc_auc": 0.875, "n_positive": 6, "n_negative": 6}},
    }


def _card(path: Path) -> str:
    return (path / "README.md").read_text(encoding="utf-8")


def _row(card: str, first_cell: str) -> list[str]:
    """The cells of the table row that starts with ``first_cell``."""
    for line in card.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row starts with {first_cell!r}")


def _section(card: str, heading: str) -> str:
    start = card.index(heading)
    end = card.find("\n## ", start + len(heading))
    return card[start:] if end < 0 else card[start:end]


# --- evaluation ------------------------------------------------------------------------


def test_cross_validation_table(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics))
    cv = metrics["cross_validation"]
    assert _row(card, "posts")[1] == str(cv["n"])
    assert _row(card, "macro-F1")[1] == f"{cv['macro_f1']:.3f}"
    assert _row(card, "ROC-AUC")[1] == f"{cv['roc_auc']:.3f}"
    assert _row(card, "PR-AUC (average precision)")[1] == f"{cv['pr_auc']:.3f}"
    for figure in ("precision", "recall", "f1"):
        name = "F1" if figure == "f1" else figure
        expected = cv["per_label"]["sport"][figure]
        assert _row(card, f"{name} of `sport`")[1] == f"{expected:.3f}"
    ece = cv["calibration"]["ece"]
    assert _row(card, "ECE (confidence of the predicted label)")[1] == f"{ece:.3f}"
    assert _row(card, "threshold")[1] == "0.4"
    assert f"How it was chosen: {METHOD}." in card


def test_heldout_table_counts_flags_and_false_positives(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics))
    flagged = int((model.predict_proba(COOKING)[:, 0] >= THRESHOLD).sum())
    rate = f"{100 * flagged / len(COOKING):.2f}%"
    only = _row(card, "`cooking_only`")
    # set, posts, positives, flagged (rate), FPR, recall, macro-F1, ECE
    assert only[1:6] == [str(len(COOKING)), "0", f"{flagged} ({rate})", rate, "–"]
    assert only[6] == "–", "macro-F1 of a one-label set must not be shown"

    report = metrics["heldout"]["mixed"]
    assert report["confusion_matrix"]["labels"] == ["sport", "weather"]
    (tp, fn), (fp, tn) = report["confusion_matrix"]["matrix"]  # rows true, columns predicted
    mixed = _row(card, "`mixed`")
    assert mixed[2] == "3"
    assert mixed[3] == f"{tp + fp} ({100 * (tp + fp) / 6:.2f}%)"
    assert mixed[4] == f"{100 * fp / (fp + tn):.2f}%"
    assert mixed[5] == f"{report['per_label']['sport']['recall']:.3f}"
    assert mixed[6] == f"{report['macro_f1']:.3f}"
    assert mixed[7] == f"{report['calibration']['ece']:.3f}"
    assert tp + fn == 3


def test_ranking_table(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics))
    section = _section(card, "### Ranking")
    assert _row(section, "`cooking_only`")[1:] == ["0.875", "6", "6"]


def test_evaluation_is_tables_not_a_json_dump(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics))
    evaluation = _section(card, "## Evaluation")
    assert "```" not in evaluation
    for key in ('"sweep"', '"confusion_matrix"', '"bins"', '"by_source"', "guard_flag_rate"):
        assert key not in card
    assert "`manifest.json` under `metrics`" in evaluation
    assert "threshold sweep" in evaluation and "confusion matrices" in evaluation
    assert len(card.encode("utf-8")) < 10_000


@pytest.mark.parametrize(
    ("parts", "present", "absent"),
    [
        (
            ["cross_validation"],
            ["### Cross-validation", "how it was chosen is not recorded"],
            ["### Held-out sets", "### Ranking", "threshold sweep", "held-out sets below"],
        ),
        (["heldout"], ["### Held-out sets"], ["### Cross-validation", "### Ranking"]),
        (["ranking"], ["### Ranking"], ["### Cross-validation", "### Held-out sets"]),
        (["threshold_selection", "cross_validation"], [METHOD], ["### Held-out sets"]),
    ],
)
def test_missing_parts_are_omitted(tmp_path, model, metrics, parts, present, absent):
    some = {part: metrics[part] for part in parts}
    card = _card(save_model(model, tmp_path / "m", metrics=some))
    for text in present:
        assert text in card
    for text in absent:
        assert text not in card


def test_undefined_figures_are_left_out(tmp_path, model, metrics):
    cv = {**metrics["cross_validation"], "roc_auc": None, "pr_auc": None}
    card = _card(save_model(model, tmp_path / "m", metrics={"cross_validation": cv}))
    assert "ROC-AUC" not in card and "PR-AUC" not in card
    assert "macro-F1" in card


def test_card_of_a_model_without_flagged_label(tmp_path):
    texts = SPORT + WEATHER + COOKING
    labels = ["sport"] * 6 + ["weather"] * 6 + ["cooking"] * 6
    clf = ExtremismClassifier(min_df=1, calibration_cv=2, flagged_label=None).fit(texts, labels)
    report = evaluate_predictions(labels, clf.predict_proba(texts), list(clf.classes_))
    metrics = {"cross_validation": report, "heldout": {"all": report}}
    card = _card(save_model(clf, tmp_path / "m", metrics=metrics))
    assert "precision of" not in card
    assert _row(card, "`all`")[6] == f"{report['macro_f1']:.3f}"


@pytest.mark.parametrize(
    "metrics",
    [
        {"cross_validation": {}},
        {"cross_validation": {"flagged_label": ["x"], "per_label": 5, "calibration": "x"}},
        {"threshold_selection": "by hand", "heldout": {"x": None}},
        {"heldout": {"x": {"n": "many", "confusion_matrix": {"labels": "sport", "matrix": 3}}}},
        {"heldout": {"x": {"n": 2, "confusion_matrix": {"labels": ["sport"], "matrix": {"a": 1}}}}},
        {"heldout": {"x": {"n": 0, "by_source": {"s": {"positives": 0, "flagged": 0}}}}},
        {"ranking": [1, 2], "extra": {"nested": True}, "note": "toy"},
        {"ranking": {"x": {"roc_auc": "high"}}},
    ],
)
def test_malformed_metrics_never_crash(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics))
    assert "## Evaluation" in card and "## Known failure modes" in card


def test_other_metrics_are_listed_not_dumped(tmp_path, model):
    card = _card(save_model(model, tmp_path / "m", metrics={"note": "toy", "extra": {"a": 1}}))
    assert _row(card, "note")[1] == "toy"
    assert "Also recorded there: `extra`." in card
    assert '"a"' not in card


# --- training data and licences ---------------------------------------------------------


def test_every_corpus_folder_has_a_source_and_licence():
    assert tuple(CORPUS_SOURCES) == CORPUS_FOLDERS
    for folder, source in CORPUS_SOURCES.items():
        assert source.title and source.citation and source.licence, folder
        assert source.url.startswith("https://github.com/"), folder


@pytest.mark.parametrize(
    ("folder", "plainly"),
    [
        ("alfifi-isis-2000", "research use only"),
        ("saudinewsnet", "research use only"),
        ("osact2022", "research use only"),
        ("l-hsab", "Unstated"),
        ("dangerous-speech", "Unstated"),
        ("hatecheck-ar", "CC BY 4.0"),
    ],
)
def test_restricted_licences_say_so(folder, plainly):
    assert plainly in CORPUS_SOURCES[folder].licence


def _data_file(root: Path, folder: str, name: str, content: bytes = b"toy\n") -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_fingerprint_names_only_shared_corpus_folders(tmp_path):
    assert file_fingerprint(_data_file(tmp_path, "asnd", "a.csv"))["corpus"] == "asnd"
    assert "corpus" not in file_fingerprint(_data_file(tmp_path, "alice", "posts.csv"))


def test_card_looks_licences_up_by_corpus(tmp_path, model):
    files = [
        file_fingerprint(_data_file(tmp_path, "osact2022", "train.csv")),
        file_fingerprint(_data_file(tmp_path, "osact2022", "dev.csv")),
        file_fingerprint(_data_file(tmp_path, "l-hsab", "L-HSAB")),
        file_fingerprint(_data_file(tmp_path, "mine", "posts.csv")),
        {**file_fingerprint(_data_file(tmp_path, "mine", "own.csv")), "licence": "CC0"},
    ]
    card = _card(save_model(model, tmp_path / "m", training={"files": files}))
    osact = _row(card, "`osact2022`")
    assert osact[1] == "`train.csv`, `dev.csv`"
    assert osact[2] == CORPUS_SOURCES["osact2022"].licence
    assert CORPUS_SOURCES["osact2022"].url in osact[3]
    assert _row(card, "`l-hsab`")[2] == CORPUS_SOURCES["l-hsab"].licence
    unknown = [r for r in card.splitlines() if r.startswith("| not recorded |")]
    assert [r.split(" | ")[1:3] for r in unknown] == [
        ["`posts.csv`", "not recorded"],
        ["`own.csv`", "CC0"],
    ]


def test_many_files_of_one_corpus_are_counted(tmp_path, model):
    files = [
        file_fingerprint(_data_file(tmp_path, "saudinewsnet", f"day{i}.zip", bytes([i])))
        for i in range(5)
    ]
    card = _card(save_model(model, tmp_path / "m", training={"files": files}))
    assert _row(card, "`saudinewsnet`")[1].startswith("5 files: `day0.zip`")
    assert "and 2 more" in card


def test_train_sizes_become_a_table(tmp_path, model):
    recipe = {
        "name": "toy",
        "seed": 1,
        "train_sizes": {"sport-pages": {"sport": 6}, "weather-pages": {"weather": 4, "sport": 1}},
    }
    card = _card(save_model(model, tmp_path / "m", training={"recipe": recipe}))
    assert _row(card, "source") == ["source", "`sport`", "`weather`"]
    assert _row(card, "weather-pages")[1:] == ["1", "4"]
    assert _row(card, "**total**")[1:] == ["**7**", "**4**"]
    reproduce = _section(card, "## How to reproduce")
    assert '"seed": 1' in reproduce and "sport-pages" not in reproduce


def test_failure_modes_mention_source_style(tmp_path, model):
    card = _card(save_model(model, tmp_path / "m"))
    failures = _section(card, "## Known failure modes")
    assert "Writing style of the sources" in failures
    assert "independently of its content" in failures


def test_card_says_which_linear_model(tmp_path, model):
    card = _card(save_model(model, tmp_path / "lr"))
    assert (
        "- Model: TF-IDF over word 1-2-grams and within-word character 2-5-grams, then a "
        "logistic regression with C=10.0" in card
    )
    svm = ExtremismClassifier(
        min_df=1,
        calibration_cv=2,
        flagged_label="sport",
        loss="squared_hinge",
        C=0.5,
        char_ngram_range=None,
    ).fit(SPORT + WEATHER, ["sport"] * len(SPORT) + ["weather"] * len(WEATHER))
    card = _card(save_model(svm, tmp_path / "svm"))
    assert (
        "- Model: TF-IDF over word 1-2-grams, then a linear SVM (squared hinge loss) "
        "with C=0.5" in card
    )
    floored = ExtremismClassifier(min_df=1, calibration_cv=2, norm_floor=(2, 20)).fit(
        SPORT + WEATHER, ["sport"] * len(SPORT) + ["weather"] * len(WEATHER)
    )
    card = _card(save_model(floored, tmp_path / "floor"))
    assert (
        "within-word character 2-5-grams (L2-normalized per block with a norm floor of (2, 20)"
        in card
    )


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("default-v2", "aeclf train --recipe default"),
        ("toy", "Fit `ExtremismClassifier(**params)`"),
    ],
)
def test_reproduce_step_follows_the_recipe(tmp_path, model, name, step):
    card = _card(save_model(model, tmp_path / "m", training={"recipe": {"name": name}}))
    assert step in _section(card, "## How to reproduce")


# --- old fingerprints and rewriting the card -------------------------------------------


def _old_format(fingerprint: dict) -> dict:
    """A fingerprint as written before it named the corpus folder."""
    return {k: fingerprint[k] for k in ("path", "sha256", "bytes")}


def test_old_fingerprints_load_and_show_not_recorded(tmp_path, model):
    data = _data_file(tmp_path / "data", "osact2020", "train.txt")
    old = _old_format(file_fingerprint(data))
    saved = save_model(model, tmp_path / "m", training={"files": [old]})
    probes = SPORT[:2] + WEATHER[:2]
    np.testing.assert_array_equal(
        load_model(saved).predict_proba(probes), model.predict_proba(probes)
    )
    assert _row(_card(saved), "not recorded")[1:3] == ["`train.txt`", "not recorded"]
    write_model_card(saved)
    assert _row(_card(saved), "not recorded")[1:3] == ["`train.txt`", "not recorded"]


def test_write_model_card_matches_old_fingerprints_by_hash(tmp_path, model):
    root = tmp_path / "data"
    old = _old_format(file_fingerprint(_data_file(root, "osact2020", "train.txt")))
    changed = _old_format(file_fingerprint(_data_file(tmp_path / "v1", "asnd", "dev.csv", b"v1")))
    _data_file(root, "asnd", "dev.csv", b"v2")  # same name, other content: not that file
    saved = save_model(model, tmp_path / "m", training={"files": [old, changed]}, card="# old\n")
    manifest_before = (saved / "manifest.json").read_bytes()

    card_path = write_model_card(saved, data_dir=root)

    assert card_path == saved / "README.md"
    card = _card(saved)
    assert _row(card, "`osact2020`")[2] == CORPUS_SOURCES["osact2020"].licence
    assert _row(card, "not recorded")[1] == "`dev.csv`"
    assert (saved / "manifest.json").read_bytes() == manifest_before
    assert sorted(p.name for p in saved.iterdir()) == [
        "README.md",
        "arrays.npz",
        "manifest.json",
        "vocab.json.gz",
    ]
    load_model(saved)


def test_write_model_card_equals_the_card_save_model_writes(tmp_path, model, metrics):
    files = [file_fingerprint(_data_file(tmp_path, "hatecheck-ar", "cases.csv"))]
    saved = save_model(model, tmp_path / "m", training={"files": files}, metrics=metrics)
    written = _card(saved)
    (saved / "README.md").write_text("# stale\n", encoding="utf-8")
    write_model_card(saved)
    assert _card(saved) == written


def test_write_model_card_refuses_a_foreign_directory(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(ModelFileError, match="not an arabic_extremism_clf model"):
        write_model_card(tmp_path)
    assert not (tmp_path / "README.md").exists()


def test_card_has_no_unfilled_placeholders(tmp_path, model, metrics):
    card = _card(save_model(model, tmp_path / "m", metrics=metrics, training={"recipe": "x"}))
    assert not re.search(r"\{[a-z_]+\}", card)


def test_card_of_a_converted_model_says_so(tmp_path, model):
    """A model re-saved in a newer format without retraining (the shipped model, format 1
    -> 2) keeps the date it was saved on and says when it was converted."""
    path = save_model(model, tmp_path / "m")
    assert "Converted from" not in _card(path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["converted"] = {
        "from_format_version": 1,
        "date": "2026-12-07T10:00:00+00:00",
        "library_version": "0.1.0",
    }
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    card = _card(write_model_card(path).parent)
    saved_line = f"(model format {FORMAT_VERSION}) on {manifest['created']}.\nConverted from"
    assert saved_line + " model format 1 on " in card
    assert "2026-12-07T10:00:00+00:00 by arabic_extremism_clf 0.1.0, without retraining" in card
    load_model(path)  # the loaders ignore the record
