"""Writing the search index: what an item's index entry holds, and putting new items in it.

The index (schema migration 3, queried by store/search.py) is a contentless FTS5 table `search`
whose rowid is the item id, with columns title, author, body (full text, content and summary as
plain text, CJK as bigrams: see searchtext.py) and feed (a token for the feed's id, see
`feed_token`). A contentless table forgets its text, so the triggers that remove an entry (an
item deleted or rewritten) compute the same index text again from the stored columns with the
SQL functions of connect.py, which call `index_title` and `index_body` here: what goes in and
what is taken out are the same functions of the same values, byte for byte.

When new items enter it:
- A refresh indexes them in the transaction that stores them, so the news is searchable the
  moment it is committed. Under group commit (store/writer.py) each feed's items go in as a
  savepoint of the batch and are queued (search_pending); the batch indexes the queue of its
  own feeds at its end, outside the savepoints, because FTS5 writes its pending terms to disk
  at every savepoint (hundreds of tiny segments to merge). The entries' text is usually
  computed beside the parsing, in the parser processes (`item_index`, ParsedItem.index).
- Items brought in bulk from elsewhere (an import of another reader's cache) stay queued and
  are indexed by `index_pending` (Store.index_pending, which a writable store's search runs
  first), a chunk per transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace

from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import body_text, index_form
from reader.store.items import insert_rows

IndexRow = tuple[int, str, str, str, str]  # rowid, title, author, body, feed
_INTO = "search (rowid, title, author, body, feed)"
_INSERT = f"INSERT INTO {_INTO} VALUES (?, ?, ?, ?, ?)"


def feed_token(feed_id: int) -> str:
    """The token that stands for a feed in the index's feed column: a private-use character
    and the id, which no query a person types can produce (query.parse drops those characters),
    so free words need no column filter (which doubles the cost of counting common words)."""
    return f"\ue000{feed_id}"


def index_title(text: str | None) -> str:
    """A title's (or an author's) index text (the SQL function tidings_index)."""
    return index_form(text or "")


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


def _rows(feed_id: int, items: Iterable[tuple[int, ParsedItem]]) -> list[IndexRow]:
    token = feed_token(feed_id)
    rows: list[IndexRow] = []
    for item_id, item in items:
        title, author, body = item.index or item_index(item)
        rows.append((item_id, title, author, body, token))
    return rows


def index_new(
    conn: sqlite3.Connection, feed_id: int, items: Sequence[tuple[int, ParsedItem]]
) -> None:
    """Index items as they are inserted (id, item), in the insert's transaction."""
    insert_rows(conn, _INTO, _rows(feed_id, items))


def index_queued(
    conn: sqlite3.Connection, stored: Sequence[tuple[int, Sequence[tuple[int, ParsedItem]]]]
) -> int:
    """Index the queued items among `stored` ((feed id, [(item id, item)]) as a batch wrote
    them) and take them off the queue, in the current transaction (not in a savepoint);
    returns how many. Those no longer queued (deleted since) are skipped."""
    ids = [item_id for _, items in stored for item_id, _ in items]
    queued: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        queued.update(r[0] for r in conn.execute(
            f"SELECT item_id FROM search_pending WHERE item_id IN ({marks})", chunk))  # fmt: skip
    rows = [row for feed_id, items in stored
            for row in _rows(feed_id, (x for x in items if x[0] in queued))]  # fmt: skip
    insert_rows(conn, _INTO, rows)
    done = [r[0] for r in rows]
    for start in range(0, len(done), 500):
        chunk = done[start : start + 500]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM search_pending WHERE item_id IN ({marks})", chunk)
    return len(rows)


def index_pending(conn: sqlite3.Connection, limit: int) -> int:
    """Index up to `limit` queued items (oldest first); returns how many left the queue.
    Run inside a write transaction."""
    rows = conn.execute(
        "SELECT p.item_id, i.id, i.title, i.author, i.feed_id, t.summary, t.content,"
        " t.content_type, t.full_text FROM search_pending p LEFT JOIN items i ON i.id = p.item_id"
        " LEFT JOIN item_texts t ON t.item_id = p.item_id ORDER BY p.item_id LIMIT ?",
        (limit,),
    ).fetchall()
    conn.executemany(
        _INSERT,
        [(r[1], index_title(r[2]), index_title(r[3]), index_body(r[5], r[6], r[7], r[8]),
          feed_token(r[4])) for r in rows if r[1] is not None],
    )  # fmt: skip
    conn.executemany("DELETE FROM search_pending WHERE item_id = ?", [(r[0],) for r in rows])
    return len(rows)


def pending(conn: sqlite3.Connection) -> int:
    """How many items are written but not indexed yet."""
    return int(conn.execute("SELECT count(*) FROM search_pending").fetchone()[0])
