"""The evidence figures recorded with every trained model: shortcut audit, ECE by length.

:func:`recipe_audit` (default recipe) and :func:`corpus_audit` (a user's corpus) return
the entries that :mod:`arabic_extremism_clf.training` adds to a model's metrics, so that
the model card of every trained model shows them (:mod:`arabic_extremism_clf.audit`).
"""

from __future__ import annotations

import os

import numpy as np

from .audit import common_tokens, ece_by_length, post_lengths, shortcut_audit
from .corpus import Corpus

__all__ = ["AUDIT_TOKENS", "default_audit_tokens", "recipe_audit", "corpus_audit"]

#: How many common tokens of ordinary posts the shortcut audit of a trained model tries.
AUDIT_TOKENS = 3000
#: The held-out set of the default recipe whose rows are ordinary traffic.
ORDINARY = "ordinary_heldout"


def default_audit_tokens(
    data_dir: str | os.PathLike[str] | None = None, *, n: int = AUDIT_TOKENS
) -> list[str]:
    """The tokens of the default shortcut audit: the most common ones of ordinary posts.

    The posts are the default recipe's held-out ordinary traffic (``ordinary_heldout``:
    news posts, everyday and offensive tweets, Levantine political tweets, news
    sentences), never trained on (:func:`~arabic_extremism_clf.audit.common_tokens`).

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
    n : int, default=AUDIT_TOKENS

    Returns
    -------
    list of str
    """
    from .training import default_training_set

    return common_tokens(default_training_set(data_dir).heldout[ORDINARY].texts, n)


def recipe_audit(model, ts, oof: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """Shortcut audit and ECE by length of a model trained with the default recipe.

    Parameters
    ----------
    model : ExtremismClassifier
    ts : TrainingSet
        The tokens audited are the commonest of ``heldout['ordinary_heldout']``, or of the
        training negatives when the set has no such held-out part.
    oof : (proba, classes) or None
        Out-of-fold probabilities on ``ts.cv_corpus``; without them there is no ECE.

    Returns
    -------
    dict
        ``shortcut_audit`` and, with ``oof``, ``ece_by_length`` (out-of-fold Alfifi
        scores pooled with the final model's scores on the ordinary held-out posts).
    """
    ordinary = ts.heldout.get(ORDINARY)
    if ordinary is None:
        # A training set without the ordinary held-out posts (a toy or custom recipe):
        # audit the commonest tokens of its own negatives.
        return corpus_audit(model, ts.train)
    out: dict = {
        "shortcut_audit": shortcut_audit(model, common_tokens(ordinary.texts, AUDIT_TOKENS))
    }
    if oof is not None:
        proba, classes = oof
        column = list(classes).index(model.flagged_label)
        scores = np.concatenate(
            [proba[:, column], model.predict_proba(list(ordinary.texts))[:, model.flagged_index_]]
        )
        truth = np.concatenate(
            [np.asarray(ts.cv_corpus.labels) == model.flagged_label, np.zeros(len(ordinary), bool)]
        )
        lengths = post_lengths(list(ts.cv_corpus.texts) + list(ordinary.texts))
        out["ece_by_length"] = ece_by_length(truth, scores, lengths)
    return out


def corpus_audit(model, corpus: Corpus) -> dict:
    """Shortcut audit of a model trained on a user's corpus, on its own negatives.

    Parameters
    ----------
    model : ExtremismClassifier
    corpus : Corpus
        The training corpus; the audit tokens are the most common ones of its rows that
        do not have the flagged label.

    Returns
    -------
    dict
        ``{"shortcut_audit": ...}``, or empty when the model has no flagged label or the
        negatives have no token.
    """
    if model.flagged_index_ is None:
        return {}
    negatives = [t for t, label in zip(corpus.texts, corpus.labels) if label != model.flagged_label]
    tokens = common_tokens(negatives, AUDIT_TOKENS)
    return {"shortcut_audit": shortcut_audit(model, tokens)} if tokens else {}
