"""One sync with a feed server, the same for every service (fever.py, greader.py).

1. Log in.
2. Push: the acts queued in the store (subscription changes first, then read marks and stars),
   each dropped from the queue once the server took it. A first sync with a Google Reader
   server brings the subscriptions made here over.
3. Pull: the subscriptions with their folders, the ids of every unread and every starred item,
   then the contents of the ids not stored yet (`chunk` a request, a few requests at once). A
   sync after a sync asks for contents only of what is new.
4. Store the pull in one transaction: feeds, new items, and the server's read and starred state
   on every synced item that has no act of that kind waiting (the newest act wins).

Any failed request stops the sync with one SyncError line before anything of the pull is
stored; the acts not yet confirmed stay queued.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from reader.config import Config, SyncConfig
from reader.errors import SyncError, UsageError
from reader.feeds.fetch import ApiClient
from reader.models import FeedAct, ItemAct, RemoteFeed, RemoteItem, SyncReport
from reader.store.db import Store
from reader.sync.credentials import Secrets, read_password
from reader.sync.ledger import Ledger, Pull
from reader.sync.wire import Wire

T = TypeVar("T")
ACTS_PER_PUSH = 100  # item acts confirmed (and dropped from the queue) together


@dataclass(frozen=True)
class SyncProgress:
    """Where a sync is: `stage` ("login", "sending", "listing", "pulling", "storing") and, while
    pulling, `done` of `total` new items fetched."""

    service: str
    stage: str
    done: int = 0
    total: int = 0


SyncProgressCallback = Callable[[SyncProgress], None]


class Service(Protocol):
    """What the engine needs of a service."""

    name: str
    manages_feeds: bool  # False: the server alone changes subscriptions (Fever)
    chunk: int  # items asked for in one request

    async def login(self) -> None: ...
    async def feeds(self) -> list[RemoteFeed]: ...
    async def unread_ids(self) -> set[str]: ...
    async def starred_ids(self) -> set[str]: ...
    async def items(self, ids: Sequence[str]) -> list[RemoteItem]: ...
    async def send_items(self, acts: Sequence[ItemAct]) -> None: ...
    async def send_feed(self, act: FeedAct, listed: dict[str, RemoteFeed]) -> bool: ...


def account_name(config: SyncConfig) -> str:
    """The account a store syncs with: moving to another forgets the old one's ids."""
    return f"{config.service} {config.url} {config.username}"


async def sync(
    config: Config,
    store: Store,
    progress: SyncProgressCallback | None = None,
    *,
    api: ApiClient | None = None,
) -> SyncReport:
    """Sync `store` with the [sync] server; SyncError (one line) when the server fails."""
    settings = config.sync
    if not settings.enabled:
        raise UsageError("no [sync] service in config.toml (the README's Sync section says how)")
    started = time.monotonic()
    secrets = Secrets()
    password = read_password(settings, secrets)
    client = api or ApiClient(config.fetch, concurrency=config.fetch.per_host)
    async with client:
        service = make_service(settings, Wire(settings.service, client, secrets), password)
        ledger = Ledger(store, (config.store.max_items_per_feed, config.store.keep_days))
        report = await Sync(service, ledger, account_name(settings), progress).run()
    return replace(report, seconds=time.monotonic() - started)


def make_service(settings: SyncConfig, wire: Wire, password: str) -> Service:
    """The client for the configured service."""
    from reader.sync.fever import Fever
    from reader.sync.greader import GoogleReader

    if settings.service == "fever":
        return Fever(wire, settings.url, settings.username, password)
    reader = GoogleReader(wire, settings.url, settings.username, password)
    return reader.with_app(settings.app_id, settings.app_key)


