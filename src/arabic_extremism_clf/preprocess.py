"""Normalization and tokenization of real-world Arabic social-media posts.

CAMeL Tools does the Arabic work: :func:`camel_tools.utils.normalize.normalize_unicode`,
:func:`camel_tools.utils.dediac.dediac_ar`, ``normalize_alef_ar``,
``normalize_alef_maksura_ar``, ``normalize_teh_marbuta_ar`` and
:func:`camel_tools.tokenizers.word.simple_word_tokenize` run as they are. Around them
this module adds what real posts need and CAMeL Tools lacks, as small steps applied in
one documented order (see :func:`normalize`).

Speed: the string-wide steps (HTML entities, control characters, the retweet marker) are
single C-level passes; everything else works on whitespace-separated chunks, and the
result of each distinct chunk is memoized, because most chunks (words) repeat across
posts. The memo is bounded (:data:`CACHE_SIZE` entries per option set) and is cleared
when full.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import _charset_cache

__all__ = [
    "normalize",
    "tokenize",
    "preprocess",
    "URL_TOKEN",
    "USER_TOKEN",
    "HASHTAG_TOKEN",
    "PLACEHOLDER_TOKENS",
    "CACHE_SIZE",
]


# CAMeL Tools' functions, which this module runs as they are. They are imported on first
# use by _load_camel(), not at import: importing them builds CAMeL Tools' Unicode
# character sets (about 0.4 s; :mod:`._charset_cache` keeps them between runs), so that
# ``import arabic_extremism_clf`` stays fast and reads no file. Reading one of these
# names from outside (``preprocess.dediac_ar``) imports them too (``__getattr__``).
if TYPE_CHECKING:
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )
_CAMEL_NAMES = (
    "normalize_unicode", "dediac_ar", "normalize_alef_ar", "normalize_alef_maksura_ar",
    "normalize_teh_marbuta_ar", "simple_word_tokenize",
)  # fmt: skip
_camel_loaded = False
# A character at which CAMeL's ``simple_word_tokenize`` may split a word: every
# alternative of its symbol pattern starts with a regional indicator, an emoji
# character, a keycap base (0-9, *, #), a symbol or a punctuation mark. Compiled with
# CAMeL's own regular expression module (``regex``, for its Unicode properties) by
# _load_camel().
_MAY_SPLIT_RE: Any = None


def _load_camel() -> None:
    """Import CAMeL Tools' functions into this module's namespace (once)."""
    global _camel_loaded, _MAY_SPLIT_RE
    if _camel_loaded:
        return
    _charset_cache.install()
    import regex

    _MAY_SPLIT_RE = regex.compile(r"[\p{RI}\p{Emoji}\p{S}\p{P}0-9*#]")
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    names = globals()
    for name, value in zip(_CAMEL_NAMES, (
        normalize_unicode, dediac_ar, normalize_alef_ar, normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar, simple_word_tokenize,
    )):  # fmt: skip
        names.setdefault(name, value)  # a name already set (a test's spy) stays
    _camel_loaded = True


def __getattr__(name: str) -> Any:
    if name in _CAMEL_NAMES:
        _load_camel()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Token that replaces a URL (and the ``URL`` placeholder of public corpora).
URL_TOKEN = "URL"
#: Token that replaces an @mention (and the ``@USER`` / ``<USER>`` placeholders).
USER_TOKEN = "USER"
#: Token placed before the words of a hashtag.
HASHTAG_TOKEN = "HASHTAG"
#: All placeholder tokens. They are upper case, and all other Latin text is lower-cased,
#: so a placeholder never collides with a word of the post. (A bare upper-case "URL",
#: "USER" or "HASHTAG" in the input is read as the placeholder.)
PLACEHOLDER_TOKENS = frozenset({URL_TOKEN, USER_TOKEN, HASHTAG_TOKEN})

#: Maximum number of distinct chunks memoized per option set before the memo is cleared.
CACHE_SIZE = 500_000

# --- string-wide steps -------------------------------------------------------------

# Bidi and zero-width control characters: U+200B..U+200F, U+202A..U+202E,
# U+2066..U+2069, U+FEFF. Deleted with one str.translate.
_CONTROL_CHARS = (
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff"]
)
_STRING_TABLE = {ord(c): None for c in _CONTROL_CHARS}
# NUL, emoji variation selectors and skin-tone modifiers carry no meaning here, and
# deleting them keeps one token per emoji.
_STRING_TABLE.update({c: None for c in (0x0000, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400))})
# Lone surrogates cannot be encoded and break downstream code: replace them.
_STRING_TABLE.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
# The corpora's line-break placeholder is a line break.
_LF_RE = re.compile(r"<LF>")
# A leading retweet marker: "RT @user: ..." or "RT: ..." or "RT ...".
_RT_RE = re.compile(r"^\s*RT\b:?\s*")


def _unescape_html(text: str) -> str:
    """Unescape HTML entities (``&rlm;``, ``&gt;``, ``&amp;``...)."""
    return html.unescape(text) if "&" in text else text


# Any character of _STRING_TABLE. str.translate with a dict looks every character up in
# Python, so it runs only on the few posts in which this C-level search finds one.
def _char_class(codes: list[int]) -> str:
    """A regex character class of code points, consecutive ones as ranges."""
    parts, start = [], None
    for i, code in enumerate(codes):
        if start is None:
            start = code
        if i + 1 == len(codes) or codes[i + 1] != code + 1:
            parts.append(f"\\U{start:08x}" + (f"-\\U{code:08x}" if code != start else ""))
            start = None
    return "[" + "".join(parts) + "]"


_STRING_TABLE_RE = re.compile(_char_class(sorted(_STRING_TABLE)))


def _strip_controls(text: str) -> str:
    """Delete bidi and zero-width control characters; replace lone surrogates."""
    return text.translate(_STRING_TABLE) if _STRING_TABLE_RE.search(text) else text


def _drop_retweet_marker(text: str) -> str:
    """Drop a leading ``RT`` retweet marker (the mention after it stays)."""
    return _RT_RE.sub("", text, count=1) if "RT" in text[:8] else text


# --- chunk steps (one whitespace-free chunk at a time) --------------------------------

_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Placeholders of public corpora: "@USER", "<USER>", "URL" (case-sensitive on purpose).
# A bare upper-case "USER" or "HASHTAG" is read as the placeholder too, like "URL", so
# that normalizing a normalized post changes nothing.
_CORPUS_USER_RE = re.compile(r"@USER\b|<USER>")
_CORPUS_BARE_RE = re.compile(r"(?<![A-Za-z])(URL|USER|HASHTAG)(?![A-Za-z])")
# Combining marks (Latin, Arabic harakat, Quranic marks) are not matched by \w, but they
# are part of a mention or hashtag word: "#رَمضان" is one word, not "#ر" + "َمضان".
_MARKS = (
    "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
_MENTION_RE = re.compile(f"@[\\w{_MARKS}]+")
_HASHTAG_RE = re.compile(f"#([\\w{_MARKS}]+)")
# Placeholders are first written as NUL-delimited lower-case marks (NUL is deleted from
# the input, and marks survive lower-casing and the Arabic normalizers), then turned into
# the upper-case tokens as the last step.
_PLACEHOLDER_MARK = {URL_TOKEN: "\x00u\x00", USER_TOKEN: "\x00m\x00", HASHTAG_TOKEN: "\x00h\x00"}
_MARK_RE = re.compile("\x00([umh])\x00")
_MARK_BACK = {"u": URL_TOKEN, "m": USER_TOKEN, "h": HASHTAG_TOKEN}

# Arabic-Indic (U+0660..U+0669) and Persian (U+06F0..U+06F9) digits to ASCII digits,
# and tatweel (U+0640) deleted: one translate table.
_CHUNK_TABLE = {0x0660 + i: str(i) for i in range(10)}
_CHUNK_TABLE.update({0x06F0 + i: str(i) for i in range(10)})
_CHUNK_TABLE[0x0640] = None
# After NFKC, a combining maddah or hamza (U+0653..U+0655) left over could not be
# composed with its letter (decoration such as a maddah on a noon). Deleted, also so
# that alef normalization does not leave an "alef + hamza" that a second NFKC would
# compose again.
_CHUNK_TABLE_NFKC = {**_CHUNK_TABLE, 0x0653: None, 0x0654: None, 0x0655: None}

# Letter stretching: a run of 3 or more of the same Arabic letter. Legitimate Arabic
# spelling never writes a letter three times in a row (doubling is written with shadda),
# but it does write two: "الله", "اللذين", "ممكن". So a run of 3+ is stretching, and it is
# brought back to ONE letter ("المسلللمين" -> "المسلمين", "قللللب" -> "قلب"), unless the
# word with that run written twice is a known word with a doubled letter
# (:data:`DOUBLED_WORDS`, also after a one-letter clitic: "واللللله" -> "والله"). Runs of
# two are left alone.
_STRETCH_RE = re.compile(r"([\u0621-\u064A])\1{2,}")
_STRETCHED_WORD_RE = re.compile(r"[\u0621-\u064A]*([\u0621-\u064A])\1{2,}[\u0621-\u064A]*")

#: Common words spelled with two identical letters in a row, in normalized form (alef
#: variants, teh marbuta, alef maksura folded). A stretched run is collapsed to two
#: letters when that gives one of these (after an optional clitic of :data:`_CLITICS`).
DOUBLED_WORDS = frozenset(
    {
        # "God" and its formulae; the relative pronouns with a doubled lam
        "الله",
        "لله",
        "اللهم",
        "اللذين",
        "اللذان",
        "اللتين",
        "اللتان",
        "اللائي",
        "اللاتي",
        "اللواتي",
        # everyday words with a doubled letter
        "ممكن",
        "ممكنه",
        "مدد",
        "للغه",
        "للتو",
        "للغايه",
        "للاسف",
        "حلل",
        "قلل",
        "ظلل",
        "مرر",
        "قرر",
        "كرر",
        "حرر",
        "تتم",
        "تتحدث",
        "تتعلق",
        "تتابع",
        "تتجه",
        "تتخذ",
        "تتضمن",
        "تتكون",
        "تتوقع",
        "تتطلب",
        "تتمتع",
        "تتعرض",
        "انني",
        "لكنني",
    }
)
_CLITICS = ("", "و", "ف", "ب", "ك", "ل", "وال", "فال", "بال", "كال", "ال")


def _known_doubled(word: str) -> bool:
    return any(
        word.startswith(clitic) and word[len(clitic) :] in DOUBLED_WORDS for clitic in _CLITICS
    )


def _unstretch_word(match: re.Match[str]) -> str:
    """One Arabic word with stretched runs: each run to one letter, or two if that is known."""
    word = match.group(0)
    single = _STRETCH_RE.sub(r"\1", word)
    pieces = _STRETCH_RE.split(word)  # text, letter, text, letter, ..., text
    runs = len(pieces) // 2
    if runs > 4:  # far beyond any real word
        return single
    # Every choice of one or two letters per run, fewer doubled runs first.
    for counts in sorted(itertools.product((1, 2), repeat=runs), key=sum)[1:]:
        candidate = pieces[0] + "".join(
            pieces[2 * i + 1] * n + pieces[2 * i + 2] for i, n in enumerate(counts)
        )
        if _known_doubled(candidate):
            return candidate
    return single


def _mark_to_token(match: re.Match[str]) -> str:
    return _MARK_BACK[match.group(1)]


def _mark_placeholders(chunk: str) -> str:
    """Replace URLs, mentions, corpus placeholders and hashtag signs by marks."""
    if "URL" in chunk or "USER" in chunk or "HASHTAG" in chunk:
        chunk = _CORPUS_USER_RE.sub(" " + _PLACEHOLDER_MARK[USER_TOKEN] + " ", chunk)
        chunk = _CORPUS_BARE_RE.sub(_bare_placeholder, chunk)
    lowered = chunk.lower()  # the URL pattern ignores case: so must this quick check
    if "http" in lowered or "www." in lowered:
        chunk = _URL_RE.sub(" " + _PLACEHOLDER_MARK[URL_TOKEN] + " ", chunk)
    if "@" in chunk:
        chunk = _MENTION_RE.sub(" " + _PLACEHOLDER_MARK[USER_TOKEN] + " ", chunk)
    if "#" in chunk:
        chunk = _HASHTAG_RE.sub(_hashtag_words, chunk)
    return chunk


def _bare_placeholder(match: re.Match[str]) -> str:
    return " " + _PLACEHOLDER_MARK[match.group(1)] + " "


def _hashtag_words(match: re.Match[str]) -> str:
    """``#word_word`` -> a hashtag mark followed by the words of the tag."""
    return " " + _PLACEHOLDER_MARK[HASHTAG_TOKEN] + " " + match.group(1).replace("_", " ") + " "


