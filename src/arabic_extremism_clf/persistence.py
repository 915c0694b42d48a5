"""Save and load fitted models in a safe, versioned, readable directory format.

A saved model is a directory::

    manifest.json    format name and version, library and dependency versions, the
                     estimator's parameters, labels, threshold, training-data
                     fingerprints, evaluation figures, and the sha256 of every data file
    arrays.npz       the numbers: IDF weights, coefficients, intercepts and calibration
                     (numpy ``savez_compressed``; read with ``allow_pickle=False``)
    vocab.json.gz    the n-gram vocabularies, ``{"word": [...], "char": [...]}``, terms
                     in feature-index order (gzip-compressed JSON)
    README.md        the model card, generated from the manifest (regenerate it with
                     :func:`write_model_card`)

Loading never unpickles and never executes anything from the files: it checks the
hashes, reads JSON and plain numeric arrays, validates every shape, and sets the fitted
attributes of a fresh :class:`~arabic_extremism_clf.model.ExtremismClassifier` and
:class:`~arabic_extremism_clf.features.PostVectorizer`; no other class is constructed.
Because only numbers, strings and hyperparameters are stored (no scikit-learn object),
a model saved under one scikit-learn version loads under another.

The directory layout is identified by :data:`FORMAT` and numbered by
:data:`FORMAT_VERSION`. A reader for every past format number stays in this module,
so old models keep loading after the format changes.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import logging
import math
import os
import platform
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._version import __version__
from .corpus import CORPUS_SOURCES
from .errors import ModelFileError
from .features import PostVectorizer
from .model import ExtremismClassifier

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "save_model",
    "load_model",
    "read_manifest",
    "file_fingerprint",
    "write_model_card",
    "check_model_target",
    "default_model_path",
]

logger = logging.getLogger(__name__)

#: The value of the manifest's ``"format"`` key: marks a directory as one of our models.
FORMAT = "arabic_extremism_clf.model"
#: The newest format number this version writes and reads.
FORMAT_VERSION = 1

MANIFEST_FILE = "manifest.json"
ARRAYS_FILE = "arrays.npz"
VOCAB_FILE = "vocab.json.gz"
CARD_FILE = "README.md"

#: Distributions whose versions are recorded in the manifest.
_DEPENDENCIES = ("numpy", "scipy", "scikit-learn", "camel-tools")
#: Arrays always present in ``arrays.npz``.
_REQUIRED_ARRAYS = ("word_idf", "char_idf", "coef", "intercept")
#: Arrays present only when the model has a sigmoid calibration.
_CALIBRATION_ARRAYS = ("calibration_coef", "calibration_intercept")


# --- fingerprints and paths ----------------------------------------------------------


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


def _default_candidates() -> list[Path]:
    candidates = []
    packaged = importlib.resources.files("arabic_extremism_clf") / "models" / "default"
    if isinstance(packaged, Path):
        candidates.append(packaged)
    candidates.append(Path(__file__).resolve().parents[2] / "models" / "default")
    return candidates


def default_model_path() -> Path:
    """The directory of the shipped default model.

    Looked for first inside the installed package (``arabic_extremism_clf/models/default``,
    where the build copies the checkout's ``models/default``, so a wheel or a regular
    install carries it), then in the source checkout the package was installed from
    (``<repo>/models/default``, which is where an editable install finds it).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ModelFileError
        If neither directory holds a ``manifest.json``.
    """
    candidates = _default_candidates()
    for candidate in candidates:
        if (candidate / MANIFEST_FILE).is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise ModelFileError(
        f"no default model found (looked in: {looked}). Install the package from a "
        "checkout that contains models/default, train one and save it there with "
        "save_model(model, 'models/default'), or pass the path of a saved model directory"
    )


# --- JSON helpers --------------------------------------------------------------------


def _json_safe(value: Any, where: str) -> Any:
    """A copy of ``value`` made only of JSON types; tuples become lists.

    Numpy scalars and arrays become Python numbers and lists, paths become strings.
    Raises ``ValueError`` naming ``where`` for anything else (and for NaN/infinity).
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}: only finite numbers can be saved (use None)")
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist(), where)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str):
                raise ValueError(
                    f"{where} has the key {key!r} of type {type(key).__name__}: "
                    "only str keys can be saved in JSON"
                )
            out[key] = _json_safe(v, f"{where}[{key!r}]")
        return out
    raise ValueError(
        f"{where} has the type {type(value).__name__}, which cannot be saved in JSON; "
        "use None, bool, int, float, str, lists and dicts with str keys"
    )


