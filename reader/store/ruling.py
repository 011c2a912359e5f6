"""Rules on an open connection (used by store.db.Store): their actions on new items, in the
transaction that stores them, and on what is stored (`tidings rules --apply`). The matching
itself is reader.rules; this module only reads the rows it needs and writes the actions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from reader.models import ParsedItem
from reader.rules import Action, Rule, RuleRun
from reader.store import changes, syncsql
from reader.store.bookmarks import clean_tags

# one statement per action (executemany takes the GIL back for every row: store/items.py)
_IDS = "(SELECT value FROM json_each(?))"
_UPDATES = {
    "read": f"UPDATE items SET read = 1 WHERE id IN {_IDS}",
    "hide": f"UPDATE items SET hidden = 1 WHERE id IN {_IDS}",
    "bookmark": f"UPDATE items SET bookmarked = 1 WHERE id IN {_IDS}",
}
_SYNCED = {"read": "read", "bookmark": "starred"}


def act(conn: sqlite3.Connection, action: Action, ids: Sequence[int]) -> None:
    """Carry out one action on these items (notify writes nothing)."""
    if action.kind in _UPDATES:
        conn.execute(_UPDATES[action.kind], (json.dumps(list(ids)),))
        if action.kind in _SYNCED:  # told to a sync server, as a person's own marks are
            syncsql.queue_items(conn, ids, _SYNCED[action.kind], True)
    elif action.kind == "tag":
        for tag in clean_tags([action.tag]):
            conn.execute(
                f"INSERT OR IGNORE INTO item_tags (item_id, tag) SELECT value, ? FROM {_IDS}",
                (tag, json.dumps(list(ids))),
            )


def _feed(conn: sqlite3.Connection, feed_id: int) -> tuple[str, str, list[str]]:
    row = conn.execute("SELECT title, url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    tags = [r[0] for r in conn.execute("SELECT tag FROM feed_tags WHERE feed_id = ?", (feed_id,))]
    return (row[0], row[1], tags) if row else ("", "", tags)


def apply_new(
    conn: sqlite3.Connection,
    run: RuleRun,
    feed_id: int,
    fresh: Sequence[tuple[int, ParsedItem]],
) -> None:
    """Match the items just stored for `feed_id` ((id, item) pairs) against the rules, carry
    out the actions, and note them for the notification."""
    ids = json.dumps([item_id for item_id, _ in fresh])
    published = dict(conn.execute(
        "SELECT id, published FROM items WHERE id IN (SELECT value FROM json_each(?))", (ids,)
    ).fetchall())  # fmt: skip
    title, url, tags = _feed(conn, feed_id)
    rules = run.feed_rules(title, url, tags)
    chosen: dict[Action, list[int]] = {}
    kept: list[tuple[ParsedItem, int, bool]] = []  # (item, date, a notify rule matched it)
    for item_id, item in fresh:
        when = published.get(item_id)
        if when is None:  # retention took it at once (past max_items_per_feed)
            continue
        actions = run.match(rules, item, title, when) if rules else ()
        for action in actions:
            chosen.setdefault(action, []).append(item_id)
        kept.append((item, when, any(a.kind == "notify" for a in actions)))
    run.note(kept, title or url)
    for action, ids_ in chosen.items():
        act(conn, action, ids_)
    if chosen:  # readers open in other processes see the marks (store/changes.py)
        changes.bump(conn, "read", "bookmarks")


def apply_stored(conn: sqlite3.Connection, rules: Sequence[Rule]) -> list[int]:
    """Apply each rule to every stored item it matches (asked of the search index, so every
    item must be indexed first); how many items each rule matched."""
    from reader.store.search import matching_ids

    counts: list[int] = []
    for rule in rules:
        ids = matching_ids(conn, rule.text)
        act(conn, rule.action, ids)
        counts.append(len(ids))
    changes.bump(conn, *changes.KINDS)
    return counts
