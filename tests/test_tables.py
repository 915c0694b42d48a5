"""The text-table loader (:mod:`arabic_extremism_clf.tables`) on small toy tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from toy_corpus import COOKING, SPORT, WEATHER

from arabic_extremism_clf.errors import CorpusError
from arabic_extremism_clf.tables import TableSpec, data_file, read_table, table_problems

SPEC = TableSpec(
    name="toy.tsv",
    columns=("topic", "text", "note"),
    allowed={"topic": ("sport", "weather", "cooking")},
    optional=("note",),
)
HEADER = "topic\ttext\tnote"


def _write(tmp_path: Path, *lines: str, raw: bytes | None = None) -> Path:
    path = tmp_path / "toy.tsv"
    path.write_bytes(raw if raw is not None else ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _where(problems: list[CorpusError]) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.column) for p in problems]


def test_a_valid_table_reads_in_file_order_with_optional_fields(tmp_path):
    path = _write(
        tmp_path, HEADER, f"sport\t{SPORT[0]}\ta match", f"weather\t{WEATHER[0]}\t",
        f"cooking\t{COOKING[0]}\t\"quoted\" note",
    )  # fmt: skip
    assert table_problems(SPEC, path) == []
    assert read_table(SPEC, path) == [
        {"topic": "sport", "text": SPORT[0], "note": "a match"},
        {"topic": "weather", "text": WEATHER[0], "note": ""},
        {"topic": "cooking", "text": COOKING[0], "note": '"quoted" note'},
    ]


def test_the_last_line_break_is_optional(tmp_path):
    path = _write(tmp_path, raw=f"{HEADER}\nsport\t{SPORT[0]}\tx".encode())
    assert read_table(SPEC, path) == [{"topic": "sport", "text": SPORT[0], "note": "x"}]


def test_every_problem_is_reported_with_its_line_and_column(tmp_path):
    path = _write(
        tmp_path,
        HEADER,
        f"sport\t{SPORT[0]}\t",  # 2: valid
        f"politics\t{SPORT[1]}\t",  # 3: unknown topic
        "weather\t\tno text",  # 4: empty text
        f"weather\t {WEATHER[1]}\t",  # 5: leading space
        f"cooking\t{COOKING[0]}",  # 6: a field short
        f"cooking\t{COOKING[1]}\tnote\textra",  # 7: a field too many
        "",  # 8: blank
        f"sport\t{SPORT[0]}\tsame text as line 2",  # 9: duplicate
        f"cooking\t{COOKING[2]}\t",  # 10: valid
    )
    problems = table_problems(SPEC, path)
    assert _where(problems) == [
        (3, "topic"), (4, "text"), (5, "text"), (6, None), (7, None), (8, None), (9, "text"),
    ]  # fmt: skip
    messages = [str(p) for p in problems]
    assert all(m.startswith(f"{path}, line ") for m in messages)
    assert "unknown value 'politics'; allowed: sport, weather, cooking" in messages[0]
    assert messages[1].endswith("column 'text': is empty")
    assert "leading or trailing whitespace" in messages[2]
    assert "has 2 tab-separated fields, expected 3" in messages[3]
    assert "has 4 tab-separated fields, expected 3" in messages[4]
    assert "blank" in messages[5]
    assert messages[6].endswith("duplicates line 2")


def test_read_table_raises_the_first_problem_with_the_others_as_notes(tmp_path):
    rows = (f"sport\t{SPORT[0]}\t", f"politics\t{SPORT[1]}\t", "weather\t\t")
    path = _write(tmp_path, HEADER, *rows)
    expected = r"toy\.tsv, line 3, column 'topic': unknown value"
    with pytest.raises(CorpusError, match=expected) as info:
        read_table(SPEC, path)
    assert info.value.line == 3 and info.value.column == "topic"
    assert info.value.path == str(path)
    assert len(info.value.__notes__) == 1 and "line 4, column 'text'" in info.value.__notes__[0]
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("header", "found"),
    [
        ("topic\ttext", "'topic\\ttext'"),  # a column short
        ("text\ttopic\tnote", "'text\\ttopic\\tnote'"),  # wrong order
        ("topic text note", "'topic text note'"),  # spaces, not tabs
    ],
)
def test_a_wrong_header_is_the_only_problem_reported(tmp_path, header, found):
    path = _write(tmp_path, header, "politics\t\t")
    problems = table_problems(SPEC, path)
    assert _where(problems) == [(1, None)]
    assert f"the header is {found}; expected 'topic\\ttext\\tnote'" in str(problems[0])


def test_an_empty_file_is_reported(tmp_path):
    problems = table_problems(SPEC, _write(tmp_path, raw=b""))
    assert _where(problems) == [(1, None)] and "is empty" in str(problems[0])


def test_a_missing_file_is_reported(tmp_path):
    problems = table_problems(SPEC, tmp_path / "absent.tsv")
    assert _where(problems) == [(1, None)] and "cannot be read" in str(problems[0])


def test_bom_crlf_and_invalid_utf8_are_reported_by_line(tmp_path):
    raw = (
        b"\xef\xbb\xbf" + HEADER.encode() + b"\n"
        + f"sport\t{SPORT[0]}\t\r\n".encode()  # 2: CRLF
        + b"weather\tcaf\xe9\t\n"  # 3: a Latin-1 byte
        + f"cooking\t{COOKING[0]}\t\n".encode()  # 4: valid
    )  # fmt: skip
    path = _write(tmp_path, raw=raw)
    problems = table_problems(SPEC, path)
    assert _where(problems) == [(1, None), (2, None), (3, None)]
    assert "byte order mark" in str(problems[0])
    assert "carriage return" in str(problems[1])
    assert "not valid UTF-8 (byte 0xe9 at byte 12)" in str(problems[2])


def test_the_unique_key_may_span_columns(tmp_path):
    spec = TableSpec("toy.tsv", ("topic", "text"), unique=("topic", "text"))
    path = _write(
        tmp_path, "topic\ttext", f"sport\t{SPORT[0]}", f"weather\t{SPORT[0]}", f"sport\t{SPORT[0]}"
    )
    problems = table_problems(spec, path)
    assert _where(problems) == [(4, None)] and str(problems[0]).endswith("duplicates line 2")


def test_data_file_names_a_packaged_file():
    assert data_file("functional_cases.tsv").is_file()
    assert data_file("authored_negatives.tsv").is_file()
    assert not data_file("no_such_table.tsv").is_file()
