"""Former home of DataFrame scoring, kept so that 0.x imports keep working.

DataFrame scoring now lives in :mod:`arabic_extremism_clf.scoring.frames`.
"""

from .scoring.frames import score_columns, score_dataframe, score_pandas  # noqa: F401