def _restore_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as read from JSON, with the top-level lists turned back into tuples.

    Every sequence-valued hyperparameter of our estimators (the n-gram ranges) is a
    tuple, and JSON has only lists.
    """
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


# --- saving --------------------------------------------------------------------------


def _dependency_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in _DEPENDENCIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _terms_in_index_order(vocabulary: Mapping[str, int]) -> list[str]:
    terms: list[str | None] = [None] * len(vocabulary)
    for term, idx in vocabulary.items():
        terms[int(idx)] = term
    if any(t is None for t in terms):
        raise ValueError("the vocabulary indices are not 0..n-1; the model is corrupt")
    return terms  # type: ignore[return-value]


def _model_arrays(model: ExtremismClassifier) -> dict[str, np.ndarray]:
    vec = model.vectorizer_
    arrays = {
        "word_idf": vec.word_idf_,
        "char_idf": vec.char_idf_,
        "coef": model.coef_,
        "intercept": model.intercept_,
    }
    if model.calibration_coef_ is not None:
        arrays["calibration_coef"] = model.calibration_coef_
        arrays["calibration_intercept"] = model.calibration_intercept_
    return {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in arrays.items()}


def _check_savable(model: object) -> None:
    if type(model) is not ExtremismClassifier:
        raise TypeError(
            f"save_model saves an ExtremismClassifier, got {type(model).__name__}; "
            "subclasses are refused because loading rebuilds exactly ExtremismClassifier"
        )
    check_is_fitted(model, "coef_")
    if type(model.vectorizer_) is not PostVectorizer:
        raise TypeError(
            f"model.vectorizer_ must be a PostVectorizer, got {type(model.vectorizer_).__name__}"
        )


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


def save_model(
    model: ExtremismClassifier,
    path: str | os.PathLike[str],
    *,
    training: dict | None = None,
    metrics: dict | None = None,
    card: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Save a fitted classifier as a model directory (see the module docstring).

    The files are written to a temporary directory next to ``path`` which is then
    renamed, so a failed save never leaves a half-written model at ``path``.

    Parameters
    ----------
    model : ExtremismClassifier
        A fitted classifier.
    path : str or path-like
        The model directory to create. Missing parent directories are created.
    training : dict or None
        How the model was trained, stored in the manifest and shown in the model card.
        Recognised keys: ``"files"`` (a list of :func:`file_fingerprint` dicts, each
        optionally with ``"licence"`` and ``"source"``; without them the card looks the
        licence and source up by the fingerprint's ``"corpus"``), ``"recipe"`` (the command or
        the steps that reproduce the model) and ``"sizes"`` (e.g. posts per label and
        split); any other JSON-safe keys are kept too.
    metrics : dict or None
        Evaluation figures (JSON-safe), stored in the manifest and shown in the card.
    card : str or None
        The model card (Markdown). By default one is generated from the manifest.
    overwrite : bool, default=False
        Replace ``path`` if it is an existing saved model. A non-empty directory that
        is not a saved model is never replaced.

    Returns
    -------
    pathlib.Path
        The model directory.

    Raises
    ------
    FileExistsError
        If ``path`` exists and is a file or a non-empty directory (and ``overwrite`` is
        false, or it is not a saved model).
    TypeError
        If ``model`` is not an :class:`ExtremismClassifier`.
    ValueError
        If ``training``, ``metrics`` or a parameter cannot be stored in JSON.
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.

    Examples
    --------
    >>> import tempfile
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"]
    >>> labels = ["sport"] * 3 + ["weather"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=2, flagged_label=None)
    >>> clf = clf.fit(texts, labels)
    >>> path = save_model(clf, Path(tempfile.mkdtemp()) / "model", metrics={"note": "toy"})
    >>> sorted(p.name for p in path.iterdir())
    ['README.md', 'arrays.npz', 'manifest.json', 'vocab.json.gz']
    >>> load_model(path).classify(["مباراة الفريق"])[0].label
    'sport'
    """
    _check_savable(model)
    if card is not None and not isinstance(card, str):
        raise TypeError(f"card must be a str of Markdown or None, got {type(card).__name__}")
    target = Path(path)
    training = _json_safe(training, "training") if training is not None else None
    metrics = _json_safe(metrics, "metrics") if metrics is not None else None
    vec = model.vectorizer_
    arrays = _model_arrays(model)
    vocab = {
        "word": _terms_in_index_order(vec.word_vocabulary_),
        "char": _terms_in_index_order(vec.char_vocabulary_),
    }
    vocab_bytes = gzip.compress(
        json.dumps(vocab, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        compresslevel=9,
        mtime=0,
    )
    params = _json_safe(model.get_params(deep=False), "model parameter")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library": {"name": "arabic_extremism_clf", "version": __version__},
        "dependencies": _dependency_versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "estimator": {"class": "ExtremismClassifier", "params": params},
        "vectorizer": {
            "class": "PostVectorizer",
            "params": _json_safe(vec.get_params(deep=False), "vectorizer parameter"),
            "n_word_features": len(vocab["word"]),
            "n_char_features": len(vocab["char"]),
            "n_features": int(vec.n_features_out_),
        },
        "classes": [str(c) for c in model.classes_],
        "flagged_label": model.flagged_label,
        "threshold": _json_safe(model.threshold, "threshold"),
        "n_iter": _json_safe(getattr(model, "n_iter_", None), "n_iter_"),
        "arrays": {k: {"shape": list(a.shape), "dtype": "float64"} for k, a in arrays.items()},
        "files": {},
        "training": training,
        "metrics": metrics,
    }

    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    check_model_target(target, overwrite)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    try:
        os.chmod(tmp, 0o755)
        np.savez_compressed(tmp / ARRAYS_FILE, **arrays)
        _write_bytes(tmp / VOCAB_FILE, vocab_bytes)
        for name in (ARRAYS_FILE, VOCAB_FILE):
            fingerprint = file_fingerprint(tmp / name)
            manifest["files"][name] = {k: fingerprint[k] for k in ("sha256", "bytes")}
        manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2, allow_nan=False)
        _write_bytes(tmp / MANIFEST_FILE, (manifest_text + "\n").encode("utf-8"))
        card_text = card if card is not None else _model_card(manifest)
        _write_bytes(tmp / CARD_FILE, card_text.encode("utf-8"))
        _replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.info("saved model to %s", target)
    return target


