"""Writing the search index: what an item's index entry holds, and putting new items in it.

The index (schema migrations 3 and "search by date", queried by store/search.py) is a
contentless FTS5 table `search` with columns title, author, body (full text, content and summary
as plain text, CJK as bigrams: see searchtext.py), feed (a token for the feed's id, see
`feed_token`) and initials. A contentless table forgets its text, so the triggers that remove an
entry (an item deleted or rewritten) compute the same index text again from the stored columns
with the SQL functions of connect.py, which call `index_title` and `index_body` (of
reader/indextext.py, which the parser processes use too) and `initials_of` here: what goes in
and what is taken out are the same functions of the same values, byte for byte.

Its rowid is not the item's id but a *date key* (`search_keys` maps one to the other): the
item's published time in seconds times KEY_SLOTS, plus a slot for items published in the same
second. FTS5 keeps every doclist in rowid order, so "the newest matches" is the first part of a
walk of the index newest-first (ORDER BY rowid DESC LIMIT n), however common the words and in
whatever order the items were stored (a feed's backlog arrives all at once, with old dates and
new ids). A second's KEY_SLOTS slots are taken in turn; more items than that in one second
spill into the next second's, so key order is date order to the second up to KEY_SLOTS items a
second, a few seconds off beyond. Items are never re-dated, so keys never change. Entries go in
in key order within a statement (FTS5 starts a new segment whenever a rowid goes down).

The initials column holds, once per item, a token for each letter or digit that starts one of
its words, for the first two letters of each word longer than two, for the first three of each
word longer than three, and one for each CJK character it uses, behind a private-use mark no
query can type: `s*`, `st*`, `the*` and a single Chinese character (the first keystroke of every
Chinese word typed into a search) are then one term of the index (`the*` is that term OR the
word "the" itself) instead of a merge of every word or bigram they start (FTS5 builds that merge
whole before it returns a row: 0.1-1 s for the commonest at 250,000 items). They are not
positions of the text, so they never enter phrases, and they have no weight in relevance.

search_keys also holds each item's feed and published time, so that filters (feed:, tag:,
since:, before:, is:) are checked beside the key without reading the items table, and
`search_spill` the most seconds any key was pushed past its item's second (see `assign_keys`),
so that before: is a range of keys too.

When new items enter it:
- A refresh indexes them in the transaction that stores them, so the news is searchable the
  moment it is committed. Under group commit (store/writer.py) each feed's items go in as a
  savepoint of the batch and are queued (search_pending); the batch indexes the queue of its
  own feeds at its end, outside the savepoints, because FTS5 writes its pending terms to disk
  at every savepoint (hundreds of tiny segments to merge). The entries' text is usually
  computed beside the parsing, in the parser processes (indextext.item_index, ParsedItem.index).
- Items brought in bulk from elsewhere (an import of another reader's cache) stay queued and
  are indexed by `index_pending` (Store.index_pending, which a writable store's search runs
  first), a chunk per transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from reader.indextext import INITIAL, index_title, initials, item_index
from reader.indextext import index_body as index_body  # the SQL function's (connect.py)
from reader.models import ParsedItem
from reader.searchtext import body_text, index_form
from reader.store.items import insert_rows

IndexRow = tuple[int, str, str, str, str, str]  # item id, title, author, body, feed, initials
_INTO = "search (rowid, title, author, body, feed, initials)"
KEY_SLOTS = 16  # index keys per second of publication time


def feed_token(feed_id: int) -> str:
    """The token that stands for a feed in the index's feed column: a private-use character
    and the id, which no query a person types can produce (query.parse drops those characters),
    so free words need no column filter (which doubles the cost of counting common words)."""
    return f"\ue000{feed_id}"


def initials_of(title: str | None, author: str | None, summary: str | None,
                content: str | None, kind: str | None, full_text: str | None) -> str:  # fmt: skip
    """`initials` of an item's stored columns (the SQL function tidings_initials)."""
    return initials(title or "", author or "", body_text(summary, content, kind, full_text))


def initial_token(prefix: str) -> str:
    """The initials token a prefix of one to three letters, or one CJK character, is found
    by (with the word itself, for two or three letters: see indextext.initials)."""
    return INITIAL + prefix.lower()


def key_of_time(when: int) -> int:
    """The lowest key an item published at or after `when` can have."""
    return when * KEY_SLOTS


