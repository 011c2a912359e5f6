"""A Google Reader API server on loopback, written from FreshRSS's and Miniflux's documents
(FreshRSS p/api/greader.php, Miniflux internal/googlereader/README.md), with their quirks:

- `POST /accounts/ClientLogin` (Email, Passwd) answers `SID=…\\nLSID=null\\nAuth=<user>/<hex>`;
  a wrong password is a 401.
- GET requests authenticate only with `Authorization: GoogleLogin auth=<token>`; POST requests
  need the header (FreshRSS) and the edit token `T` in the body (Miniflux); a bad one is a 401
  with `X-Reader-Google-Bad-Token: true`.
- stream/items/ids answers decimal ids, newest first, `n` capped at 10000, and `continuation`
  as a numeric offset in a string; stream/items/contents answers long-form ids
  (`tag:google.com,2005:reader/item/<16 hex>`) and takes long, short, bare-hex or decimal ones;
  item categories name the user by number (`user/1/state/com.google/read`), as Miniflux does.
- edit-tag reads one `a` and one `r` from the body only; subscription/edit subscribes with
  `feed/<url>` but edits and unsubscribes with `feed/<id>`.

`faults[path]` makes one endpoint misbehave (tests of bad answers); `hits` counts requests.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.loopback import QuietServer, send

LONG = "tag:google.com,2005:reader/item/"
TOKEN_SALT = "0123456789abcdef"


@dataclass
class Entry:
    """One item on the server."""

    id: int
    feed: int
    title: str
    link: str
    content: str
    published: int
    author: str = ""
    read: bool = False
    starred: bool = False


@dataclass
class Sub:
    """One subscription."""

    id: int
    url: str
    title: str
    labels: list[str] = field(default_factory=list)


Fault = Callable[
    [BaseHTTPRequestHandler], bool
]  # True: it answered (the normal handler is skipped)


class GReaderServer:
    """The server's state and its HTTP front, on a free 127.0.0.1 port."""

    def __init__(self, username: str = "alice", password: str = "correct horse battery") -> None:
        self.username, self.password = username, password
        self.auth = f"{username}/{abs(hash((username, password, TOKEN_SALT))):x}"
        self.token = self.auth.split("/")[1].ljust(57, "Z")
        self.subs: dict[int, Sub] = {}
        self.items: dict[int, Entry] = {}
        self.hits: Counter[str] = Counter()
        self.asked: Counter[str] = Counter()  # item ids asked for with stream/items/contents
        self.faults: dict[str, Fault] = {}
        self.lock = threading.RLock()
        self._next_item = 1_000_000_000_000  # large ids, like FreshRSS's microsecond ones
        self.port = 0
        self.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again, on the same port after stop(): the state is kept)."""
        self.httpd = QuietServer(("127.0.0.1", self.port), _handler(self))
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        """Stop listening (connections are refused until start())."""
        self.httpd.shutdown()
        self.httpd.server_close()

    close = stop

    # ---- the state, as a test (or another client) changes it ---------------------------------
    def subscribe(self, url: str, title: str = "", labels: tuple[str, ...] = ()) -> Sub:
        """Add a subscription."""
        with self.lock:
            sub = Sub(max(self.subs, default=0) + 1, url, title or url, list(labels))
            self.subs[sub.id] = sub
            return sub

    def publish(
        self, sub: Sub, count: int, *, start: int = 0, chinese: bool = False
    ) -> list[Entry]:
        """Add `count` items to a subscription (newest last)."""
        made = []
        with self.lock:
            for n in range(start, start + count):
                self._next_item += 7
                title = f"第{n}条新闻：咸宁市" if chinese else f"Story {n} of {sub.title}"
                entry = Entry(self._next_item, sub.id, title, f"{sub.url}/story/{n}",
                              f"<p>{title}: the body.</p>", 1_700_000_000 + n * 60, "Reporter")  # fmt: skip
                self.items[entry.id] = entry
                made.append(entry)
        return made

    def unread(self) -> set[int]:
        """Ids of the unread items."""
        with self.lock:
            return {i for i, e in self.items.items() if not e.read}

    def starred(self) -> set[int]:
        """Ids of the starred items."""
        with self.lock:
            return {i for i, e in self.items.items() if e.starred}

    # ---- the API ---------------------------------------------------------------------------
    def answer(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        query = parse_qsl(parts.query, keep_blank_values=True)
        length = int(h.headers.get("Content-Length") or 0)
        body = parse_qsl(h.rfile.read(length).decode(), keep_blank_values=True) if length else []
        with self.lock:
            self.hits[path] += 1
        fault = self.faults.get(path)
        if fault is not None and fault(h):
            return
        if path == "/accounts/ClientLogin":
            return self._client_login(h, dict(query + body))
        if not path.startswith("/reader/api/0/"):
            return send(h, 404, b"not found", "text/plain")
        header = h.headers.get("Authorization", "")
        token = dict(body).get("T", "")
        if header != f"GoogleLogin auth={self.auth}" or (method == "POST" and token != self.token):
            return send(
                h, 401, b"Unauthorized", "text/plain", {"X-Reader-Google-Bad-Token": "true"}
            )
        name = path.removeprefix("/reader/api/0/")
        handler = _ROUTES.get((method, name))
        if handler is None:
            return send(h, 200, b"[]", "application/json")  # Miniflux's catch-all
        with self.lock:
            result = handler(self, dict(query), body)
        if isinstance(result, _Refused):
            return send(h, 400, b"Bad Request", "text/plain")
        if isinstance(result, str):
            return send(h, 200, result.encode(), "text/plain; charset=utf-8")
        send(h, 200, json.dumps(result).encode(), "application/json")

    def _client_login(self, h: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        if form.get("Email") != self.username or form.get("Passwd") != self.password:
            return send(h, 401, b'{"error_message":"access unauthorized"}', "application/json")
        text = f"SID={self.auth}\nLSID=null\nAuth={self.auth}\n"
        send(h, 200, text.encode(), "text/plain; charset=UTF-8")

    def token_route(self, q: dict[str, str], body: list[tuple[str, str]]) -> str:
        return self.token + "\n"

    def subscription_list(self, q: dict[str, str], body: list[tuple[str, str]]) -> Any:
        return {"subscriptions": [
            {"id": f"feed/{s.id}", "title": s.title, "url": s.url, "htmlUrl": s.url + "/",
             "categories": [{"id": f"user/1/label/{x}", "label": x, "type": "folder"} for x in s.labels]}
            for s in self.subs.values()
        ]}  # fmt: skip

    def item_ids(self, q: dict[str, str], body: list[tuple[str, str]]) -> Any:
        stream, exclude = q.get("s", ""), q.get("xt", "")
        n = int(q.get("n") or 20)
        n = 10000 if n <= 0 or n > 10000 else n
        chosen = [e for e in self.items.values() if self._in_stream(e, stream)]
        if exclude.endswith("/state/com.google/read"):
            chosen = [e for e in chosen if not e.read]
        chosen.sort(key=lambda e: (e.published, e.id), reverse=q.get("r") != "o")
        offset = int(q.get("c") or 0)
        page = chosen[offset : offset + n]
        answer: dict[str, Any] = {"itemRefs": [{"id": str(e.id)} for e in page]}
        if offset + n < len(chosen):
            answer["continuation"] = str(offset + n)
        return answer

    def _in_stream(self, e: Entry, stream: str) -> bool:
        if stream.endswith("/state/com.google/starred"):
            return e.starred
        if stream.endswith("/state/com.google/read"):
            return e.read
        if stream.startswith("feed/"):
            return stream == f"feed/{e.feed}"
        return stream.endswith("/state/com.google/reading-list") and e.feed in self.subs

    def item_contents(self, q: dict[str, str], body: list[tuple[str, str]]) -> Any:
        items = []
        for key, raw in body:
            entry = self.items.get(parse_id(raw)) if key == "i" else None
            if entry is None or entry.feed not in self.subs:
                continue
            self.asked[str(entry.id)] += 1
            sub = self.subs[entry.feed]
            state = [f"user/1/state/com.google/{s}" for s, on in
                     (("read", entry.read), ("starred", entry.starred)) if on]  # fmt: skip
            items.append({
                "id": f"{LONG}{entry.id:016x}",
                "categories": ["user/1/state/com.google/reading-list", *state,
                               *(f"user/1/label/{x}" for x in sub.labels)],
                "title": entry.title, "published": entry.published,
                "crawlTimeMsec": str(entry.published * 1000),
                "timestampUsec": str(entry.published * 1_000_000), "author": entry.author,
                "alternate": [{"href": entry.link, "type": "text/html"}],
                "canonical": [{"href": entry.link}],
                "summary": {"direction": "ltr", "content": entry.content},
                "content": {"direction": "ltr", "content": entry.content},
                "origin": {"streamId": f"feed/{sub.id}", "title": sub.title, "htmlUrl": sub.url},
            })  # fmt: skip
        return {"id": "user/-/state/com.google/reading-list", "updated": int(time.time()),
                "items": items}  # fmt: skip

    def edit_tag(self, q: dict[str, str], body: list[tuple[str, str]]) -> Any:
        form = dict(body)  # one `a` and one `r` (FreshRSS reads a single value)
        for key, raw in body:
            entry = self.items.get(parse_id(raw)) if key == "i" else None
            if entry is None:
                continue
            for tag, on in ((form.get("a", ""), True), (form.get("r", ""), False)):
                if tag.endswith("/state/com.google/read"):
                    entry.read = on
                elif tag.endswith("/state/com.google/starred"):
                    entry.starred = on
        return "OK"

    def subscription_edit(self, q: dict[str, str], body: list[tuple[str, str]]) -> Any:
        form = dict(body)
        action, stream = form.get("ac", ""), form.get("s", "")
        label = form.get("a", "").removeprefix("user/-/label/")
        if action == "subscribe":
            url = stream.removeprefix("feed/")
            if url.isdigit() or any(s.url == url for s in self.subs.values()):
                return _Refused()
            self.subscribe(url, form.get("t", ""), (label,) if label else ())
            return "OK"
        number = stream.removeprefix("feed/")
        sub = self.subs.get(int(number)) if number.isdigit() else None
        if sub is None:
            return _Refused()
        if action == "unsubscribe":
            del self.subs[sub.id]
        elif action == "edit":
            sub.title = form.get("t") or sub.title
            removed = form.get("r", "").removeprefix("user/-/label/")
            sub.labels = [x for x in sub.labels if x != removed]
            if label and label not in sub.labels:
                sub.labels.append(label)
        return "OK"


class _Refused(dict[str, str]):
    """A 400 answer (FreshRSS's badRequest)."""


def parse_id(raw: str) -> int:
    """An item id in any of the forms Miniflux documents."""
    tail = raw.rsplit("/", 1)[-1]
    if raw.startswith("tag:") or not tail.isdigit() or tail.startswith("0"):
        return int(tail, 16)
    return int(tail)


_ROUTES: dict[tuple[str, str], Callable[..., Any]] = {
    ("GET", "token"): GReaderServer.token_route,
    ("GET", "subscription/list"): GReaderServer.subscription_list,
    ("GET", "stream/items/ids"): GReaderServer.item_ids,
    ("POST", "stream/items/contents"): GReaderServer.item_contents,
    ("POST", "edit-tag"): GReaderServer.edit_tag,
    ("POST", "subscription/edit"): GReaderServer.subscription_edit,
}


def _handler(server: GReaderServer) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                server.answer(self, "GET")

        def do_POST(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                server.answer(self, "POST")

    return H
