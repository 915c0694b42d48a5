"""Score a Spark DataFrame: :func:`score_pandas` on every Arrow batch, through ``mapInPandas``.

The model is pickled once on the driver and broadcast: each executor fetches the bytes
once, and each Python worker unpickles them the first time one of its tasks needs the
model and keeps it (Spark reuses its Python workers between tasks by default), so a
task never carries the model in its closure.

Needs the ``spark`` extra (``pip install 'arabic-extremism-clf[spark]'``) and Java 17;
this module imports pyspark only when :func:`score_spark` is called.
"""

from __future__ import annotations

import pickle
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from ..labels import check_threshold
from .core import resolve_model
from .files import DEFAULT_BATCH_SIZE, check_batch_size
from .frames import score_columns, score_pandas

__all__ = ["score_spark"]

# The model of this Python worker, by the key of its broadcast: one at a time, so that
# a worker reused by a later job with another model does not keep the old one.
_WORKER_MODEL: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def _import_pyspark() -> Any:
    try:
        import pyspark.sql.types as types
    except ImportError as exc:
        raise ImportError(
            "score_spark needs pyspark: pip install 'arabic-extremism-clf[spark]' "
            "(Spark also needs Java 17)"
        ) from exc
    return types


def _worker_model(key: str, shipped: Any) -> Any:
    """Executor side: the model behind the broadcast ``shipped``, unpickled once per key.

    (A broadcast does not keep its id on the executors, hence a key of our own.)
    """
    with _WORKER_LOCK:
        model = _WORKER_MODEL.get(key)
        if model is None:
            _WORKER_MODEL.clear()
            model = _WORKER_MODEL[key] = pickle.loads(shipped.value)
        return model


def _output_schema(schema: Any, model: Any, prefix: str, types: Any) -> Any:
    added = score_columns(model, prefix=prefix)
    fields = list(schema.fields)
    fields.append(types.StructField(added[0], types.StringType(), True))
    fields += [types.StructField(name, types.DoubleType(), True) for name in added[1:-1]]
    fields.append(types.StructField(added[-1], types.StringType(), True))
    return types.StructType(fields)


def score_spark(
    df: Any,
    text_col: str = "text",
    model: Any = None,
    *,
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prefix: str = "",
) -> Any:
    """Score the posts of a Spark DataFrame, lazily; every row comes back.

    Each Arrow batch of each partition goes through :func:`~.frames.score_pandas`, so a
    row gets exactly the answer of local scoring (``aeclf score``, :func:`score_batch`).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    text_col : str, default="text"
        The column of the posts.
    model : ExtremismClassifier, path or None
        A fitted classifier or a model directory (read here, on the driver); None
        loads the shipped model. Broadcast once to the executors.
    threshold : float or None
        Overrides the model's threshold for the flagged label.
    batch_size : int, default=1000
        Posts scored at a time within an Arrow batch.
    prefix : str, default=""
        Prepended to the names of the added columns.

    Returns
    -------
    pyspark.sql.DataFrame
        The columns of ``df``, then ``label`` (string), ``confidence`` and
        ``score_<label>`` for every label (double) and ``error`` (string). A row whose
        text is null, not a string or empty gets an ``error`` and nulls in the other
        added columns. Nothing is computed until an action runs.

    Raises
    ------
    ImportError
        If pyspark is not installed.
    KeyError
        If ``text_col`` is not a column.
    ValueError
        For an invalid ``threshold`` or ``batch_size``, or if an added column would
        replace a column of ``df`` (pass ``prefix=``).
    """
    types = _import_pyspark()
    model = resolve_model(model)
    if threshold is not None:
        check_threshold(threshold)
    check_batch_size(batch_size)
    if text_col not in df.columns:
        raise KeyError(
            f"no column {text_col!r} in the DataFrame (it has {list(df.columns)[:20]}): pass "
            "text_col= naming the column of the posts"
        )
    clash = [c for c in score_columns(model, prefix=prefix) if c in df.columns]
    if clash:
        raise ValueError(
            f"the DataFrame already has the columns {clash}: pass prefix= to name the "
            "added columns differently"
        )
    schema = _output_schema(df.schema, model, prefix, types)
    payload = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    shipped = df.sparkSession.sparkContext.broadcast(payload)
    key = uuid.uuid4().hex

    def score_frames(frames: Iterator[Any]) -> Iterator[Any]:
        local = _worker_model(key, shipped)
        for frame in frames:
            yield score_pandas(
                frame, text_col, local, threshold=threshold, batch_size=batch_size, prefix=prefix
            )

    return df.mapInPandas(score_frames, schema=schema)