def assign_keys(conn: sqlite3.Connection, items: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """Give each (item id, published, feed id) a date key, recorded in search_keys with the
    item's feed and time: {item id: key}. The keys taken in each second are asked for in one
    statement; a second the batch spills into (its own second's slots are full) is asked for
    once, then remembered (a feed farm whose 500 feeds publish at the same seconds spilled
    24,000 items, a query each). The most seconds a key lands past its item's own second is
    kept in search_spill (so that before: is a range of keys)."""
    wanted = sorted(items, key=lambda w: (w[1], w[0]))
    seconds = sorted({published * KEY_SLOTS for _, published, _ in wanted})
    sql = ("SELECT j.value, (SELECT max(key) FROM search_keys WHERE key >= j.value"
           " AND key < j.value + ?) FROM json_each(?) j")  # fmt: skip
    taken: dict[int, int | None] = dict(conn.execute(sql, (KEY_SLOTS, json.dumps(seconds))))

    def free_from(start: int) -> int:
        """The first key from `start` on that no one has taken."""
        while True:
            second = start - start % KEY_SLOTS
            if second not in taken:
                taken[second] = conn.execute(
                    "SELECT max(key) FROM search_keys WHERE key >= ? AND key < ?",
                    (second, second + KEY_SLOTS),
                ).fetchone()[0]
            last_taken = taken[second]
            if last_taken is not None and last_taken >= start:
                start = last_taken + 1
            if start < second + KEY_SLOTS:
                return start
            start = second + KEY_SLOTS

    keys: dict[int, int] = {}
    rows: list[tuple[int, int, int, int]] = []
    last = None  # the last key given in this batch (the batch goes in key order)
    pushed = 0
    for item_id, published, feed_id in wanted:
        start = published * KEY_SLOTS
        if last is not None and last >= start:
            start = last + 1
        last = keys[item_id] = free_from(start)
        pushed = max(pushed, last // KEY_SLOTS - published)
        rows.append((last, item_id, feed_id, published))
    insert_rows(conn, "search_keys (key, item_id, feed_id, published)", sorted(rows))
    if pushed:
        conn.execute("UPDATE search_spill SET seconds = max(seconds, ?)", (pushed,))
    return keys


def spill(conn: sqlite3.Connection) -> int:
    """The most seconds a key lies past its item's published second (0: none does)."""
    row = conn.execute("SELECT max(seconds) FROM search_spill").fetchone()
    return int(row[0] or 0)


def _insert(conn: sqlite3.Connection, rows: Sequence[IndexRow]) -> None:
    """Index these entries: their keys from the items' stored dates (a missing or future date
    is the time the item was first seen), then the entries in key order."""
    found: dict[int, tuple[int, int]] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for item_id, published, feed_id in conn.execute(
            f"SELECT id, published, feed_id FROM items WHERE id IN ({marks})", chunk
        ):
            found[item_id] = (published, feed_id)
    keys = assign_keys(conn, ((i, *found[i]) for i in ids if i in found))
    entries = sorted(((keys[r[0]], *r[1:]) for r in rows if r[0] in keys), key=_first)
    insert_rows(conn, _INTO, entries)


def _first(entry: IndexRow) -> int:
    return entry[0]


def _rows(feed_id: int, items: Iterable[tuple[int, ParsedItem]]) -> list[IndexRow]:
    token = feed_token(feed_id)
    rows: list[IndexRow] = []
    for item_id, item in items:
        title, author, body, held = item.index or item_index(item)
        rows.append((item_id, title, author, body, token, held))
    return rows


def index_new(
    conn: sqlite3.Connection, feed_id: int, items: Sequence[tuple[int, ParsedItem]]
) -> None:
    """Index items as they are inserted (id, item), in the insert's transaction."""
    _insert(conn, _rows(feed_id, items))


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
    _insert(conn, rows)
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
    entries: list[IndexRow] = []
    for r in rows:
        if r[1] is not None:
            text = body_text(r[5], r[6], r[7], r[8])
            entries.append((r[1], index_title(r[2]), index_title(r[3]), index_form(text),
                            feed_token(r[4]), initials(r[2] or "", r[3] or "", text)))  # fmt: skip
    _insert(conn, entries)
    conn.executemany("DELETE FROM search_pending WHERE item_id = ?", [(r[0],) for r in rows])
    return len(rows)


def pending(conn: sqlite3.Connection) -> int:
    """How many items are written but not indexed yet."""
    return int(conn.execute("SELECT count(*) FROM search_pending").fetchone()[0])
