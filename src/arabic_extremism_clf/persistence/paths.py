"""Where the shipped default model lives: package data, found with importlib.resources.

The model is kept in git at ``src/arabic_extremism_clf/data/default_model`` and listed in
``[tool.setuptools.package-data]``, so a wheel, an sdist, a regular install and an
editable install all find it at the same place inside the package; no build step copies
it.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from ..errors import ModelFileError

__all__ = ["DEFAULT_MODEL_RESOURCE", "default_model_path"]

#: The default model's directory, relative to the ``arabic_extremism_clf`` package.
DEFAULT_MODEL_RESOURCE = ("data", "default_model")


def _packaged_model() -> Path:
    """The default model's directory inside the installed package (it may be missing)."""
    packaged = importlib.resources.files("arabic_extremism_clf").joinpath(*DEFAULT_MODEL_RESOURCE)
    if not isinstance(packaged, Path):
        raise ModelFileError(
            f"the arabic_extremism_clf package is not on a file system ({packaged}), so its "
            "default model cannot be read as a directory; install the package normally, or "
            "pass the path of a saved model directory"
        )
    return packaged


def default_model_path() -> Path:
    """The directory of the shipped default model.

    It is package data: ``arabic_extremism_clf/data/default_model`` inside the installed
    package, the same place for a wheel, a regular install and an editable install.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ModelFileError
        If that directory holds no ``manifest.json`` (a broken install or checkout).
    """
    packaged = _packaged_model()
    if (packaged / "manifest.json").is_file():
        return packaged
    raise ModelFileError(
        f"no default model found (looked in: {packaged}). Reinstall arabic-extremism-clf, "
        "whose package carries it, or train one and save it with "
        "save_model(model, 'models/mine') (aeclf train ... -o models/mine) and pass that path"
    )
