"""An item's search index text (title, author, body), as pure functions of its fields.

Computed in the parser processes beside the parsing (`with_index`, feeds/pool.py), so that the
store's writer only inserts, and again by the store (store/indexing.py, and its SQL functions in
store/connect.py) when it indexes or un-indexes an entry: the same functions of the same values,
byte for byte. The text itself is searchtext.py's; this module only applies it to items, and
needs nothing of the store."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import body_text, index_form


def index_title(text: str | None) -> str:
    """A title's (or an author's) index text (the SQL function tidings_index)."""
    return index_form(text or "")


@lru_cache(maxsize=4)  # the triggers want an entry's body twice: its column and its initials
def index_body(summary: str | None, content: str | None, kind: str | None,
               full_text: str | None) -> str:  # fmt: skip
    """A body's index text (the SQL function tidings_index_body)."""
    return index_form(body_text(summary, content, kind, full_text))


def item_index(item: ParsedItem) -> tuple[str, str, str]:
    """The index text of a new item (title, author, body): it has no full text yet."""
    return (index_title(item.title), index_title(item.author),
            index_body(item.summary, item.content, item.content_type, None))  # fmt: skip


def with_index(parsed: ParsedFeed) -> ParsedFeed:
    """`parsed` with each item's index text computed (run in the parser processes, which have
    a core of their own, so that the store's writer only inserts)."""
    if not parsed.items:
        return parsed
    items = tuple(replace(i, index=item_index(i)) for i in parsed.items)
    return replace(parsed, items=items)
