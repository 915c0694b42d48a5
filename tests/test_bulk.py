"""Tests of bulk scoring: readers, score_iter/score_records, writers, resume, ``aeclf score``.

Mechanics only, on a neutral toy corpus (sport vs weather, "sport" as the flagged
label), with a toy model saved to a temporary directory. Memory boundedness is not
timed: the readers and the scoring generators are checked to consume their input
lazily instead.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from toy_corpus import SPORT, WEATHER

from arabic_extremism_clf import bulk
from arabic_extremism_clf.bulk import (
    CsvWriter,
    JsonlWriter,
    Record,
    read_records,
    resume_point,
    score_iter,
    score_records,
)
from arabic_extremism_clf.cli import main
from arabic_extremism_clf.features import PostVectorizer
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import save_model
from arabic_extremism_clf.preprocess import preprocess

# Unseen posts: sport and weather words mixed, numbers, Latin text, an emoji, a URL.
POSTS = [
    "الفريق فاز بالمباراة والهدف",
    "طقس ممطر ورياح قوية اليوم",
    "اللاعب سجل هدفا في الملعب 2",
    "أمطار غزيرة والجو بارد",
    "مباراة اليوم في الطقس الممطر ⚽",
    "Goal! الفريق بطل https://example.org",
]


@pytest.fixture(scope="module")
def model() -> ExtremismClassifier:
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    return clf.fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, model) -> str:
    return str(save_model(model, tmp_path_factory.mktemp("models") / "toy"))


def _posts(n: int) -> list[str]:
    """``n`` distinct posts made of the toy posts and a number."""
    return [f"{POSTS[i % len(POSTS)]} {i}" for i in range(n)]


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _score(args: list[str], model_dir: str, capsys) -> tuple[int, str, str]:
    code = main(["score", "--model", model_dir, "--no-progress", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- readers ---------------------------------------------------------------------------


def test_text_reader_one_record_per_line_with_errors():
    data = (
        b"\xef\xbb\xbf" + POSTS[0].encode() + b"\r\n"  # BOM and CRLF
        + b"\n"  # empty post
        + b"   \t\n"  # blank post
        + b"caf\xe9 " + POSTS[1].encode() + b"\n"  # Latin-1 byte: not UTF-8
        + POSTS[2].encode()  # no final line break
    )  # fmt: skip
    records = list(read_records(io.BytesIO(data), "text"))
    assert [r.line for r in records] == [1, 2, 3, 4, 5]
    assert records[0] == Record(1, None, POSTS[0], None)
    assert records[1] == Record(2, None, None, "empty post")
    assert records[2] == Record(3, None, None, "empty post")
    assert records[3].text is None and "not UTF-8" in records[3].error
    assert "b'\\xe9" in records[3].error and "byte 4" in records[3].error
    assert records[4] == Record(5, None, POSTS[2], None)


def test_text_reader_keeps_unicode_line_separators_inside_a_post():
    # U+2028 is a line separator to str.splitlines, not to a file of lines.
    data = f"{POSTS[0]}\u2028{POSTS[1]}\n".encode()
    assert [r.text for r in read_records(io.BytesIO(data), "text")] == [
        f"{POSTS[0]}\u2028{POSTS[1]}"
    ]


def test_text_reader_refuses_text_lines():
    with pytest.raises(TypeError, match="binary mode"):
        list(read_records(io.StringIO("a post\n"), "text"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"id": 1, "text": "%s"}', None),
        (b'{"id": 2, "text": ', "malformed JSON: Expecting value at column 19"),
        (b"[1, 2]", "expected a JSON object, found an array"),
        (b'"just a string"', "expected a JSON object, found a string"),
        (b'{"id": 5, "body": "x"}', "no field 'text' (the object has: 'id', 'body')"),
        (b'{"id": 6, "text": 42}', "field 'text' is a number, expected a string"),
        (b'{"id": 7, "text": null}', "field 'text' is null, expected a string"),
        (b'{"id": 8, "text": ["a"]}', "field 'text' is an array, expected a string"),
        (b'{"id": 9, "text": "  "}', "empty post"),
        (b"", "empty line"),
        (b'{"id": 11, "text": "\xff"}', "undecodable bytes"),
        (b"[" * 100_000, "malformed JSON: nested too deeply"),
    ],
)
def test_jsonl_reader_bad_lines_become_error_records(line, expected):
    good = b'{"id": 0, "text": "%s"}' % POSTS[0].encode()
    line = line.replace(b"%s", POSTS[1].encode())
    data = b"\n".join([good, line, good]) + b"\n"
    records = list(read_records(io.BytesIO(data), "jsonl", id_col="id"))
    assert [r.line for r in records] == [1, 2, 3]
    assert records[0] == records[2]._replace(line=1) == Record(1, 0, POSTS[0], None)
    if expected is None:
        assert records[1] == Record(2, 1, POSTS[1], None)
    else:
        assert records[1].text is None
        assert records[1].error.startswith(expected)


def test_jsonl_reader_ids_of_any_type_and_missing_ids():
    lines = [
        {"id": "a-1", "text": POSTS[0]},
        {"id": 7, "text": POSTS[1]},
        {"text": POSTS[2]},
        {"id": 9, "text": None},
    ]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    records = list(read_records(io.BytesIO(data), "jsonl", text_col="text", id_col="id"))
    assert [r.id for r in records] == ["a-1", 7, None, 9]
    assert records[3].error == "field 'text' is null, expected a string"


def _csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def test_csv_reader_line_numbers_ids_and_bad_rows():
    data = _csv_bytes(
        [
            ["id", "text", "lang"],
            ["a", POSTS[0], "ar"],
            ["b", f"{POSTS[1]}\n{POSTS[2]}, with a comma", "ar"],  # quoted: spans 2 lines
            ["c", POSTS[3], "ar", "extra"],  # too many fields
            ["d", POSTS[4]],  # too few
            ["e", "", "ar"],  # empty text
            [],  # blank line
            ["f", POSTS[5], "ar"],
        ]
    )
    data = data.replace(b"f," + POSTS[5].encode(), b"f," + POSTS[5].encode() + b"\xff")
    records = list(read_records(io.BytesIO(data), "csv", id_col="id"))
    assert [r.line for r in records] == [2, 3, 5, 6, 7, 8, 9]
    assert records[0] == Record(2, "a", POSTS[0], None)
    assert records[1] == Record(3, "b", f"{POSTS[1]}\n{POSTS[2]}, with a comma", None)
    assert records[2] == Record(5, "c", None, "expected 3 fields as in the header, found 4")
    assert records[3] == Record(6, "d", None, "expected 3 fields as in the header, found 2")
    assert records[4] == Record(7, "e", None, "empty post")
    assert records[5] == Record(8, None, None, "empty line")
    assert records[6].line == 9 and records[6].text is None
    assert "not UTF-8" in records[6].error


def test_csv_reader_unclosed_quote_is_reported_with_its_span():
    data = (
        b"text,id\n"
        + f'"{POSTS[0]},1\n'.encode()  # the quote is never closed
        + f"{POSTS[1]},2\n".encode()
    )  # fmt: skip
    records = list(read_records(io.BytesIO(data), "csv", id_col="id"))
    assert len(records) == 1 and records[0].line == 2 and records[0].text is None
    assert "found 1" in records[0].error and "lines 2-3" in records[0].error


def test_tsv_reader_and_quoting_switch():
    data = f'text\tid\n"{POSTS[0]}" said\t1\n{POSTS[1]}\t2\n'.encode()
    quoted = list(read_records(io.BytesIO(data), "tsv", id_col="id"))
    literal = list(read_records(io.BytesIO(data), "tsv", id_col="id", quoting=False))
    assert [r.id for r in literal] == ["1", "2"]
    assert literal[0].text == f'"{POSTS[0]}" said'
    assert quoted[1] == literal[1] == Record(3, "2", POSTS[1], None)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_reader_refuses_a_header_without_the_columns(fmt):
    delimiter = "," if fmt == "csv" else "\t"
    data = _csv_bytes([["body", "key"], [POSTS[0], "1"]], delimiter)
    with pytest.raises(ValueError, match="no column 'text'.*text_col="):
        list(read_records(io.BytesIO(data), fmt))
    with pytest.raises(ValueError, match="no column 'id'.*id_col="):
        list(read_records(io.BytesIO(data), fmt, text_col="body", id_col="id"))
    assert list(read_records(io.BytesIO(b""), fmt)) == []


def test_parquet_reader_numbers_rows_across_parts(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"text": [POSTS[0], None], "key": [1, 2]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"text": ["", POSTS[1]], "key": [3, 4]}), tmp_path / "b.parquet")
    records = list(
        bulk.read_parquet(
            [tmp_path / "a.parquet", tmp_path / "b.parquet"], id_col="key", batch_size=1
        )
    )
    assert records == [
        Record(1, 1, POSTS[0], None),
        Record(2, 2, None, "column 'text' is null"),
        Record(3, 3, None, "empty post"),
        Record(4, 4, POSTS[1], None),
    ]
    with pytest.raises(ValueError, match="has type int64, expected strings"):
        list(bulk.read_parquet(tmp_path / "a.parquet", text_col="key"))


def test_infer_format():
    assert bulk.infer_format("x/posts.CSV") == "csv"
    assert bulk.infer_format("posts.ndjson.gz") == "jsonl"
    assert bulk.infer_format("part-0.parquet") == "parquet"
    assert bulk.infer_format("posts.log") == "text"


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_readers_are_lazy(fmt):
    pulled = []

    def lines():  # an endless input
        if fmt == "csv":
            yield b"text\n"
        for i in range(10**9):
            pulled.append(i)
            post = f"{POSTS[i % len(POSTS)]} {i}"
            yield (json.dumps({"text": post}) if fmt == "jsonl" else post).encode() + b"\n"

    first = list(islice(read_records(lines(), fmt), 5))
    assert len(first) == 5 and all(r.error is None for r in first)
    assert len(pulled) <= 6


# --- scoring ----------------------------------------------------------------------------


def test_score_iter_matches_classify_in_order(model):
    posts = _posts(25)
    expected = model.classify(posts)
    assert list(score_iter(iter(posts), model, batch_size=4)) == expected
    assert list(score_iter(posts, model, batch_size=100)) == expected
    assert list(score_iter([], model)) == []


def test_score_iter_threshold_and_bad_input(model):
    posts = _posts(6)
    assert {p.label for p in score_iter(posts, model, threshold=0.0)} == {"sport"}
    with pytest.raises(TypeError, match="wrap a single post in a list"):
        list(score_iter(POSTS[0], model))
    with pytest.raises(TypeError, match="item 3 is int"):
        list(score_iter([*POSTS[:3], 5], model, batch_size=2))
    with pytest.raises(ValueError, match="threshold"):
        list(score_iter(posts, model, threshold=1.5))
    with pytest.raises(ValueError, match="batch_size"):
        list(score_iter(posts, model, batch_size=0))


def test_score_iter_is_lazy(model):
    pulled = []

    def endless():
        for i in range(10**9):
            pulled.append(i)
            yield f"{POSTS[i % len(POSTS)]} {i}"

    first = list(islice(score_iter(endless(), model, batch_size=10), 25))
    assert len(first) == 25
    assert len(pulled) <= 30


def test_score_records_one_row_per_record_in_order(model):
    records = [
        Record(1, "a", POSTS[0], None),
        Record(2, None, None, "empty post"),
        Record(3, "c", POSTS[1], None),
        Record(4, "d", None, "malformed JSON"),
        Record(5, "e", None, "empty post"),
        Record(6, None, POSTS[2], None),
    ]
    rows = list(score_records(records, model, batch_size=2))
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[1] == {"line": 2, "error": "empty post"}
    assert rows[3] == {"line": 4, "id": "d", "error": "malformed JSON"}
    expected = model.classify([POSTS[0], POSTS[1], POSTS[2]])
    for row, pred in zip([rows[0], rows[2], rows[5]], expected):
        assert row["label"] == pred.label
        assert row["confidence"] == pred.confidence
        assert row["scores"] == dict(pred.scores)
    assert rows[0]["id"] == "a" and "id" not in rows[5]
    # A batch with nothing to score at the end, and a record stream of errors only.
    only_errors = [Record(i, None, None, "empty post") for i in range(1, 4)]
    assert [r["line"] for r in score_records(only_errors, model, batch_size=2)] == [1, 2, 3]


def test_score_records_with_two_jobs_gives_the_same_rows(model):
    records = [
        Record(i + 1, i, None if i % 7 == 3 else post, "empty post" if i % 7 == 3 else None)
        for i, post in enumerate(_posts(60))
    ]
    one = list(score_records(records, model, batch_size=8))
    two = list(score_records(iter(records), model, batch_size=8, n_jobs=2))
    assert two == one


def test_fast_feature_path_is_bit_identical_to_the_reference(model):
    """The scoring path (raw posts) gives exactly the matrix of the token path."""
    vec = model.vectorizer_
    posts = _posts(40) + ["", "  ", "RT @a: #كرة_القدم http://x.y ١٢٣", "\u200bفاز\u200b"]
    for _ in range(2):  # cold, then warm memos
        fast = vec.transform(posts)
        reference = vec.transform_tokens([preprocess(p) for p in posts])
        assert fast.shape == reference.shape
        assert np.array_equal(fast.indptr, reference.indptr)
        assert np.array_equal(fast.indices, reference.indices)
        assert np.array_equal(fast.data, reference.data)


@pytest.mark.parametrize("sublinear", [True, False])
@pytest.mark.parametrize("idf_kind", ["plain", "zeros"])
@pytest.mark.parametrize("norm_floor", [None, (3, 6)])
def test_fast_weighting_is_bit_identical_to_weight(sublinear, idf_kind, norm_floor):
    """features._weighted_counts == PostVectorizer._weight of the same counts."""
    from arabic_extremism_clf import features

    rng = np.random.default_rng(0)
    n_rows, n_cols = 30, 50
    lengths = rng.integers(0, 40, n_rows)
    lengths[3] = 0  # an empty row
    rows = np.repeat(np.arange(n_rows), lengths)
    cols = rng.integers(0, n_cols, rows.size)
    idf = rng.uniform(1.0, 5.0, n_cols)
    if idf_kind == "zeros":
        idf[::4] = 0.0  # the reference's sparse product drops the zero products
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    vec = PostVectorizer(sublinear_tf=sublinear, norm_floor=norm_floor)
    reference = vec._weight(features._counts_matrix(indptr, cols, n_rows, n_cols), idf, 1)
    floor = features.block_norm_floor(vec, 1, idf)
    assert (floor > 0) == (norm_floor is not None)
    fast = features._weighted_counts(rows, cols, n_rows, n_cols, idf, sublinear, floor).to_csr()
    reference, fast = sp.hstack([reference], format="csr"), sp.hstack([fast], format="csr")
    assert np.array_equal(fast.indptr, reference.indptr)
    assert np.array_equal(fast.indices, reference.indices)
    assert np.array_equal(fast.data, reference.data)


@pytest.mark.shared_data
def test_fast_feature_path_is_bit_identical_on_real_posts(shared_data_dir):
    from arabic_extremism_clf.corpus import load_alfifi, load_saudinewsnet

    alfifi = load_alfifi(shared_data_dir)
    news = load_saudinewsnet(shared_data_dir)
    vec = ExtremismClassifier().fit(list(alfifi.texts)[::2], list(alfifi.labels)[::2]).vectorizer_
    posts = list(alfifi.texts)[1::2] + list(news.texts)[:500]
    fast = vec.transform(posts)
    reference = vec.transform_tokens([preprocess(p) for p in posts])
    assert np.array_equal(fast.indptr, reference.indptr)
    assert np.array_equal(fast.indices, reference.indices)
    assert np.array_equal(fast.data, reference.data)


# --- writers and resume ---------------------------------------------------------------------


def test_writers(model):
    rows = [
        {"line": 1, "id": "a,b", "label": "sport", "confidence": 0.75,
         "scores": {"sport": 0.75, "weather": 0.25}},
        {"line": 2, "id": "x\ny", "error": "empty post"},
    ]  # fmt: skip
    out = io.StringIO(newline="")
    JsonlWriter(out).write(rows)
    assert _jsonl(out.getvalue()) == rows
    out = io.StringIO(newline="")
    writer = CsvWriter(out, ["sport", "weather"], with_id=True)
    writer.header()
    writer.write(rows)
    table = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert table == [
        ["line", "id", "label", "confidence", "score_sport", "score_weather", "error"],
        ["1", "a,b", "sport", "0.75", "0.75", "0.25", ""],
        ["2", "x\ny", "", "", "", "", "empty post"],
    ]


def test_writers_write_rows_with_quotes_braces_and_odd_ids():
    """Labels and ids with quotes and braces survive both writers; rows read back equal."""
    labels = ['a "quoted" {label}', "بطل"]
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=labels[0])
    clf.fit(SPORT + WEATHER, [labels[0]] * 6 + [labels[1]] * 6)
    records = [
        Record(1, 'id "1" {x}', POSTS[0], None, "in/a.txt"),
        Record(2, 7, None, 'empty "post"'),
        Record(3, None, POSTS[3], None),
        Record(4, 3.5, POSTS[1], None),
        Record(5, ["a", 1], None, "no field\n'text'"),
    ]
    (batch,) = bulk.score_batches(records, clf, batch_size=10)
    rows = list(batch.rows())
    out = io.StringIO(newline="")
    assert JsonlWriter(out).write(rows) == len(rows)
    assert _jsonl(out.getvalue()) == rows
    out = io.StringIO(newline="")
    writer = CsvWriter(out, labels, with_id=True, with_file=True)
    writer.header()
    writer.write(rows)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in read] == ['id "1" {x}', "7", "", "3.5", "['a', 1]"]
    assert [r["label"] for r in read] == [
        rows[0]["label"],
        "",
        rows[2]["label"],
        rows[3]["label"],
        "",
    ]


def test_jsonl_writer_refuses_nan_instead_of_writing_invalid_json():
    out = io.StringIO(newline="")
    with pytest.raises(ValueError, match="not JSON compliant"):
        JsonlWriter(out).write([{"line": 1, "confidence": float("nan")}])
    assert out.getvalue() == ""


def test_csv_writer_refuses_a_nan_score():
    out = io.StringIO(newline="")
    row = {"line": 1, "label": "a", "confidence": float("nan"), "scores": {"a": 0.5, "b": 0.5}}
    with pytest.raises(ValueError, match="not finite"):
        CsvWriter(out, ["a", "b"]).write([row])
    assert out.getvalue() == ""


def test_resume_point_truncates_a_partial_row(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"line": 1}\n{"line": 3}\n{"line": 4, "lab')
    with path.open("r+b") as fh:
        point = resume_point(fh, "jsonl")
    assert (point.rows, point.line, point.truncated) == (2, 3, 16)
    assert path.read_bytes() == b'{"line": 1}\n{"line": 3}\n'
    path.write_bytes(b"not json\n")
    with path.open("r+b") as fh, pytest.raises(ValueError, match="cannot resume"):
        resume_point(fh, "jsonl")


def test_resume_point_csv(tmp_path):
    columns = ["line", "id", "label", "error"]
    path = tmp_path / "out.csv"
    path.write_bytes(b'line,id,label,error\n1,"a\nb",sport,\n2,"c')  # a quoted id cut short
    with path.open("r+b") as fh:
        point = resume_point(fh, "csv", columns=columns)
    assert (point.rows, point.line, point.header) == (1, 1, True)
    assert path.read_bytes() == b'line,id,label,error\n1,"a\nb",sport,\n'
    with path.open("r+b") as fh, pytest.raises(ValueError, match="header"):
        resume_point(fh, "csv", columns=["line", "label"])
    path.write_bytes(b"line,i")  # the header itself cut short
    with path.open("r+b") as fh:
        point = resume_point(fh, "csv", columns=columns)
    assert (point.rows, point.header) == (0, False) and path.read_bytes() == b""


# --- aeclf score ---------------------------------------------------------------------------


def test_cli_text_file_one_row_per_line(tmp_path, model_dir, model, capsys):
    src = tmp_path / "posts.txt"
    src.write_bytes("\n".join(POSTS[:3]).encode() + b"\n\n\xff\xfe\n" + POSTS[3].encode() + b"\n")
    code, out, err = _score([str(src)], model_dir, capsys)
    assert code == 0
    rows = _jsonl(out)
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[3] == {"line": 4, "error": "empty post"}
    assert rows[4]["line"] == 5 and "not UTF-8" in rows[4]["error"]
    expected = model.classify(POSTS[:4])
    scored = [rows[i] for i in (0, 1, 2, 5)]
    assert [r["label"] for r in scored] == [p.label for p in expected]
    assert [r["confidence"] for r in scored] == [p.confidence for p in expected]
    flagged = sum(p.label == "sport" for p in expected)
    assert f"6 rows, {flagged} flagged, 2 errors" in err


def _inputs(tmp_path: Path) -> dict[str, tuple[list[str], list]]:
    """One file per format with the same 5 rows: id, text (row 3: bad)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    ids = ["p1", "p2", "p3", "p4", "p5"]
    texts = POSTS[:5]
    (tmp_path / "in.csv").write_bytes(
        _csv_bytes([["id", "text"], *([i, t] for i, t in zip(ids, texts))]).replace(
            b"p3," + texts[2].encode(), b"p3," + texts[2].encode() + b",surplus"
        )
    )
    (tmp_path / "in.tsv").write_bytes(
        _csv_bytes(
            [["id", "text"], *([i, t if i != "p3" else " "] for i, t in zip(ids, texts))], "\t"
        )
    )
    jsonl = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in zip(ids, texts)]
    jsonl[2] = '{"id": "p3", "text": '
    (tmp_path / "in.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
    table = pa.table({"id": ids, "text": [t if i != "p3" else None for i, t in zip(ids, texts)]})
    pq.write_table(table, tmp_path / "in.parquet")
    # A data set directory: parts in natural order (part.2 before part.10), in subfolders.
    (tmp_path / "dataset" / "k=0").mkdir(parents=True)
    pq.write_table(table.slice(0, 1), tmp_path / "dataset" / "k=0" / "part.2.parquet")
    pq.write_table(table.slice(1, 1), tmp_path / "dataset" / "k=0" / "part.10.parquet")
    (tmp_path / "dataset" / "k=1").mkdir()
    pq.write_table(table.slice(2), tmp_path / "dataset" / "k=1" / "part.0.parquet")
    return {
        "in.csv": [2, 3, 4, 5, 6],
        "in.tsv": [2, 3, 4, 5, 6],
        "in.jsonl": [1, 2, 3, 4, 5],
        "in.parquet": [1, 2, 3, 4, 5],
        "dataset": [1, 2, 3, 4, 5],
    }


def test_cli_every_input_format(tmp_path, model_dir, model, capsys):
    expected = model.classify([POSTS[i] for i in (0, 1, 3, 4)])
    for name, lines in _inputs(tmp_path).items():
        code, out, err = _score([str(tmp_path / name), "--id-col", "id"], model_dir, capsys)
        assert code == 0, err
        rows = _jsonl(out)
        assert [r["line"] for r in rows] == lines, name
        # The malformed JSON line has no readable id; every other bad row keeps its id.
        assert [r.get("id") for r in rows] == [
            "p1",
            "p2",
            None if name == "in.jsonl" else "p3",
            "p4",
            "p5",
        ]
        assert "error" in rows[2] and "label" not in rows[2], name
        good = [rows[i] for i in (0, 1, 3, 4)]
        assert [r["label"] for r in good] == [p.label for p in expected], name
        assert [r["scores"] for r in good] == [dict(p.scores) for p in expected], name
        assert "5 rows" in err and "1 errors" in err


def test_cli_jsonl_field_names_and_csv_output(tmp_path, model_dir, model, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(json.dumps({"key": k, "body": POSTS[k]}, ensure_ascii=False) for k in range(3))
        + '\n{"key": 3}\n',
        encoding="utf-8",
    )
    out_path = tmp_path / "out.csv"
    code, _, _ = _score(
        [str(src), "--text-field", "body", "--id-field", "key", "-o", str(out_path)],
        model_dir,
        capsys,
    )
    assert code == 0
    with out_path.open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == bulk.output_columns(["sport", "weather"], with_id=True)
    assert [r["id"] for r in table] == ["0", "1", "2", "3"]
    expected = model.classify(POSTS[:3])
    assert [r["label"] for r in table[:3]] == [p.label for p in expected]
    assert [float(r["score_sport"]) for r in table[:3]] == [p.scores["sport"] for p in expected]
    assert table[3]["label"] == "" and table[3]["error"].startswith("no field 'body'")


def test_cli_only_flagged_threshold_and_strict(tmp_path, model_dir, model, capsys):
    src = tmp_path / "posts.txt"
    src.write_text("\n".join(POSTS) + "\n\n", encoding="utf-8")
    predictions = model.classify(POSTS)
    code, out, err = _score([str(src), "--only-flagged"], model_dir, capsys)
    assert code == 0
    rows = _jsonl(out)
    flagged = [i + 1 for i, p in enumerate(predictions) if p.label == "sport"]
    assert 0 < len(flagged) < len(POSTS)
    assert [r["line"] for r in rows] == [*flagged, 7]  # the error row is kept
    assert all(r["label"] == "sport" for r in rows[:-1]) and "error" in rows[-1]
    assert f"{len(flagged) + 1} written" in err

    code, out, _ = _score([str(src), "--threshold", "0"], model_dir, capsys)
    assert {r.get("label") for r in _jsonl(out)} == {"sport", None}
    code, out, _ = _score([str(src), "--threshold", "1"], model_dir, capsys)
    assert {r.get("label") for r in _jsonl(out)} == {"weather", None}

    code, out, err = _score([str(src), "--strict"], model_dir, capsys)
    assert code == 1 and len(_jsonl(out)) == 7 and "1 rows could not be scored" in err
    src.write_text("\n".join(POSTS) + "\n", encoding="utf-8")
    assert _score([str(src), "--strict"], model_dir, capsys)[0] == 0
    code, _, err = _score([str(src), "--threshold", "2"], model_dir, capsys)
    assert code == 2 and "threshold" in err  # a usage error


@pytest.mark.parametrize(
    "options",
    [[], ["--output-format", "csv"], ["--only-flagged"], ["--explain", "--top", "3"],
     ["--output-format", "csv", "--only-flagged", "--explain"]],
    ids=["jsonl", "csv", "only-flagged", "explain", "csv-only-flagged-explain"],
)  # fmt: skip
def test_cli_jobs_2_same_output_as_jobs_1(tmp_path, model_dir, capsys, options):
    """The workers format the rows and count them for the summary: same bytes, same counts."""
    src = tmp_path / "posts.txt"
    posts = _posts(300)
    posts[17] = ""
    src.write_text("\n".join(posts) + "\n", encoding="utf-8")
    one = _score([str(src), "--batch-size", "16", *options], model_dir, capsys)
    two = _score([str(src), "--batch-size", "16", "--jobs", "2", *options], model_dir, capsys)
    three = _score([str(src), "--batch-size", "7", "--jobs", "3", *options], model_dir, capsys)
    assert one[0] == two[0] == three[0] == 0
    assert two[1] == one[1] == three[1]
    summary = re.compile(r"(\d[\d,]*) rows, (\d[\d,]*) flagged, (\d[\d,]*) errors")
    assert summary.search(one[2]).groups() == summary.search(two[2]).groups()
    assert summary.search(one[2]).groups() == summary.search(three[2]).groups()
    assert summary.search(one[2]).group(1) == "300"
    assert summary.search(one[2]).group(3) == "1"
    if "--only-flagged" not in options and "csv" not in options:
        assert len(_jsonl(one[1])) == 300


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
@pytest.mark.parametrize("only_flagged", [False, True])
def test_cli_resume_after_an_interruption(tmp_path, model_dir, capsys, output_format, only_flagged):
    src = tmp_path / "posts.txt"
    posts = _posts(40)
    posts[9] = ""
    src.write_text("\n".join(posts) + "\n", encoding="utf-8")
    options = ["--output-format", output_format, "--batch-size", "7"]
    options += ["--only-flagged"] if only_flagged else []
    full = tmp_path / f"full.{output_format}"
    assert _score([str(src), "-o", str(full), *options], model_dir, capsys)[0] == 0
    reference = full.read_bytes()
    lines = reference.splitlines(keepends=True)
    assert len(lines) > 6
    for keep in (0, 1, 4, len(lines) - 1):
        # An interrupted job: some complete rows, then a partial row.
        out = tmp_path / f"out.{output_format}"
        out.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])
        code, stdout, err = _score(
            [str(src), "-o", str(out), "--resume", *options], model_dir, capsys
        )
        assert code == 0, err
        assert stdout == ""
        assert out.read_bytes() == reference, keep
    # Resuming a finished job adds nothing; resuming a missing output starts it.
    assert _score([str(src), "-o", str(out), "--resume", *options], model_dir, capsys)[0] == 0
    assert out.read_bytes() == reference
    out.unlink()
    assert _score([str(src), "-o", str(out), "--resume", *options], model_dir, capsys)[0] == 0
    assert out.read_bytes() == reference


