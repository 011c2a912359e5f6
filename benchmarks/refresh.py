"""Refresh benchmarks: tidings vs newsboat on the same feed farm, run alternately.

Each round, on one farm (every feed asked for once beforehand, so the farm's cache is warm):

- tidings cold: a fresh home, `tidings import subscriptions.opml`, then `tidings refresh --json`
  timed, plus, when the refresh left new items queued for the search index, a `tidings search`
  (which indexes the queue first): the clock stops when a search would answer from the index.
- tidings all-304: `tidings refresh --json` again on the same store.
- newsboat: a fresh cache, `newsboat -x reload` three times. newsboat 2.21 keeps no ETag or
  Last-Modified from its first run, so its second run downloads every feed again; its third is
  its real all-304 run. The farm's counters say what each run did.

Every run checks its own work with the farm's /stats counters and the stores; a figure whose
runs did not all pass is reported as failed, not timed:
- cold (both): every feed answered 200 exactly once, and every item is stored (tidings' items
  table, newsboat's rss_item); tidings' queue for the index is empty and two searches (an
  English word, a Chinese word) count as many hits as a LIKE scan of the stored texts finds;
- all-304 (both): every feed answered 304 and nothing was downloaded.

Settings, like for like: tidings with `[fetch] concurrency = 16, per_host = 16`; newsboat with
`reload-threads 16`. The farm serves every feed from one host (127.0.0.1) and newsboat has no
per-host limit, so tidings' default per_host = 4 would compare 4 connections with 16.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import (
    NEWSBOAT_HINT,
    CheckFailed,
    Farm,
    Record,
    Run,
    at_most,
    farm,
    median_spread,
    newsboat,
    record,
    timed,
)

CONFIG = "[fetch]\nconcurrency = 16\nper_host = 16\n"
THREADS = 16
COLD_TARGET = 0.20  # tidings until searchable ÷ newsboat's cold run
WARM_TARGET = 0.10  # tidings all-304 ÷ newsboat's third (all-304) run
# Words the farm puts in stories (feedfarm.py's EN_WORDS and ZH_SENTENCES): every search must
# count as many items as a LIKE scan of the stored texts (no other farm word contains these).
PROBES = ("election", "禁毒")


@dataclass
class Round:
    """The timed runs of one round, and what their checks found (None: passed)."""

    times: dict[str, float] = field(default_factory=dict)  # figure -> seconds
    cpu: dict[str, float] = field(default_factory=dict)  # figure -> CPU seconds (all processes)
    failed: dict[str, str] = field(default_factory=dict)  # figure -> why
    detail: dict[str, Any] = field(default_factory=dict)


def _expect(cond: bool, why: str) -> None:
    if not cond:
        raise CheckFailed(why)


def _farm_check(stats: dict[str, int], feeds: int, code: str) -> str:
    """Check that every feed answered `code` ("200" or "304") once; the check as text."""
    other = "304" if code == "200" else "200"
    got = stats[f"feed_{code}"]
    _expect(got == feeds and stats[f"feed_{other}"] == 0,
            f"farm: {got} of {feeds} feeds answered {code}, {stats[f'feed_{other}']} {other}")  # fmt: skip
    return f"farm: {feeds}/{feeds} feeds {code}"


def _count(db: Path, sql: str, *args: object) -> int:
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def _tidings(home: Path, *args: str) -> Run:
    env = dict(os.environ, TIDINGS_HOME=str(home))
    return timed([sys.executable, "-m", "reader", *args], env=env)


def _search_total(home: Path, word: str) -> dict[str, Any]:
    got = _tidings(home, "search", word, "--json", "--limit", "10")
    _expect(got.code == 0, f"tidings search {word} exited {got.code}")
    result: dict[str, Any] = json.loads(got.stdout)
    return result


def _searchable(home: Path, expected: int) -> str:
    """Check the index against the stored texts: each probe word's hits = a LIKE count."""
    db = home / "data" / "tidings.db"
    _expect(_count(db, "SELECT count(*) FROM search_pending") == 0, "items still queued")
    found = []
    for word in PROBES:
        like = _count(db, "SELECT count(*) FROM items i JOIN item_texts t ON t.item_id = i.id"
                      " WHERE i.title LIKE ?1 OR t.summary LIKE ?1 OR t.content LIKE ?1",
                      f"%{word}%")  # fmt: skip
        total = _search_total(home, word)["total"]
        _expect(total == like and like > 0, f"search {word}: {total} hits, LIKE finds {like}")
        found.append(f"{word} {total}")
    return f"{expected:,} items stored; hits = LIKE count ({', '.join(found)})"


