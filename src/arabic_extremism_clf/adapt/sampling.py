"""Choose the unlabelled posts whose labels would teach the model most.

Every strategy first drops posts whose normalized text is in ``exclude`` (already
labelled) and repeats of a normalized text (the first occurrence stays). Then:

* ``"uncertain-diverse"`` (the default): posts in order of **uncertainty**, their distance
  to the operating threshold on the logit scale, ``|logit(p) - logit(threshold)|`` (a post
  at 0.24 next to a threshold of 0.25 is as uncertain as one at 0.26), skipping
  **near-copies** of a post already chosen (cosine similarity of the L2-normalized TF-IDF
  vectors above ``1 - min_distance``) while other posts remain;
* ``"uncertain"``: the ``n`` posts nearest the threshold, near-copies included;
* ``"k-center"``: from the ``pool_factor * n`` posts nearest the threshold, k-center
  greedy over the TF-IDF vectors: the most uncertain post first, then each time the post
  farthest from every post chosen so far (the most diverse batch; it favours outliers);
* ``"random"``: a seeded uniform sample (the baseline).

``benchmarks/adaptation.py`` compares them (README, "Adapting to your platform"). The
result depends only on the inputs and ``seed`` (which orders ties and draws ``random``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..preprocess import normalize
from ..scoring.core import score_batch
from ..scoring_model import Contribution

if TYPE_CHECKING:
    from ..model import ExtremismClassifier

# scikit-learn and scipy are imported in the functions that use them: ``aeclf sample``'s
# parser imports STRATEGIES from here, and scikit-learn takes about 1 s to import.

__all__ = ["STRATEGIES", "ReviewPick", "select_for_review"]

logger = logging.getLogger(__name__)

#: The strategies of :func:`select_for_review`, the default first.
STRATEGIES = ("uncertain-diverse", "uncertain", "k-center", "random")
#: Posts scored per batch (bounds the memory of one sparse matrix).
BATCH = 5000
_EPS = 1e-6


@dataclass(frozen=True)
class ReviewPick:
    """One post chosen for review.

    Attributes
    ----------
    index : int
        Position of the post in the ``texts`` given.
    score : float
        The model's probability of the flagged label.
    ngrams : list of Contribution
        The n-grams that pushed that score most (positive: towards the flagged label).
    """

    index: int
    score: float
    ngrams: list[Contribution]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return np.log(p) - np.log1p(-p)


def _candidates(texts: Sequence[str], exclude: Iterable[str]) -> list[int]:
    """Positions of the first post of each normalized text not in ``exclude``."""
    seen = {normalize(t) for t in exclude}
    keep = []
    for i, text in enumerate(texts):
        key = normalize(text)
        if key and key not in seen:
            seen.add(key)
            keep.append(i)
    return keep


def _k_center(vectors, order: np.ndarray, n: int, min_distance: float) -> list[int]:
    """k-center greedy over rows of ``vectors`` (L2-normalized), starting at ``order[0]``.

    Returns positions into ``vectors``. Ties of the farthest distance go to the
    earlier row in ``order``.
    """
    m = vectors.shape[0]
    rank = np.empty(m, dtype=np.intp)
    rank[order] = np.arange(m)
    first = int(order[0])
    picked = [first]
    nearest = 1.0 - np.asarray((vectors @ vectors[first].T).todense()).ravel()
    nearest[first] = -1.0
    while len(picked) < min(n, m):
        free = nearest >= 0
        far = free & (nearest >= min_distance)
        pool = far if far.any() else free  # near-copies only when nothing else is left
        best = np.flatnonzero(pool & (nearest == nearest[pool].max()))
        choice = int(best[np.argmin(rank[best])])
        picked.append(choice)
        distance = 1.0 - np.asarray((vectors @ vectors[choice].T).todense()).ravel()
        nearest = np.where(nearest < 0, nearest, np.minimum(nearest, distance))
        nearest[choice] = -1.0
    return picked


def _without_near_copies(
    model: ExtremismClassifier, texts: list[str], ordered: np.ndarray, n: int, min_distance: float
) -> list[int]:
    """Up to ``n`` positions of ``ordered`` (into ``texts``), in order, skipping near-copies
    of those taken; near-copies fill the batch only when too few other posts remain.
    Posts are vectorized a chunk at a time, only as far as needed."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize as l2_normalize

    taken: list[int] = []
    chosen = None  # L2-normalized vectors of the posts taken
    skipped: list[int] = []
    chunk = max(BATCH // 5, 4 * n)
    for start in range(0, ordered.size, chunk):
        positions = ordered[start : start + chunk]
        vectors = l2_normalize(model.vectorizer_.transform([texts[i] for i in positions])).tocsr()
        for row, position in enumerate(positions.tolist()):
            vector = vectors[row]
            if chosen is not None and (chosen @ vector.T).toarray().max() > 1.0 - min_distance:
                skipped.append(position)
                continue
            taken.append(position)
            chosen = vector if chosen is None else sp.vstack([chosen, vector]).tocsr()
            if len(taken) == n:
                return taken
    return taken + skipped[: n - len(taken)]


def select_for_review(
    model: ExtremismClassifier,
    texts: Sequence[str],
    n: int,
    *,
    strategy: str = "uncertain-diverse",
    threshold: float | None = None,
    exclude: Iterable[str] = (),
    seed: int = 0,
    pool_factor: int = 5,
    min_distance: float = 0.2,
    top: int = 5,
) -> list[ReviewPick]:
    """Choose up to ``n`` posts of ``texts`` for a reviewer to label.

    Parameters
    ----------
    model : ExtremismClassifier
        A fitted classifier with a flagged label.
    texts : sequence of str
        Unlabelled posts.
    n : int
        How many posts to choose (fewer when fewer candidates remain).
    strategy : {"uncertain-diverse", "uncertain", "k-center", "random"}, default="uncertain-diverse"
        See the module docstring.
    threshold : float or None
        The operating threshold; default ``model.threshold``.
    exclude : iterable of str
        Posts already labelled: a post whose normalized text is among theirs is skipped.
    seed : int, default=0
        Seeds the order of ties and the random strategy.
    pool_factor : int, default=5
        ``"k-center"``: the pool holds ``pool_factor * n`` posts.
    min_distance : float, default=0.2
        ``"uncertain-diverse"`` and ``"k-center"``: posts within this cosine distance of a
        chosen post are near-copies.
    top : int, default=5
        How many n-grams to return per post.

    Returns
    -------
    list of ReviewPick
        In the order chosen (most informative first for the uncertainty strategies).

    Raises
    ------
    ValueError
        If the model has no flagged label, or a parameter is out of range.

    Examples
    --------
    >>> texts = ["فاز الفريق بالمباراة", "هدف رائع في المباراة", "الفريق بطل الدوري",
    ...          "طقس ممطر اليوم", "درجات الحرارة مرتفعة", "رياح وغيوم اليوم"] * 3
    >>> clf = ExtremismClassifier(min_df=1, calibration_cv=3, flagged_label="sport")
    >>> clf = clf.fit(texts, (["sport"] * 3 + ["weather"] * 3) * 3)
    >>> picks = select_for_review(clf, ["مباراة اليوم", "طقس الدوري", "مباراة اليوم"], 5)
    >>> sorted(p.index for p in picks)
    [0, 1]
    """
    if strategy not in STRATEGIES:
        raise ValueError(
            f"strategy must be one of {', '.join(map(repr, STRATEGIES))}, got {strategy!r}"
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if (
        isinstance(pool_factor, bool)
        or not isinstance(pool_factor, (int, np.integer))
        or pool_factor < 1
    ):
        raise ValueError(f"pool_factor must be a positive int, got {pool_factor!r}")
    if not 0.0 <= min_distance <= 1.0:
        raise ValueError(f"min_distance must be in [0, 1], got {min_distance!r}")
    flagged = model.flagged_index_
    if flagged is None:
        raise ValueError(
            f"the model's flagged_label {model.flagged_label!r} is not one of its labels "
            f"{list(model.classes_)}: sampling works around the flagged label's threshold"
        )
    threshold = float(model.threshold if threshold is None else threshold)
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    texts = list(texts)
    candidates = np.asarray(_candidates(texts, exclude), dtype=np.intp)
    rng = np.random.default_rng(seed)
    if not candidates.size:
        return []
    if strategy == "random":
        chosen = np.sort(rng.choice(candidates, size=min(n, candidates.size), replace=False))
        scores, features = _score(model, [texts[i] for i in chosen])
        return _picks(model, chosen, scores, features, top)
    scores, _ = _score(model, [texts[i] for i in candidates], keep_features=False)
    distance = np.abs(_logit(scores) - _logit(np.array([threshold])))
    # Most uncertain first; ties in a seeded order.
    order = np.lexsort((rng.permutation(candidates.size), distance))
    if strategy == "uncertain":
        chosen = candidates[order[:n]]
        scores, features = _score(model, [texts[i] for i in chosen])
        return _picks(model, chosen, scores, features, top)
    if strategy == "uncertain-diverse":
        chosen = np.asarray(_without_near_copies(model, texts, candidates[order], n, min_distance))
        scores, features = _score(model, [texts[i] for i in chosen])
        return _picks(model, chosen, scores, features, top)
    pool = candidates[order[: n * pool_factor]]
    pool_scores, pool_features = _score(model, [texts[i] for i in pool])
    from sklearn.preprocessing import normalize as l2_normalize

    vectors = l2_normalize(pool_features, norm="l2", copy=True).tocsr()
    picked = _k_center(vectors, np.arange(pool.size), n, min_distance)
    logger.info(
        "chose %d of %d candidates (pool of %d around %g)",
        len(picked),
        candidates.size,
        pool.size,
        threshold,
    )
    return _picks(model, pool[picked], pool_scores[picked], pool_features[picked], top)


def _score(model: ExtremismClassifier, texts: list[str], *, keep_features: bool = True):
    """Flagged-label probabilities (and the feature matrix) of ``texts``, in batches."""
    import scipy.sparse as sp

    column = model.flagged_index_
    scores, blocks = [], []
    for start in range(0, len(texts), BATCH):
        scored = score_batch(model, texts[start : start + BATCH], keep_features=keep_features)
        scores.append(scored.proba[:, column])
        if keep_features:
            blocks.append(scored.features)
    out = np.concatenate(scores) if scores else np.zeros(0)
    return out, (sp.vstack(blocks).tocsr() if blocks else None)


def _picks(model: ExtremismClassifier, positions, scores, features, top: int) -> list[ReviewPick]:
    if not len(positions):
        return []
    labels = [str(model.classes_[model.flagged_index_])] * len(positions)
    ngrams = model.explanations_from_features(features, labels, top=top)
    return [
        ReviewPick(index=int(i), score=float(s), ngrams=g)
        for i, s, g in zip(positions, scores, ngrams)
    ]
