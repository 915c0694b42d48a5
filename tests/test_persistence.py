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


@pytest.fixture
def saved(tmp_path, binary_model) -> Path:
    return save_model(binary_model, tmp_path / "model", training={"recipe": "toy"})


def _manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))


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
    ],
)
def test_round_trip_gives_identical_output(tmp_path, classes, params):
    model = _fit(classes, **params)
    loaded = load_model(save_model(model, tmp_path / "m"))

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
    if params.get("calibration", "sigmoid") is None:
        assert loaded.calibration_coef_ is None and loaded.calibration_intercept_ is None
        assert "calibration_coef" not in _arrays(tmp_path / "m")


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
    assert manifest["format_version"] == FORMAT_VERSION == 1
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


def test_arrays_and_vocab_are_plain_data(saved, binary_model):
    arrays = _arrays(saved)
    assert set(arrays) == {
        "word_idf",
        "char_idf",
        "coef",
        "intercept",
        "calibration_coef",
        "calibration_intercept",
    }
    assert all(a.dtype == np.float64 for a in arrays.values())
    np.testing.assert_array_equal(arrays["coef"], binary_model.coef_)
    vocab = json.loads(gzip.decompress((saved / "vocab.json.gz").read_bytes()))
    assert set(vocab) == {"word", "char"}
    for term, idx in binary_model.vectorizer_.word_vocabulary_.items():
        assert vocab["word"][idx] == term


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
def test_bad_vocab_with_matching_hash(saved, content, match, load):
    (saved / "vocab.json.gz").write_bytes(content)
    _rehash(saved, "vocab.json.gz")
    with pytest.raises(ModelFileError, match=rf"vocab\.json\.gz: .*{match}"):
        load(saved)


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