def check_model_target(target: str | os.PathLike[str], overwrite: bool = False) -> None:
    """Refuse a path :func:`save_model` would refuse, before any work is done.

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


def _replace(tmp: Path, target: Path) -> None:
    """Move the finished directory ``tmp`` to ``target``, replacing what is there."""
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if not target.exists():
        tmp.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old)


# --- the model card ------------------------------------------------------------------

#: Shown in a table cell for a figure that is undefined or was not recorded.
_MISSING = "–"
#: A corpus row of the licence table names its files up to this many; beyond, a count.
_FILES_NAMED = 3


def write_model_card(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Rewrite the model card (``README.md``) of a saved model from its manifest.

    Nothing else in the directory changes, so the model still loads (the card is not
    part of the hashed files). Use it after the card generator improves, without
    retraining.

    Parameters
    ----------
    path : str or path-like
        A model directory written by :func:`save_model`.
    data_dir : str, path-like or None
        Only for manifests written before fingerprints named their corpus folder: the
        shared data directory. A training file whose name, size and sha256 match a file
        of one of its corpus folders is shown with that corpus and its licence. The
        manifest itself is not changed. ``None``: such files show "not recorded".

    Returns
    -------
    pathlib.Path
        The card that was written.

    Raises
    ------
    ModelFileError
        If ``path`` is not a readable saved model (see :func:`read_manifest`).

    Examples
    --------
    >>> import tempfile
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"]
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=2, flagged_label=None)
    >>> clf = clf.fit(texts, ["sport"] * 3 + ["weather"] * 3)
    >>> path = save_model(clf, Path(tempfile.mkdtemp()) / "model", card="# old card\\n")
    >>> write_model_card(path).name
    'README.md'
    >>> (path / "README.md").read_text(encoding="utf-8").startswith("# Model card")
    True
    """
    directory = _model_dir(path)
    manifest = read_manifest(directory)
    training = manifest.get("training")
    if data_dir is not None and isinstance(training, Mapping):
        files = training.get("files")
        if isinstance(files, list):
            files = [_with_corpus(item, Path(data_dir)) for item in files]
            manifest = {**manifest, "training": {**training, "files": files}}
    card = directory / CARD_FILE
    tmp = directory / f".{CARD_FILE}.tmp"
    try:
        _write_bytes(tmp, _model_card(manifest).encode("utf-8"))
        os.replace(tmp, card)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote the model card %s", card)
    return card


def _with_corpus(item: Any, data_dir: Path) -> Any:
    """``item`` with ``"corpus"`` added when a shared corpus folder holds the same file."""
    if not isinstance(item, Mapping) or "corpus" in item:
        return item
    name = item.get("path")
    if not isinstance(name, str) or not name or Path(name).name != name:
        return item
    for folder in CORPUS_SOURCES:
        candidate = data_dir / folder / name
        if (
            candidate.is_file()
            and candidate.stat().st_size == item.get("bytes")
            and _sha256(candidate) == item.get("sha256")
        ):
            return {**item, "corpus": folder}
    return item


# Formatting --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("|", "\\|").replace("\n", " ")


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, ensure_ascii=False, indent=2) + "\n```"