def tidings_cold(f: Farm, home: Path, feeds: int, items: int, r: Round) -> None:
    """A fresh home: import, then refresh (and index) until searchable; then the checks."""
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(CONFIG)
    imported = _tidings(home, "import", str(f.out / "subscriptions.opml"))
    _expect(imported.code == 0, f"import exited {imported.code}")
    f.reset()
    cold = _tidings(home, "refresh", "--json")
    stats = f.stats()
    db = home / "data" / "tidings.db"
    queued = _count(db, "SELECT count(*) FROM search_pending")
    drain = _tidings(home, "search", PROBES[0], "--json", "--limit", "50") if queued else None
    r.detail |= {"refresh_s": cold.wall, "queued": queued, "index_s": drain.wall if drain else 0.0,
                 "cpu_s": cold.cpu + (drain.cpu if drain else 0.0), "rss_mb": cold.rss_mb}  # fmt: skip
    _expect(cold.code == 0, f"refresh exited {cold.code}")
    report = json.loads(cold.stdout)
    _expect(report["failed"] == 0, f"{report['failed']} feeds failed")
    check = _farm_check(stats, feeds, "200")
    stored = _count(db, "SELECT count(*) FROM items")
    _expect(stored == feeds * items, f"{stored} items stored of {feeds * items}")
    r.detail["check_cold"] = f"{check}; {_searchable(home, stored)}"
    r.times["t_cold"] = cold.wall + (drain.wall if drain else 0.0)
    r.cpu["t_cold"] = cold.cpu + (drain.cpu if drain else 0.0)


def tidings_warm(f: Farm, home: Path, feeds: int, r: Round) -> None:
    """The same store again: every feed should answer 304."""
    f.reset()
    warm = _tidings(home, "refresh", "--json")
    stats = f.stats()
    _expect(warm.code == 0, f"refresh exited {warm.code}")
    report = json.loads(warm.stdout)
    _expect(report["not_modified"] == feeds, f"{report['not_modified']} not modified")
    r.detail["check_304"] = _farm_check(stats, feeds, "304")
    r.times["t_304"] = warm.wall
    r.cpu["t_304"] = warm.cpu


def newsboat_runs(f: Farm, nb: Path, feeds: int, items: int, r: Round) -> None:
    """newsboat's cold reload into a fresh cache, its second (re-downloads) and third (304)."""
    binary = newsboat()
    assert binary is not None
    nb.mkdir()
    (nb / "config").write_text(f"reload-threads {THREADS}\n")
    cmd = [binary, "-x", "reload", "-u", str(f.out / "urls"), "-c", str(nb / "cache.db"),
           "-C", str(nb / "config")]  # fmt: skip
    for name, code in (("n_cold", "200"), ("n_second", None), ("n_304", "304")):
        f.reset()
        got = timed(cmd)
        stats = f.stats()
        r.detail[f"{name}_farm"] = stats
        try:
            _expect(got.code == 0, f"newsboat exited {got.code}")
            if code is not None:
                check = _farm_check(stats, feeds, code)
            else:
                check = f"farm: {stats['feed_200']} feeds 200, {stats['feed_304']} 304"
            if name == "n_cold":
                stored = _count(nb / "cache.db", "SELECT count(*) FROM rss_item")
                _expect(stored == feeds * items, f"newsboat stored {stored} of {feeds * items}")
                check += f"; {stored:,} items stored"
            r.detail[f"check_{name}"] = check
            r.times[name] = got.wall
            r.cpu[name] = got.cpu
        except CheckFailed as exc:
            r.failed[name] = f"newsboat: {exc}"


def one_round(f: Farm, work: Path, n: int, feeds: int, items: int, with_nb: bool) -> Round:
    """tidings cold and all-304, then newsboat's three runs (each figure checked)."""
    r = Round()
    home = work / f"tidings-{n}"
    steps: list[tuple[str, Callable[[], None]]] = [
        ("t_cold", lambda: tidings_cold(f, home, feeds, items, r)),
        ("t_304", lambda: tidings_warm(f, home, feeds, r)),
    ]
    for name, step in steps:
        try:
            step()
        except CheckFailed as exc:
            r.failed[name] = str(exc)
            if name == "t_cold":  # the 304 run needs the cold run's store
                r.failed["t_304"] = "the cold run failed"
                break
    if with_nb:
        newsboat_runs(f, work / f"newsboat-{n}", feeds, items, r)
    return r


def run(
    runs: int = 3, feeds: int = 500, items: int = 50, delay_ms: float = 0.0, quick: bool = False
) -> dict[str, Any]:
    """`runs` rounds alternating tidings and newsboat; medians, spreads, ratios and checks."""
    if quick:
        feeds = min(feeds, 150)
    with_nb = newsboat() is not None
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        work = Path(tmp)
        with farm(work, feeds, items, delay_ms) as f:
            for n in range(runs):
                rounds.append(one_round(f, work, n, feeds, items, with_nb))
    return summarise(rounds, feeds, items, delay_ms, with_nb)


