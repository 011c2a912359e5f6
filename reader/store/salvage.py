"""Reading the bookmarks out of a damaged database, as far as it can still be read.

Used by `tidings bookmarks` when the store is damaged (a DamagedStore at open or on a query).
The file is opened read-only and never changed. Bookmark ids are gathered every way that might
still work (the bookmark index, then the items table, each from both ends, so that one bad page
hides as few rows as possible); each item is then read on its own, without its texts or feed
name when those are what is damaged. Items that cannot be read at all are counted, not guessed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.models import Item
from reader.store.items import get_item

_ID_QUERIES = (
    "SELECT id FROM items INDEXED BY items_bookmarked WHERE bookmarked = 1"
    " ORDER BY published DESC, id DESC",
    "SELECT id FROM items INDEXED BY items_bookmarked WHERE bookmarked = 1 ORDER BY published, id",
    "SELECT id FROM items NOT INDEXED WHERE bookmarked = 1 ORDER BY id",
    "SELECT id FROM items NOT INDEXED WHERE bookmarked = 1 ORDER BY id DESC",
)
_BARE_ITEM = (
    "SELECT id, feed_id, key, title, link, author, published, updated, first_seen, read,"
    " bookmarked FROM items WHERE id = ?"
)


@dataclass(frozen=True)
class Salvaged:
    """The bookmarks that could be read (newest first) and how many could not."""

    items: tuple[Item, ...]
    unreadable: int


def _rows(conn: sqlite3.Connection, sql: str) -> Iterable[int]:
    """The ids `sql` yields until it meets damage."""
    try:
        for row in conn.execute(sql):
            yield int(row[0])
    except sqlite3.Error:
        return


def _bare_item(conn: sqlite3.Connection, item_id: int) -> Item | None:
    """The item from the items table alone (its texts or feed row are what is damaged)."""
    row = conn.execute(_BARE_ITEM, (item_id,)).fetchone()
    if row is None:
        return None
    texts = ("", "", "html", "")
    try:
        found = conn.execute(
            "SELECT summary, content, content_type, full_text FROM item_texts WHERE item_id = ?",
            (item_id,),
        ).fetchone()
        texts = tuple(found) if found else texts
    except sqlite3.Error:
        pass
    return Item(
        id=row["id"], feed_id=row["feed_id"], feed_title="", key=row["key"], title=row["title"],
        link=row["link"], author=row["author"], published=row["published"],
        updated=row["updated"], summary=texts[0] or "", content=texts[1] or "",
        content_type=texts[2] or "html", full_text=texts[3] or "", read=bool(row["read"]),
        bookmarked=bool(row["bookmarked"]), first_seen=row["first_seen"],
    )  # fmt: skip


def _one(conn: sqlite3.Connection, item_id: int) -> Item | None:
    try:
        item = get_item(conn, item_id)
        if item is not None:
            return item
    except sqlite3.Error:
        pass
    try:
        return _bare_item(conn, item_id)
    except sqlite3.Error:
        return None


def salvage_bookmarks(path: Path) -> Salvaged:
    """Every bookmarked item of the (damaged) database at `path` that can still be read."""
    ids: dict[int, None] = {}
    found: list[tuple[int, Item | None]] = []
    for mode in ("ro", "ro&immutable=1"):  # immutable: a read-only directory (no -shm file)
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
        except sqlite3.Error:
            continue
        conn.row_factory = sqlite3.Row
        try:
            for sql in _ID_QUERIES:
                ids.update(dict.fromkeys(_rows(conn, sql)))
            found = [(item_id, _one(conn, item_id)) for item_id in ids]
        finally:
            conn.close()
        if ids:
            break
    items = [item for _, item in found if item is not None and item.bookmarked]
    items.sort(key=lambda item: (item.published, item.id), reverse=True)
    return Salvaged(tuple(items), sum(1 for _, item in found if item is None))