def _compact_json_block(value: Mapping[str, Any]) -> str:
    """A JSON object with one top-level key per line and each value on that line."""
    lines = [
        f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for key, v in value.items()
    ]
    return "```json\n{\n" + ",\n".join(lines) + "\n}\n```"


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (malformed metrics never crash)."""
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _number(value: Any, digits: int = 3) -> str:
    """An int with thousands separators, a float to ``digits`` decimals, else a dash."""
    if not _is_number(value):
        return _MISSING
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def _percent(value: Any) -> str:
    return f"{100 * value:.2f}%" if _is_number(value) else _MISSING


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _code(value: Any) -> str:
    return f"`{value}`"


def _threshold(value: Any) -> str:
    return f"{value:g}" if _is_number(value) else _MISSING


def _label_name(flagged: Any) -> str:
    return _code(flagged) if flagged is not None else "flagged-label"


# Training data -----------------------------------------------------------------------


def _file_terms(item: Mapping[str, Any]) -> tuple[str, str, str]:
    """``(corpus, licence, source)`` of a training file, as the card shows them.

    A licence or source recorded with the file wins; otherwise they are looked up by the
    file's corpus folder in :data:`~arabic_extremism_clf.corpus.CORPUS_SOURCES`.
    """
    corpus = item.get("corpus")
    known = CORPUS_SOURCES.get(corpus) if isinstance(corpus, str) else None
    licence = item.get("licence", item.get("license"))
    source = item.get("source")
    if licence is None:
        licence = known.licence if known else "not recorded"
    if source is None:
        source = f"{known.title}. {known.citation}. <{known.url}>" if known else ""
    corpus_cell = _code(corpus) if isinstance(corpus, str) else "not recorded"
    return corpus_cell, _cell(licence), _cell(source)


def _licence_table(files: list[Mapping[str, Any]]) -> str:
    """One row per corpus (files with the same corpus, licence and source)."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in files:
        groups.setdefault(_file_terms(item), []).append(_cell(item.get("path", "?")))
    rows = []
    for (corpus, licence, source), names in groups.items():
        shown = ", ".join(_code(n) for n in names[:_FILES_NAMED])
        if len(names) > _FILES_NAMED:
            shown = f"{len(names)} files: {shown} and {len(names) - _FILES_NAMED} more"
        rows.append([corpus, shown, licence, source])
    return _table(["corpus", "files", "licence", "source"], rows)


def _sizes_table(sizes: Any) -> str:
    """Counts as a table: ``{row: n}`` or ``{row: {column: n}}``; anything else as JSON."""
    sizes = _mapping(sizes)
    if sizes and all(_is_number(v) for v in sizes.values()):
        return _table(["set", "posts"], [[_cell(k), _number(v)] for k, v in sizes.items()])
    if not sizes or not all(
        isinstance(v, Mapping) and all(_is_number(n) for n in v.values())
        for v in sizes.values()
    ):
        return _json_block(sizes)
    columns = sorted({column for counts in sizes.values() for column in counts})
    rows = [
        [_cell(name), *(_number(counts.get(c, 0)) for c in columns)]
        for name, counts in sizes.items()
    ]
    totals = [sum(counts.get(c, 0) for counts in sizes.values()) for c in columns]
    rows.append(["**total**", *(f"**{_number(t)}**" for t in totals)])
    return _table(["source", *(_code(c) for c in columns)], rows)


def _training_section(training: Mapping[str, Any] | None) -> str:
    if not training:
        return (
            "Not recorded: `training` was not passed to `save_model`. Without it this model "
            "cannot be traced to its data; do not ship it."
        )
    if not isinstance(training, Mapping):
        return _json_block(training)
    parts = []
    files = training.get("files")
    files = [
        item if isinstance(item, Mapping) else {"path": item}
        for item in (files if isinstance(files, list) else [])
    ]
    if files:
        parts.append(
            "The data the model was trained and evaluated on. The corpora are not "
            "distributed with the model: obtain each from its source under its own terms. "
            "Where a licence is research-only, non-commercial or unstated, check that it "
            "allows your use of a model trained on it.\n\n" + _licence_table(files)
        )
        parts.append(
            "Every file read is identified by name, size and sha256 in `manifest.json` "
            "under `training.files`."
        )
    train_sizes = _mapping(training.get("recipe")).get("train_sizes")
    if train_sizes is not None:
        parts.append("Training posts per source and label:\n\n" + _sizes_table(train_sizes))
    if training.get("sizes") is not None:
        parts.append("Sizes:\n\n" + _sizes_table(training["sizes"]))
    other = {k: v for k, v in training.items() if k not in ("files", "sizes", "recipe")}
    if other:
        parts.append("Other details:\n\n" + _json_block(other))
    return "\n\n".join(parts) if parts else _json_block(dict(training))


# Evaluation --------------------------------------------------------------------------


def _threshold_sentence(threshold: Any, selection: Mapping[str, Any]) -> str:
    method = selection.get("method")
    if isinstance(method, str) and method:
        return f"Threshold {_threshold(threshold)}. How it was chosen: {method}."
    return (
        f"Threshold {_threshold(threshold)} (the estimator's `threshold` parameter); how "
        "it was chosen is not recorded."
    )


