"""The scipy-free CSR rows of the scoring path sum exactly as scipy and scikit-learn do."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from arabic_extremism_clf._rows import (
    Rows,
    hstack_rows,
    l2_normalize_rows,
    norm_floor_value,
    row_sums,
)


def _random_csr(seed: int, n_rows: int = 200, n_cols: int = 5_000, longest: int = 3_000):
    """Rows of every length from 0 to ``longest`` (several length groups, empty rows)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 60, n_rows)
    lengths[:4] = [0, 1, longest, 7]
    lengths[rng.integers(0, n_rows, 5)] = rng.integers(100, longest, 5)
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = rng.integers(0, n_cols, indptr[-1])
    # Values over many magnitudes, so that the order of summation shows in the last bits.
    data = rng.standard_normal(indptr[-1]) * 10.0 ** rng.integers(-8, 8, indptr[-1])
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))


def _sequential(values, indptr):
    out = []
    for start, end in zip(indptr[:-1], indptr[1:]):
        total = 0.0
        for value in values[start:end].tolist():
            total += value
        out.append(total)
    return np.array(out)


@pytest.mark.parametrize("seed", [0, 1])
def test_row_sums_add_left_to_right(seed):
    matrix = _random_csr(seed)
    expected = _sequential(matrix.data, matrix.indptr)
    got = row_sums(matrix.data, matrix.indptr)
    assert np.array_equal(got, expected)
    # ... which numpy's pairwise summation does not: the check can fail.
    pairwise = np.add.reduceat(matrix.data, matrix.indptr[:-1][np.diff(matrix.indptr) > 0])
    assert not np.array_equal(pairwise, expected[np.diff(matrix.indptr) > 0])


def test_row_sums_of_nothing():
    assert row_sums(np.zeros(0), np.array([0, 0, 0])).tolist() == [0.0, 0.0]
    assert row_sums(np.zeros(0), np.array([0])).shape == (0,)


@pytest.mark.parametrize("seed", [0, 1])
def test_l2_normalize_rows_is_sklearns(seed):
    matrix = _random_csr(seed)
    expected = normalize(matrix, copy=True)
    data = matrix.data.copy()
    l2_normalize_rows(data, matrix.indptr)
    assert np.array_equal(data, expected.data)


def test_l2_normalize_rows_with_a_floor_only_shrinks_light_rows():
    matrix = _random_csr(0)
    norms = np.sqrt(row_sums(matrix.data**2, matrix.indptr))
    floor = float(np.median(norms[norms > 0]))
    data = matrix.data.copy()
    l2_normalize_rows(data, matrix.indptr, floor)
    got = np.sqrt(row_sums(data**2, matrix.indptr))
    heavy, light = norms >= floor, (norms > 0) & (norms < floor)
    assert heavy.any() and light.any()
    np.testing.assert_allclose(got[heavy], 1.0)
    np.testing.assert_allclose(got[light], norms[light] / floor)
    assert np.all(got[norms == 0] == 0)
    plain = matrix.data.copy()
    l2_normalize_rows(plain, matrix.indptr, 0.0)
    assert np.array_equal(plain, normalize(matrix, copy=True).data)


def test_norm_floor_value_is_the_norm_of_median_idf_terms():
    idf = np.array([1.0, 2.0, 9.0])
    assert norm_floor_value(9, idf) == 6.0
    assert norm_floor_value(0, idf) == 0.0
    assert norm_floor_value(5, np.zeros(0)) == 0.0


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_dot_is_scipys_product(n_outputs):
    matrix = _random_csr(2)
    coef = np.random.default_rng(3).standard_normal((n_outputs, matrix.shape[1]))
    expected = np.asarray(matrix @ coef.T)
    assert np.array_equal(Rows.of(matrix).dot(coef), expected)


def test_hstack_rows_is_scipys_hstack():
    left, right = _random_csr(4, n_cols=300), _random_csr(5, n_cols=700)
    expected = sp.hstack([left, right], format="csr")
    got = hstack_rows([Rows.of(left), Rows.of(right)])
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    back = got.to_csr()
    assert isinstance(back, sp.csr_matrix) and (back != expected).nnz == 0
