"""Tests of known-content matching: signatures, index, signatures files, edits, ``aeclf match``.

Mechanics on neutral toy sentences written for these tests (weather, sport, greetings,
cooking); the false-match rate on real neutral posts is a ``shared_data`` test.
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from arabic_extremism_clf.cli import main
from arabic_extremism_clf.matching import (
    DEFAULT_THRESHOLD,
    MatchParams,
    SignatureFileError,
    SignatureIndex,
    load_index,
    match_rows,
    match_text,
    read_manifest,
    save_index,
    signatures,
)
from arabic_extremism_clf.matching.edits import EDITS, apply_edits
from arabic_extremism_clf.matching.signatures import fnv1a32, shingle_hashes

KNOWN = [
    "الطقس اليوم مشمس وحار في معظم مناطق المملكة مع رياح خفيفة ورطوبة عالية في المساء",
    "فاز الفريق بالمباراة أمس بثلاثة أهداف مقابل هدف واحد في الدوري الممتاز أمام جمهوره الكبير",
    "صباح الخير يا أصدقاء نتمنى لكم يوما سعيدا مليئا بالفرح والنجاح والصحة مع العائلة والأحباب",
    "أضف الملح والفلفل إلى الصلصة ثم اتركها على نار هادئة عشر دقائق",
    "توقعات بهطول أمطار غزيرة على المناطق الشمالية خلال نهاية الأسبوع القادم",
    "سجل اللاعب الشاب هدفا رائعا في الدقيقة الأخيرة وأسعد الجماهير في الملعب",
    "افتتحت المكتبة العامة قاعة جديدة للقراءة يستفيد منها الطلاب طوال العام",
    "نهنئكم بمناسبة العيد ونسأل الله أن يعيده عليكم بالخير واليمن والبركات",
]

# Posts with too little content to be signed.
SHORT = ["صباح الخير", "#مرحبا https://example.org", "@someone 😀😀 !!", "", "URL USER"]


@pytest.fixture()
def index() -> SignatureIndex:
    idx = SignatureIndex()
    assert idx.add_texts(KNOWN, ids=list(range(1, len(KNOWN) + 1))).all()
    return idx


# --- signatures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RT @someone: الطقس جميل اليوم", "الطقس جميل اليوم"),
        ("الطقس جميل 🌞🌞 اليوم!!", "الطقس جميل اليوم"),
        ("#الطقس_اليوم جميل", "الطقس اليوم جميل"),
        ("الطقس https://example.org/a?b=1 جميل", "الطقس جميل"),
        ("الطـــقس جميـل", "الطقس جميل"),
        ("کرة یوم", "كره يوم"),  # Persian keheh and yeh
        ("اَلطَّقْسُ جَمِيلٌ", "الطقس جميل"),
        ("ﺍﻟﻄﻘﺲ", "الطقس"),  # presentation forms
        ("الطقس\u200b جم\u200cيل", "الطقس جميل"),
        ("مباراة 3-1 اليوم", "مباراه 3 1 اليوم"),
    ],
)
def test_match_text(raw, expected):
    assert match_text(raw) == expected


def test_match_text_is_the_content_tokens_of_preprocess():
    import unicodedata

    from arabic_extremism_clf.preprocess import preprocess

    posts = [*KNOWN, *SHORT, "RT @a: ok ok 🌞 #x_y http://t.co/z", "مباراة 3-1 !! rt الآن"]
    for post in posts:
        for edited in (post, apply_edits(post, 3, random.Random(post))[0]):
            tokens = [
                t
                for t in preprocess(edited)
                if t not in ("URL", "USER", "HASHTAG", "rt")
                and any(unicodedata.category(c)[0] in "LN" for c in t)
            ]
            expected = " ".join(tokens).replace("\u06a9", "\u0643").replace("\u06cc", "\u064a")
            assert match_text(edited) == expected
    with pytest.raises(TypeError, match="expected a str"):
        match_text(None)


def test_fnv1a32_reference_values():
    # Published FNV-1a 32-bit test vectors.
    assert fnv1a32(b"") == 0x811C9DC5
    assert fnv1a32(b"a") == 0xE40C292C
    assert fnv1a32(b"foobar") == 0xBF9CF968


def test_shingle_hashes_are_fnv1a_of_the_distinct_shingles():
    texts = ["abcabc", "xy", "hello world"]
    hashes, counts = shingle_hashes(texts, 3)
    expected = [
        sorted({fnv1a32(t[i : i + 3].encode("utf-32-le")) for i in range(len(t) - 2)})
        for t in texts
    ]
    assert counts.tolist() == [len(e) for e in expected]
    assert hashes.tolist() == [h for e in expected for h in e]


@pytest.mark.parametrize("hash_bits", [16, 32])
def test_signatures_equal_datasketch_minhash(hash_bits):
    datasketch = pytest.importorskip("datasketch")
    params = MatchParams(hash_bits=hash_bits, num_perm=64, bands=16, rows=4, seed=7)
    sigs, signed = signatures(KNOWN, params)
    assert signed.all() and sigs.dtype == params.dtype
    for text, sig in zip(KNOWN, sigs):
        mt = match_text(text)
        k = params.shingle_size
        shingles = {mt[i : i + k] for i in range(len(mt) - k + 1)}
        m = datasketch.MinHash(num_perm=64, seed=7, hashfunc=fnv1a32, scheme="affine32")
        m.update_batch([s.encode("utf-32-le") for s in shingles])
        assert np.array_equal(m.hashvalues.astype(params.dtype), sig)


def test_signatures_do_not_depend_on_the_batch():
    alone = np.concatenate([signatures([t], MatchParams())[0] for t in KNOWN])
    together, _ = signatures(KNOWN, MatchParams())
    assert np.array_equal(alone, together)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_perm": 0}, "num_perm="),
        ({"hash_bits": 8}, "hash_bits="),
        ({"bands": 30, "rows": 5}, "bands= \\* rows="),
        ({"seed": -1}, "seed="),
    ],
)
def test_params_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MatchParams(**kwargs)


def test_too_short_posts_are_not_signed_nor_matched(index):
    sigs, signed = signatures(SHORT + KNOWN[:1], MatchParams())
    assert signed.tolist() == [False] * len(SHORT) + [True]
    assert len(sigs) == 1
    assert index.add_texts(SHORT, ids=list(range(len(SHORT)))).sum() == 0
    assert len(index) == len(KNOWN)
    assert index.match(SHORT) == [None] * len(SHORT)


# --- matching ------------------------------------------------------------------------


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("seed", range(3))
def test_every_edit_kind_is_matched(index, edit, seed):
    rng = random.Random(f"{edit}-{seed}")
    edited = [apply_edits(t, [edit], rng)[0] for t in KNOWN]
    assert edited != KNOWN or edit == "stretch"  # every edit changes something
    got = index.match(edited)
    assert [m and m["id"] for m in got] == list(range(1, len(KNOWN) + 1))
    assert all(m["similarity"] >= DEFAULT_THRESHOLD for m in got)


def test_normalizing_edits_leave_the_signature_unchanged(index):
    rng = random.Random(0)
    # Not "stretch": a stretched letter that the word doubles (the article before a lam)
    # collapses to one, so the signature can change (see README, Preprocessing).
    kinds = [
        "diacritics",
        "tatweel",
        "zero_width",
        "presentation_forms",
        "lookalikes",
        "emoji",
        "punctuation",
        "handles",
        "retweet",
        "urls",
    ]
    for text in KNOWN:
        edited, _ = apply_edits(text, kinds, rng)
        assert match_text(edited) == match_text(text)


@pytest.mark.parametrize("n", [2, 4])
def test_composed_edits_are_matched(index, n):
    rng = random.Random(n)
    pairs = [(i, apply_edits(t, n, rng)[0]) for _ in range(5) for i, t in enumerate(KNOWN, 1)]
    got = index.match([e for _, e in pairs])
    hits = sum(m is not None and m["id"] == i for (i, _), m in zip(pairs, got))
    # Every match is the right post; at least 80% of the copies are found.
    assert all(m is None or m["id"] == i for (i, _), m in zip(pairs, got))
    assert hits >= 0.8 * len(pairs)


def test_unrelated_posts_do_not_match_each_other():
    for i, text in enumerate(KNOWN):
        idx = SignatureIndex()
        idx.add_texts(KNOWN[:i] + KNOWN[i + 1 :], ids=list(range(len(KNOWN) - 1)))
        assert idx.match([text]) == [None]


def test_best_match_and_ties(index):
    index.add_texts([KNOWN[1]], ids=["copy"])  # the same post again, indexed later
    got = index.match([KNOWN[1]])[0]
    # A tie: the first indexed wins. Ints and a str: all ids became strings.
    assert got == {"id": "2", "similarity": 1.0}
    assert index.ids.dtype == object


def test_threshold_is_validated(index):
    with pytest.raises(ValueError, match="threshold="):
        index.match(KNOWN, threshold=0)
    with pytest.raises(TypeError, match="threshold="):
        index.match(KNOWN, threshold="high")


def test_match_rows_keeps_one_result_per_row(index):
    rows = [KNOWN[2], None, "صباح الخير", apply_edits(KNOWN[3], ["emoji"], 1)[0]]
    got = match_rows(index, rows)
    assert len(got) == 4
    assert got[0]["id"] == 3 and got[1] is None and got[2] is None and got[3]["id"] == 4


def test_empty_index_matches_nothing():
    assert SignatureIndex().match(KNOWN[:2]) == [None, None]


def test_merge_and_params_mismatch(index):
    other = SignatureIndex()
    other.add_texts(["كيف حالكم جميعا اليوم؟ أتمنى أن تكونوا بخير وصحة وعافية"], ids=["x"])
    index.merge(other)
    assert len(index) == len(KNOWN) + 1
    assert (
        index.match(["كيف حالكم جميعا اليوم أتمنى أن تكونوا بخير وصحة وعافية 🌹"])[0]["id"] == "x"
    )
    with pytest.raises(ValueError, match="different parameters"):
        index.merge(SignatureIndex(MatchParams(seed=2)))


# --- the signatures file -------------------------------------------------------------


@pytest.mark.parametrize("ids", [list(range(10, 18)), [f"post-{i}" for i in range(8)]])
def test_save_load_round_trip(tmp_path, ids):
    idx = SignatureIndex(MatchParams(hash_bits=32, num_perm=64, bands=16, rows=4))
    idx.add_texts(KNOWN, ids=ids)
    manifest = save_index(idx, tmp_path / "sigs", not_indexed={"too_short": 2})
    loaded, read = load_index(tmp_path / "sigs")
    assert read == manifest == read_manifest(tmp_path / "sigs")
    assert loaded.params == idx.params
    assert np.array_equal(loaded.signatures, idx.signatures)
    assert loaded.ids.tolist() == ids
    assert read["count"] == len(KNOWN) and read["not_indexed"] == {"too_short": 2}
    assert read["id_type"] == ("int" if isinstance(ids[0], int) else "str")
    # Arrays only: the npz holds no pickled object and no text of the posts.
    with zipfile.ZipFile(tmp_path / "sigs" / "signatures.npz") as z:
        assert all(name.endswith(".npy") for name in z.namelist())
    for file in (tmp_path / "sigs").iterdir():
        data = file.read_bytes()
        for text in KNOWN:
            for word in match_text(text).split():
                if len(word) > 3:
                    assert word.encode("utf-8") not in data


def test_checksum_mismatch_is_refused(tmp_path, index):
    save_index(index, tmp_path)
    arrays = tmp_path / "signatures.npz"
    data = bytearray(arrays.read_bytes())
    data[-100] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(SignatureFileError, match="checksum mismatch"):
        load_index(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format_version": 99}, "format version 99"),
        ({"format": "something-else"}, "not an aeclf-match-signatures manifest"),
        ({"normalization_version": 0}, "normalization version 0"),
        ({"count": 3}, "shape"),
        (
            {
                "params": {
                    "shingle_size": 5,
                    "num_perm": 128,
                    "hash_bits": 16,
                    "bands": 25,
                    "rows": 5,
                    "seed": 1,
                    "min_shingles": 25,
                    "colour": 1,
                }
            },
            "unknown signature parameters",
        ),
    ],
)
def test_bad_manifests_are_refused(tmp_path, index, change, message):
    manifest = save_index(index, tmp_path)
    manifest.update(change)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SignatureFileError, match=message):
        load_index(tmp_path)


def test_not_a_signatures_directory(tmp_path):
    with pytest.raises(SignatureFileError, match="not a signatures directory"):
        load_index(tmp_path)


# --- aeclf match ---------------------------------------------------------------------


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_index_query_info(tmp_path, capsys):
    known = _write_lines(tmp_path / "known.txt", KNOWN + SHORT[:2])
    sigs = tmp_path / "sigs"
    assert main(["match", "index", str(known), "-o", str(sigs)]) == 0
    err = capsys.readouterr().err
    assert f"{len(KNOWN):,} indexed, 2 with too little content" in err
    edited = [apply_edits(t, 2, random.Random(i))[0] for i, t in enumerate(KNOWN)]
    queries = _write_lines(
        tmp_path / "q.txt", edited + ["كلام آخر لا علاقة له بأي شيء مما سبق ذكره هنا"]
    )
    assert main(["match", "query", str(sigs), str(queries)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in rows] == list(range(1, len(KNOWN) + 2))
    assert rows[-1]["match"] is None
    assert (
        sum(r["match"] is not None and r["match"]["id"] == r["line"] for r in rows)
        >= len(KNOWN) - 1
    )
    assert main(["match", "info", str(sigs)]) == 0
    out = capsys.readouterr().out
    assert f"signatures: {len(KNOWN):,} (int ids)" in out and "too_short 2" in out
    assert main(["match", "info", str(sigs), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == len(KNOWN)


def test_cli_query_one_row_per_input_row_with_malformed_rows(tmp_path, capsys):
    sigs = tmp_path / "sigs"
    lines = [
        json.dumps({"id": f"k{i}", "body": t}, ensure_ascii=False) for i, t in enumerate(KNOWN)
    ]
    known = _write_lines(tmp_path / "known.jsonl", lines)
    assert (
        main(
            ["match", "index", str(known), "-o", str(sigs), "--text-col", "body", "--id-col", "id"]
        )
        == 0
    )
    capsys.readouterr()
    queries = _write_lines(
        tmp_path / "q.jsonl",
        [
            json.dumps({"id": 1, "body": KNOWN[4] + " 🌧️"}, ensure_ascii=False),
            "{not json",
            json.dumps({"id": 3}),
            json.dumps({"id": 4, "body": 5}),
            json.dumps({"id": 5, "body": "صباح الخير"}, ensure_ascii=False),
        ],
    )
    code = main(["match", "query", str(sigs), str(queries), "--text-col", "body", "--id-col", "id"])
    assert code == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["match"]["id"] == "k4" and rows[0]["id"] == 1
    assert all("error" in r and r["match"] is None for r in rows[1:4])
    assert rows[4]["match"] is None and "error" not in rows[4]


def test_cli_append_and_merge(tmp_path, capsys):
    a = _write_lines(
        tmp_path / "a.csv", ["id,text", *[f"a{i},{t}" for i, t in enumerate(KNOWN[:4])]]
    )
    b = _write_lines(
        tmp_path / "b.csv", ["id,text", *[f"b{i},{t}" for i, t in enumerate(KNOWN[4:])]]
    )
    opts = ["--id-col", "id"]
    assert main(["match", "index", str(a), "-o", str(tmp_path / "A"), *opts]) == 0
    assert main(["match", "index", str(b), "-o", str(tmp_path / "B"), *opts]) == 0
    assert main(["match", "index", str(b), "-o", str(tmp_path / "A"), *opts]) == 1  # exists
    assert "--append" in capsys.readouterr().err
    assert main(["match", "index", str(b), "-o", str(tmp_path / "A"), "--append", *opts]) == 0
    appended, _ = load_index(tmp_path / "A")
    assert appended.ids.tolist() == [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)]
    assert (
        main(
            ["match", "merge", str(tmp_path / "A"), str(tmp_path / "B"), "-o", str(tmp_path / "M")]
        )
        == 0
    )
    merged, manifest = load_index(tmp_path / "M")
    assert len(merged) == 12 and manifest["count"] == 12
    assert main(["match", "index", str(a), "-o", str(tmp_path / "A"), "--append", *opts]) == 0
    assert "already in" in capsys.readouterr().err  # duplicate ids are reported


def test_cli_exit_codes(tmp_path, capsys, index):
    save_index(index, tmp_path / "sigs")
    q = _write_lines(tmp_path / "q.txt", KNOWN[:1])
    assert main(["match", "query", str(tmp_path / "sigs"), str(q), "--match-threshold", "1.5"]) == 2
    assert main(["match", "query", str(tmp_path / "sigs"), str(q), "--match-threshold", "x"]) == 2
    assert main(["match"]) == 2
    assert main(["match", "query", str(tmp_path / "nowhere"), str(q)]) == 1
    assert "not a signatures directory" in capsys.readouterr().err
    assert main(["match", "query", str(tmp_path / "sigs"), str(q), "--id-col", "id"]) == 2
    arrays = tmp_path / "sigs" / "signatures.npz"
    arrays.write_bytes(arrays.read_bytes()[:-10])
    assert main(["match", "query", str(tmp_path / "sigs"), str(q)]) == 1
    assert "checksum mismatch" in capsys.readouterr().err
    assert main(["match", "info", str(tmp_path / "sigs")]) == 0  # the manifest alone is readable


def test_cli_query_threshold_flag(tmp_path, capsys, index):
    save_index(index, tmp_path / "sigs")
    q = _write_lines(tmp_path / "q.txt", [apply_edits(KNOWN[0], ["truncate"], 3)[0]])
    assert main(["match", "query", str(tmp_path / "sigs"), str(q), "--match-threshold", "1.0"]) == 0
    assert json.loads(capsys.readouterr().out)["match"] is None
    assert main(["match", "query", str(tmp_path / "sigs"), str(q), "--match-threshold", "0.3"]) == 0
    assert json.loads(capsys.readouterr().out)["match"]["id"] == 1


# --- real neutral data ---------------------------------------------------------------


@pytest.mark.shared_data
def test_no_false_matches_among_real_unrelated_posts(shared_data_dir):
    """Known: news sentences of the first days; unrelated: news of the days after a gap
    of two (papers reprint a press release on the next day) and ASND news posts;
    near-duplicates (word Jaccard >= 0.5) removed first."""
    from arabic_extremism_clf import corpus

    news = corpus.load_saudinewsnet(shared_data_dir, kind="sentences", isis_only=True)
    days = sorted({m["date"] for m in news.meta})
    known_days, later_days = set(days[:4]), set(days[6:])
    sample = sorted(random.Random(0).sample(range(len(news.texts)), 8000))
    posts = [news.texts[i] for i in sample]
    dates = [news.meta[i]["date"] for i in sample]
    sides = [True if d in known_days else False if d in later_days else None for d in dates]
    posts += corpus.load_asnd(shared_data_dir, split="dev").texts
    sides += [False] * (len(posts) - len(sides))
    clusters = corpus.near_duplicate_clusters(posts, threshold=0.5)
    unique = [i for i, c in enumerate(clusters) if c == i]
    known = [posts[i] for i in unique if sides[i]][:1000]
    unrelated = [posts[i] for i in unique if sides[i] is False]
    assert len(known) == 1000 and len(unrelated) > 2000
    idx = SignatureIndex()
    signed = idx.add_texts(known, ids=list(range(len(known))))
    assert signed.mean() > 0.9
    got = idx.match(unrelated)
    assert sum(m is not None for m in got) == 0
    kept = [t for t, s in zip(known, signed) if s]
    edited = [apply_edits(t, 2, random.Random(i))[0] for i, t in enumerate(kept)]
    found = idx.match(edited)
    positions = np.flatnonzero(signed)
    recall = np.mean([m is not None and m["id"] == i for i, m in zip(positions, found)])
    assert recall >= 0.9


# --- aeclf score --known, the HTTP service ---------------------------------------------


@pytest.fixture(scope="module")
def toy_model_dir(tmp_path_factory):
    from toy_corpus import SPORT, WEATHER

    from arabic_extremism_clf.model import ExtremismClassifier
    from arabic_extremism_clf.persistence import save_model

    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    clf.fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6)
    return str(save_model(clf, tmp_path_factory.mktemp("m") / "model"))


@pytest.mark.parametrize("output", ["out.jsonl", "out.csv"])
def test_cli_score_known(tmp_path, capsys, index, toy_model_dir, output):
    import csv

    save_index(index, tmp_path / "sigs")
    posts = _write_lines(
        tmp_path / "posts.jsonl",
        [
            json.dumps(
                {"text": apply_edits(KNOWN[5], ["tatweel", "emoji"], 2)[0]}, ensure_ascii=False
            ),
            "{broken",
            json.dumps(
                {"text": "طقس ممطر اليوم في المدينة والجو بارد جدا مساء"}, ensure_ascii=False
            ),
        ],
    )
    out = tmp_path / output
    argv = [
        "score",
        str(posts),
        "--model",
        toy_model_dir,
        "--known",
        str(tmp_path / "sigs"),
        "-o",
        str(out),
        "--no-progress",
    ]
    assert main(argv) == 0
    if output.endswith(".jsonl"):
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        matches = [r["match"] for r in rows]
        assert "label" in rows[0] and "error" in rows[1]
    else:
        with out.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert "match" in rows[0]
        matches = [json.loads(r["match"]) if r["match"] else None for r in rows]
    assert len(rows) == 3
    assert matches[0]["id"] == 6 and matches[1] is None and matches[2] is None
    capsys.readouterr()
    assert main(["score", str(posts), "--model", toy_model_dir, "--match-threshold", "0.5"]) == 2
    assert "needs --known" in capsys.readouterr().err


def test_service_known(tmp_path, index, toy_model_dir):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from arabic_extremism_clf.scoring.http import create_app

    save_index(index, tmp_path / "sigs")
    texts = [apply_edits(KNOWN[0], ["diacritics", "urls"], 4)[0], "مباراة اليوم"]
    with TestClient(create_app(toy_model_dir, known=tmp_path / "sigs")) as http:
        results = http.post("/classify", json={"texts": texts}).json()["results"]
    assert [r["match"] and r["match"]["id"] for r in results] == [1, None]
    assert "label" in results[0]
    with TestClient(create_app(toy_model_dir)) as http:  # no --known: no match field
        results = http.post("/classify", json={"texts": texts}).json()["results"]
    assert all("match" not in r for r in results)
    with pytest.raises(ValueError, match="match_threshold= needs known="):
        create_app(toy_model_dir, match_threshold=0.5)