def _cv_section(
    cv: Mapping[str, Any], selection: Mapping[str, Any], flagged: Any, heldout: bool
) -> str:
    if isinstance(cv.get("flagged_label"), str):
        flagged = cv["flagged_label"]
    name = _label_name(flagged)
    per_label = _mapping(_mapping(cv.get("per_label")).get(flagged))
    calibration = _mapping(cv.get("calibration"))
    figures = [
        ("posts", _number(cv.get("n"))),
        ("macro-F1", _number(cv.get("macro_f1"))),
        ("ROC-AUC", _number(cv.get("roc_auc"))),
        ("PR-AUC (average precision)", _number(cv.get("pr_auc"))),
        (f"precision of {name}", _number(per_label.get("precision"))),
        (f"recall of {name}", _number(per_label.get("recall"))),
        (f"F1 of {name}", _number(per_label.get("f1"))),
        ("ECE (confidence of the predicted label)", _number(calibration.get("ece"))),
        (f"ECE (probability of {name})", _number(calibration.get("flagged_ece"))),
        ("threshold", _threshold(cv.get("threshold"))),
    ]
    rows = [[figure, value] for figure, value in figures if value != _MISSING]
    intro = (
        "Out-of-fold predictions (cross-validation). These posts come from the training "
        "data's distribution, so the figures overstate performance on other sources"
        + ("; the held-out sets below show those." if heldout else ".")
    )
    sources = _mapping(cv.get("by_source"))
    if sources:
        intro += " Sources: " + ", ".join(
            f"`{_cell(source)}` ({_number(_mapping(counts).get('n'))} posts)"
            for source, counts in sources.items()
        ) + "."
    parts = [intro, _table(["figure", "value"], rows)]
    if cv.get("threshold") is not None or selection:
        threshold = selection.get("threshold", cv.get("threshold"))
        parts.append(_threshold_sentence(threshold, selection))
    return "### Cross-validation\n\n" + "\n\n".join(parts)


def _flag_counts(report: Mapping[str, Any], flagged: Any) -> tuple[Any, Any, Any]:
    """``(positives, flagged, true flags)`` of the flagged label; None where unknown.

    From the confusion matrix, else summed over ``by_source`` (without true flags).
    """
    matrix = _mapping(report.get("confusion_matrix"))
    labels, rows = matrix.get("labels"), matrix.get("matrix")
    try:
        if not isinstance(labels, list):
            raise TypeError("no confusion matrix labels")
        j = labels.index(flagged)
        positives = sum(rows[j])
        return positives, sum(row[j] for row in rows), rows[j][j]
    except (KeyError, ValueError, TypeError, IndexError):
        pass
    sources = [_mapping(s) for s in _mapping(report.get("by_source")).values()]
    try:
        return sum(s["positives"] for s in sources), sum(s["flagged"] for s in sources), None
    except (KeyError, TypeError):
        return None, None, None


def _heldout_row(
    name: str, report: Mapping[str, Any], flagged: Any, threshold: Any
) -> list[str]:
    n = report.get("n")
    positives, n_flagged, true_flags = _flag_counts(report, flagged)
    flag_rate = n_flagged / n if _is_number(n_flagged) and _is_number(n) and n else None
    fpr = None
    if _is_number(positives) and _is_number(n) and n > positives:
        if positives == 0:
            fpr = flag_rate
        elif _is_number(true_flags):
            fpr = (n_flagged - true_flags) / (n - positives)
    per_label = _mapping(report.get("per_label"))
    recall = _mapping(per_label.get(flagged)).get("recall") if positives else None
    both = sum(1 for m in per_label.values() if _mapping(m).get("support")) >= 2
    label = _code(_cell(name))
    if _is_number(report.get("threshold")) and report["threshold"] != threshold:
        label += f" (threshold {_threshold(report['threshold'])})"
    return [
        label,
        _number(n),
        _number(positives),
        f"{_number(n_flagged)} ({_percent(flag_rate)})" if _is_number(n_flagged) else _MISSING,
        _percent(fpr),
        _number(recall),
        _number(report.get("macro_f1")) if both else _MISSING,
        _number(_mapping(report.get("calibration")).get("ece")),
    ]


def _heldout_section(heldout: Mapping[str, Any], flagged: Any, threshold: Any) -> str:
    rows = [
        _heldout_row(name, _mapping(report), flagged, threshold)
        for name, report in heldout.items()
    ]
    name = _label_name(flagged)
    header = [
        "held-out set", "posts", f"{name} posts", "flagged (rate)",
        "false-positive rate", "recall", "macro-F1", "ECE",
    ]
    return (
        "### Held-out sets\n\n"
        f"The final model on sets it was not trained on, at its threshold "
        f"({_threshold(threshold)}). On a set without {name} posts every flag is a false "
        f"positive, and recall and macro-F1 are undefined ({_MISSING}).\n\n"
        + _table(header, rows)
    )


