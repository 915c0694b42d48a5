"""Score pandas and Dask DataFrames: the answers of local scoring, on one machine or many.

* :func:`score_pandas` scores the text column of a pandas DataFrame and returns it with
  ``label``, ``confidence``, one ``score_<label>`` column per label and ``error``. It is
  the function to give Spark's ``mapInPandas`` (see the README).
* :func:`score_dataframe` does the same to a Dask DataFrame, partition by partition,
  lazily; the model is shipped once to each worker, not once per partition.

Both adapt a frame to the scoring core (:func:`~.core.score_batch`) and back.
Needs the ``dask`` extra (``pip install 'arabic-extremism-clf[dask]'``); the module
imports Dask only when :func:`score_dataframe` is called.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from ..labels import check_threshold
from .core import resolve_model, score_batch
from .files import DEFAULT_BATCH_SIZE, check_batch_size

__all__ = ["score_pandas", "score_dataframe", "score_columns"]

logger = logging.getLogger(__name__)


def _import_pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the dask extra
        raise ImportError(
            "scoring DataFrames needs pandas: pip install 'arabic-extremism-clf[dask]'"
        ) from exc
    return pd


def score_columns(model: Any, *, prefix: str = "") -> list[str]:
    """The columns :func:`score_pandas` adds, in order.

    Parameters
    ----------
    model : ExtremismClassifier
    prefix : str, default=""

    Returns
    -------
    list of str
        ``label``, ``confidence``, ``score_<label>`` for every label, ``error``.
    """
    scores = [f"{prefix}score_{c}" for c in model.classes_]
    return [f"{prefix}label", f"{prefix}confidence", *scores, f"{prefix}error"]


def _text_error(value: Any, isna: Any) -> str | None:
    if isinstance(value, str):
        return None if value.strip() else "empty post"
    try:
        if isna(value) is True:
            return "text is null"
    except (TypeError, ValueError):  # pragma: no cover - pd.isna accepts any object
        pass
    return f"text is {type(value).__name__}, expected a string"


def score_pandas(
    df: Any,
    text_col: str = "text",
    model: Any = None,
    *,
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prefix: str = "",
) -> Any:
    """Score the posts of a pandas DataFrame; every row comes back, in order.

    Parameters
    ----------
    df : pandas.DataFrame
    text_col : str, default="text"
        The column of the posts.
    model : ExtremismClassifier or None
        A fitted classifier; None loads the shipped model.
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    batch_size : int, default=1000
        Posts scored at a time.
    prefix : str, default=""
        Prepended to the names of the added columns.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` (same index) with the columns of :func:`score_columns`:
        ``label`` (str), ``confidence`` and ``score_<label>`` (float64), and
        ``error`` (str). A row whose text is null, not a string or empty gets an
        ``error`` and missing values in the other added columns.

    Raises
    ------
    KeyError
        If ``text_col`` is not a column.
    ValueError
        If an added column would replace a column of ``df`` (pass ``prefix=``).

    Examples
    --------
    >>> import pandas as pd
    >>> from arabic_extremism_clf import load_model
    >>> clf = load_model()  # the shipped model
    >>> out = score_pandas(pd.DataFrame({"text": ["مباراة الفريق", None]}), model=clf)
    >>> out["label"].tolist()[0], out["error"].tolist()[1]
    ('not_promotional', 'text is null')
    """
    pd = _import_pandas()
    model = resolve_model(model)
    if threshold is not None:
        check_threshold(threshold)
    check_batch_size(batch_size)
    if text_col not in df.columns:
        raise KeyError(
            f"no column {text_col!r} in the DataFrame (it has {list(df.columns)[:20]}): pass "
            "text_col= naming the column of the posts"
        )
    added = score_columns(model, prefix=prefix)
    clash = [c for c in added if c in df.columns]
    if clash:
        raise ValueError(
            f"the DataFrame already has the columns {clash}: pass prefix= to name the "
            "added columns differently"
        )
    classes = [str(c) for c in model.classes_]
    values = df[text_col].tolist()
    errors = [_text_error(v, pd.isna) for v in values]
    good = [i for i, e in enumerate(errors) if e is None]
    n = len(values)
    proba = np.full((n, len(classes)), np.nan)
    labels: list[Any] = [None] * n
    for start in range(0, len(good), batch_size):
        rows = good[start : start + batch_size]
        scores = score_batch(model, [values[i] for i in rows], threshold=threshold)
        proba[rows] = scores.proba
        for i, label in zip(rows, scores.labels):
            labels[i] = label
    column = {label: k for k, label in enumerate(classes)}
    confidence = np.full(n, np.nan)
    for i in good:
        confidence[i] = proba[i, column[labels[i]]]
    out = df.copy()
    out[added[0]] = pd.Series(labels, index=df.index, dtype="str")
    out[added[1]] = confidence
    for k, name in enumerate(added[2:-1]):
        out[name] = proba[:, k]
    out[added[-1]] = pd.Series(errors, index=df.index, dtype="str")
    return out


def _score_partition(df: Any, model: Any, text_col: str, threshold: float | None,
                     batch_size: int, prefix: str) -> Any:  # fmt: skip
    """Worker side: one partition (``model`` arrives as the worker's copy)."""
    return score_pandas(
        df, text_col, model, threshold=threshold, batch_size=batch_size, prefix=prefix
    )


def score_dataframe(
    ddf: Any,
    text_col: str = "text",
    model: Any = None,
    *,
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prefix: str = "",
) -> Any:
    """Score a Dask DataFrame partition by partition, lazily.

    The model is put in the task graph once, as a single ``dask.delayed`` object on
    which every partition's task depends, instead of being pickled into every task.
    With ``dask.distributed``, the worker that runs that one task holds the model and
    every other worker fetches it once, the first time one of its partitions needs it,
    and keeps it for its later partitions (warm memos included). (Broadcasting it first
    with ``client.scatter(model, broadcast=True)`` would send it to every worker
    even if some get no partition, and would tie this function to a distributed
    ``Client``; the delayed object works with every Dask scheduler.)

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
    text_col : str, default="text"
    model : ExtremismClassifier or None
        A fitted classifier; None loads the shipped model (here, once).
    threshold : float or None
    batch_size : int, default=1000
    prefix : str, default=""

    Returns
    -------
    dask.dataframe.DataFrame
        ``ddf`` with the columns of :func:`score_pandas` (metadata declared, nothing
        computed yet); the same divisions and partitions.

    Raises
    ------
    ImportError
        If Dask is not installed.
    """
    try:
        import dask
    except ImportError as exc:
        raise ImportError(
            "score_dataframe needs Dask: pip install 'arabic-extremism-clf[dask]'"
        ) from exc
    model = resolve_model(model)
    if threshold is not None:
        check_threshold(threshold)
    check_batch_size(batch_size)
    # The metadata: the same function on the empty frame Dask keeps as a sample.
    meta = score_pandas(
        ddf._meta, text_col, model, threshold=threshold, batch_size=batch_size, prefix=prefix
    )
    shipped = dask.delayed(model, pure=True, traverse=False)
    return ddf.map_partitions(
        _score_partition,
        shipped,
        text_col,
        threshold,
        batch_size,
        prefix,
        meta=meta,
        align_dataframes=False,
    )
