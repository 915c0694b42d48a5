"""Authored hard negatives for TRAINING (never for evaluation).

Why this module exists
----------------------
The only public training corpus with pro-ISIS posts (1,000 tweets from 2015) has almost
no *negatives that share its vocabulary*: counter-speech in tweet form, news about ISIS,
and everyday religious posts that say الخلافة، الدولة الإسلامية، الجهاد، الشهيد، الجنة،
الأمة، البيعة، الكفار... in a non-promotional sense. A classifier trained on it learns the
shortcut "mentions the caliphate => promotional". :data:`POSTS` is a small set of such
hard negatives, every one of them labelled *not promotional*, to be added to the training
data so that the loaded words stop being sufficient evidence on their own.

What is in it
-------------
Tweet-length posts (about 6 to 35 words) in Modern Standard Arabic and in Gulf, Levantine,
Egyptian, Iraqi and Maghrebi dialects, some with social-media features (hashtags, emoji,
``@USER`` mentions, ``RT``, ``http://t.co/xxxx`` links). They are counter-speech and
mockery of the group, news and analysis that report on it, Islamic history (the Rashidun,
Umayyad, Abbasid, Andalusian, Fatimid and Ottoman caliphates, the conquests), anti-colonial
resistance history (Omar al-Mukhtar, the Algerian revolution...), fiqh lessons on jihad,
Quran and hadith lessons, sermons against extremism, condolences for the deceased, for
victims of terrorism and for security forces, greetings and prayers. No post praises,
supports, recruits for or threatens on behalf of any extremist group: a slogan of the group
appears only inside a sentence that refutes, mocks or reports it. See :data:`CATEGORIES`.

Authorship and licence
----------------------
Every post was written for this project (no post is copied from a corpus, from social
media or from the shared data directory) and is released under the project's licence
(MIT). The posts ship as the package data file ``data/authored_negatives.tsv`` (columns
``category``, ``text``; format and checks in :mod:`.tables`). The public figures and events named are real and referred to as reported; the
private persons are invented.

Independence from the held-out functional table, and its limits
---------------------------------------------------------------
These posts were written without looking at the held-out functional test table
(:mod:`arabic_extremism_clf.functional`), and must never be used to evaluate a model.
Both sets were nevertheless written by the same project, from the same brief, about the same
phenomenon, so they share vocabulary, topics and authoring habits that real posts do not
necessarily share. A gain measured on the functional table after training on these posts is
therefore *optimistic*: report it as such, and prefer evidence from independent data.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import TableSpec, read_table

__all__ = ["AuthoredPost", "CATEGORIES", "POSTS"]


@dataclass(frozen=True)
class AuthoredPost:
    """One authored, non-promotional post.

    Attributes:
        category: A key of :data:`CATEGORIES`.
        text: The post, as it would appear on social media.
    """

    category: str
    text: str


#: Category key -> what its posts are. Every post of :data:`POSTS` is *not promotional*.
CATEGORIES: dict[str, str] = {
    "counter_mockery": "sarcasm and dialect jokes mocking ISIS, its 'caliphate' and its leaders",
    "counter_refutation": "earnest counter-speech refuting ISIS claims, slogans and recruitment",
    "news": "news reporting on ISIS, its attacks, its defeat and counter-terrorism",
    "analysis": "analysis, research and commentary on extremism and radicalisation",
    "history_caliphate": "Islamic history: the historical caliphates, bay'a, conquests, sira",
    "history_resistance": "anti-colonial resistance history: Omar al-Mukhtar, Algeria, the Rif",
    "fiqh_jihad": "fiqh lessons on jihad: jihad al-nafs, conditions, rules of war",
    "quran_lesson": "Quran and hadith lessons using the loaded vocabulary in context",
    "sermon": "sermons and clerics' lessons against takfir, ghuluw and the Khawarij",
    "shaheed_condolence": "condolences for deceased relatives and civilians called shuhada'",
    "security_condolence": "condolences and tributes for soldiers and police killed by terrorists",
    "victims": "mourning and remembering the victims of ISIS crimes",
    "greeting": "Eid, Ramadan, Hajj, Friday and other religious greetings",
    "prayer": "du'a and supplications",
}

#: The table file (``data/authored_negatives.tsv``): one post a line.
_TABLE = TableSpec(
    name="authored_negatives.tsv",
    columns=("category", "text"),
    allowed={"category": CATEGORIES},
)

_ORDER = {name: i for i, name in enumerate(CATEGORIES)}

#: Every authored post, in category order. All are *not promotional*; for training only.
POSTS: tuple[AuthoredPost, ...] = tuple(
    AuthoredPost(**row)
    for row in sorted(read_table(_TABLE), key=lambda row: _ORDER[row["category"]])
)
