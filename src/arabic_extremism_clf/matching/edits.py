"""Seeded, composable edits that re-posters use to dodge exact matching.

For measuring matching (``benchmarks/matching.py``) and testing it, on neutral text
only. Each edit is a function ``(text, rng) -> text``; :data:`EDITS` names them all and
:func:`apply_edits` applies a seeded random sequence of them.

Character-level edits touch a random share of the letters (:data:`CHAR_RATE`);
insertions add one to three items; the word-level edits drop or swap one word or cut
the end of the post.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence

__all__ = ["EDITS", "CHAR_RATE", "apply_edits", "edit_names"]

#: Share of the eligible characters a character-level edit changes.
CHAR_RATE = 0.3

_ARABIC_LETTERS = {chr(c) for c in range(0x0621, 0x064B)}
_DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)]  # fathatan .. sukun
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u2066", "\u2069"]
_EMOJI = ["😀", "🌞", "⚽", "🌹", "👍🏽", "❤️", "🔥", "✨", "🎉", "🙏"]
_PUNCT = ["!", "!!", "؟", "...", "،", ".", "؛", "-", "*", "«", "»", ":"]
_HANDLE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TAG_WORDS = ["اليوم", "عاجل", "الرياض", "رياضة", "طقس", "اخبار", "صباح_الخير", "news"]
_LOOKALIKES = {
    "\u064a": ["\u0649", "\u06cc"],  # yeh -> alef maksura, Farsi yeh
    "\u0649": ["\u064a", "\u06cc"],
    "\u0647": ["\u0629"],  # heh -> teh marbuta
    "\u0629": ["\u0647"],
    "\u0627": ["\u0623", "\u0625", "\u0622"],  # alef -> hamza/madda forms
    "\u0643": ["\u06a9"],  # kaf -> keheh
}


def _presentation_forms() -> dict[str, list[str]]:
    """Arabic letter -> its presentation forms (U+FE70..U+FEFC), from unicodedata."""
    forms: dict[str, list[str]] = {}
    for code in range(0xFE70, 0xFEFD):
        char = chr(code)
        decomposition = unicodedata.normalize("NFKC", char)
        if len(decomposition) == 1 and decomposition in _ARABIC_LETTERS:
            forms.setdefault(decomposition, []).append(char)
    return forms


_FORMS = _presentation_forms()


def _per_char(text: str, rng: random.Random, change: Callable[[str], str | None]) -> str:
    """Apply ``change`` to a share CHAR_RATE of the characters it accepts."""
    out = []
    for char in text:
        new = change(char) if rng.random() < CHAR_RATE else None
        out.append(char if new is None else new)
    return "".join(out)


def diacritics(text: str, rng: random.Random) -> str:
    """Add harakat after letters."""
    return _per_char(
        text, rng, lambda c: c + rng.choice(_DIACRITICS) if c in _ARABIC_LETTERS else None
    )


def tatweel(text: str, rng: random.Random) -> str:
    """Add tatweel (kashida) after letters."""
    return _per_char(
        text, rng, lambda c: c + "\u0640" * rng.randint(1, 3) if c in _ARABIC_LETTERS else None
    )


def stretch(text: str, rng: random.Random) -> str:
    """Repeat one letter in one to three words three to six times."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        letters = [j for j, c in enumerate(words[i]) if c in _ARABIC_LETTERS]
        if letters:
            j = rng.choice(letters)
            words[i] = words[i][:j] + words[i][j] * rng.randint(3, 6) + words[i][j + 1 :]
    return " ".join(words)


def zero_width(text: str, rng: random.Random) -> str:
    """Insert zero-width and bidi control characters after characters."""
    return _per_char(text, rng, lambda c: c + rng.choice(_ZERO_WIDTH))


def presentation_forms(text: str, rng: random.Random) -> str:
    """Replace letters by one of their Arabic presentation forms."""
    return _per_char(text, rng, lambda c: rng.choice(_FORMS[c]) if c in _FORMS else None)


def lookalikes(text: str, rng: random.Random) -> str:
    """Swap letters for look-alikes (ى/ي, ة/ه, أ/ا, Persian ک/ی)."""
    return _per_char(text, rng, lambda c: rng.choice(_LOOKALIKES[c]) if c in _LOOKALIKES else None)


def _insert_words(text: str, rng: random.Random, make: Callable[[], str]) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randint(0, len(words)), make())
    return " ".join(words)


