"""The golden scoring cases: one fixed input scored through every consumer of the scoring core.

The outputs were written by ``python tests/golden_cases.py --write`` with the code
*before* the scoring core existed (four separate scoring paths), and
``tests/test_golden.py`` checks that today's code writes the same bytes. Rewrite them
(``--write``) only when the model or the output format changes on purpose, and say so
in the commit.

The input is the repository's own example posts plus rows that cannot be scored; the
model is the shipped one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ROOT / "examples" / "posts.txt"


def _posts() -> list[str]:
    return EXAMPLES.read_text(encoding="utf-8").splitlines()


def _csv_input(tmp: Path) -> Path:
    """A CSV of the example posts with ids, an empty post and a row of the wrong width."""
    import csv

    path = tmp / "posts.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        for i, text in enumerate(_posts()):
            writer.writerow([f"p{i}", text])
        writer.writerow(["empty", ""])
        fh.write('bad,"x",extra\n')
        writer.writerow(["last", _posts()[0]])
    return path


def _cli(argv: list[str]) -> bytes:
    from arabic_extremism_clf.cli import main

    out = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return f"exit {code}\n".encode() + out.getvalue().encode("utf-8")


def cases(tmp: Path) -> dict[str, bytes]:
    """Every case's output bytes, by golden file name."""
    tmp.mkdir(parents=True, exist_ok=True)
    csv_path = _csv_input(tmp)
    out: dict[str, bytes] = {}
    out["cli_text.jsonl"] = _cli(["score", str(EXAMPLES)])
    out["cli_text_explain.jsonl"] = _cli(["score", str(EXAMPLES), "--explain", "--top", "3"])
    out["cli_csv.jsonl"] = _cli(["score", str(csv_path), "--id-col", "id", "--threshold", "0.1"])
    csv_out = tmp / "scored.csv"
    code = _cli(
        ["score", str(csv_path), "--id-col", "id", "--explain", "--top", "2", "-o", str(csv_out)]
    )
    out["cli_csv_out.csv"] = code + csv_out.read_bytes()

    from arabic_extremism_clf import load_model, score_iter

    model = load_model()
    lib = [p.to_dict() for p in score_iter(_posts(), model, batch_size=4)]
    out["library_score_iter.json"] = json.dumps(lib, ensure_ascii=False, indent=1).encode()

    from fastapi.testclient import TestClient

    try:
        from arabic_extremism_clf.scoring.http import create_app
    except ImportError:
        from arabic_extremism_clf.server import create_app
    with TestClient(create_app()) as client:
        posts = _posts()
        body = {"texts": posts, "ids": list(range(len(posts)))}
        r1 = client.post("/classify", json=body)
        r2 = client.post("/classify", json={**body, "explain": True, "top": 3, "threshold": 0.1})
    out["http.json"] = json.dumps(
        [r1.status_code, r1.json(), r2.status_code, r2.json()], ensure_ascii=False, indent=1
    ).encode()

    import dask.dataframe as dd
    import pandas as pd

    try:
        from arabic_extremism_clf.scoring.frames import score_dataframe
    except ImportError:
        from arabic_extremism_clf.dask_scoring import score_dataframe
    frame = pd.DataFrame({"text": [*_posts(), None, ""]})
    scored = score_dataframe(dd.from_pandas(frame, npartitions=3), model=model).compute()
    out["dask.json"] = scored.to_json(orient="records", force_ascii=False, indent=1).encode()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        outputs = cases(Path(tmp))
    # The CSV case names a temporary path nowhere in its output; check anyway.
    for name, data in outputs.items():
        if args.write:
            (GOLDEN / name).write_bytes(data)
        print(name, len(data), "bytes")


if __name__ == "__main__":
    main()
