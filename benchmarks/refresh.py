"""Refresh benchmarks: tidings vs newsboat on the same feed farm, run alternately.

Cold: a fresh home, `tidings import subscriptions.opml` then `tidings refresh --json` (timed);
newsboat: a fresh cache, `newsboat -x reload` with reload-threads 16. Warm: the same store
refreshed again (the farm answers 304 to tidings's conditional requests).
tidings runs with per_host = concurrency = 16: the farm serves every feed from one host and
newsboat has no per-host limit, so this is the like-for-like setting.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import NEWSBOAT_HINT, Farm, Run, farm, median_spread, newsboat, timed

CONFIG = "[fetch]\nconcurrency = 16\nper_host = 16\n"


def _tidings(home: Path, *args: str) -> Run:
    env = dict(os.environ, TIDINGS_HOME=str(home))
    return timed([sys.executable, "-m", "reader", *args], env=env)


def tidings_pair(f: Farm, work: Path, n: int) -> tuple[Run, Run, dict[str, Any]]:
    """A cold refresh into a fresh home, then an all-304 refresh; checks the farm's counters."""
    home = work / f"tidings-{n}"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(CONFIG)
    imported = _tidings(home, "import", str(f.out / "subscriptions.opml"))
    assert imported.code == 0, imported.stdout
    f.reset()
    cold = _tidings(home, "refresh", "--json")
    cold_stats = f.stats()
    f.reset()
    warm = _tidings(home, "refresh", "--json")
    warm_stats = f.stats()
    check = {
        "cold": json.loads(cold.stdout or "{}"),
        "warm": json.loads(warm.stdout or "{}"),
        "cold_farm": cold_stats,
        "warm_farm": warm_stats,
    }
    return cold, warm, check


def newsboat_pair(f: Farm, work: Path, n: int, threads: int = 16) -> tuple[Run, Run]:
    """newsboat's cold reload into a fresh cache, then a second reload."""
    binary = newsboat()
    assert binary is not None
    nb = work / f"newsboat-{n}-{threads}"
    nb.mkdir()
    (nb / "config").write_text(f"reload-threads {threads}\n")
    cmd = [binary, "-x", "reload", "-u", str(f.out / "urls"), "-c", str(nb / "cache.db"),
           "-C", str(nb / "config")]  # fmt: skip
    return timed(cmd), timed(cmd)


def run(runs: int = 3, feeds: int = 500, items: int = 50, delay_ms: float = 0.0) -> dict[str, Any]:
    """Alternate tidings and newsboat `runs` times; medians, spreads and ratios."""
    have_nb = newsboat() is not None
    t_cold: list[Run] = []
    t_warm: list[Run] = []
    n_cold: list[Run] = []
    n_warm: list[Run] = []
    checks: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        work = Path(tmp)
        with farm(work, feeds, items, delay_ms) as f:
            for n in range(runs):
                cold, warm, check = tidings_pair(f, work, n)
                t_cold.append(cold)
                t_warm.append(warm)
                checks.append(check)
                if have_nb:
                    nc, nw = newsboat_pair(f, work, n)
                    n_cold.append(nc)
                    n_warm.append(nw)
    return summarise(t_cold, t_warm, n_cold, n_warm, checks, feeds, items, delay_ms)


def summarise(
    t_cold: list[Run],
    t_warm: list[Run],
    n_cold: list[Run],
    n_warm: list[Run],
    checks: list[dict[str, Any]],
    feeds: int,
    items: int,
    delay_ms: float,
) -> dict[str, Any]:
    """The figures of one refresh benchmark as a JSON-able dict."""

    def fig(xs: list[Run]) -> dict[str, float] | None:
        if not xs:
            return None
        wall, spread = median_spread([r.wall for r in xs])
        cpu, _ = median_spread([r.cpu for r in xs])
        rss, _ = median_spread([r.rss_mb for r in xs])
        return {"wall": wall, "spread": spread, "cpu": cpu, "rss_mb": rss, "runs": len(xs)}

    # ratios pair each tidings run with the newsboat run beside it, then take the median
    def ratio(ts: list[Run], ns: list[Run]) -> float | None:
        if not ns:
            return None
        return median_spread([t.wall / n.wall for t, n in zip(ts, ns, strict=True)])[0]

    return {
        "feeds": feeds,
        "items": items,
        "delay_ms": delay_ms,
        "tidings_cold": fig(t_cold),
        "tidings_304": fig(t_warm),
        "newsboat_cold": fig(n_cold),
        "newsboat_again": fig(n_warm),
        "ratio_cold": ratio(t_cold, n_cold),
        "ratio_304": ratio(t_warm, n_warm),
        "checks": checks[-1] if checks else {},
        "note": "" if n_cold else NEWSBOAT_HINT,
    }


if __name__ == "__main__":
    print(json.dumps(run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
