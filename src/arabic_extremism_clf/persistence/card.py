"""The model card (``README.md`` of a model directory), generated from the manifest.

:func:`render_model_card` turns a manifest into Markdown (intended use, labels, training
data and licences, evaluation, known failure modes, how to reproduce);
:func:`write_model_card` rewrites the card of a saved model without touching its hashed
files. The evaluation tables are built in :mod:`.card_metrics`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..corpus import CORPUS_SOURCES
from ._markdown import (
    _cell,
    _code,
    _compact_json_block,
    _is_number,
    _json_block,
    _mapping,
    _number,
    _table,
)
from .card_metrics import metrics_section
from .format import CARD_FILE, _model_dir, _sha256, _write_bytes, read_manifest

__all__ = ["write_model_card", "render_model_card"]

logger = logging.getLogger(__name__)

#: A corpus row of the licence table names its files up to this many; beyond, a count.
_FILES_NAMED = 3


def write_model_card(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Rewrite the model card (``README.md``) of a saved model from its manifest.

    Nothing else in the directory changes, so the model still loads (the card is not
    part of the hashed files). Use it after the card generator improves, without
    retraining.

    Parameters
    ----------
    path : str or path-like
        A model directory written by :func:`~.save.save_model`.
    data_dir : str, path-like or None
        Only for manifests written before fingerprints named their corpus folder: the
        shared data directory. A training file whose name, size and sha256 match a file
        of one of its corpus folders is shown with that corpus and its licence. The
        manifest itself is not changed. ``None``: such files show "not recorded".

    Returns
    -------
    pathlib.Path
        The card that was written.

    Raises
    ------
    ModelFileError
        If ``path`` is not a readable saved model (see :func:`~.format.read_manifest`).

    Examples
    --------
    >>> import tempfile
    >>> from arabic_extremism_clf.model import ExtremismClassifier
    >>> from arabic_extremism_clf.persistence import save_model
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"]
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=2, flagged_label=None)
    >>> clf = clf.fit(texts, ["sport"] * 3 + ["weather"] * 3)
    >>> path = save_model(clf, Path(tempfile.mkdtemp()) / "model", card="# old card\\n")
    >>> write_model_card(path).name
    'README.md'
    >>> (path / "README.md").read_text(encoding="utf-8").startswith("# Model card")
    True
    """
    directory = _model_dir(path)
    manifest = read_manifest(directory)
    training = manifest.get("training")
    if data_dir is not None and isinstance(training, Mapping):
        files = training.get("files")
        if isinstance(files, list):
            files = [_with_corpus(item, Path(data_dir)) for item in files]
            manifest = {**manifest, "training": {**training, "files": files}}
    card = directory / CARD_FILE
    tmp = directory / f".{CARD_FILE}.tmp"
    try:
        _write_bytes(tmp, render_model_card(manifest).encode("utf-8"))
        os.replace(tmp, card)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote the model card %s", card)
    return card


def _with_corpus(item: Any, data_dir: Path) -> Any:
    """``item`` with ``"corpus"`` added when a shared corpus folder holds the same file."""
    if not isinstance(item, Mapping) or "corpus" in item:
        return item
    name = item.get("path")
    if not isinstance(name, str) or not name or Path(name).name != name:
        return item
    for folder in CORPUS_SOURCES:
        candidate = data_dir / folder / name
        if (
            candidate.is_file()
            and candidate.stat().st_size == item.get("bytes")
            and _sha256(candidate) == item.get("sha256")
        ):
            return {**item, "corpus": folder}
    return item


# Training data -----------------------------------------------------------------------


def _file_terms(item: Mapping[str, Any]) -> tuple[str, str, str]:
    """``(corpus, licence, source)`` of a training file, as the card shows them.

    A licence or source recorded with the file wins; otherwise they are looked up by the
    file's corpus folder in :data:`~arabic_extremism_clf.corpus.CORPUS_SOURCES`.
    """
    corpus = item.get("corpus")
    known = CORPUS_SOURCES.get(corpus) if isinstance(corpus, str) else None
    licence = item.get("licence", item.get("license"))
    source = item.get("source")
    if licence is None:
        licence = known.licence if known else "not recorded"
    if source is None:
        source = f"{known.title}. {known.citation}. <{known.url}>" if known else ""
    corpus_cell = _code(corpus) if isinstance(corpus, str) else "not recorded"
    return corpus_cell, _cell(licence), _cell(source)


