"""Save and load fitted models in a safe, versioned, readable directory format.

- :mod:`.format`: the model-directory format; :func:`load_model`,
  :func:`load_scoring_model`, :func:`read_manifest`,
  :func:`check_model_target`, :func:`file_fingerprint`, and a reader per format number.
- :mod:`.save`: :func:`save_model`.
- :mod:`.card`: the model card, :func:`write_model_card` (tables of figures in
  :mod:`.card_metrics`, Markdown helpers in :mod:`._markdown`).
- :mod:`.paths`: :func:`default_model_path`, the shipped model as package data.

Imports go one way: ``paths`` <- ``format`` <- ``card`` <- ``save``.
"""

from __future__ import annotations

from .card import write_model_card
from .format import (
    ARRAYS_FILE,
    CARD_FILE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_FILE,
    VOCAB_FILE,
    check_model_target,
    file_fingerprint,
    load_model,
    load_scoring_model,
    read_manifest,
)
from .paths import default_model_path
from .save import save_model

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "ARRAYS_FILE",
    "VOCAB_FILE",
    "CARD_FILE",
    "save_model",
    "load_model",
    "load_scoring_model",
    "read_manifest",
    "file_fingerprint",
    "write_model_card",
    "check_model_target",
    "default_model_path",
]
