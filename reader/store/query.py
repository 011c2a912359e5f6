"""The search query language, parsed here and never handed to SQLite as it was typed.

    words              every word must match (title, author, feed title or text)
    "exact phrase"     the words next to each other; a phrase or word ending in * is a prefix
    -word -"phrase"    exclude items that match
    feed:NAME          feeds whose title or URL contains NAME (quotes allowed: feed:"BBC News")
    tag:NAME           feeds with this tag
    author:NAME        the author's name has these words
    is:unread is:read is:bookmarked is:hidden   (hidden items, by a rule, are found only so)
    since:2026-11-01 since:7d before:2026-12-01 before:12h   (ages in h, d or w)
    sort:date sort:relevance

Anything else is read literally: FTS operators (NEAR(, AND, col:), SQL, a lone "-" and an
unbalanced quote are plain text. Filters may be negated (-feed:x, -tag:x, -author:x, -is:read).
A filter with nothing after the colon is ignored (a person may still be typing); a value that
cannot be read raises QueryError with one line saying what would be.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import datetime

from reader.errors import UsageError

KEYS = frozenset({"feed", "tag", "author", "is", "since", "before", "sort"})
_AGE = re.compile(r"(\d{1,6})([hdw])")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}
# A NUL would end the FTS5 expression early; private-use characters are the index's own
# (store/search.feed_token).
_UNTYPABLE = re.compile("[\x00-\x1f\ue000-\uf8ff\U000f0000-\U0010ffff]")


class QueryError(UsageError):
    """A search query whose filter value cannot be read (one line saying what would be)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word or quoted phrase; `prefix` when it ended with `*`."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search. Empty tuples and None mean "no constraint"."""

    text: str
    include: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()
    authors: tuple[Term, ...] = ()
    not_authors: tuple[Term, ...] = ()
    feeds: tuple[str, ...] = ()
    not_feeds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    not_tags: tuple[str, ...] = ()
    read: bool | None = None
    bookmarked: bool | None = None
    hidden: bool | None = None  # None: hidden items left out, as with False
    since: int | None = None
    before: int | None = None
    sort: str | None = None  # "date" or "relevance"; None: relevance when there are words

    @property
    def by_date(self) -> bool:
        """Whether hits are listed newest first (else best first)."""
        return self.sort == "date" or (self.sort is None and not (self.include or self.authors))


@dataclass(frozen=True, slots=True)
class _Token:
    negated: bool
    key: str  # "" for a word or phrase
    value: str
    quoted: bool
    prefix: bool


def _read_quoted(text: str, start: int) -> tuple[str, int, bool]:
    """The text inside quotes starting at text[start] == '"' (to the end when unbalanced),
    the index after it, and whether a `*` follows the closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        return text[start + 1 :], len(text), False
    star = text.startswith("*", end + 1)
    return text[start + 1 : end], end + 1 + star, star


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        i += negated
        key = ""
        match = re.match(r"([A-Za-z]+):", text[i:])
        if match and match.group(1).lower() in KEYS:
            key = match.group(1).lower()
            i += match.end()
        if text.startswith('"', i):
            value, i, prefix = _read_quoted(text, i)
            tokens.append(_Token(negated, key, value, True, prefix))
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        word = text[i:end]
        i = end
        stripped = word.rstrip("*")
        tokens.append(_Token(negated, key, stripped, False, stripped != word and not key))
    return tokens


def _moment(key: str, value: str, now: float) -> int:
    """since:/before: values as Unix seconds: an age back from now, or a local date."""
    age = _AGE.fullmatch(value.lower())
    if age:
        return int(now) - int(age.group(1)) * _UNITS[age.group(2)]
    date = _DATE.fullmatch(value)
    if date:
        year, month, day = (int(g) if g else 1 for g in date.groups())
        try:
            return int(datetime(year, month, day).timestamp())
        except (ValueError, OverflowError):
            pass
    raise QueryError(
        f"{key}: takes a date like 2026-11-01 or an age like 7d, 12h, 2w (not {value!r})"
    )


def _flag(query: Query, value: str, negated: bool) -> Query:
    word = value.lower()
    if word in ("unread", "read"):
        return replace(query, read=(word == "read") != negated)
    if word in ("bookmarked", "bookmark", "saved"):
        return replace(query, bookmarked=not negated)
    if word == "hidden":
        return replace(query, hidden=not negated)
    raise QueryError(f"is: takes unread, read, bookmarked or hidden (not {value!r})")


def _apply(query: Query, tok: _Token, now: float) -> Query:
    """`query` with one filter token added."""
    key, value, neg = tok.key, tok.value, tok.negated
    if key == "is":
        return _flag(query, value, neg)
    if key in ("since", "before", "sort") and neg:
        raise QueryError(
            f"-{key}: cannot be negated (use {'before' if key == 'since' else 'since'}:)"
        )
    if key == "since":
        return replace(query, since=_moment(key, value, now))
    if key == "before":
        return replace(query, before=_moment(key, value, now))
    if key == "sort":
        if value.lower() not in ("date", "relevance"):
            raise QueryError(f"sort: takes date or relevance (not {value!r})")
        return replace(query, sort=value.lower())
    if key == "author":
        if neg:
            return replace(query, not_authors=(*query.not_authors, Term(value)))
        return replace(query, authors=(*query.authors, Term(value)))
    if key == "feed":
        if neg:
            return replace(query, not_feeds=(*query.not_feeds, value))
        return replace(query, feeds=(*query.feeds, value))
    if neg:  # tag
        return replace(query, not_tags=(*query.not_tags, value))
    return replace(query, tags=(*query.tags, value))


def parse(text: str, now: float | None = None) -> Query:
    """Read a search query (see the module docstring). Raises QueryError for a filter value it
    cannot read; everything else is taken literally."""
    now = time.time() if now is None else now
    query = Query(text=text)
    include: list[Term] = []
    exclude: list[Term] = []
    for tok in _tokens(_UNTYPABLE.sub(" ", text[:2000])):
        if tok.key and not tok.value.strip():
            continue  # "feed:" with nothing yet
        if tok.key:
            query = _apply(query, tok, now)
        elif tok.value:
            (exclude if tok.negated else include).append(Term(tok.value, tok.prefix))
    return replace(query, include=tuple(include), exclude=tuple(exclude))
