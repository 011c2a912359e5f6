"""The store's side of a sync: short transactions over store/syncsql.py, never one held across
a request to the server. A pull is written in one transaction, after every request succeeded."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from reader.models import FeedAct, ItemAct, RemoteFeed, RemoteItem
from reader.store import changes, syncsql
from reader.store.db import Store


@dataclass(frozen=True)
class Pull:
    """What a sync brings from the server."""

    feeds: tuple[RemoteFeed, ...]
    items: tuple[RemoteItem, ...]
    unread: frozenset[str]
    starred: frozenset[str]
    renames: bool = False  # the server's titles are its users' names for the feeds (greader)


class Ledger:
    """Sync bookkeeping on one store."""

    def __init__(self, store: Store, retention: tuple[int, int] = (2000, 0)) -> None:
        self.store = store
        self.retention = retention  # [store] max_items_per_feed, keep_days

    def account(self) -> str | None:
        """The account the store last synced with."""
        with self.store.transaction() as conn:
            return syncsql.account(conn)

    def pending(self) -> tuple[list[FeedAct], list[ItemAct]]:
        """The acts waiting to be sent."""
        with self.store.transaction() as conn:
            return syncsql.pending_feeds(conn), syncsql.pending_items(conn)

    def local_subscriptions(self) -> list[FeedAct]:
        """Subscriptions the server does not know (see syncsql.local_subscriptions)."""
        with self.store.transaction() as conn:
            return syncsql.local_subscriptions(conn)

    def done_items(self, acts: Sequence[ItemAct]) -> None:
        """Acts the server took (durable: sending them twice is harmless, losing a newer one
        is not, and the delete spares a newer one)."""
        with self.store.transaction(durable=True) as conn:
            syncsql.done_items(conn, acts)

    def done_feeds(self, acts: Sequence[FeedAct]) -> None:
        """Feed acts the server took, refused, or cannot take."""
        with self.store.transaction(durable=True) as conn:
            syncsql.done_feeds(conn, acts)

    def local_feed_ids(self) -> set[int]:
        """Subscribed feeds the server does not fetch (tidings fetches them itself)."""
        with self.store.transaction() as conn:
            return syncsql.local_feed_ids(conn)

    def from_server(self, url: str) -> bool:
        """Whether the feed at `url` comes from the sync server."""
        with self.store.transaction() as conn:
            return syncsql.from_server(conn, url)

    def pending_count(self) -> int:
        """How many acts wait to be sent."""
        with self.store.transaction() as conn:
            return syncsql.pending_count(conn)

    def known(self, remotes: Collection[str]) -> set[str]:
        """The server item ids already stored."""
        with self.store.transaction() as conn:
            return syncsql.known(conn, remotes)

    def apply(self, account: str, pull: Pull) -> tuple[int, int]:
        """Write a pull in one transaction; returns (new items, items whose state changed)."""
        keep_keys = {syncsql.item_key(r) for r in pull.unread | pull.starred}
        now = int(time.time())
        with self.store.transaction() as conn:
            syncsql.set_account(conn, account)
            feed_ids = syncsql.apply_feeds(conn, pull.feeds, renames=pull.renames)
            keep = (self.retention[0], self.retention[1], keep_keys)
            new = syncsql.store_items(conn, feed_ids, pull.items, now, keep=keep)
            changed = syncsql.apply_state(conn, pull.unread, pull.starred)
            syncsql.set_value(conn, "last_sync", str(now))
            changes.bump(conn, *changes.KINDS)  # an open reader shows the pull (store/changes.py)
        return new, changed
