"""Sync bookkeeping on an open connection (schema: the sync_* tables; the engine: reader/sync).

A person's acts on synced items and feeds are queued here inside the act's own transaction
(Store.set_read, set_bookmarked, add_feed, remove_feed, set_tags call the queue_* functions), so
an act is never stored without its queue entry, nor queued without being stored. The newest act
on an item or feed replaces an older one; `seq` tells a newer act from the one a sync is sending.

A pull is applied in one transaction: the server's feeds (as subscriptions with their folders as
tags), its new items (keyed "s:<server id>" in their feed, mapped in sync_items), and its read and
starred state for every synced item that has no act waiting to be sent.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from reader.models import FeedAct, ItemAct, RemoteFeed, RemoteItem
from reader.store import feeds as feedsql
from reader.store import items as itemsql

CHUNK = 500
_NEXT_SEQ = "(SELECT coalesce(max(seq), 0) + 1 FROM {table})"
_SYNCED = "EXISTS (SELECT 1 FROM sync_state WHERE key = 'account')"


def item_key(remote: str) -> str:
    """The key a synced item has in its feed."""
    return "s:" + remote


# ---- queueing acts (inside the act's transaction) -------------------------------------------


def queue_items(conn: sqlite3.Connection, item_ids: Iterable[int], attr: str, value: bool) -> None:
    """Queue `attr` ("read" or "starred") = `value` for those of the items that came from the
    server (others are local only and have nothing to send)."""
    ids = json.dumps(list(item_ids))
    conn.execute(
        "INSERT OR REPLACE INTO sync_acts (remote, attr, value, seq)"
        f" SELECT remote, ?, ?, {_NEXT_SEQ.format(table='sync_acts')} FROM sync_items"
        " WHERE item_id IN (SELECT value FROM json_each(?))",
        (attr, int(value), ids),
    )


def queue_feed(conn: sqlite3.Connection, url: str, attr: str, value: str = "") -> None:
    """Queue a subscription change ("subscribed" "1"/"0", "title", "tags") when the store syncs
    with a server (the title and tags sent are the feed's at the time of sending)."""
    conn.execute(
        "INSERT OR REPLACE INTO sync_feed_acts (url, attr, value, seq)"
        f" SELECT ?, ?, ?, {_NEXT_SEQ.format(table='sync_feed_acts')} WHERE {_SYNCED}",
        (url, attr, value),
    )


def queue_feed_id(conn: sqlite3.Connection, feed_id: int, attr: str, value: str = "") -> None:
    """queue_feed for the feed with this id."""
    row = conn.execute("SELECT url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    if row is not None:
        queue_feed(conn, row[0], attr, value)


def local_subscriptions(conn: sqlite3.Connection) -> list[FeedAct]:
    """Every subscribed feed the server does not know yet, as a subscribe to send (a first
    sync with a server that takes subscriptions brings them over)."""
    rows = conn.execute(
        "SELECT f.url, f.title, (SELECT group_concat(tag, char(31)) FROM"
        "  (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag))"
        " FROM feeds f WHERE f.subscribed = 1"
        " AND f.id NOT IN (SELECT feed_id FROM sync_feeds) ORDER BY f.id"
    ).fetchall()
    return [
        FeedAct(r[0], "subscribed", "1", 0, r[1], tuple(r[2].split("\x1f")) if r[2] else ())
        for r in rows
    ]


# ---- the account ---------------------------------------------------------------------------


def account(conn: sqlite3.Connection) -> str | None:
    """The account this store syncs with (None: it never synced)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'account'").fetchone()
    return None if row is None else str(row[0])


def set_account(conn: sqlite3.Connection, name: str) -> bool:
    """Make `name` the account; True when it is new. Moving to another account forgets the old
    one's ids and queued acts (its items stay, as items of their feeds)."""
    old = account(conn)
    if old == name:
        return False
    if old is not None:
        for table in ("sync_feeds", "sync_items", "sync_acts", "sync_feed_acts", "sync_titles"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("UPDATE items SET key = 'was-' || key WHERE key LIKE 's:%'")
    conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('account', ?)", (name,))
    return True


def set_value(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Keep a piece of the account's bookkeeping (e.g. the last sync time)."""
    conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))


def get_value(conn: sqlite3.Connection, key: str) -> str | None:
    """A piece of the account's bookkeeping."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


# ---- sending --------------------------------------------------------------------------------


def pending_items(conn: sqlite3.Connection) -> list[ItemAct]:
    """Item acts waiting to be sent, oldest first."""
    rows = conn.execute("SELECT remote, attr, value, seq FROM sync_acts ORDER BY seq, remote")
    return [ItemAct(r[0], r[1], bool(r[2]), r[3]) for r in rows]


def pending_feeds(conn: sqlite3.Connection) -> list[FeedAct]:
    """Feed acts waiting to be sent, oldest first, with each feed's current title and tags."""
    rows = conn.execute(
        "SELECT a.url, a.attr, a.value, a.seq, coalesce(f.title, ''),"
        " (SELECT group_concat(tag, char(31)) FROM"
        "  (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag))"
        " FROM sync_feed_acts a LEFT JOIN feeds f ON f.url = a.url ORDER BY a.seq, a.url"
    ).fetchall()
    return [
        FeedAct(r[0], r[1], r[2], r[3], r[4], tuple(r[5].split("\x1f")) if r[5] else ())
        for r in rows
    ]


def pending_count(conn: sqlite3.Connection) -> int:
    """How many acts wait to be sent."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM sync_acts) + (SELECT count(*) FROM sync_feed_acts)"
    ).fetchone()
    return int(row[0])


def done_items(conn: sqlite3.Connection, acts: Iterable[ItemAct]) -> None:
    """Forget acts the server confirmed (an act made since, with a higher seq, stays)."""
    conn.executemany(
        "DELETE FROM sync_acts WHERE remote = ? AND attr = ? AND seq = ?",
        [(a.remote, a.attr, a.seq) for a in acts],
    )


def done_feeds(conn: sqlite3.Connection, acts: Iterable[FeedAct]) -> None:
    """Forget feed acts the server confirmed, refused, or cannot take."""
    conn.executemany(
        "DELETE FROM sync_feed_acts WHERE url = ? AND attr = ? AND seq = ?",
        [(a.url, a.attr, a.seq) for a in acts],
    )


# ---- what is stored -------------------------------------------------------------------------


def known(conn: sqlite3.Connection, remotes: Collection[str]) -> set[str]:
    """Those of the server's item ids that are stored."""
    rows = conn.execute(
        "SELECT remote FROM sync_items WHERE remote IN (SELECT value FROM json_each(?))",
        (json.dumps(list(remotes)),),
    )
    return {r[0] for r in rows}


def local_feed_ids(conn: sqlite3.Connection) -> set[int]:
    """Subscribed feeds the server does not fetch (tidings fetches them itself)."""
    rows = conn.execute(
        "SELECT id FROM feeds WHERE subscribed = 1 AND id NOT IN (SELECT feed_id FROM sync_feeds)"
    )
    return {r[0] for r in rows}


def from_server(conn: sqlite3.Connection, url: str) -> bool:
    """Whether the subscribed feed at `url` comes from the sync server."""
    row = conn.execute(
        "SELECT 1 FROM sync_feeds s JOIN feeds f ON f.id = s.feed_id WHERE f.url = ?", (url,)
    ).fetchone()
    return row is not None


# ---- applying a pull (one transaction) -----------------------------------------------------


def apply_feeds(
    conn: sqlite3.Connection, feeds: Sequence[RemoteFeed], *, renames: bool = False
) -> dict[str, int]:
    """Make the server's subscriptions the synced feeds (a feed with an act waiting keeps the
    local side of it); returns the local feed id of each server feed id. `renames`: the
    server's titles are names its users give (Google Reader API), not the feeds' own (Fever)."""
    mapped = {r[1]: r[0] for r in conn.execute("SELECT feed_id, remote FROM sync_feeds")}
    acts = conn.execute("SELECT url, attr, value FROM sync_feed_acts")
    pending = {(r[0], r[1]): r[2] for r in acts}
    result: dict[str, int] = {}
    for rf in feeds:
        feed_id = mapped.get(rf.remote)
        url = rf.url if feed_id is None else _url(conn, feed_id)
        if pending.get((url, "subscribed")) == "0":
            continue  # unsubscribed here; the server hears of it at the next push
        if feed_id is None:
            feed_id, _ = feedsql.subscribe(conn, rf.url, "", (), rf.site_url)
            if feed_id in result.values():
                continue  # two server feeds with one URL: the first one is kept
            pair = (feed_id, rf.remote)
            conn.execute("DELETE FROM sync_feeds WHERE feed_id = ? OR remote = ?", pair)
            conn.execute("INSERT INTO sync_feeds (feed_id, remote) VALUES (?, ?)", pair)
            conn.execute("DELETE FROM sync_titles WHERE feed_id = ?", (feed_id,))  # new to it
        conn.execute("UPDATE feeds SET subscribed = 1 WHERE id = ?", (feed_id,))
        if rf.title and (url, "title") not in pending:
            _take_title(conn, feed_id, rf.title, renames)
        if rf.site_url:
            conn.execute("UPDATE feeds SET site_url = ? WHERE id = ?", (rf.site_url, feed_id))
        if (url, "tags") not in pending:
            conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            feedsql.add_tags(conn, feed_id, rf.tags)
        result[rf.remote] = feed_id
    for remote, feed_id in mapped.items():
        url = _url(conn, feed_id)
        if remote not in result and pending.get((url, "subscribed")) != "1":
            for table in ("sync_feeds", "sync_titles"):
                conn.execute(f"DELETE FROM {table} WHERE feed_id = ?", (feed_id,))
            feedsql.unsubscribe(conn, url)  # gone from the server: bookmarks stay
    return result


def _take_title(conn: sqlite3.Connection, feed_id: int, title: str, renames: bool) -> None:
    """The server's title for a synced feed. Unless a title was chosen here it shows and is
    the feed's own. A chosen one gives way only to a rename on a server whose titles are its
    users' names (one other than the title it gave at the last pull: the newest rename wins);
    a server title other than the chosen one is the feed's own, shown again when the chosen
    one is dropped."""
    chosen, shown, seen = conn.execute(
        "SELECT f.title_chosen, f.title, coalesce(s.title, '') FROM feeds f"
        " LEFT JOIN sync_titles s ON s.feed_id = f.id WHERE f.id = ?",
        (feed_id,),
    ).fetchone()
    if not chosen:
        conn.execute(
            "UPDATE feeds SET title = ?, own_title = ? WHERE id = ?", (title, title, feed_id)
        )
    elif renames and seen and seen != title:
        conn.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed_id))
    elif title != shown:
        conn.execute("UPDATE feeds SET own_title = ? WHERE id = ?", (title, feed_id))
    conn.execute(
        "INSERT OR REPLACE INTO sync_titles (feed_id, title) VALUES (?, ?)", (feed_id, title)
    )