def test_cli_resume_with_several_inputs(tmp_path, model_dir, capsys):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("\n".join(_posts(5)) + "\n", encoding="utf-8")
    second.write_text("\n".join(_posts(8)) + "\n", encoding="utf-8")
    full = tmp_path / "full.jsonl"
    assert _score([str(first), str(second), "-o", str(full)], model_dir, capsys)[0] == 0
    rows = _jsonl(full.read_text(encoding="utf-8"))
    assert [(r["file"], r["line"]) for r in rows] == [(str(first), i) for i in range(1, 6)] + [
        (str(second), i) for i in range(1, 9)
    ]
    lines = full.read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(lines[:7]))
    code, _, err = _score([str(first), str(second), "-o", str(out), "--resume"], model_dir, capsys)
    assert code == 0 and "7 rows were already in the output" in err
    assert out.read_bytes() == full.read_bytes()


def test_cli_refuses_to_overwrite_or_resume_without_a_file(tmp_path, model_dir, capsys):
    src = tmp_path / "posts.txt"
    src.write_text(POSTS[0] + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous job\n", encoding="utf-8")
    code, _, err = _score([str(src), "-o", str(out)], model_dir, capsys)
    assert code == 1 and "--resume" in err and "--overwrite" in err
    assert out.read_text(encoding="utf-8") == "previous job\n"
    assert _score([str(src), "-o", str(out), "--overwrite"], model_dir, capsys)[0] == 0
    assert len(_jsonl(out.read_text(encoding="utf-8"))) == 1
    code, _, err = _score([str(src), "--resume"], model_dir, capsys)
    assert code == 2 and "--resume needs -o FILE" in err  # usage errors
    code, _, err = _score([str(src), "--id-col", "id"], model_dir, capsys)
    assert code == 2 and "plain-text input has no ids" in err


def test_cli_only_flagged_needs_a_flagged_label(tmp_path, capsys):
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label=None)
    directory = save_model(
        clf.fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6), tmp_path / "m"
    )
    src = tmp_path / "posts.txt"
    src.write_text(POSTS[0] + "\n", encoding="utf-8")
    code, _, err = _score([str(src), "--only-flagged"], str(directory), capsys)
    assert code == 1 and "flagged label" in err


