"""Build hook: ship the model kept at the top-level ``models/default`` inside the package.

The project is configured in ``pyproject.toml``; this file only adds one build step.
The shipped model is kept once in git, at ``models/default`` next to ``src/``, but
setuptools only copies package data that lives inside a package directory. So
``build_py`` also copies ``models/default`` into the build as
``arabic_extremism_clf/models/default``, where
:func:`arabic_extremism_clf.persistence.default_model_path` looks first; a wheel, and
a regular ``pip install .``, then carry the model. ``get_source_files`` puts the model
in the sdist, so a wheel built from the sdist carries it too.

An editable install copies nothing (setuptools skips ``build_py.run`` in editable
mode) and finds the model in the checkout instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import FileError

#: The shipped model, relative to this file.
MODEL_SOURCE = Path("models", "default")
#: Where the model goes inside the built package.
MODEL_TARGET = ("arabic_extremism_clf", "models", "default")


class build_py_with_model(build_py):
    """``build_py`` that also copies ``models/default`` into the package."""

    def _model_files(self) -> list[Path]:
        if not MODEL_SOURCE.is_dir():
            return []
        return sorted(p for p in MODEL_SOURCE.iterdir() if p.is_file())

    def _model_mapping(self) -> dict[str, str]:
        """``{build path: source path}`` for every file of the model."""
        target_dir = os.path.join(self.build_lib, *MODEL_TARGET)
        return {os.path.join(target_dir, p.name): str(p) for p in self._model_files()}

    def build_package_data(self) -> None:
        super().build_package_data()
        if not (MODEL_SOURCE / "manifest.json").is_file():
            raise FileError(
                f"{MODEL_SOURCE}/manifest.json not found: a build must ship the default "
                "model. Build from a checkout (or sdist) that contains models/default"
            )
        for target, source in self._model_mapping().items():
            self.mkpath(os.path.dirname(target))
            self.copy_file(source, target)

    def get_output_mapping(self) -> dict[str, str]:
        mapping = {**super().get_output_mapping(), **self._model_mapping()}
        return dict(sorted(mapping.items()))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            # The base class answers from get_output_mapping(), which has the model.
            return outputs
        return outputs + list(self._model_mapping())

    def get_source_files(self) -> list[str]:
        return super().get_source_files() + [str(p) for p in self._model_files()]


setup(cmdclass={"build_py": build_py_with_model})
