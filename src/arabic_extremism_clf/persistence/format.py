"""The model-directory format: its definition, reading, checking and the old-format readers.

A saved model is a directory (format 2)::

    manifest.json    format name and version, library and dependency versions, the
                     estimator's parameters, labels, threshold, training-data
                     fingerprints, evaluation figures, the shape of every array, and
                     the sha256 of every data file
    arrays.npz       the numbers (numpy ``savez_compressed``; read with
                     ``allow_pickle=False``): IDF weights, coefficients, intercepts and
                     calibration (float64), and the word vocabulary's int32 arrays:
                     ``word_unigram_columns``, ``word_ngrams`` (a row of token ids per
                     word n-gram of two or more tokens, padded with -1, rows in
                     increasing order) and ``word_ngram_columns``
    vocab.json.gz    the vocabularies' strings (gzip-compressed JSON):
                     ``{"word_unigrams": [...], "word_tokens": [...], "char": [...]}``,
                     the unigrams in the order of ``word_unigram_columns``, the tokens
                     that ``word_ngrams`` indexes, and the character n-grams in
                     feature-index order
    README.md        the model card, generated from the manifest (regenerate it with
                     :func:`~arabic_extremism_clf.persistence.write_model_card`)

A word n-gram's term is its tokens joined by a space (tokens hold no whitespace).
Format 1 (still read) stored every word term as a string, ``{"word": [...], "char":
[...]}`` in feature-index order, and only the float64 arrays; splitting ~10^5 bigram
strings again on every load for scoring was most of ``aeclf score``'s start-up, which
format 2 replaces with numpy work on the id arrays (see :func:`_load_v2`).

Loading never unpickles and never executes anything from the files: it checks the
hashes, reads JSON and plain numeric arrays, validates every shape, and sets the fitted
attributes of a fresh :class:`~arabic_extremism_clf.model.ExtremismClassifier` and
:class:`~arabic_extremism_clf.features.PostVectorizer` (:func:`load_model`), or builds a
:class:`~arabic_extremism_clf.scoring_model.ScoringModel` for scoring only
(:func:`load_scoring_model`, which imports neither scikit-learn nor scipy); no other
class is constructed.
Because only numbers, strings and hyperparameters are stored (no scikit-learn object),
a model saved under one scikit-learn version loads under another.

The directory layout is identified by :data:`FORMAT` and numbered by
:data:`FORMAT_VERSION`. A reader for every past format number stays in this module,
so old models keep loading after the format changes. Writing is in
:mod:`~arabic_extremism_clf.persistence.save`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._version import __version__
from .._vocabulary import PAD, SplitVocabulary
from ..corpus import CORPUS_SOURCES
from ..errors import ModelFileError
from ..params import (
    ESTIMATOR_PARAMS,
    VECTORIZER_PARAMS,
    check_estimator_params,
    check_norm_floor,
)
from .paths import default_model_path

if TYPE_CHECKING:
    from ..model import ExtremismClassifier
    from ..scoring_model import ScoringModel

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "ARRAYS_FILE",
    "VOCAB_FILE",
    "CARD_FILE",
    "load_model",
    "load_scoring_model",
    "read_manifest",
    "file_fingerprint",
    "check_model_target",
]

logger = logging.getLogger(__name__)

#: The value of the manifest's ``"format"`` key: marks a directory as one of our models.
FORMAT = "arabic_extremism_clf.model"
#: The newest format number this version writes and reads.
FORMAT_VERSION = 2

MANIFEST_FILE = "manifest.json"
ARRAYS_FILE = "arrays.npz"
VOCAB_FILE = "vocab.json.gz"
CARD_FILE = "README.md"

#: Arrays always present in ``arrays.npz``.
_REQUIRED_ARRAYS = ("word_idf", "char_idf", "coef", "intercept")
#: Arrays present only when the model has a sigmoid calibration.
_CALIBRATION_ARRAYS = ("calibration_coef", "calibration_intercept")


# --- fingerprints ------------------------------------------------------------------


def file_fingerprint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Name, sha256 and size of a file, to record which data a model was trained on.

    When the file sits directly in one of the shared corpus folders
    (:data:`~arabic_extremism_clf.corpus.CORPUS_SOURCES`, e.g. ``osact2020/``), the
    fingerprint also names that folder, so the model card can state the corpus' source and
    licence. No other directory name is recorded: a user's paths stay out of the manifest.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    dict
        ``{"path": <file name, no directories>, "sha256": <hex>, "bytes": <int>}``, plus
        ``"corpus": <folder name>`` for a file of a shared corpus folder. Fingerprints
        written before ``"corpus"`` existed simply lack it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "posts.tsv"
    >>> _ = p.write_bytes(b"abc")
    >>> file_fingerprint(p)["sha256"][:12], file_fingerprint(p)["bytes"]
    ('ba7816bf8f01', 3)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "hatecheck-ar" / "cases.csv"
    >>> p.parent.mkdir()
    >>> _ = p.write_bytes(b"abc")
    >>> file_fingerprint(p)["corpus"]
    'hatecheck-ar'
    """
    path = Path(path)
    fingerprint: dict[str, Any] = {
        "path": path.name,
        "sha256": _sha256(path),
        "bytes": path.stat().st_size,
    }
    if path.parent.name in CORPUS_SOURCES:
        fingerprint["corpus"] = path.parent.name
    return fingerprint


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# --- the target directory (shared with save and card) ------------------------------


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _is_saved_model(directory: Path) -> bool:
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def check_model_target(target: str | os.PathLike[str], overwrite: bool = False) -> None:
    """Refuse a path that :func:`~arabic_extremism_clf.persistence.save_model` would refuse.

    Call it before any work is done (e.g. before minutes of training).

    Parameters
    ----------
    target : str or os.PathLike
        The model directory to write.
    overwrite : bool, default=False

    Raises
    ------
    FileExistsError
        If ``target`` is a file or symlink, a non-empty directory without
        ``overwrite``, or a non-empty directory that is not a saved model.
    """
    target = Path(target)
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir() or target.is_symlink():
        raise FileExistsError(
            f"{target} exists and is a file or a symlink, not a directory; choose another path"
        )
    if not any(target.iterdir()):
        return
    if not overwrite:
        raise FileExistsError(
            f"{target} exists and is not empty; pass overwrite=True (aeclf train: --overwrite) "
            "to replace a saved model, or choose another path"
        )
    if not _is_saved_model(target):
        raise FileExistsError(
            f"{target} is a non-empty directory without a {MANIFEST_FILE} of an "
            "arabic_extremism_clf model; refusing to replace it even with overwrite=True"
        )


