"""The store under crashes and hostile files, driven as a person would: real `python -m reader`
processes against the loopback server, killed with SIGKILL mid-refresh, mid-bookmark and
mid-migration (and fifty times in a row at random moments), and provably inside a bookmark's
transaction (a seam pauses it there). After each: PRAGMA integrity_check is ok and every
acknowledged bookmark (the process said "bookmarked N") is there. Also: a second refresh while
one runs (and writers beside it), a stale refresh lock, read-only and full disks, a damaged database
(detected at open, clear message, bookmarks exportable, the file never changed or deleted) and a
database from a newer version (refused, untouched)."""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import resource
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.models import ItemQuery, ParsedFeed, ParsedItem
from reader.store import transactions
from reader.store.db import Store
from reader.store.schema import APPLICATION_ID, LATEST, MIGRATIONS
from reader.store.transactions import PAUSE_ENV
from tests.hostile.conftest import (
    FAST_TOML,
    bookmarked,
    can_drop_file_privileges,
    db_path,
    integrity,
    spawn,
    tidings,
    without_file_privileges,
    write_config,
)
from tests.loopback import Loopback, send, silence

Handler = Callable[[BaseHTTPRequestHandler], None]
NOW = 1_764_000_000


def churning_feed(per_fetch: int = 8) -> Handler:
    """Every fetch brings new GUIDs: each refresh writes, and trims."""
    counter = itertools.count()

    def handle(h: BaseHTTPRequestHandler) -> None:
        n = next(counter)
        items = "".join(
            f"<item><title>fetch {n} story {i} 新闻</title><guid>{n}-{i}</guid>"
            f"<description>{'text 文字 ' * 40}</description></item>"
            for i in range(per_fetch)
        )
        body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Churn</title>{items}</channel></rss>'
        send(h, 200, body.encode(), "application/rss+xml")

    return handle


def seed(path: Path, feeds: list[str], items: int = 40) -> None:
    """A store with `feeds` subscribed and `items` stored items in the first one."""
    with Store.open(path) as store:
        first = None
        for url in feeds:
            feed, _ = store.add_feed(url)
            first = first or feed
        assert first is not None
        parsed = tuple(
            ParsedItem(f"seed-{i}", f"seed story {i}", f"http://seed.example/{i}", "", NOW - i,
                       None, "", f"<p>body {i}</p>")
            for i in range(items)
        )  # fmt: skip
        store.store_parsed(first.id, ParsedFeed("Seed", "", parsed, "rss20"), now=NOW)


