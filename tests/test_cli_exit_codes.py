"""The exit-status rule of ``aeclf``: 0 success, 1 data or run-time error, 2 usage error.

One table of cases over every subcommand; the toy model and posts are neutral.
"""

from __future__ import annotations

import pytest
from toy_corpus import SPORT, WEATHER

from arabic_extremism_clf.cli import main
from arabic_extremism_clf.model import ExtremismClassifier
from arabic_extremism_clf.persistence import save_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    clf.fit(SPORT + WEATHER, ["sport"] * 6 + ["weather"] * 6)
    return str(save_model(clf, tmp_path_factory.mktemp("m") / "model"))


@pytest.fixture()
def files(tmp_path):
    posts = tmp_path / "posts.txt"
    posts.write_text("\n".join(SPORT[:3]) + "\n", encoding="utf-8")
    table = tmp_path / "posts.csv"
    table.write_text("body\n" + "\n".join(SPORT[:3]) + "\n", encoding="utf-8")
    existing = tmp_path / "out.jsonl"
    existing.write_text("previous job\n", encoding="utf-8")
    return {"POSTS": str(posts), "TABLE": str(table), "EXISTING": str(existing),
            "MISSING": str(tmp_path / "missing.txt")}  # fmt: skip


CASES = [
    # (argv, exit status, a piece of stderr)
    (["score", "POSTS"], 0, "3 rows"),
    (["score", "POSTS", "--no-such-flag"], 2, "unrecognized arguments"),
    (["score", "POSTS", "--threshold", "1.5"], 2, "argument --threshold"),
    (["score", "POSTS", "--threshold", "x"], 2, "argument --threshold"),
    (["score", "POSTS", "--batch-size", "0"], 2, "argument --batch-size"),
    (["score", "POSTS", "--jobs", "0"], 2, "argument --jobs"),
    (["score", "POSTS", "--top", "3"], 2, "needs --explain"),
    (["score", "POSTS", "--resume"], 2, "--resume needs -o FILE"),
    (["score", "POSTS", "-o", "EXISTING", "--resume", "--overwrite"], 2, "choose one"),
    (["score", "POSTS", "--id-col", "id"], 2, "plain-text input has no ids"),
    (["score", "MISSING"], 1, "No such file"),
    (["score", "TABLE"], 1, "pass --text-col naming the column"),  # the flag, not text_col=
    (["score", "POSTS", "-o", "EXISTING"], 1, "exists"),
    (["train", "-o", "OUT"], 2, "give labelled files, --recipe default, or both"),
    (["train", "POSTS", "-o", "OUT", "--C", "-1"], 2, "argument --C"),
    (["evaluate", "POSTS", "--threshold", "7"], 2, "argument --threshold"),
    (["audit", "--tokens", "0"], 2, "argument --tokens"),
    (["audit", "--threshold", "2"], 2, "argument --threshold"),
    (["audit", "--data-dir", "MISSING"], 1, "missing.txt"),
    (["serve", "--port", "0"], 2, "argument --port"),
    (["review"], 2, "required: ACTION"),
    (["review", "serve", "POSTS"], 2, "required: --db"),
    (["review", "serve", "POSTS", "--db", "OUT", "--host", "0.0.0.0"], 2, "give --token"),
    (["review", "serve", "-", "--db", "OUT"], 2, "INPUT must be a file"),
    (["review", "serve", "POSTS", "--db", "OUT", "--match-threshold", "0.5"], 2, "needs --known"),
    (["review", "serve", "POSTS", "--db", "OUT", "--order", "x"], 2, "argument --order"),
    (["review", "serve", "MISSING", "--db", "OUT"], 1, "No such file"),
    (["review", "export", "--db", "MISSING", "-o", "OUT"], 1, "no such review database"),
    (["review", "export", "--db", "OUT"], 2, "required: -o"),
    (["preprocess", "--no-such-flag"], 2, "unrecognized arguments"),
    (["match", "index", "POSTS"], 2, "-o/--output"),
    (["match", "query", "MISSING", "POSTS"], 1, "not a signatures directory"),
    (["match", "query", "MISSING", "POSTS", "--match-threshold", "0"], 2, "--match-threshold"),
    (["match", "index", "POSTS", "-o", "OUT", "--append", "--overwrite"], 2, "choose one"),
    (["score", "POSTS", "--match-threshold", "0.7"], 2, "needs --known"),
    (["serve", "--match-threshold", "0.7"], 2, "needs --known"),
    (["no-such-command"], 2, "invalid choice"),
]


@pytest.mark.parametrize(("argv", "status", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_exit_status_follows_the_rule(model_dir, files, tmp_path, capsys, argv, status, message):
    argv = [files.get(a, str(tmp_path / "m2") if a == "OUT" else a) for a in argv]
    if argv[0] in ("score", "evaluate", "audit"):
        argv += ["--model", model_dir]
    assert main(argv) == status
    err = capsys.readouterr().err
    assert message in err, err
