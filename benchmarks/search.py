"""Search benchmark: a fixed set of queries over a big store, in-process, each result checked.

The store comes from benchmarks.make_store (250,000 items by default; built once and kept in a
cache directory outside the repository, see `cache_dir`, keyed by size and seed). Each query
runs `runs` times through Store.search as the reader asks for it (the first page of 25 hits
with snippets, the total exact when the count is done by then, else estimated); its figure
is its median. p50, p95 and max are taken over the queries, and per class of query. The
exact total is then asked for (Store.search_total) and timed apart.

Every result is checked: the page holds min(50, total) hits; each hit shows a match (in its
title or snippet) and passes the query's filters; queries that must find nothing find
nothing; estimates are compared with the exact totals. CJK queries are checked against a LIKE
scan (a substring test needs no tokenizer): their exact totals over the whole store, and which
items of a random sample match, item by item.

The LIKE scan is also what newsboat does: every word as `%word%` against title, summary and
content, all matches listed newest first; it is timed for comparison.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import CACHE, Record, record
from benchmarks.make_store import build
from reader.models import SearchResult
from reader.store.db import Store
from reader.store.highlight import Highlighter
from reader.store.query import parse

LIMIT = 25  # the reader's first page of hits (reader/ui/loaders.FIRST_PAGE)
QUERIES: dict[str, list[str]] = {
    "word": ["the", "government", "election", "inflation", "vaccine hospital", "telescope",
             "quantum", "semiconductor", "Zürich", "cafe", "Kraków", "market council"],
    "phrase": ['"the government"', '"police said"', '"of the"', '"in the"', '"to the"'],
    "prefix": ["s*", "st*", "a*", "th*", "elect*", "semicond*", "gov*"],
    "cjk": ["禁毒", "经济", "疫苗", "台风", "示范城市", "全国禁毒", "ニュース", "東京 地震"],
    "cjk-char": ["的", "新", "禁", "国", "人", "ニ", "東"],
    "filter": ["is:unread election", "is:unread storm", "is:bookmarked", "tag:tech battery",
               "feed:Daily storm", "feed:Daily the", "tag:news the", "since:30d market",
               "author:josé", "禁毒 is:unread", "的 is:unread", "sort:date vaccine",
               "before:2026-01-01 drought", "vaccine hospital is:unread since:90d",
               "s* is:unread", "the -storm"],
    "none": ["xqzvj", "龘龘", "storm quantum xqzvj", '"of the xqzvj"', "xq*", "龘"],
}  # fmt: skip
LIKE_QUERIES = ["election", "government", "quantum", "禁毒", "示范城市", "market council"]
SAMPLE = 2000  # items of the store checked one by one against the LIKE scan (CJK queries)
TARGET_P95, TARGET_MAX = 15.0, 50.0  # ms


def cache_dir() -> Path:
    """Where benchmark stores are kept between runs: benchmarks.common.CACHE
    ($TIDINGS_BENCH_CACHE, else ~/.cache/tidings-bench; never inside the repository)."""
    return CACHE


def store_path(items: int, seed: int) -> Path:
    """Where the benchmark store of this size and seed is kept between runs."""
    return cache_dir() / f"tidings-bench-store-{items}-{seed}" / "tidings.db"


def _store(items: int, seed: int) -> Path:
    path = store_path(items, seed)
    done = path.parent / "complete"
    if not done.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*"):
            old.unlink()
        print(f"building a {items}-item store in {path.parent} (once)", file=sys.stderr)
        build(path, items, seed=seed)
        done.write_text("ok\n")
    with Store.open(path) as store:  # a store kept from an older tidings is brought up to date
        store.index_pending(chunk=5000)
    return path


def _like(store: Store, query: str) -> tuple[float, int]:
    """newsboat's search: each word as LIKE '%word%' on title or text; every match, newest first."""
    clauses, args = [], []
    for word in query.split():
        clauses.append("(i.title LIKE ? OR t.summary LIKE ? OR t.content LIKE ?)")
        args += [f"%{word}%"] * 3
    sql = (
        "SELECT i.id FROM items i JOIN item_texts t ON t.item_id = i.id WHERE "
        + " AND ".join(clauses)
        + " ORDER BY i.published DESC"
    )
    started = time.perf_counter()
    rows = store.conn.execute(sql, args).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def _cjk_clause(store: Store, word: str) -> tuple[str, list[object]]:
    """Where a CJK word is found by substring: any text of the item, or its feed's title when
    that names few feeds (as search does: store/search.TITLE_FEEDS)."""
    from reader.store.search import TITLE_FEEDS

    pattern = f"%{word}%"
    feeds = [r[0] for r in store.conn.execute("SELECT id FROM feeds WHERE title LIKE ?",
                                               (pattern,))]  # fmt: skip
    sql = ("(i.title LIKE ? OR i.author LIKE ? OR t.summary LIKE ? OR t.content LIKE ?"
           " OR t.full_text LIKE ?")  # fmt: skip
    args: list[object] = [pattern] * 5
    if 0 < len(feeds) <= TITLE_FEEDS:
        sql += " OR i.feed_id IN (SELECT value FROM json_each(?))"
        args.append(json.dumps(feeds))
    return sql + ")", args


