"""The Fever API (FreshRSS, Miniflux, coldsweat, Tiny Tiny RSS with its plugin).

Every request is `POST URL?api&<command>` with `api_key = md5("username:password")` in the form
body; `since_id`, `max_id` and `with_ids` are read from the query string only, `mark`, `as`,
`id` from the body only, and a wrong key answers 200 with `"auth": 0`. One command a request
(Miniflux answers only the first). Items are found by id lists, not by paging with `since_id`
(pages come out of id order on some servers after a second fetch): the unread and saved ids,
then the ids not stored yet, 50 a request with `with_ids`. Fever cannot change subscriptions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from reader.errors import SyncError
from reader.models import FeedAct, ItemAct, RemoteFeed, RemoteItem
from reader.sync.items import remote_feed, remote_item
from reader.sync.wire import Wire, field

ITEMS_PER_REQUEST = 50  # the Fever API's maximum for with_ids


class Fever:
    """A Fever server at `url` for one user."""

    name = "fever"
    manages_feeds = False
    chunk = ITEMS_PER_REQUEST

    def __init__(self, wire: Wire, url: str, username: str, password: str) -> None:
        self.wire = wire
        self.base = _without_query(url)
        key = hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()
        self._key = wire.secrets.add(key)
        self._groups: dict[str, Any] = {}  # the groups answer of login()

    async def _call(
        self, query: str, what: str, form: Sequence[tuple[str, str]] = ()
    ) -> dict[str, Any]:
        url = f"{self.base}?api" + (f"&{query}" if query else "")
        answer = await self.wire.json("POST", url, what, form=[("api_key", self._key), *form])
        if field(answer, "auth", int, 0) != 1:
            refused = "the server refused the login (auth 0); check username and password"
            raise self.wire.error(what, refused)
        return answer

    async def login(self) -> None:
        """Check the key (Fever has no session: every request carries it) by asking for the
        groups, which feeds() then uses."""
        self._groups = await self._call("groups", "groups")

    async def feeds(self) -> list[RemoteFeed]:
        """The subscriptions with their groups as tags."""
        groups = self._groups or await self._call("groups", "groups")
        self._groups = {}
        feeds = await self._call("feeds", "feeds")
        titles = {
            str(field(g, "id", str, "")): field(g, "title", str, "")
            for g in _objects(groups.get("groups"))
        }
        tags: dict[str, list[str]] = {}
        for link in _objects(groups.get("feeds_groups")):
            title = titles.get(str(field(link, "group_id", str, "")), "")
            for feed_id in _ids(field(link, "feed_ids", str, "")):
                if title:
                    tags.setdefault(feed_id, []).append(title)
        found = []
        for f in _objects(feeds.get("feeds")):
            remote, url = field(f, "id", str, ""), field(f, "url", str, "")
            if remote and url:
                title, site = field(f, "title", str, ""), field(f, "site_url", str, "")
                found.append(remote_feed(remote, url, title, site, tags.get(remote, [])))
        return found

    async def unread_ids(self) -> set[str]:
        """Every unread item's id."""
        answer = await self._call("unread_item_ids", "unread_item_ids")
        return set(_ids(answer.get("unread_item_ids", "")))

    async def starred_ids(self) -> set[str]:
        """Every saved item's id."""
        answer = await self._call("saved_item_ids", "saved_item_ids")
        return set(_ids(answer.get("saved_item_ids", "")))

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """These items (at most `chunk`)."""
        answer = await self._call(f"items&with_ids={','.join(ids)}", "items")
        raw = answer.get("items")
        if not isinstance(raw, list):
            raise self.wire.error("items", "the answer has no item list")
        return [self._item(obj) for obj in raw]

    def _item(self, obj: Any) -> RemoteItem:
        if not isinstance(obj, dict) or not field(obj, "id", str, ""):
            raise self.wire.error("items", "an item without an id")
        return remote_item(
            remote=field(obj, "id", str, ""),
            feed=field(obj, "feed_id", str, ""),
            title=field(obj, "title", str, ""),
            link=field(obj, "url", str, ""),
            author=field(obj, "author", str, ""),
            published=field(obj, "created_on_time", int, None),
            content=field(obj, "html", str, ""),
            read=bool(field(obj, "is_read", int, 0)),
            starred=bool(field(obj, "is_saved", int, 0)),
        )

    async def send_items(self, acts: Sequence[ItemAct]) -> None:
        """Send read marks and saves, one request each (Fever marks one item at a time). An
        item the server no longer has (404) has nothing to mark."""
        for act in acts:
            word = _WORDS[(act.attr, act.value)]
            form = [("mark", "item"), ("as", word), ("id", act.remote)]
            try:
                await self._call("", f"mark item {act.remote} {word}", form)
            except SyncError as exc:
                if exc.status != 404:
                    raise

    async def send_feed(self, act: FeedAct, listed: dict[str, RemoteFeed]) -> bool:
        """Fever cannot change subscriptions (the engine never asks: manages_feeds is False)."""
        raise self.wire.error(f"change {act.url}", "the server manages subscriptions")


_WORDS = {("read", True): "read", ("read", False): "unread",
          ("starred", True): "saved", ("starred", False): "unsaved"}  # fmt: skip


def _without_query(url: str) -> str:
    """The endpoint without a query (a configured `...?api` is accepted)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _ids(value: Any) -> list[str]:
    """A comma-separated id list (a JSON list of ids is taken too)."""
    if isinstance(value, list):
        parts = [str(v) for v in value if isinstance(v, int | str) and not isinstance(v, bool)]
    elif isinstance(value, str | int) and not isinstance(value, bool):
        parts = str(value).split(",")
    else:
        parts = []
    return [p.strip() for p in parts if p.strip().isdigit()]


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