def _figure(rounds: list[Round], key: str) -> dict[str, Any]:
    """Median and spread of one figure over the rounds, or why it failed."""
    failed = [f"round {n + 1}: {r.failed[key]}" for n, r in enumerate(rounds) if key in r.failed]
    if failed or not all(key in r.times for r in rounds):
        return {"failed": "; ".join(failed) or "not run"}
    wall, spread = median_spread([r.times[key] for r in rounds])
    cpu = median_spread([r.cpu.get(key, 0.0) for r in rounds])[0]
    return {"s": wall, "spread": spread if len(rounds) > 1 else None, "cpu": cpu}


def _ratio(rounds: list[Round], mine: str, theirs: str) -> dict[str, Any]:
    """The median of each round's tidings time over the newsboat time beside it."""
    a, b = _figure(rounds, mine), _figure(rounds, theirs)
    if "failed" in a or "failed" in b:
        return {"failed": a.get("failed") or b.get("failed")}
    x, spread = median_spread([r.times[mine] / r.times[theirs] for r in rounds])
    return {"x": x, "spread": spread if len(rounds) > 1 else None}


def summarise(
    rounds: list[Round], feeds: int, items: int, delay_ms: float, with_nb: bool
) -> dict[str, Any]:
    """The figures of one refresh benchmark as a JSON-able dict."""
    keys = ("t_cold", "t_304") + (("n_cold", "n_second", "n_304") if with_nb else ())
    out: dict[str, Any] = {"feeds": feeds, "items": items, "delay_ms": delay_ms,
                           "rounds": len(rounds), "threads": THREADS}  # fmt: skip
    out |= {k: _figure(rounds, k) for k in keys}
    if with_nb:
        out["ratio_cold"] = _ratio(rounds, "t_cold", "n_cold")
        out["ratio_304"] = _ratio(rounds, "t_304", "n_304")
    out["detail"] = [r.detail for r in rounds]
    out["note"] = "" if with_nb else NEWSBOAT_HINT
    return out


def _seconds(fig: dict[str, Any]) -> str:
    if "failed" in fig:
        return "failed"
    spread = f" ±{fig['spread']:.2f}" if fig["spread"] is not None else ""
    return f"{fig['s']:.2f} s{spread}, CPU {fig.get('cpu', 0):.1f} s"


def _last(r: dict[str, Any], key: str) -> str:
    """The check text of the last round (all rounds passed the same checks)."""
    return str(r["detail"][-1].get(f"check_{key}", "")) if r["detail"] else ""


def _split(r: dict[str, Any]) -> str:
    """How the cold figure divides between the refresh and indexing what it queued."""
    index = median_spread([d.get("index_s", 0.0) for d in r["detail"]])[0]
    if not index:
        return ", indexing included"
    refresh = median_spread([d.get("refresh_s", 0.0) for d in r["detail"]])[0]
    return f", of which indexing its queue {index:.2f} s (the refresh {refresh:.2f} s)"


def records(r: dict[str, Any], bench: str = "refresh") -> list[Record]:
    """The figures: each ratio with its target (or, without newsboat, tidings' own times)."""
    size = f"{r['feeds']} feeds × {r['items']} items" + (
        f", {r['delay_ms']:g} ms latency" if r["delay_ms"] else ""
    )
    latency = bool(r["delay_ms"])  # the targets are for the farm without latency
    out = []
    for key, nb, ratio, target, label in (
        ("t_cold", "n_cold", "ratio_cold", COLD_TARGET, "cold refresh until searchable"),
        ("t_304", "n_304", "ratio_304", WARM_TARGET, "all-304 refresh"),
    ):
        mine = r[key]
        check = mine.get("failed") or _last(r, key.replace("t_", ""))
        if nb not in r:
            out.append(record(bench, f"{label}, {size}", mine.get("s"), "s",
                              check=f"{check}; {NEWSBOAT_HINT}", spread=mine.get("spread")))  # fmt: skip
            continue
        theirs, x = r[nb], r[ratio]
        which = "cold run" if nb == "n_cold" else "3rd run (its first all-304)"
        parts = _split(r) if key == "t_cold" and "failed" not in mine else ""
        fails = "; ".join(f for f in (mine.get("failed"), theirs.get("failed")) if f)
        check = fails or f"{check}; newsboat: {_last(r, nb)}"
        out.append(record(bench, f"{label}, {size}, ÷ newsboat's {which}", x.get("x"), "x",
                          "" if latency else f"≤ {target}×",
                          None if latency else at_most(x.get("x"), target), check,
                          baseline=f"tidings {_seconds(mine)}{parts}; newsboat {_seconds(theirs)}",
                          spread=x.get("spread")))  # fmt: skip
    if "n_second" in r:
        second = r["n_second"]
        out.append(record(bench, f"newsboat's 2nd run, {size} (not a figure of tidings)",
                          second.get("s"), "s", check=second.get("failed") or _last(r, "n_second"),
                          spread=second.get("spread")))  # fmt: skip
    return out


if __name__ == "__main__":
    print(json.dumps(run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
