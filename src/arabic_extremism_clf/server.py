"""Former home of the HTTP service, kept so that 0.x imports keep working.

The service now lives in :mod:`arabic_extremism_clf.scoring.http`.
"""

from .scoring.http import (  # noqa: F401
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONCURRENT_BATCHES,
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_MAX_TOP,
    create_app,
    serve,
)
