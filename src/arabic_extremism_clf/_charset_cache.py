"""A start-up cache of CAMeL Tools' character sets (``camel_tools.utils.charsets``).

CAMeL Tools' word tokenizer imports that module, which walks all 1,114,112 Unicode code
points in Python to build its sets: about 0.4 s, the largest part of ``aeclf score``'s
start-up once scikit-learn is out of the scoring path. The sets depend only on the
module's own source, Python's Unicode database and the ``emoji`` package, so
:func:`install` keeps them in a cache file keyed by all three and, on later starts,
builds the module from that file (about 20 ms): the same names, the same frozensets.

The cache is plain JSON (strings; nothing is unpickled or executed), written atomically
to :func:`cache_dir`. Any problem (no writable cache directory, an unreadable or foreign
file, another ``camel-tools``, Python or ``emoji``) falls back to the ordinary import;
``AECLF_NO_CHARSET_CACHE=1`` turns the cache off. This module and the readers and
writers of files are the only code that touches the file system; it runs when the first
post is tokenized, never at ``import arabic_extremism_clf``. ``tests/test_preprocess.py``
checks that the cached module holds exactly what the real import builds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import sys
import tempfile
import types
import unicodedata
from pathlib import Path

__all__ = ["install", "cache_dir"]

logger = logging.getLogger(__name__)

_MODULE = "camel_tools.utils.charsets"
_FORMAT = "arabic_extremism_clf.charsets-cache/2"


def cache_dir() -> Path:
    """Where the library keeps its caches.

    ``$AECLF_CACHE_DIR``, else ``$XDG_CACHE_HOME/arabic_extremism_clf``, else
    ``~/.cache/arabic_extremism_clf``.
    """
    explicit = os.environ.get("AECLF_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "arabic_extremism_clf"


def _key(source: bytes) -> str:
    from emoji import __version__ as emoji_version

    parts = [
        hashlib.sha256(source).hexdigest(),
        unicodedata.unidata_version,
        str(emoji_version),
        sys.version.split()[0],
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _from_cache(spec: importlib.machinery.ModuleSpec, payload: dict) -> types.ModuleType:
    from emoji import EMOJI_DATA

    module = importlib.util.module_from_spec(spec)
    module.unicodedata = unicodedata
    module.EMOJI_DATA = EMOJI_DATA
    module.__all__ = list(payload["all"])
    # A set of single characters is stored as one string, a set of longer strings as a
    # list: frozenset() of either gives the members back.
    for name, members in payload["sets"].items():
        if not isinstance(members, (str, list)):
            raise ValueError(f"set {name!r} is neither a str nor a list")
        setattr(module, name, frozenset(members))
    missing = set(module.__all__) - set(payload["sets"])
    if missing:
        raise ValueError(f"the cache lacks {sorted(missing)}")
    return module


def install() -> None:
    """Put ``camel_tools.utils.charsets`` in ``sys.modules``, from the cache when it has
    a valid file, else by importing it (and then writing the cache).

    Does nothing if the module is already imported or the cache is turned off.
    """
    if _MODULE in sys.modules or os.environ.get("AECLF_NO_CHARSET_CACHE") == "1":
        return
    try:
        spec = importlib.util.find_spec(_MODULE)
        if spec is None or not spec.origin or not os.path.isfile(spec.origin):
            return
        key = _key(Path(spec.origin).read_bytes())
    except Exception:  # a cache must never break the import
        logger.debug("charset cache: cannot key %s", _MODULE, exc_info=True)
        return
    path = cache_dir() / f"camel-charsets-{key}.json"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != _FORMAT or payload.get("key") != key:
            raise ValueError("a foreign or stale cache file")
        sys.modules[_MODULE] = _from_cache(spec, payload)
        return
    except FileNotFoundError:
        pass
    except Exception:  # a damaged cache file: import the module and write it again
        logger.debug("charset cache: ignoring %s", path, exc_info=True)
        sys.modules.pop(_MODULE, None)
    module = importlib.import_module(_MODULE)
    _write(path, key, module)


def _payload_sets(module: types.ModuleType) -> dict[str, str | list[str]]:
    sets: dict[str, str | list[str]] = {}
    for name in module.__all__:
        members = sorted(getattr(module, name))
        sets[name] = "".join(members) if all(len(m) == 1 for m in members) else members
    return sets


def _write(path: Path, key: str, module: types.ModuleType) -> None:
    payload = {"format": _FORMAT, "key": key, "all": list(module.__all__)}
    try:
        payload["sets"] = _payload_sets(module)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".charsets-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as fh:
                json.dump(payload, fh, ensure_ascii=True, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # no cache directory: the next start builds the sets again
        logger.debug("charset cache: cannot write %s", path, exc_info=True)
