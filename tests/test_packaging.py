"""Packaging: a wheel and an sdist carry the shipped model, byte for byte.

The model is kept once in git, at the top-level ``models/default``; ``setup.py``'s
``build_py`` copies it into the package as ``arabic_extremism_clf/models/default``,
where :func:`~arabic_extremism_clf.persistence.default_model_path` looks first. These
tests build for real and offline (no build isolation, no index) from a copy of the
project in ``tmp_path``, so the checkout gets no ``build/`` or ``egg-info``. They are
skipped only when this environment lacks the build tooling (pip, setuptools).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "default"
#: Where the model sits inside the built package.
PACKAGED = "arabic_extremism_clf/models/default"
#: Everything a build reads from the checkout.
PROJECT_FILES = ("pyproject.toml", "setup.py", "README.md")
PROJECT_DIRS = ("src", "models/default")


def _missing_build_tooling() -> str | None:
    """Why this environment cannot build the project, or None if it can."""
    for module in ("pip", "setuptools"):
        if importlib.util.find_spec(module) is None:
            return f"building the project needs {module}, which is not installed"
    with (ROOT / "pyproject.toml").open("rb") as fh:
        requires = tomllib.load(fh)["build-system"]["requires"]
    wanted = next(re.search(r">=\s*(\d+)", r) for r in requires if r.startswith("setuptools"))
    found = importlib.metadata.version("setuptools")
    if int(found.split(".")[0]) < int(wanted.group(1)):
        return (
            f"building the project needs setuptools>={wanted.group(1)} "
            f"(pyproject.toml [build-system]), found {found}"
        )
    return None


MISSING_BUILD_TOOLING = _missing_build_tooling()
pytestmark = pytest.mark.skipif(
    MISSING_BUILD_TOOLING is not None, reason=f"{MISSING_BUILD_TOOLING}: pip install -e '.[dev]'"
)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command to completion and return its stdout; fail the test with its output."""
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
        )
    return proc.stdout


def _pip_wheel(source: Path, out: Path) -> Path:
    """Build the wheel of ``source`` (a project directory or an sdist) into ``out``, offline."""
    out.mkdir(exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    options = ["--no-deps", "--no-build-isolation", "--no-index", "--quiet"]
    _run([*pip, "wheel", *options, "--wheel-dir", str(out), str(source)], cwd=out)
    (wheel,) = out.glob("*.whl")
    return wheel


def _model_files() -> dict[str, bytes]:
    """``{file name: bytes}`` of the shipped model in the checkout."""
    return {p.name: p.read_bytes() for p in sorted(MODEL_DIR.iterdir()) if p.is_file()}


def _files_under(names: list[str], directory: str) -> list[str]:
    """The archive members that are files directly in ``directory``."""
    prefix = directory + "/"
    return [n for n in names if n.startswith(prefix) and "/" not in n.removeprefix(prefix)]


def _wheel_model_files(wheel: Path) -> dict[str, bytes]:
    """``{file name: bytes}`` of the model packaged in ``wheel``."""
    with zipfile.ZipFile(wheel) as zf:
        return {n.rsplit("/", 1)[1]: zf.read(n) for n in _files_under(zf.namelist(), PACKAGED)}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of what a build reads from the checkout."""
    assert (MODEL_DIR / "manifest.json").is_file(), f"no shipped model at {MODEL_DIR}"
    dest = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def wheel(project, tmp_path_factory) -> Path:
    return _pip_wheel(project, tmp_path_factory.mktemp("wheel"))


def test_wheel_carries_the_model_byte_for_byte(wheel):
    expected = _model_files()
    assert "manifest.json" in expected
    packaged = _wheel_model_files(wheel)
    assert sorted(packaged) == sorted(expected)
    for name, data in expected.items():
        assert packaged[name] == data, f"{PACKAGED}/{name} in the wheel differs from the checkout's"


def test_wheel_carries_the_review_page(wheel):
    static = ROOT / "src" / "arabic_extremism_clf" / "review" / "static"
    expected = {p.name: p.read_bytes() for p in static.iterdir() if p.is_file()}
    assert sorted(expected) == ["app.css", "app.js", "index.html"]
    with zipfile.ZipFile(wheel) as zf:
        for name, data in expected.items():
            assert zf.read(f"arabic_extremism_clf/review/static/{name}") == data


def test_unpacked_wheel_loads_its_own_model(wheel, tmp_path):
    """Installed from the wheel, away from any checkout, load_model() needs no path."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    code = (
        "import arabic_extremism_clf as pkg\n"
        "from arabic_extremism_clf import load_model\n"
        "from arabic_extremism_clf.persistence import default_model_path\n"
        "print(pkg.__file__)\n"
        "print(default_model_path())\n"
        "print(type(load_model()).__name__)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = _run([sys.executable, "-c", code], cwd=tmp_path, env=env)
    package_file, model_path, loaded = out.splitlines()
    assert Path(package_file).is_relative_to(site)
    assert Path(model_path) == site / PACKAGED
    assert loaded == "ExtremismClassifier"


def test_sdist_carries_the_model_and_its_wheel_too(project, tmp_path):
    """A wheel built from the sdist (what pip does with a published sdist) has the model."""
    build = f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"
    _run([sys.executable, "-c", build], cwd=project)
    (sdist,) = tmp_path.glob("*.tar.gz")
    base = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
        packaged = {
            n.rsplit("/", 1)[1]: tf.extractfile(n).read()
            for n in _files_under(names, f"{base}/models/default")
        }
    assert f"{base}/setup.py" in names, "the sdist lacks setup.py, which copies the model"
    assert packaged == _model_files()
    assert _wheel_model_files(_pip_wheel(sdist, tmp_path / "wheel")) == _model_files()
