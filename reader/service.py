"""Refresh orchestration: store -> fetch -> parse -> store, with bounded concurrency.

Fetches run on one event loop (the Fetcher bounds them overall and per host), parses in worker
processes (both cores work and a pathological feed is killed at its deadline), and store writes
in one writer thread with group commit (SQLite releases the GIL while it works, so writes overlap
the network; see store/writer.py).
Each feed's outcome lands in the report; one failing feed never stops the others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from reader.config import Config
from reader.errors import ParseError, ReaderError
from reader.feeds.fetch import Fetcher
from reader.feeds.pool import ParsePool
from reader.fulltext import FullText
from reader.models import Feed, FeedResult, FetchResult, Outcome, RefreshReport, SyncReport
from reader.notify import notice_of, notify_wanted
from reader.rules import RuleRun, Rules, load_rules
from reader.store.db import Store
from reader.store.writer import GroupWriter

if TYPE_CHECKING:
    from reader.rulematch import Matcher
    from reader.sync.engine import SyncProgressCallback

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """Where a refresh is: `done` of `total` feeds finished, `failed` of them failed."""

    done: int
    total: int
    failed: int
    last: FeedResult | None = None


ProgressCallback = Callable[[Progress], None]


class Refresher:
    """One refresh run over a set of feeds (create one per run)."""

    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher,
        pool: ParsePool,
        rules: RuleRun | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.pool = pool
        self.rules = rules  # matched against new items as they are stored (reader.rules)
        self._writer = GroupWriter(store)
        self._not_modified: list[int] = []

    async def _write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._writer.run(lambda: fn(*args, **kwargs))

    async def run(
        self, feeds: Sequence[Feed], progress: ProgressCallback | None
    ) -> list[FeedResult]:
        """Refresh `feeds`; results in the same order."""
        done = failed = 0
        total = len(feeds)

        async def one(feed: Feed) -> FeedResult:
            nonlocal done, failed
            result = await self.refresh_feed(feed)
            done += 1
            failed += result.outcome in (Outcome.FAILED, Outcome.GONE)
            if progress is not None:
                progress(Progress(done, total, failed, result))
            return result

        try:
            results = await asyncio.gather(*(one(f) for f in feeds))
        finally:
            await self.finish()
        return list(results)

    async def finish(self) -> None:
        """Write the batched 304 check times and stop the writer thread."""
        try:
            if self._not_modified:
                await self._write(self.store.mark_not_modified, self._not_modified)
                self._not_modified = []
        finally:
            self._writer.close()

    async def refresh_feed(self, feed: Feed) -> FeedResult:
        """Fetch, parse and store one feed; every failure becomes a FAILED result."""
        now = time.time()
        if feed.gone:
            return FeedResult(feed.url, Outcome.SKIPPED, error="gone (HTTP 410)", status=410)
        if feed.retry_after and feed.retry_after > now:
            wait = int(feed.retry_after - now)
            return FeedResult(feed.url, Outcome.SKIPPED, error=f"server asked to wait {wait} s")
        try:
            got = await self.fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, decode=False
            )
            return await self.ingest(feed, got)
        except ReaderError as exc:
            return FeedResult(feed.url, Outcome.FAILED, error=str(exc))
        except Exception as exc:  # one feed's surprise never stops the rest
            return FeedResult(feed.url, Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")

    async def ingest(self, feed: Feed, got: FetchResult) -> FeedResult:
        """Store what a fetch brought for `feed` (items, 304, or the failure)."""
        if got.status == 304:
            self._not_modified.append(feed.id)
            return FeedResult(feed.url, Outcome.NOT_MODIFIED, status=304)
        if got.error:
            return await self._failed(feed, got)
        try:
            parsed = await self.pool.parse(
                got.body,
                got.headers,
                got.final_url,
                encoding=got.content_encoding,
                cap=self.config.fetch.max_bytes,
                terms=self._terms(feed),
            )
        except ParseError as exc:
            await self._write(self.store.record_failure, feed.id, str(exc), status=got.status)
            return FeedResult(feed.url, Outcome.FAILED, error=str(exc), status=got.status)
        if got.permanent_url and got.permanent_url != feed.url:
            await self._write(self.store.move_feed, feed.id, got.permanent_url)
        new = await self._write(
            self.store.store_parsed,
            feed.id,
            parsed,
            etag=got.etag,
            last_modified=got.last_modified,
            status=got.status,
            max_items=self.config.store.max_items_per_feed,
            keep_days=self.config.store.keep_days,
            rules=self.rules,
        )
        return FeedResult(
            feed.url, Outcome.OK, new_items=new, status=got.status, error=parsed.warning
        )

    def _terms(self, feed: Feed) -> tuple[Matcher, ...]:
        """The rules' words and phrases to look for in this feed's items (reader/rules.py)."""
        if self.rules is None:
            return ()
        return self.rules.terms_for(feed.title, feed.url, feed.tags)

    async def _failed(self, feed: Feed, got: FetchResult) -> FeedResult:
        gone = got.status == 410
        after = got.retry_after if got.status in (429, 503) else None
        await self._write(
            self.store.record_failure,
            feed.id,
            got.error,
            status=got.status or None,
            retry_after=after,
            gone=gone,
        )
        outcome = Outcome.GONE if gone else Outcome.FAILED
        return FeedResult(feed.url, outcome, error=got.error, status=got.status or None)


class Service:
    """The core's front door for the CLI and the UI: refreshes over one store."""

    def __init__(self, config: Config, store: Store, rules: Rules | None = None) -> None:
        self.config = config
        self.store = store
        self.rules = load_rules(config.rules) if rules is None else rules

    def parse_pool(self) -> ParsePool:
        """A parser pool sized and timed by the config."""
        return ParsePool(self.config.parse.workers, self.config.parse.deadline)

    def refreshable_feeds(self, feeds: Sequence[Feed] | None = None) -> list[Feed]:
        """Those of `feeds` (default: every subscribed one) that tidings fetches itself: with
        [sync] set, not the ones the server fetches (their items come by sync)."""
        feeds = self.store.feeds() if feeds is None else list(feeds)
        if not self.config.sync.enabled:
            return feeds
        from reader.sync.ledger import Ledger

        local = Ledger(self.store).local_feed_ids()
        return [f for f in feeds if f.id in local]

    async def sync(self, progress: SyncProgressCallback | None = None) -> SyncReport:
        """Sync with the [sync] server (reader.sync.engine): SyncError when it fails. It takes
        the refresh lock (one refresh or sync at a time: JobRunning while another runs)."""
        from reader.sync.engine import sync

        with self.store.only_one("refresh"):
            return await sync(self.config, self.store, progress)

    async def refresh(
        self,
        feeds: Sequence[Feed] | None = None,
        progress: ProgressCallback | None = None,
    ) -> RefreshReport:
        """Refresh `feeds` (default: every feed tidings fetches itself) and report each
        outcome; then fetch the full text that bookmarks and full-text feeds still lack (see
        reader.fulltext), and the new episodes of `[enclosures] auto` feeds. One refresh runs
        on a store at a time: JobRunning, naming the pid, while another does."""
        started, since = time.monotonic(), int(time.time())
        run = self.rule_run()
        with self.store.only_one("refresh"):
            feeds = self.refreshable_feeds(feeds)
            results = await self._refresh(feeds, progress, run)
            if self.config.enclosures.auto:
                await self.auto_download(since)
        notice = notice_of(run, self.rules) if run is not None else None
        return RefreshReport(tuple(results), time.monotonic() - started, notice)

    async def _refresh(
        self, feeds: Sequence[Feed], progress: ProgressCallback | None, run: RuleRun | None
    ) -> list[FeedResult]:
        with self.parse_pool() as pool:
            if any(not f.gone for f in feeds):
                pool.start()  # before the first request: forked workers are ready when needed
            async with Fetcher(self.config.fetch) as fetcher:
                refresher = Refresher(self.config, self.store, fetcher, pool, run)
                results = await refresher.run(feeds, progress)
                await FullText(self.config, self.store, fetcher, pool=pool).backfill()
        return results

    async def auto_download(self, since: int) -> None:
        """The new episodes of `[enclosures] auto` feeds, downloaded (reader/downloads.py);
        a failed one is left in the queue to resume."""
        from reader.downloads import Downloads, root_dir

        root = root_dir(self.config, self.store.path.parent)
        await Downloads(self.config, self.store, root).auto_download(since)

    def rule_run(self) -> RuleRun | None:
        """What a refresh matches new items with: None when there are no rules and nothing
        to notify (new items then cost nothing more)."""
        if self.rules.rules or notify_wanted(self.config.notify):
            return RuleRun(self.rules)
        return None
