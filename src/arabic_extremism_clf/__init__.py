"""Flag Arabic social-media posts that promote violent extremist groups.

The public API. Importing the package reads no file and does not import torch.
"""

from __future__ import annotations

from ._version import __version__
from .errors import AeclfError, CorpusError, DataDirError, ModelFileError
from .preprocess import normalize, preprocess, tokenize

__all__ = [
    "__version__",
    "AeclfError",
    "CorpusError",
    "DataDirError",
    "ModelFileError",
    "normalize",
    "preprocess",
    "tokenize",
]

# Labelled corpora (the loaders of the shared corpora stay in arabic_extremism_clf.corpus).
from .corpus import NOT_PROMOTIONAL, PROMOTIONAL, Corpus, data_dir, read_corpus  # noqa: E402

__all__ += ["Corpus", "read_corpus", "data_dir", "PROMOTIONAL", "NOT_PROMOTIONAL"]
