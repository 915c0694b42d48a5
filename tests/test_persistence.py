"""Saving and loading models: exact round trips, the on-disk format, and every refusal."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import arabic_extremism_clf
import arabic_extremism_clf.persistence.format as model_format
import arabic_extremism_clf.persistence.paths as model_paths
from arabic_extremism_clf import ModelFileError, __version__
from arabic_extremism_clf._vocabulary import SplitVocabulary
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import (
    FORMAT,
    FORMAT_VERSION,
    default_model_path,
    file_fingerprint,
    load_model,
    load_scoring_model,
    read_manifest,
    save_model,
)
from arabic_extremism_clf.scoring_model import ScoringModel

SPORT = [
    "فاز الفريق بالمباراة أمس",
    "هدف رائع في الدقيقة الأخيرة",
    "الفريق بطل الدوري هذا الموسم",
    "المدرب يختار اللاعبين للمباراة",
]
WEATHER = [
    "طقس ممطر اليوم في المدينة",
    "درجات الحرارة مرتفعة هذا الأسبوع",
    "رياح قوية وغيوم كثيفة اليوم",
    "توقعات بهطول الثلج في الجبال",
]
COOKING = [
    "طبخت الأرز مع الدجاج والبهارات",
    "وصفة سهلة لكعكة الشوكولاتة",
    "أضف الملح والليمون إلى السلطة",
    "الخبز الطازج من الفرن لذيذ",
]
PROBES = [
    "مباراة الفريق اليوم",
    "الطقس حار والرياح قوية",
    "وصفة الدجاج بالأرز",
    "كلام جديد تماما لم يظهر",
    "",
]


def _fit(classes: int = 2, **params) -> ExtremismClassifier:
    groups = [("sport", SPORT), ("weather", WEATHER), ("cooking", COOKING)][:classes]
    texts = [t for _, posts in groups for t in posts]
    labels = [label for label, posts in groups for _ in posts]
    settings = {"min_df": 1, "calibration_cv": 2, "flagged_label": None, **params}
    return ExtremismClassifier(**settings).fit(texts, labels)


@pytest.fixture(scope="module")
def binary_model() -> ExtremismClassifier:
    return _fit(2, flagged_label="sport", threshold=0.4)


@pytest.fixture(params=[load_model, load_scoring_model], ids=["load_model", "load_scoring_model"])
def load(request):
    """Both loaders read and check the files in the same way, so both refuse the same."""
    return request.param


@pytest.fixture(params=[2, 1], ids=["format-2", "format-1"])
def saved(request, tmp_path, binary_model) -> Path:
    """A saved model in the current format and in format 1: every check applies to both."""
    path = save_model(binary_model, tmp_path / "model", training={"recipe": "toy"})
    return _as_format_1(path) if request.param == 1 else path


@pytest.fixture
def saved_v2(tmp_path, binary_model) -> Path:
    return save_model(binary_model, tmp_path / "model", training={"recipe": "toy"})


@pytest.fixture
def saved_v1(saved_v2) -> Path:
    return _as_format_1(saved_v2)


def _manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))


def _vocab(model_dir: Path) -> dict:
    return json.loads(gzip.decompress((model_dir / "vocab.json.gz").read_bytes()))


def _write_vocab(model_dir: Path, vocab: dict) -> None:
    data = json.dumps(vocab, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (model_dir / "vocab.json.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    _rehash(model_dir, "vocab.json.gz")


def _word_terms_v2(model_dir: Path) -> list[str]:
    """The word terms of a format-2 model in column order, rebuilt from the files alone."""
    vocab, arrays = _vocab(model_dir), _arrays(model_dir)
    terms = [None] * (len(vocab["word_unigrams"]) + len(arrays["word_ngrams"]))
    for term, column in zip(vocab["word_unigrams"], arrays["word_unigram_columns"].tolist()):
        terms[column] = term
    for row, column in zip(arrays["word_ngrams"].tolist(), arrays["word_ngram_columns"].tolist()):
        terms[column] = " ".join(vocab["word_tokens"][i] for i in row if i != -1)
    assert None not in terms
    return terms


def _as_format_1(model_dir: Path) -> Path:
    """Rewrite a format-2 model directory as format 1 wrote it, in place.

    Format 1 (up to arabic_extremism_clf 0.1.0): ``vocab.json.gz`` holds ``{"word":
    [...], "char": [...]}``, every term in column order, and ``arrays.npz`` only the
    float64 arrays. Made here from a fresh save, not kept as a binary fixture.
    """
    manifest, vocab, arrays = _manifest(model_dir), _vocab(model_dir), _arrays(model_dir)
    assert manifest["format_version"] == 2
    _write_vocab(model_dir, {"word": _word_terms_v2(model_dir), "char": vocab["char"]})
    words = ("word_unigram_columns", "word_ngrams", "word_ngram_columns")
    np.savez_compressed(
        model_dir / "arrays.npz", **{k: v for k, v in arrays.items() if k not in words}
    )
    _rehash(model_dir, "arrays.npz")
    manifest = _manifest(model_dir)
    manifest["format_version"] = 1
    manifest["arrays"] = {k: v for k, v in manifest["arrays"].items() if k not in words}
    _write_manifest(model_dir, manifest)
    return model_dir


def _write_manifest(model_dir: Path, manifest: dict) -> None:
    (model_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _rehash(model_dir: Path, name: str) -> None:
    """Record the current hash and size of a file, so only deeper checks can catch it."""
    manifest = _manifest(model_dir)
    data = (model_dir / name).read_bytes()
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    _write_manifest(model_dir, manifest)


def _arrays(model_dir: Path) -> dict[str, np.ndarray]:
    with np.load(model_dir / "arrays.npz", allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


def _replace_arrays(model_dir: Path, **arrays) -> None:
    np.savez_compressed(model_dir / "arrays.npz", **arrays)
    _rehash(model_dir, "arrays.npz")


# --- round trips ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "params"),
    [
        (2, {"flagged_label": "sport", "threshold": 0.4}),
        (3, {}),
        (3, {"flagged_label": "weather", "threshold": 0.7}),
        (2, {"calibration": None}),
        (3, {"calibration": None}),
        (2, {"char_ngram_range": None}),
        (3, {"char_ngram_range": None, "calibration": None, "word_ngram_range": (1, 1)}),
        (2, {"class_weight": None, "normalize_options": {"dediac": False}, "C": 0.5}),
        (3, {"class_weight": {"sport": 2.0, "weather": 1.0, "cooking": 0.5}}),
        (2, {"loss": "squared_hinge"}),
        (3, {"loss": "squared_hinge"}),
        (2, {"loss": "squared_hinge", "norm_floor": (2, 20)}),
    ],
    ids=[
        "binary",
        "3-class",
        "3-class-flagged",
        "binary-uncal",
        "3-class-uncal",
        "binary-no-char",
        "3-class-no-char-uncal",
        "other-params",
        "class-weight-dict",
        "binary-svm",
        "3-class-svm",
        "binary-svm-norm-floor",
    ],
)
@pytest.mark.parametrize("fmt", [2, 1], ids=["format-2", "format-1"])
def test_round_trip_gives_identical_output(tmp_path, classes, params, fmt):
    model = _fit(classes, **params)
    path = save_model(model, tmp_path / "m")
    if fmt == 1:
        _as_format_1(path)
    assert _manifest(path)["format_version"] == fmt
    loaded = load_model(path)

    assert type(loaded) is ExtremismClassifier
    assert loaded.get_params() == model.get_params()
    assert isinstance(loaded.word_ngram_range, tuple)
    np.testing.assert_array_equal(loaded.classes_, model.classes_)
    assert loaded.classes_.dtype == model.classes_.dtype
    np.testing.assert_array_equal(loaded.predict_proba(PROBES), model.predict_proba(PROBES))
    np.testing.assert_array_equal(loaded.decision_function(PROBES), model.decision_function(PROBES))
    np.testing.assert_array_equal(loaded.predict(PROBES), model.predict(PROBES))
    assert [p.to_dict() for p in loaded.classify(PROBES)] == [
        p.to_dict() for p in model.classify(PROBES)
    ]
    assert loaded.explain(PROBES[0]) == model.explain(PROBES[0])
    fitted = {k for k in vars(model) if k.endswith("_")}
    assert {k for k in vars(loaded) if k.endswith("_")} == fitted
    vec, loaded_vec = model.vectorizer_, loaded.vectorizer_
    assert loaded_vec.get_params() == vec.get_params()
    assert loaded_vec.word_vocabulary_ == vec.word_vocabulary_
    assert loaded_vec.char_vocabulary_ == vec.char_vocabulary_
    assert loaded_vec.n_features_out_ == vec.n_features_out_
    np.testing.assert_array_equal(loaded.n_iter_, model.n_iter_)
    assert type(loaded_vec.word_vocabulary_) is dict
    assert list(loaded_vec.word_vocabulary_.items()) == sorted(
        vec.word_vocabulary_.items(), key=lambda item: item[1]
    )  # in column order, as format 1 has always given it
    if params.get("calibration", "sigmoid") is None:
        assert loaded.calibration_coef_ is None and loaded.calibration_intercept_ is None
        assert "calibration_coef" not in _arrays(tmp_path / "m")

    scoring = load_scoring_model(path)  # the same files, scored without scikit-learn
    assert type(scoring) is ScoringModel
    np.testing.assert_array_equal(scoring.predict_proba(PROBES), model.predict_proba(PROBES))
    np.testing.assert_array_equal(
        scoring.decision_function(PROBES), model.decision_function(PROBES)
    )
    assert [p.to_dict() for p in scoring.classify(PROBES)] == [
        p.to_dict() for p in model.classify(PROBES)
    ]
    assert scoring.explain(PROBES[0]) == model.explain(PROBES[0])
    assert scoring.vectorizer_.word_vocabulary_ == vec.word_vocabulary_
    assert scoring.vectorizer_.char_vocabulary_ == vec.char_vocabulary_
    np.testing.assert_array_equal(
        scoring.vectorizer_.get_feature_names_out(), vec.get_feature_names_out()
    )


def test_loaded_model_clones_and_refits(saved):
    loaded = load_model(saved)
    refit = clone(loaded).fit(SPORT + WEATHER, ["sport"] * 4 + ["weather"] * 4)
    np.testing.assert_allclose(
        refit.predict_proba(PROBES), loaded.predict_proba(PROBES), rtol=0, atol=1e-12
    )


def test_classify_threshold_round_trips(tmp_path, binary_model):
    loaded = load_model(save_model(binary_model, tmp_path / "m"))
    assert loaded.threshold == 0.4 and loaded.flagged_label == "sport"
    for threshold in (0.0, 0.5, 1.0):
        assert [p.label for p in loaded.classify(PROBES, threshold=threshold)] == [
            p.label for p in binary_model.classify(PROBES, threshold=threshold)
        ]


# --- layout and manifest -------------------------------------------------------------


def test_layout_and_no_leftovers(tmp_path, binary_model):
    out = save_model(binary_model, tmp_path / "model")
    assert out == tmp_path / "model"
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md",
        "arrays.npz",
        "manifest.json",
        "vocab.json.gz",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_save_creates_missing_parents(tmp_path, binary_model):
    out = save_model(binary_model, tmp_path / "a" / "b" / "model")
    load_model(out)


def test_manifest_contents(tmp_path, binary_model):
    training = {
        "files": [{"path": "sport.tsv", "sha256": "0" * 64, "bytes": 10, "licence": "CC BY 4.0"}],
        "recipe": "aeclf train --min-df 1",
        "sizes": {"sport": 4, "weather": 4},
    }
    metrics = {"macro_f1": np.float64(0.75), "n_test": np.int64(8), "per_label": {"sport": 0.5}}
    out = save_model(binary_model, tmp_path / "m", training=training, metrics=metrics)
    manifest = read_manifest(out)
    assert manifest == _manifest(out)
    assert manifest["format"] == FORMAT
    assert manifest["format_version"] == FORMAT_VERSION == 2
    assert manifest["library"] == {"name": "arabic_extremism_clf", "version": __version__}
    assert set(manifest["dependencies"]) == {
        "python",
        "numpy",
        "scipy",
        "scikit-learn",
        "camel-tools",
    }
    assert manifest["dependencies"]["numpy"] == np.__version__
    assert manifest["estimator"]["class"] == "ExtremismClassifier"
    assert manifest["estimator"]["params"]["word_ngram_range"] == [1, 2]
    assert manifest["classes"] == ["sport", "weather"]
    assert manifest["flagged_label"] == "sport" and manifest["threshold"] == 0.4
    assert manifest["training"] == training
    assert manifest["metrics"] == {"macro_f1": 0.75, "n_test": 8, "per_label": {"sport": 0.5}}
    assert manifest["created"].endswith("+00:00")
    for name in ("arrays.npz", "vocab.json.gz"):
        fingerprint = file_fingerprint(out / name)
        assert manifest["files"][name] == {k: fingerprint[k] for k in ("sha256", "bytes")}
    n_features = binary_model.vectorizer_.n_features_out_
    assert manifest["arrays"]["coef"] == {"shape": [1, n_features], "dtype": "float64"}
    n_ngrams = sum(" " in t for t in binary_model.vectorizer_.word_vocabulary_)
    assert manifest["arrays"]["word_ngrams"] == {"shape": [n_ngrams, 2], "dtype": "int32"}
    assert manifest["arrays"]["word_ngram_columns"] == {"shape": [n_ngrams], "dtype": "int32"}


def test_arrays_and_vocab_are_plain_data(saved_v2, binary_model):
    arrays = _arrays(saved_v2)
    floats = {"word_idf", "char_idf", "coef", "intercept"}
    floats |= {"calibration_coef", "calibration_intercept"}
    words = {"word_unigram_columns", "word_ngrams", "word_ngram_columns"}
    assert set(arrays) == floats | words
    assert all(arrays[name].dtype == np.float64 for name in floats)
    assert all(arrays[name].dtype == np.int32 for name in words)
    np.testing.assert_array_equal(arrays["coef"], binary_model.coef_)
    vocab = _vocab(saved_v2)
    assert set(vocab) == {"word_unigrams", "word_tokens", "char"}
    vocabulary = binary_model.vectorizer_.word_vocabulary_
    assert vocab["word_unigrams"] == sorted(
        (t for t in vocabulary if " " not in t), key=vocabulary.__getitem__
    )
    assert vocab["word_tokens"] == sorted({w for t in vocabulary if " " in t for w in t.split()})
    ngrams = arrays["word_ngrams"].tolist()
    assert ngrams == sorted(ngrams)  # a canonical order: the files are reproducible
    assert _word_terms_v2(saved_v2) == sorted(vocabulary, key=vocabulary.__getitem__)
    for term, idx in binary_model.vectorizer_.char_vocabulary_.items():
        assert vocab["char"][idx] == term


def test_format_1_files_are_format_1(saved_v1, binary_model):
    """The format-1 fixture is what arabic_extremism_clf 0.1.0 wrote (see _as_format_1)."""
    assert set(_arrays(saved_v1)) == {
        "word_idf",
        "char_idf",
        "coef",
        "intercept",
        "calibration_coef",
        "calibration_intercept",
    }
    vocab = _vocab(saved_v1)
    assert set(vocab) == {"word", "char"}
    for term, idx in binary_model.vectorizer_.word_vocabulary_.items():
        assert vocab["word"][idx] == term
    assert read_manifest(saved_v1)["format_version"] == 1


def test_file_fingerprint(tmp_path):
    path = tmp_path / "sub" / "posts.tsv"
    path.parent.mkdir()
    path.write_bytes(b"abc")
    assert file_fingerprint(path) == {
        "path": "posts.tsv",
        "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "bytes": 3,
    }
    assert file_fingerprint(str(path))["path"] == "posts.tsv"


def test_other_dependency_versions_still_load(saved, binary_model):
    manifest = _manifest(saved)
    manifest["dependencies"].update({"scikit-learn": "0.1", "numpy": "1.0", "python": "3.0"})
    _write_manifest(saved, manifest)
    np.testing.assert_array_equal(
        load_model(saved).predict_proba(PROBES), binary_model.predict_proba(PROBES)
    )


# --- model card ----------------------------------------------------------------------


def test_generated_model_card(tmp_path, binary_model):
    training = {
        "files": [{**file_fingerprint(__file__), "licence": "MIT", "source": "toy"}],
        "recipe": "aeclf train toy.tsv",
    }
    out = save_model(binary_model, tmp_path / "m", training=training, metrics={"macro_f1": 0.75})
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Intended use" in card
    assert "never an automatic verdict" in card
    assert "human review" in card
    assert "## Known failure modes" in card
    assert "## How to reproduce" in card and "aeclf train toy.tsv" in card
    assert "test_persistence.py" in card and "MIT" in card
    assert "| macro_f1 | 0.75 |" in card
    assert "`sport`" in card and "0.4" in card


def test_card_without_training_says_so(saved):
    card = (saved / "README.md").read_text(encoding="utf-8")
    assert "## Intended use" in card
    assert "Not recorded: `metrics`" in card


def test_custom_card_is_written_verbatim(tmp_path, binary_model):
    out = save_model(binary_model, tmp_path / "m", card="# My card\n\nIntended use: review.\n")
    assert (out / "README.md").read_text(encoding="utf-8") == "# My card\n\nIntended use: review.\n"


# --- saving: refusals and atomicity ---------------------------------------------------


def test_refuses_to_overwrite_without_flag(saved, binary_model):
    before = (saved / "manifest.json").read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_model(binary_model, saved)
    assert (saved / "manifest.json").read_bytes() == before


def test_overwrite_replaces_a_saved_model(saved):
    other = _fit(3)
    save_model(other, saved, overwrite=True)
    assert list(load_model(saved).classes_) == ["cooking", "sport", "weather"]
    assert sorted(p.name for p in saved.parent.iterdir()) == ["model"]


def test_overwrite_never_replaces_a_foreign_directory(tmp_path, binary_model):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="refusing to replace"):
        save_model(binary_model, precious, overwrite=True)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_saves_into_an_existing_empty_directory(tmp_path, binary_model):
    (tmp_path / "m").mkdir()
    load_model(save_model(binary_model, tmp_path / "m"))


def test_refuses_a_file_as_target(tmp_path, binary_model):
    (tmp_path / "m").write_text("x")
    with pytest.raises(FileExistsError, match="not a directory"):
        save_model(binary_model, tmp_path / "m", overwrite=True)


def test_failed_save_leaves_nothing(tmp_path, binary_model, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", fail)
    with pytest.raises(OSError, match="disk full"):
        save_model(binary_model, tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


def test_failed_overwrite_keeps_the_old_model(saved, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", fail)
    with pytest.raises(OSError, match="disk full"):
        save_model(_fit(3), saved, overwrite=True)
    monkeypatch.undo()
    assert list(load_model(saved).classes_) == ["sport", "weather"]
    assert sorted(p.name for p in saved.parent.iterdir()) == ["model"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"metrics": {"f1": float("nan")}}, r"metrics\['f1'\] is nan"),
        ({"training": {"when": object()}}, r"training\['when'\] has the type object"),
        ({"training": {1: "x"}}, "only str keys"),
    ],
)
def test_refuses_what_json_cannot_hold(tmp_path, binary_model, kwargs, match):
    with pytest.raises(ValueError, match=match):
        save_model(binary_model, tmp_path / "m", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_refuses_unfitted_and_foreign_estimators(tmp_path, binary_model):
    with pytest.raises(NotFittedError):
        save_model(ExtremismClassifier(), tmp_path / "m")

    class Sub(ExtremismClassifier):
        pass

    with pytest.raises(TypeError, match="ExtremismClassifier"):
        save_model(Sub(), tmp_path / "m")
    with pytest.raises(TypeError, match="ExtremismClassifier"):
        save_model(binary_model.vectorizer_, tmp_path / "m")


# --- loading: refusals ---------------------------------------------------------------


def test_missing_directory(tmp_path, load):
    with pytest.raises(ModelFileError, match="no such model directory"):
        load(tmp_path / "nope")


def test_directory_without_manifest(tmp_path, load):
    (tmp_path / "m").mkdir()
    with pytest.raises(ModelFileError, match="manifest.json: missing"):
        load(tmp_path / "m")


def test_file_instead_of_directory(saved, load):
    with pytest.raises(ModelFileError, match="expected a model directory"):
        load(saved / "arrays.npz")


@pytest.mark.parametrize("garbage", [b"{not json", b"", b"\xff\xfe\x00", b'{"format": '])
def test_corrupt_manifest(saved, garbage, load):
    (saved / "manifest.json").write_bytes(garbage)
    with pytest.raises(ModelFileError, match="manifest.json: corrupt"):
        load(saved)


@pytest.mark.parametrize(
    "foreign",
    [{}, {"format": "skops"}, {"schema": 1, "format_version": 1}, [1, 2], "model"],
)
def test_foreign_manifest(saved, foreign, load):
    (saved / "manifest.json").write_text(json.dumps(foreign))
    with pytest.raises(ModelFileError, match="not an arabic_extremism_clf model"):
        load(saved)
    with pytest.raises(ModelFileError, match="not an arabic_extremism_clf model"):
        read_manifest(saved)


def test_newer_format_asks_to_upgrade(saved, load):
    manifest = _manifest(saved)
    manifest["format_version"] = 999
    _write_manifest(saved, manifest)
    with pytest.raises(ModelFileError, match=r"format 999 is newer.*upgrade the library"):
        load(saved)


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_bad_format_version(saved, version, load):
    manifest = _manifest(saved)
    manifest["format_version"] = version
    _write_manifest(saved, manifest)
    with pytest.raises(ModelFileError, match="format_version must be a positive integer"):
        load(saved)


def test_truncated_arrays(saved, load):
    data = (saved / "arrays.npz").read_bytes()
    (saved / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match=r"arrays\.npz: \d+ bytes but .* truncated"):
        load(saved)


def test_tampered_arrays(saved, load):
    data = bytearray((saved / "arrays.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (saved / "arrays.npz").write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"arrays\.npz: sha256 .* tampered"):
        load(saved)


def test_truncated_arrays_with_matching_hash(saved, load):
    data = (saved / "arrays.npz").read_bytes()
    (saved / "arrays.npz").write_bytes(data[: len(data) // 2])
    _rehash(saved, "arrays.npz")
    with pytest.raises(ModelFileError, match=r"arrays\.npz: corrupt or truncated npz"):
        load(saved)


def test_flipped_bytes_with_matching_hash(saved, load):
    path = saved / "arrays.npz"
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("coef.npy")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    _rehash(saved, "arrays.npz")
    with pytest.raises(ModelFileError, match=r"arrays\.npz: corrupt or truncated npz"):
        load(saved)


def test_not_an_npz_with_matching_hash(saved, load):
    (saved / "arrays.npz").write_bytes(pickle.dumps({"coef": 1}))
    _rehash(saved, "arrays.npz")
    with pytest.raises(ModelFileError, match=r"arrays\.npz: corrupt, not an npz"):
        load(saved)


def test_object_array_is_refused(saved, load):
    arrays = _arrays(saved)
    arrays["coef"] = np.array([{"not": "numbers"}], dtype=object)
    _replace_arrays(saved, **arrays)
    with pytest.raises(ModelFileError, match=r"arrays\.npz: the array 'coef' is an object array"):
        load(saved)


@pytest.mark.parametrize("name", ["coef", "word_idf", "calibration_intercept"])
def test_missing_array(saved, name, load):
    arrays = _arrays(saved)
    del arrays[name]
    _replace_arrays(saved, **arrays)
    with pytest.raises(ModelFileError, match=rf"arrays\.npz: the array '{name}' is missing"):
        load(saved)


def test_unexpected_array(saved, load):
    arrays = _arrays(saved)
    _replace_arrays(saved, **arrays, extra=np.zeros(3))
    with pytest.raises(ModelFileError, match=r"unexpected arrays \['extra'\]"):
        load(saved)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("coef", lambda a: a[:, :-1]),
        ("coef", lambda a: np.vstack([a, a])),
        ("word_idf", lambda a: a[:-1]),
        ("char_idf", lambda a: np.append(a, 1.0)),
        ("intercept", lambda a: np.append(a, 0.0)),
        ("calibration_coef", lambda a: np.zeros((2, 2))),
    ],
)
def test_inconsistent_shapes(saved, name, change, load):
    arrays = _arrays(saved)
    arrays[name] = change(arrays[name])
    _replace_arrays(saved, **arrays)
    with pytest.raises(ModelFileError, match=rf"arrays\.npz: '{name}' has shape"):
        load(saved)


def test_wrong_dtype_and_non_finite(saved, load):
    arrays = _arrays(saved)
    _replace_arrays(saved, **{**arrays, "coef": arrays["coef"].astype(np.float32)})
    with pytest.raises(ModelFileError, match="'coef' has dtype float32"):
        load(saved)
    arrays["intercept"] = np.array([np.nan])
    _replace_arrays(saved, **arrays)
    with pytest.raises(ModelFileError, match="'intercept' contains NaN"):
        load(saved)


def test_classes_must_match_coef_rows(saved, load):
    manifest = _manifest(saved)
    manifest["classes"] = ["sport", "weather", "cooking"]
    _write_manifest(saved, manifest)
    with pytest.raises(ModelFileError, match="'coef' has shape"):
        load(saved)


def test_missing_vocab_file(saved, load):
    (saved / "vocab.json.gz").unlink()
    with pytest.raises(ModelFileError, match=r"vocab\.json\.gz: missing"):
        load(saved)


def test_tampered_vocab(saved, load):
    (saved / "vocab.json.gz").write_bytes(gzip.compress(b'{"word": [], "char": []}'))
    with pytest.raises(ModelFileError, match=r"vocab\.json\.gz: .*(truncated|tampered)"):
        load(saved)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"not gzip", "not gzip-compressed UTF-8 JSON"),
        (gzip.compress(b"[1, 2]"), "expected a JSON object"),
        (gzip.compress(b'{"word": [1], "char": []}'), "'word' must be a list of strings"),
        (gzip.compress('{"word": ["ا", "ا"], "char": []}'.encode()), "not a permutation"),
        (gzip.compress(b'{"word": ["a"], "char": []}'), "1 terms but the manifest records"),
    ],
)
def test_bad_vocab_with_matching_hash(saved_v1, content, match, load):
    (saved_v1 / "vocab.json.gz").write_bytes(content)
    _rehash(saved_v1, "vocab.json.gz")
    with pytest.raises(ModelFileError, match=rf"vocab\.json\.gz: .*{match}"):
        load(saved_v1)


# --- format 2: the word vocabulary split into unigrams and token-id rows ------------------


def _widen(arrays: dict, width: int) -> None:
    """Pad the rows of word_ngrams with -1 up to ``width`` columns (still valid)."""
    ngrams = arrays["word_ngrams"]
    padding = np.full((len(ngrams), width - ngrams.shape[1]), -1, dtype=np.int32)
    arrays["word_ngrams"] = np.hstack([ngrams, padding])


def _swap_rows(arrays: dict) -> None:
    for name in ("word_ngrams", "word_ngram_columns"):
        arrays[name][[0, 1]] = arrays[name][[1, 0]]


def _set(name: str, index: tuple | int, value: object):
    def edit(vocab: dict, arrays: dict) -> None:
        (vocab if name in vocab else arrays)[name][index] = value

    return edit


_V2_EDITS = {
    "no-tokens": (lambda v, a: v.pop("word_tokens"), "'word_tokens' must be a list of strings"),
    "int-unigram": (_set("word_unigrams", 0, 5), "'word_unigrams' must be a list of strings"),
    "space-unigram": (
        lambda v, a: v["word_unigrams"].__setitem__(0, v["word_unigrams"][0] + " x"),
        "'word_unigrams' holds a string with a space",
    ),
    "space-token": (_set("word_tokens", 0, "a b"), "'word_tokens' holds a string with a space"),
    "repeated-unigram": (
        lambda v, a: v["word_unigrams"].__setitem__(1, v["word_unigrams"][0]),
        "the word unigram list repeats '",
    ),
    "repeated-token": (
        lambda v, a: v["word_tokens"].__setitem__(1, v["word_tokens"][0]),
        "the word token list repeats '",
    ),
    "unused-token": (
        lambda v, a: v["word_tokens"].append("zzz"),
        "'word_tokens' lists a token that no row of 'word_ngrams' uses",
    ),
    "unigrams-and-columns": (
        lambda v, a: v["word_unigrams"].pop(),
        r"'word_unigram_columns' has shape \(\d+,\), expected \(\d+,\) from the word_unigrams",
    ),
    "int64": (
        lambda v, a: a.__setitem__("word_ngrams", a["word_ngrams"].astype(np.int64)),
        "'word_ngrams' has dtype int64 and 2 dimensions, expected int32 and 2",
    ),
    "float-columns": (
        lambda v, a: a.__setitem__("word_ngram_columns", a["word_ngram_columns"] * 1.0),
        "'word_ngram_columns' has dtype float64",
    ),
    "one-column": (
        lambda v, a: a.__setitem__("word_ngrams", a["word_ngrams"][:, :1]),
        r"'word_ngrams' has shape \(\d+, 1\)",
    ),
    "id-too-large": (
        lambda v, a: a["word_ngrams"].__setitem__((0, 0), len(v["word_tokens"])),
        r"'word_ngrams' holds token ids outside 0\.\.\d+",
    ),
    "id-negative": (_set("word_ngrams", (0, 0), -2), "holds token ids outside"),
    "one-token": (_set("word_ngrams", (0, 1), -1), "two or more token ids, then only -1"),
    "padding-inside": (
        lambda v, a: (_widen(a, 4), a["word_ngrams"].__setitem__((0, 3), 0)),
        "two or more token ids, then only -1",
    ),
    "unsorted": (lambda v, a: _swap_rows(a), "must be distinct and in increasing order"),
    "repeated-ngram": (
        lambda v, a: a["word_ngrams"].__setitem__(1, a["word_ngrams"][0]),
        "must be distinct and in increasing order",
    ),
    "repeated-column": (
        lambda v, a: a["word_ngram_columns"].__setitem__(0, a["word_unigram_columns"][0]),
        r"together must be a permutation of 0\.\.\d+",
    ),
    "column-too-large": (
        lambda v, a: a["word_ngram_columns"].__setitem__(0, 10**6),
        "must be a permutation",
    ),
    "negative-column": (_set("word_unigram_columns", 0, -1), "must be a permutation"),
}


@pytest.mark.parametrize(("edit", "match"), _V2_EDITS.values(), ids=_V2_EDITS.keys())
def test_bad_split_vocabulary_with_matching_hashes(saved_v2, edit, match, load):
    """Every file hash and recorded shape matches: only the format-2 checks can refuse."""
    vocab, arrays = _vocab(saved_v2), _arrays(saved_v2)
    edit(vocab, arrays)
    _write_vocab(saved_v2, vocab)
    _replace_arrays(saved_v2, **arrays)
    manifest = _manifest(saved_v2)
    for name in ("word_unigram_columns", "word_ngrams", "word_ngram_columns"):
        manifest["arrays"][name]["shape"] = list(arrays[name].shape)
    _write_manifest(saved_v2, manifest)
    with pytest.raises(ModelFileError, match=match):
        load(saved_v2)


def test_valid_padding_loads(saved_v2, binary_model, load):
    """Rows padded with -1 to a wider width are the same n-grams (the checks above are
    not refusing padding itself)."""
    arrays = _arrays(saved_v2)
    _widen(arrays, 3)
    _replace_arrays(saved_v2, **arrays)
    manifest = _manifest(saved_v2)
    manifest["arrays"]["word_ngrams"]["shape"] = list(arrays["word_ngrams"].shape)
    _write_manifest(saved_v2, manifest)
    np.testing.assert_array_equal(
        load(saved_v2).predict_proba(PROBES), binary_model.predict_proba(PROBES)
    )


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda m: m["arrays"].pop("word_ngrams"), r"'arrays' must list \[.*'word_ngrams'"),
        (
            lambda m: m["arrays"]["word_ngrams"].__setitem__("shape", [1, 2]),
            "the recorded shape of 'word_ngrams'",
        ),
        (
            lambda m: m["arrays"]["word_unigram_columns"].__setitem__("shape", [0]),
            "the recorded shape of 'word_unigram_columns'",
        ),
    ],
)
def test_inconsistent_format_2_manifest(saved_v2, edit, match, load):
    manifest = _manifest(saved_v2)
    edit(manifest)
    _write_manifest(saved_v2, manifest)
    with pytest.raises(ModelFileError, match=match):
        load(saved_v2)


def test_missing_word_array(saved_v2, load):
    arrays = _arrays(saved_v2)
    del arrays["word_ngram_columns"]
    _replace_arrays(saved_v2, **arrays)
    with pytest.raises(ModelFileError, match=r"the array 'word_ngram_columns' is missing"):
        load(saved_v2)


def test_longer_word_ngrams_are_padded_rows(tmp_path):
    model = _fit(2, word_ngram_range=(1, 3))
    path = save_model(model, tmp_path / "m")
    ngrams = _arrays(path)["word_ngrams"]
    assert ngrams.shape[1] == 3
    assert (ngrams[:, 2] == -1).any() and (ngrams[:, 2] >= 0).any()  # bigrams and trigrams
    loaded = load_model(path)
    assert loaded.vectorizer_.word_vocabulary_ == model.vectorizer_.word_vocabulary_
    np.testing.assert_array_equal(loaded.predict_proba(PROBES), model.predict_proba(PROBES))


def test_scoring_load_builds_no_ngram_string(saved_v2, binary_model, monkeypatch):
    """load_scoring_model keeps the split vocabulary: scoring needs no n-gram string,
    explanations build them once."""

    def no_strings(self):
        raise AssertionError("the n-gram strings were built")

    monkeypatch.setattr(SplitVocabulary, "ngram_strings", no_strings)
    scoring = load_scoring_model(saved_v2)
    vocabulary = scoring.vectorizer_.word_vocabulary_
    assert type(vocabulary) is SplitVocabulary
    assert len(vocabulary) == len(binary_model.vectorizer_.word_vocabulary_)
    np.testing.assert_array_equal(scoring.predict_proba(PROBES), binary_model.predict_proba(PROBES))
    assert [p.to_dict() for p in scoring.classify(PROBES)] == [
        p.to_dict() for p in binary_model.classify(PROBES)
    ]
    with pytest.raises(AssertionError, match="n-gram strings were built"):
        scoring.explain(PROBES[0])  # the trap is live: naming features needs the strings
    monkeypatch.undo()
    assert scoring.explain(PROBES[0]) == binary_model.explain(PROBES[0])
    assert vocabulary == binary_model.vectorizer_.word_vocabulary_


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda m: m.pop("classes"), "lacks 'classes'"),
        (lambda m: m.__setitem__("classes", ["sport"]), "at least two distinct labels"),
        (lambda m: m.__setitem__("classes", ["a", "a"]), "at least two distinct labels"),
        (lambda m: m["files"].pop("arrays.npz"), r"no sha256 recorded for arrays\.npz"),
        (lambda m: m["estimator"].__setitem__("class", "os.system"), "expected an Extremism"),
        (lambda m: m["estimator"]["params"].__setitem__("evil", 1), r"\['evil'\] are unknown"),
        (lambda m: m["estimator"]["params"].__setitem__("word_ngram_range", "x"), "two ints"),
        (lambda m: m["vectorizer"]["params"].__setitem__("char_ngram_range", [3, 2]), "two ints"),
        (lambda m: m["vectorizer"]["params"].__setitem__("norm_floor", [1]), "norm_floor must"),
        (lambda m: m["estimator"]["params"].__setitem__("threshold", 2.0), "threshold"),
        (lambda m: m.__setitem__("threshold", 0.9), "edit both or neither"),
        (lambda m: m.__setitem__("arrays", {"coef": {}}), "'arrays' must list"),
        (lambda m: m["arrays"].pop("calibration_coef"), "both or neither"),
        (lambda m: m["arrays"]["coef"].__setitem__("shape", [1, 1]), "recorded shape of 'coef'"),
    ],
)
def test_inconsistent_manifest(saved, edit, match, load):
    manifest = _manifest(saved)
    edit(manifest)
    _write_manifest(saved, manifest)
    with pytest.raises(ModelFileError, match=match):
        load(saved)


def test_model_file_error_is_a_value_error(tmp_path, load):
    with pytest.raises(ValueError):
        load(tmp_path / "nope")


# --- loading never unpickles -----------------------------------------------------------


def test_loading_never_unpickles(saved, binary_model, monkeypatch):
    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle was used while loading a model")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    monkeypatch.setattr(pickle, "Unpickler", no_pickle)

    # The trap is live: numpy would hit it if asked to unpickle an object array.
    buffer = io.BytesIO()
    np.save(buffer, np.array([{}], dtype=object), allow_pickle=True)
    buffer.seek(0)
    with pytest.raises(AssertionError, match="pickle was used"):
        np.load(buffer, allow_pickle=True)

    real_load = np.load
    calls = []

    def spy_load(*args, **kwargs):
        calls.append(kwargs.get("allow_pickle", "default"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy_load)
    loaded = load_model(saved)
    assert calls == [False]
    np.testing.assert_array_equal(loaded.predict_proba(PROBES), binary_model.predict_proba(PROBES))


# --- the default model -----------------------------------------------------------------


def test_load_without_argument_uses_default_path(saved, binary_model, monkeypatch):
    monkeypatch.setattr(model_format, "default_model_path", lambda: saved)
    np.testing.assert_array_equal(
        load_model().predict_proba(PROBES), binary_model.predict_proba(PROBES)
    )
    assert read_manifest()["classes"] == ["sport", "weather"]


def test_default_path_is_package_data():
    """The shipped model is package data: data/default_model inside the package."""
    package_dir = Path(arabic_extremism_clf.__file__).resolve().parent
    assert default_model_path().resolve() == package_dir / "data" / "default_model"
    assert read_manifest(default_model_path())["format"] == FORMAT


def test_default_path_missing_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(model_paths, "_packaged_model", lambda: tmp_path / "missing")
    with pytest.raises(ModelFileError, match=r"no default model found .*save_model"):
        default_model_path()
    with pytest.raises(ModelFileError, match="no default model found"):
        load_model()


def test_default_path_refuses_a_package_not_on_a_file_system(tmp_path, monkeypatch):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("arabic_extremism_clf/data/default_model/manifest.json", "{}")
    zipped = zipfile.Path(archive, "arabic_extremism_clf/")
    monkeypatch.setattr(model_paths.importlib.resources, "files", lambda package: zipped)
    with pytest.raises(ModelFileError, match="not on a file system"):
        default_model_path()