class _Options:
    """The switches of :func:`normalize`, and the memo of chunks for this option set."""

    __slots__ = ("steps", "placeholders", "unicode", "table", "memo", "token_memo")

    def __init__(
        self,
        *,
        unicode: bool,
        dediac: bool,
        alef: bool,
        alef_maksura: bool,
        teh_marbuta: bool,
        placeholders: bool,
    ) -> None:
        _load_camel()
        steps: list[Callable[[str], str]] = []
        if unicode:
            # NFKC: folds Arabic presentation forms, ligatures, full-width Latin.
            steps.append(normalize_unicode)
        if dediac:
            steps.append(dediac_ar)
        if alef:
            steps.append(normalize_alef_ar)
        if alef_maksura:
            steps.append(normalize_alef_maksura_ar)
        if teh_marbuta:
            steps.append(normalize_teh_marbuta_ar)
        self.steps = tuple(steps)
        self.placeholders = placeholders
        self.unicode = unicode
        self.table = _CHUNK_TABLE_NFKC if unicode else _CHUNK_TABLE
        self.memo: dict[str, str] = {}
        self.token_memo: dict[str, tuple[str, ...]] = {}

    def chunk(self, chunk: str) -> str:
        """Normalize one whitespace-free chunk (memoized)."""
        out = self.memo.get(chunk)
        if out is not None:
            return out
        text = self.normalize_chunk(chunk)
        if len(self.memo) >= CACHE_SIZE:
            self.memo.clear()
        self.memo[chunk] = text
        return text

    def tokenize_chunks(self, chunks: list[str]) -> list[list[str]]:
        """Normalize and tokenize whitespace-free chunks, not memoized: for each chunk,
        ``simple_word_tokenize(self.normalize_chunk(chunk))``, computed for all at once.

        For callers that keep a memo of their own (the fast path of
        ``PostVectorizer.transform``), so the chunks are not memoized twice. The
        normalization runs once over all the chunks (:meth:`normalize_chunks`), and a
        normalized chunk without any character that can start a symbol, punctuation or
        emoji match of ``simple_word_tokenize`` (most Arabic words) is split on white
        space only: that is what the tokenizer gives it, without its scan of every
        character.
        """
        tokenize = simple_word_tokenize
        may_split = _MAY_SPLIT_RE.search
        return [
            tokenize(text) if may_split(text) else text.split()
            for text in self.normalize_chunks(chunks)
        ]

    def normalize_chunks(self, chunks: list[str]) -> list[str]:
        """:meth:`normalize_chunk` of every chunk, with each step run once over all of them.

        The chunks are joined by line breaks. Every step maps characters or matches
        within a line (a line break is neither changed, nor matched, nor a cased or
        case-ignorable character for lower-casing, nor combined by Unicode
        normalization), so the lines of the result are the normalized chunks. Should the
        number of lines ever differ, each chunk is normalized on its own.
        """
        if len(chunks) > 1:
            lines = self._normalize_lines("\n".join(chunks)).split("\n")
            if len(lines) == len(chunks):
                return [" ".join(line.split()) for line in lines]
        return list(map(self.normalize_chunk, chunks))

    def normalize_chunk(self, chunk: str) -> str:
        """Normalize one whitespace-free chunk (not memoized)."""
        return " ".join(self._normalize_lines(chunk).split())

    def _normalize_lines(self, lines: str) -> str:
        """The normalization steps of whitespace-free chunks, one per line, before white
        space is collapsed."""
        text = lines
        if self.steps and self.steps[0] is normalize_unicode:
            # Compatibility folding first, so that full-width or presentation-form
            # characters are seen as the plain ones by every later rule.
            text = normalize_unicode(text)
            rest = self.steps[1:]
        else:
            rest = self.steps
        if self.placeholders:
            text = _mark_placeholders(text)
        text = text.lower().translate(self.table)
        for step in rest:
            text = step(text)
        if self.unicode and not unicodedata.is_normalized("NFC", text):
            # Lower-casing and deleting marks can undo NFKC's canonical order (rare:
            # "İ" lower-cases to "i" + a combining dot); put it back, so that
            # normalizing the output again changes nothing.
            text = unicodedata.normalize("NFC", text)
        text = _STRETCHED_WORD_RE.sub(_unstretch_word, text)
        if "\x00" in text:
            text = _MARK_RE.sub(_mark_to_token, text)
        return text

    def tokens(self, chunk: str) -> tuple[str, ...]:
        """Normalize and tokenize one whitespace-free chunk (memoized)."""
        out = self.token_memo.get(chunk)
        if out is not None:
            return out
        out = tuple(simple_word_tokenize(self.chunk(chunk)))
        if len(self.token_memo) >= CACHE_SIZE:
            self.token_memo.clear()
        self.token_memo[chunk] = out
        return out


