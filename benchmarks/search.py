"""Search benchmark: a fixed set of queries over a big store, in-process, beside a LIKE scan.

The store comes from benchmarks.make_store (250,000 items by default; built once and kept in the
temp directory, keyed by size and seed, since building takes a minute). Each query runs `runs`
times through Store.search (first page of 50 hits with snippets, and the total); the figure of a
query is its median, and p50/p95 are taken over the queries. The LIKE scan is what newsboat does:
every word as `%word%` against title, summary and content, all matches listed newest first.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Record, record
from benchmarks.make_store import build
from reader.store.db import Store

QUERIES = [
    # words, common to rare
    "the", "government", "election", "inflation", "vaccine hospital", "telescope", "quantum",
    "semiconductor", "Zürich", "cafe", "Kraków", "market council", "zentarpi",
    # phrases, prefixes, exclusions
    '"the government"', '"police said"', "elect*", "semicond*", "election -inflation",
    '-"the government" storm',
    # Chinese, Japanese (two-character words, four-character phrases, one character)
    "禁毒", "经济", "疫苗", "台风", "示范城市", "全国禁毒", "禁", "ニュース", "東京 地震",
    # filters, alone and with words
    "is:unread election", "is:bookmarked", "tag:tech battery", "feed:Daily storm",
    "since:30d market", "author:josé", "禁毒 is:unread", "sort:date vaccine",
    "before:2026-01-01 drought", "vaccine hospital is:unread since:90d",
]  # fmt: skip
LIKE_QUERIES = ["election", "government", "quantum", "禁毒", "示范城市", "market council"]


def store_path(items: int, seed: int) -> Path:
    """Where the benchmark store of this size and seed is kept between runs."""
    return Path(tempfile.gettempdir()) / f"tidings-bench-store-{items}-{seed}" / "tidings.db"


def _store(items: int, seed: int) -> Path:
    path = store_path(items, seed)
    done = path.parent / "complete"
    if not done.exists():
        for old in path.parent.glob("*"):
            old.unlink()
        print(f"building a {items}-item store in {path.parent} (once)", file=sys.stderr)
        build(path, items, seed=seed)
        done.write_text("ok\n")
    Store.open(path).close()  # a store kept from an older tidings is brought up to date
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


def _index_share(store: Store, path: Path) -> tuple[float, float]:
    """(index MB, index bytes / store bytes), from dbstat."""
    index = store.conn.execute(
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name LIKE 'feed_search%'"
    ).fetchone()[0]
    total = store.conn.execute("SELECT sum(pgsize) FROM dbstat").fetchone()[0]
    return index / 1e6, index / total


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(items: int = 250_000, runs: int = 3, seed: int = 5) -> dict[str, Any]:
    """Time every query `runs` times (after one warm-up) and the LIKE scans once."""
    path = _store(items, seed)
    with Store.open(path, readonly=True) as store:
        per_query: dict[str, dict[str, float]] = {}
        for query in QUERIES:
            store.search(query)  # warm-up: pages in the cache, as in a session
            times = []
            for _ in range(runs):
                re.purge()  # a new query's patterns are compiled anew, as when typing one
                started = time.perf_counter()
                result = store.search(query)
                times.append((time.perf_counter() - started) * 1000)
            per_query[query] = {"ms": statistics.median(times), "total": result.total,
                                "unindexed": result.unindexed}  # fmt: skip
        like = {q: dict(zip(("ms", "total"), _like(store, q), strict=True)) for q in LIKE_QUERIES}
        index_mb, share = _index_share(store, path)
    medians = [q["ms"] for q in per_query.values()]
    like_ms = [q["ms"] for q in like.values()]
    return {
        "items": items,
        "queries": len(QUERIES),
        "p50_ms": _percentile(medians, 0.5),
        "p95_ms": _percentile(medians, 0.95),
        "max_ms": max(medians),
        "like_p50_ms": _percentile(like_ms, 0.5),
        "like_max_ms": max(like_ms),
        "index_mb": index_mb,
        "index_share": share,
        "store_mb": path.stat().st_size / 1e6,
        "per_query": per_query,
        "like": like,
    }


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: p50, p95 and max over the queries, and the index's size."""
    size = f"{r['items']:,} items, {r['queries']} queries"
    unindexed = max(q.get("unindexed", 0) for q in r["per_query"].values())
    check = "no item left unindexed" if not unindexed else f"{unindexed} items not indexed"
    like = f"LIKE scan p50 {r['like_p50_ms']:.0f} ms (max {r['like_max_ms']:.0f})"
    return [
        record("search", f"search p50, {size}", r["p50_ms"], "ms", check=check, baseline=like),
        record(
            "search", f"search p95, {size}", r["p95_ms"], "ms", "< 15 ms", r["p95_ms"] < 15, check
        ),
        record(
            "search", f"search max, {size}", r["max_ms"], "ms", "< 50 ms", r["max_ms"] < 50, check
        ),
        record(
            "search",
            f"search index size, {r['items']:,} items",
            r["index_mb"],
            "MB",
            check=f"{r['index_share']:.1%} of a {r['store_mb']:.0f} MB store",
        ),
    ]


if __name__ == "__main__":
    result = run(items=int(sys.argv[1]) if len(sys.argv) > 1 else 250_000)
    print(json.dumps(result, indent=2, ensure_ascii=False))