def _cjk_matches(store: Store, query: str, sample: list[int] | None) -> set[int]:
    """Items whose texts hold every word of a CJK query (within `sample`, when given)."""
    clauses, args = [], []
    for word in query.split():
        sql, more = _cjk_clause(store, word)
        clauses.append(sql)
        args += more
    sql = "SELECT i.id FROM items i JOIN item_texts t ON t.item_id = i.id WHERE " + " AND ".join(
        clauses
    )
    if sample is not None:
        sql += " AND i.id IN (SELECT value FROM json_each(?))"
        args.append(json.dumps(sample))
    return {r[0] for r in store.conn.execute(sql, args)}


def _indexed_matches(store: Store, query: str, sample: list[int]) -> set[int]:
    """Items of `sample` the index finds for `query` (the search's own compiled expression)."""
    from reader.store.query import parse
    from reader.store.search import compile_query

    plan = compile_query(store.conn, parse(query))
    if plan.match is None:
        return set()
    sql = ("SELECT k.item_id FROM search s JOIN search_keys k ON k.key = s.rowid"
           " WHERE search MATCH ? AND k.item_id IN (SELECT value FROM json_each(?))")  # fmt: skip
    return {r[0] for r in store.conn.execute(sql, (plan.match, json.dumps(sample)))}


def _check_cjk(store: Store, query: str, total: int, sample: list[int]) -> list[str]:
    """What a LIKE scan finds that the search does not (or the other way round)."""
    problems = []
    scanned = len(_cjk_matches(store, query, None))
    if scanned != total:
        problems.append(f"{query}: total {total}, LIKE scan {scanned}")
    expected, found = _cjk_matches(store, query, sample), _indexed_matches(store, query, sample)
    if expected != found:
        problems.append(f"{query}: sample differs on {len(expected ^ found)} items")
    return problems


def _check_hits(query: str, kind: str, result: SearchResult, exact: int) -> list[str]:
    """Problems with a first page: its size, hits that show no match or miss a filter."""
    problems = []
    if len(result.hits) != min(LIMIT, exact):
        problems.append(f"{query}: {len(result.hits)} hits of {exact}")
    if kind == "none" and exact:
        problems.append(f"{query}: {exact} hits where none can be")
    words = [w for w in query.split() if ":" not in w and not w.startswith("-")]
    # a word may match the feed's title or the author (which the reader shows beside the hit)
    others = Highlighter(parse(" ".join(words)).include)
    for hit in result.hits:
        shown = hit.title.spans or hit.snippet.spans
        beside = others.spans(hit.headline.feed_title) or others.spans(hit.headline.author)
        if words and not shown and not beside:
            problems.append(f"{query}: hit {hit.headline.id} shows no match")
        if "is:unread" in query and hit.headline.read:
            problems.append(f"{query}: hit {hit.headline.id} is read")
        if "is:bookmarked" in query and not hit.headline.bookmarked:
            problems.append(f"{query}: hit {hit.headline.id} is not bookmarked")
    return problems


def _time_query(store: Store, query: str, runs: int) -> tuple[float, float, SearchResult]:
    """The median wall time of the query's first page, the median CPU time this thread spent
    on it (on a busy machine the wall time is mostly waiting for a core), and the page."""
    store.search(query, limit=LIMIT, exact=False)  # warm-up: pages in the cache, as in a session
    store.search_total(query)
    times, cpu = [], []
    result = None
    for _ in range(runs):
        re.purge()  # a new query's patterns are compiled anew, as when typing one
        started, used = time.perf_counter(), time.thread_time()
        result = store.search(query, limit=LIMIT, exact=False)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - used) * 1000)
        store.search_total(query)  # let its count finish before the next run
    assert result is not None
    return statistics.median(times), statistics.median(cpu), result


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _figures(times: list[float]) -> dict[str, float]:
    return {"p50_ms": _percentile(times, 0.5), "p95_ms": _percentile(times, 0.95),
            "max_ms": max(times)}  # fmt: skip


