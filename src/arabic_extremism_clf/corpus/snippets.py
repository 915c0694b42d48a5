"""Cutting news articles to post length: a lead, or sentence snippets packed to one tweet."""

from __future__ import annotations

import re

from .base import POST_MAX_CHARS

_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟]) ")

_CLAUSE_END_RE = re.compile(r"(?<=[،؛,;])\s+")

SNIPPET_MIN_CHARS = 40

SNIPPET_MIN_WORDS = 5


def _lead(title: str, content: str, limit: int = POST_MAX_CHARS) -> str:
    """Title and the first sentence(s) of the content, cut to ``limit`` characters."""
    # Only the start of the article can reach the lead: split just that (a lot faster).
    body = " ".join(_sentences(content[: 4 * limit])) or " ".join(_sentences(content))
    text = f"{title}\n{body}".strip() if title else body
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a sentence end, else at a word boundary."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.start() for m in re.finditer(r"[.!?؟](?=\s)|\n", head)]
    if ends and ends[-1] >= limit // 2:
        end = ends[-1] + (0 if head[ends[-1]] == "\n" else 1)
        return head[:end].strip()
    space = head.rfind(" ")
    if space >= limit // 2:
        return head[:space].strip()
    return text[:limit].strip()


def _sentences(content: str) -> list[str]:
    """Sentences of an article: split at line breaks and at ``. ! ? ؟`` + space.

    Whitespace inside a line is collapsed to single spaces.
    """
    out: list[str] = []
    for line in content.split("\n"):
        line = " ".join(line.split())
        if line:
            out.extend(_SENTENCE_END_RE.split(line))
    return out


def _snippets(content: str, limit: int = POST_MAX_CHARS) -> list[str]:
    """Post-sized snippets of an article (see :func:`load_saudinewsnet`)."""
    pieces: list[str] = []
    for sentence in _sentences(content):
        pieces.extend(
            _pack(_CLAUSE_END_RE.split(sentence), limit) if len(sentence) > limit else [sentence]
        )
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        joined = f"{carry} {piece}" if carry else piece
        if len(joined) > limit:
            if carry:
                merged.append(carry)
            joined = piece
        if len(joined) < SNIPPET_MIN_CHARS:
            carry = joined
        else:
            merged.append(joined)
            carry = ""
    if carry:
        merged.append(carry)
    return [s for s in merged if len(s.split()) >= SNIPPET_MIN_WORDS]


def _pack(parts: list[str], limit: int) -> list[str]:
    """Greedily join clauses into chunks of at most ``limit`` chars (long ones cut at words)."""
    words: list[str] = []
    for part in parts:
        if len(part) <= limit:
            words.append(part)
        else:
            words.extend(part.split())
    chunks: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > limit:
            chunks.append(current)
            current = ""
        current = f"{current} {word}" if current else word[:limit]
    if current:
        chunks.append(current)
    return chunks
