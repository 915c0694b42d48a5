"""Shared fixtures of the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Environment variable naming the directory of the shared public corpora.
DATA_DIR_ENV = "AECLF_DATA_DIR"
#: Set to ``1`` (as CI does) to fail, instead of skip, when the corpora are missing.
REQUIRE_DATA_ENV = "AECLF_REQUIRE_DATA"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The directory of the real public corpora.

    ``AECLF_DATA_DIR`` if set, else the repository's sibling ``../shared/data``. When
    it does not exist the test is skipped, or fails if ``AECLF_REQUIRE_DATA=1``.
    """
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    path = (
        Path(env).expanduser() if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not path.is_dir():
        if os.environ.get(REQUIRE_DATA_ENV, "").strip() == "1":
            pytest.fail(
                f"real corpora not found at {path} but {REQUIRE_DATA_ENV}=1: set "
                f"{DATA_DIR_ENV} to the shared data directory (see README)"
            )
        pytest.skip(
            "real corpora not found: set AECLF_DATA_DIR to the shared data directory (see README)"
        )
    return path


@pytest.fixture(scope="session")
def default_set(shared_data_dir):
    """The default recipe's training and held-out sets, built once per session (~15 s)."""
    from arabic_extremism_clf.training import default_training_set

    return default_training_set(shared_data_dir)
