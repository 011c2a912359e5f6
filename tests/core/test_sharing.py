"""Several processes on one store: writers take turns (a write waits for another process's
transaction, with the connection free, and gets in between a busy writer's transactions), one
refresh at a time, two processes upgrading an old store at once, and what another process
changed is seen by a reader that asks (PRAGMA data_version and the changes table)."""
# A note on the queue test: without lock.WriteQueue, 20 bookmarks beside that busy writer met
# StoreBusy after 5 s (measured); with it, the median wait was 29 ms and the longest 74 ms.

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.errors import StoreBusy
from reader.models import ParsedFeed, ParsedItem
from reader.store import changes
from reader.store.db import Store
from reader.store.schema import LATEST, MIGRATIONS

NOW = 1_800_000_000
ROOT = Path(__file__).resolve().parents[2]


def parsed(*keys: str) -> ParsedFeed:
    items = tuple(
        ParsedItem(key=k, title=f"story {k} 新闻", link=f"https://example.org/{k}", author="",
                   published=NOW, updated=None, summary="", content="")
        for k in keys
    )  # fmt: skip
    return ParsedFeed(title="Feed", site_url="", items=items, format="rss20")


def python(code: str) -> subprocess.Popen[str]:
    """Run `code` in another Python process (stdin and stdout are pipes to talk with it)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def said(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().strip()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        feed, _ = store.add_feed("https://example.org/feed")
        store.store_parsed(feed.id, parsed("a", "b", "c"), now=NOW)
    yield path


def holding_the_write_lock(path: Path) -> subprocess.Popen[str]:
    """Another process inside a write transaction until it reads a line."""
    proc = python(f"""
        import sqlite3
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE items SET read = 1 WHERE id = 1")
        print("writing", flush=True)
        input()
        conn.execute("COMMIT")
        print("done", flush=True)
    """)
    assert said(proc) == "writing"
    return proc


def test_an_open_store_keeps_no_one_out(db: Path) -> None:
    """Two stores open for writing (the reader and `tidings add`, say): both write."""
    with Store.open(db) as first, Store.open(db) as second:
        feed, created = second.add_feed("https://example.org/other")
        assert created and first.feed(feed.url) == feed
        assert first.set_bookmarked(1) and second.set_read([1])
        assert [h.bookmarked and h.read for h in second.headlines_for([1])] == [True]


def test_a_write_waits_for_another_process_then_says_it_is_busy(db: Path) -> None:
    holder = holding_the_write_lock(db)
    try:
        with Store.open(db, write_wait=0.3) as store:
            started = time.monotonic()
            with pytest.raises(StoreBusy, match=r"busy for 0.3 s; nothing written, try again"):
                store.set_bookmarked(2)
            assert time.monotonic() - started >= 0.3
            assert store.headlines_for([2])[0].bookmarked is False
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert said(holder) == "done"
            assert store.set_bookmarked(2)  # the other one is done: in at once
            assert store.headlines_for([1, 2])[0].read  # and its write is there
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_write_leaves_the_connection_free_for_reading(db: Path) -> None:
    """While a bookmark waits for another process, the reader's UI thread keeps reading."""
    holder = holding_the_write_lock(db)
    try:
        with Store.open(db, write_wait=20) as store:
            outcome: list[bool] = []
            writer = threading.Thread(target=lambda: outcome.append(store.set_bookmarked(3)))
            writer.start()
            time.sleep(0.05)
            assert writer.is_alive()  # waiting for the other process
            assert [f.url for f in store.feeds()] == ["https://example.org/feed"]
            assert store.count() == 3 and writer.is_alive()
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
            writer.join(10)
            assert outcome == [True]
    finally:
        holder.kill()
        holder.wait()


def test_a_queued_write_gets_in_between_a_busy_writers_transactions(db: Path) -> None:
    """Another process writes transaction after transaction (a refresh's batches, 50 ms each,
    for up to 30 s): a bookmark waiting in the queue gets in between two of them, every time."""
    busy = python(f"""
        import time
        from pathlib import Path
        from reader.store.db import Store
        with Store.open(Path({str(db)!r})) as store:
            until = time.monotonic() + 30
            print("busy", flush=True)
            while time.monotonic() < until:
                with store.transaction() as conn:
                    conn.execute("UPDATE feeds SET etag = ? WHERE id = 1", (str(time.time()),))
                    time.sleep(0.05)
    """)
    try:
        assert said(busy) == "busy"
        waits = []
        with Store.open(db, write_wait=5) as store:
            for n in range(12):
                started = time.monotonic()
                assert store.set_bookmarked(1 + n % 3, n % 2 == 0)
                waits.append(time.monotonic() - started)
        assert busy.poll() is None  # it was writing all along
        # one transaction of the other's is ~50 ms; unqueued, a write waits seconds or in vain
        assert max(waits) < 1.0, waits
    finally:
        busy.kill()
        busy.wait()