def emoji(text: str, rng: random.Random) -> str:
    """Insert one to three emoji between words."""
    return _insert_words(text, rng, lambda: rng.choice(_EMOJI) * rng.randint(1, 3))


def punctuation(text: str, rng: random.Random) -> str:
    """Insert punctuation, attached to words or alone."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.7:
            i = rng.randrange(len(words))
            words[i] += rng.choice(_PUNCT)
        else:
            words.insert(rng.randint(0, len(words)), rng.choice(_PUNCT))
    return " ".join(words)


def hashtags(text: str, rng: random.Random) -> str:
    """Turn a word (or two, joined by ``_``) into a hashtag, or add a neutral hashtag."""
    words = text.split(" ")
    if rng.random() < 0.5 and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = (
            ["#" + "_".join(words[i : i + 2])]
            if rng.random() < 0.5
            else ["#" + words[i], words[i + 1]]
        )
        return " ".join(words)
    return _insert_words(text, rng, lambda: "#" + rng.choice(_TAG_WORDS))


def _handle(rng: random.Random) -> str:
    return "@" + "".join(rng.choice(_HANDLE_CHARS) for _ in range(rng.randint(4, 12)))


def handles(text: str, rng: random.Random) -> str:
    """Insert one to three @handles."""
    return _insert_words(text, rng, lambda: _handle(rng))


def retweet(text: str, rng: random.Random) -> str:
    """Prefix an ``RT @handle:`` marker."""
    return f"RT {_handle(rng)}: {text}"


def urls(text: str, rng: random.Random) -> str:
    """Insert or append a short link."""
    link = "https://t.co/" + "".join(rng.choice(_HANDLE_CHARS) for _ in range(10))
    if rng.random() < 0.5:
        return f"{text} {link}"
    return _insert_words(text, rng, lambda: link) if rng.random() < 0.5 else f"{link} {text}"


def drop_word(text: str, rng: random.Random) -> str:
    """Delete one word."""
    words = text.split(" ")
    if len(words) > 1:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def swap_words(text: str, rng: random.Random) -> str:
    """Swap two neighbouring words."""
    words = text.split(" ")
    if len(words) > 1:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def truncate(text: str, rng: random.Random) -> str:
    """Cut the last 10-20% of the words."""
    words = text.split(" ")
    keep = max(1, len(words) - max(1, round(len(words) * rng.uniform(0.1, 0.2))))
    return " ".join(words[:keep])


#: Every edit by name, in a fixed order.
EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "diacritics": diacritics,
    "tatweel": tatweel,
    "stretch": stretch,
    "zero_width": zero_width,
    "presentation_forms": presentation_forms,
    "lookalikes": lookalikes,
    "emoji": emoji,
    "punctuation": punctuation,
    "hashtags": hashtags,
    "handles": handles,
    "retweet": retweet,
    "urls": urls,
    "drop_word": drop_word,
    "swap_words": swap_words,
    "truncate": truncate,
}


def edit_names() -> list[str]:
    """The names of :data:`EDITS`, in order."""
    return list(EDITS)


def apply_edits(
    text: str, n: int | Sequence[str], rng: random.Random | int
) -> tuple[str, list[str]]:
    """Apply ``n`` random edits (or the named ones, in order) to a post.

    Parameters
    ----------
    text : str
    n : int or sequence of str
        How many edits to draw (with replacement, uniformly from :data:`EDITS`; a
        retweet marker at most once), or the names of the edits to apply.
    rng : random.Random or int
        The random generator, or a seed for one.

    Returns
    -------
    edited : str
    names : list of str
        The edits applied, in order.

    Examples
    --------
    >>> apply_edits("مباراة كرة القدم اليوم مساء", ["drop_word"], 0)[1]
    ['drop_word']
    """
    if not isinstance(rng, random.Random):
        rng = random.Random(rng)
    if isinstance(n, int):
        names: list[str] = []
        while len(names) < n:
            name = rng.choice(list(EDITS))
            if name == "retweet" and name in names:
                continue
            names.append(name)
    else:
        names = list(n)
        unknown = [name for name in names if name not in EDITS]
        if unknown:
            raise ValueError(f"unknown edits {unknown}: use any of {', '.join(EDITS)}")
    for name in names:
        text = EDITS[name](text, rng)
    return text, names
