"""Tests of DataFrame scoring: score_pandas, and score_dataframe on a real Dask cluster.

A ``distributed.LocalCluster`` with two worker processes scores a partitioned Parquet
data set written to a temporary directory: every row comes back, with the answers of
local scoring, and each worker unpickles the model once, not once per partition.
Neutral toy corpus (sport vs weather).
"""

from __future__ import annotations

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from arabic_extremism_clf.dask_scoring import (  # noqa: E402
    score_columns,
    score_dataframe,
    score_pandas,
)
from arabic_extremism_clf.model import ExtremismClassifier  # noqa: E402

SPORT = [
    "فاز الفريق بالمباراة",
    "سجل اللاعب هدفا رائعا في المباراة",
    "الفريق بطل الدوري",
    "الجمهور يشجع الفريق في الملعب",
]
WEATHER = [
    "طقس ممطر اليوم",
    "درجات الحرارة مرتفعة اليوم",
    "رياح قوية وغيوم كثيفة",
    "أمطار غزيرة في المساء",
]

# Unpickling counter: the class is pickled by reference, so the worker processes import
# this test module, and each keeps its own count.
_LOADS = [0]


class CountingClassifier(ExtremismClassifier):
    """An ExtremismClassifier that counts how often it is unpickled in this process."""

    def __setstate__(self, state):
        _LOADS[0] += 1
        super().__setstate__(state)


def _loads() -> int:
    return _LOADS[0]


@pytest.fixture(scope="module")
def model() -> CountingClassifier:
    clf = CountingClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    return clf.fit(SPORT + WEATHER, ["sport"] * 4 + ["weather"] * 4)


def _frame(n: int) -> pd.DataFrame:
    posts = SPORT + WEATHER
    texts = [f"{posts[i % len(posts)]} {i}" for i in range(n)]
    texts[3] = None
    texts[11] = "  "
    return pd.DataFrame({"id": np.arange(n), "text": texts, "lang": "ar"})


def test_score_pandas_matches_classify(model):
    df = _frame(40).set_index("id")
    out = score_pandas(df, "text", model, batch_size=7)
    assert list(out.columns) == ["text", "lang", *score_columns(model)]
    assert out.index.equals(df.index)
    good = [i for i in range(40) if i not in (3, 11)]
    expected = model.classify([df["text"].iloc[i] for i in good])
    assert out["label"].iloc[good].tolist() == [p.label for p in expected]
    assert out["confidence"].iloc[good].tolist() == [p.confidence for p in expected]
    assert out["score_sport"].iloc[good].tolist() == [p.scores["sport"] for p in expected]
    assert out["error"].iloc[[3, 11]].tolist() == ["text is null", "empty post"]
    assert out["label"].iloc[[3, 11]].isna().all() and out["confidence"].iloc[[3, 11]].isna().all()
    assert out["error"].iloc[good].isna().all()
    assert df.columns.tolist() == ["text", "lang"]  # the input is not modified


def test_score_pandas_threshold_prefix_and_clashes(model):
    df = _frame(12)
    assert set(score_pandas(df, model=model, threshold=0.0)["label"].dropna()) == {"sport"}
    prefixed = score_pandas(df, model=model, prefix="aeclf_")
    assert "aeclf_label" in prefixed and "aeclf_score_weather" in prefixed
    with pytest.raises(ValueError, match="prefix="):
        score_pandas(prefixed.rename(columns={"aeclf_error": "error"}), model=model)
    with pytest.raises(KeyError, match="text_col="):
        score_pandas(df, "body", model)
    empty = score_pandas(df.iloc[:0], model=model)
    assert len(empty) == 0 and list(empty.columns) == list(
        prefixed.columns.str.removeprefix("aeclf_")
    )


def test_score_dataframe_on_a_local_cluster(tmp_path, model):
    df = _frame(3000)
    path = tmp_path / "posts"
    dd.from_pandas(df, npartitions=10).to_parquet(path, write_index=False)
    local = score_pandas(df, "text", model)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ddf = dd.read_parquet(path)
        assert ddf.npartitions == 10
        scored = score_dataframe(ddf, "text", model)
        assert list(scored.columns) == ["id", "text", "lang", *score_columns(model)]
        result = scored.compute()
        loads = client.run(_loads)
    # Every row back, once, with the answers of local scoring.
    assert len(result) == len(df)
    result = result.sort_values("id").reset_index(drop=True)
    assert result["id"].tolist() == list(range(3000))
    for name in score_columns(model):
        if name in ("label", "error"):
            assert result[name].fillna("").tolist() == local[name].fillna("").tolist(), name
        else:
            np.testing.assert_array_equal(result[name].to_numpy(), local[name].to_numpy())
    # The model went to each worker once, not once per partition.
    assert len(loads) == 2 and all(n <= 1 for n in loads.values()), loads
    assert sum(loads.values()) >= 1


def test_score_dataframe_declares_its_metadata_lazily(model):
    ddf = dd.from_pandas(_frame(50), npartitions=3)
    scored = score_dataframe(ddf, "text", model)
    assert scored.npartitions == 3
    assert scored.dtypes["confidence"] == np.float64
    assert scored.dtypes["score_weather"] == np.float64
    # The synchronous scheduler gives the same frame as pandas.
    computed = scored.compute(scheduler="sync")
    local = score_pandas(_frame(50), "text", model)
    assert computed["label"].fillna("").tolist() == local["label"].fillna("").tolist()
    np.testing.assert_array_equal(computed["confidence"].to_numpy(), local["confidence"].to_numpy())
    with pytest.raises(ValueError, match="threshold"):
        score_dataframe(ddf, "text", model, threshold=2.0)