def item_ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM items ORDER BY id")]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def killed_after(proc: subprocess.Popen[str], delay: float) -> tuple[bool, str, str]:
    """SIGKILL `proc` after `delay` s unless it ended; (was it killed, stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=delay)
        return False, out, err
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        return True, out, err


def check_sound(path: Path, acked: set[int]) -> None:
    """The store after a crash: sound, and holding every acknowledged bookmark."""
    assert integrity(path) == "ok"
    missing = acked - bookmarked(path)
    assert not missing, f"acknowledged bookmarks lost: {sorted(missing)}"


@pytest.fixture
def churn(server: Loopback, home: Path) -> Path:
    """A store over six churning feeds (each refresh writes) and 40 seeded items."""
    write_config(home, FAST_TOML + "[store]\nmax_items_per_feed = 30\n")
    urls = [server.route(f"/churn{i}.xml", churning_feed()) for i in range(6)]
    seed(db_path(home), urls)
    return db_path(home)


def processes_of(home: Path) -> list[int]:
    """Live processes started for TIDINGS_HOME=home (a killed refresh's parser processes)."""
    marker = f"TIDINGS_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_kill_during_refresh(churn: Path) -> None:
    rng = random.Random(61)
    home = churn.parent.parent
    for delay in (0.15, 0.25, 0.35, 0.5):
        proc = spawn("refresh")
        _, _, err = killed_after(proc, delay + rng.random() * 0.05)
        assert "Traceback" not in err
        check_sound(churn, set())
        for _ in range(100):  # its parser processes read EOF and end: none lingers
            if not processes_of(home):
                break
            time.sleep(0.02)
        assert processes_of(home) == []
    done = tidings("refresh", "--json")  # the next run recovers the WAL and takes the lock
    assert done.returncode == 0, done.stderr
    assert tidings("list", "--limit", "3").returncode == 0


def paused_inside(proc: subprocess.Popen[str], flag: Path, timeout: float = 30) -> str:
    """Wait until `proc` reports that it is inside its write (the pause seam); what it said."""
    deadline = time.monotonic() + timeout
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the write never reached the seam"
        time.sleep(0.01)
    return flag.read_text().strip()


def kill_inside_the_write(flag: Path, *args: str) -> str:
    """Run `tidings ARGS` with the pause seam, SIGKILL it inside its durable transaction (its
    changes made, not committed); what it reported from there (its synchronous level)."""
    flag.unlink(missing_ok=True)
    env = dict(os.environ, **{PAUSE_ENV: str(flag)})
    proc = spawn(*args, env=env)
    try:
        reported = paused_inside(proc, flag)
    finally:
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    assert out == ""  # killed before it could say anything was done
    return reported


def test_kill_inside_a_bookmark_write(churn: Path, tmp_path: Path) -> None:
    """Each bookmark is killed provably inside its transaction (a seam pauses it there and says
    so); the store reopens sound, without that half-done bookmark and with every acknowledged
    one. The acts commit with synchronous=FULL (2), as the seam reports from inside."""
    acked: set[int] = set()
    for target in item_ids(churn)[:5]:
        flag = tmp_path / "inside"
        assert kill_inside_the_write(flag, "bookmark", str(target), "--no-fetch") == "synchronous=2"
        check_sound(churn, acked)
        assert target not in bookmarked(churn)  # never acknowledged, never committed
        done = tidings("bookmark", str(target), "--no-fetch")
        assert done.stdout == f"bookmarked {target}\n", done.stderr
        acked.add(target)
        check_sound(churn, acked)
    assert acked == set(item_ids(churn)[:5])


def test_a_persons_acts_commit_with_synchronous_full(
    churn: Path, server: Loopback, tmp_path: Path
) -> None:
    """Each act, run as a real command, reports from inside its transaction (the seam) that
    it commits with synchronous=FULL (2); killed there, it left nothing behind."""
    new = server.serve(
        "/new.xml", b'<rss version="2.0"><channel><title>New</title></channel></rss>'
    )
    first = item_ids(churn)[0]
    feed = sqlite3.connect(churn).execute("SELECT url FROM feeds ORDER BY id").fetchone()[0]
    flag = tmp_path / "inside"
    acts = [
        ("bookmark", str(first), "--no-fetch"),
        ("mark", str(first), "--read"),
        ("mark", "--feed", feed, "--read"),
        ("add", new),
        ("remove", feed),
        ("rename", feed, "Renamed 改名"),
        ("tag", feed, "--add", "新闻"),
    ]
    before = digest_rows(churn)
    for args in acts:
        assert kill_inside_the_write(flag, *args) == "synchronous=2", args
        assert digest_rows(churn) == before, args  # killed inside: nothing of it committed
    check_sound(churn, set())


def test_refresh_writes_commit_with_normal_and_acts_with_full(tmp_path: Path) -> None:
    """In process: the level each transaction commits with, read inside it."""
    seen: list[tuple[bool, int]] = []

    def record(conn: sqlite3.Connection, durable: bool) -> None:
        seen.append((durable, conn.execute("PRAGMA synchronous").fetchone()[0]))

    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://example.org/f")
        transactions.pause_hook = record
        try:
            store.store_parsed(feed.id, ParsedFeed("F", "", (), "rss20"), now=NOW)
            store.mark_not_modified([feed.id])
            refresh_levels, seen[:] = list(seen), []
            store.add_feed("https://example.org/g")
            store.set_read([1], True)
            store.mark_all_read(ItemQuery(feed_id=feed.id))
            store.set_bookmarked(1)
            store.set_item_tags(1, ["later"])
            store.rename_feed("https://example.org/f", "Mine")
            store.set_tags(feed.id, ["news"])
            store.remove_feed("https://example.org/g")
        finally:
            transactions.pause_hook = None
    assert refresh_levels == [(False, 1), (False, 1)]  # NORMAL
    assert seen == [(True, 2)] * 8  # FULL


def digest_rows(path: Path) -> list[tuple[object, ...]]:
    """What a person's acts change: subscriptions, titles, tags, read and bookmark flags."""
    conn = sqlite3.connect(path)
    try:
        return [
            *conn.execute("SELECT url, title, subscribed FROM feeds ORDER BY id"),
            *conn.execute("SELECT feed_id, tag FROM feed_tags ORDER BY 1, 2"),
            *conn.execute("SELECT id, read, bookmarked FROM items ORDER BY id"),
        ]
    finally:
        conn.close()


def test_kill_during_bookmarks_at_random_moments(churn: Path) -> None:
    acked: set[int] = set()
    ids = item_ids(churn)
    for n, delay in enumerate((0.05, 0.1, 0.12, 0.14, 0.16, 0.2, 0.3, 60)):  # 60: not killed
        target = ids[n]
        _killed, out, _ = killed_after(spawn("bookmark", str(target), "--no-fetch"), delay)
        if f"bookmarked {target}" in out:
            acked.add(target)
        check_sound(churn, acked)
    assert acked  # at least the unkilled one said so


def schema_2_store(path: Path, items: int) -> None:
    """A store as the tidings of schema 2 left it (before search): `items` items, every 100th
    bookmarked."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 16384")
    conn.execute("PRAGMA journal_mode = WAL")
    for sql in MIGRATIONS[0] + MIGRATIONS[1]:
        conn.execute(sql)
    conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'http://e.org/f', 'F', 1)")
    conn.executemany(
        "INSERT INTO items (id, feed_id, key, hash, published, first_seen, title, author,"
        " bookmarked) VALUES (?, 1, ?, 'h', ?, ?, ?, 'a', ?)",
        [
            (i, f"k{i}", NOW + i, NOW + i, f"title {i} 新闻", int(i % 100 == 0))
            for i in range(1, items + 1)
        ],
    )
    conn.executemany(
        "INSERT INTO item_texts (item_id, summary, content) VALUES (?, '', ?)",
        [(i, "<p>" + "word 文字 " * 30 + "</p>") for i in range(1, items + 1)],
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_kill_during_a_migration(home: Path) -> None:
    path = db_path(home)
    path.parent.mkdir(parents=True)
    schema_2_store(path, 15_000)  # migration 3 indexes them all: ~0.4 s
    marks = bookmarked(path)
    versions = set()
    for delay in (0.2, 0.3, 0.4, 0.5):
        _, out, _ = killed_after(spawn("bookmark", "1", "--no-fetch"), delay)
        if "bookmarked 1" in out:
            marks.add(1)  # acknowledged: it must survive the later kills
        assert integrity(path) == "ok"
        conn = sqlite3.connect(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        assert version in (2, LATEST)  # all of the migration or none of it
        versions.add(version)
        assert marks <= bookmarked(path)
    done = tidings("bookmark", "2", "--no-fetch")
    assert done.returncode == 0, done.stderr
    assert marks | {2} <= bookmarked(path) and integrity(path) == "ok"
    found = tidings("search", "--json", "新闻", "--limit", "1")
    assert '"total": 15000' in found.stdout
    assert 2 in versions  # at least one kill landed inside the migration


def test_fifty_kills_at_random_moments(churn: Path) -> None:
    """Refreshes and bookmarks killed at random; every restart finds a sound store with every
    acknowledged bookmark. The moments are spread around how long a whole bookmark takes on
    this machine now (~0.15 s idle, more on a busy machine), so both endings happen."""
    rng = random.Random(2026)
    acked: set[int] = set()
    kills = 0
    started = time.monotonic()
    assert tidings("bookmark", "1", "--no-fetch").returncode == 0
    whole = time.monotonic() - started
    acked.add(1)
    for _ in range(50):
        if rng.random() < 0.5:
            proc = spawn("refresh")
            target = None
        else:
            target = rng.choice(item_ids(churn))
            proc = spawn("bookmark", str(target), "--no-fetch")
        killed, out, err = killed_after(proc, rng.uniform(0.5, 2.5) * whole)
        kills += killed
        assert "Traceback" not in err, err
        if target is not None and f"bookmarked {target}" in out:
            acked.add(target)
        check_sound(churn, acked)
    assert kills >= 10 and len(acked) >= 3, (kills, acked)  # both kinds of ending happened
    assert time.monotonic() - started < 50 * 5 * whole  # no process hung on another
    assert tidings("refresh").returncode == 0


def refreshing(home: Path, proc: subprocess.Popen[str]) -> None:
    """Wait until `proc` holds the refresh lock."""
    lock = db_path(home).with_name("tidings.db.refresh.lock")
    for _ in range(500):
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        time.sleep(0.01)
    raise AssertionError("the refresh never took its lock")


def test_a_second_refresh_while_one_runs_and_writers_beside_it(
    server: Loopback, home: Path, tmp_path: Path
) -> None:
    """One refresh at a time (the second, told not to wait, says who runs it); every other
    command, writers included, works beside it."""
    write_config(home, FAST_TOML.replace("timeout = 2.0", "timeout = 60.0"))
    hang = server.route("/hang.xml", silence(90))
    seed(db_path(home), [hang])
    first = spawn("refresh")
    try:
        refreshing(home, first)
        second = tidings("refresh", "--no-wait")  # waiting: tests/hostile/test_refresh_turns.py
        assert second.returncode == 0 and second.stdout == ""
        assert second.stderr == (
            f"tidings: another refresh or sync runs on this store (pid {first.pid}); leaving it"
            " to that one\n"
        )
        marked = tidings("bookmark", "1", "--no-fetch")
        assert marked.returncode == 0 and marked.stdout == "bookmarked 1\n", marked.stderr
        assert tidings("remove", hang).returncode == 0  # even its feed can go meanwhile
        assert tidings("list", "--limit", "2").returncode == 0
        assert tidings("bookmarks", "--export", str(tmp_path / "out")).returncode == 0
        assert first.poll() is None  # it was refreshing all along
    finally:
        first.kill()
        first.communicate(timeout=30)
    assert integrity(db_path(home)) == "ok" and bookmarked(db_path(home)) == {1}


def test_a_stale_refresh_lock_after_a_crash(server: Loopback, home: Path) -> None:
    hang = server.route("/hang.xml", silence(10))
    seed(db_path(home), [hang])
    lock = db_path(home).with_name("tidings.db.refresh.lock")
    holder = spawn("refresh")
    refreshing(home, holder)
    killed_after(holder, 0)
    assert lock.read_text().strip() == str(holder.pid)  # the file says a dead process holds it
    done = tidings("refresh")  # flock died with it: no stale lock (the feed fails: it hangs)
    assert done.returncode == 1 and "already running" not in done.stderr, done.stderr
    lock.write_text("999999\n")  # a lock file from another machine's crash, say
    again = tidings("refresh")
    assert again.returncode == 1 and "already running" not in again.stderr, again.stderr
    assert integrity(db_path(home)) == "ok"


READERS = [("list", "--limit", "2"), ("show", "1"), ("search", "story"), ("feeds",), ("bookmarks",)]
WRITERS = [("bookmark", "3", "--no-fetch"), ("refresh",), ("add", "http://127.0.0.1:9/x")]


@pytest.mark.skipif(not can_drop_file_privileges(), reason="cannot drop CAP_DAC_OVERRIDE here")
@pytest.mark.parametrize("what", ["directory", "file", "both"])
def test_a_read_only_store_reads_and_refuses_writes_clearly(
    home: Path, tmp_path: Path, what: str
) -> None:
    """Root ignores file modes; the processes here run without that power (see conftest)."""
    path = db_path(home)
    seed(path, ["http://127.0.0.1:9/feed.xml"])
    with Store.open(path) as store:
        store.set_bookmarked(1)
    before = digest(path)
    if what in ("file", "both"):
        path.chmod(0o444)
    if what in ("directory", "both"):
        path.parent.chmod(0o555)
    try:
        for args in READERS:
            ran = tidings(*args, preexec_fn=without_file_privileges)
            assert ran.returncode == 0, (args, ran.stderr)
        out = tmp_path / "saved"
        ran = tidings("bookmarks", "--export", str(out), preexec_fn=without_file_privileges)
        assert ran.returncode == 0 and len(list(out.iterdir())) == 1, ran.stderr
        for args in WRITERS:
            ran = tidings(*args, preexec_fn=without_file_privileges)
            assert ran.returncode == 2, (args, ran.stdout, ran.stderr)
            assert "read-only" in ran.stderr and "Traceback" not in ran.stderr
            assert len(ran.stderr.strip().splitlines()) == 1
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)
    assert digest(path) == before


def test_a_full_disk_loses_nothing(server: Loopback, home: Path) -> None:
    """A full disk, simulated with RLIMIT_FSIZE in the refreshing process: past the limit every
    write fails with EFBIG (Python ignores SIGXFSZ), as on a full file system. The refresh says
    so, the store stays sound with its bookmarks, and the next refresh with room catches up."""
    big = "".join(
        f"<item><title>big {i}</title><guid>big-{i}</guid><description>{'words 文字 ' * 300}"
        f"</description></item>"
        for i in range(300)
    )
    url = server.serve(
        "/big.xml",
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>{big}</channel></rss>'.encode(),
    )
    path = db_path(home)
    seed(path, [url])
    with Store.open(path) as store:
        store.set_bookmarked(1)
        store.set_bookmarked(2)
    limit = path.stat().st_size + 64 * 1024

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    ran = tidings("refresh", preexec_fn=small_disk)
    assert ran.returncode in (1, 2), ran
    assert "Traceback" not in ran.stderr and "disk is full" in ran.stderr, ran.stderr
    assert integrity(path) == "ok" and bookmarked(path) == {1, 2}
    marked = tidings("bookmark", "3", "--no-fetch", preexec_fn=small_disk)
    assert marked.returncode in (0, 2) and "Traceback" not in marked.stderr
    assert tidings("list", "--limit", "1", preexec_fn=small_disk).returncode == 0
    again = tidings("refresh")  # room again
    assert again.returncode == 0, again.stderr
    assert integrity(path) == "ok" and {1, 2} <= bookmarked(path)
    with Store.open(path, readonly=True) as store:
        assert store.count() == 40 + 300


def damage(path: Path, how: str) -> None:
    """Break the database file at `path` the way a bad disk or a bad copy would."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'items'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    if how == "header":
        data[:16] = b"not a database!!"
    elif how == "items-root":
        start = (root - 1) * size
        data[start : start + size] = random.Random(1).randbytes(size)
    elif how == "zeroed-tail":
        data[size:] = bytes(len(data) - size)
    elif how == "truncated":
        del data[len(data) // 2 :]
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_home(home: Path) -> Path:
    """A store of 40 items, 4 bookmarked, checkpointed into the main file (no WAL left)."""
    path = db_path(home)
    seed(path, ["http://127.0.0.1:9/feed.xml"])
    with Store.open(path) as store:
        for item_id in (1, 11, 21, 31):
            store.set_bookmarked(item_id)
    return home


@pytest.mark.parametrize("how", ["header", "items-root", "zeroed-tail", "truncated"])
def test_a_damaged_database_is_detected_and_never_changed(
    damaged_home: Path, tmp_path: Path, how: str
) -> None:
    path = db_path(damaged_home)
    damage(path, how)
    before = digest(path)
    for args in [*READERS[:2], ("bookmark", "5", "--no-fetch"), ("refresh",), ()]:
        ran = tidings(*args)  # () is the reader itself: it stops before the screen opens
        assert ran.returncode == 2, (args, ran)
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in ran.stderr
        assert "damaged" in lines[0] or "not a SQLite database" in lines[0]
        assert "tidings bookmarks --export" in lines[0]
    ran = tidings("bookmarks", "--export", str(tmp_path / "saved"))
    assert "Traceback" not in ran.stderr and "salvaged" in ran.stderr
    assert path.exists() and digest(path) == before  # (an empty -wal/-shm may appear beside)


def test_bookmarks_are_salvaged_from_a_damaged_page(damaged_home: Path, tmp_path: Path) -> None:
    """Damage away from the bookmarks (the item texts' root page): all four are exported."""
    path = db_path(damaged_home)
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'item_texts'").fetchone()[
        0
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : root * size] = bytes(size)
    path.write_bytes(bytes(data))
    assert tidings("list").returncode == 2  # detected at open
    ran = tidings("bookmarks", "--export", str(tmp_path / "saved"))
    assert ran.returncode == 1 and "salvaged 4 bookmarks" in ran.stderr, ran.stderr
    files = sorted(p.name for p in (tmp_path / "saved").iterdir())
    assert len(files) == 4 and all("seed-story" in f for f in files)
    listed = tidings("bookmarks")
    assert len(listed.stdout.strip().splitlines()) == 4


def test_a_database_from_a_newer_version_is_refused_untouched(damaged_home: Path) -> None:
    path = db_path(damaged_home)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    for args in [*READERS, *WRITERS, ("bookmarks", "--export", "/nonexistent/x"), ()]:
        ran = tidings(*args)
        assert ran.returncode == 2, (args, ran)
        assert "written by a newer tidings" in ran.stderr and "Traceback" not in ran.stderr
    assert digest(path) == before
    assert not path.with_name("tidings.db-wal").exists()
