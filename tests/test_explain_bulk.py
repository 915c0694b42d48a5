"""Tests of explanations in bulk: the batch form on the model, rows, writers, ``aeclf score --explain``.

Mechanics only, on the neutral toy corpora (sport vs weather with "sport" as the
flagged label, and sport / weather / cooking without one). The cost of explaining is
not timed here: ``benchmarks/explain.py`` measures it.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf import bulk
from arabic_extremism_clf.bulk import CsvWriter, JsonlWriter, Record, score_records
from arabic_extremism_clf.cli import main
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import save_model

# Unseen posts: sport and weather words mixed, punctuation, a number, Latin text.
POSTS = [
    "الفريق فاز بالمباراة والهدف",
    "طقس ممطر ورياح قوية اليوم!",
    "اللاعب سجل هدفا في الملعب، 2",
    "أمطار غزيرة والجو بارد",
    "Goal! الفريق بطل",
]


@pytest.fixture(scope="module")
def binary() -> ExtremismClassifier:
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    return clf.fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6)


@pytest.fixture(scope="module")
def multi() -> ExtremismClassifier:
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    return clf.fit(SPORT + WEATHER + COOKING, ["sport"] * 6 + ["weather"] * 6 + ["cooking"] * 6)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, binary) -> str:
    return str(save_model(binary, tmp_path_factory.mktemp("models") / "toy"))


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _pairs(contributions) -> list[list]:
    return [[c.feature, c.weight] for c in contributions]


def _score(args: list[str], model_dir: str, capsys) -> tuple[int, str, str]:
    code = main(["score", "--model", model_dir, "--no-progress", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the model's batch form ------------------------------------------------------------


def _reference(model: ExtremismClassifier, post: str, label: str, top: int) -> list[list]:
    """The top n-grams of one post, the slow obvious way."""
    row = model.vectorizer_.transform([post]).tocoo()
    names = model.vectorizer_.get_feature_names_out()
    k = list(model.classes_).index(label)
    if model.coef_.shape[0] == 1:
        coef = model.coef_[0] if k == 1 else -model.coef_[0]
    else:
        coef = model.coef_[k]
    items = [(names[c], float(v * coef[c]), c) for c, v in zip(row.col, row.data)]
    items.sort(key=lambda item: (-abs(item[1]), item[2]))
    return [[name, weight] for name, weight, _ in items[:top]]


@pytest.mark.parametrize("which", ["binary", "multi"])
@pytest.mark.parametrize("top", [1, 3, 10**6])
def test_explanations_from_features_match_explain(request, which, top):
    model = request.getfixturevalue(which)
    features = model.vectorizer_.transform(POSTS)
    for label in model.classes_:
        batch = model.explanations_from_features(features, [label] * len(POSTS), top=top)
        assert [_pairs(ngrams) for ngrams in batch] == [
            _reference(model, post, label, top) for post in POSTS
        ]
        assert batch == [model.explain(post, label=label, top=top) for post in POSTS]
    mixed = [model.classes_[i % len(model.classes_)] for i in range(len(POSTS))]
    batch = model.explanations_from_features(features, mixed, top=top)
    assert batch == [model.explain(p, label=lab, top=top) for p, lab in zip(POSTS, mixed)]
    assert all(len(ngrams) == min(top, features[i].nnz) for i, ngrams in enumerate(batch))


def test_explanations_from_features_errors(binary):
    features = binary.vectorizer_.transform(POSTS[:2])
    with pytest.raises(ValueError, match="top must be a positive int, got 0"):
        binary.explanations_from_features(features, ["sport"] * 2, top=0)
    with pytest.raises(ValueError, match="top must be a positive int, got True"):
        binary.explanations_from_features(features, ["sport"] * 2, top=True)
    with pytest.raises(ValueError, match="unknown label 'cooking'"):
        binary.explanations_from_features(features, ["sport", "cooking"])
    with pytest.raises(ValueError, match="but there are 3 labels"):
        binary.explanations_from_features(features, ["sport"] * 3)
    with pytest.raises(ValueError, match="top must be a positive int"):
        binary.explain(POSTS[0], top=-1)


# --- rows -------------------------------------------------------------------------------


def _records() -> list[Record]:
    return [
        Record(1, "a", POSTS[0], None),
        Record(2, "b", None, "empty post"),
        Record(3, None, POSTS[1], None),
        Record(4, 7, None, "malformed JSON: Expecting value at column 1"),
        *(Record(5 + i, None, post, None) for i, post in enumerate(POSTS[2:])),
    ]


def test_explanation_is_off_by_default(binary):
    rows = list(score_records(_records(), binary))
    assert len(rows) == len(_records())
    assert not any("explanation" in row for row in rows)
    (batch,) = bulk.score_batches(_records(), binary)
    assert batch.scores.explanations is None


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_score_records_explain_one_row_per_record(binary, batch_size):
    records = _records()
    plain = list(score_records(records, binary, batch_size=batch_size))
    rows = list(score_records(records, binary, batch_size=batch_size, explain=True, top=3))
    assert [row["line"] for row in rows] == [r.line for r in records]
    for record, row, reference in zip(records, rows, plain):
        if record.error is not None:
            assert row == reference == {"line": row["line"], "id": record.id, "error": record.error}
            continue
        explanation = row.pop("explanation")
        assert row == reference  # the scores are the same with explain
        # The flagged label is explained, whatever the predicted label.
        expected = binary.explain(record.text, label="sport", top=3)
        assert explanation == {
            "label": "sport",
            "ngrams": [{"feature": c.feature, "weight": c.weight} for c in expected],
        }
    assert {row["label"] for row in plain if "label" in row} == {"sport", "weather"}


def test_without_a_flagged_label_the_predicted_label_is_explained(multi):
    rows = list(score_records(_records(), multi, explain=True, top=2))
    scored = [row for row in rows if "error" not in row]
    assert len(scored) == len(POSTS)
    for post, row in zip(POSTS, scored):
        assert row["explanation"]["label"] == row["label"]
        expected = multi.explain(post, label=row["label"], top=2)
        assert [[n["feature"], n["weight"]] for n in row["explanation"]["ngrams"]] == _pairs(
            expected
        )


def test_score_records_explain_checks_top_at_once(binary):
    with pytest.raises(ValueError, match="top must be a positive int, got 0"):
        score_records(iter(()), binary, explain=True, top=0)


def test_explain_with_two_jobs_gives_the_same_rows(binary):
    records = [Record(i + 1, None, f"{POSTS[i % len(POSTS)]} {i}", None) for i in range(60)]
    records[13] = Record(14, None, None, "empty post")
    one = list(score_records(records, binary, batch_size=8, explain=True, top=4))
    two = list(score_records(records, binary, batch_size=8, explain=True, top=4, n_jobs=2))
    assert two == one


# --- writers ----------------------------------------------------------------------------


def test_writers_write_explanations_that_read_back():
    labels = ['a "quoted" {label}', "بطل"]
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=labels[0])
    clf.fit(SPORT + WEATHER, [labels[0]] * 6 + [labels[1]] * 6)
    records = [
        Record(1, 'id "1" {x}', POSTS[0], None, "in/a.txt"),
        Record(2, 7, None, 'empty "post"'),
        Record(3, None, POSTS[3], None),
        Record(5, None, "zzz", None),  # no known n-gram: an empty explanation
    ]
    (batch,) = bulk.score_batches(records, clf, batch_size=10, explain=True, top=4)
    assert batch.scores.explanations[-1] == (labels[0], [])
    rows = list(batch.rows())
    out = io.StringIO(newline="")
    JsonlWriter(out).write(rows)
    assert _jsonl(out.getvalue()) == rows
    assert rows[0]["explanation"]["label"] == labels[0]
    assert 0 < len(rows[0]["explanation"]["ngrams"]) <= 4


def test_csv_explanation_columns_read_back(binary):
    (batch,) = bulk.score_batches(_records(), binary, explain=True, top=3)
    out = io.StringIO(newline="")
    writer = CsvWriter(out, ["sport", "weather"], with_id=True, explain=True)
    writer.header()
    writer.write(batch.rows())
    table = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert list(table[0]) == writer.columns
    assert writer.columns[-3:] == ["explained_label", "explanation", "error"]
    assert len(table) == len(_records())
    for record, row in zip(_records(), table):
        if record.error is not None:
            assert (row["explained_label"], row["explanation"]) == ("", "")
            assert row["error"] == record.error
        else:
            assert row["explained_label"] == "sport"
            expected = binary.explain(record.text, label="sport", top=3)
            assert json.loads(row["explanation"]) == _pairs(expected)


def test_csv_writer_with_explanation_columns_refuses_a_batch_without(binary):
    (batch,) = bulk.score_batches(_records(), binary)
    writer = CsvWriter(io.StringIO(newline=""), ["sport", "weather"], explain=True)
    with pytest.raises(ValueError, match="explain=True"):
        writer.write(batch.rows())


# --- aeclf score --explain ----------------------------------------------------------------


def _input(tmp_path) -> str:
    src = tmp_path / "posts.txt"
    src.write_bytes(
        "\n".join(POSTS[:2]).encode() + b"\n\n\xff\xfe\n" + "\n".join(POSTS[2:]).encode() + b"\n"
    )
    return str(src)


def test_cli_explain_jsonl(tmp_path, model_dir, binary, capsys):
    src = _input(tmp_path)
    code, plain, _ = _score([src], model_dir, capsys)
    assert code == 0 and "explanation" not in plain  # off by default
    code, out, err = _score([src, "--explain", "--top", "3"], model_dir, capsys)
    assert code == 0, err
    rows = _jsonl(out)
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]  # one row per input row
    assert rows[2] == {"line": 3, "error": "empty post"}
    assert "not UTF-8" in rows[3]["error"] and "explanation" not in rows[3]
    assert "7 rows" in err and "2 errors" in err
    scored = [r for r in rows if "error" not in r]
    for post, row, reference in zip(POSTS, scored, _jsonl(plain)[:2] + _jsonl(plain)[4:]):
        explanation = row.pop("explanation")
        assert row == reference
        assert explanation["label"] == "sport"
        expected = binary.explain(post, label="sport", top=3)
        assert [[n["feature"], n["weight"]] for n in explanation["ngrams"]] == _pairs(expected)
    code, out, _ = _score([src, "--explain"], model_dir, capsys)
    lengths = [len(r["explanation"]["ngrams"]) for r in _jsonl(out) if "error" not in r]
    assert max(lengths) == 10  # the default --top


def test_cli_explain_csv_and_only_flagged(tmp_path, model_dir, binary, capsys):
    src = _input(tmp_path)
    out_path = tmp_path / "out.csv"
    code, _, err = _score([src, "--explain", "--top", "2", "-o", str(out_path)], model_dir, capsys)
    assert code == 0, err
    with out_path.open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == bulk.output_columns(["sport", "weather"], explain=True)
    assert [r["line"] for r in table] == [str(i) for i in range(1, 8)]
    assert table[2]["error"] == "empty post" and table[2]["explanation"] == ""
    good = [r for r in table if not r["error"]]
    assert [json.loads(r["explanation"]) for r in good] == [
        _pairs(binary.explain(p, label="sport", top=2)) for p in POSTS
    ]
    code, out, _ = _score([src, "--explain", "--only-flagged"], model_dir, capsys)
    rows = _jsonl(out)
    assert code == 0 and {r.get("label") for r in rows} == {"sport", None}
    assert all("explanation" in r for r in rows if "label" in r)


def test_cli_explain_resume(tmp_path, model_dir, capsys):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(f"{POSTS[i % 5]} {i}" for i in range(30)) + "\n", encoding="utf-8")
    for fmt in ("jsonl", "csv"):
        options = ["--explain", "--top", "3", "--batch-size", "4", "--output-format", fmt]
        full = tmp_path / f"full.{fmt}"
        assert _score([str(src), "-o", str(full), *options], model_dir, capsys)[0] == 0
        lines = full.read_bytes().splitlines(keepends=True)
        out = tmp_path / f"out.{fmt}"
        out.write_bytes(b"".join(lines[:9]) + lines[9][:25])  # interrupted mid-row
        code, _, err = _score([str(src), "-o", str(out), "--resume", *options], model_dir, capsys)
        assert code == 0, err
        assert out.read_bytes() == full.read_bytes()
    # A CSV output without explanation columns cannot be continued with them.
    plain = tmp_path / "plain.csv"
    assert _score([str(src), "-o", str(plain)], model_dir, capsys)[0] == 0
    code, _, err = _score([str(src), "-o", str(plain), "--resume", "--explain"], model_dir, capsys)
    assert code == 1 and "header" in err and "differs" in err
    # JSON Lines: the same refusal, both ways, and the file is left as it was.
    for first, then, message in (
        ([], ["--explain"], "written without --explain and this run is with it"),
        (["--explain"], [], "written with --explain and this run is without it"),
    ):
        out = tmp_path / "switch.jsonl"
        out.unlink(missing_ok=True)
        assert _score([str(src), "-o", str(out), *first], model_dir, capsys)[0] == 0
        before = out.read_bytes()
        code, _, err = _score([str(src), "-o", str(out), "--resume", *then], model_dir, capsys)
        assert code == 1 and message in err, err
        assert out.read_bytes() == before


@pytest.mark.parametrize(
    "options, message",
    [
        (["--top", "3"], "--top sets the size of explanations: it needs --explain"),
        (["--explain", "--top", "0"], "argument --top: expected a positive integer, got 0"),
    ],
)
def test_cli_top_errors(tmp_path, model_dir, capsys, options, message):
    code, out, err = _score([_input(tmp_path), *options], model_dir, capsys)
    assert code == 2 and out == "" and message in err  # usage errors
