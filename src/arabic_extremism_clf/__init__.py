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