# --- loading -------------------------------------------------------------------------


def _model_dir(path: str | os.PathLike[str] | None) -> Path:
    directory = default_model_path() if path is None else Path(path)
    if not directory.exists():
        raise ModelFileError(f"{directory}: no such model directory")
    if not directory.is_dir():
        raise ModelFileError(
            f"{directory}: expected a model directory (with {MANIFEST_FILE}), found a file"
        )
    return directory


def read_manifest(path: str | os.PathLike[str] | None = None) -> dict:
    """The manifest of a saved model, after checking it is one of ours and readable.

    Parameters
    ----------
    path : str, path-like or None
        The model directory; ``None`` for the default model (:func:`default_model_path`).

    Returns
    -------
    dict
        The parsed ``manifest.json``.

    Raises
    ------
    ModelFileError
        If the directory or manifest is missing, the manifest is not JSON, is not an
        arabic_extremism_clf manifest, or has a format version this library cannot read.
    """
    directory = _model_dir(path)
    manifest_path = directory / MANIFEST_FILE
    try:
        raw = manifest_path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(
            f"{manifest_path}: missing; {directory} is not a saved model directory"
        ) from None
    except OSError as exc:
        raise ModelFileError(f"{manifest_path}: cannot be read: {exc}") from exc
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelFileError(f"{manifest_path}: corrupt, not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else type(manifest).__name__
        raise ModelFileError(
            f'{manifest_path}: not an arabic_extremism_clf model (expected "format": '
            f"{FORMAT!r}, found {found!r}); was this directory written by another tool?"
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelFileError(
            f"{manifest_path}: format_version must be a positive integer, found {version!r}"
        )
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{manifest_path}: model format {version} is newer than the newest this version "
            f"of arabic_extremism_clf ({__version__}) reads ({FORMAT_VERSION}); upgrade the "
            "library: pip install --upgrade arabic-extremism-clf"
        )
    if version not in _LOADERS:
        raise ModelFileError(f"{manifest_path}: unknown model format version {version}")
    return manifest


def load_model(path: str | os.PathLike[str] | None = None) -> ExtremismClassifier:
    """Load a model saved by :func:`~.save.save_model`, without unpickling anything.

    Only JSON, gzip and numeric ``.npy`` arrays (``allow_pickle=False``) are read, and the
    only objects built are an :class:`ExtremismClassifier` and its
    :class:`PostVectorizer`. Since the files hold numbers and hyperparameters rather than
    scikit-learn objects, a model saved under one scikit-learn version loads and gives the
    same scores under another.

    Parameters
    ----------
    path : str, path-like or None
        The model directory; ``None`` for the default model (:func:`default_model_path`).

    Returns
    -------
    ExtremismClassifier
        Fitted, ready for ``predict_proba`` and ``classify``.

    Raises
    ------
    ModelFileError
        If the model is missing, corrupt, truncated, tampered with (a sha256 that does not
        match the manifest), foreign, of a newer format, or inconsistent.
    """
    directory = _model_dir(path)
    manifest = read_manifest(directory)
    model = _build_estimator(_LOADERS[manifest["format_version"]](directory, manifest))
    logger.info("loaded model from %s", directory)
    return model


def load_scoring_model(
    path: str | os.PathLike[str] | None = None,
) -> ScoringModel | ExtremismClassifier:
    """Load a saved model for scoring only, without importing scikit-learn or scipy.

    The files are read and checked exactly as :func:`load_model` does; the result is a
    :class:`~arabic_extremism_clf.scoring_model.ScoringModel`, whose scores are those of
    the estimator, bit for bit. It starts about 1 s faster and takes about 170 MB less
    memory, which is why bulk scoring, the HTTP service and Spark use it. A model with
    word n-grams longer than 2 (which the scikit-learn-free transform does not cover)
    is loaded as the estimator instead.

    Parameters
    ----------
    path : str, path-like or None
        The model directory; ``None`` for the default model.

    Returns
    -------
    ScoringModel or ExtremismClassifier

    Raises
    ------
    ModelFileError
        As :func:`load_model`.
    """
    directory = _model_dir(path)
    manifest = read_manifest(directory)
    parts = _LOADERS[manifest["format_version"]](directory, manifest)
    lo, hi = parts["vec_params"].get("word_ngram_range", (1, 2))
    if hi > 2:
        logger.info("word n-grams up to %d: loading the estimator for scoring", hi)
        return _build_estimator(parts)
    from ..scoring_model import ScoringFeatures, ScoringModel

    vec_params = parts["vec_params"]
    features = ScoringFeatures(
        word_ngram_range=vec_params.get("word_ngram_range", (1, 2)),
        char_ngram_range=vec_params.get("char_ngram_range", (2, 5)),
        sublinear_tf=vec_params.get("sublinear_tf", True),
        normalize_options=vec_params.get("normalize_options"),
        norm_floor=vec_params.get("norm_floor"),
        word_vocabulary=parts["word_vocabulary"],
        char_vocabulary=parts["char_vocabulary"],
        word_idf=parts["arrays"]["word_idf"],
        char_idf=parts["arrays"]["char_idf"],
    )
    arrays = parts["arrays"]
    model = ScoringModel(
        vectorizer=features,
        classes=parts["classes"],
        coef=arrays["coef"],
        intercept=arrays["intercept"],
        calibration_coef=arrays.get("calibration_coef"),
        calibration_intercept=arrays.get("calibration_intercept"),
        params=parts["params"],
    )
    logger.info("loaded model from %s for scoring", directory)
    return model


# --- reading and checking (every format) ----------------------------------------------


def _field(manifest: Mapping[str, Any], key: str, kind: type, where: Path) -> Any:
    if key not in manifest:
        raise ModelFileError(f"{where}: the manifest lacks {key!r}")
    value = manifest[key]
    if not isinstance(value, kind):
        raise ModelFileError(
            f"{where}: {key!r} should be a {kind.__name__}, found {type(value).__name__}"
        )
    return value


def _verified_bytes(directory: Path, name: str, files: Mapping[str, Any]) -> bytes:
    path = directory / name
    entry = files.get(name)
    if not isinstance(entry, Mapping) or not isinstance(entry.get("sha256"), str):
        raise ModelFileError(f"{directory / MANIFEST_FILE}: no sha256 recorded for {name}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: missing from the model directory") from None
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot be read: {exc}") from exc
    expected_size = entry.get("bytes")
    if isinstance(expected_size, int) and len(data) != expected_size:
        raise ModelFileError(
            f"{path}: {len(data)} bytes but the manifest records {expected_size}: the file "
            "is truncated or was replaced; restore the model directory"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise ModelFileError(
            f"{path}: sha256 {digest} does not match the manifest ({entry['sha256']}): the "
            "file is corrupt or was tampered with; restore the model directory"
        )
    return data


def _read_arrays(path: Path, data: bytes) -> dict[str, np.ndarray]:
    if not data.startswith(b"PK\x03\x04"):
        raise ModelFileError(f"{path}: corrupt, not an npz (zip) archive")
    arrays = {}
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            for key in npz.files:
                try:
                    arrays[key] = npz[key]
                except ValueError as exc:
                    if "pickle" in str(exc).lower() or "object arrays" in str(exc).lower():
                        raise ModelFileError(
                            f"{path}: the array {key!r} is an object array, which could only "
                            "be read by unpickling; refusing to load it"
                        ) from exc
                    raise
    except ModelFileError:
        raise
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise ModelFileError(f"{path}: corrupt or truncated npz archive: {exc}") from exc
    return arrays


def _read_json_vocab(path: Path, data: bytes, keys: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object of ``vocab.json.gz``."""
    try:
        vocab = json.loads(gzip.decompress(data).decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise ModelFileError(f"{path}: corrupt, not gzip-compressed UTF-8 JSON: {exc}") from exc
    if not isinstance(vocab, dict):
        names = " and ".join(repr(k) for k in keys)
        raise ModelFileError(f"{path}: expected a JSON object with {names} lists")
    return vocab


def _strings(path: Path, vocab: Mapping[str, Any], key: str) -> list[str]:
    """``vocab[key]``, checked to be a list of str."""
    terms = vocab.get(key)
    # set(map(type, ...)): the check runs in C (the vocabularies hold ~10^5 terms).
    if not isinstance(terms, list) or not set(map(type, terms)) <= {str}:
        raise ModelFileError(f"{path}: {key!r} must be a list of strings")
    return terms


def _index(path: Path, terms: list[str], columns: Any, what: str) -> dict[str, int]:
    """``terms`` to ``columns`` as a dict, refusing repeated terms."""
    index = dict(zip(terms, columns))
    if len(index) != len(terms):
        seen: set[str] = set()
        for repeated in terms:
            if repeated in seen:
                break
            seen.add(repeated)
        raise ModelFileError(
            f"{path}: the {what} repeats {repeated!r}, so its indices are not a permutation "
            "of 0..n-1"
        )
    return index


def _check_array(
    path: Path, arrays: Mapping[str, np.ndarray], name: str, shape: tuple[int, ...]
) -> np.ndarray:
    if name not in arrays:
        raise ModelFileError(f"{path}: the array {name!r} is missing")
    array = arrays[name]
    if array.dtype != np.float64:
        raise ModelFileError(f"{path}: {name!r} has dtype {array.dtype}, expected float64")
    if array.shape != shape:
        raise ModelFileError(
            f"{path}: {name!r} has shape {array.shape}, expected {shape} from the "
            "vocabulary and labels; the model files do not belong together"
        )
    if not np.all(np.isfinite(array)):
        raise ModelFileError(f"{path}: {name!r} contains NaN or infinite values")
    return array


def _restore_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as read from JSON, with the top-level lists turned back into tuples.

    Every sequence-valued hyperparameter of our estimators (the n-gram ranges) is a
    tuple, and JSON has only lists.
    """
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _build_params(
    known: frozenset[str], name: str, params: Any, manifest_path: Path, what: str
) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ModelFileError(f"{manifest_path}: {what} parameters must be a JSON object")
    unknown = sorted(set(params) - known)
    if unknown:
        raise ModelFileError(
            f"{manifest_path}: {what} parameters {unknown} are unknown to this version of "
            f"{name}; upgrade arabic_extremism_clf"
        )
    params = _restore_params(params)
    for key in ("word_ngram_range", "char_ngram_range"):
        value = params.get(key, (1, 2))
        if key == "char_ngram_range" and value is None:
            continue
        if not (
            isinstance(value, tuple)
            and len(value) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
            and 1 <= value[0] <= value[1]
        ):
            raise ModelFileError(
                f"{manifest_path}: {what} parameter {key} must be two ints 1 <= lo <= hi, "
                f"found {value!r}"
            )
    try:
        check_norm_floor(params.get("norm_floor"))
    except ValueError as exc:
        raise ModelFileError(f"{manifest_path}: {what} parameter {exc}") from None
    return params


def _check_manifest(
    directory: Path, manifest: Mapping[str, Any], word_arrays: tuple[str, ...]
) -> dict[str, Any]:
    """The checked manifest fields every format has: ``params``, ``vec_params``,
    ``classes``, ``files``, ``listed`` (the ``"arrays"`` entry, naming exactly the
    arrays of the format: ``word_arrays`` are those of the word vocabulary)."""
    manifest_path = directory / MANIFEST_FILE
    estimator = _field(manifest, "estimator", dict, manifest_path)
    vectorizer = _field(manifest, "vectorizer", dict, manifest_path)
    classes_found = (estimator.get("class"), vectorizer.get("class"))
    if classes_found != ("ExtremismClassifier", "PostVectorizer"):
        raise ModelFileError(
            f"{manifest_path}: expected an ExtremismClassifier with a PostVectorizer, found "
            f"{estimator.get('class')!r} with {vectorizer.get('class')!r}"
        )
    params = _build_params(
        ESTIMATOR_PARAMS, "ExtremismClassifier", estimator.get("params"), manifest_path,
        "estimator",
    )  # fmt: skip
    vec_params = _build_params(
        VECTORIZER_PARAMS, "PostVectorizer", vectorizer.get("params"), manifest_path,
        "vectorizer",
    )  # fmt: skip
    try:
        check_estimator_params(params)
    except ValueError as exc:
        raise ModelFileError(f"{manifest_path}: invalid estimator parameter: {exc}") from exc
    classes = _field(manifest, "classes", list, manifest_path)
    if (
        len(classes) < 2
        or not all(isinstance(c, str) for c in classes)
        or len(set(classes)) != len(classes)
    ):
        raise ModelFileError(f"{manifest_path}: 'classes' must list at least two distinct labels")
    for key in ("flagged_label", "threshold"):
        if key in manifest and key in params and manifest[key] != params[key]:
            raise ModelFileError(
                f"{manifest_path}: {key!r} is {manifest[key]!r} but estimator.params has "
                f"{params[key]!r}; edit both or neither"
            )
    files = _field(manifest, "files", dict, manifest_path)
    listed = _field(manifest, "arrays", dict, manifest_path)
    expected = set(listed)
    required = (*_REQUIRED_ARRAYS, *word_arrays)
    missing = sorted(set(required) - expected)
    unknown = sorted(expected - set(required) - set(_CALIBRATION_ARRAYS))
    calibrated = expected & set(_CALIBRATION_ARRAYS)
    if missing or unknown or calibrated not in (set(), set(_CALIBRATION_ARRAYS)):
        raise ModelFileError(
            f"{manifest_path}: 'arrays' must list {list(required)}, plus both or "
            f"neither of {list(_CALIBRATION_ARRAYS)}; found {sorted(expected)}"
        )
    return {
        "params": params,
        "vec_params": vec_params,
        "vectorizer": vectorizer,
        "classes": classes,
        "files": files,
        "listed": listed,
    }


def _check_recorded(manifest_path: Path, listed: Mapping[str, Any], name: str, array: Any) -> None:
    """The manifest's record of an array (``{"shape": [...], ...}``) matches it."""
    meta = listed[name]
    if not isinstance(meta, dict) or meta.get("shape") != list(array.shape):
        raise ModelFileError(
            f"{manifest_path}: the recorded shape of {name!r} ({meta!r}) does not match "
            f"{list(array.shape)}"
        )


def _check_model_arrays(
    directory: Path,
    header: Mapping[str, Any],
    arrays: Mapping[str, np.ndarray],
    n_word: int,
    n_char: int,
) -> dict[str, np.ndarray]:
    """The IDF, coefficient and calibration arrays, checked against the vocabulary
    sizes, the labels and the manifest."""
    manifest_path = directory / MANIFEST_FILE
    arrays_path = directory / ARRAYS_FILE
    vocab_path = directory / VOCAB_FILE
    listed, vec_params = header["listed"], header["vec_params"]
    unexpected = sorted(set(arrays) - set(listed))
    if unexpected:
        raise ModelFileError(f"{arrays_path}: unexpected arrays {unexpected}")
    n_features = n_word + n_char
    recorded = header["vectorizer"].get("n_features", n_features)
    if recorded != n_features:
        raise ModelFileError(
            f"{vocab_path}: {n_features} terms but the manifest records {recorded} features"
        )
    if vec_params.get("char_ngram_range", (2, 5)) is None and n_char:
        raise ModelFileError(
            f"{vocab_path}: character n-grams are disabled but the char vocabulary is not empty"
        )
    classes = header["classes"]
    n_rows = 1 if len(classes) == 2 else len(classes)
    shapes = {
        "word_idf": (n_word,),
        "char_idf": (n_char,),
        "coef": (n_rows, n_features),
        "intercept": (n_rows,),
        "calibration_coef": (n_rows, n_rows),
        "calibration_intercept": (n_rows,),
    }
    checked = {}
    for name in (n for n in shapes if n in listed):
        checked[name] = _check_array(arrays_path, arrays, name, shapes[name])
        _check_recorded(manifest_path, listed, name, checked[name])
    return checked


def _parts(
    directory: Path,
    manifest: Mapping[str, Any],
    header: Mapping[str, Any],
    word_vocabulary: Mapping[str, int],
    char_vocabulary: dict[str, int],
    arrays: Mapping[str, np.ndarray],
) -> dict[str, Any]:
    """What a reader returns: the checked parts of the model (see :func:`_load_v1`)."""
    checked = _check_model_arrays(
        directory, header, arrays, len(word_vocabulary), len(char_vocabulary)
    )
    n_iter = manifest.get("n_iter")
    return {
        "params": header["params"],
        "vec_params": header["vec_params"],
        "classes": header["classes"],
        "word_vocabulary": word_vocabulary,
        "char_vocabulary": char_vocabulary,
        "arrays": checked,
        "n_iter": n_iter if isinstance(n_iter, list) else None,
        "manifest_path": directory / MANIFEST_FILE,
    }


# --- format 1 ------------------------------------------------------------------------


def _read_vocab(path: Path, data: bytes) -> tuple[dict[str, int], dict[str, int]]:
    """Format 1: the word and character vocabularies (term -> column), checked."""
    vocab = _read_json_vocab(path, data, ("word", "char"))
    out = []
    for kind in ("word", "char"):
        terms = _strings(path, vocab, kind)
        out.append(_index(path, terms, range(len(terms)), f"{kind} vocabulary"))
    return out[0], out[1]


def _load_v1(directory: Path, manifest: dict) -> dict[str, Any]:
    """Format 1: manifest.json + arrays.npz + vocab.json.gz (+ README.md, not read).

    ``vocab.json.gz`` holds ``{"word": [...], "char": [...]}``, every term in column
    order, and ``arrays.npz`` only the float64 arrays.

    Returns the checked parts of the model: ``params``, ``vec_params``, ``classes``,
    ``word_vocabulary``, ``char_vocabulary`` (dicts of term -> column), ``arrays`` (the
    checked arrays), ``n_iter`` and ``manifest_path``.
    """
    header = _check_manifest(directory, manifest, word_arrays=())
    files = header["files"]
    word_vocabulary, char_vocabulary = _read_vocab(
        directory / VOCAB_FILE, _verified_bytes(directory, VOCAB_FILE, files)
    )
    arrays = _read_arrays(directory / ARRAYS_FILE, _verified_bytes(directory, ARRAYS_FILE, files))
    return _parts(directory, manifest, header, word_vocabulary, char_vocabulary, arrays)


# --- format 2 ------------------------------------------------------------------------

#: Format 2: the keys of ``vocab.json.gz``.
_VOCAB_KEYS_V2 = ("word_unigrams", "word_tokens", "char")
#: Format 2: the word vocabulary's arrays in ``arrays.npz`` (int32; see :func:`_load_v2`).
_WORD_ARRAYS_V2 = ("word_unigram_columns", "word_ngrams", "word_ngram_columns")


def _int_array(path: Path, arrays: Mapping[str, np.ndarray], name: str, ndim: int) -> np.ndarray:
    if name not in arrays:
        raise ModelFileError(f"{path}: the array {name!r} is missing")
    array = arrays[name]
    if array.dtype != np.int32 or array.ndim != ndim:
        raise ModelFileError(
            f"{path}: {name!r} has dtype {array.dtype} and {array.ndim} dimensions, "
            f"expected int32 and {ndim}"
        )
    return array


def _strictly_increasing(rows: np.ndarray) -> bool:
    """Whether each row of a 2-d array is lexicographically greater than the one before
    (one vectorized pass per column)."""
    tied = np.ones(max(len(rows) - 1, 0), dtype=bool)  # equal on the columns seen so far
    greater = np.zeros_like(tied)
    for j in range(rows.shape[1]):
        before, after = rows[:-1, j], rows[1:, j]
        greater |= tied & (after > before)
        tied &= after == before
    return bool(greater.all())


def _split_word_vocabulary(
    directory: Path, vocab: Mapping[str, Any], arrays: Mapping[str, np.ndarray], listed: Mapping
) -> SplitVocabulary:
    """Format 2: the word vocabulary from its strings and its arrays, checked.

    Everything a list of distinct terms guarantees is checked, with numpy where the
    sizes are large: no unigram or token holds a space (so a term is split one way
    only), no repeated unigram or token, token ids in range, padding only after the
    tokens of a row, every token used, rows distinct (strictly increasing), and the
    columns a permutation of ``0..n-1``.
    """
    vocab_path = directory / VOCAB_FILE
    arrays_path = directory / ARRAYS_FILE
    unigrams = _strings(vocab_path, vocab, "word_unigrams")
    tokens = _strings(vocab_path, vocab, "word_tokens")
    unigram_columns = _int_array(arrays_path, arrays, "word_unigram_columns", 1)
    ngrams = _int_array(arrays_path, arrays, "word_ngrams", 2)
    ngram_columns = _int_array(arrays_path, arrays, "word_ngram_columns", 1)
    if unigram_columns.shape != (len(unigrams),):
        raise ModelFileError(
            f"{arrays_path}: 'word_unigram_columns' has shape {unigram_columns.shape}, "
            f"expected ({len(unigrams)},) from the word_unigrams of {VOCAB_FILE}; the model "
            "files do not belong together"
        )
    if ngrams.shape[1] < 2 or ngram_columns.shape != (len(ngrams),):
        raise ModelFileError(
            f"{arrays_path}: 'word_ngrams' has shape {ngrams.shape} and 'word_ngram_columns' "
            f"{ngram_columns.shape}, expected (n, width >= 2) and (n,)"
        )
    for name, array in zip(_WORD_ARRAYS_V2, (unigram_columns, ngrams, ngram_columns)):
        _check_recorded(directory / MANIFEST_FILE, listed, name, array)
    # "\n".join: one C-level scan for a space in ~10^5 strings (a space is not "\n").
    for key, strings in (("word_unigrams", unigrams), ("word_tokens", tokens)):
        if " " in "\n".join(strings):
            raise ModelFileError(
                f"{vocab_path}: {key!r} holds a string with a space; word n-grams are stored "
                "as rows of token ids, so unigrams and tokens never contain one"
            )
    unigram_index = _index(vocab_path, unigrams, unigram_columns.tolist(), "word unigram list")
    token_ids = _index(vocab_path, tokens, range(len(tokens)), "word token list")
    n_tokens = len(tokens)
    if ngrams.size:
        if ngrams.min() < PAD or ngrams.max() >= n_tokens:
            raise ModelFileError(
                f"{arrays_path}: 'word_ngrams' holds token ids outside 0..{n_tokens - 1} "
                f"(the word_tokens of {VOCAB_FILE}) and {PAD} (padding)"
            )
        pad = ngrams == PAD
        if pad[:, :2].any() or (pad[:, :-1] & ~pad[:, 1:]).any():
            raise ModelFileError(
                f"{arrays_path}: every row of 'word_ngrams' must be two or more token ids, "
                f"then only {PAD} (padding)"
            )
        if not _strictly_increasing(ngrams):
            raise ModelFileError(
                f"{arrays_path}: the rows of 'word_ngrams' must be distinct and in increasing "
                "order; a repeated n-gram would be two columns for one term"
            )
    if not (np.bincount(ngrams.ravel() + 1, minlength=n_tokens + 1)[1:] > 0).all():
        raise ModelFileError(
            f"{vocab_path}: 'word_tokens' lists a token that no row of 'word_ngrams' uses"
        )
    columns = np.concatenate([unigram_columns, ngram_columns])
    n_word = len(columns)
    if n_word and (
        columns.min() < 0
        or columns.max() >= n_word
        or np.bincount(columns, minlength=n_word).max() != 1
    ):
        raise ModelFileError(
            f"{arrays_path}: 'word_unigram_columns' and 'word_ngram_columns' together must "
            f"be a permutation of 0..{n_word - 1}"
        )
    return SplitVocabulary(unigram_index, tokens, ngrams, ngram_columns, token_ids)


def _load_v2(directory: Path, manifest: dict) -> dict[str, Any]:
    """Format 2: the files of format 1, with the word vocabulary stored split.

    ``vocab.json.gz`` holds ``{"word_unigrams": [...], "word_tokens": [...], "char":
    [...]}``; ``arrays.npz`` adds three int32 arrays: ``word_unigram_columns`` (the
    column of each unigram), ``word_ngrams`` (one row per longer word n-gram: its token
    ids into ``word_tokens``, then -1 up to the widest n-gram; rows in increasing
    order) and ``word_ngram_columns`` (the column of each row). A longer n-gram's term
    is its tokens joined by spaces. Loading for scoring thus builds the fast
    transform's bigram tables with numpy, and no n-gram string until one is needed.

    Returns the parts :func:`_load_v1` returns, ``word_vocabulary`` being a
    :class:`~arabic_extremism_clf._vocabulary.SplitVocabulary`.
    """
    header = _check_manifest(directory, manifest, word_arrays=_WORD_ARRAYS_V2)
    files = header["files"]
    vocab_path = directory / VOCAB_FILE
    vocab = _read_json_vocab(
        vocab_path, _verified_bytes(directory, VOCAB_FILE, files), _VOCAB_KEYS_V2
    )
    char_terms = _strings(vocab_path, vocab, "char")
    char_vocabulary = _index(vocab_path, char_terms, range(len(char_terms)), "char vocabulary")
    arrays = _read_arrays(directory / ARRAYS_FILE, _verified_bytes(directory, ARRAYS_FILE, files))
    word_vocabulary = _split_word_vocabulary(directory, vocab, arrays, header["listed"])
    float_arrays = {k: v for k, v in arrays.items() if k not in _WORD_ARRAYS_V2}
    return _parts(directory, manifest, header, word_vocabulary, char_vocabulary, float_arrays)


def _build_estimator(parts: Mapping[str, Any]) -> ExtremismClassifier:
    """A fitted ExtremismClassifier and PostVectorizer from the parts a reader returns."""
    from ..features import PostVectorizer
    from ..model import ExtremismClassifier

    vec = PostVectorizer(**parts["vec_params"])
    model = ExtremismClassifier(**parts["params"])
    arrays = parts["arrays"]
    word_vocabulary = parts["word_vocabulary"]
    if isinstance(word_vocabulary, SplitVocabulary):  # format 2: the estimator has a dict
        word_vocabulary = word_vocabulary.to_dict()
    vec.word_vocabulary_ = word_vocabulary
    vec.char_vocabulary_ = parts["char_vocabulary"]
    vec.word_idf_ = arrays["word_idf"]
    vec.char_idf_ = arrays["char_idf"]
    vec.n_features_out_ = len(vec.word_vocabulary_) + len(vec.char_vocabulary_)
    model.classes_ = np.asarray(parts["classes"], dtype=str)
    model.vectorizer_ = vec
    model.coef_ = arrays["coef"]
    model.intercept_ = arrays["intercept"]
    model.calibration_coef_ = arrays.get("calibration_coef")
    model.calibration_intercept_ = arrays.get("calibration_intercept")
    n_iter = parts["n_iter"]
    if n_iter is not None and all(isinstance(n, int) for n in n_iter):
        model.n_iter_ = np.asarray(n_iter, dtype=np.int32)
    return model


#: One reader per format number; a new format adds a reader and keeps the old ones.
_LOADERS: dict[int, Callable[[Path, dict], dict[str, Any]]] = {1: _load_v1, 2: _load_v2}