def test_a_refresh_commits_its_batch_early_when_another_process_waits(db: Path) -> None:
    """Another process's refresh writer (store/writer.py) with a long queue of 20 ms jobs: a
    batch would hold the write lock up to MAX_HOLD (1 s); a bookmark waiting in the queue makes
    it commit after the job it is in, so the bookmark waits about one job."""
    busy = python(f"""
        import asyncio, time
        from pathlib import Path
        from reader.store.db import Store
        from reader.store.writer import GroupWriter

        def job(store):
            store.conn.execute("UPDATE feeds SET etag = ? WHERE id = 1", (str(time.time()),))
            time.sleep(0.02)

        async def main():
            with Store.open(Path({str(db)!r})) as store:
                writer = GroupWriter(store, max_batch=10_000)
                jobs = [writer.run(lambda: job(store)) for _ in range(1500)]
                print("busy", flush=True)
                await asyncio.gather(*jobs)
                writer.close()

        asyncio.run(main())
    """)
    try:
        assert said(busy) == "busy"
        waits = []
        with Store.open(db, write_wait=10) as store:
            for n in range(8):
                started = time.monotonic()
                assert store.set_bookmarked(1 + n % 3, n % 2 == 0)
                waits.append(time.monotonic() - started)
        assert busy.poll() is None  # still writing
        assert max(waits) < 0.5, waits  # one 20 ms job and the yield; a whole batch is 1 s
    finally:
        busy.kill()
        busy.wait()


def test_one_refresh_at_a_time_keyed_to_the_resolved_path(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    Store.open(tmp_path / "real" / "t.db").close()
    holder = python(f"""
        from pathlib import Path
        from reader.store.db import Store
        with Store.open(Path({str(tmp_path / "real" / "t.db")!r})) as store:
            with store.only_one("refresh"):
                print("refreshing", flush=True)
                input()
    """)
    try:
        assert said(holder) == "refreshing"
        with Store.open(tmp_path / "link" / "t.db") as store:
            lock = store.only_one("refresh")
            with pytest.raises(
                StoreBusy, match=rf"a refresh .* is already running \(pid {holder.pid}\)"
            ):
                lock.acquire()
            assert store.add_feed("https://example.org/f")[1]  # writing goes on meanwhile
            holder.kill()
            holder.wait()
            with store.only_one("refresh") as lock:  # the kernel dropped the dead one's lock
                assert lock.held
    finally:
        holder.kill()
        holder.wait()


def schema_2_store(path: Path, items: int) -> None:
    """A store as the tidings of schema 2 left it (before search)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for sql in MIGRATIONS[0] + MIGRATIONS[1]:
        conn.execute(sql)
    conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://e.org/f', 'F', 1)")
    conn.executemany(
        "INSERT INTO items (id, feed_id, key, hash, published, first_seen, title) "
        "VALUES (?, 1, ?, 'h', ?, ?, ?)",
        [(i, f"k{i}", NOW + i, NOW + i, f"title {i} 新闻") for i in range(1, items + 1)],
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_two_processes_upgrading_an_old_store_at_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    schema_2_store(path, 20_000)
    code = f"""
        import sys
        from pathlib import Path
        from reader.store.db import Store
        input()
        with Store.open(Path({str(path)!r})) as store:
            print(store.count(), flush=True)
    """
    procs = [python(code) for _ in range(2)]
    for proc in procs:  # both are started and waiting: go
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=60)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0] and outs == ["20000\n", "20000\n"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_reader_learns_what_another_store_changed(db: Path) -> None:
    """Kinds of change, each from another connection; a store's own writes are not news."""
    with Store.open(db) as reader, Store.open(db) as other:
        mark = reader.change_mark()
        assert reader.changed_since(mark) == (changes.Changes(), mark)
        steps: list[tuple[Callable[[], object], tuple[str, ...]]] = [
            (lambda: other.add_feed("https://example.org/new"), ("feeds",)),
            (lambda: other.store_parsed(1, parsed("d"), now=NOW), ("feeds", "items")),
            (lambda: other.store_parsed(1, parsed("d"), now=NOW), ("feeds",)),  # nothing new
            (lambda: other.set_read([1, 2]), ("read",)),
            (lambda: other.set_bookmarked(2), ("bookmarks",)),
            (lambda: other.set_item_tags(2, ["later"]), ("bookmarks",)),
            (lambda: other.set_tags(1, ["news"]), ("feeds",)),
            (lambda: other.remove_feed("https://example.org/new"), changes.KINDS),
        ]
        for write, kinds in steps:
            write()
            changed, mark = reader.changed_since(mark)
            assert changed.kinds == kinds
            assert reader.changed_since(mark)[0].kinds == ()  # said once
        reader.set_read([3])
        assert not reader.changed_since(mark)[0]


def test_a_reader_learns_what_another_process_changed(db: Path) -> None:
    with Store.open(db) as reader:
        mark = reader.change_mark()
        other = python(f"""
            from pathlib import Path
            from reader.store.db import Store
            with Store.open(Path({str(db)!r})) as store:
                store.set_bookmarked(1)
                store.set_read([2])
        """)
        other.wait(30)
        changed, _ = reader.changed_since(mark)
        assert changed.kinds == ("read", "bookmarks")
        assert reader.headlines_for([1])[0].bookmarked
