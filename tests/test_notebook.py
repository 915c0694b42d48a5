"""The notebook ``notebooks/train_evaluate_explain.ipynb`` runs, and is stored executed.

:func:`test_notebook_executes` executes it from scratch with nbclient on the real
corpora (the ``python3`` kernel, which runs in the interpreter that runs the tests), and
checks that no cell fails or writes to stderr, that the figures and tables are there,
and that no post of the Alfifi corpus appears in any output. The other tests read the
stored copy only: it must be executed, error-free and free of machine-specific paths.

Re-execute the notebook and save its outputs in place (from the repository root)::

    AECLF_DATA_DIR=../shared/data python tests/test_notebook.py --write
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "train_evaluate_explain.ipynb"
#: Figures the notebook draws: PR curve, calibration, confusion matrices, score histogram.
MIN_FIGURES = 4
#: Generous: the notebook trains the default model once (a few minutes on 2 busy cores).
TIMEOUT = 1800


def execute_notebook(data_dir: str | os.PathLike[str], *, timeout: int = TIMEOUT):
    """Execute the notebook in ``notebooks/`` with ``AECLF_DATA_DIR=data_dir``; return it.

    The ``python3`` kernel spec is ipykernel's: jupyter_client starts it with
    ``sys.executable``, so the kernel sees the same installed packages as the caller.
    """
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    env = {**os.environ, "AECLF_DATA_DIR": str(Path(data_dir).resolve())}
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client.execute(env=env)
    return nb


def _outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    kinds = ("text/plain", "text/markdown", "text/html")
    return "\n".join(str(data[key]) for key in kinds if key in data)


def _check_outputs(nb) -> None:
    """No error output, no stderr, and the figures and tables are there."""
    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert not errors, "cell errors: " + "; ".join(f"{o['ename']}: {o['evalue']}" for o in errors)
    stderr = [
        o["text"]
        for o in _outputs(nb)
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]
    assert not stderr, f"cells wrote to stderr (warnings?): {stderr[:3]}"
    unexecuted = [c.source[:60] for c in nb.cells if c.cell_type == "code" and not c.get("outputs")]
    assert not unexecuted, f"code cells without output: {unexecuted}"
    figures = sum("image/png" in o.get("data", {}) for o in _outputs(nb))
    assert figures >= MIN_FIGURES, f"expected at least {MIN_FIGURES} figures, found {figures}"
    text = "\n".join(_output_text(o) for o in _outputs(nb))
    expected_texts = (
        "news_isis_heldout_days",
        "asnd_dev",
        "flagged at 0.5",
        "macro F1",
        "w:",
        "c:",
    )
    for expected in expected_texts:
        assert expected in text, f"{expected!r} missing from the notebook's outputs"


def test_stored_notebook_is_executed_and_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "store the notebook executed"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"cells were run out of order: {counts}"
    _check_outputs(nb)


def test_stored_notebook_has_no_machine_paths():
    raw = NOTEBOOK.read_text(encoding="utf-8")
    # The folder this checkout lives in (wherever that is), and the usual home/temp roots.
    here = re.escape(Path(__file__).resolve().parents[2].as_posix().rstrip("/") + "/")
    home = re.escape(Path.home().as_posix().rstrip("/") + "/")
    roots = rf"(?:{here}|{home}|/home/|/Users/|/tmp/|[A-Za-z]:\\\\Users)"
    hits = re.findall(roots + r"[^\s\"']*", raw)
    assert not hits, f"machine-specific paths in the stored notebook: {sorted(set(hits))[:5]}"


@pytest.mark.slow
@pytest.mark.shared_data
def test_notebook_executes(shared_data_dir):
    from arabic_extremism_clf.corpus import load_alfifi

    nb = execute_notebook(shared_data_dir)
    _check_outputs(nb)
    # The outputs are aggregates: no post of the data is printed.
    text = "\n".join(_output_text(o) for o in _outputs(nb))
    leaked = [t for t in load_alfifi(shared_data_dir).texts if len(t) >= 30 and t in text]
    assert not leaked, f"{len(leaked)} Alfifi posts appear in the notebook's outputs"


def main(argv: list[str] | None = None) -> int:
    """``--write``: execute the notebook and save it, outputs included, in place."""
    import argparse

    parser = argparse.ArgumentParser(description="Execute the notebook (and save it with --write).")
    parser.add_argument("--write", action="store_true", help="save the executed notebook in place")
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("AECLF_DATA_DIR")
        or str(Path(__file__).resolve().parents[2] / "shared" / "data"),
        help="shared data directory (default: AECLF_DATA_DIR, else ../shared/data)",
    )
    args = parser.parse_args(argv)
    import time

    start = time.perf_counter()
    nb = execute_notebook(args.data_dir)
    _check_outputs(nb)
    print(f"executed in {time.perf_counter() - start:.0f} s")
    if args.write:
        nbformat.write(nb, NOTEBOOK)
        print(f"saved {NOTEBOOK.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
