"""The dataclasses every layer speaks. Times are Unix seconds (UTC) as int."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


def content_digest(*fields: str) -> str:
    """A digest of everything a feed may change in an item: the store compares it to skip
    rewriting unchanged items (computed in the parser process, off the writer's core)."""
    h = hashlib.blake2b(digest_size=16)
    for part in fields:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def item_digest(
    title: str,
    link: str,
    author: str,
    updated: int | None,
    texts: tuple[str, str, str],
    enclosures: tuple[Enclosure, ...] = (),
) -> str:
    """The `content_digest` of an item's fields; `texts` is (summary, content, content_type).
    An item without enclosures has the digest it had before enclosures were stored."""
    if not enclosures:
        return content_digest(title, link, author, str(updated), *texts)
    marks = (f"{e.url}\x1e{e.type}\x1e{e.length}\x1e{e.duration}" for e in enclosures)
    return content_digest(title, link, author, str(updated), *texts, *marks)


@dataclass(frozen=True)  # no slots: these cross a process boundary, and pickle is 2x faster
class Enclosure:
    """A media file an item carries (a podcast episode, a video, an image): from an RSS
    `<enclosure>`, an Atom `rel="enclosure"` link, Media RSS `media:content` or a JSON Feed
    attachment. `url` is absolute (http or https); the rest is what the feed says."""

    url: str
    type: str = ""  # the MIME type the feed names ("audio/mpeg"), "" when it names none
    length: int | None = None  # size in bytes; None when unknown (feeds often write 0 for that)
    duration: int | None = None  # seconds (itunes:duration, media:content duration), None unknown


@dataclass(frozen=True)  # no slots: these cross a process boundary, and pickle is 2x faster
class ParsedItem:
    """One entry as a parser read it, before the store gives it an id.

    `key` is its identity inside the feed: the guid, else the link, else a hash of title and
    content (see feeds.identity). `published`/`updated` are None when missing or unreadable.
    `content_type` is "html" or "text" (text is shown literally, never parsed as HTML).
    """

    key: str
    title: str
    link: str
    author: str
    published: int | None
    updated: int | None
    summary: str
    content: str
    content_type: str = "html"
    enclosures: tuple[Enclosure, ...] = ()
    digest: str = ""  # a hash of the fields a feed may change (computed in the parser process)
    # its search index text (title, author, body, initials: indextext.item_index),
    # computed in the parser process; () when not computed (the store computes it)
    index: tuple[str, ...] = ()
    terms: tuple[int, ...] | None = None  # which of the rules' words it holds (rulematch)


@dataclass(frozen=True)
class ParsedFeed:
    """A whole feed document: its channel data and items in document order."""

    title: str
    site_url: str
    items: tuple[ParsedItem, ...]
    format: str  # e.g. "rss20", "atom10", "rss10", "json11", "feedparser:atom03"
    warning: str = ""  # set when the document was ill-formed and only partly recovered


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription as stored."""

    id: int
    url: str
    title: str = ""
    site_url: str = ""
    tags: tuple[str, ...] = ()
    etag: str = ""
    last_modified: str = ""
    last_checked: int | None = None
    last_ok: int | None = None
    last_error: str = ""
    error_streak: int = 0
    http_status: int | None = None
    retry_after: int | None = None  # do not fetch before this time (429/503 Retry-After)
    gone: bool = False  # the server answered 410 Gone: no more fetches, items kept
    added: int = 0
    full_text: bool = False  # new items get their article page fetched and extracted
    own_title: str = ""  # the feed's own title (`title` is what shows: a chosen one, or this)
    title_chosen: bool = False  # `title` is one the person chose (kept across refreshes)

    @property
    def name(self) -> str:
        """The title, or the URL when the feed has none yet."""
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class Headline:
    """One row of a headline list: an item without its texts."""

    id: int
    feed_id: int
    feed_title: str
    feed_url: str
    title: str
    link: str
    author: str
    published: int
    read: bool
    bookmarked: bool


@dataclass(frozen=True, slots=True)
class Item:
    """A stored item with its texts and its feed's name alongside."""

    id: int
    feed_id: int
    feed_title: str
    key: str
    title: str
    link: str
    author: str
    published: int
    updated: int | None
    summary: str
    content: str
    content_type: str
    full_text: str
    read: bool
    bookmarked: bool
    first_seen: int
    feed_url: str = ""
    tags: tuple[str, ...] = ()  # the item's own tags (bookmark tags), sorted
    enclosures: tuple[Enclosure, ...] = ()  # in document order

    @property
    def body(self) -> str:
        """The fullest text the item has: extracted full text, else content, else summary."""
        return self.full_text or self.content or self.summary


class Outcome(StrEnum):
    """What happened to one feed in a refresh."""

    OK = "ok"  # fetched and parsed (new_items may be 0)
    NOT_MODIFIED = "not_modified"  # 304
    FAILED = "failed"  # network, HTTP or parse error; old items kept
    GONE = "gone"  # 410: marked gone, items kept
    SKIPPED = "skipped"  # not fetched: gone, or Retry-After still in the future


@dataclass(frozen=True, slots=True)
class FeedResult:
    """One feed's line in a refresh report."""

    url: str
    outcome: Outcome
    new_items: int = 0
    error: str = ""
    status: int | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """An enclosure queued for download, downloading, done or failed (reader/downloads.py).

    `path` is relative to `[enclosures] dir`; `size` bytes are on disk (in `path` + ".part"
    until it is done), of `total` when known. `title`/`feed_title` are the item's and its
    feed's, as the feed wrote them."""

    item_id: int
    url: str
    path: str
    state: str  # "queued", "done", "failed"
    size: int = 0
    total: int | None = None
    error: str = ""
    auto: bool = False
    added: int = 0
    finished: int | None = None
    title: str = ""
    feed_title: str = ""
    type: str = ""
    feed_url: str = ""
    published: int = 0
    validator: str = ""  # the ETag or Last-Modified of the bytes on disk (If-Range)


@dataclass(frozen=True, slots=True)
class Notice:
    """What a refresh has to tell (reader.notify): `count` new items (or new items a notify
    rule matched), the newest one's title and its feed's name (both as the feed wrote them)."""

    count: int
    title: str
    feed: str


@dataclass(frozen=True)
class RefreshReport:
    """The outcome of refreshing a set of feeds; `notice` is set when new items came that a
    notification should tell about (see reader.notify)."""

    results: tuple[FeedResult, ...] = ()
    seconds: float = 0.0
    notice: Notice | None = None
    notify_error: str = ""  # why the notification could not be sent (one line), if it was not

    def count(self, outcome: Outcome) -> int:
        """How many feeds ended with `outcome`."""
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def new_items(self) -> int:
        """Items stored for the first time."""
        return sum(r.new_items for r in self.results)

    @property
    def failed(self) -> int:
        """Feeds that failed or are gone."""
        return self.count(Outcome.FAILED) + self.count(Outcome.GONE)

    def as_json(self) -> dict[str, float | int]:
        """The `tidings refresh --json` object."""
        return {
            "feeds": len(self.results),
            "new_items": self.new_items,
            "not_modified": self.count(Outcome.NOT_MODIFIED),
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class Subscription:
    """A feed to subscribe to, as read from OPML or a newsboat urls file."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    site_url: str = ""


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Which items to list, newest first. None means "any"."""

    feed_id: int | None = None
    unread: bool | None = None  # True: unread only; False: read only
    bookmarked: bool | None = None
    tag: str | None = None
    item_tag: str | None = None  # items carrying this tag of their own (bookmark tags)
    hidden: bool = False  # True: only the items a rule hid (else they are left out)
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the fetcher got for one URL (no exceptions for HTTP outcomes)."""

    url: str  # the URL that was asked for
    final_url: str  # after redirects
    status: int  # HTTP status of the final answer (0 when there was none)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    etag: str = ""
    last_modified: str = ""
    permanent_url: str = ""  # set when every redirect hop was permanent (301/308)
    retry_after: int | None = None  # absolute Unix time from Retry-After
    error: str = ""  # set for network failures, limits and non-success statuses
    content_encoding: str = ""  # set when `body` is still compressed (fetch(decode=False))


Span = tuple[int, int]  # [start, end) character offsets into a string


@dataclass(frozen=True, slots=True)
class Snippet:
    """A line of text with the words a search matched marked as `spans` (offsets into `text`).

    `text` is already sanitised and on one line; nothing in it is markup. A UI styles the spans,
    the CLI marks them; neither interprets the text.
    """

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the headline, its title and a passage of its text with matches marked."""

    headline: Headline
    title: Snippet
    snippet: Snippet
    score: float = 0.0  # relevance (higher is better); 0.0 when sorted by date


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of search hits; `total` counts every match, `hits` holds the requested page."""

    query: str
    total: int
    took_ms: float
    hits: tuple[Hit, ...] = ()
    unindexed: int = 0  # items written but not indexed yet (a read-only store cannot catch up)
    exact: bool = True  # False: `total` is an estimate, the count was not done (Store.search_total)


# ---- sync with a feed server (reader/sync) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription as a sync server lists it; `remote` is the server's id for it."""

    remote: str
    url: str
    title: str = ""
    site_url: str = ""
    tags: tuple[str, ...] = ()  # the server's folders, categories or groups


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """An item as a sync server sends it: its server id, its feed's server id, its state."""

    remote: str
    feed: str
    item: ParsedItem
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class ItemAct:
    """A read mark or a bookmark not yet sent to the server (`seq` orders acts)."""

    remote: str
    attr: str  # "read" or "starred"
    value: bool
    seq: int


@dataclass(frozen=True, slots=True)
class FeedAct:
    """A change to a subscription not yet sent to the server: `attr` is "subscribed" (value
    "1" or "0"), "title" or "tags"; the feed's current title and tags go with it."""

    url: str
    attr: str
    value: str
    seq: int
    title: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    """The outcome of one sync: the `tidings sync --json` object and notes for a person."""

    service: str
    pulled: int = 0  # items brought into the store for the first time
    pushed: int = 0  # acts the server confirmed
    feeds: int = 0  # subscriptions on the server
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, str | int | float]:
        """The `tidings sync --json` object."""
        return {
            "service": self.service,
            "pulled": self.pulled,
            "pushed": self.pushed,
            "feeds": self.feeds,
            "seconds": round(self.seconds, 3),
        }
