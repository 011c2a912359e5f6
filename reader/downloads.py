"""Podcast episodes and other enclosures: the download queue, downloading, playing.

    downloads = Downloads(config, store, root_dir(config, paths))
    queued = downloads.queue(item_id)                  # every enclosure of the item
    done = await downloads.run(queued, progress)       # [enclosures] concurrency at a time

Files go to `[enclosures] dir` as `<feed>/<date> <title>.<ext>` (reader/safename.py: nothing a
feed writes leads outside that folder). A download is written to `<name>.part` and renamed when
complete, so a partial file is never taken for a finished one; an interrupted download (a
dropped connection, the deadline, Ctrl-C, a restart) keeps its `.part` and resumes from it with
an HTTP Range request the next time, with If-Range naming what the server said of the bytes
already there (their ETag or Last-Modified), so that a file changed since starts over
(reader/feeds/fetch/download.py: the feed rules, a cap of `[enclosures] max_bytes`,
`[enclosures] timeout` for the whole file). The queue lives in the store (`downloads` table),
so the reader and the command line see the same one; what is still queued when either starts
(a session quit or killed mid-file) is taken up again (`waiting`).

After a refresh, the new episodes of the feeds in `[enclosures] auto` are downloaded, and of each
such feed's downloaded episodes only the newest `[enclosures] keep` are kept (`auto_download`).
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reader.config import Config
from reader.errors import UsageError
from reader.models import Download
from reader.safename import enclosure_path, inside
from reader.store.db import Store
from reader.store.downloadsql import DownloadList


@dataclass(frozen=True, slots=True)
class Transfer:
    """A download's progress: `size` of `total` bytes (None: unknown), the speed in bytes a
    second over this attempt and the seconds left at that speed (None: unknown)."""

    download: Download
    size: int
    total: int | None
    speed: float = 0.0
    eta: float | None = None
    state: str = "downloading"  # or "done", "failed"
    error: str = ""

    @property
    def fraction(self) -> float | None:
        """How much is done, 0-1 (None: the size is unknown)."""
        return min(1.0, self.size / self.total) if self.total else None


ProgressCallback = Callable[[Transfer], None]


def root_dir(config: Config, data_dir: Path) -> Path:
    """Where downloads go: `[enclosures] dir` (~ expanded), else DATA/enclosures (the data
    directory is where the store is)."""
    chosen = config.enclosures.dir
    return Path(chosen).expanduser() if chosen else data_dir / "enclosures"


def part_of(final: Path) -> Path:
    """The file a download is written to until it is complete."""
    return final.with_name(final.name + ".part")


def target(root: Path, download: Download | None, url: str) -> str:
    """What to play: the downloaded file when there is one, else the URL."""
    if download is not None and download.state == "done":
        path = inside(root, download.path)
        if path.is_file():
            return str(path)
    return url


def player_argv(player: Sequence[str], what: str) -> list[str]:
    """`[enclosures] player` with {url} and {file} replaced by `what` (appended when the argv
    names neither)."""
    if not player:
        raise UsageError('no player: set [enclosures] player, e.g. ["mpv", "--no-video", "{file}"]')
    argv = [a.replace("{url}", what).replace("{file}", what) for a in player]
    return argv if any(a != b for a, b in zip(argv, player, strict=True)) else [*argv, what]


def play(player: Sequence[str], what: str) -> None:
    """Start the player on `what` in the background (an argv, never a shell; its output is
    not ours: the reader's screen stays as it is)."""
    argv = player_argv(player, what)
    try:
        subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        raise UsageError(f"cannot start the player {argv[0]!r}: {exc.strerror or exc}") from None


class Downloads:
    """The download queue of one store, and the downloading (see the module docstring)."""

    def __init__(self, config: Config, store: Store, root: Path) -> None:
        self.config = config
        self.store = store
        self.root = root
        self.list = DownloadList(store)

    def queue(
        self, item_id: int, urls: Sequence[str] | None = None, *, auto: bool = False
    ) -> list[Download]:
        """Queue an item's enclosures (or those of them in `urls`); UsageError when the item
        has none. Already downloaded ones are returned as they are."""
        item = self.store.item(item_id)
        if item is None:
            raise UsageError(f"no item {item_id}")
        wanted = [e for e in item.enclosures if urls is None or e.url in urls]
        if not wanted:
            raise UsageError(f"item {item_id} has no enclosure to download")
        now = int(time.time())
        queued = []
        for n, e in enumerate(wanted):
            names = [  # the plain name; with the item id when another episode has it
                enclosure_path(item.feed_title, item.title, item.published, e.url, e.type, s)
                for s in (str(n + 1) if n else "", f"{item_id}-{n + 1}")
            ]
            free = [p for p in names if not (self.root / p).exists()] or names
            queued.append(self.list.queue(item_id, e.url, free, auto=auto, now=now))
        return queued

    async def run(
        self, downloads: Sequence[Download], progress: ProgressCallback | None = None
    ) -> list[Download]:
        """Download these (finished ones are skipped), `[enclosures] concurrency` at a time;
        how each ended, in order."""
        limit = asyncio.Semaphore(self.config.enclosures.concurrency)

        async def one(d: Download) -> Download:
            async with limit:
                return await self.fetch(d, progress)

        return list(await asyncio.gather(*(one(d) for d in downloads)))

    async def fetch(self, d: Download, progress: ProgressCallback | None = None) -> Download:
        """Download one file (resuming its .part), rename it complete, record the outcome."""
        from reader.feeds.fetch import download

        final = inside(self.root, d.path)
        if d.state == "done" and final.is_file():
            return d
        part = part_of(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        started, first = time.monotonic(), (part.stat().st_size if part.exists() else 0)

        def moved(size: int, total: int | None) -> None:
            if progress is None:
                return
            elapsed = time.monotonic() - started
            speed = (size - first) / elapsed if elapsed > 0 else 0.0
            eta = (total - size) / speed if total is not None and speed > 0 else None
            progress(Transfer(d, size, total, speed, eta))

        validator = [d.validator]  # of the bytes in the .part

        def identified(said: str) -> None:  # kept before any byte is written
            validator[0] = said
            self.list.validated(d, said)

        cfg = self.config.enclosures
        got = await download(self.config.fetch, d.url, part, max_bytes=cfg.max_bytes,
                             deadline=cfg.timeout, progress=moved, validator=d.validator,
                             started=identified)  # fmt: skip
        if not got.error:
            part.replace(final)  # complete: only now does the file have its name
        state = "failed" if got.error else "done"
        ended = replace(d, state=state, size=got.size, total=got.total, error=got.error,
                        validator=validator[0])  # fmt: skip
        self.list.record(ended, int(time.time()))
        if progress is not None:
            progress(Transfer(ended, got.size, got.total, state=state, error=got.error))
        return ended

    def waiting(self) -> list[Download]:
        """The downloads left queued by a session that ended before they finished."""
        return self.list.waiting()

    def remove(self, downloads: Sequence[Download]) -> None:
        """Delete these downloads' files (and partial files) and take them off the list."""
        for d in downloads:
            final = inside(self.root, d.path)
            final.unlink(missing_ok=True)
            part_of(final).unlink(missing_ok=True)
        self.list.forget([(d.item_id, d.url) for d in downloads])

    async def auto_download(
        self, since: int, progress: ProgressCallback | None = None
    ) -> list[Download]:
        """After a refresh: download the episodes first seen since `since` of the feeds in
        `[enclosures] auto` (the first audio or video enclosure of each), then keep only the
        newest `[enclosures] keep` auto-downloaded episodes of each such feed."""
        feeds = self.config.enclosures.auto
        if not feeds:
            return []
        queued: list[Download] = []
        for item_id in self.list.new_episodes(feeds, since):
            item = self.store.item(item_id)
            kinds = ("audio/", "video/")
            media = [e for e in item.enclosures if e.type.startswith(kinds)] if item else []
            if media:
                queued += self.queue(item_id, [media[0].url], auto=True)
        done = await self.run(queued, progress)
        self.prune()
        return done

    def prune(self) -> list[Download]:
        """Of each auto-downloaded feed's finished auto downloads, remove all but the newest
        `[enclosures] keep`; the ones removed."""
        keep = self.config.enclosures.keep
        by_feed: dict[str, list[Download]] = {}
        for d in self.list.all():
            if d.auto and d.state == "done":
                by_feed.setdefault(d.feed_url, []).append(d)
        gone = []
        for episodes in by_feed.values():
            episodes.sort(key=lambda d: (d.published, d.item_id), reverse=True)
            gone += episodes[keep:]
        self.remove(gone)
        return gone
