"""What twenty rules cost a refresh (issue 16: at most 10% more on a cold refresh of 500 feeds).

Macro: a cold refresh of the farm (500 feeds x 50 items, every 4th feed Chinese) into a fresh
home, with no rules and with the twenty rules below, alternating, `runs` times each; the ratio
pairs each run with rules with the run without beside it (median of the pairs).

Micro, on the farm's own items (its RSS and Chinese Atom fixtures, 25,000 items): the matcher
in Python on the parsed items (reader.rules: what a refresh does), against asking the search
index instead (each feed's new items indexed, then one FTS5 query per rule over their ids): the
choice between the two is made on these figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, Farm, Record, Run, at_most, farm, median_spread, record, timed
from reader.models import ParsedFeed, ParsedItem

RULES: tuple[tuple[str, str], ...] = (  # a killfile and some tagging: a few match often
    ("bitcoin", "hide"),
    # about half the English items (every farm word is in nearly every story of ~360 words,
    # so a lone excluded word would leave none: "election -storm" never matched)
    ('election -"storm election"', "tag:politics"),
    ('"wildfire summit"', "notify"),  # the farm's words, seldom side by side
    ("禁毒", "tag:禁毒"),  # in most Chinese items
    ("feed:Channel 1 tariff", "read"),
    ("author:nobody", "hide"),
    ("-tag:news crossword", "hide"),
    ("horoscope", "hide"),
    ("celebrity gossip", "hide"),
    ('"社区戒毒康复"', "notify"),
    ("sponsored", "hide"),
    ("giveaway -museum", "hide"),
    ("feed:Channel 3", "tag:three"),  # no words: decided by the feed alone
    ('"press release"', "read"),
    ("污水检测", "tag:water"),
    ("quarterly earnings", "hide"),
    ('"breaking news"', "notify"),
    ("tag:nothing storm", "read"),
    ("webinar", "tag:media"),
    ("since:7d drought", "read"),
)
# Worst case for the micro figure: every rule's words are in nearly every item, so every item
# gets its shown text made and matched word by word.
COMMON: tuple[tuple[str, str], ...] = tuple(
    (word, "tag:x") for word in ("election", "storm", "market", "river", "energy", "policy",
    "school", "budget", "vaccine", "festival", "museum", "court", "reform", "bridge", "summit",
    "research", "protest", "inflation", "harvest", "禁毒"))  # fmt: skip
CONFIG = "[fetch]\nconcurrency = 16\nper_host = 16\n[fulltext]\nbookmarks = false\n"
FIXTURES = ROOT / "tests" / "data" / "feeds"


def _config(with_rules: bool) -> str:
    if not with_rules:
        return CONFIG
    tables = "".join(f"[[rules]]\nquery = '{q}'\naction = '{a}'\n" for q, a in RULES)
    return CONFIG + tables


def _cold(f: Farm, work: Path, name: str, with_rules: bool) -> tuple[Run, str]:
    """A cold refresh into a fresh home; the run and the item tags it left (`bookmarks --tags`:
    the rules' own tags show that they acted)."""
    home = work / name
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(_config(with_rules), encoding="utf-8")
    env = dict(os.environ, TIDINGS_HOME=str(home))
    cmd = [sys.executable, "-m", "reader"]
    imported = timed([*cmd, "import", str(f.out / "subscriptions.opml")], env=env)
    assert imported.code == 0, imported.stdout
    f.reset()
    run = timed([*cmd, "refresh", "--json"], env=env)
    assert run.code == 0, run.stdout
    tags = timed([*cmd, "bookmarks", "--tags"], env=env).stdout
    return run, " ".join(tags.split())


def _items() -> list[ParsedItem]:
    """25,000 parsed items like the farm's (its fixtures, repeated)."""
    from reader.feeds.parse import parse_feed

    items: list[ParsedItem] = []
    for name in ("farm_rss.xml", "farm_atom_zh.xml", "farm_rss.xml", "farm_rss.xml"):
        items += parse_feed((FIXTURES / name).read_bytes()).items
    return (items * (25_000 // len(items) + 1))[:25_000]


def _python_us(items: list[ParsedItem], specs: tuple[tuple[str, str], ...]) -> tuple[float, float]:
    """Microseconds per item: the parser process's share (which of the rules' words each item
    holds) and the refresh process's (the rules over the item)."""
    from reader.config import RuleSpec
    from reader.indextext import index_entry
    from reader.rulematch import TermsHeld
    from reader.rules import RuleRun, load_rules

    run = RuleRun(load_rules([RuleSpec(q, a) for q, a in specs]))
    rules = run.feed_rules("Farm Channel 7", "http://127.0.0.1/feed/7.xml", ())
    held = TermsHeld(run.rules.terms)
    entries = [index_entry(i) for i in items]  # made for the index whether or not rules exist
    started = time.process_time()
    terms = [held(entry, words) for entry, words in entries]
    worker = (time.process_time() - started) / len(items) * 1e6
    gated = [replace(i, terms=t) for i, t in zip(items, terms, strict=True)]
    started = time.process_time()
    for item in gated:
        run.match(rules, item, "Farm Channel 7", 1_764_000_000)
    return worker, (time.process_time() - started) / len(items) * 1e6


def micro() -> dict[str, float]:
    """Microseconds per new item: the matcher (these rules, and the worst case), and the index
    asked instead (one FTS5 query per rule over each feed's batch of 50 new items; the index
    text itself is made during the refresh anyway)."""
    from reader.config import RuleSpec
    from reader.rules import RuleRun, load_rules
    from reader.store.db import Store
    from reader.store.search import phrase as fts_phrase

    items = _items()
    worker_us, python_us = _python_us(items, RULES)
    _, worst_us = _python_us(items, COMMON)
    rules = RuleRun(load_rules([RuleSpec(q, a) for q, a in RULES])).rules.rules
    words = [" AND ".join(p for t in r.query.include if (p := fts_phrase(t))) for r in rules]
    expressions = [w for w in words if w]
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp, \
            Store.open(Path(tmp) / "db") as store:  # fmt: skip
        feed, _ = store.add_feed("http://127.0.0.1/feed/7.xml", title="Farm Channel 7")
        for start in range(0, len(items), 50):
            batch = tuple(
                replace(i, key=f"{start}-{n}") for n, i in enumerate(items[start : start + 50])
            )
            store.store_parsed(feed.id, ParsedFeed("Farm Channel 7", "", batch, "rss20"))
        started = time.process_time()
        with store.transaction() as conn:
            for first in range(1, len(items), 50):  # one feed's batch of 50 at a time
                for expression in expressions:
                    conn.execute(
                        "SELECT rowid FROM search WHERE search MATCH ? AND rowid >= ?"
                        " AND rowid < ?", (expression, first, first + 50),
                    ).fetchall()  # fmt: skip
        query_us = (time.process_time() - started) / len(items) * 1e6
    return {"python_us": python_us, "python_worst_us": worst_us, "worker_us": worker_us,
            "index_query_us": query_us}  # fmt: skip


def run(runs: int = 3, feeds: int = 500, items: int = 50) -> dict[str, Any]:
    """Cold refreshes without and with twenty rules, alternating; and the micro figures."""
    plain: list[Run] = []
    ruled: list[Run] = []
    tags = ""
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        work = Path(tmp)
        with farm(work, feeds, items) as f:
            for n in range(runs):
                first, second = (False, True) if n % 2 == 0 else (True, False)
                for with_rules in (first, second):
                    got, left = _cold(f, work, f"{n}-{with_rules}", with_rules)
                    (ruled if with_rules else plain).append(got)
                    tags = left if with_rules else tags
    ratios = [r.wall / p.wall for r, p in zip(ruled, plain, strict=True)]
    cpu_ratios = [r.cpu / p.cpu for r, p in zip(ruled, plain, strict=True)]
    return {
        "feeds": feeds,
        "items": items,
        "rules": len(RULES),
        "plain_wall": median_spread([r.wall for r in plain]),
        "rules_wall": median_spread([r.wall for r in ruled]),
        "plain_cpu": statistics.median(r.cpu for r in plain),
        "rules_cpu": statistics.median(r.cpu for r in ruled),
        "ratio_wall": statistics.median(ratios),
        "ratio_wall_spread": max(ratios) - min(ratios),
        "ratio_cpu": statistics.median(cpu_ratios),
        "tags": tags,
        "micro": micro(),
    }


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: wall and CPU of a cold refresh with twenty rules over one without, and the
    matcher's cost per new item."""
    size = f"{r['feeds']} feeds × {r['items']} items"
    acted = "politics" in r["tags"] and "禁毒" in r["tags"]
    check = "the rules' tags are on the stored items" if acted else "the rules did not act"
    m = r["micro"]
    worst = f"worst case (every rule's word in every item) {m['python_worst_us']:.0f} µs"
    return [
        record("rules", f"refresh cold with {r['rules']} rules, {size}, wall",
               r["ratio_wall"] if acted else None, "x", "≤ 1.10x the run without rules",
               at_most(r["ratio_wall"], 1.10) and acted, check,
               baseline=f"no rules {r['plain_wall'][0]:.2f} s",
               spread=r["ratio_wall_spread"]),
        record("rules", f"refresh cold with {r['rules']} rules, {size}, cpu", r["ratio_cpu"],
               "x", check=check, baseline=f"no rules {r['plain_cpu']:.2f} s cpu"),
        record("rules", "rules matched per new item, refresh process (farm items)",
               m["python_us"], "µs", check="25,000 farm items", baseline=worst),
        record("rules", "rules' words found per new item, parser processes", m["worker_us"],
               "µs", check="25,000 farm items"),
        record("rules", "the index asked instead, per new item", m["index_query_us"], "µs",
               check="one FTS5 query per rule per feed of 50 new items"),
    ]  # fmt: skip


if __name__ == "__main__":
    import json

    print(json.dumps(run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
