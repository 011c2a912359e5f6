"""The Google Reader API as FreshRSS, Miniflux, Inoreader, The Old Reader and BazQux speak it.

`POST {url}/accounts/ClientLogin` (Email, Passwd) gives the Auth token, sent as `Authorization:
GoogleLogin auth=...` on every request; `GET /reader/api/0/token` gives the edit token `T` that
every POST carries in its body (Miniflux reads POST auth only from T, FreshRSS only from the
header: both are sent). Item ids come long (`tag:google.com,2005:reader/item/<16 hex>`, from
stream/items/contents), short (`.../item/2f2`) or decimal (stream/items/ids); the store keeps
decimal. Feeds are `feed/<id>` in answers, but `feed/<url>` to subscribe. One `a` or `r` tag per
edit-tag request (FreshRSS reads one). Lists are followed through `continuation`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from reader.models import FeedAct, ItemAct, RemoteFeed, RemoteItem
from reader.sync.items import remote_feed, remote_item
from reader.sync.wire import Wire, field

LONG = "tag:google.com,2005:reader/item/"
STATE = "user/-/state/com.google/"
READ, STARRED, READING_LIST = STATE + "read", STATE + "starred", STATE + "reading-list"
LABEL = "user/-/label/"
IDS_PER_PAGE = 10000  # Miniflux's cap; a server with a lower one pages with `continuation`
MAX_PAGES = 1000  # a million ids: a server whose continuation never ends is cut off
ITEMS_PER_REQUEST = 100


def item_id(raw: str) -> str:
    """A Google Reader item id in any form as decimal ("" when it is none)."""
    if raw.isdigit() and raw[0] != "0":
        return raw  # the decimal form, as stream/items/ids sends it (10,000 at a time)
    raw = raw.strip()
    if raw.startswith("-") and raw[1:].isdigit():
        return str(int(raw) % 2**64)  # Google's signed 64-bit decimal
    tail = raw.rsplit("/", 1)[-1] if raw.startswith("tag:") else raw
    try:
        if raw.startswith("tag:") or not tail.isdigit() or tail.startswith("0"):
            return str(int(tail, 16))  # long, short, or bare 16-hex forms
        return str(int(tail))
    except ValueError:
        return ""


def long_id(decimal: str) -> str:
    """The long form of a decimal item id."""
    return f"{LONG}{int(decimal):016x}"


class GoogleReader:
    """A Google Reader API server at `url` (the address before /accounts and /reader)."""

    name = "greader"
    manages_feeds = True
    chunk = ITEMS_PER_REQUEST

    def __init__(self, wire: Wire, url: str, username: str, password: str) -> None:
        self.wire = wire
        self.base = url.rstrip("/")
        self.api = self.base + "/reader/api/0"
        self._login = (username, password)
        self._app: dict[str, str] = {}  # Inoreader's AppId and AppKey (see with_app)
        self._headers: dict[str, str] = {}
        self._token = ""

    def with_app(self, app_id: str, app_key: str) -> GoogleReader:
        """Send an app's id and key with every request (Inoreader wants them)."""
        if app_id and app_key:
            self._app = {"AppId": app_id, "AppKey": self.wire.secrets.add(app_key)}
        return self

    async def login(self) -> None:
        """ClientLogin, then the edit token."""
        user, password = self._login
        body = await self.wire.send("POST", f"{self.base}/accounts/ClientLogin", "ClientLogin",
                                    form=[("Email", user), ("Passwd", password)],
                                    headers=self._app)  # fmt: skip
        auth = _auth_token(body)
        if not auth:
            raise self.wire.error("ClientLogin", "the answer has no Auth token (is the url right?)")
        token = self.wire.secrets.add(auth)
        self._headers = {**self._app, "Authorization": f"GoogleLogin auth={token}"}
        edit = await self.wire.send("GET", f"{self.api}/token", "token", headers=self._headers)
        self._token = self.wire.secrets.add(edit.decode("utf-8", "replace").strip())

    async def _get(self, path: str, query: list[tuple[str, str]]) -> dict[str, Any]:
        url = f"{self.api}/{path}?{urlencode([*query, ('output', 'json')])}"
        return await self.wire.json("GET", url, path, headers=self._headers)

    async def _post(self, path: str, what: str, form: list[tuple[str, str]]) -> bytes:
        url = f"{self.api}/{path}?output=json"
        return await self.wire.send("POST", url, what, form=[*form, ("T", self._token)],
                                    headers=self._headers)  # fmt: skip

    async def feeds(self) -> list[RemoteFeed]:
        """The subscriptions with their folders (categories, labels) as tags."""
        answer = await self._get("subscription/list", [])
        found = []
        for s in _objects(answer.get("subscriptions")):
            remote, url = field(s, "id", str, ""), field(s, "url", str, "")
            if not url and remote.startswith("feed/") and "://" in remote:
                url = remote[5:]  # The Old Reader and others name the feed by its URL
            if remote and url:
                tags = [_label(c) for c in _objects(s.get("categories"))]
                title, site = field(s, "title", str, ""), field(s, "htmlUrl", str, "")
                found.append(remote_feed(remote, url, title, site, [t for t in tags if t]))
        return found

    async def unread_ids(self) -> set[str]:
        """Every unread item's id."""
        return await self._stream_ids(READING_LIST, exclude=READ)

    async def starred_ids(self) -> set[str]:
        """Every starred item's id."""
        return await self._stream_ids(STARRED)

    async def _stream_ids(self, stream: str, exclude: str = "") -> set[str]:
        ids: set[str] = set()
        continuation = ""
        for _ in range(MAX_PAGES):
            query = [("s", stream), ("n", str(IDS_PER_PAGE))]
            query += [("xt", exclude)] if exclude else []
            query += [("c", continuation)] if continuation else []
            answer = await self._get("stream/items/ids", query)
            refs = answer.get("itemRefs") or []
            if not isinstance(refs, list):
                raise self.wire.error("stream/items/ids", "itemRefs is not a list")
            for ref in refs:
                found = item_id(field(ref, "id", str, "")) if isinstance(ref, dict) else ""
                if not found:
                    raise self.wire.error("stream/items/ids", "an item reference without an id")
                ids.add(found)
            following = field(answer, "continuation", str, "")
            if not following or not refs or following == continuation:
                break
            continuation = following
        return ids

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """These items (at most `chunk`)."""
        body = await self._post("stream/items/contents", "stream/items/contents",
                                [("i", long_id(i)) for i in ids])  # fmt: skip
        raw = self.wire.decode(body, "stream/items/contents").get("items")
        if not isinstance(raw, list):
            raise self.wire.error("stream/items/contents", "the answer has no item list")
        return [self._item(obj) for obj in raw]

    def _item(self, obj: Any) -> RemoteItem:
        remote = item_id(field(obj, "id", str, "")) if isinstance(obj, dict) else ""
        if not remote:
            raise self.wire.error("stream/items/contents", "an item without an id")
        tags = [c for c in obj.get("categories") or [] if isinstance(c, str)]
        origin = obj.get("origin") if isinstance(obj.get("origin"), dict) else {}
        links = _objects(obj.get("canonical")) + _objects(obj.get("alternate"))
        return remote_item(
            remote=remote,
            feed=field(origin, "streamId", str, ""),
            title=field(obj, "title", str, ""),
            link=next((field(x, "href", str, "") for x in links if x.get("href")), ""),
            author=field(obj, "author", str, ""),
            published=field(obj, "published", int, None),
            content=_text(obj.get("content")) or _text(obj.get("summary")),
            summary=_text(obj.get("summary")),
            read=any(_is_state(t, "read") for t in tags),
            starred=any(_is_state(t, "starred") for t in tags),
        )

    async def send_items(self, acts: Sequence[ItemAct]) -> None:
        """Read marks and stars with edit-tag: one tag added or removed per request."""
        groups: dict[tuple[str, bool], list[str]] = {}
        for act in acts:
            groups.setdefault((act.attr, act.value), []).append(act.remote)
        for (attr, value), remotes in groups.items():
            tag = READ if attr == "read" else STARRED
            for start in range(0, len(remotes), ITEMS_PER_REQUEST):
                ids = [("i", long_id(r)) for r in remotes[start : start + ITEMS_PER_REQUEST]]
                verb = "a" if value else "r"
                await self._post("edit-tag", f"edit-tag {attr}", [*ids, (verb, tag)])

    async def send_feed(self, act: FeedAct, listed: dict[str, RemoteFeed]) -> bool:
        """One subscription change; False when there was nothing to send (a subscribe to a feed
        the server has, a change to one it does not)."""
        on_server = listed.get(act.url)
        if act.attr == "subscribed" and act.value == "1" and on_server is None:
            form = [("ac", "subscribe"), ("s", f"feed/{act.url}"), ("t", act.title)]
            form += [("a", LABEL + act.tags[0])] if act.tags else []
            await self._post("subscription/edit", f"subscribe {act.url}", form)
        elif on_server is None or (act.attr == "subscribed" and act.value == "1"):
            return False
        elif act.attr == "subscribed" and act.value == "0":
            form = [("ac", "unsubscribe"), ("s", on_server.remote)]
            await self._post("subscription/edit", f"unsubscribe {act.url}", form)
        elif act.attr == "title" and act.title:
            form = [("ac", "edit"), ("s", on_server.remote), ("t", act.title)]
            await self._post("subscription/edit", f"rename {act.url}", form)
        elif act.attr == "tags":
            return await self._retag(act, on_server)
        return True

    async def _retag(self, act: FeedAct, on_server: RemoteFeed) -> bool:
        """Removed folders first, then added ones (on FreshRSS and Miniflux a feed is in one
        folder: adding moves it, removing moves it to the default one)."""
        steps = [("r", t) for t in on_server.tags if t not in act.tags]
        steps += [("a", t) for t in act.tags if t not in on_server.tags]
        for verb, tag in steps:
            form = [("ac", "edit"), ("s", on_server.remote), (verb, LABEL + tag)]
            await self._post("subscription/edit", f"tag {act.url}", form)
        return bool(steps)


def _auth_token(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return ""
        return field(value, "Auth", str, "") if isinstance(value, dict) else ""
    for line in text.splitlines():
        if line.startswith("Auth="):
            return line[5:].strip()
    return ""


def _label(category: dict[str, Any]) -> str:
    label = field(category, "label", str, "")
    cid = field(category, "id", str, "")
    return label or (cid.split("/label/", 1)[1] if "/label/" in cid else "")


def _is_state(tag: str, state: str) -> bool:
    return tag.startswith("user/") and tag.endswith(f"/state/com.google/{state}")


def _text(value: Any) -> str:
    return field(value, "content", str, "") if isinstance(value, dict) else ""


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
