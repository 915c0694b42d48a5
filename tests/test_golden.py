"""Every consumer of the scoring core writes the same bytes as before the core existed.

The golden files in ``tests/golden/`` were written by the four separate scoring paths
that the scoring core replaced (CLI, library, HTTP service, Dask); see
``tests/golden_cases.py``.
"""

from __future__ import annotations

import pytest
from golden_cases import GOLDEN, cases

pytest.importorskip("fastapi")
pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    return cases(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()))
def test_output_is_byte_identical(outputs, name):
    expected = (GOLDEN / name).read_bytes()
    assert outputs[name] == expected, f"{name} differs from the golden output"


def test_every_case_has_a_golden_file(outputs):
    assert sorted(outputs) == sorted(p.name for p in GOLDEN.iterdir())
