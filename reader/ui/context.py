"""What the screens need from outside, handed down from the App (no globals)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TextIO, runtime_checkable

from reader.config import Config
from reader.models import Feed, RefreshReport, SyncReport
from reader.store.db import Store
from reader.ui.state import StateFile
from reader.ui.timefmt import Dates

if TYPE_CHECKING:
    from concurrent.futures import Future

    from reader.service import ProgressCallback
    from reader.sync.engine import SyncProgressCallback
    from reader.ui.firstview import FirstView


class Refresher(Protocol):
    """What the reader needs of the refresh service (reader.service.Service has it)."""

    async def refresh(
        self,
        feeds: Sequence[Feed] | None = None,
        progress: ProgressCallback | None = None,
    ) -> RefreshReport:
        """Refresh `feeds` (None: all), calling `progress` after each feed."""
        ...


@runtime_checkable
class Syncer(Protocol):
    """A Refresher that also syncs with a feed server ([sync]); `sync_service` names it ("":
    no sync configured)."""

    @property
    def sync_service(self) -> str:
        """The configured service ("fever", "greader"), or ""."""
        ...

    async def sync(self, progress: SyncProgressCallback | None = None) -> SyncReport:
        """Sync with the server (SyncError when it fails)."""
        ...

    def one_job(self) -> AbstractContextManager[object]:
        """The store's refresh lock, to hold across a sync and the refresh after it (JobRunning
        while another process holds it; the sync and the refresh take it again, nested)."""
        ...


class LazyService:
    """A Refresher that imports and builds reader.service.Service on first use, so that the
    network stack (httpx, the parser pool) loads after the first paint, not before it."""

    def __init__(self, config: Config, store: Store, terminal: TextIO | None = None) -> None:
        self.config = config
        self.store = store
        self.terminal = terminal  # where a terminal notification goes (None: nowhere)

    async def refresh(
        self,
        feeds: Sequence[Feed] | None = None,
        progress: ProgressCallback | None = None,
    ) -> RefreshReport:
        """Refresh through a real Service; then the notification, if one is configured (why
        it failed in `notify_error`, for the reader to say)."""
        from reader.notify import send
        from reader.service import Service

        start_process_helpers()
        report = await Service(self.config, self.store).refresh(feeds, progress)
        if report.notice is not None:
            problems = await asyncio.to_thread(send, self.config.notify, report.notice,
                                               self.terminal)  # fmt: skip
            report = replace(report, notify_error="; ".join(problems))
        return report

    @property
    def sync_service(self) -> str:
        """The [sync] service, or "" when there is none."""
        return self.config.sync.service

    async def sync(self, progress: SyncProgressCallback | None = None) -> SyncReport:
        """Sync through a real Service."""
        from reader.service import Service

        return await Service(self.config, self.store).sync(progress)

    def one_job(self) -> AbstractContextManager[object]:
        """The refresh lock of the store (Store.only_one)."""
        return self.store.only_one("refresh")


def start_process_helpers() -> None:
    """Start multiprocessing's resource tracker with the real stderr.

    The tracker hands its child `sys.stderr.fileno()`; inside a Textual app sys.stderr is a
    print-capturing object whose fileno() is -1, and the parser pool's first process then fails
    with "bad value(s) in fds_to_keep". Started once with the real stream, it is reused.
    """
    from multiprocessing import resource_tracker

    if sys.__stderr__ is None:
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


@dataclass(frozen=True)
class ReaderContext:
    """The store, the refresh service (None: offline, e.g. the demo), config and clock, the
    remembered UI state, whether pages may be fetched (full text, subscribing), and the first
    view while it is read (firstview.py; None: the main screen reads it in a worker)."""

    config: Config
    store: Store
    service: Refresher | None
    dates: Dates
    refresh_on_start: bool = True
    offline_reason: str = "refresh is off"
    network: bool = True
    state: StateFile = field(default_factory=lambda: StateFile(None))
    first_view: Future[FirstView] | None = None
