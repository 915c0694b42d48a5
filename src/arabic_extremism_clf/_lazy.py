"""Public names imported on first use (PEP 562), for the packages that export them.

A package lists its lazily exported names and the submodule that defines each, and
takes its ``__getattr__`` and ``__dir__`` from :func:`lazy_exports`: the submodule is
imported when a name is first read, and the name is then kept in the package's
namespace. This keeps ``import arabic_extremism_clf`` from importing scikit-learn.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose ``names`` (name -> the
    submodule, relative to the package, that defines it) are imported on first use."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
