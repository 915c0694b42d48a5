"""The signatures file: a directory that can be shared, with no post text in it.

Layout (format version 1)::

    SIGS/
      manifest.json    what the arrays are, how they were made, and their checksum
      signatures.npz   numpy arrays (no pickle): "signatures" (n, num_perm) uint16 or
                       uint32, and the ids: "ids" (n,) int64, or "id_bytes" (uint8,
                       the UTF-8 ids one after the other) with "id_offsets" (n + 1,)
                       int64

``manifest.json`` holds ``format`` (``"aeclf-match-signatures"``), ``format_version``,
``params`` (:class:`~.signatures.MatchParams`), ``normalization_version``,
``threshold`` (the default match threshold), ``count``, ``id_type`` (``"int"`` or
``"str"``), ``not_indexed`` (posts left out for too little content and rows with errors,
summed over every build and append), ``library_version``, ``created`` / ``updated``
(UTC) and ``arrays`` (``file``, ``bytes``, ``sha256``). Loading checks the format, the
version, the parameters and the checksum, and refuses a file that fails any of them.
Both files are written to temporary names and renamed, the manifest last.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import AeclfError
from .index import DEFAULT_THRESHOLD, SignatureIndex
from .signatures import NORMALIZATION_VERSION, MatchParams

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SignatureFileError",
    "save_index",
    "load_index",
    "read_manifest",
]

log = logging.getLogger(__name__)

FORMAT = "aeclf-match-signatures"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ARRAYS = "signatures.npz"


class SignatureFileError(AeclfError, ValueError):
    """A signatures file is missing, corrupt, tampered with, foreign or of a newer format."""


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _id_arrays(ids: np.ndarray) -> tuple[str, dict[str, np.ndarray]]:
    if ids.dtype != object:
        return "int", {"ids": ids.astype(np.int64)}
    encoded = [str(i).encode("utf-8") for i in ids.tolist()]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    return "str", {"id_bytes": data, "id_offsets": offsets}


def _write_atomic(directory: Path, name: str, write: Any) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return directory / name


def save_index(
    index: SignatureIndex,
    path: str | os.PathLike[str],
    *,
    not_indexed: dict[str, int] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    created: str | None = None,
) -> dict[str, Any]:
    """Write ``index`` as a signatures directory (created if needed; replaced if there).

    Parameters
    ----------
    index : SignatureIndex
    path : str or os.PathLike
        The directory.
    not_indexed : dict of str to int, optional
        Counts of posts left out (e.g. ``{"too_short": 3, "errors": 1}``), stored in
        the manifest.
    threshold : float, default=DEFAULT_THRESHOLD
        The default match threshold recorded for users of the file.
    created : str, optional
        The creation time to keep (when appending); default: now.

    Returns
    -------
    dict
        The manifest written.
    """
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    id_type, arrays = _id_arrays(index.ids)
    arrays["signatures"] = np.ascontiguousarray(index.signatures)
    target = _write_atomic(directory, ARRAYS, lambda fh: np.savez(fh, **arrays))
    now = _now()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "params": index.params.to_dict(),
        "normalization_version": NORMALIZATION_VERSION,
        "threshold": threshold,
        "count": len(index),
        "id_type": id_type,
        "not_indexed": dict(not_indexed or {}),
        "library_version": __version__,
        "created": created or now,
        "updated": now,
        "arrays": {"file": ARRAYS, "bytes": target.stat().st_size, "sha256": _sha256(target)},
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _write_atomic(directory, MANIFEST, lambda fh: fh.write(text.encode("utf-8")))
    log.info("wrote %d signatures to %s", len(index), directory)
    return manifest


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a signatures directory, checked for format and version."""
    file = Path(path) / MANIFEST
    if not file.is_file():
        raise SignatureFileError(f"{path}: not a signatures directory (no {MANIFEST})")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SignatureFileError(f"{file}: not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SignatureFileError(f"{file}: not an {FORMAT} manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise SignatureFileError(
            f"{file}: format version {version!r}; this library reads versions 1.."
            f"{FORMAT_VERSION} (upgrade arabic_extremism_clf for newer files)"
        )
    for key in ("params", "count", "id_type", "arrays", "normalization_version"):
        if key not in manifest:
            raise SignatureFileError(f"{file}: the manifest has no {key!r}")
    return manifest


def load_index(path: str | os.PathLike[str]) -> tuple[SignatureIndex, dict[str, Any]]:
    """Load a signatures directory, after checking its manifest and checksum.

    Returns
    -------
    index : SignatureIndex
    manifest : dict

    Raises
    ------
    SignatureFileError
        The directory is not a signatures file, its checksum or shapes do not match the
        manifest, it was made under another normalization version, or it is newer
        than this library.
    """
    manifest = read_manifest(path)
    if manifest["normalization_version"] != NORMALIZATION_VERSION:
        raise SignatureFileError(
            f"{path}: signatures made with normalization version "
            f"{manifest['normalization_version']}, this library makes version "
            f"{NORMALIZATION_VERSION}; they would not match: re-index the known posts"
        )
    try:
        params = MatchParams.from_dict(manifest["params"])
    except (TypeError, ValueError) as exc:
        raise SignatureFileError(f"{path}: bad parameters in the manifest: {exc}") from exc
    arrays_file = Path(path) / str(manifest["arrays"].get("file", ARRAYS))
    if not arrays_file.is_file():
        raise SignatureFileError(f"{path}: {arrays_file.name} is missing")
    digest = _sha256(arrays_file)
    if digest != manifest["arrays"].get("sha256"):
        raise SignatureFileError(
            f"{arrays_file}: checksum mismatch (sha256 {digest}, the manifest says "
            f"{manifest['arrays'].get('sha256')}): the file is corrupt or was changed"
        )
    try:
        with np.load(arrays_file, allow_pickle=False) as data:
            sigs = data["signatures"]
            if manifest["id_type"] == "int":
                ids: Any = data["ids"]
            else:
                raw = data["id_bytes"].tobytes()
                offsets = data["id_offsets"].tolist()
                ids = [raw[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]
    except (KeyError, ValueError, OSError) as exc:
        raise SignatureFileError(f"{arrays_file}: unreadable arrays ({exc})") from exc
    if (
        sigs.ndim != 2
        or sigs.shape != (manifest["count"], params.num_perm)
        or sigs.dtype != params.dtype
    ):
        raise SignatureFileError(
            f"{arrays_file}: signatures of shape {sigs.shape} and type {sigs.dtype}; the "
            f"manifest says ({manifest['count']}, {params.num_perm}) {params.dtype}"
        )
    if len(ids) != len(sigs):
        raise SignatureFileError(f"{arrays_file}: {len(ids)} ids for {len(sigs)} signatures")
    index = SignatureIndex(params)
    index.add(sigs, ids)
    return index, manifest
