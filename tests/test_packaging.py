"""Packaging: a wheel and an sdist carry the shipped model and the data files, byte for byte.

The default model and the text tables are package data, kept in git under
``src/arabic_extremism_clf/data`` and listed in ``[tool.setuptools.package-data]``; no
build hook copies anything. These tests build for real and offline (no build isolation,
no index) from a copy of the project in ``tmp_path``, so the checkout gets no ``build/``
or ``egg-info``, and install the wheel (not editable) away from the checkout. They are
skipped only when this environment lacks the build tooling (pip, setuptools).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
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
#: The package data directory in the checkout, and where it sits inside the package.
DATA_DIR = ROOT / "src" / "arabic_extremism_clf" / "data"
PACKAGED = "arabic_extremism_clf/data"
MODEL = "default_model"
#: Everything a build reads from the checkout.
PROJECT_FILES = ("pyproject.toml", "README.md")
PROJECT_DIRS = ("src",)
IGNORED = ("__pycache__", "*.pyc", "*.egg-info")


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


def _data_files() -> dict[str, bytes]:
    """``{path under data/: bytes}`` of every package data file in the checkout."""
    return {
        p.relative_to(DATA_DIR).as_posix(): p.read_bytes()
        for p in sorted(DATA_DIR.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def _members_under(names: list[str], directory: str) -> list[str]:
    """The archive members that are files under ``directory`` (at any depth)."""
    prefix = directory + "/"
    return [n for n in names if n.startswith(prefix) and not n.endswith("/")]


def _wheel_data_files(wheel: Path) -> dict[str, bytes]:
    """``{path under data/: bytes}`` of the package data in ``wheel``."""
    with zipfile.ZipFile(wheel) as zf:
        return {
            n.removeprefix(PACKAGED + "/"): zf.read(n)
            for n in _members_under(zf.namelist(), PACKAGED)
        }


def _assert_same_files(found: dict[str, bytes], where: str) -> None:
    expected = _data_files()
    assert sorted(found) == sorted(expected), f"{where} lacks or adds package data files"
    for name, data in expected.items():
        assert found[name] == data, f"{name} in {where} differs from the checkout's"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of what a build reads from the checkout."""
    assert (DATA_DIR / MODEL / "manifest.json").is_file(), f"no shipped model in {DATA_DIR}"
    dest = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(*IGNORED))
    return dest


@pytest.fixture(scope="module")
def wheel(project, tmp_path_factory) -> Path:
    return _pip_wheel(project, tmp_path_factory.mktemp("wheel"))


def test_wheel_carries_the_model_and_the_data_files_byte_for_byte(wheel):
    packaged = _wheel_data_files(wheel)
    assert f"{MODEL}/manifest.json" in packaged
    assert f"{MODEL}/arrays.npz" in packaged
    _assert_same_files(packaged, "the wheel")


def test_installed_wheel_loads_its_own_model(wheel, tmp_path):
    """Installed from the wheel (not editable), away from any checkout, no path needed."""
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    options = ["--no-deps", "--no-index", "--no-compile", "--quiet"]
    _run([*pip, "install", *options, "--target", str(site), str(wheel)], cwd=tmp_path)
    code = (
        "import json\n"
        "import arabic_extremism_clf as pkg\n"
        "from arabic_extremism_clf import load_model, read_manifest\n"
        "from arabic_extremism_clf.persistence import default_model_path\n"
        "print(pkg.__file__)\n"
        "print(default_model_path())\n"
        "print(type(load_model()).__name__)\n"
        "print(json.dumps(read_manifest()['files'], sort_keys=True))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = _run([sys.executable, "-c", code], cwd=tmp_path, env=env)
    package_file, model_path, loaded, files = out.splitlines()
    assert Path(package_file).is_relative_to(site)
    assert Path(model_path) == site / PACKAGED / MODEL
    assert loaded == "ExtremismClassifier"
    manifest = json.loads((DATA_DIR / MODEL / "manifest.json").read_text(encoding="utf-8"))
    assert json.loads(files) == manifest["files"]


def test_sdist_carries_the_data_files_and_its_wheel_too(project, tmp_path):
    """A wheel built from the sdist (what pip does with a published sdist) has them too."""
    build = f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"
    _run([sys.executable, "-c", build], cwd=project)
    (sdist,) = tmp_path.glob("*.tar.gz")
    base = sdist.name.removesuffix(".tar.gz")
    prefix = f"{base}/src/{PACKAGED}"
    with tarfile.open(sdist) as tf:
        names = [m.name for m in tf.getmembers() if m.isfile()]
        packaged = {
            n.removeprefix(prefix + "/"): tf.extractfile(n).read()
            for n in _members_under(names, prefix)
        }
    assert f"{base}/setup.py" not in names, "the build needs no setup.py hook"
    _assert_same_files(packaged, "the sdist")
    _assert_same_files(_wheel_data_files(_pip_wheel(sdist, tmp_path / "wheel")), "its wheel")
