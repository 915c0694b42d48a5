"""The :class:`Corpus` container and the training labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Training label of a post that promotes a violent extremist group.
PROMOTIONAL = "promotional"

#: Training label of every other post (news, counter-speech, religion, insults...).
NOT_PROMOTIONAL = "not_promotional"

#: Longest lead / snippet cut from a news article: one tweet.
POST_MAX_CHARS = 280


@dataclass(frozen=True)
class Corpus:
    """Texts with labels and per-row provenance; all fields are tuples of one length.

    Parameters
    ----------
    texts : tuple of str
        The posts, as found in the source (not normalized).
    labels : tuple of str
        Training labels (for the public corpora: :data:`PROMOTIONAL` or
        :data:`NOT_PROMOTIONAL`).
    sources : tuple of str
        Source name of each row, e.g. ``"alfifi"``, or the file stem for
        :func:`read_corpus`.
    groups : tuple of str
        Grouping key for grouped cross-validation: rows of one near-duplicate cluster
        share it; otherwise it is unique per row.
    ids : tuple of str
        Row identifiers, unique within one loaded corpus.
    meta : tuple of dict
        Per-row extras (original label, taxonomy tags, date, line number...).

    Raises
    ------
    ValueError
        If the fields differ in length.
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    sources: tuple[str, ...]
    groups: tuple[str, ...]
    ids: tuple[str, ...]
    meta: tuple[dict, ...]

    def __post_init__(self) -> None:
        lengths = {}
        for name in ("texts", "labels", "sources", "groups", "ids", "meta"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                value = tuple(value)
                object.__setattr__(self, name, value)
            lengths[name] = len(value)
        if len(set(lengths.values())) > 1:
            detail = ", ".join(f"{name}={n}" for name, n in lengths.items())
            raise ValueError(f"Corpus fields must all have the same length, got {detail}")

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k!r}: {v}" for k, v in sorted(Counter(self.labels).items()))
        sources = ", ".join(sorted(set(self.sources)))
        return f"Corpus({len(self)} rows, labels {{{counts}}}, sources [{sources}])"

    def subset(self, index: Iterable[int] | Iterable[bool]) -> Corpus:
        """Select rows by position or by boolean mask.

        Parameters
        ----------
        index : iterable of int, or iterable of bool
            Row positions (any order, repeats allowed, negative positions count from
            the end), or a boolean mask of ``len(self)`` values. NumPy arrays work.

        Returns
        -------
        Corpus

        Raises
        ------
        ValueError
            If a boolean mask does not have one value per row.
        IndexError
            If a position is out of range.
        TypeError
            If an element is neither a bool nor an integer.
        """
        positions = _positions(index, len(self))
        return Corpus(
            texts=tuple(self.texts[i] for i in positions),
            labels=tuple(self.labels[i] for i in positions),
            sources=tuple(self.sources[i] for i in positions),
            groups=tuple(self.groups[i] for i in positions),
            ids=tuple(self.ids[i] for i in positions),
            meta=tuple(self.meta[i] for i in positions),
        )

    @staticmethod
    def concat(corpora: Iterable[Corpus]) -> Corpus:
        """Concatenate corpora, in order.

        Parameters
        ----------
        corpora : iterable of Corpus

        Returns
        -------
        Corpus
            All rows; empty if ``corpora`` is empty.
        """
        fields: dict[str, list[Any]] = {
            name: [] for name in ("texts", "labels", "sources", "groups", "ids", "meta")
        }
        for corpus in corpora:
            if not isinstance(corpus, Corpus):
                raise TypeError(
                    f"Corpus.concat expects Corpus objects, got {type(corpus).__name__}"
                )
            for name, values in fields.items():
                values.extend(getattr(corpus, name))
        return Corpus(**{name: tuple(values) for name, values in fields.items()})


def _positions(index: Iterable[int] | Iterable[bool], n: int) -> list[int]:
    """Row positions from positions or a boolean mask (lists or NumPy arrays)."""
    dtype = getattr(index, "dtype", None)
    items = list(index)
    is_mask = (dtype is not None and dtype.kind == "b") or (
        dtype is None and bool(items) and all(isinstance(x, bool) for x in items)
    )
    if is_mask:
        if len(items) != n:
            raise ValueError(f"boolean mask has {len(items)} values, the corpus has {n} rows")
        return [i for i, keep in enumerate(items) if keep]
    positions = []
    for x in items:
        if isinstance(x, bool):
            raise TypeError("index mixes booleans and integers: pass a mask or positions")
        try:
            positions.append(x.__index__())
        except AttributeError:
            raise TypeError(f"index elements must be integers, got {type(x).__name__}") from None
    for p in positions:
        if not -n <= p < n:
            raise IndexError(f"row position {p} is out of range for a corpus of {n} rows")
    return positions