def _ranking_section(ranking: Mapping[str, Any], flagged: Any) -> str:
    rows = [
        [
            _code(_cell(name)),
            _number(_mapping(figures).get("roc_auc")),
            _number(_mapping(figures).get("n_positive")),
            _number(_mapping(figures).get("n_negative")),
        ]
        for name, figures in ranking.items()
    ]
    return (
        "### Ranking\n\n"
        f"ROC-AUC of the {_label_name(flagged)} probability, independent of the threshold: the "
        "cross-validation positives (out-of-fold scores) against the posts of each held-out "
        "set as negatives.\n\n"
        + _table(["negatives", "ROC-AUC", "positives", "negatives (n)"], rows)
    )


_METRIC_PARTS = (
    "threshold_selection", "cross_validation", "heldout", "ranking", "shortcut_audit",
    "ece_by_length", "evidence_benchmark",
)


def _details(metrics: Mapping[str, Any]) -> list[str]:
    """Names of the details of ``metrics`` that the card leaves to the manifest."""
    reports = [_mapping(metrics.get("cross_validation"))]
    reports += [_mapping(r) for r in _mapping(metrics.get("heldout")).values()]
    details = []
    if _mapping(metrics.get("threshold_selection")).get("sweep"):
        details.append("the threshold sweep")
    for key, what in (
        ("per_label", "figures per label"),
        ("confusion_matrix", "confusion matrices"),
        ("calibration", "calibration bins"),
        ("by_source", "rates per source"),
    ):
        if any(report.get(key) for report in reports):
            details.append(what)
    return details


def _metrics_section(metrics: Mapping[str, Any] | None, manifest: Mapping[str, Any]) -> str:
    if not metrics:
        return "Not recorded: `metrics` was not passed to `save_model`."
    if not isinstance(metrics, Mapping):
        return _json_block(metrics)
    flagged = manifest.get("flagged_label")
    threshold = manifest.get("threshold")
    cv = _mapping(metrics.get("cross_validation"))
    heldout = _mapping(metrics.get("heldout"))
    ranking = _mapping(metrics.get("ranking"))
    parts = []
    if cv:
        selection = _mapping(metrics.get("threshold_selection"))
        parts.append(_cv_section(cv, selection, flagged, bool(heldout)))
    if heldout:
        parts.append(_heldout_section(heldout, flagged, threshold))
    if ranking:
        parts.append(_ranking_section(ranking, flagged))
    from .audit import evidence_card_sections

    parts.extend(evidence_card_sections(metrics))
    rest = {k: v for k, v in metrics.items() if k not in _METRIC_PARTS}
    flat = {k: v for k, v in rest.items() if not isinstance(v, (Mapping, list))}
    if flat:
        parts.append(_table(["figure", "value"], [[_cell(k), _cell(v)] for k, v in flat.items()]))
    details = _details(metrics)
    pointer = "Every figure is also in `manifest.json` under `metrics`"
    if details:
        listed = ", ".join(details[:-1]) + " and " if len(details) > 1 else ""
        pointer += f", with {listed}{details[-1]}"
    pointer += "."
    unshown = [_code(_cell(k)) for k in rest if k not in flat]
    if unshown:
        pointer += " Also recorded there: " + ", ".join(unshown) + "."
    return "\n\n".join([pointer, *parts])


# How to reproduce --------------------------------------------------------------------


def _recipe_section(training: Mapping[str, Any] | None) -> str:
    recipe = _mapping(training).get("recipe")
    if recipe is None:
        steps = "The training recipe was not recorded."
    elif isinstance(recipe, str):
        steps = "```\n" + recipe + "\n```"
    elif isinstance(recipe, Mapping):
        shown = {k: v for k, v in recipe.items() if k != "train_sizes"}
        steps = _compact_json_block(shown)
        if "train_sizes" in recipe:
            steps += "\n\n(`train_sizes`: the table under \"Training data and licences\".)"
    else:
        steps = _json_block(recipe)
    return (
        f"{steps}\n\n"
        "1. Install the library version and the dependency versions listed under "
        "`library` and `dependencies` in `manifest.json`.\n"
        "2. Obtain the data listed above and check each file against `training.files` in "
        "`manifest.json` with `arabic_extremism_clf.persistence.file_fingerprint`.\n"
        + (
            "3. Run `aeclf train --recipe default --data-dir DATA -o DIR` with that library "
            "version: it rebuilds the seeded training set, weights and threshold rule of "
            "the recipe above; then compare with the figures above."
            if isinstance(recipe, Mapping) and str(recipe.get("name", "")).startswith("default-")
            else "3. Fit `ExtremismClassifier(**params)` with the parameters under "
            "`estimator.params` in `manifest.json`, then compare with the figures above."
        )
    )


