"""An in-memory LSH index of MinHash signatures, with verified best matches.

Banding (the LSH of datasketch's ``MinHashLSH``, done with numpy for whole batches):
the signature is cut into ``bands`` bands of ``rows`` values; each band is reduced to a
64-bit key; two posts become candidates when any band key is equal, which happens with
probability ``1 - (1 - J**rows)**bands`` for a Jaccard similarity ``J`` of their shingle
sets. Each band is a sorted array of keys with the positions of its signatures, searched
with :func:`numpy.searchsorted`. Every candidate is then verified: its similarity is the
share of equal signature values (the MinHash estimate of ``J``, corrected for the chance
agreement of ``hash_bits``-bit values), and the best one at or above the threshold wins
(ties: the one indexed first).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .signatures import MatchParams, signatures

__all__ = ["SignatureIndex", "DEFAULT_THRESHOLD"]

log = logging.getLogger(__name__)

#: The default match threshold on the estimated Jaccard similarity (see README: chosen
#: with ``benchmarks/matching.py``).
DEFAULT_THRESHOLD = 0.7

_KEY_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _check_threshold(threshold: float) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold= must be a number, got {threshold!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold= must be in (0, 1], got {threshold!r}")
    return float(threshold)


def _ids_array(ids: Sequence[Any]) -> np.ndarray:
    """Ids as an int64 array when all are ints, else an array of str."""
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iu":
        return ids.astype(np.int64)
    ids = list(ids)
    if all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in ids):
        return np.array(ids, dtype=np.int64)
    return np.array([str(i) for i in ids], dtype=object)


class SignatureIndex:
    """Signatures of known posts with their ids, searchable by LSH.

    Parameters
    ----------
    params : MatchParams, optional
        The signature and banding parameters (default: ``MatchParams()``).

    Attributes
    ----------
    params : MatchParams
    signatures : ndarray of shape (n, params.num_perm)
    ids : ndarray
        int64 when every id is an int, else str objects.

    Examples
    --------
    >>> index = SignatureIndex()
    >>> index.add_texts(["الطقس اليوم مشمس وحار في معظم مناطق المملكة"], ids=[7])
    array([ True])
    >>> index.match(["الطقس اليوم مشمس وحار جدا في معظم مناطق المملكة 🌞"])[0]["id"]
    7
    """

    def __init__(self, params: MatchParams | None = None) -> None:
        self.params = params if params is not None else MatchParams()
        self.signatures = np.zeros((0, self.params.num_perm), dtype=self.params.dtype)
        self.ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._bands: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.signatures)

    # --- building --------------------------------------------------------------------

    def add(self, sigs: np.ndarray, ids: Sequence[Any]) -> None:
        """Add signatures (from :func:`signatures` with the same params) and their ids.

        The first array added to an empty index is kept as it is, not copied.
        """
        sigs = np.asarray(sigs)
        if sigs.ndim != 2 or sigs.shape[1] != self.params.num_perm:
            raise ValueError(
                f"signatures must have shape (n, {self.params.num_perm}), got {sigs.shape}"
            )
        if sigs.dtype != self.params.dtype:
            raise ValueError(f"signatures must be {self.params.dtype}, got {sigs.dtype}")
        if len(ids) != len(sigs):
            raise ValueError(f"{len(ids)} ids for {len(sigs)} signatures")
        new_ids = _ids_array(ids)
        if len(self) == 0:
            merged_ids = new_ids
        elif self.ids.dtype == new_ids.dtype:
            merged_ids = np.concatenate([self.ids, new_ids])
        else:  # ints and strings: all become strings
            merged_ids = np.array(
                [str(i) for i in [*self.ids.tolist(), *new_ids.tolist()]], dtype=object
            )
        self.signatures = np.concatenate([self.signatures, sigs]) if len(self) else sigs
        self.ids = merged_ids
        self._bands = None

    def add_texts(self, texts: list[str], ids: Sequence[Any]) -> np.ndarray:
        """Sign posts and add those with enough content.

        Returns
        -------
        ndarray of bool
            Which posts were added (False: too little content, see ``min_shingles``).
        """
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        sigs, signed = signatures(texts, self.params)
        self.add(sigs, [i for i, keep in zip(ids, signed) if keep])
        return signed

    def merge(self, other: SignatureIndex) -> None:
        """Add all signatures of ``other`` (same parameters) after this index's."""
        if other.params != self.params:
            raise ValueError(
                f"cannot merge indexes with different parameters: {self.params.to_dict()} "
                f"vs {other.params.to_dict()}"
            )
        if len(other):
            self.add(other.signatures, other.ids)

    # --- banding ---------------------------------------------------------------------

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """(bands, n) uint64 keys: each band's values folded by xor-multiply."""
        p = self.params
        keys = np.empty((p.bands, len(sigs)), dtype=np.uint64)
        for band in range(p.bands):
            key = np.full(len(sigs), band + 1, dtype=np.uint64)
            for col in range(band * p.rows, (band + 1) * p.rows):
                key ^= sigs[:, col]  # a column at a time: no uint64 copy of every value
                key *= _KEY_MULTIPLIER
            keys[band] = key ^ (key >> np.uint64(29))
        return keys

    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        if self._bands is None:
            keys = self._band_keys(self.signatures)
            order = np.empty(keys.shape, dtype=np.uint32 if len(self) < 2**32 else np.int64)
            for band in range(len(keys)):  # one band at a time: small transient copies
                position = np.argsort(keys[band], kind="stable")
                keys[band] = keys[band][position]
                order[band] = position
            self._bands = (keys, order)
        return self._bands

    def build(self) -> None:
        """Build the band tables now (they are otherwise built by the first query)."""
        self._tables()

    @property
    def nbytes(self) -> int:
        """Bytes held by the signatures, ids and band tables."""
        total = self.signatures.nbytes + self.ids.nbytes
        if self.ids.dtype == object:
            total += sum(len(i) for i in self.ids.tolist()) + 49 * len(self.ids)
        if self._bands is not None:
            total += self._bands[0].nbytes + self._bands[1].nbytes
        return total

    # --- queries ---------------------------------------------------------------------

    def _candidates(self, qsigs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (query, indexed) position pairs that share at least one band key."""
        keys, order = self._tables()
        qkeys = self._band_keys(qsigs)
        queries, hits = [], []
        # The query keys in sorted order: numpy's binary search then starts from the
        # previous answer, which keeps it in cache.
        by_key = np.argsort(qkeys, axis=1)
        last = len(self) - 1
        for band in range(self.params.bands):
            table = keys[band]
            q = by_key[band]
            needles = qkeys[band][q]
            lo = np.searchsorted(table, needles, side="left")
            hit = table[np.minimum(lo, last)] == needles
            if not hit.any():
                continue
            found, lo = q[hit], lo[hit]
            n = np.searchsorted(table, needles[hit], side="right") - lo
            total = int(n.sum())
            within = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
            queries.append(np.repeat(found, n))
            hits.append(order[band][np.repeat(lo, n) + within])
        if not queries:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        pair = np.concatenate(queries).astype(np.int64) * len(self) + np.concatenate(hits)
        pair.sort()
        pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]
        return pair // len(self), pair % len(self)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Estimated Jaccard similarity of rows of two signature arrays of one shape."""
        agree = (a == b).mean(axis=-1)
        chance = 2.0**-self.params.hash_bits
        return np.clip((agree - chance) / (1.0 - chance), 0.0, 1.0)

    def query(
        self, qsigs: np.ndarray, threshold: float = DEFAULT_THRESHOLD
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best indexed match of each query signature.

        Parameters
        ----------
        qsigs : ndarray of shape (n_queries, params.num_perm)
        threshold : float, default=DEFAULT_THRESHOLD
            Minimum estimated Jaccard similarity of a match, in (0, 1].

        Returns
        -------
        best : ndarray of int64
            Position in the index of the best match, -1 for none.
        similarity : ndarray of float64
            Its estimated similarity (0.0 for none).
        """
        threshold = _check_threshold(threshold)
        qsigs = np.asarray(qsigs, dtype=self.params.dtype)
        best = np.full(len(qsigs), -1, dtype=np.int64)
        sim = np.zeros(len(qsigs))
        if not len(self) or not len(qsigs):
            return best, sim
        q, hit = self._candidates(qsigs)
        if not len(q):
            return best, sim
        s = self.similarity(self.signatures[hit], qsigs[q])
        ok = s >= threshold
        q, hit, s = q[ok], hit[ok], s[ok]
        first = np.lexsort((hit, -s, q))
        q, hit, s = q[first], hit[first], s[first]
        lead = np.concatenate(([True], q[1:] != q[:-1])) if len(q) else np.zeros(0, bool)
        best[q[lead]] = hit[lead]
        sim[q[lead]] = s[lead]
        return best, sim

    def match(
        self, texts: Iterable[str], threshold: float = DEFAULT_THRESHOLD
    ) -> list[dict[str, Any] | None]:
        """The best known post of each text: ``{"id", "similarity"}`` or None.

        None also for a text with too little content to match (``min_shingles``).
        """
        texts = list(texts)
        threshold = _check_threshold(threshold)
        out: list[dict[str, Any] | None] = [None] * len(texts)
        qsigs, signed = signatures(texts, self.params)
        best, sim = self.query(qsigs, threshold)
        ids = self.ids
        for position, b, s in zip(np.flatnonzero(signed).tolist(), best.tolist(), sim.tolist()):
            if b >= 0:
                out[position] = {
                    "id": ids[b].item() if ids.dtype != object else ids[b],
                    "similarity": round(s, 4),
                }
        return out