def _url(conn: sqlite3.Connection, feed_id: int) -> str:
    row = conn.execute("SELECT url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    return "" if row is None else str(row[0])


def store_items(
    conn: sqlite3.Connection,
    feed_ids: dict[str, int],
    items: Sequence[RemoteItem],
    now: int,
    *,
    keep: tuple[int, int, set[str]] | None = None,
) -> int:
    """Store the server's new items in their feeds (items of feeds not synced are skipped) and
    map them; `keep` = (max items, keep days, keys never trimmed) applies retention to the feeds
    that grew. Returns how many were new."""
    by_feed: dict[int, list[RemoteItem]] = defaultdict(list)
    for r in items:
        if r.feed in feed_ids:
            by_feed[feed_ids[r.feed]].append(r)
    new = 0
    for feed_id, group in by_feed.items():
        _adopt_local_copies(conn, feed_id, group)
        new += len(itemsql.upsert_items(conn, feed_id, [r.item for r in group], now))
        _map(conn, feed_id, group)
        if keep is not None:
            itemsql.trim_feed(conn, feed_id, keep[0], keep[2], keep_days=keep[1], now=now)
    return new


def _adopt_local_copies(conn: sqlite3.Connection, feed_id: int, group: list[RemoteItem]) -> None:
    """Items tidings fetched itself before the feed came from the server become the server's
    copies (same link), so they are not stored twice."""
    links = {r.item.link: r.item.key for r in group if r.item.link}
    found = conn.execute(
        "SELECT id, link FROM items WHERE feed_id = ? AND key NOT LIKE 's:%'"
        " AND link IN (SELECT value FROM json_each(?))",
        (feed_id, json.dumps(list(links))),
    ).fetchall()
    taken = {r[0] for r in conn.execute(
        "SELECT key FROM items WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))",
        (feed_id, json.dumps(list(links.values()))),
    )}  # fmt: skip
    for item_id, link in found:
        if links[link] not in taken:
            taken.add(links[link])
            conn.execute("UPDATE items SET key = ? WHERE id = ?", (links[link], item_id))


def _map(conn: sqlite3.Connection, feed_id: int, group: list[RemoteItem]) -> None:
    remote_of = {r.item.key: r.remote for r in group}
    keys = list(remote_of)
    for start in range(0, len(keys), CHUNK):
        rows = conn.execute(
            "SELECT id, key FROM items WHERE feed_id = ?"
            " AND key IN (SELECT value FROM json_each(?))",
            (feed_id, json.dumps(keys[start : start + CHUNK])),
        ).fetchall()
        conn.executemany(
            "INSERT OR REPLACE INTO sync_items (remote, item_id) VALUES (?, ?)",
            [(remote_of[r[1]], r[0]) for r in rows],
        )


def apply_state(conn: sqlite3.Connection, unread: Collection[str], starred: Collection[str]) -> int:
    """The server's read and starred state onto every synced item that has no act of that kind
    waiting (the newest act wins: a waiting one is newer than what the server knows). Returns
    how many items changed."""
    changed = 0
    for column, attr, ids in (("read", "read", unread), ("bookmarked", "starred", starred)):
        members = json.dumps(list(ids))
        for member in (1, 0):
            flag = member if column == "bookmarked" else 1 - member
            cur = conn.execute(
                f"UPDATE items SET {column} = ? WHERE {column} != ? AND id IN ("
                " SELECT s.item_id FROM sync_items s"
                " WHERE (s.remote IN (SELECT value FROM json_each(?))) = ?"
                " AND NOT EXISTS (SELECT 1 FROM sync_acts a"
                "  WHERE a.remote = s.remote AND a.attr = ?))",
                (flag, flag, members, member, attr),
            )
            changed += max(cur.rowcount, 0)
    return changed