_CARD_TEMPLATE = """\
# Model card: arabic_extremism_clf

Saved by arabic_extremism_clf {version} (model format {format_version}) on {created}.
Every figure below is also in `manifest.json`.

## Intended use

This model helps human reviewers find Arabic social-media posts that **promote violent
extremist groups** (propaganda, recruitment, glorification), by surfacing posts for
review. Its output is a reason to look at a post, **never an automatic verdict**: do not
remove content, suspend accounts or draw conclusions about a person from a score alone.
A trained reviewer, with the context of the post, decides.

It is meant not to flag news reports about such groups, counter-speech that argues
against them, or everyday religious speech. It does make those mistakes sometimes (see
"Known failure modes").

Out of scope: text in other languages, judging people rather than posts, any use
without human review.

## Labels

- Model: {model}
- Labels: {classes}
- Flagged label: {flagged_label}
- Threshold: a post gets the flagged label when that label's calibrated probability is
  at least {threshold}; otherwise the most probable other label.
- Calibration: {calibration}. Probabilities match observed frequencies on data like the
  training mix; real platforms have far fewer promotional posts, so precision at a given
  threshold is lower there than the figures below.

## Training data and licences

{training}

## Evaluation

{metrics}

## Known failure modes

- **Shared vocabulary.** News reports and counter-speech name the same groups, leaders and
  events as promotional posts; they are the most common false positives. Religious
  vocabulary in ordinary devotional posts can also raise scores.
- **Dialect and script.** Dialects, Arabizi (Arabic in Latin letters) and code-switching
  that are rare in the training data are scored less reliably.
- **Drift.** Group names, slogans, hashtags and platforms change; a model trained on
  older posts misses new ones. Re-evaluate on recent data before relying on it.
- **Obfuscation.** Character n-grams absorb some spelling tricks, but deliberate
  obfuscation, images of text and link-only posts are not seen.
- **Short posts** carry little evidence; their scores are less reliable.
- **Data shortcuts.** If one label comes from one source or one period, the model can
  learn the source instead of the content; check errors by source.
- **Writing style of the sources.** The model also learns the form typical of each
  training source, such as the punctuation, hashtags, mentions and links of tweets as
  opposed to the sentences of news articles. The form of a post can therefore raise its
  score independently of its content.

## How to reproduce

{recipe}
"""


def _model_line(params: Mapping[str, Any]) -> str:
    """One line saying what the estimator is, from its saved parameters."""
    linear = (
        "a linear SVM (squared hinge loss)"
        if params.get("loss") == "squared_hinge"
        else "a logistic regression"
    )
    word = params.get("word_ngram_range", (1, 2))
    char = params.get("char_ngram_range", (2, 5))
    grams = f"word {word[0]}-{word[1]}-grams" + (
        f" and within-word character {char[0]}-{char[1]}-grams" if char else ""
    )
    return f"TF-IDF over {grams}, then {linear} with C={params.get('C', 10.0)}"