_OPTIONS: dict[tuple[bool, ...], _Options] = {}


def _options(
    unicode: bool,
    dediac: bool,
    alef: bool,
    alef_maksura: bool,
    teh_marbuta: bool,
    placeholders: bool,
) -> _Options:
    key = (unicode, dediac, alef, alef_maksura, teh_marbuta, placeholders)
    opts = _OPTIONS.get(key)
    if opts is None:
        opts = _OPTIONS[key] = _Options(
            unicode=unicode,
            dediac=dediac,
            alef=alef,
            alef_maksura=alef_maksura,
            teh_marbuta=teh_marbuta,
            placeholders=placeholders,
        )
    return opts


#: The switches of :func:`normalize`, in its order; each is on unless set to False.
OPTION_NAMES = ("unicode", "dediac", "alef", "alef_maksura", "teh_marbuta", "placeholders")


def check_options(options: Mapping[str, object]) -> None:
    """Raise if ``options`` holds a name that is not a switch of :func:`normalize`.

    Parameters
    ----------
    options : mapping of str to bool

    Raises
    ------
    TypeError
        For an unknown (e.g. misspelled) name, naming the valid ones, or a value that is
        not a bool.

    Examples
    --------
    >>> check_options({"dediac": False})
    >>> check_options({"dediak": False})
    Traceback (most recent call last):
    ...
    TypeError: unknown normalize option 'dediak' (did you mean 'dediac'?); the options are unicode, dediac, alef, alef_maksura, teh_marbuta, placeholders
    """
    for name, value in options.items():
        if name not in OPTION_NAMES:
            import difflib  # only to word the error: every model load checks its options

            close = difflib.get_close_matches(str(name), OPTION_NAMES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(
                f"unknown normalize option {name!r}{hint}; the options are "
                f"{', '.join(OPTION_NAMES)}"
            )
        if not isinstance(value, bool):
            raise TypeError(f"normalize option {name!r} must be True or False, got {value!r}")


def _options_from(options: Mapping[str, bool]) -> _Options:
    """The option set of ``preprocess(text, **options)`` (missing switches are on)."""
    check_options(options)
    return _options(
        options.get("unicode", True),
        options.get("dediac", True),
        options.get("alef", True),
        options.get("alef_maksura", True),
        options.get("teh_marbuta", True),
        options.get("placeholders", True),
    )


def _check_str(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"expected a str (one post), got {type(text).__name__}: {text!r:.80}")


def _prepare(text: str) -> list[str]:
    """The string-wide steps, then the split into whitespace-free chunks."""
    text = _strip_controls(_unescape_html(text))
    if "<LF>" in text:
        text = _LF_RE.sub("\n", text)
    return _drop_retweet_marker(text).split()


def normalize(
    text: str,
    *,
    unicode: bool = True,
    dediac: bool = True,
    alef: bool = True,
    alef_maksura: bool = True,
    teh_marbuta: bool = True,
    placeholders: bool = True,
) -> str:
    """Normalize one Arabic social-media post.

    The steps, in order:

    1. HTML entities are unescaped (``&rlm;``, ``&gt;``, ``&amp;``).
    2. Bidi and zero-width control characters (U+200B..U+200F, U+202A..U+202E,
       U+2066..U+2069, U+FEFF) are deleted; lone surrogates become U+FFFD.
    3. The corpora's ``<LF>`` placeholder becomes a line break; a leading ``RT``
       retweet marker is dropped.
    4. Per whitespace-separated chunk: CAMeL ``normalize_unicode`` (NFKC; folds Arabic
       presentation forms and ligatures) if ``unicode``; URLs become ``URL``, @mentions
       and the corpora's ``@USER``/``<USER>`` become ``USER``, ``#a_b`` becomes
       ``HASHTAG a b`` if ``placeholders`` (a bare upper-case ``URL``, ``USER`` or
       ``HASHTAG`` stays a placeholder); Latin text is lower-cased; Arabic-Indic and
       Persian digits become ASCII digits; tatweel is deleted (and, if ``unicode``,
       a combining maddah or hamza that NFKC could not compose); then CAMeL
       ``dediac_ar``, ``normalize_alef_ar``, ``normalize_alef_maksura_ar`` and
       ``normalize_teh_marbuta_ar``, each if its switch is on; finally runs of three or
       more of one Arabic letter are brought back to one (lam: to two).
    5. Whitespace is collapsed to single spaces.

    Parameters
    ----------
    text : str
        One post. Any ``str`` is accepted, including empty ones.
    unicode, dediac, alef, alef_maksura, teh_marbuta : bool, default=True
        Switch the corresponding CAMeL Tools normalization on or off.
    placeholders : bool, default=True
        Replace URLs, mentions and hashtag signs by placeholder tokens.

    Returns
    -------
    str
        The normalized post.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> normalize("إِنَّ الصَّبْرَ جَمِيلٌ")
    'ان الصبر جميل'
    >>> normalize("RT @someone: مباراة اليوم #كرة_القدم https://example.org")
    'USER : مباراه اليوم HASHTAG كره القدم URL'
    """
    _check_str(text)
    opts = _options(unicode, dediac, alef, alef_maksura, teh_marbuta, placeholders)
    chunk = opts.chunk
    return " ".join(filter(None, map(chunk, _prepare(text))))


def tokenize(text: str) -> list[str]:
    """Split a normalized post into tokens with CAMeL ``simple_word_tokenize``.

    Punctuation marks and emoji become tokens of their own (one per emoji); placeholder
    tokens (``URL``, ``USER``, ``HASHTAG``) stay whole.

    Parameters
    ----------
    text : str
        A post, normally the output of :func:`normalize`.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> tokenize(normalize("السلام عليكم، كيف الحال؟"))
    ['السلام', 'عليكم', '،', 'كيف', 'الحال', '؟']
    """
    _check_str(text)
    _load_camel()
    # simple_word_tokenize never joins across white space, so the tokens of a post are
    # the tokens of its chunks, and each distinct chunk is tokenized once.
    memo = _TOKENIZE_MEMO
    out: list[str] = []
    for chunk in text.split():
        tokens = memo.get(chunk)
        if tokens is None:
            tokens = tuple(simple_word_tokenize(chunk))
            if len(memo) >= CACHE_SIZE:
                memo.clear()
            memo[chunk] = tokens
        out.extend(tokens)
    return out


_TOKENIZE_MEMO: dict[str, tuple[str, ...]] = {}


def preprocess(text: str, **options: bool) -> list[str]:
    """``tokenize(normalize(text, **options))`` in one fused, memoized pass.

    This is what the classifier's features are built from. The result is the same as
    the two calls in a row, computed once per distinct chunk.

    Parameters
    ----------
    text : str
        One post.
    **options : bool
        The switches of :func:`normalize`.

    Returns
    -------
    list of str
    """
    _check_str(text)
    opts = _options_from(options)
    tokens = opts.tokens
    out: list[str] = []
    for chunk in _prepare(text):
        out.extend(tokens(chunk))
    return out
