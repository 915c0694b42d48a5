"""Tests of :mod:`arabic_extremism_clf.corpus`.

The first part uses tiny toy corpora (sport vs weather) written to ``tmp_path``; the
second part (marker ``shared_data``) checks the loaders against the real corpora.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from arabic_extremism_clf.corpus import (
    NOT_PROMOTIONAL,
    PROMOTIONAL,
    Corpus,
    data_dir,
    load_alfifi,
    load_asnd,
    load_dangerous_speech,
    load_hatecheck,
    load_lhsab,
    load_osact2020,
    load_osact2022,
    load_saudinewsnet,
    near_duplicate_clusters,
    read_corpus,
    saudinewsnet_dates,
)
from arabic_extremism_clf.errors import AeclfError, CorpusError, DataDirError

SPORT_AR = "فاز الفريق في المباراة النهائية بهدفين"
WEATHER_AR = "الطقس مشمس اليوم مع رياح خفيفة"
SPORT_EN = "The home team won the final, 2-1, after extra time"
WEATHER_EN = "Light rain expected tomorrow morning, clearing by noon"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_jsonl(path: Path, objects: list[object]) -> Path:
    lines = [json.dumps(obj, ensure_ascii=False) for obj in objects]
    return write(path, "\n".join(lines) + "\n")


def toy_corpus(n: int = 4) -> Corpus:
    return Corpus(
        texts=tuple(f"text {i}" for i in range(n)),
        labels=tuple("sport" if i % 2 else "weather" for i in range(n)),
        sources=("toy",) * n,
        groups=tuple(f"g{i // 2}" for i in range(n)),
        ids=tuple(f"id{i}" for i in range(n)),
        meta=tuple({"i": i} for i in range(n)),
    )


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------


def test_corpus_length_and_tuple_coercion() -> None:
    corpus = Corpus(["a", "b"], ["x", "y"], ["s", "s"], ["1", "2"], ["1", "2"], [{}, {}])
    assert len(corpus) == 2
    assert corpus.texts == ("a", "b") and isinstance(corpus.meta, tuple)


def test_corpus_unequal_lengths_name_them() -> None:
    with pytest.raises(ValueError, match=r"texts=2, labels=1, sources=2"):
        Corpus(("a", "b"), ("x",), ("s", "s"), ("1", "2"), ("1", "2"), ({}, {}))


def test_corpus_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        toy_corpus().texts = ()  # type: ignore[misc]


def test_subset_by_positions_keeps_all_fields_aligned() -> None:
    sub = toy_corpus().subset([3, 0, 3])
    assert sub.texts == ("text 3", "text 0", "text 3")
    assert sub.labels == ("sport", "weather", "sport")
    assert sub.groups == ("g1", "g0", "g1")
    assert sub.ids == ("id3", "id0", "id3")
    assert [m["i"] for m in sub.meta] == [3, 0, 3]


def test_subset_by_mask_and_numpy() -> None:
    corpus = toy_corpus()
    assert corpus.subset([True, False, False, True]).ids == ("id0", "id3")
    assert corpus.subset(np.array([False, True, True, False])).ids == ("id1", "id2")
    assert corpus.subset(np.array([2, 1], dtype=np.int64)).ids == ("id2", "id1")
    assert corpus.subset(np.flatnonzero(np.array(corpus.labels) == "sport")).ids == ("id1", "id3")
    assert len(corpus.subset([])) == 0


def test_subset_refuses_bad_index() -> None:
    corpus = toy_corpus()
    with pytest.raises(ValueError, match=r"mask has 2 values, the corpus has 4 rows"):
        corpus.subset([True, False])
    with pytest.raises(IndexError, match="out of range"):
        corpus.subset([4])
    with pytest.raises(TypeError):
        corpus.subset([0.5])
    with pytest.raises(TypeError, match="mixes"):
        corpus.subset([1, True])


def test_concat_in_order() -> None:
    a, b = toy_corpus(2), toy_corpus(3)
    both = Corpus.concat([a, b])
    assert len(both) == 5
    assert both.ids == a.ids + b.ids and both.meta == a.meta + b.meta
    assert len(Corpus.concat([])) == 0
    with pytest.raises(TypeError):
        Corpus.concat([a, "not a corpus"])  # type: ignore[list-item]


# --------------------------------------------------------------------------------------
# read_corpus: round trips
# --------------------------------------------------------------------------------------


def test_csv_round_trip_with_quoting_and_line_numbers(tmp_path: Path) -> None:
    rows = [
        ["text", "label"],
        [SPORT_AR, "sport"],
        ['a "quoted" word, and a comma\nand a second line', "weather"],
        [WEATHER_EN, "weather"],
    ]
    corpus = read_corpus(write_csv(tmp_path / "toy.csv", rows))
    assert corpus.texts == tuple(r[0] for r in rows[1:])
    assert corpus.labels == ("sport", "weather", "weather")
    assert corpus.sources == ("toy",) * 3
    # The second record spans physical lines 3-4, so the third starts on line 5.
    assert [m["line"] for m in corpus.meta] == [2, 3, 5]
    assert corpus.ids == ("toy:2", "toy:3", "toy:5")
    assert corpus.groups == corpus.ids


def test_tsv_round_trip_inferred_from_suffix(tmp_path: Path) -> None:
    rows = [["label", "text", "lang"], ["sport", SPORT_AR, "ar"], ["weather", WEATHER_EN, "en"]]
    corpus = read_corpus(write_csv(tmp_path / "toy.tsv", rows, delimiter="\t"))
    assert corpus.texts == (SPORT_AR, WEATHER_EN)
    assert corpus.meta[1]["columns"] == {"lang": "en"}


def test_custom_columns_delimiter_and_id(tmp_path: Path) -> None:
    rows = [
        ["tweet_id", "tweet", "topic"],
        ["t1", SPORT_EN, "sport"],
        ["t2", WEATHER_AR, "weather"],
    ]
    path = write_csv(tmp_path / "posts.csv", rows, delimiter=";")
    corpus = read_corpus(
        path, text_col="tweet", label_col="topic", id_col="tweet_id", delimiter=";"
    )
    assert corpus.ids == ("t1", "t2") and corpus.groups == ("t1", "t2")
    assert corpus.labels == ("sport", "weather")


def test_explicit_format_and_bom_and_crlf(tmp_path: Path) -> None:
    path = write(
        tmp_path / "posts.txt", "\ufefftext,label\r\nmatch report,sport\r\nsunny,weather\r\n"
    )
    corpus = read_corpus(path, format="csv")
    assert corpus.texts == ("match report", "sunny")
    assert corpus.labels == ("sport", "weather")


def test_jsonl_round_trip(tmp_path: Path) -> None:
    objects = [
        {"text": SPORT_AR, "label": 1, "id": 10, "lang": "ar"},
        {"text": "line\u2028separator inside a string", "label": 0, "id": 11},
        {"text": WEATHER_EN, "label": "0", "id": "12"},
    ]
    path = write_jsonl(tmp_path / "posts.jsonl", objects)
    write(path, path.read_text(encoding="utf-8").replace("\n", "\n\n", 1))  # a blank line
    corpus = read_corpus(path, id_col="id")
    assert corpus.texts == tuple(o["text"] for o in objects)
    assert corpus.labels == ("1", "0", "0")
    assert corpus.ids == ("10", "11", "12")
    assert [m["line"] for m in corpus.meta] == [1, 3, 4]
    assert corpus.meta[0]["columns"] == {"lang": "ar"}


def test_ndjson_suffix_and_other_encoding(tmp_path: Path) -> None:
    path = write(
        tmp_path / "posts.ndjson",
        '{"text": "caf\u00e9 match", "label": "sport"}\n{"text": "pluie", "label": "weather"}\n',
        encoding="latin-1",
    )
    assert read_corpus(path, encoding="latin-1").texts == ("caf\u00e9 match", "pluie")


def test_quoting_false_keeps_stray_quotes(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dump.tsv", 'text\tlabel\n"goal" in the last minute\tsport\nrain\tweather\n'
    )
    with pytest.raises(CorpusError, match=r"line 2: malformed quoting.*quoting=False"):
        read_corpus(path)
    corpus = read_corpus(path, quoting=False)
    assert corpus.texts == ('"goal" in the last minute', "rain")


# --------------------------------------------------------------------------------------
# read_corpus: refusals
# --------------------------------------------------------------------------------------


def test_error_too_many_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "text,label\nsunny,weather\nwon, 2-1,sport\n")
    with pytest.raises(
        CorpusError,
        match=r"bad\.csv, line 3: row has 3 fields, header has 2: quote fields containing the delimiter",
    ) as info:
        read_corpus(path)
    err = info.value
    assert err.line == 3 and err.path == str(path)
    assert isinstance(err, ValueError) and isinstance(err, AeclfError)


def test_error_too_few_fields_names_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "id,text,label\n1,sunny,weather\n2,won\n")
    with pytest.raises(
        CorpusError, match=r"line 3, column 'label': row has 2 fields, header has 3"
    ) as info:
        read_corpus(path)
    assert info.value.column == "label"


def test_error_record_spanning_lines_points_at_quote(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", 'text,label\nsunny,weather\n"two\nlines",sport,extra\n')
    with pytest.raises(CorpusError, match=r"line 3: row has 3 fields.*spans lines 3-4"):
        read_corpus(path)


def test_error_unclosed_quote(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", 'text,label\nsunny,weather\n"won,sport\nrain,weather\n')
    with pytest.raises(
        CorpusError, match=r"line 3: a double quote opened in this record is never closed"
    ):
        read_corpus(path)


def test_error_text_after_closing_quote(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", 'text,label\nsunny,weather\n"won" today,sport\n')
    with pytest.raises(CorpusError, match=r"line 3: malformed quoting .*double every quote"):
        read_corpus(path)


def test_error_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"text,label\nsunny,weather\n" + b"won \xff\xfe,sport\n")
    with pytest.raises(CorpusError, match=r"bad\.csv, line 3: cannot decode .*utf-8.*encoding="):
        read_corpus(path)


def test_error_empty_text_and_label(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "text,label\nsunny,weather\n  ,sport\n")
    with pytest.raises(CorpusError, match=r"line 3, column 'text': field 'text' is empty"):
        read_corpus(path)
    path = write(tmp_path / "bad.csv", "text,label\nsunny, \nwon,sport\n")
    with pytest.raises(CorpusError, match=r"line 2, column 'label': empty label"):
        read_corpus(path)


def test_error_missing_text_column_lists_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "tweet,label\nsunny,weather\nwon,sport\n")
    with pytest.raises(
        CorpusError,
        match=r"line 1, column 'text': no column 'text'; the header has the columns 'tweet', 'label': pass text_col=",
    ):
        read_corpus(path)
    with pytest.raises(CorpusError, match=r"no column 'topic'.*pass label_col="):
        read_corpus(path, text_col="tweet", label_col="topic")
    with pytest.raises(CorpusError, match=r"no column 'id'.*pass id_col="):
        read_corpus(path, text_col="tweet", id_col="id")


def test_error_wrong_delimiter_hint(tmp_path: Path) -> None:
    path = write(tmp_path / "semi.csv", "text;label\nsunny;weather\nwon;sport\n")
    with pytest.raises(CorpusError, match=r"no column 'text'.*'text;label'.*delimiter="):
        read_corpus(path)


def test_error_one_class(tmp_path: Path) -> None:
    path = write(tmp_path / "one.csv", "text,label\nwon,sport\nlost,sport \n")
    with pytest.raises(
        CorpusError, match=r"needs at least two labels, found only 'sport' in 2 rows.*min_labels=1"
    ):
        read_corpus(path)
    assert read_corpus(path, min_labels=1).labels == ("sport", "sport")
    with pytest.raises(
        CorpusError, match=r"needs at least three labels, found only 'sport', 'weather'"
    ):
        read_corpus(
            write(tmp_path / "two.csv", "text,label\nwon,sport\nrain,weather\n"), min_labels=3
        )


def test_error_empty_file_and_header_only(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"line 1: the file is empty"):
        read_corpus(write(tmp_path / "empty.csv", ""))
    with pytest.raises(CorpusError, match=r"no data rows"):
        read_corpus(write(tmp_path / "header.csv", "text,label\n"))
    with pytest.raises(CorpusError, match=r"no data rows"):
        read_corpus(write(tmp_path / "blank.jsonl", "\n\n"))


def test_error_duplicate_header_and_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(
        CorpusError, match=r"line 1, column 'label': the header names the column 'label' twice"
    ):
        read_corpus(write(tmp_path / "dup.csv", "text,label,label\nwon,sport,x\n"))
    path = write(tmp_path / "ids.csv", "id,text,label\na,won,sport\na,rain,weather\n")
    with pytest.raises(
        CorpusError, match=r"line 3, column 'id': duplicate id 'a' \(first on line 2\)"
    ):
        read_corpus(path, id_col="id")


def test_error_format_inference(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.txt", "text,label\nwon,sport\nrain,weather\n")
    with pytest.raises(
        CorpusError, match=r"cannot tell the format from the suffix '\.txt': pass format="
    ):
        read_corpus(path)
    with pytest.raises(CorpusError, match=r"unknown format 'xml'"):
        read_corpus(path, format="xml")
    with pytest.raises(CorpusError, match=r"file not found"):
        read_corpus(tmp_path / "missing.csv")


def test_error_invalid_json(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.jsonl", '{"text": "won", "label": "sport"}\n{"text": "rain", "label": }\n'
    )
    with pytest.raises(
        CorpusError, match=r"bad\.jsonl, line 2: invalid JSON: .*one JSON object per line"
    ):
        read_corpus(path)


def test_error_json_not_object(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", '["won", "sport"]\n')
    with pytest.raises(
        CorpusError, match=r"line 1: the line holds an array, expected a JSON object"
    ):
        read_corpus(path)


def test_error_json_fields(tmp_path: Path) -> None:
    good = {"text": "won", "label": "sport"}
    cases = [
        (
            {"body": "rain", "label": "weather"},
            r"line 2, column 'text': field 'text' is missing; the object has the fields 'body', 'label': .*text_col=",
        ),
        (
            {"text": 42, "label": "weather"},
            r"line 2, column 'text': field 'text' is not a string but a number",
        ),
        ({"text": "rain", "label": None}, r"line 2, column 'label': empty label"),
        (
            {"text": "rain", "label": ["weather"]},
            r"line 2, column 'label': .*labels must be strings or numbers",
        ),
        ({"text": "", "label": "weather"}, r"line 2, column 'text': field 'text' is empty"),
    ]
    for bad, pattern in cases:
        path = write_jsonl(tmp_path / "bad.jsonl", [good, bad])
        with pytest.raises(CorpusError, match=pattern):
            read_corpus(path)


def test_error_delimiter_with_jsonl(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", [{"text": "won", "label": "a"}])
    with pytest.raises(CorpusError, match="delimiter= applies to CSV/TSV"):
        read_corpus(path, delimiter=",")


# --------------------------------------------------------------------------------------
# data_dir
# --------------------------------------------------------------------------------------


def test_data_dir_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AECLF_DATA_DIR", raising=False)
    with pytest.raises(
        DataDirError,
        match=r"not set: pass the directory with the --data-dir option.*AECLF_DATA_DIR",
    ) as info:
        data_dir()
    assert isinstance(info.value, FileNotFoundError)


def test_data_dir_missing_or_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AECLF_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(
        DataDirError, match=r"AECLF_DATA_DIR=.*nowhere is not an existing directory.*--data-dir"
    ):
        data_dir()
    with pytest.raises(
        DataDirError, match=r"holds none of the corpus folders \(alfifi-isis-2000, "
    ):
        data_dir(tmp_path)


def test_data_dir_found_by_argument_and_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "asnd").mkdir()
    monkeypatch.setenv("AECLF_DATA_DIR", str(tmp_path / "nowhere"))
    assert data_dir(tmp_path) == tmp_path  # the argument wins over the environment
    monkeypatch.setenv("AECLF_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    # A loader whose folder or file is missing says which.
    with pytest.raises(DataDirError, match=r"lacks the folder alfifi-isis-2000/"):
        load_alfifi()
    with pytest.raises(DataDirError, match=r"lacks asnd/sm_news_ar_trn\.csv"):
        load_asnd()


# --------------------------------------------------------------------------------------
# Loaders on toy files shaped like the shared data
# --------------------------------------------------------------------------------------

ALFIFI_HEADER = ["id", "gold_label", "text", "zero_shot_gpt4o", "taxonomy_labels"]


def test_alfifi_mapping_and_near_duplicate_groups(tmp_path: Path) -> None:
    folder = tmp_path / "alfifi-isis-2000"
    folder.mkdir()
    ad = "big summer sale on football boots and jerseys today only order now"
    rows = [
        ALFIFI_HEADER,
        [
            "neg_0",
            "NOT-ISIS",
            f"{ad} http://example.com/a",
            "NOT-ISIS",
            "Commercial Content -> Ads",
        ],
        [
            "neg_1",
            "NOT-ISIS",
            f"@shop {ad} 50 http://example.com/b",
            "NOT-ISIS",
            "Commercial Content -> Ads",
        ],
        ["neg_2", "NOT-ISIS", f"{ad} plus free delivery", "NOT-ISIS", "Commercial Content -> Ads"],
        [
            "neg_3",
            "NOT-ISIS",
            WEATHER_AR,
            "NOT-ISIS",
            "Religion and Spirituality -> Prayers | Personal Reflections -> Emotions",
        ],
        ["pos_0", "ISIS", SPORT_AR, "ISIS", ""],
    ]
    write_csv(folder / "alfifi_isis_eval_2000.csv", rows)
    corpus = load_alfifi(tmp_path)
    assert corpus.labels == (NOT_PROMOTIONAL,) * 4 + (PROMOTIONAL,)
    assert corpus.ids == ("neg_0", "neg_1", "neg_2", "neg_3", "pos_0")
    # neg_1 differs by a mention and a number, neg_2 by 3 extra words of 15: one cluster.
    assert corpus.groups[:3] == ("alfifi:neg_0",) * 3
    assert len(set(corpus.groups)) == 3
    assert corpus.meta[3]["taxonomy"] == [
        "Religion and Spirituality -> Prayers",
        "Personal Reflections -> Emotions",
    ]
    assert [m["religious"] for m in corpus.meta] == [False, False, False, True, False]
    assert corpus.meta[4]["taxonomy"] == [] and corpus.meta[4]["orig_label"] == "ISIS"
    assert corpus.meta[0]["llm_predictions"] == {"zero_shot_gpt4o": "NOT-ISIS"}
    # A stricter threshold separates the 3 extra words.
    assert len(set(load_alfifi(tmp_path, near_duplicate_jaccard=0.9).groups)) == 4


def test_alfifi_unexpected_label(tmp_path: Path) -> None:
    folder = tmp_path / "alfifi-isis-2000"
    folder.mkdir()
    write_csv(folder / "alfifi_isis_eval_2000.csv", [ALFIFI_HEADER, ["x", "MAYBE", "rain", "", ""]])
    with pytest.raises(
        CorpusError, match=r"line 2, column 'gold_label': unexpected gold_label 'MAYBE'"
    ):
        load_alfifi(tmp_path)


def test_near_duplicate_clusters_is_transitive_and_exact() -> None:
    base = "one two three four five six seven eight nine ten"
    texts = [
        base,
        base + " eleven",  # 10/11 with base
        base + " eleven twelve",  # 11/12 with the previous, 10/12 with base
        "completely different words about the weather tomorrow",
        "",
        "URL USER 123",  # nothing left after dropping placeholders and numbers
        "URL USER 456",
    ]
    clusters = near_duplicate_clusters(texts, 0.9)
    assert clusters[:3] == [0, 0, 0]
    assert clusters[3:] == [3, 4, 5, 6]
    # Brute force agrees on random-ish word sets.
    words = [f"w{i}" for i in range(12)]
    texts = [
        " ".join(w for j, w in enumerate(words) if (i >> (j % 5)) & 1 or j % 3 == i % 3)
        for i in range(40)
    ]
    got = near_duplicate_clusters(texts, 0.7)
    sets = [set(t.split()) for t in texts]
    for i in range(len(texts)):
        for j in range(i):
            if sets[i] and sets[j] and len(sets[i] & sets[j]) >= 0.7 * len(sets[i] | sets[j]):
                assert got[i] == got[j]


def _write_osact2022(path: Path) -> None:
    labels = ["NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO"]
    swallowed = "\n".join(
        [
            "\t".join(["rain all week", *labels]),
            "\t".join(["3", "goal in the last minute", "OFF", "HS6", "NOT_VLG", "NOT_VIO"]),
            "4\tsunny weekend ahead",
        ]
    )
    rows = [
        ["Id", "Tweet", "Offensive", "Hate", "Vulgar", "Violence"],
        ["1", "match tonight", *labels],
        ["2", swallowed, "OFF", "NOT_HS", "VLG", "VIO"],
        ["5", "cold night", *labels],
    ]
    write_csv(path, rows)


def test_osact2022_splits_a_record_that_swallowed_tweets(tmp_path: Path) -> None:
    folder = tmp_path / "osact2022"
    folder.mkdir()
    _write_osact2022(folder / "train_data2022.csv")
    corpus = load_osact2022(tmp_path)
    assert corpus.ids == ("1", "2", "3", "4", "5")
    assert corpus.texts == (
        "match tonight",
        "rain all week",
        "goal in the last minute",
        "sunny weekend ahead",
        "cold night",
    )
    assert [m["orig_label"] for m in corpus.meta][1:4] == [
        "NOT_OFF/NOT_HS/NOT_VLG/NOT_VIO",
        "OFF/HS6/NOT_VLG/NOT_VIO",
        "OFF/NOT_HS/VLG/VIO",
    ]
    assert [m["line"] for m in corpus.meta] == [2, 3, 4, 5, 6]
    assert corpus.meta[2]["hate"] and corpus.meta[2]["hate_type"] == "HS6"
    assert corpus.meta[3]["violence"] and not corpus.meta[2]["violence"]
    with pytest.raises(ValueError, match="split must be one of 'train', 'dev'"):
        load_osact2022(tmp_path, split="test")


def _article(url: str, date: str, content: str, title: str = "Weather report") -> dict:
    return {
        "source": "paper",
        "url": url,
        "date_extracted": f"{date} 08:00:00",
        "title": title,
        "author": "",
        "content": content,
    }


NEWS_CONTENT = (
    "The national weather service said on Monday that temperatures will rise across the "
    "coastal region during the coming week. Forecasters expect clear skies in the north, "
    "while light winds will blow from the sea in the afternoon! Farmers, fishermen and "
    "travellers were advised to follow the daily bulletins, which are published every "
    "morning, and to plan long journeys early in the day.\nShort line.\n" + "word " * 80
)


def test_saudinewsnet_lead_sentences_dates(tmp_path: Path) -> None:
    folder = tmp_path / "saudinewsnet"
    folder.mkdir()
    articles = [
        _article("http://paper.example/1", "2015-07-21", NEWS_CONTENT),
        _article("http://paper.example/2", "2015-07-22", "", title="Title only"),
        _article("http://paper.example/3", "2015-07-22", "", title=""),  # no text: skipped
    ]
    write_jsonl(folder / "isis_mention_articles.jsonl", articles)
    for day, chunk in (("2015-07-21", articles[:1]), ("2015-07-22", articles[1:])):
        with zipfile.ZipFile(folder / f"{day}.zip", "w") as archive:
            archive.writestr(f"{day}.json", json.dumps(chunk, ensure_ascii=False))

    lead = load_saudinewsnet(tmp_path)
    assert lead.ids == ("http://paper.example/1", "http://paper.example/2")
    assert lead.texts[1] == "Title only"
    first = lead.texts[0]
    assert first.startswith("Weather report\nThe national weather service")
    assert len(first) <= 280 and first.endswith("afternoon!")  # cut at a sentence end
    assert lead.meta[0] == {
        "orig_label": "news",
        "date": "2015-07-21",
        "newspaper": "paper",
        "url": "http://paper.example/1",
    }
    assert set(lead.labels) == {NOT_PROMOTIONAL} and set(lead.sources) == {"saudinewsnet"}

    snippets = load_saudinewsnet(tmp_path, kind="sentences")
    assert len(snippets) >= 4
    assert set(snippets.groups) == {"saudinewsnet:http://paper.example/1"}
    assert len(set(snippets.ids)) == len(snippets)
    assert all(len(s) <= 280 and len(s.split()) >= 5 for s in snippets.texts)
    assert not any(s == "Short line." for s in snippets.texts)  # merged or dropped

    assert saudinewsnet_dates(tmp_path) == ["2015-07-21", "2015-07-22"]
    assert load_saudinewsnet(tmp_path, dates=["2015-07-22"]).ids == ("http://paper.example/2",)
    everything = load_saudinewsnet(tmp_path, isis_only=False)
    assert everything.ids == lead.ids
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        load_saudinewsnet(tmp_path, dates=["21/07/2015"])
    with pytest.raises(ValueError, match="kind"):
        load_saudinewsnet(tmp_path, kind="paragraphs")


# --------------------------------------------------------------------------------------
# The real corpora
# --------------------------------------------------------------------------------------

real = pytest.mark.shared_data


def _check_common(corpus: Corpus, source: str) -> None:
    assert set(corpus.sources) == {source}
    assert all(isinstance(t, str) and t.strip() for t in corpus.texts)
    assert len(set(corpus.ids)) == len(corpus)
    assert all(g.startswith(f"{source}:") for g in corpus.groups)
    assert all("orig_label" in m for m in corpus.meta)


@real
def test_real_data_dir(shared_data_dir: Path) -> None:
    assert data_dir(shared_data_dir) == shared_data_dir
    assert data_dir(os.fspath(shared_data_dir)) == shared_data_dir


@real
def test_real_alfifi(shared_data_dir: Path) -> None:
    corpus = load_alfifi(shared_data_dir)
    _check_common(corpus, "alfifi")
    assert len(corpus) == 2000
    assert Counter(corpus.labels) == {PROMOTIONAL: 1000, NOT_PROMOTIONAL: 1000}
    assert all(
        (label == PROMOTIONAL) == (m["orig_label"] == "ISIS")
        for label, m in zip(corpus.labels, corpus.meta)
    )
    assert sum(m["religious"] for m in corpus.meta) == 350
    assert sum(not m["taxonomy"] for m in corpus.meta) == 58
    assert all(len(m["llm_predictions"]) == 8 for m in corpus.meta)
    # Near-duplicate groups: the README counts 42 groups of spam among the negatives.
    sizes = Counter(corpus.groups)
    multi = {g for g, n in sizes.items() if n > 1}
    assert len(multi) >= 30
    rows = [i for i, g in enumerate(corpus.groups) if g in multi]
    negatives = sum(corpus.labels[i] == NOT_PROMOTIONAL for i in rows)
    assert negatives >= 0.9 * len(rows)
    mixed = [
        g
        for g in multi
        if len({corpus.labels[i] for i, h in enumerate(corpus.groups) if h == g}) > 1
    ]
    assert len(mixed) <= 1


@real
def test_real_saudinewsnet(shared_data_dir: Path) -> None:
    dates = saudinewsnet_dates(shared_data_dir)
    assert dates == sorted(set(dates)) and len(dates) == 11
    assert dates[0] == "2015-07-21" and dates[-1] == "2015-08-03"

    lead = load_saudinewsnet(shared_data_dir)
    _check_common(lead, "saudinewsnet")
    assert len(lead) == 1226
    assert set(lead.labels) == {NOT_PROMOTIONAL}
    assert max(map(len, lead.texts)) <= 280
    assert sorted(Counter(m["date"] for m in lead.meta)) == dates
    assert len(set(m["newspaper"] for m in lead.meta)) >= 10

    held_out = load_saudinewsnet(shared_data_dir, dates=dates[-2:])
    kept = load_saudinewsnet(shared_data_dir, dates=dates[:-2])
    assert len(held_out) + len(kept) == len(lead) and len(held_out) > 0
    assert {m["date"] for m in held_out.meta} == set(dates[-2:])

    snippets = load_saudinewsnet(shared_data_dir, kind="sentences")
    assert len(snippets) > 10 * len(lead)
    assert all(len(t) <= 280 and len(t.split()) >= 5 for t in snippets.texts)
    assert {g for g in snippets.groups} <= set(lead.groups)


@real
def test_real_saudinewsnet_all_articles(shared_data_dir: Path) -> None:
    corpus = load_saudinewsnet(shared_data_dir, isis_only=False)
    _check_common(corpus, "saudinewsnet")
    assert len(corpus) == 18945  # 18,984 articles, 39 without title and content
    assert max(map(len, corpus.texts)) <= 280
    assert sorted({m["date"] for m in corpus.meta}) == saudinewsnet_dates(shared_data_dir)


@real
def test_real_asnd(shared_data_dir: Path) -> None:
    train = load_asnd(shared_data_dir)
    dev = load_asnd(shared_data_dir, split="dev")
    for corpus in (train, dev):
        _check_common(corpus, "asnd")
        assert set(corpus.labels) == {NOT_PROMOTIONAL}
    assert (len(train), len(dev)) == (6676, 567)
    topics = Counter(m["topic"] for m in train.meta)
    assert len(topics) == 12 and topics["politics"] == 3387 and topics["crime-war-conflict"] == 889
    assert Counter(m["platform"] for m in dev.meta) == {
        "twitter": 335,
        "youtube": 130,
        "facebook": 102,
    }
    assert sum("\n" in t for t in train.texts) > 1000  # multi-line quoted posts kept whole
    assert not set(train.ids) & set(dev.ids)
    # The same news posted on several platforms: near-duplicate groups cover a third.
    sizes = Counter(train.groups)
    assert sum(n for n in sizes.values() if n > 1) > 2000
    assert max(sizes.values()) < 50


@real
def test_real_osact2020(shared_data_dir: Path) -> None:
    train = load_osact2020(shared_data_dir)
    dev = load_osact2020(shared_data_dir, split="dev")
    for corpus in (train, dev):
        _check_common(corpus, "osact2020")
    assert (len(train), len(dev)) == (7000, 1000)
    assert sum(m["offensive"] for m in train.meta) == 1410
    assert sum(m["hate"] for m in train.meta) == 361
    assert sum(m["offensive"] for m in dev.meta) == 179
    assert sum(m["hate"] for m in dev.meta) == 44
    assert not any("\t" in t for t in train.texts)


@real
def test_real_osact2022(shared_data_dir: Path) -> None:
    train = load_osact2022(shared_data_dir)
    dev = load_osact2022(shared_data_dir, split="dev")
    for corpus in (train, dev):
        _check_common(corpus, "osact2022")
        assert max(map(len, corpus.texts)) < 400  # no record swallowing its neighbours
        assert not any("\t" in t for t in corpus.texts)
    assert [int(i) for i in train.ids] == list(range(1, 8888))
    assert [int(i) for i in dev.ids] == list(range(8888, 10158))
    assert {
        k: sum(m[k] for m in train.meta) for k in ("offensive", "hate", "vulgar", "violence")
    } == {"offensive": 3172, "hate": 959, "vulgar": 134, "violence": 61}


@real
def test_real_lhsab(shared_data_dir: Path) -> None:
    corpus = load_lhsab(shared_data_dir)
    _check_common(corpus, "l-hsab")
    assert len(corpus) == 5846
    assert Counter(m["orig_label"] for m in corpus.meta) == {
        "normal": 3650,
        "abusive": 1728,
        "hate": 468,
    }
    assert not any("\t" in t for t in corpus.texts)
    assert sum("\n" in t for t in corpus.texts) == 3  # the quoted multi-line tweets


@real
def test_real_dangerous_speech(shared_data_dir: Path) -> None:
    corpus = load_dangerous_speech(shared_data_dir)
    _check_common(corpus, "dangerous-speech")
    assert len(corpus) == 5011
    assert Counter(m["orig_label"] for m in corpus.meta) == {"safe": 3636, "dangerous": 1375}
    assert not any("\r" in t or "\t" in t for t in corpus.texts)
    assert sum(t.startswith('"') for t in corpus.texts) == 3  # quoting disabled keeps them
    assert sum(n for n in Counter(corpus.groups).values() if n > 1) > 300


@real
def test_real_hatecheck(shared_data_dir: Path) -> None:
    corpus = load_hatecheck(shared_data_dir)
    _check_common(corpus, "hatecheck")
    assert len(corpus) == 3570
    assert set(corpus.labels) == {NOT_PROMOTIONAL}
    assert Counter(m["label_gold"] for m in corpus.meta) == {"hateful": 2494, "non-hateful": 1076}
    functionality = Counter(m["functionality"] for m in corpus.meta)
    assert len(functionality) == 27 and functionality["counter_quote_nh"] == 146
    # Template groups: far fewer groups than cases, each template's cases together.
    assert len(set(corpus.groups)) < len(corpus) // 5
    by_template: dict[str, set[str]] = {}
    for group, m in zip(corpus.groups, corpus.meta):
        by_template.setdefault(m["templ_id"], set()).add(group)
    assert all(len(groups) == 1 for groups in by_template.values())


@real
def test_real_groups_do_not_collide_across_sources(shared_data_dir: Path) -> None:
    corpora = [
        load_alfifi(shared_data_dir),
        load_saudinewsnet(shared_data_dir),
        load_asnd(shared_data_dir),
        load_osact2020(shared_data_dir),
        load_osact2022(shared_data_dir),
        load_lhsab(shared_data_dir),
        load_dangerous_speech(shared_data_dir),
        load_hatecheck(shared_data_dir),
    ]
    everything = Corpus.concat(corpora)
    assert len(everything) == sum(map(len, corpora))
    source_of_group: dict[str, str] = {}
    for group, source in zip(everything.groups, everything.sources):
        assert source_of_group.setdefault(group, source) == source