def run(items: int = 250_000, runs: int = 3, seed: int = 5) -> dict[str, Any]:
    """Time every query `runs` times (after a warm-up), check every result, time LIKE scans."""
    path = _store(items, seed)
    problems: list[str] = []
    per_query: dict[str, dict[str, Any]] = {}
    with Store.open(path, readonly=True) as store:
        sample = random.Random(seed).sample(
            [r[0] for r in store.conn.execute("SELECT id FROM items")], SAMPLE
        )
        for kind, queries in QUERIES.items():
            for query in queries:
                ms, cpu_ms, result = _time_query(store, query, runs)
                started = time.perf_counter()
                exact = store.search_total(query)
                count_ms = (time.perf_counter() - started) * 1000
                problems += _check_hits(query, kind, result, exact)
                if kind.startswith("cjk") and ":" not in query:
                    problems += _check_cjk(store, query, exact, sample)
                per_query[query] = {"kind": kind, "ms": ms, "cpu_ms": cpu_ms, "total": exact,
                                    "estimate": None if result.exact else result.total,
                                    "count_ms": count_ms}  # fmt: skip
        like = {q: dict(zip(("ms", "total"), _like(store, q), strict=True)) for q in LIKE_QUERIES}
        index_mb, share = _index_share(store)
    times = [q["ms"] for q in per_query.values()]
    kinds = {k: _figures([q["ms"] for q in per_query.values() if q["kind"] == k]) for k in QUERIES}
    like_ms = [q["ms"] for q in like.values()]
    cpu = _figures([q["cpu_ms"] for q in per_query.values()])
    return {
        "items": items,
        "queries": len(times),
        **_figures(times),
        "cpu": cpu,
        "kinds": kinds,
        "problems": problems,
        "like_p50_ms": _percentile(like_ms, 0.5),
        "like_max_ms": max(like_ms),
        "index_mb": index_mb,
        "index_share": share,
        "store_mb": path.stat().st_size / 1e6,
        "per_query": per_query,
        "like": like,
    }


def _index_share(store: Store) -> tuple[float, float]:
    """(index MB, index bytes / store bytes), from dbstat."""
    index = store.conn.execute(
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name LIKE 'feed_search%'"
    ).fetchone()[0]
    total = store.conn.execute("SELECT sum(pgsize) FROM dbstat").fetchone()[0]
    return index / 1e6, index / total


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: p50, p95 and max over the queries (and per class), the index's size."""
    size = f"{r['items']:,} items, {r['queries']} queries"
    problems = r["problems"]
    check = ("every page's hits show a match and pass the filters; CJK totals and a "
             f"{SAMPLE:,}-item sample equal a LIKE scan") if not problems else (
             f"{len(problems)} check(s) failed: {problems[0]}")  # fmt: skip
    good = not problems
    like = f"LIKE scan p50 {r['like_p50_ms']:.0f} ms (max {r['like_max_ms']:.0f})"
    out = [
        record("search", f"search p50, first page, {size}", r["p50_ms"], "ms", check=check,
               baseline=like),
        record("search", f"search p95, first page, {size}", r["p95_ms"], "ms",
               f"< {TARGET_P95:g} ms", good and r["p95_ms"] < TARGET_P95, check),
        record("search", f"search max, first page, {size}", r["max_ms"], "ms",
               f"< {TARGET_MAX:g} ms", good and r["max_ms"] < TARGET_MAX, check),
    ]  # fmt: skip
    if "cpu" in r:
        cpu = r["cpu"]
        out.append(record("search", f"search p95 CPU time of the searching thread, {size}",
                          cpu["p95_ms"], "ms", check=f"p50 {cpu['p50_ms']:.1f} ms, max"
                          f" {cpu['max_ms']:.1f} ms (the wall time less the waits for a core)"))  # fmt: skip
    for kind, fig in r["kinds"].items():
        out.append(record("search", f"search p95 of {kind} queries", fig["p95_ms"], "ms",
                          check=f"max {fig['max_ms']:.1f} ms"))  # fmt: skip
    out.append(record("search", f"search index size, {r['items']:,} items", r["index_mb"], "MB",
                      check=f"{r['index_share']:.1%} of a {r['store_mb']:.0f} MB store"))  # fmt: skip
    return out


if __name__ == "__main__":
    result = run(items=int(sys.argv[1]) if len(sys.argv) > 1 else 250_000)
    for problem in result["problems"]:
        print("problem:", problem, file=sys.stderr)
    print(json.dumps(result, indent=2, ensure_ascii=False))