def _model_card(manifest: Mapping[str, Any]) -> str:
    """The default model card (Markdown) for a manifest.

    Parameters
    ----------
    manifest : dict
        A manifest as written by :func:`save_model` (see :func:`read_manifest`).

    Returns
    -------
    str
    """
    params = _mapping(_mapping(manifest.get("estimator")).get("params"))
    flagged = manifest.get("flagged_label")
    return _CARD_TEMPLATE.format(
        version=_mapping(manifest.get("library")).get("version", "unknown"),
        format_version=manifest.get("format_version"),
        created=manifest.get("created", "unknown date"),
        model=_model_line(params),
        classes=", ".join(f"`{c}`" for c in manifest.get("classes", [])),
        flagged_label=f"`{flagged}`" if flagged is not None else "none (the most probable label)",
        threshold=manifest.get("threshold"),
        calibration=(
            "sigmoid (Platt) on out-of-fold decision values"
            if params.get("calibration") == "sigmoid"
            else "none (the logistic regression's own probabilities)"
        ),
        training=_training_section(manifest.get("training")),
        metrics=_metrics_section(manifest.get("metrics"), manifest),
        recipe=_recipe_section(manifest.get("training")),
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
    """Load a model saved by :func:`save_model`, without unpickling anything.

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
    model = _LOADERS[manifest["format_version"]](directory, manifest)
    logger.info("loaded model from %s", directory)
    return model


# --- format 1 ------------------------------------------------------------------------


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


def _read_vocab(path: Path, data: bytes) -> tuple[list[str], list[str]]:
    try:
        vocab = json.loads(gzip.decompress(data).decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise ModelFileError(f"{path}: corrupt, not gzip-compressed UTF-8 JSON: {exc}") from exc
    if not isinstance(vocab, dict):
        raise ModelFileError(f"{path}: expected a JSON object with 'word' and 'char' lists")
    out = []
    for kind in ("word", "char"):
        terms = vocab.get(kind)
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ModelFileError(f"{path}: {kind!r} must be a list of strings")
        if len(set(terms)) != len(terms):
            raise ModelFileError(
                f"{path}: the {kind} vocabulary repeats terms, so its indices are not a "
                "permutation of 0..n-1"
            )
        out.append(terms)
    return out[0], out[1]


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


def _build_params(cls: type, params: Any, manifest_path: Path, what: str) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ModelFileError(f"{manifest_path}: {what} parameters must be a JSON object")
    known = set(cls().get_params(deep=False))
    unknown = sorted(set(params) - known)
    if unknown:
        raise ModelFileError(
            f"{manifest_path}: {what} parameters {unknown} are unknown to this version of "
            f"{cls.__name__}; upgrade arabic_extremism_clf"
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
    return params


def _load_v1(directory: Path, manifest: dict) -> ExtremismClassifier:
    """Format 1: manifest.json + arrays.npz + vocab.json.gz (+ README.md, not read)."""
    manifest_path = directory / MANIFEST_FILE
    arrays_path = directory / ARRAYS_FILE
    vocab_path = directory / VOCAB_FILE

    estimator = _field(manifest, "estimator", dict, manifest_path)
    vectorizer = _field(manifest, "vectorizer", dict, manifest_path)
    classes_found = (estimator.get("class"), vectorizer.get("class"))
    if classes_found != ("ExtremismClassifier", "PostVectorizer"):
        raise ModelFileError(
            f"{manifest_path}: expected an ExtremismClassifier with a PostVectorizer, found "
            f"{estimator.get('class')!r} with {vectorizer.get('class')!r}"
        )
    params = _build_params(ExtremismClassifier, estimator.get("params"), manifest_path, "estimator")
    vec_params = _build_params(
        PostVectorizer, vectorizer.get("params"), manifest_path, "vectorizer"
    )
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
    missing = sorted(set(_REQUIRED_ARRAYS) - expected)
    unknown = sorted(expected - set(_REQUIRED_ARRAYS) - set(_CALIBRATION_ARRAYS))
    calibrated = expected & set(_CALIBRATION_ARRAYS)
    if missing or unknown or calibrated not in (set(), set(_CALIBRATION_ARRAYS)):
        raise ModelFileError(
            f"{manifest_path}: 'arrays' must list {list(_REQUIRED_ARRAYS)}, plus both or "
            f"neither of {list(_CALIBRATION_ARRAYS)}; found {sorted(expected)}"
        )

    word_terms, char_terms = _read_vocab(vocab_path, _verified_bytes(directory, VOCAB_FILE, files))
    arrays = _read_arrays(arrays_path, _verified_bytes(directory, ARRAYS_FILE, files))
    unexpected = sorted(set(arrays) - expected)
    if unexpected:
        raise ModelFileError(f"{arrays_path}: unexpected arrays {unexpected}")

    n_word, n_char = len(word_terms), len(char_terms)
    n_features = n_word + n_char
    recorded = vectorizer.get("n_features", n_features)
    if recorded != n_features:
        raise ModelFileError(
            f"{vocab_path}: {n_features} terms but the manifest records {recorded} features"
        )
    if vec_params.get("char_ngram_range", (2, 5)) is None and n_char:
        raise ModelFileError(
            f"{vocab_path}: character n-grams are disabled but the char vocabulary is not empty"
        )
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
    for name in (n for n in shapes if n in expected):
        checked[name] = _check_array(arrays_path, arrays, name, shapes[name])
        meta = listed[name]
        if not isinstance(meta, dict) or meta.get("shape") != list(shapes[name]):
            raise ModelFileError(
                f"{manifest_path}: the recorded shape of {name!r} ({meta!r}) does not match "
                f"{list(shapes[name])}"
            )

    vec = PostVectorizer(**vec_params)
    model = ExtremismClassifier(**params)
    try:
        model._validate_params()
    except ValueError as exc:
        raise ModelFileError(f"{manifest_path}: invalid estimator parameter: {exc}") from exc
    vec.word_vocabulary_ = {term: i for i, term in enumerate(word_terms)}
    vec.char_vocabulary_ = {term: i for i, term in enumerate(char_terms)}
    vec.word_idf_ = checked["word_idf"]
    vec.char_idf_ = checked["char_idf"]
    vec.n_features_out_ = n_features
    model.classes_ = np.asarray(classes, dtype=str)
    model.vectorizer_ = vec
    model.coef_ = checked["coef"]
    model.intercept_ = checked["intercept"]
    model.calibration_coef_ = checked.get("calibration_coef")
    model.calibration_intercept_ = checked.get("calibration_intercept")
    n_iter = manifest.get("n_iter")
    if isinstance(n_iter, list) and all(isinstance(n, int) for n in n_iter):
        model.n_iter_ = np.asarray(n_iter, dtype=np.int32)
    return model


#: One reader per format number; a new format adds a reader and keeps the old ones.
_LOADERS: dict[int, Callable[[Path, dict], ExtremismClassifier]] = {1: _load_v1}