def test_cli_reads_stdin(monkeypatch, model_dir, model, capsys):
    data = ("\n".join(POSTS[:3]) + "\n").encode("utf-8") + b"\xc3\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, err = _score(["-"], model_dir, capsys)
    assert code == 0
    rows = _jsonl(out)
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert [r["label"] for r in rows[:3]] == [p.label for p in model.classify(POSTS[:3])]
    assert "not UTF-8" in rows[3]["error"]
    assert "4 rows" in err


def test_installed_console_script(tmp_path, model_dir, model):
    script = Path(sys.executable).with_name("aeclf")
    command = str(script) if script.exists() else shutil.which("aeclf")
    assert command, "the aeclf console script is not installed"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # the output must still be UTF-8
    proc = subprocess.run(
        [command, "score", "--model", model_dir, "--output-format", "jsonl"],
        input=("\n".join(POSTS[:2]) + "\n").encode("utf-8"),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    rows = _jsonl(proc.stdout.decode("utf-8"))
    assert [r["label"] for r in rows] == [p.label for p in model.classify(POSTS[:2])]
    assert b"aeclf score: 2 rows" in proc.stderr


def test_score_batch_keeps_the_features_only_when_asked(model):
    from arabic_extremism_clf.scoring import score_batch

    texts = _posts(7)
    plain = score_batch(model, texts)
    kept = score_batch(model, texts, keep_features=True)
    assert plain.features is None
    expected = model.vectorizer_.transform(texts)
    assert kept.features.shape == expected.shape
    assert (kept.features != expected).nnz == 0
    np.testing.assert_array_equal(kept.proba, plain.proba)
    np.testing.assert_array_equal(kept.proba, model.proba_from_features(expected))
