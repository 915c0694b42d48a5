"""Flag Arabic social-media posts that promote violent extremist groups, for human review.

The public API. Importing the package reads no file, changes no global state and does
not import torch; the names that need scikit-learn are imported on first use, so that
``import arabic_extremism_clf`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from ._version import __version__
from .corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus, data_dir, read_corpus
from .errors import AeclfError, CorpusError, DataDirError, ModelFileError
from .preprocess import normalize, preprocess, tokenize

if TYPE_CHECKING:  # pragma: no cover
    # For type checkers only: exported through __all__ by way of _LAZY below.
    from .adapt import select_for_review, threshold_for_target, train_adapted  # noqa: F401
    from .evaluate import evaluate, select_threshold  # noqa: F401
    from .model import ExtremismClassifier  # noqa: F401
    from .persistence import load_model, load_scoring_model, read_manifest, save_model  # noqa: F401
    from .scoring import score_batch, score_iter  # noqa: F401
    from .scoring.spark import score_spark  # noqa: F401
    from .scoring_model import Contribution, Prediction, ScoringModel  # noqa: F401
    from .training import default_training_set, train_default  # noqa: F401

#: Public names imported on first use, and the module that defines each.
_LAZY = {
    "ExtremismClassifier": "model",
    "Prediction": "scoring_model",
    "Contribution": "scoring_model",
    "ScoringModel": "scoring_model",
    "load_model": "persistence",
    "load_scoring_model": "persistence",
    "save_model": "persistence",
    "read_manifest": "persistence",
    "evaluate": "evaluate",
    "select_threshold": "evaluate",
    "default_training_set": "training",
    "train_default": "training",
    "score_iter": "scoring",
    "score_batch": "scoring",
    "score_spark": "scoring.spark",
    "train_adapted": "adapt",
    "select_for_review": "adapt",
    "threshold_for_target": "adapt",
}

__all__ = [
    "__version__",
    "AeclfError",
    "CorpusError",
    "DataDirError",
    "ModelFileError",
    "normalize",
    "preprocess",
    "tokenize",
    "Corpus",
    "read_corpus",
    "data_dir",
    "PROMOTIONAL",
    "NOT_PROMOTIONAL",
    *_LAZY,
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
