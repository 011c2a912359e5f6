"""What an item's search text costs, and what rebuilding the index costs.

- `body_text` (searchtext.py: the text the reader shows, rendered to blocks and back to text) on
  the feed farm's items (tests/data/feeds/farm_*.xml: six paragraphs each, English and Chinese,
  with their summaries) and on real article HTML (Readability.js's expected outputs, from the
  outside cache, when built): CPU time per item, the median of `runs` passes; checked: every
  item gives a text. The parser processes of a refresh compute it for every new item.
- The migration that rebuilt the index: a store of `items` items (benchmarks/make_store.py)
  set back to before the newest migration that rebuilds the index and opened again (the
  migration only queues the items), then
  `Store.index_pending` until the index is whole; both timed. Checks: every item queued by the
  migration, none left after, and a common word found as often as before.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import outside
from benchmarks.common import ROOT, CheckFailed, Record, record

FARM = [ROOT / "tests" / "data" / "feeds" / name for name in ("farm_rss.xml", "farm_atom_zh.xml")]
Row = tuple[str | None, str | None, str | None, str | None]


def _cpu_per_item(rows: list[Row], runs: int) -> float:
    from reader.searchtext import body_text

    empty = sum(1 for row in rows if not body_text(*row).strip())
    if empty:
        raise CheckFailed(f"{empty} of {len(rows)} items gave no search text")
    passes = []
    for _ in range(max(1, runs)):
        started = time.process_time()
        for row in rows:
            body_text(*row)
        passes.append((time.process_time() - started) * 1e6 / len(rows))
    return statistics.median(passes)


def texts(runs: int) -> dict[str, Any]:
    """Microseconds of CPU per item's body text: farm items, real article HTML."""
    from reader.feeds.parse import parse_feed

    farm: list[Row] = [(i.summary, i.content, i.content_type, None)
                       for path in FARM for i in parse_feed(path.read_bytes()).items]  # fmt: skip
    real: list[Row] = [(None, p.expected, "html", None) for p in outside.load("readability")]
    result = {"farm_items": len(farm), "farm_us": _cpu_per_item(farm * 10, runs)}
    if real:
        chars = statistics.mean(len(r[1] or "") for r in real)
        result |= {"real_pages": len(real), "real_chars": chars,
                   "real_us": _cpu_per_item(real, runs)}  # fmt: skip
    return result


def _last_rebuild(migrations: tuple[tuple[str, ...], ...]) -> int:
    """The store version just before the newest migration that queues every item to be
    indexed again (later steps, appended since, are not about the index)."""
    queue_all = "INSERT OR IGNORE INTO search_pending (item_id) SELECT id FROM items"
    return max(number for number, step in enumerate(migrations) if queue_all in step)


def migration(items: int) -> dict[str, Any]:
    """Seconds to open a store from before the newest index rebuild (its migration) and to
    index it again."""
    from benchmarks.make_store import build
    from reader.store.db import Store
    from reader.store.schema import MIGRATIONS

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        build(db, items=items)
        with Store.open(db) as store:
            before = store.search("the").total
            store.conn.execute(f"PRAGMA user_version = {_last_rebuild(MIGRATIONS)}")
        started = time.perf_counter()
        with Store.open(db) as store:
            opened = time.perf_counter() - started
            queued = store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0]
            started = time.perf_counter()
            store.index_pending()
            rebuilt = time.perf_counter() - started
            left = store.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0]
            after = store.search("the").total
    if queued != items or left or after != before:
        raise CheckFailed(f"queued {queued} of {items}, {left} left, 'the' {before} -> {after}")
    return {"items": items, "open_s": opened, "rebuild_s": rebuilt}


def run(runs: int = 3, items: int = 25_000) -> dict[str, Any]:
    """Both measurements."""
    return {"texts": texts(runs), "migration": migration(items)}


def records(r: dict[str, Any]) -> list[Record]:
    """The figures."""
    t, m = r["texts"], r["migration"]
    out = [record("indextext", f"search text of a farm item ({t['farm_items']} items, summary "
                  "and content)", round(t["farm_us"]), "µs", check="CPU time, median of the passes")]  # fmt: skip
    if "real_us" in t:
        out.append(record("indextext", f"search text of a real article ({t['real_pages']} pages, "
                          f"{t['real_chars'] / 1000:.0f} KB of HTML on average)", round(t["real_us"]),
                          "µs", check="CPU time, median of the passes"))  # fmt: skip
    check = "every item queued, none left, a common word's hits unchanged"
    out.append(record("indextext", f"index migration: opening a store of {m['items']:,} items",
                      m["open_s"], "s", check=check))  # fmt: skip
    out.append(record("indextext", f"index migration: indexing its {m['items']:,} items again",
                      m["rebuild_s"], "s", check=check))  # fmt: skip
    return out
