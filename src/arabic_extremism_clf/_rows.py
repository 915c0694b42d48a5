"""Sparse feature rows without scipy: CSR arrays and the row sums that scoring needs.

Scoring a post only needs its TF-IDF row normalized and multiplied by the coefficients,
so the scoring path keeps the three CSR arrays in a :class:`Rows` and never imports
scipy or scikit-learn (together about 1 s of start-up and 170 MB of memory); a scipy
matrix is built only when one is asked for (:meth:`Rows.to_csr`).

The results are bit-identical to scikit-learn's ``normalize`` and scipy's ``csr @
dense``: both sum each row from 0.0, left to right, in a C loop, and so does
:func:`row_sums` (a ``cumsum`` down the columns of a padded block, never numpy's
pairwise summation).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["Rows", "row_sums", "l2_normalize_rows", "norm_floor_value", "hstack_rows"]


class Rows(NamedTuple):
    """A CSR matrix as plain arrays: row ``i`` is ``data[indptr[i]:indptr[i + 1]]``."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, matrix: Any) -> Rows:
        """The rows of a :class:`Rows` (itself) or of any scipy sparse matrix (as CSR)."""
        if isinstance(matrix, Rows):
            return matrix
        import scipy.sparse as sp  # a caller holding a scipy matrix has scipy loaded

        csr = sp.csr_matrix(matrix)
        return cls(csr.data, csr.indices, csr.indptr, csr.shape)

    def to_csr(self) -> Any:
        """The same matrix as a ``scipy.sparse.csr_matrix`` (sharing the arrays)."""
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """``self @ coef.T`` for a dense ``coef`` of shape (n_outputs, n_features).

        Returns
        -------
        ndarray of shape (n_rows, n_outputs)
        """
        out = np.empty((self.shape[0], coef.shape[0]))
        for k, weights in enumerate(coef):
            out[:, k] = row_sums(self.data * weights[self.indices], self.indptr)
        return out


def row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of each row's values, from 0.0, left to right (as a C loop sums them).

    Rows are grouped by length (powers of two), each group laid out column by column in
    a zero-padded block whose ``cumsum`` down the rows gives every row's running sum:
    adding the padding zeros leaves a sum unchanged, and the padding is at most the
    group's own size.

    Parameters
    ----------
    values : ndarray of float64
    indptr : ndarray of int
        Row ``i`` is ``values[indptr[i]:indptr[i + 1]]``.

    Returns
    -------
    ndarray of shape (len(indptr) - 1,)

    Examples
    --------
    >>> row_sums(np.array([1e16, 1.0, 1.0, 2.0]), np.array([0, 3, 3, 4]))
    array([1.e+16, 0.e+00, 2.e+00])
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    lengths = np.diff(indptr)
    sums = np.zeros(lengths.size)
    if not values.size:
        return sums
    _, group = np.frexp(lengths)  # lengths in [2**(g-1), 2**g) share group g; 0 -> 0
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(1, group.max() + 2))
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        if start == end:
            continue
        rows = order[start:end]
        row_lengths = lengths[rows]
        width = int(row_lengths.max())
        total = int(row_lengths.sum())
        # Position of every value in its row, and its row's column in the block.
        column = np.repeat(np.arange(rows.size), row_lengths)
        position = np.arange(total) - np.repeat(np.cumsum(row_lengths) - row_lengths, row_lengths)
        block = np.zeros((width + 1, rows.size))  # row 0: the 0.0 every sum starts from
        block[position + 1, column] = values[np.repeat(indptr[rows], row_lengths) + position]
        sums[rows] = np.cumsum(block, axis=0)[-1]
    return sums


def l2_normalize_rows(data: np.ndarray, indptr: np.ndarray, floor: float = 0.0) -> None:
    """Divide each row of ``data`` by its L2 norm, in place, as scikit-learn's
    ``normalize(csr, norm="l2")`` does (rows of norm 0 are left as they are).

    With ``floor > 0``, a row is divided by ``max(norm, floor)``: a row with less
    weight than ``floor`` keeps a norm below 1 instead of being scaled up to unit length
    (see :func:`norm_floor_value`).
    """
    norms = np.sqrt(row_sums(data * data, indptr))
    if floor > 0.0:
        np.maximum(norms, floor, out=norms)
    norms[norms == 0.0] = 1.0  # x / 1.0 == x: the rows sklearn skips stay unchanged
    data /= np.repeat(norms, np.diff(indptr))


def norm_floor_value(n_terms: float, idf: np.ndarray) -> float:
    """The norm floor of a block of TF-IDF features: the L2 norm of ``n_terms`` distinct
    terms, each seen once and of the block's median IDF.

    Examples
    --------
    >>> norm_floor_value(4, np.array([1.0, 2.0, 3.0]))
    4.0
    >>> norm_floor_value(0, np.array([1.0, 2.0]))
    0.0
    """
    if n_terms <= 0 or idf.size == 0:
        return 0.0
    return float(np.sqrt(n_terms) * np.median(idf))


def hstack_rows(blocks: list[Rows]) -> Rows:
    """The blocks side by side, each row's entries block after block (``sp.hstack``).

    Parameters
    ----------
    blocks : list of Rows
        With the same number of rows.

    Returns
    -------
    Rows
    """
    if len(blocks) == 1:
        return blocks[0]
    n_rows = blocks[0].shape[0]
    lengths = np.stack([np.diff(b.indptr) for b in blocks])  # (n_blocks, n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths.sum(axis=0), out=indptr[1:])
    total = int(indptr[-1])
    data = np.empty(total)
    index_dtype = np.int32 if sum(b.shape[1] for b in blocks) < 2**31 else np.int64
    indices = np.empty(total, dtype=index_dtype)
    offset = 0
    before = np.zeros(n_rows, dtype=np.int64)  # entries of earlier blocks in each row
    for block, block_lengths in zip(blocks, lengths):
        starts = indptr[:-1] + before
        where = np.repeat(starts - block.indptr[:-1], block_lengths) + np.arange(block.data.size)
        data[where] = block.data
        indices[where] = block.indices + offset
        offset += block.shape[1]
        before += block_lengths
    return Rows(data, indices, indptr, (n_rows, offset))