def _licence_table(files: list[Mapping[str, Any]]) -> str:
    """One row per corpus (files with the same corpus, licence and source)."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in files:
        groups.setdefault(_file_terms(item), []).append(_cell(item.get("path", "?")))
    rows = []
    for (corpus, licence, source), names in groups.items():
        shown = ", ".join(_code(n) for n in names[:_FILES_NAMED])
        if len(names) > _FILES_NAMED:
            shown = f"{len(names)} files: {shown} and {len(names) - _FILES_NAMED} more"
        rows.append([corpus, shown, licence, source])
    return _table(["corpus", "files", "licence", "source"], rows)


def _sizes_table(sizes: Any) -> str:
    """Counts as a table: ``{row: n}`` or ``{row: {column: n}}``; anything else as JSON."""
    sizes = _mapping(sizes)
    if sizes and all(_is_number(v) for v in sizes.values()):
        return _table(["set", "posts"], [[_cell(k), _number(v)] for k, v in sizes.items()])
    if not sizes or not all(
        isinstance(v, Mapping) and all(_is_number(n) for n in v.values()) for v in sizes.values()
    ):
        return _json_block(sizes)
    columns = sorted({column for counts in sizes.values() for column in counts})
    rows = [
        [_cell(name), *(_number(counts.get(c, 0)) for c in columns)]
        for name, counts in sizes.items()
    ]
    totals = [sum(counts.get(c, 0) for counts in sizes.values()) for c in columns]
    rows.append(["**total**", *(f"**{_number(t)}**" for t in totals)])
    return _table(["source", *(_code(c) for c in columns)], rows)


def _training_section(training: Mapping[str, Any] | None) -> str:
    if not training:
        return (
            "Not recorded: `training` was not passed to `save_model`. Without it this model "
            "cannot be traced to its data; do not ship it."
        )
    if not isinstance(training, Mapping):
        return _json_block(training)
    parts = []
    files = training.get("files")
    files = [
        item if isinstance(item, Mapping) else {"path": item}
        for item in (files if isinstance(files, list) else [])
    ]
    if files:
        parts.append(
            "The data the model was trained and evaluated on. The corpora are not "
            "distributed with the model: obtain each from its source under its own terms. "
            "Where a licence is research-only, non-commercial or unstated, check that it "
            "allows your use of a model trained on it.\n\n" + _licence_table(files)
        )
        parts.append(
            "Every file read is identified by name, size and sha256 in `manifest.json` "
            "under `training.files`."
        )
    train_sizes = _mapping(training.get("recipe")).get("train_sizes")
    if train_sizes is not None:
        parts.append("Training posts per source and label:\n\n" + _sizes_table(train_sizes))
    if training.get("sizes") is not None:
        parts.append("Sizes:\n\n" + _sizes_table(training["sizes"]))
    other = {k: v for k, v in training.items() if k not in ("files", "sizes", "recipe")}
    if other:
        parts.append("Other details:\n\n" + _json_block(other))
    return "\n\n".join(parts) if parts else _json_block(dict(training))


# How to reproduce --------------------------------------------------------------------


def _recipe_section(training: Mapping[str, Any] | None) -> str:
    recipe = _mapping(training).get("recipe")
    if recipe is None:
        steps = "The training recipe was not recorded."
    elif isinstance(recipe, str):
        steps = "```\n" + recipe + "\n```"
    elif isinstance(recipe, Mapping):
        shown = {k: v for k, v in recipe.items() if k != "train_sizes"}
        steps = _compact_json_block(shown)
        if "train_sizes" in recipe:
            steps += '\n\n(`train_sizes`: the table under "Training data and licences".)'
    else:
        steps = _json_block(recipe)
    return (
        f"{steps}\n\n"
        "1. Install the library version and the dependency versions listed under "
        "`library` and `dependencies` in `manifest.json`.\n"
        "2. Obtain the data listed above and check each file against `training.files` in "
        "`manifest.json` with `arabic_extremism_clf.persistence.file_fingerprint`.\n"
        + (
            "3. Run `aeclf train --recipe default --data-dir DATA -o DIR` with that library "
            "version: it rebuilds the seeded training set, weights and threshold rule of "
            "the recipe above; then compare with the figures above."
            if isinstance(recipe, Mapping) and str(recipe.get("name", "")).startswith("default-")
            else "3. Fit `ExtremismClassifier(**params)` with the parameters under "
            "`estimator.params` in `manifest.json`, then compare with the figures above."
        )
    )


_CARD_TEMPLATE = """\
# Model card: arabic_extremism_clf

Saved by arabic_extremism_clf {version} (model format {format_version}) on {created}.{converted}
Every figure below is also in `manifest.json`.

## Intended use

This model helps human reviewers find Arabic social-media posts that **promote violent
extremist groups** (propaganda, recruitment, glorification), by surfacing posts for
review. Its output is a reason to look at a post, **never an automatic verdict**: do not
remove content, suspend accounts or draw conclusions about a person from a score alone.
A trained reviewer, with the context of the post, decides.

