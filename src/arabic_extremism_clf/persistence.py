"""Save and load fitted models in a safe, versioned, readable directory format.

A saved model is a directory::

    manifest.json    format name and version, library and dependency versions, the
                     estimator's parameters, labels, threshold, training-data
                     fingerprints, evaluation figures, and the sha256 of every data file
    arrays.npz       the numbers: IDF weights, coefficients, intercepts and calibration
                     (numpy ``savez_compressed``; read with ``allow_pickle=False``)
    vocab.json.gz    the n-gram vocabularies, ``{"word": [...], "char": [...]}``, terms
                     in feature-index order (gzip-compressed JSON)
    README.md        the model card

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

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    dict
        ``{"path": <file name, no directories>, "sha256": <hex>, "bytes": <int>}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "posts.tsv"
    >>> _ = p.write_bytes(b"abc")
    >>> file_fingerprint(p)["sha256"][:12], file_fingerprint(p)["bytes"]
    ('ba7816bf8f01', 3)
    """
    path = Path(path)
    return {"path": path.name, "sha256": _sha256(path), "bytes": path.stat().st_size}


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
        optionally with ``"licence"`` and ``"source"``), ``"recipe"`` (the command or
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
    _check_target(target, overwrite)
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


def _check_target(target: Path, overwrite: bool) -> None:
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
            f"{target} exists and is not empty; pass overwrite=True to replace a saved model"
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


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("|", "\\|").replace("\n", " ")


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, ensure_ascii=False, indent=2) + "\n```"


def _training_section(training: Mapping[str, Any] | None) -> str:
    if not training:
        return (
            "Not recorded: `training` was not passed to `save_model`. Without it this model "
            "cannot be traced to its data; do not ship it."
        )
    parts = []
    files = training.get("files")
    if files:
        rows = ["| file | bytes | sha256 | licence | source |", "|---|---|---|---|---|"]
        for item in files:
            item = item if isinstance(item, Mapping) else {"path": item}
            licence = item.get("licence", item.get("license", "not recorded"))
            rows.append(
                "| "
                + " | ".join(_cell(item.get(key, "")) for key in ("path", "bytes", "sha256"))
                + f" | {_cell(licence)} | {_cell(item.get('source', ''))} |"
            )
        parts.append(
            "The training files, identified by sha256 (the corpora themselves are not "
            "distributed with the model; obtain each under its own licence):\n\n" + "\n".join(rows)
        )
    if training.get("sizes") is not None:
        parts.append("Sizes:\n\n" + _json_block(training["sizes"]))
    other = {k: v for k, v in training.items() if k not in ("files", "sizes", "recipe")}
    if other:
        parts.append("Other details:\n\n" + _json_block(other))
    return "\n\n".join(parts) if parts else _json_block(dict(training))


def _metrics_section(metrics: Mapping[str, Any] | None) -> str:
    if not metrics:
        return "Not recorded: `metrics` was not passed to `save_model`."
    flat = {k: v for k, v in metrics.items() if not isinstance(v, (Mapping, list))}
    nested = {k: v for k, v in metrics.items() if k not in flat}
    parts = []
    if flat:
        rows = ["| figure | value |", "|---|---|"]
        rows += [f"| {_cell(k)} | {_cell(v)} |" for k, v in flat.items()]
        parts.append("\n".join(rows))
    if nested:
        parts.append(_json_block(nested))
    return "\n\n".join(parts)


def _recipe_section(training: Mapping[str, Any] | None) -> str:
    recipe = (training or {}).get("recipe")
    if recipe is None:
        steps = "The training recipe was not recorded."
    elif isinstance(recipe, str):
        steps = "```\n" + recipe + "\n```"
    else:
        steps = _json_block(recipe)
    return (
        f"{steps}\n\n"
        "1. Install the library version and the dependency versions listed under "
        "`library` and `dependencies` in `manifest.json`.\n"
        "2. Obtain the training files listed above and check their sha256 with "
        "`arabic_extremism_clf.persistence.file_fingerprint`.\n"
        "3. Fit `ExtremismClassifier(**params)` with the parameters under "
        "`estimator.params` in `manifest.json`, then compare with the figures above."
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

## How to reproduce

{recipe}
"""


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
    params = manifest.get("estimator", {}).get("params", {})
    flagged = manifest.get("flagged_label")
    return _CARD_TEMPLATE.format(
        version=manifest.get("library", {}).get("version", "unknown"),
        format_version=manifest.get("format_version"),
        created=manifest.get("created", "unknown date"),
        classes=", ".join(f"`{c}`" for c in manifest.get("classes", [])),
        flagged_label=f"`{flagged}`" if flagged is not None else "none (the most probable label)",
        threshold=manifest.get("threshold"),
        calibration=(
            "sigmoid (Platt) on out-of-fold decision values"
            if params.get("calibration") == "sigmoid"
            else "none (the logistic regression's own probabilities)"
        ),
        training=_training_section(manifest.get("training")),
        metrics=_metrics_section(manifest.get("metrics")),
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
