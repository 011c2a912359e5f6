"""Item queries and writes on an open connection (used by store.db.Store)."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Sequence

from reader.models import Enclosure, Headline, Item, ItemQuery, ParsedItem, item_digest

HEADLINE_COLUMNS = (
    "i.id, i.feed_id, f.title AS feed_title, f.url AS feed_url, i.title, i.link, i.author,"
    " i.published, i.read, i.bookmarked"
)
FUTURE_SLACK = 300  # seconds of clock skew tolerated before a date counts as future
CHUNK = 500  # keys per IN (...) list, well under SQLite's variable limit
BULK_ROWS = 500  # rows per multi-row INSERT (insert_rows)


def insert_rows(conn: sqlite3.Connection, into: str, rows: Sequence[Sequence[object]]) -> None:
    """INSERT INTO `into` ("table (columns)") every one of `rows`, as multi-row statements.

    A refresh writes on its own thread while the event loop runs Python on the main one.
    executemany binds each row with the GIL held and lets it go only while SQLite steps that
    row, so every row waits to get the GIL back (up to the 5 ms switch interval): a refresh's
    writes took several times their CPU time. One statement of many rows is one step."""
    if not rows:
        return
    width = len(rows[0])
    per = max(1, min(BULK_ROWS, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    marks = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        values = ",".join([marks] * len(part))
        conn.execute(f"INSERT INTO {into} VALUES {values}", [v for row in part for v in row])


def item_hash(item: ParsedItem) -> str:
    """The item's digest (parsers set it; computed here for items built elsewhere)."""
    if item.digest:
        return item.digest
    texts = (item.summary, item.content, item.content_type)
    return item_digest(item.title, item.link, item.author, item.updated, texts, item.enclosures)


def alternate_key(key: str) -> str:
    """The other spelling of the same identity: a guid equal to a link is that link
    ("g:X" ~ "l:X"). Feeds that start or stop sending such guids, and items imported from
    newsboat (which files a guid-less item under its link), keep their identity."""
    if key.startswith("g:"):
        return "l:" + key[2:]
    if key.startswith("l:"):
        return "g:" + key[2:]
    return ""


def _existing(
    conn: sqlite3.Connection, feed_id: int, keys: list[str]
) -> dict[str, tuple[int, str, str]]:
    """For each incoming key that is stored (as itself or its alternate): (id, hash, stored key)."""
    wanted = keys + [alt for alt in map(alternate_key, keys) if alt]
    stored: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, key, hash FROM items WHERE feed_id = ? AND key IN ({marks})",
            (feed_id, *chunk),
        ):
            stored[row[1]] = (row[0], row[2])
    found: dict[str, tuple[int, str, str]] = {}
    for key in keys:
        for candidate in (key, alternate_key(key)):
            if candidate in stored:
                found[key] = (*stored[candidate], candidate)
                break
    return found


def _match(
    existing: dict[str, tuple[int, str, str]], claimed: set[int], key: str
) -> tuple[int, str, str] | None:
    """The stored item `key` updates; one found by its alternate key only if no item of this
    document has that stored item by its own key (each stored item is updated once)."""
    old = existing.get(key)
    if old is not None and old[2] != key:
        if old[0] in claimed:
            return None
        claimed.add(old[0])
    return old


def upsert_items(
    conn: sqlite3.Connection,
    feed_id: int,
    items: Sequence[ParsedItem],
    now: int,
    *,
    queue: bool = True,
) -> list[tuple[int, ParsedItem]]:
    """Insert new items and rewrite changed ones; returns the new ones with their ids. With
    `queue` the new items are queued for the search index (search_pending), else the caller
    indexes them in this transaction (see store/indexing.py).

    Items are inserted last-to-first so that, among items sharing a date, the one higher in
    the document gets the higher id and sorts first. A missing date becomes the first-seen
    time; a date in the future is clamped to it. Ids are given here (max + 1, inside the write
    transaction) so that both tables are written with one executemany each.
    """
    existing = _existing(conn, feed_id, [i.key for i in items])
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0]
    rows: list[tuple[object, ...]] = []
    texts: list[tuple[object, ...]] = []
    changed: list[tuple[ParsedItem, int, str]] = []  # (item, its id, its new digest)
    fresh: list[tuple[int, ParsedItem]] = []  # the new items and their ids
    seen: set[str] = set()
    claimed = {found[0] for key, found in existing.items() if found[2] == key}
    for item in reversed(items):
        if item.key in seen:
            continue
        seen.add(item.key)
        digest = item_hash(item)
        old = _match(existing, claimed, item.key)
        if old is None:
            published = item.published
            if published is None or published > now + FUTURE_SLACK:
                published = now
            rows.append((next_id, feed_id, item.key, digest, published, item.updated, now,
                         item.title, item.author, item.link))  # fmt: skip
            texts.append((next_id, item.summary, item.content, item.content_type))
            fresh.append((next_id, item))
            next_id += 1
        elif old[1] != digest or old[2] != item.key:
            changed.append((item, old[0], digest))
    insert_rows(conn, "items (id, feed_id, key, hash, published, updated, first_seen, title,"
                " author, link)", rows)  # fmt: skip
    insert_rows(conn, "item_texts (item_id, summary, content, content_type)", texts)
    write_enclosures(conn, [(item_id, item.enclosures) for item_id, item in fresh])
    if queue:
        insert_rows(conn, "search_pending (item_id)", [(item_id,) for item_id, _ in fresh])
    _rewrite(conn, changed)
    return fresh