It is meant not to flag news reports about such groups, counter-speech that argues
against them, or everyday religious speech. It does make those mistakes sometimes (see
"Known failure modes").

Out of scope: text in other languages, judging people rather than posts, any use
without human review.

## Labels

- Model: {model}
- Labels: {classes}
- Flagged label: {flagged_label}
- Threshold: a post gets the flagged label when that label's calibrated probability is
  at least {threshold}; otherwise the most probable other label.
- Calibration: {calibration}. Probabilities match observed frequencies on data like the
  training mix; real platforms have far fewer promotional posts, so precision at a given
  threshold is lower there than the figures below.

## Training data and licences

{training}

## Evaluation

{metrics}

## Known failure modes

- **Shared vocabulary.** News reports and counter-speech name the same groups, leaders and
  events as promotional posts; they are the most common false positives. Religious
  vocabulary in ordinary devotional posts can also raise scores.
- **Dialect and script.** Dialects, Arabizi (Arabic in Latin letters) and code-switching
  that are rare in the training data are scored less reliably.
- **Drift.** Group names, slogans, hashtags and platforms change; a model trained on
  older posts misses new ones. Re-evaluate on recent data before relying on it.
- **Obfuscation.** Character n-grams absorb some spelling tricks, but deliberate
  obfuscation, images of text and link-only posts are not seen.
- **Short posts** carry little evidence; their scores are less reliable.
- **Data shortcuts.** If one label comes from one source or one period, the model can
  learn the source instead of the content; check errors by source.
- **Writing style of the sources.** The model also learns the form typical of each
  training source, such as the punctuation, hashtags, mentions and links of tweets as
  opposed to the sentences of news articles. The form of a post can therefore raise its
  score independently of its content.

## How to reproduce

{recipe}
"""


def _model_line(params: Mapping[str, Any]) -> str:
    """One line saying what the estimator is, from its saved parameters."""
    linear = (
        "a linear SVM (squared hinge loss)"
        if params.get("loss") == "squared_hinge"
        else "a logistic regression"
    )
    word = params.get("word_ngram_range", (1, 2))
    char = params.get("char_ngram_range", (2, 5))
    grams = f"word {word[0]}-{word[1]}-grams" + (
        f" and within-word character {char[0]}-{char[1]}-grams" if char else ""
    )
    floor = params.get("norm_floor")
    if floor is not None:
        grams += (
            f" (L2-normalized per block with a norm floor of {tuple(floor)}: a post of a "
            "few words keeps a shorter row, so one word cannot carry a whole post's weight)"
        )
    return f"TF-IDF over {grams}, then {linear} with C={params.get('C', 10.0)}"


def _converted_line(converted: Any) -> str:
    """The card's note on a model re-saved in a newer format (the manifest's
    ``"converted"``: ``from_format_version``, ``date``, ``library_version``), or ""."""
    if not isinstance(converted, Mapping):
        return ""
    return (
        f"\nConverted from model format {converted.get('from_format_version', 'unknown')} on "
        f"{converted.get('date', 'unknown date')} by arabic_extremism_clf "
        f"{converted.get('library_version', 'unknown')}, without retraining: the weights, "
        "vocabularies and scores are those of the model saved on the date above."
    )


def render_model_card(manifest: Mapping[str, Any]) -> str:
    """The default model card (Markdown) for a manifest.

    Parameters
    ----------
    manifest : dict
        A manifest as written by :func:`~.save.save_model` (see :func:`~.format.read_manifest`).

    Returns
    -------
    str
    """
    params = _mapping(_mapping(manifest.get("estimator")).get("params"))
    flagged = manifest.get("flagged_label")
    return _CARD_TEMPLATE.format(
        version=_mapping(manifest.get("library")).get("version", "unknown"),
        format_version=manifest.get("format_version"),
        created=manifest.get("created", "unknown date"),
        converted=_converted_line(manifest.get("converted")),
        model=_model_line(params),
        classes=", ".join(f"`{c}`" for c in manifest.get("classes", [])),
        flagged_label=f"`{flagged}`" if flagged is not None else "none (the most probable label)",
        threshold=manifest.get("threshold"),
        calibration=(
            "sigmoid (Platt) on out-of-fold decision values"
            if params.get("calibration") == "sigmoid"
            else "none (the logistic regression's own probabilities)"
        ),
        training=_training_section(manifest.get("training")),
        metrics=metrics_section(manifest.get("metrics"), manifest),
        recipe=_recipe_section(manifest.get("training")),
    )
