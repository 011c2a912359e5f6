"""Sync: 10,000 unread items on a loopback Google Reader API server (tests/sync/greader_server.py,
written from FreshRSS's and Miniflux's documents, serving from this process's threads), pulled
by `tidings sync --json` in a child process: the first sync into an empty home, then a sync when
nothing changed. Targets: under 30 s and under 2 s.

Each run checks its own work: the first sync stored every item (the JSON's `pulled`, and the
server was asked for each item's contents exactly once), the second asked for no contents.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import CheckFailed, Record, at_most, median_spread, record, timed
from tests.sync.greader_server import GReaderServer

FEEDS = 50


def _home(root: Path, server: GReaderServer) -> dict[str, str]:
    (root / "config").mkdir(parents=True)
    secret = root / "password"
    secret.write_text(server.password + "\n")
    (root / "config" / "config.toml").write_text(
        f'[sync]\nservice = "greader"\nurl = "{server.url}"\nusername = "{server.username}"\n'
        f'password_file = "{secret}"\n'
    )
    return dict(os.environ, TIDINGS_HOME=str(root))


def _sync(env: dict[str, str], cpu: list[float]) -> tuple[float, dict[str, Any]]:
    run = timed([sys.executable, "-m", "reader", "sync", "--json"], env=env)
    if run.code != 0:
        raise CheckFailed(f"tidings sync exited {run.code}")
    cpu.append(run.cpu)
    return run.wall, json.loads(run.stdout)


def run(runs: int = 3, items: int = 10_000) -> dict[str, Any]:
    """Alternating first and unchanged syncs, `runs` of each, into fresh homes."""
    server = GReaderServer()
    try:
        for n in range(FEEDS):
            sub = server.subscribe(f"https://feeds.example/{n}.xml", f"Feed {n}", (f"t{n % 5}",))
            server.publish(sub, items // FEEDS, chinese=n % 4 == 3)
        first: list[float] = []
        again: list[float] = []
        cpu: dict[str, list[float]] = {"first": [], "again": []}
        problem = ""
        with tempfile.TemporaryDirectory(prefix="tidings-sync-bench-") as tmp:
            for n in range(runs):
                env = _home(Path(tmp) / f"home{n}", server)
                server.asked.clear()
                try:
                    wall, got = _sync(env, cpu["first"])
                    if got["pulled"] != items or len(server.asked) != items:
                        raise CheckFailed(f"first sync pulled {got['pulled']} of {items}")
                    first.append(wall)
                    server.asked.clear()
                    wall, got = _sync(env, cpu["again"])
                    if got["pulled"] != 0 or server.asked:
                        raise CheckFailed("the unchanged sync asked for contents again")
                    again.append(wall)
                except CheckFailed as exc:
                    problem = str(exc)
    finally:
        server.close()
    return {"items": items, "feeds": FEEDS, "first": first, "again": again, "cpu": cpu,
            "problem": problem}  # fmt: skip


def records(res: dict[str, Any], api: str = "Google Reader API, loopback") -> list[Record]:
    """The figures for the table."""
    check = "every item stored, each asked for once; none asked again"
    if "Fever" in api:
        check = "every item stored; none pulled again"
    out = []
    for key, label, limit in (
        ("first", "first sync", 30.0),
        ("again", "sync, nothing changed", 2.0),
    ):
        values = res[key]
        value, spread = median_spread(values) if values and not res["problem"] else (None, None)
        cpu = median_spread(res["cpu"][key])[0] if res["cpu"][key] else 0.0
        out.append(record(
            "sync", f"{label}, {res['items']:,} unread items ({api})",
            value, "s", target=f"< {limit:g} s", ok=at_most(value, limit),
            check=res["problem"] or f"{check}; tidings cpu {cpu:.2f} s", spread=spread,
        ))  # fmt: skip
    return out


def _rss(n: int, count: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {n} story {i}</title><link>http://news.example/{n}/{i}</link>"
        f"<guid>urn:{n}:{i}</guid><description>&lt;p&gt;Story {i} of feed {n}.&lt;/p&gt;"
        "</description></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>{items}</channel></rss>'.encode()


def run_fever(runs: int = 3, items: int = 10_000) -> dict[str, Any]:
    """The same over the Fever API against coldsweat (tests/sync/coldsweat_server.py), when its
    venv is there: it fetches the feeds from a loopback server first (not timed)."""
    from tests.loopback import Loopback
    from tests.sync.coldsweat_server import Coldsweat, installed

    if not installed():
        return {"items": items, "first": [], "again": [], "cpu": {"first": [], "again": []},
                "problem": "coldsweat not installed (make test builds .venv-coldsweat)"}  # fmt: skip
    feeds = Loopback()
    first: list[float] = []
    again: list[float] = []
    cpu: dict[str, list[float]] = {"first": [], "again": []}
    problem = ""
    with tempfile.TemporaryDirectory(prefix="tidings-fever-bench-") as tmp:
        outlines = "".join(
            f'<outline type="rss" text="Feed {n}" xmlUrl="{feeds.serve(f"/{n}.xml", _rss(n, items // FEEDS))}"/>'
            for n in range(FEEDS)
        )
        opml = Path(tmp) / "feeds.opml"
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
        server = Coldsweat(Path(tmp) / "coldsweat")
        password = "a bench password"
        server.add_user("bench@example.org", password, opml, fetch=True)
        server.start()
        try:
            for n in range(runs):
                root = Path(tmp) / f"home{n}"
                (root / "config").mkdir(parents=True)
                (root / "password").write_text(password + "\n")
                (root / "config" / "config.toml").write_text(
                    f'[sync]\nservice = "fever"\nurl = "{server.url}"\n'
                    f'username = "bench@example.org"\npassword_file = "{root / "password"}"\n'
                )
                env = dict(os.environ, TIDINGS_HOME=str(root))
                try:
                    wall, got = _sync(env, cpu["first"])
                    if got["pulled"] != items:
                        raise CheckFailed(f"first sync pulled {got['pulled']} of {items}")
                    first.append(wall)
                    wall, got = _sync(env, cpu["again"])
                    if got["pulled"] != 0:
                        raise CheckFailed("the unchanged sync pulled items again")
                    again.append(wall)
                except CheckFailed as exc:
                    problem = str(exc)
        finally:
            server.stop()
            feeds.close()
    return {"items": items, "first": first, "again": again, "cpu": cpu, "problem": problem}
