"""Functional tests: Arabic lines that a promotion classifier must *not* flag.

A held-out table of short Arabic posts, grouped by *functionality* in the manner of
HateCheck (Röttger et al. 2021; Röttger et al. 2022, Multilingual HateCheck): each
functionality names one kind of text that shares vocabulary with pro-extremist
propaganda but does not promote any group, so that a model's errors can be read per
kind of text rather than as one aggregate score.

The hard cases for this library are texts that use the same words as propaganda:

* counter-speech that quotes, mocks or refutes the group (``counter_*``);
* neutral news that reports on it (``news_reporting``);
* everyday religious speech that uses *khilafa*, *jihad*, *shahid*, *al-janna* or
  *al-umma al-islamiyya* in their ordinary senses (``religious_*``, ``everyday_shaheed``).

Every case carries the expected label :data:`~arabic_extremism_clf.corpus.NOT_PROMOTIONAL`.
The table deliberately holds no promotional line at all.

The lines were written for this project (they are not copied from HateCheck or from any
corpus of the shared data directory), so they ship with the library under its own licence,
as the package data file ``data/functional_cases.tsv`` (columns ``functionality``,
``expected``, ``text``, ``note``; format and checks in :mod:`.tables`).
They are in Modern Standard Arabic with some Gulf, Levantine and Egyptian dialect, at
social-media post length. The ``note`` of a case is a short English gloss; a tag such as
``[Gulf]`` marks a dialect line.

Notes
-----
This table is **held out from training**: never train, tune thresholds or select
features on it. It measures how a fitted model behaves on kinds of text it must leave
alone; fitting on it would hide exactly the failures it is meant to reveal.

References
----------
.. [1] P. Röttger, B. Vidgen, D. Nguyen, Z. Waseem, H. Margetts and J. Pierrehumbert,
   "HateCheck: Functional Tests for Hate Speech Detection Models", ACL 2021.
.. [2] P. Röttger, H. Seelawi, D. Nozza, Z. Talat and B. Vidgen, "Multilingual HateCheck:
   Functional Tests for Multilingual Hate Speech Detection Models", WOAH 2022.

Examples
--------
>>> from arabic_extremism_clf.functional import FUNCTIONALITIES, cases
>>> "counter_so_called" in FUNCTIONALITIES
True
>>> all(c.expected == "not_promotional" for c in cases("news_reporting"))
True
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import NOT_PROMOTIONAL, PROMOTIONAL
from .tables import TableSpec, read_table

__all__ = ["FunctionalCase", "FUNCTIONALITIES", "CASES", "LABELS", "cases"]

#: The labels a case may expect (the training label scheme of :mod:`.corpus`).
LABELS = (PROMOTIONAL, NOT_PROMOTIONAL)


@dataclass(frozen=True)
class FunctionalCase:
    """One functional test case.

    Parameters
    ----------
    functionality : str
        The key of :data:`FUNCTIONALITIES` the case tests.
    text : str
        The Arabic post.
    expected : str
        The label a correct model gives: ``"not_promotional"`` for every case shipped.
    note : str
        A short English gloss (with a dialect tag such as ``[Gulf]`` where it applies).
    """

    functionality: str
    text: str
    expected: str = NOT_PROMOTIONAL
    note: str = ""


#: Functionality name -> one-line English description.
FUNCTIONALITIES: dict[str, str] = {
    "counter_quote_refute": "Quotes a slogan or claim of the group in order to refute it.",
    "counter_so_called": "Mocks the 'so-called' state / alleged caliphate "
    "('ما يسمى', 'المزعومة', 'تنظيم داعش الإرهابي').",
    "counter_defeat_news": "Celebrates or announces defeats, arrests, liberated towns "
    "and the end of the alleged caliphate.",
    "counter_victims": "Names or mourns victims of the group; solidarity with survivors.",
    "counter_religious": "Religious vocabulary used against the group (khawarij, "
    "'Islam is innocent', scholars condemning).",
    "counter_patriotic": "Patriotic, army and police vocabulary against terrorism; "
    "condolences to fallen security forces.",
    "news_reporting": "Neutral, agency-style news mentioning the group "
    "(attacks, statements, analysis, trials).",
    "religious_prayer": "Ordinary prayers, supplications and Friday greetings.",
    "religious_greeting": "Eid, Ramadan and other religious greetings, "
    "some mentioning 'الأمة الإسلامية'.",
    "religious_history": "Islamic history lessons using 'الخلافة' and early battles "
    "in their historical sense.",
    "religious_jurisprudence": "Fiqh and hadith lessons (jihad of the self, zakat, prayer "
    "rulings, ordinary senses of 'شهيد').",
    "everyday_shaheed": "Everyday condolences and mourning mentioning شهيد / الشهداء / الجنة.",
}

#: The table file (``data/functional_cases.tsv``): one case a line.
_TABLE = TableSpec(
    name="functional_cases.tsv",
    columns=("functionality", "expected", "text", "note"),
    allowed={"functionality": FUNCTIONALITIES, "expected": LABELS},
    optional=("note",),
)

_ORDER = {name: i for i, name in enumerate(FUNCTIONALITIES)}

#: The whole table, section by section, in the order of :data:`FUNCTIONALITIES`
#: (file order within a section).
CASES: tuple[FunctionalCase, ...] = tuple(
    FunctionalCase(**row)
    for row in sorted(read_table(_TABLE), key=lambda row: _ORDER[row["functionality"]])
)


def cases(functionality: str | None = None) -> list[FunctionalCase]:
    """Return the functional test cases, all of them or those of one functionality.

    Parameters
    ----------
    functionality : str or None
        A key of :data:`FUNCTIONALITIES`; ``None`` returns every case.

    Returns
    -------
    list of FunctionalCase
        The cases, in table order.

    Raises
    ------
    ValueError
        If `functionality` is not a key of :data:`FUNCTIONALITIES`.
    """
    if functionality is None:
        return list(CASES)
    if functionality not in FUNCTIONALITIES:
        known = ", ".join(FUNCTIONALITIES)
        raise ValueError(f"unknown functionality {functionality!r}; known: {known}")
    return [case for case in CASES if case.functionality == functionality]
