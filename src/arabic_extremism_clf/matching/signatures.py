"""Match text, character shingles and MinHash signatures of posts.

A post goes through three steps:

1. :func:`match_text`: the project's own normalization (:func:`~arabic_extremism_clf.
   preprocess.preprocess`: diacritics, tatweel, stretching, zero-width and bidi
   controls, presentation forms, alef/yeh/teh-marbuta variants, ``RT`` markers, URLs,
   mentions, hashtag signs), then what matching needs beyond it: the placeholder tokens
   (``URL``, ``USER``, ``HASHTAG``), a retweet marker ``rt`` anywhere, and every token
   without a letter or digit (emoji, punctuation) are dropped, and Persian/Urdu look-alike letters are folded onto the
   Arabic ones (:data:`LOOKALIKE_TABLE`). The tokens left are joined by single spaces.
2. :func:`shingle_hashes`: the distinct character ``shingle_size``-grams of the match
   text (spaces included), each hashed with 32-bit FNV-1a over its UTF-32-LE bytes
   (:func:`fnv1a32`).
3. :func:`signatures`: a MinHash of those hashes with datasketch's ``affine32`` scheme
   (``datasketch.MinHash(num_perm, seed, hashfunc=fnv1a32, scheme="affine32")`` fed the
   UTF-32-LE bytes of the shingles gives the same values), computed for a whole batch
   with numpy, then cut to the low ``hash_bits`` bits (b-bit MinHash: 16 bits keep the
   Jaccard estimate within ``2**-16`` of datasketch's, at half the bytes).

Posts with fewer than ``min_shingles`` distinct shingles are "too short": they get no
signature, because a handful of shingles matches unrelated posts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

# The chunk steps of ``preprocess`` (its private helpers, so that the match text is built
# from the very same steps, once per distinct chunk).
from ..preprocess import CACHE_SIZE, PLACEHOLDER_TOKENS, _options_from, _prepare

__all__ = [
    "MatchParams",
    "NORMALIZATION_VERSION",
    "LOOKALIKE_TABLE",
    "match_text",
    "fnv1a32",
    "shingle_hashes",
    "signatures",
    "permutations",
]

#: Version of the match text rules (this module's and those of ``preprocess`` it relies
#: on). Signatures made under another version do not compare; it is stored in every
#: signatures file and checked on load.
NORMALIZATION_VERSION = 1

#: Persian and Urdu letters that look like Arabic ones, folded onto them (the project's
#: normalization already folds alef, alef maksura and teh marbuta variants).
LOOKALIKE_TABLE = {
    0x06A9: "\u0643",  # keheh -> kaf
    0x06AA: "\u0643",  # swash kaf -> kaf
    0x06CC: "\u064a",  # Farsi yeh -> yeh
    0x06D0: "\u064a",  # yeh with two dots below -> yeh
    0x06CD: "\u064a",  # yeh with tail -> yeh
    0x06BE: "\u0647",  # heh doachashmee -> heh
    0x06C1: "\u0647",  # heh goal -> heh
    0x06D5: "\u0647",  # ae -> heh
    0x06C0: "\u0647",  # heh with yeh above -> heh
}
_LOOKALIKE_RE = re.compile("[" + "".join(chr(c) for c in LOOKALIKE_TABLE) + "]")

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
# MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme applies it.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@dataclass(frozen=True)
class MatchParams:
    """The parameters that define a signature and its LSH banding.

    Two signatures compare only when all of these are equal; they are stored in the
    manifest of every signatures file. The defaults are the ones measured in
    ``benchmarks/matching.py`` (see README, "Matching known content").

    Parameters
    ----------
    shingle_size : int, default=4
        Characters per shingle.
    num_perm : int, default=128
        MinHash permutations (values per signature).
    hash_bits : {16, 32}, default=16
        Bits kept of each MinHash value.
    bands : int, default=21
        LSH bands; each band is ``rows`` consecutive values.
    rows : int, default=6
        Values per band; ``bands * rows`` must not exceed ``num_perm``.
    seed : int, default=1
        Seed of the permutations (datasketch's ``seed``).
    min_shingles : int, default=25
        Distinct shingles a post needs to be signed.
    """

    shingle_size: int = 4
    num_perm: int = 128
    hash_bits: int = 16
    bands: int = 21
    rows: int = 6
    seed: int = 1
    min_shingles: int = 25

    def __post_init__(self) -> None:
        for name in ("shingle_size", "num_perm", "bands", "rows", "min_shingles"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name}= must be a positive int, got {value!r}")
        if self.hash_bits not in (16, 32):
            raise ValueError(f"hash_bits= must be 16 or 32, got {self.hash_bits!r}")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            raise ValueError(f"seed= must be an int in [0, 2**32), got {self.seed!r}")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"bands= * rows= must not exceed num_perm=: {self.bands} * {self.rows} > "
                f"{self.num_perm}"
            )

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the stored values."""
        return np.dtype(np.uint16 if self.hash_bits == 16 else np.uint32)

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchParams:
        """Parameters from :meth:`to_dict` output; unknown keys are refused."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown signature parameters: {sorted(unknown)}")
        return cls(**data)


# --- match text ----------------------------------------------------------------------

# Placeholders, and a retweet marker that is not at the start (``preprocess`` drops a
# leading one; Latin text is lower-cased by then).
_DROPPED = PLACEHOLDER_TOKENS | {"rt"}
# The option set of ``preprocess(text)`` (every step on), and the match text of each
# whitespace-separated chunk, memoized like ``preprocess`` memoizes its chunks.
_DEFAULT_OPTIONS = _options_from({})
_CHUNK_MEMO: dict[str, str] = {}


def _content(token: str) -> bool:
    """Whether a token of ``preprocess`` output carries content for matching."""
    return token not in _DROPPED and any(unicodedata.category(c)[0] in "LN" for c in token)


def _chunk_text(chunk: str) -> str:
    """The match text of one chunk: its content tokens, look-alikes folded."""
    out = " ".join(filter(_content, _DEFAULT_OPTIONS.tokens(chunk)))
    if _LOOKALIKE_RE.search(out):
        out = out.translate(LOOKALIKE_TABLE)
    if len(_CHUNK_MEMO) >= CACHE_SIZE:
        _CHUNK_MEMO.clear()
    _CHUNK_MEMO[chunk] = out
    return out


def match_text(text: str) -> str:
    """The text that is shingled: normalized content words joined by single spaces.

    The same as ``" ".join(t for t in preprocess(text) if <t has content>)`` with
    look-alikes folded, computed once per distinct whitespace-separated chunk.

    Parameters
    ----------
    text : str
        One post.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> match_text("RT @someone: الطقس جميل اليوم 🌞!! #الرياض https://example.org")
    'الطقس جميل اليوم الرياض'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a str (one post), got {type(text).__name__}: {text!r:.80}")
    memo = _CHUNK_MEMO
    parts = []
    for chunk in _prepare(text):
        out = memo.get(chunk)
        if out is None:
            out = _chunk_text(chunk)
        if out:
            parts.append(out)
    return " ".join(parts)


# --- shingles ------------------------------------------------------------------------


def fnv1a32(data: bytes) -> int:
    """32-bit FNV-1a hash of bytes: the hash of one shingle's UTF-32-LE bytes.

    Pass it as ``hashfunc`` to ``datasketch.MinHash`` to reproduce the signatures.

    Examples
    --------
    >>> fnv1a32("abc".encode("utf-32-le"))
    4070381781
    """
    h = _FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def shingle_hashes(texts: list[str], shingle_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shingle hashes of match texts, for a batch.

    Parameters
    ----------
    texts : list of str
        Match texts (:func:`match_text` output).
    shingle_size : int
        Characters per shingle. A text shorter than that has no shingle.

    Returns
    -------
    hashes : ndarray of uint32
        The distinct hashes of each text in turn (sorted within a text).
    counts : ndarray of int64
        Number of distinct hashes of each text.
    """
    k = shingle_size
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    n_windows = np.maximum(lengths - k + 1, 0)
    total = int(n_windows.sum())
    if total == 0:
        return np.zeros(0, np.uint32), np.zeros(len(texts), np.int64)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4")
    starts = np.cumsum(lengths) - lengths
    # Window start positions: for each text, starts[i] .. starts[i] + n_windows[i] - 1.
    owner = np.repeat(np.arange(len(texts)), n_windows)
    first = np.cumsum(n_windows) - n_windows
    pos = np.arange(total, dtype=np.int64) - np.repeat(first, n_windows) + starts[owner]
    h = np.full(total, _FNV_OFFSET, dtype=np.uint32)
    prime = np.uint32(_FNV_PRIME)
    mask = np.uint32(0xFF)
    for j in range(k):
        c = codes[pos + j]
        for shift in (0, 8, 16, 24):
            h ^= (c >> np.uint32(shift)) & mask
            h *= prime
    keyed = (owner.astype(np.uint64) << np.uint64(32)) | h.astype(np.uint64)
    keyed.sort()  # (np.unique's hash table is several times slower here)
    if len(keyed) > 1:
        keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))]
    counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(texts))
    return (keyed & np.uint64(0xFFFFFFFF)).astype(np.uint32), counts


# --- MinHash -------------------------------------------------------------------------

_PERMUTATIONS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint32 arrays of datasketch's affine32 permutations.

    Drawn exactly as ``datasketch.MinHash(num_perm, seed, scheme="affine32")`` draws
    them (``numpy.random.RandomState(seed)``: ``a`` odd, ``b`` any), without importing
    datasketch.
    """
    key = (num_perm, seed)
    perms = _PERMUTATIONS.get(key)
    if perms is None:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        perms = _PERMUTATIONS[key] = (a, b)
    return perms


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> np.uint32(s1))
    h = h * np.uint32(m1)
    h = h ^ (h >> np.uint32(s2))
    h = h * np.uint32(m2)
    return h ^ (h >> np.uint32(s3))


# Shingles per block of the (permutations x shingles) product: large enough for numpy's
# vector loops, small enough to stay in cache.
_BLOCK = 4096


def _minhash(hashes: np.ndarray, counts: np.ndarray, params: MatchParams) -> np.ndarray:
    """MinHash values (uint32) of texts with at least one shingle each, in order.

    Blocks of whole texts: ``a * fmix32(h) + b`` (mod 2**32) for every permutation into
    one preallocated (num_perm, block) buffer, then the minimum over each text's columns.
    """
    if len(counts) == 0:
        return np.zeros((0, params.num_perm), np.uint32)
    a, b = permutations(params.num_perm, params.seed)
    a, b = a[:, None], b[:, None]
    mixed = _fmix32(hashes)
    bounds = np.cumsum(counts)
    out = np.empty((params.num_perm, len(counts)), dtype=np.uint32)
    buffer = np.empty((params.num_perm, max(_BLOCK, int(counts.max()))), dtype=np.uint32)
    row, text, n = 0, 0, len(mixed)
    while row < n:
        # The texts that end within this block (at least one, however long).
        last = max(int(np.searchsorted(bounds, min(row + _BLOCK, n), side="right")), text + 1)
        end = int(bounds[last - 1])
        block = buffer[:, : end - row]
        np.multiply(a, mixed[row:end], out=block)
        np.add(block, b, out=block)
        seg = np.concatenate(([0], bounds[text : last - 1] - row))
        np.minimum.reduceat(block, seg, axis=1, out=out[:, text:last])
        row, text = end, last
    return np.ascontiguousarray(out.T)


def signatures(texts: list[str], params: MatchParams) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of a batch of posts.

    Parameters
    ----------
    texts : list of str
        Raw posts (they go through :func:`match_text`).
    params : MatchParams

    Returns
    -------
    sigs : ndarray of shape (n_signed, params.num_perm), dtype ``params.dtype``
        The signatures of the posts with enough content, in input order.
    signed : ndarray of bool, shape (len(texts),)
        Which posts got a signature (False: fewer than ``params.min_shingles``
        distinct shingles).

    Examples
    --------
    >>> sigs, signed = signatures(["الطقس اليوم مشمس وحار في معظم المناطق", "🌞"], MatchParams())
    >>> sigs.shape, signed.tolist()
    ((1, 128), [True, False])
    """
    cleaned = [match_text(t) for t in texts]
    hashes, counts = shingle_hashes(cleaned, params.shingle_size)
    signed = counts >= params.min_shingles
    if not signed.all():
        # Drop the shingles of the short texts before the costly step.
        keep = np.repeat(signed, counts)
        hashes, counts = hashes[keep], counts[signed]
    else:
        counts = counts[signed]
    values = _minhash(hashes, counts, params)
    return values.astype(params.dtype, copy=False), signed