class Sync:
    """One run of the steps above."""

    def __init__(
        self,
        service: Service,
        ledger: Ledger,
        account: str,
        progress: SyncProgressCallback | None = None,
    ) -> None:
        self.service = service
        self.ledger = ledger
        self.account = account
        self._progress = progress
        self.notes: list[str] = []

    def _say(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self._progress is not None:
            self._progress(SyncProgress(self.service.name, stage, done, total))

    async def run(self) -> SyncReport:
        """Push, pull, store; the report (seconds filled in by the caller)."""
        self._say("login")
        await self.service.login()
        fresh = self.ledger.account() != self.account
        pushed = await self._push(fresh)
        self._say("listing")
        feeds, unread, starred = await _together(
            self.service.feeds(), self.service.unread_ids(), self.service.starred_ids()
        )
        wanted = unread | starred
        stored = set() if fresh else self.ledger.known(wanted)
        missing = sorted(wanted - stored, key=_newest_first)
        items = await self._fetch(missing)
        self._say("storing", len(missing), len(missing))
        pull = Pull(tuple(feeds), tuple(items), frozenset(unread), frozenset(starred),
                    renames=self.service.manages_feeds)  # fmt: skip
        new, _ = await asyncio.to_thread(self.ledger.apply, self.account, pull)
        return SyncReport(self.service.name, new, pushed, len(feeds), notes=tuple(self.notes))

    async def _push(self, fresh: bool) -> int:
        feed_acts, item_acts = self.ledger.pending()
        if fresh:  # acts queued for another account mean nothing here (apply forgets them)
            feed_acts = self.ledger.local_subscriptions() if self.service.manages_feeds else []
            item_acts = []
        if feed_acts or item_acts:
            self._say("sending", 0, len(feed_acts) + len(item_acts))
        pushed = await self._push_feeds(feed_acts)
        for start in range(0, len(item_acts), ACTS_PER_PUSH):
            chunk = item_acts[start : start + ACTS_PER_PUSH]
            if await self._refusable(self.service.send_items(chunk), f"{len(chunk)} acts"):
                pushed += len(chunk)
            self.ledger.done_items(chunk)
        return pushed

    async def _push_feeds(self, acts: list[FeedAct]) -> int:
        if not acts:
            return 0
        if not self.service.manages_feeds:
            self.ledger.done_feeds(acts)
            unsent = [a for a in acts if a.attr != "title"]  # a title chosen here stays here
            if unsent:
                self.notes.append(
                    f"{self.service.name}: the server manages subscriptions; {len(unsent)}"
                    " change(s) made here were not sent (make them on the server)"
                )
            return 0
        pushed = 0
        first = [a for a in acts if a.attr == "subscribed"]
        then = [a for a in acts if a.attr != "subscribed"]
        for group in (first, then):
            if not group:
                continue
            listed = {f.url: f for f in await self.service.feeds()}
            for act in group:
                sent = await self._refusable(self.service.send_feed(act, listed), act.url)
                pushed += sent
                self.ledger.done_feeds([act])
        return pushed

    async def _refusable(self, request: Awaitable[bool | None], what: str) -> bool:
        """Await `request`; a refusal (a 4xx other than a login or rate problem) becomes a note
        and False, so one act the server will never take cannot block every later sync."""
        try:
            result = await request
        except SyncError as exc:
            if exc.status is None or exc.status in (401, 403, 408, 429) or exc.status >= 500:
                raise
            self.notes.append(f"{exc} ({what} dropped)")
            return False
        return result is not False

    async def _fetch(self, missing: list[str]) -> list[RemoteItem]:
        size = self.service.chunk
        chunks = [missing[i : i + size] for i in range(0, len(missing), size)]
        done = 0
        self._say("pulling", 0, len(missing))

        async def one(ids: list[str]) -> list[RemoteItem]:
            nonlocal done
            got = await self.service.items(ids)
            done += len(ids)
            self._say("pulling", done, len(missing))
            return got

        try:
            async with asyncio.TaskGroup() as group:  # one failure cancels the rest
                tasks = [group.create_task(one(c)) for c in chunks]
        except BaseExceptionGroup as failed:
            raise _first(failed) from None
        return [item for task in tasks for item in task.result()]


async def _together(
    feeds: Awaitable[list[RemoteFeed]], unread: Awaitable[set[str]], starred: Awaitable[set[str]]
) -> tuple[list[RemoteFeed], set[str], set[str]]:
    """The three listings at once (the first failure cancels the others)."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = (group.create_task(_run(feeds)), group.create_task(_run(unread)),
                     group.create_task(_run(starred)))  # fmt: skip
    except BaseExceptionGroup as failed:
        raise _first(failed) from None
    return tasks[0].result(), tasks[1].result(), tasks[2].result()


async def _run(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first failure in a task group (a SyncError when one is there)."""
    flat: list[BaseException] = []
    stack: list[BaseException] = [group]
    while stack:
        exc = stack.pop(0)
        if isinstance(exc, BaseExceptionGroup):
            stack.extend(exc.exceptions)
        else:
            flat.append(exc)
    return next((e for e in flat if isinstance(e, SyncError)), flat[0])


def _newest_first(remote: str) -> int:
    return -int(remote) if remote.isdigit() else 0
