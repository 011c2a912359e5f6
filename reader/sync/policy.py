"""What a person may change here about a synced feed: a Fever server manages subscriptions
(its API cannot change them), so a feed that comes from it is changed on the server."""

from __future__ import annotations

from reader.config import Config
from reader.store.db import Store


def server_manages(config: Config, store: Store, url: str) -> str:
    """Why the feed at `url` cannot be removed, renamed or retagged here ("" when it can)."""
    if config.sync.service != "fever":
        return ""
    from reader.sync.ledger import Ledger

    if not Ledger(store).from_server(url):
        return ""
    return f"{url} comes from the Fever server, which manages subscriptions: change it there"


def local_only_note(config: Config) -> str:
    """What to say when a feed is added while syncing with a server that cannot take it."""
    if config.sync.service != "fever":
        return ""
    return (
        "note: the Fever server manages subscriptions; tidings fetches this feed itself, here"
        " only (add it on the server to read it everywhere)"
    )