def _rewrite(conn: sqlite3.Connection, changed: list[tuple[ParsedItem, int, str]]) -> None:
    """Store new versions of items a feed changed (read state and first-seen are kept)."""
    conn.executemany(
        "UPDATE items SET hash = ?, key = ?, updated = ?, title = ?, author = ?, link = ?"
        " WHERE id = ?",
        [(d, i.key, i.updated, i.title, i.author, i.link, item_id) for i, item_id, d in changed],
    )
    conn.executemany(
        "UPDATE item_texts SET summary = ?, content = ?, content_type = ? WHERE item_id = ?",
        [(i.summary, i.content, i.content_type, item_id) for i, item_id, _ in changed],
    )
    conn.executemany(
        "DELETE FROM enclosures WHERE item_id = ?", [(item_id,) for _, item_id, _ in changed]
    )
    write_enclosures(conn, [(item_id, i.enclosures) for i, item_id, _ in changed])


def write_enclosures(
    conn: sqlite3.Connection, items: Iterable[tuple[int, Sequence[Enclosure]]]
) -> None:
    """Store the enclosures of these (item id, enclosures) pairs, in order."""
    insert_rows(
        conn,
        "enclosures (item_id, position, url, type, length, duration)",
        [
            (item_id, position, e.url, e.type, e.length, e.duration)
            for item_id, enclosures in items
            for position, e in enumerate(enclosures)
        ],
    )


def select_enclosures(conn: sqlite3.Connection, item_id: int) -> tuple[Enclosure, ...]:
    """An item's enclosures in document order."""
    rows = conn.execute(
        "SELECT url, type, length, duration FROM enclosures WHERE item_id = ? ORDER BY position",
        (item_id,),
    )
    return tuple(Enclosure(r[0], r[1], r[2], r[3]) for r in rows)


def trim_feed(
    conn: sqlite3.Connection,
    feed_id: int,
    keep: int,
    current: set[str],
    *,
    keep_days: int = 0,
    now: int = 0,
) -> int:
    """Retention for one feed: delete its oldest unbookmarked items beyond `keep` and, with
    `keep_days`, those published more than `keep_days` before `now`. Never a bookmark, never an
    item in `current` (the document just fetched, so nothing comes back as new), and with
    `keep_days` never an unread item younger than that. Bounds a feed whose GUIDs change."""
    cutoff = now - keep_days * 86400 if keep_days else None
    rows = conn.execute(
        "SELECT id, key, read, published FROM items WHERE feed_id = ? AND bookmarked = 0"
        " ORDER BY published DESC, id DESC LIMIT -1 OFFSET ?",
        (feed_id, keep),
    ).fetchall()
    doomed = {
        r[0] for r in rows if r[1] not in current and (cutoff is None or r[2] or r[3] < cutoff)
    }
    if cutoff is not None:
        old = conn.execute(
            "SELECT id, key FROM items WHERE feed_id = ? AND bookmarked = 0 AND published < ?",
            (feed_id, cutoff),
        )
        doomed.update(r[0] for r in old if r[1] not in current)
    conn.executemany("DELETE FROM items WHERE id = ?", [(i,) for i in sorted(doomed)])
    return len(doomed)


