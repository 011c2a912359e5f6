"""An item's search index text (title, author, body, initials), as pure functions of its fields.

Computed in the parser processes beside the parsing (`with_index`, feeds/pool.py), so that the
store's writer only inserts, and again by the store (store/indexing.py, and its SQL functions in
store/connect.py) when it indexes or un-indexes an entry: the same functions of the same values,
byte for byte. The text itself is searchtext.py's; this module only applies it to items, and
needs nothing of the store."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import body_text, index_form

INITIAL = "\ue001"  # marks an initials token in the index (feed tokens have \ue000)
_WORD = re.compile(r"[^\W_]+")  # the words unicode61 sees in "state-of-the-art" (near enough)
PREFIXES = (2, 3)  # prefixes of these lengths have initials tokens (of longer words)


def index_title(text: str | None) -> str:
    """A title's (or an author's) index text (the SQL function tidings_index)."""
    return index_form(text or "")


@lru_cache(maxsize=4)  # the triggers want an entry's body twice: its column and its initials
def index_body(summary: str | None, content: str | None, kind: str | None,
               full_text: str | None) -> str:  # fmt: skip
    """A body's index text (the SQL function tidings_index_body)."""
    return index_form(body_text(summary, content, kind, full_text))


def initials(*forms: str) -> str:
    """The initials column of an entry whose columns hold `forms` (index texts, where a CJK
    run is its bigrams: the first characters of its words are all its CJK characters, and no
    CJK word is longer than two): a token per first letter, per first two and three letters
    of longer words, per CJK character. Sorted: a contentless entry is removed by giving FTS5
    the same tokens in the same order. ~60 µs an English story, ~100 µs a Chinese one
    (splitting the text is most of it), so the parser processes compute it."""
    words = set(" ".join(forms).lower().split())
    plain = [w for w in words if w.isalnum()]
    odd = [w for w in words if not w.isalnum()]  # "(storm", "state-of-the-art"
    if odd:
        plain += _WORD.findall(" ".join(odd))
    found = {w[0] for w in plain}
    for n in PREFIXES:
        found.update(w[:n] for w in plain if len(w) > n)
    return " ".join(sorted(INITIAL + c for c in found))


def item_index(item: ParsedItem) -> tuple[str, str, str, str]:
    """The index text of a new item (title, author, body, initials): it has no full text yet.
    The parser processes compute it (`with_index`): the initials alone cost ~50 µs an item,
    which on the writer's thread held the GIL against the event loop."""
    title, author = index_title(item.title), index_title(item.author)
    body = index_body(item.summary, item.content, item.content_type, None)
    return title, author, body, initials(title, author, body)


def with_index(parsed: ParsedFeed) -> ParsedFeed:
    """`parsed` with each item's index text computed (run in the parser processes, which have
    a core of their own, so that the store's writer only inserts)."""
    if not parsed.items:
        return parsed
    items = tuple(replace(i, index=item_index(i)) for i in parsed.items)
    return replace(parsed, items=items)
