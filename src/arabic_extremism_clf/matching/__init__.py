"""Known-content matching: find re-posts of reviewed posts under obfuscation.

Signatures (MinHash of character shingles of the normalized text) of posts a reviewer
confirmed are kept in a :class:`SignatureIndex` and shared as a signatures directory
(:func:`save_index` / :func:`load_index`: arrays and a JSON manifest, never the text).
New posts are matched against it: :func:`match_rows` gives, per post, ``None`` or
``{"id", "similarity"}`` of the best known post at or above the threshold.

Needs the ``match`` extra (``datasketch``) only to cross-check signatures: they are
computed here with numpy, value for value as ``datasketch.MinHash`` computes them.
"""

from __future__ import annotations

from typing import Any

from .index import DEFAULT_THRESHOLD, SignatureIndex
from .signatures import MatchParams, match_text, signatures
from .store import SignatureFileError, load_index, read_manifest, save_index

__all__ = [
    "DEFAULT_THRESHOLD",
    "MatchParams",
    "SignatureIndex",
    "SignatureFileError",
    "match_text",
    "signatures",
    "save_index",
    "load_index",
    "read_manifest",
    "match_rows",
]


def match_rows(
    index: SignatureIndex, texts: list[str | None], threshold: float = DEFAULT_THRESHOLD
) -> list[dict[str, Any] | None]:
    """The ``match`` field of each row: ``{"id", "similarity"}`` or None.

    Parameters
    ----------
    index : SignatureIndex
    texts : list of str or None
        The posts of a batch; None (a row that could not be read) gets None.
    threshold : float, default=DEFAULT_THRESHOLD
        Minimum estimated Jaccard similarity, in (0, 1].

    Returns
    -------
    list of dict or None
        One per text, in order.
    """
    present = [i for i, t in enumerate(texts) if t is not None]
    out: list[dict[str, Any] | None] = [None] * len(texts)
    for i, m in zip(present, index.match([texts[i] for i in present], threshold)):
        out[i] = m
    return out
