"""An item's search index entry (title, author, body, initials), as pure functions of its fields.

Made in the parser processes beside the parsing (`with_index`, feeds/pool.py), so that the
store's writer only inserts, and again by the store (store/indexing.py, and its SQL functions in
store/connect.py) when it indexes or un-indexes an entry: the same functions of the same values,
byte for byte. The text itself is searchtext.py's; this module only applies it to items, and
needs nothing of the store. The initials column is store/indexing.py's idea (it says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import ascii_words, body_text, index_form

INITIAL = "\ue001"  # marks an initials token in the index (feed tokens have \ue000)
_WORD = re.compile(r"[^\W_]+")  # the words unicode61 sees in "state-of-the-art" (near enough)
PREFIXES = (2, 3)  # prefixes of these lengths have initials tokens (of longer words)

Entry = tuple[str, str, str, str]  # a new item's title, author, body and initials columns
# which of the rules' words an entry holds, given it and its ASCII words (reader/rulematch.py)
TermsOf = Callable[[Entry, "set[bytes] | None"], tuple[int, ...]]


def index_title(text: str | None) -> str:
    """A title's (or an author's) index text (the SQL function tidings_index)."""
    return index_form(text or "")


@lru_cache(maxsize=4)  # the triggers want an entry's body twice: its column and its initials
def index_body(summary: str | None, content: str | None, kind: str | None,
               full_text: str | None) -> str:  # fmt: skip
    """A body's index text (the SQL function tidings_index_body)."""
    return index_form(body_text(summary, content, kind, full_text))


def initials(*forms: str, words: set[bytes] | None = None) -> str:
    """The initials column of an entry whose columns hold `forms` (index texts, where a CJK
    run is its bigrams: the first characters of its words are all its CJK characters, and no
    CJK word is longer than two): a token per first letter, per first two and three letters
    of longer words, per CJK character. Sorted: a contentless entry is removed by giving FTS5
    the same tokens in the same order. ~60 µs an English story, ~100 µs a Chinese one
    (splitting the text is most of it), so the parser processes compute it. Text of ASCII
    alone takes a shorter way to the same answer: its searchtext.ascii_words (`words`, when
    they are at hand: the rules' matchers read them too)."""
    joined = " ".join(forms)
    if joined.isascii():
        plain = ascii_words(joined) if words is None else words
        starts = {w[:1] for w in plain}
        for n in PREFIXES:
            starts.update(w[:n] for w in plain if len(w) > n)
        return " ".join(sorted(INITIAL + c.decode() for c in starts))
    split = set(joined.lower().split())
    found = [w for w in split if w.isalnum()]
    odd = [w for w in split if not w.isalnum()]  # "(storm", "state-of-the-art"
    if odd:
        found += _WORD.findall(" ".join(odd))
    tokens = {w[0] for w in found}
    for n in PREFIXES:
        tokens.update(w[:n] for w in found if len(w) > n)
    return " ".join(sorted(INITIAL + c for c in tokens))


def index_entry(item: ParsedItem) -> tuple[Entry, set[bytes] | None]:
    """A new item's index entry (it has no full text yet), and the ASCII words of its text when
    it is ASCII alone (searchtext.ascii_words: the initials are made of them, and the rules'
    matchers read them too)."""
    title, author = index_title(item.title), index_title(item.author)
    body = index_body(item.summary, item.content, item.content_type, None)
    joined = f"{title} {author} {body}"
    words = ascii_words(joined) if joined.isascii() else None
    return (title, author, body, initials(title, author, body, words=words)), words


def item_index(item: ParsedItem) -> Entry:
    """A new item's index entry: title, author, body and initials."""
    return index_entry(item)[0]


def with_index(parsed: ParsedFeed, terms_of: TermsOf | None = None) -> ParsedFeed:
    """`parsed` with each item's index entry made (in the parser processes, which have a core
    of their own, so that the store's writer only inserts); with `terms_of`, also which of the
    rules' words each item holds (ParsedItem.terms)."""
    if not parsed.items:
        return parsed
    items = []
    for item in parsed.items:
        entry, words = index_entry(item)
        terms = None if terms_of is None else terms_of(entry, words)
        items.append(replace(item, index=entry, terms=terms))
    return replace(parsed, items=tuple(items))