def _where(query: ItemQuery) -> tuple[str, list[object]]:
    # with bookmarked, `+` leaves items_bookmarked the index that fits (a bookmarked item is not
    # hidden) instead of a walk of items_date: 0.5 s of CPU for the Bookmarks count at 250,000
    shown = "+i.hidden = 0" if query.bookmarked else "i.hidden = 0"
    clauses: list[str] = ["i.hidden = 1" if query.hidden else shown]
    args: list[object] = []
    if query.feed_id is not None:
        clauses.append("i.feed_id = ?")
        args.append(query.feed_id)
    if query.unread is not None:
        clauses.append("i.read = 0" if query.unread else "i.read = 1")
    if query.bookmarked is not None:
        clauses.append("i.bookmarked = 1" if query.bookmarked else "i.bookmarked = 0")
    if query.tag is not None:
        clauses.append("i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)")
        args.append(query.tag)
    if query.item_tag is not None:
        clauses.append("i.id IN (SELECT item_id FROM item_tags WHERE tag = ?)")
        args.append(query.item_tag)
    return " WHERE " + " AND ".join(clauses), args


def _headline(row: sqlite3.Row) -> Headline:
    return Headline(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"],
        feed_url=row["feed_url"],
        title=row["title"],
        link=row["link"],
        author=row["author"],
        published=row["published"],
        read=bool(row["read"]),
        bookmarked=bool(row["bookmarked"]),
    )


def select_headlines(conn: sqlite3.Connection, query: ItemQuery) -> list[Headline]:
    """Headlines matching `query`, newest first (published, then id)."""
    where, args = _where(query)
    sql = (
        f"SELECT {HEADLINE_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id{where}"
        " ORDER BY i.published DESC, i.id DESC"
    )
    if query.limit is not None or query.offset:
        sql += " LIMIT ? OFFSET ?"
        args += [-1 if query.limit is None else query.limit, query.offset]
    return [_headline(r) for r in conn.execute(sql, args)]


def select_ids(conn: sqlite3.Connection, query: ItemQuery) -> array[int]:
    """The ids of every item matching `query`, in headline order (limit/offset honoured)."""
    where, args = _where(query)
    sql = f"SELECT i.id FROM items i{where} ORDER BY i.published DESC, i.id DESC"
    if query.limit is not None or query.offset:
        sql += " LIMIT ? OFFSET ?"
        args += [-1 if query.limit is None else query.limit, query.offset]
    return array("q", (r[0] for r in conn.execute(sql, args)))


def headlines_for(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Headline]:
    """Headlines of these item ids, in the order given (missing ids are skipped)."""
    found: dict[int, Headline] = {}
    wanted = list(ids)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT {HEADLINE_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id"
            f" WHERE i.id IN ({marks})",
            chunk,
        ):
            found[row["id"]] = _headline(row)
    return [found[i] for i in wanted if i in found]


def count_items(conn: sqlite3.Connection, query: ItemQuery) -> int:
    """How many items match `query` (limit and offset ignored)."""
    where, args = _where(query)
    return int(conn.execute(f"SELECT count(*) FROM items i{where}", args).fetchone()[0])


def get_item(conn: sqlite3.Connection, item_id: int) -> Item | None:
    """One item with its texts, or None."""
    row = conn.execute(
        f"SELECT {HEADLINE_COLUMNS}, i.key, i.updated, i.first_seen, t.summary, t.content,"
        " t.content_type, t.full_text, (SELECT group_concat(tag, char(31)) FROM (SELECT tag"
        " FROM item_tags g WHERE g.item_id = i.id ORDER BY tag)) AS tags"
        " FROM items i JOIN feeds f ON f.id = i.feed_id"
        " LEFT JOIN item_texts t ON t.item_id = i.id WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        return None
    return Item(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"],
        key=row["key"],
        title=row["title"],
        link=row["link"],
        author=row["author"],
        published=row["published"],
        updated=row["updated"],
        summary=row["summary"] or "",
        content=row["content"] or "",
        content_type=row["content_type"] or "html",
        full_text=row["full_text"] or "",
        read=bool(row["read"]),
        bookmarked=bool(row["bookmarked"]),
        first_seen=row["first_seen"],
        feed_url=row["feed_url"],
        tags=tuple(row["tags"].split("\x1f")) if row["tags"] else (),
        enclosures=select_enclosures(conn, item_id),
    )


def existing_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> list[int]:
    """Those of `ids` that name stored items."""
    wanted = list(ids)
    marks = ",".join("?" * len(wanted)) or "NULL"
    return [r[0] for r in conn.execute(f"SELECT id FROM items WHERE id IN ({marks})", wanted)]
