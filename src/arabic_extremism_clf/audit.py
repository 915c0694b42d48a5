"""Shortcut audit: does a model flag posts on evidence, or on single ordinary words?

A linear model trained on one source learns that source's shortcuts: relay hashtags,
religious formulae, handles, pieces of URLs. :func:`shortcut_audit` measures three
things on a fitted :class:`~arabic_extremism_clf.model.ExtremismClassifier`:

* which of the most frequent tokens and hashtags of ordinary (negative) posts flag a post
  **alone** (the token is the whole post);
* which of them still flag a post inside a **neutral carrier sentence**
  (:data:`NEUTRAL_CARRIERS`: "... today", "my friend said ...", written for this audit,
  about nothing);
* which of the model's top-weighted features for the flagged label are **source
  artefacts** (:func:`artefact_kind`: placeholders of hashtags, handles and URLs, Latin
  pieces of URLs and handles, relay markers, bare numbers).

:func:`ece_by_length` reports calibration error by post length, the other half of
"confidence that reflects evidence": a one-word post must not get a near-certain score.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .evaluate import expected_calibration_error
from .preprocess import HASHTAG_TOKEN, URL_TOKEN, USER_TOKEN, normalize, preprocess

__all__ = [
    "NEUTRAL_CARRIERS",
    "RELAY_MARKERS",
    "LENGTH_BUCKETS",
    "common_tokens",
    "artefact_kind",
    "shortcut_audit",
    "format_audit",
    "audit_markdown",
    "post_lengths",
    "ece_by_length",
    "ece_markdown",
    "evidence_card_sections",
]

#: Neutral carrier sentences (``{}`` is the token): everyday frames that add no
#: evidence of anything ("... today", "my friend said ...", "I wrote the word ... in the
#: notebook", "I heard ... in the cafe", "the teacher explained the meaning of ...").
NEUTRAL_CARRIERS: tuple[str, ...] = (
    "{} اليوم",
    "قال صديقي {}",
    "كتبت كلمة {} في الدفتر",
    "سمعت {} في المقهى",
    "شرح المعلم معنى {}",
)

#: Relay markers, in normalized form: words that ask readers to pass a post on or mark it
#: as news, whatever it says ("RT", "via", "breaking", "spread it", "for sharing"...).
RELAY_MARKERS = frozenset(
    {"rt", "via", "عاجل", "انشر", "انشروا", "للنشر", "نشر", "رتويت", "ريتويت", "تابعونا", "شارك"}
)

#: Post-length buckets (in tokens) of :func:`ece_by_length`: ``(lo, hi)``, ``hi`` included;
#: None is open-ended.
LENGTH_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 2), (3, 5), (6, 10), (11, 20), (21, None))

_PLACEHOLDERS = {URL_TOKEN, USER_TOKEN, HASHTAG_TOKEN}
_HASHTAG_RE = re.compile(r"#([^\s#]+)")
_ARABIC_RE = re.compile(r"[\u0621-\u064A]")
_LATIN_RE = re.compile(r"[a-z]")
_DIGITS_RE = re.compile(r"^[\d\W_]+$")


def common_tokens(
    texts: Iterable[str], n: int = 3000, *, n_hashtags: int = 200, min_chars: int = 2
) -> list[str]:
    """The most frequent tokens and hashtags of a set of posts (by document frequency).

    Tokens are those of :func:`~arabic_extremism_clf.preprocess.preprocess` (normalized),
    without the placeholders (``URL``, ``USER``, ``HASHTAG``), bare numbers and
    punctuation, and tokens shorter than ``min_chars``. Hashtags are the normalized
    ``#tag`` forms.

    Parameters
    ----------
    texts : iterable of str
    n : int, default=3000
        How many tokens.
    n_hashtags : int, default=200
        How many hashtags, added after the tokens (those not already there).
    min_chars : int, default=2

    Returns
    -------
    list of str
        Most frequent first (ties in alphabetical order), tokens then hashtags.
    """
    if n < 0 or n_hashtags < 0:
        raise ValueError(f"n and n_hashtags must be >= 0, got n={n!r}, n_hashtags={n_hashtags!r}")
    tokens: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for text in texts:
        tokens.update(
            {
                t
                for t in preprocess(text)
                if t not in _PLACEHOLDERS and len(t) >= min_chars and not _DIGITS_RE.match(t)
            }
        )
        if "#" in text:
            tags.update({"#" + normalize(tag) for tag in _HASHTAG_RE.findall(text)})

    def top(counter: Counter[str], k: int) -> list[str]:
        return [w for w, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]

    out = top(tokens, n)
    seen = set(out)
    out += [t for t in top(tags, n_hashtags) if t not in seen]
    return out


def artefact_kind(feature: str) -> str | None:
    """The kind of source artefact a feature name is, or None.

    Parameters
    ----------
    feature : str
        A feature name of :class:`~arabic_extremism_clf.features.PostVectorizer`
        (``w:`` word n-gram, ``c:`` character n-gram).

    Returns
    -------
    {"placeholder", "latin", "relay", "number"} or None
        ``placeholder``: a hashtag, handle or URL placeholder; ``latin``: Latin letters
        and no Arabic (pieces of URLs and handles); ``relay``: a relay marker
        (:data:`RELAY_MARKERS`); ``number``: digits only.
    """
    kind, _, text = feature.partition(":")
    if not _:
        kind, text = "w", feature
    words = text.split()
    if any(w in _PLACEHOLDERS for w in words) or re.search(r"[A-Z]{2,}", text):
        return "placeholder"
    if kind == "w" and any(w in RELAY_MARKERS for w in words):
        return "relay"
    if _LATIN_RE.search(text) and not _ARABIC_RE.search(text):
        return "latin"
    if text.strip() and _DIGITS_RE.match(text.strip()):
        return "number"
    return None


def _flagged_scores(model, texts: Sequence[str]) -> np.ndarray:
    column = model.flagged_index_
    if column is None:
        raise ValueError("the model has no flagged label among its classes: nothing to audit")
    return model.predict_proba(list(texts))[:, column]


def shortcut_audit(
    model,
    tokens: Sequence[str],
    *,
    carriers: Sequence[str] = NEUTRAL_CARRIERS,
    threshold: float | None = None,
    top_features: int = 50,
    examples: int = 20,
) -> dict[str, Any]:
    """Which ordinary tokens flag a post alone or in neutral carriers; which features are artefacts.

    Parameters
    ----------
    model : ExtremismClassifier
        Fitted, with a flagged label.
    tokens : sequence of str
        The tokens to try (e.g. :func:`common_tokens` of negative posts).
    carriers : sequence of str, default=NEUTRAL_CARRIERS
        Sentences with one ``{}`` where the token goes.
    threshold : float or None
        Default: the model's threshold.
    top_features : int, default=50
        How many of the highest positive-weight features to check for artefacts.
    examples : int, default=20
        How many flagged tokens (highest score first) to list.

    Returns
    -------
    dict
        ``n_tokens``, ``threshold``, ``carriers`` (each with its own score without a
        token, ``"{}"`` replaced by nothing), ``alone`` and ``in_carrier``
        (``{"flagged", "rate", "examples": [{"token", "score"}]}``; in a carrier, a
        token counts as flagged when any carrier flags it, with the highest score),
        ``max_score_alone``, ``artefacts`` (``{"top", "by_kind", "features":
        [{"feature", "weight", "kind"}]}``).
    """
    if not tokens:
        raise ValueError("tokens is empty: nothing to audit")
    for carrier in carriers:
        if carrier.count("{}") != 1:
            raise ValueError(f"every carrier needs exactly one '{{}}', got {carrier!r}")
    threshold = model.threshold if threshold is None else float(threshold)
    tokens = list(tokens)
    alone = _flagged_scores(model, tokens)
    if carriers:
        filled = [carrier.format(t) for carrier in carriers for t in tokens]
        in_carrier = _flagged_scores(model, filled).reshape(len(carriers), len(tokens)).max(axis=0)
        empty = _flagged_scores(model, [" ".join(c.format("").split()) for c in carriers])
    else:
        in_carrier = np.zeros(len(tokens))
        empty = np.zeros(0)

    def flagged(scores: np.ndarray) -> dict[str, Any]:
        hit = np.flatnonzero(scores >= threshold)
        order = hit[np.argsort(-scores[hit], kind="stable")][:examples]
        return {
            "flagged": int(hit.size),
            "rate": float(hit.size / len(tokens)),
            "examples": [{"token": tokens[i], "score": float(scores[i])} for i in order],
        }

    return {
        "n_tokens": len(tokens),
        "threshold": threshold,
        "carriers": [
            {"carrier": c, "score_without_token": float(s)} for c, s in zip(carriers, empty)
        ],
        "alone": flagged(alone),
        "in_carrier": flagged(in_carrier),
        "max_score_alone": float(alone.max()),
        "artefacts": _artefacts(model, top_features),
    }


def _artefacts(model, top: int) -> dict[str, Any]:
    coef = np.asarray(model.coef_)
    if coef.shape[0] != 1:
        column = model.flagged_index_
        weights = coef[column]
    else:  # two labels: the row is for classes_[1]
        weights = coef[0] if model.flagged_index_ == 1 else -coef[0]
    names = model.vectorizer_.get_feature_names_out()
    order = np.argsort(-weights, kind="stable")[:top]
    features = [
        {
            "feature": str(names[i]),
            "weight": float(weights[i]),
            "kind": artefact_kind(str(names[i])),
        }
        for i in order
    ]
    by_kind = Counter(f["kind"] for f in features if f["kind"])
    return {"top": len(features), "by_kind": dict(sorted(by_kind.items())), "features": features}


def post_lengths(texts: Iterable[str]) -> np.ndarray:
    """Number of tokens of each post (:func:`~arabic_extremism_clf.preprocess.preprocess`)."""
    return np.array([len(preprocess(t)) for t in texts], dtype=np.int64)


def ece_by_length(
    is_flagged_label: Sequence[bool] | np.ndarray,
    proba: Sequence[float] | np.ndarray,
    lengths: Sequence[int] | np.ndarray,
    *,
    buckets: Sequence[tuple[int, int | None]] = LENGTH_BUCKETS,
    n_bins: int = 10,
) -> list[dict[str, Any]]:
    """Expected calibration error of the flagged label's probability, per length bucket.

    Parameters
    ----------
    is_flagged_label : array-like of bool
        Whether each post truly has the flagged label.
    proba : array-like of float
        The calibrated probability of the flagged label.
    lengths : array-like of int
        Tokens per post (:func:`post_lengths`).
    buckets : sequence of (lo, hi or None), default=LENGTH_BUCKETS
    n_bins : int, default=10

    Returns
    -------
    list of dict
        ``{"tokens", "n", "n_positive", "mean_proba", "frac_positive", "max_proba",
        "ece"}`` per bucket (``ece`` etc. None for an empty bucket).
    """
    truth = np.asarray(is_flagged_label, dtype=bool)
    proba = np.asarray(proba, dtype=np.float64)
    lengths = np.asarray(lengths)
    if not len(truth) == len(proba) == len(lengths):
        raise ValueError(
            f"is_flagged_label, proba and lengths differ in length: "
            f"{len(truth)}, {len(proba)}, {len(lengths)}"
        )
    out = []
    for lo, hi in buckets:
        inside = (lengths >= lo) & (lengths <= (hi if hi is not None else np.inf))
        n = int(inside.sum())
        row: dict[str, Any] = {
            "tokens": f"{lo}-{hi}" if hi is not None else f"{lo}+",
            "n": n,
            "n_positive": int(truth[inside].sum()),
        }
        if n:
            row.update(
                mean_proba=float(proba[inside].mean()),
                frac_positive=float(truth[inside].mean()),
                max_proba=float(proba[inside].max()),
                ece=expected_calibration_error(truth[inside], proba[inside], n_bins),
            )
        else:
            row.update(mean_proba=None, frac_positive=None, max_proba=None, ece=None)
        out.append(row)
    return out


def _fmt(value: Any, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_audit(report: Mapping[str, Any]) -> str:
    """A plain-text table of a :func:`shortcut_audit` report (for the CLI)."""
    n = report["n_tokens"]
    lines = [
        f"shortcut audit at threshold {report['threshold']:.2f} over {n:,} common tokens",
        f"{'':<26}{'flagged':>8}{'rate':>9}",
        f"{'alone':<26}{report['alone']['flagged']:>8}{report['alone']['rate']:>9.2%}",
        f"{'in a neutral carrier':<26}{report['in_carrier']['flagged']:>8}"
        f"{report['in_carrier']['rate']:>9.2%}",
        f"highest score of a token alone: {report['max_score_alone']:.3f}",
    ]
    for what in ("alone", "in_carrier"):
        if report[what]["examples"]:
            shown = ", ".join(f"{e['token']} {e['score']:.2f}" for e in report[what]["examples"])
            lines.append(f"flagged {what.replace('_', ' ')}: {shown}")
    art = report["artefacts"]
    kinds = ", ".join(f"{k} {v}" for k, v in art["by_kind"].items()) or "none"
    lines.append(f"source artefacts among the top {art['top']} features: {kinds}")
    for f in art["features"]:
        if f["kind"]:
            lines.append(f"  {f['feature']:<30} {f['weight']:+.3f}  {f['kind']}")
    return "\n".join(lines)


def audit_markdown(report: Mapping[str, Any]) -> str:
    """A Markdown section of a :func:`shortcut_audit` report (for the model card)."""
    alone, carrier = report["alone"], report["in_carrier"]
    art = report["artefacts"]
    parts = [
        f"Of the {report['n_tokens']:,} most common tokens and hashtags of ordinary posts "
        f"(not trained on), at threshold {report['threshold']:.2f}:",
        "| | flagged | rate |\n|---|---:|---:|\n"
        f"| the token alone | {alone['flagged']} | {alone['rate']:.2%} |\n"
        f"| in a neutral carrier sentence | {carrier['flagged']} | {carrier['rate']:.2%} |",
        f"Highest score of a token alone: {report['max_score_alone']:.3f}. Carriers: "
        + ", ".join(f"`{c['carrier']}`" for c in report["carriers"])
        + ".",
    ]
    if alone["examples"]:
        parts.append(
            "Flagged alone: "
            + ", ".join(f"`{e['token']}` {e['score']:.2f}" for e in alone["examples"])
            + "."
        )
    kinds = ", ".join(f"{k}: {v}" for k, v in art["by_kind"].items()) or "none"
    parts.append(f"Source artefacts among the {art['top']} top-weighted features: {kinds}.")
    return "\n\n".join(parts)


def ece_markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown table of :func:`ece_by_length` rows."""
    lines = [
        "| tokens | posts | positives | mean score | positive rate | highest score | ECE |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['tokens']} | {r['n']:,} | {r['n_positive']:,} | {_fmt(r['mean_proba'])} | "
            f"{_fmt(r['frac_positive'])} | {_fmt(r['max_proba'])} | {_fmt(r['ece'], 4)} |"
        )
    return "\n".join(lines)


def evidence_card_sections(metrics: Mapping[str, Any]) -> list[str]:
    """The model card's sections on evidence: shortcut audit, ECE by length, benchmark.

    Parameters
    ----------
    metrics : mapping
        A model's metrics; its ``shortcut_audit``, ``ece_by_length`` and
        ``evidence_benchmark`` (a Markdown table, from ``benchmarks/evidence.py``) are
        shown when present.

    Returns
    -------
    list of str
        Markdown sections (possibly none).
    """
    parts = []
    audit = metrics.get("shortcut_audit")
    if isinstance(audit, Mapping) and "alone" in audit:
        parts.append("### Shortcut audit\n\n" + audit_markdown(audit))
    ece = metrics.get("ece_by_length")
    if isinstance(ece, list) and ece:
        parts.append(
            "### Calibration by post length\n\nOut-of-fold scores of the Alfifi tweets with the "
            "final model's scores of the held-out ordinary posts, by number of tokens:\n\n"
            + ece_markdown(ece)
        )
    bench = metrics.get("evidence_benchmark")
    if isinstance(bench, str) and bench.strip():
        parts.append("### Evidence benchmark (`benchmarks/evidence.py`)\n\n" + bench.strip())
    return parts
