"""Near-duplicate clusters: word-set Jaccard similarity, union-find.

The loaders make them the ``groups`` of grouped cross-validation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

#: Jaccard similarity of word sets at which two Alfifi tweets count as near-duplicates.
NEAR_DUPLICATE_JACCARD = 0.8

_WORD_RE = re.compile(r"\w+")


class _UnionFind:
    """Disjoint sets over ``range(n)``; the root of a set is its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _dedup_words(text: str) -> frozenset[str]:
    """The word set compared for near-duplicates (placeholders, numbers dropped)."""
    from ..preprocess import normalize  # lazy: camel_tools is slow to import

    return frozenset(
        w
        for w in _WORD_RE.findall(normalize(text))
        if len(w) > 1 and not w.isdigit() and w not in ("URL", "USER", "HASHTAG")
    )


def near_duplicate_clusters(
    texts: Sequence[str], threshold: float = NEAR_DUPLICATE_JACCARD
) -> list[int]:
    """Cluster texts whose word sets have a Jaccard similarity >= ``threshold``.

    Candidates are found with prefix filtering (exact for Jaccard: two sets this
    similar share a word among their rarest ``|A| - ceil(t|A|) + 1`` words), then
    verified; clusters are the transitive closure (union-find). Texts with no words
    left after normalization stay alone.

    Parameters
    ----------
    texts : sequence of str
    threshold : float, default 0.8

    Returns
    -------
    list of int
        For each text, the position of the first text of its cluster.
    """
    sets = [_dedup_words(t) for t in texts]
    frequency = Counter(w for s in sets for w in s)
    index: dict[str, list[int]] = {}
    clusters = _UnionFind(len(sets))
    for i, words in enumerate(sets):
        if not words:
            continue
        size = len(words)
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        prefix = ordered[: size - math.ceil(threshold * size - 1e-9) + 1]
        candidates = {j for w in prefix for j in index.get(w, ())}
        for j in candidates:
            other = sets[j]
            if min(size, len(other)) < threshold * max(size, len(other)) - 1e-9:
                continue
            shared = len(words & other)
            if shared >= threshold * (size + len(other) - shared) - 1e-9:
                clusters.union(i, j)
        for w in prefix:
            index.setdefault(w, []).append(i)
    return [clusters.find(i) for i in range(len(sets))]
