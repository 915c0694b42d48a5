"""Tests of ``aeclf train``, ``aeclf evaluate`` and ``aeclf preprocess``, run in-process.

Every test calls ``main([...])`` on neutral toy posts (sport, weather, cooking, from
``toy_corpus``) written to ``tmp_path`` as CSV, TSV and JSON Lines, and checks what the
command prints, its exit code, its messages on stderr and the model directory it writes.
Figures printed by the CLI are compared with the library's functions run in-process on
the same data. ``--recipe default`` is only run where it must fail before reading any
data; the real recipe is tested elsewhere.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.cli import main
from arabic_extremism_clf.corpus import read_corpus
from arabic_extremism_clf.evaluate import evaluate, format_report
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import load_model, save_model
from arabic_extremism_clf.preprocess import normalize, tokenize
from arabic_extremism_clf.training import train_files

#: Files of a saved model directory (see ``persistence``).
MODEL_FILES = {"manifest.json", "arrays.npz", "vocab.json.gz", "README.md"}

#: Quick ``aeclf train`` options for the sport/weather files: two grouped CV folds, or
#: none, with an explicit flagged label.
CV2 = ("--cv", "2", "--flagged-label", "sport")
NO_CV = ("--cv", "0", "--flagged-label", "sport")

#: Obvious posts that are in no training file, with their topic.
UNSEEN = [
    ("سجل اللاعب هدفين في الملعب", "sport"),
    ("الفريق يشجعه الجمهور في الدوري", "sport"),
    ("أمطار ورياح قوية اليوم", "weather"),
    ("الجو بارد والسماء ممطرة", "weather"),
    ("اخبز الكعكة في الفرن الساخن", "cooking"),
    ("أضف الملح إلى الأرز والدجاج", "cooking"),
]


def _grow(posts: list[str]) -> list[str]:
    """The posts, then each joined to the next.

    Every word then occurs in at least two posts, so the vectorizer's ``min_df=2``
    (which the CLI does not expose) keeps a vocabulary in every cross-validation fold.
    """
    return posts + [f"{a} و{b}" for a, b in zip(posts, posts[1:] + posts[:1])]


def _rows(**topics: list[str]) -> list[tuple[str, str]]:
    """``(text, label)`` rows: ``_rows(sport=SPORT)``."""
    return [(text, label) for label, posts in topics.items() for text in posts]


def _write_table(
    path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "label")
) -> Path:
    """A CSV (or, for a ``.tsv`` path, TSV) file with a header row."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t" if path.suffix == ".tsv" else ",")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_jsonl(
    path: Path, rows: list[tuple[str, str]], fields: tuple[str, str] = ("text", "label")
) -> Path:
    lines = [json.dumps(dict(zip(fields, row)), ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(capsys, *argv: object) -> tuple[int, str, str]:
    """Run ``aeclf`` in-process; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))


def _roundtrip(value: object) -> object:
    """``value`` as it reads back from JSON (tuples become lists, ...)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


@pytest.fixture
def three_topics(tmp_path) -> Path:
    """A CSV file of 12 sport, 12 weather and 12 cooking posts."""
    return _write_table(
        tmp_path / "topics.csv",
        _rows(sport=_grow(SPORT), weather=_grow(WEATHER), cooking=_grow(COOKING)),
    )


@pytest.fixture
def two_topics(tmp_path) -> Path:
    """A CSV file of 12 sport and 12 weather posts."""
    return _write_table(tmp_path / "sw.csv", _rows(sport=_grow(SPORT), weather=_grow(WEATHER)))


# -- aeclf train -------------------------------------------------------------------------


def test_train_writes_a_loadable_model_and_prints_the_cv_table(tmp_path, three_topics, capsys):
    out_dir = tmp_path / "models" / "mine"
    code, out, err = _run(capsys, "train", three_topics, "-o", out_dir, *CV2)
    assert code == 0, err
    assert {p.name for p in out_dir.iterdir()} == MODEL_FILES
    model = load_model(out_dir)
    assert list(model.classes_) == ["cooking", "sport", "weather"]
    texts, labels = zip(*UNSEEN)
    assert model.predict(list(texts)).tolist() == list(labels)

    manifest = _manifest(out_dir)
    report = manifest["metrics"]["cross_validation"]
    assert report["n"] == 36
    assert {k: v["support"] for k, v in report["per_label"].items()} == {
        "cooking": 12,
        "sport": 12,
        "weather": 12,
    }
    assert list(report["by_source"]) == ["topics"]  # the file stem
    assert manifest["training"]["files"] == [
        {
            "path": "topics.csv",
            "sha256": hashlib.sha256(three_topics.read_bytes()).hexdigest(),
            "bytes": three_topics.stat().st_size,
        }
    ]
    assert manifest["training"]["recipe"]["cv_folds"] == 2
    # The table on stdout is the saved cross-validation report, then where the model went.
    assert out.startswith("== grouped cross-validation ==\n" + format_report(report))
    assert out.rstrip("\n").endswith(f"model written to {out_dir}")
    # Progress goes to stderr, one line per fold.
    folds = [line for line in err.splitlines() if "cross-validation fold" in line]
    assert [line.split(":")[0].strip() for line in folds] == [
        "cross-validation fold 1",
        "cross-validation fold 2",
    ]


def test_train_json_prints_the_cross_validation_report(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", two_topics, "-o", out_dir, *CV2, "--json")
    assert code == 0, err
    printed = json.loads(out)  # all of stdout is one JSON document
    assert printed == _manifest(out_dir)["metrics"]
    report = printed["cross_validation"]
    for key in ("per_label", "macro_f1", "roc_auc", "pr_auc", "confusion_matrix", "calibration"):
        assert report[key] is not None, key
    assert report["flagged_label"] == "sport"
    assert report["confusion_matrix"]["labels"] == ["sport", "weather"]
    assert sum(map(sum, report["confusion_matrix"]["matrix"])) == 24
    # The same figures as the library's train_files on the same file and settings.
    expected = train_files(
        ExtremismClassifier(flagged_label="sport"), read_corpus(two_topics), [two_topics], cv=2
    )
    assert printed == _roundtrip(expected.metrics)


def test_train_cv_0_skips_cross_validation(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", two_topics, "-o", out_dir, *NO_CV, "--json")
    assert code == 0, err
    # No cross-validation figures; the shortcut audit of every trained model remains.
    assert set(json.loads(out)) == {"shortcut_audit"}
    assert "cross-validation fold" not in err
    manifest = _manifest(out_dir)
    assert "cross_validation" not in (manifest["metrics"] or {})
    assert manifest["training"]["recipe"]["cv_folds"] == 0
    assert load_model(out_dir).predict([UNSEEN[0][0]]).tolist() == ["sport"]


def test_train_options_end_up_in_the_saved_params(tmp_path, three_topics, capsys):
    out_dir = tmp_path / "m"
    code, _, err = _run(
        capsys,
        "train",
        three_topics,
        "-o",
        out_dir,
        "--cv",
        "2",
        "--flagged-label",
        "weather",
        "--threshold",
        "0.3",
        "--C",
        "2.5",
    )
    assert code == 0, err
    manifest = _manifest(out_dir)
    params = manifest["estimator"]["params"]
    assert (params["flagged_label"], params["threshold"], params["C"]) == ("weather", 0.3, 2.5)
    assert (manifest["flagged_label"], manifest["threshold"]) == ("weather", 0.3)
    model = load_model(out_dir)
    assert (model.flagged_label, model.threshold, model.C) == ("weather", 0.3, 2.5)
    # The cross-validation report is at the same operating point.
    report = manifest["metrics"]["cross_validation"]
    assert (report["flagged_label"], report["threshold"]) == ("weather", 0.3)


def test_train_loss_squared_hinge_ends_up_in_the_saved_params(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    code, _, err = _run(
        capsys,
        "train",
        two_topics,
        "-o",
        out_dir,
        "--cv",
        "0",
        "--flagged-label",
        "sport",
        "--loss",
        "squared_hinge",
    )
    assert code == 0, err
    assert _manifest(out_dir)["estimator"]["params"]["loss"] == "squared_hinge"
    assert load_model(out_dir).loss == "squared_hinge"


def test_train_norm_floor_ends_up_in_the_saved_params(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    code, _, err = _run(
        capsys, "train", two_topics, "-o", out_dir, "--cv", "0", "--norm-floor", "2", "30"
    )
    assert code == 0, err
    assert _manifest(out_dir)["vectorizer"]["params"]["norm_floor"] == [2.0, 30.0]
    assert load_model(out_dir).vectorizer_.norm_floor == (2.0, 30.0)


def test_train_combines_files_of_several_formats(tmp_path, capsys):
    # Cooking is only in the TSV file, sport only in the CSV file.
    first = _write_table(
        tmp_path / "first.csv", _rows(sport=_grow(SPORT), weather=_grow(WEATHER)[:6])
    )
    second = _write_table(
        tmp_path / "second.tsv", _rows(cooking=_grow(COOKING), weather=_grow(WEATHER)[6:])
    )
    out_dir = tmp_path / "m"
    code, _, err = _run(capsys, "train", first, second, "-o", out_dir, *CV2)
    assert code == 0, err
    manifest = _manifest(out_dir)
    assert manifest["classes"] == ["cooking", "sport", "weather"]
    assert [f["path"] for f in manifest["training"]["files"]] == ["first.csv", "second.tsv"]
    assert manifest["training"]["recipe"]["train_sizes"] == {
        "first": {"sport": 12, "weather": 6},
        "second": {"cooking": 12, "weather": 6},
    }
    report = manifest["metrics"]["cross_validation"]
    assert report["n"] == 36
    assert {name: s["n"] for name, s in report["by_source"].items()} == {"first": 18, "second": 18}
    texts, labels = zip(*UNSEEN)
    assert load_model(out_dir).predict(list(texts)).tolist() == list(labels)


def test_train_reads_jsonl_with_the_column_options(tmp_path, capsys):
    path = _write_jsonl(
        tmp_path / "posts.jsonl",
        _rows(sport=_grow(SPORT), weather=_grow(WEATHER)),
        ("body", "topic"),
    )
    out_dir = tmp_path / "m"
    code, _, err = _run(
        capsys,
        "train",
        path,
        "-o",
        out_dir,
        *NO_CV,
        "--text-col",
        "body",
        "--label-col",
        "topic",
    )
    assert code == 0, err
    assert _manifest(out_dir)["classes"] == ["sport", "weather"]


def test_train_format_option_reads_a_file_without_a_known_suffix(tmp_path, capsys):
    path = _write_table(tmp_path / "posts.tsv", _rows(sport=_grow(SPORT), weather=_grow(WEATHER)))
    path = path.rename(tmp_path / "posts.txt")
    code, _, err = _run(capsys, "train", path, "-o", tmp_path / "a", *NO_CV)
    assert code == 1
    assert "cannot tell the format from the suffix '.txt'" in err
    code, _, err = _run(capsys, "train", path, "-o", tmp_path / "b", *NO_CV, "--format", "tsv")
    assert code == 0, err
    assert _manifest(tmp_path / "b")["classes"] == ["sport", "weather"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no_text.csv", "no column 'text'; the header has the columns 'post', 'label'"),
        ("no_text.jsonl", "field 'text' is missing; the object has the fields 'post', 'label'"),
    ],
)
def test_train_refuses_a_file_without_the_text_column(tmp_path, capsys, name, expected):
    rows = _rows(sport=_grow(SPORT), weather=_grow(WEATHER))
    path = tmp_path / name
    if path.suffix == ".csv":
        _write_table(path, rows, ("post", "label"))
    else:
        _write_jsonl(path, rows, ("post", "label"))
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", path, "-o", out_dir, *CV2)
    assert code == 1
    assert err.startswith(f"aeclf train: error: {path}, line 1, column 'text': {expected}")
    assert "text_col" in err or "--text-col" in err  # says how to fix it
    assert "Traceback" not in err and out == ""
    assert not out_dir.exists()


def test_train_refuses_a_file_with_one_class(tmp_path, capsys):
    path = _write_table(tmp_path / "sport.csv", _rows(sport=_grow(SPORT)))
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", path, "-o", out_dir, *CV2)
    assert code == 1
    assert err.startswith(
        f"aeclf train: error: {path}: a training corpus needs at least two labels"
    )
    assert "found only 'sport' in 12 rows" in err
    assert out == ""
    assert not out_dir.exists()


def test_train_combines_files_of_one_class_each(tmp_path, capsys):
    sport = _write_table(tmp_path / "sport.csv", _rows(sport=_grow(SPORT)))
    weather = _write_table(tmp_path / "weather.csv", _rows(weather=_grow(WEATHER)))
    out_dir = tmp_path / "m"
    code, _, err = _run(capsys, "train", sport, weather, "-o", out_dir, *CV2)
    assert code == 0, err
    model = load_model(out_dir)
    assert sorted(model.classes_) == ["sport", "weather"]
    assert list(model.predict([t for t, _ in UNSEEN[:4]])) == [label for _, label in UNSEEN[:4]]

    other = _write_table(tmp_path / "sport2.csv", _rows(sport=_grow(SPORT)))
    code, out, err = _run(capsys, "train", sport, other, "-o", tmp_path / "m2", *CV2)
    assert code == 1
    assert err.startswith("aeclf train: error: the files hold only the label 'sport'")
    assert out == "" and not (tmp_path / "m2").exists()


#: Malformed files: (name, content, line, column or None, what the message says).
MALFORMED = [
    pytest.param(
        "missing_field.csv",
        f"text,label\n{SPORT[0]},sport\n{WEATHER[0]}\n{SPORT[1]},sport\n",
        3,
        "label",
        "row has 1 field, header has 2",
        id="csv-row-too-few-fields",
    ),
    pytest.param(
        "extra_field.csv",
        f"text,label\n{SPORT[0]},sport\n{WEATHER[0]},weather,extra\n",
        3,
        None,
        "row has 3 fields, header has 2",
        id="csv-row-too-many-fields",
    ),
    pytest.param(
        "unclosed.csv",
        f'text,label\n{SPORT[0]},sport\n"{WEATHER[0]},weather\n{SPORT[1]},sport\n',
        3,
        None,
        "a double quote opened in this record is never closed",
        id="csv-unclosed-quote",
    ),
    pytest.param(
        "empty_text.tsv",
        f"text\tlabel\n{SPORT[0]}\tsport\n{WEATHER[0]}\tweather\n \tweather\n",
        4,
        "text",
        "field 'text' is empty",
        id="tsv-empty-text",
    ),
    pytest.param(
        "bad.jsonl",
        json.dumps({"text": SPORT[0], "label": "sport"}, ensure_ascii=False)
        + "\n"
        + '{"text": "'
        + WEATHER[0]
        + '", "label": "weather"\n',
        2,
        None,
        "invalid JSON",
        id="jsonl-invalid-json",
    ),
    pytest.param(
        "null_label.jsonl",
        json.dumps({"text": SPORT[0], "label": "sport"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": WEATHER[0], "label": None}, ensure_ascii=False)
        + "\n",
        2,
        "label",
        "empty label in field 'label'",
        id="jsonl-null-label",
    ),
]


@pytest.mark.parametrize(("name", "content", "line", "column", "problem"), MALFORMED)
def test_train_refuses_a_malformed_row_naming_file_line_and_column(
    tmp_path, capsys, name, content, line, column, problem
):
    # Documented behaviour (README, read_corpus): a malformed row is refused, not
    # skipped, so training stops before fitting anything.
    good = _write_table(tmp_path / "good.csv", _rows(sport=_grow(SPORT), weather=_grow(WEATHER)))
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", good, path, "-o", out_dir, *CV2)
    assert code == 1
    where = f"{path}, line {line}" + (f", column {column!r}" if column else "")
    assert err.startswith(f"aeclf train: error: {where}: ")
    assert problem in err
    assert "cross-validation fold" not in err  # refused before any fitting
    assert "Traceback" not in err and out == ""
    assert not out_dir.exists()


def test_train_refuses_a_missing_file(tmp_path, capsys):
    path = tmp_path / "nowhere.csv"
    code, _, err = _run(capsys, "train", path, "-o", tmp_path / "m", *CV2)
    assert code == 1
    assert err.startswith(f"aeclf train: error: {path}: file not found")


def test_train_refuses_to_overwrite_without_the_overwrite_flag(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    common = ["train", two_topics, "-o", out_dir, *NO_CV]
    assert _run(capsys, *common, "--C", "1")[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    code, out, err = _run(capsys, *common, "--C", "3")
    assert code == 1
    assert err.startswith(f"aeclf train: error: {out_dir} exists and is not empty")
    assert out == ""
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before  # untouched

    code, _, err = _run(capsys, *common, "--C", "3", "--overwrite")
    assert code == 0, err
    assert _manifest(out_dir)["estimator"]["params"]["C"] == 3.0
    assert {p.name for p in out_dir.iterdir()} == MODEL_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m", "sw.csv"]  # no leftovers


def test_train_overwrite_never_replaces_a_directory_that_is_not_a_model(
    tmp_path, two_topics, capsys
):
    out_dir = tmp_path / "notes"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("not a model", encoding="utf-8")
    code, _, err = _run(capsys, "train", two_topics, "-o", out_dir, *NO_CV, "--overwrite")
    assert code == 1
    assert "without a manifest.json" in err and "refusing to replace it" in err
    assert [p.name for p in out_dir.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            ["--threshold", "1.5"],
            "argument --threshold: the value must be a number in [0, 1], got 1.5",
        ),
        (["--C", "0"], "argument --C: expected a positive number, got 0.0"),
        (["--norm-floor", "2", "inf"], "argument --norm-floor: expected a number >= 0, got inf"),
        (["--norm-floor", "-1", "3"], "argument --norm-floor: expected a number >= 0, got -1.0"),
        (["--norm-floor", "2"], "argument --norm-floor: expected 2 arguments"),
    ],
)
def test_train_refuses_bad_estimator_options(tmp_path, two_topics, capsys, option, message):
    out_dir = tmp_path / "m"
    code, _, err = _run(capsys, "train", two_topics, "-o", out_dir, *NO_CV, *option)
    assert code == 2  # a usage error: argparse refuses the value before any work
    assert err.endswith(f"aeclf train: error: {message}\n")
    assert not out_dir.exists()


def test_train_needs_files_or_the_recipe(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AECLF_DATA_DIR", raising=False)
    code, out, err = _run(capsys, "train", "-o", tmp_path / "m")
    assert code == 2
    assert "give labelled files, --recipe default, or both" in err
    assert out == ""
    assert not (tmp_path / "m").exists()


def test_train_recipe_default_without_a_data_dir_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AECLF_DATA_DIR", raising=False)
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", "--recipe", "default", "-o", out_dir, "--cv", "2")
    assert code == 1
    assert err.startswith("aeclf train: error: the shared data directory is not set")
    assert "--data-dir" in err and "AECLF_DATA_DIR" in err  # how to fix it
    assert out == "" and not out_dir.exists()

    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run(
        capsys, "train", "--recipe", "default", "--data-dir", empty, "-o", out_dir, "--cv", "2"
    )
    assert code == 1
    assert f"{empty} holds none of the corpus folders" in err
    assert not out_dir.exists()


def test_train_default_flagged_label_with_other_labels(tmp_path, two_topics, capsys):
    out_dir = tmp_path / "m"
    code, out, err = _run(capsys, "train", two_topics, "-o", out_dir, "--cv", "2", "--json")
    if code == 0:  # trained: the report has argmax predictions, like `aeclf evaluate`
        assert json.loads(out)["cross_validation"]["flagged_label"] is None
        assert out_dir.is_dir()
    else:  # or refused up front, saying which option to use
        assert code in (1, 2)
        assert "--flagged-label" in err
        assert "cross-validation fold" not in err


# -- aeclf evaluate ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def toy_model_dir(tmp_path_factory) -> Path:
    """A sport/weather model (flagged label: sport), saved without the CLI."""
    rows = _rows(sport=_grow(SPORT), weather=_grow(WEATHER))
    texts, labels = zip(*rows)
    model = ExtremismClassifier(min_df=1, calibration_cv=2, flagged_label="sport")
    model.fit(list(texts), list(labels))
    return save_model(model, tmp_path_factory.mktemp("models") / "toy")


@pytest.fixture
def dev_files(tmp_path) -> tuple[Path, Path]:
    """A labelled dev file (with two mislabelled rows, so figures are not all 1) and a
    weather-only file, the source whose false-positive rate matters."""
    rows = [row for row in UNSEEN if row[1] != "cooking"]
    rows += [(WEATHER[0], "sport"), (WEATHER[2], "sport")]  # label noise
    dev = _write_table(tmp_path / "dev.csv", rows)
    forecasts = _write_jsonl(
        tmp_path / "forecasts.jsonl",
        _rows(weather=["أمطار غزيرة اليوم", "رياح قوية في المساء", "طقس بارد وغائم"]),
    )
    return dev, forecasts


def _expected_reports(model_dir: Path, paths: list[Path], threshold: float | None = None) -> dict:
    """What ``aeclf evaluate --json`` should print, computed in-process."""
    model = load_model(model_dir)
    reports = {}
    for path in paths:
        corpus = read_corpus(path, min_labels=1)
        reports[str(path)] = evaluate(
            model,
            list(corpus.texts),
            list(corpus.labels),
            sources=[path.stem] * len(corpus),
            threshold=threshold,
        )
    return _roundtrip(reports)


def test_evaluate_json_matches_the_library(toy_model_dir, dev_files, capsys):
    dev, forecasts = dev_files
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir, dev, forecasts, "--json")
    assert code == 0, err
    printed = json.loads(out)
    expected = _expected_reports(toy_model_dir, [dev, forecasts])
    assert printed == expected
    report = printed[str(dev)]
    # Not a trivial report: the mislabelled rows cost recall of 'sport'.
    assert report["n"] == 6
    assert report["confusion_matrix"] == {
        "labels": ["sport", "weather"],
        "matrix": [[2, 2], [0, 2]],
    }
    assert report["per_label"]["sport"]["recall"] == 0.5
    assert 0 < report["macro_f1"] < 1
    for key in ("roc_auc", "pr_auc"):
        assert 0 < report[key] <= 1
    assert report["calibration"]["ece"] is not None
    # The false-positive rate of each source (a file's source is its stem).
    assert printed[str(forecasts)]["by_source"]["forecasts"]["false_positive_rate"] == 0.0
    assert printed[str(forecasts)]["by_source"]["forecasts"]["n"] == 3
    assert report["by_source"]["dev"]["false_positive_rate"] == 0.0


def test_evaluate_table_matches_the_library(toy_model_dir, dev_files, capsys):
    dev, forecasts = dev_files
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir, dev, forecasts)
    assert code == 0, err
    expected = _expected_reports(toy_model_dir, [dev, forecasts])
    assert out == (
        f"== {dev} ==\n{format_report(expected[str(dev)])}\n\n"
        f"== {forecasts} ==\n{format_report(expected[str(forecasts)])}\n"
    )
    for heading in (
        "macro F1",
        "ROC AUC",
        "PR AUC",
        "ECE",
        "precision",
        "recall",
        "f1",
        "confusion matrix",
        "FPR",
    ):
        assert heading in out, heading


def test_evaluate_threshold_override_moves_the_false_positive_rate(
    toy_model_dir, dev_files, capsys
):
    dev, forecasts = dev_files
    code, out, err = _run(
        capsys, "evaluate", "--model", toy_model_dir, dev, forecasts, "--threshold", "0", "--json"
    )
    assert code == 0, err
    printed = json.loads(out)
    assert printed == _expected_reports(toy_model_dir, [dev, forecasts], threshold=0.0)
    source = printed[str(forecasts)]["by_source"]["forecasts"]
    assert (source["flagged"], source["flag_rate"], source["false_positive_rate"]) == (3, 1.0, 1.0)
    # dev.csv: 4 posts labelled sport, 2 weather posts, all flagged at threshold 0.
    source = printed[str(dev)]["by_source"]["dev"]
    assert (source["positives"], source["flagged"]) == (4, 6)
    assert (source["recall"], source["false_positive_rate"]) == (1.0, 1.0)
    assert printed[str(dev)]["threshold"] == 0.0
    # The table shows the source's row with its FPR.
    code, out, _ = _run(capsys, "evaluate", "--model", toy_model_dir, forecasts, "--threshold", "0")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("forecasts "))
    assert row.split() == ["forecasts", "3", "0.000", "0", "3", "1.000", "-", "1.000"]


def test_evaluate_reads_jsonl_with_the_column_options(toy_model_dir, tmp_path, capsys):
    rows = [row for row in UNSEEN if row[1] != "cooking"]
    path = _write_jsonl(tmp_path / "dev.jsonl", rows, ("body", "topic"))
    code, out, err = _run(
        capsys,
        "evaluate",
        "--model",
        toy_model_dir,
        path,
        "--text-col",
        "body",
        "--label-col",
        "topic",
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)[str(path)]
    assert report["accuracy"] == 1.0
    assert report["n"] == 4


def test_evaluate_refuses_labels_the_model_does_not_know(toy_model_dir, tmp_path, capsys):
    path = _write_table(tmp_path / "dev.csv", UNSEEN)  # has 'cooking'
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir, path)
    assert code == 1
    assert err.startswith("aeclf evaluate: error: labels ['cooking'] are not among the classes")
    assert out == ""


def test_evaluate_refuses_a_malformed_row(toy_model_dir, tmp_path, capsys):
    path = tmp_path / "dev.csv"
    path.write_text(f"text,label\n{SPORT[0]},sport\n{WEATHER[0]}\n", encoding="utf-8")
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir, path)
    assert code == 1
    assert err.startswith(f"aeclf evaluate: error: {path}, line 3, column 'label': row has 1 field")
    assert out == ""


def test_evaluate_refuses_a_directory_that_is_not_a_model(tmp_path, dev_files, capsys):
    code, out, err = _run(capsys, "evaluate", "--model", tmp_path / "nowhere", dev_files[0])
    assert code == 1
    assert err.startswith("aeclf evaluate: error: ") and "nowhere" in err
    assert out == ""


def test_evaluate_recipe_default_without_a_data_dir_is_a_clear_error(
    toy_model_dir, capsys, monkeypatch
):
    monkeypatch.delenv("AECLF_DATA_DIR", raising=False)
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir, "--recipe", "default")
    assert code == 1
    assert err.startswith("aeclf evaluate: error: the shared data directory is not set")
    assert "--data-dir" in err
    assert out == ""


def test_evaluate_needs_files_or_the_recipe_message_on_stderr(toy_model_dir, capsys):
    code, out, err = _run(capsys, "evaluate", "--model", toy_model_dir)
    assert code == 2
    assert "give labelled files or --recipe default (not both)" in err
    assert out == ""


# -- aeclf preprocess --------------------------------------------------------------------

#: Lines with diacritics, teh marbuta, a hashtag, a mention, a URL, tatweel, Arabic-Indic
#: digits, a blank line and a CRLF ending.
PREPROCESS_LINES = [
    "الْفَرِيقُ فَازَ بِالمباراة",
    "توقعات الطقس: أمطار #كرة_القدم @someone http://example.com",
    "",
    "مـــبـــاراة ١٢\r",
]


def test_preprocess_file_prints_one_normalized_line_per_input_line(tmp_path, capsys):
    path = tmp_path / "posts.txt"
    path.write_bytes("\n".join(PREPROCESS_LINES).encode("utf-8") + b"\n")
    code, out, err = _run(capsys, "preprocess", path)
    assert code == 0, err
    assert out.split("\n")[:-1] == [normalize(line) for line in PREPROCESS_LINES]
    assert out.split("\n")[:-1] == [
        "الفريق فاز بالمباراه",
        "توقعات الطقس: امطار HASHTAG كره القدم USER URL",
        "",
        "مباراه 12",
    ]


def test_preprocess_stdin_tokens_as_json_lines(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(PREPROCESS_LINES) + "\n"))
    code, out, err = _run(capsys, "preprocess", "--tokens")
    assert code == 0, err
    printed = [json.loads(line) for line in out.splitlines()]
    assert printed == [tokenize(normalize(line)) for line in PREPROCESS_LINES]
    assert printed[0] == ["الفريق", "فاز", "بالمباراه"]
    assert printed[2] == []  # a blank line keeps its place


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("--no-dediac", "الْفَرِيقُ فَازَ بِالمباراه"),
        ("--no-teh-marbuta", "الفريق فاز بالمباراة"),
    ],
)
def test_preprocess_switches_off_a_step(tmp_path, capsys, option, expected):
    path = tmp_path / "posts.txt"
    path.write_text(PREPROCESS_LINES[0] + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "preprocess", option, path)
    assert code == 0, err
    assert out == expected + "\n"


def test_preprocess_missing_file_is_an_error(tmp_path, capsys):
    path = tmp_path / "nowhere.txt"
    code, out, err = _run(capsys, "preprocess", path)
    assert code == 1
    assert err.startswith("aeclf preprocess: error: ") and str(path) in err
    assert "No such file" in err
    assert out == ""


def test_preprocess_unknown_option_is_a_usage_error(capsys):
    code, out, err = _run(capsys, "preprocess", "--no-such-step")
    assert code == 2
    assert "unrecognized arguments: --no-such-step" in err
    assert out == ""


def test_preprocess_leaves_stdin_open(capsys, monkeypatch):
    stdin = io.StringIO("طقس ممطر\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = _run(capsys, "preprocess")
    assert code == 0, err
    assert not stdin.closed
