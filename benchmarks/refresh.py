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


def run(
    runs: int = 3,
    feeds: int = 500,
    items: int = 50,
    delay_ms: float = 0.0,
    single_thread: bool = True,
) -> dict[str, Any]:
    """Alternate tidings and newsboat (reload-threads 16, and 1 when `single_thread`) `runs`
    times; medians, spreads and ratios."""
    have_nb = newsboat() is not None
    got: dict[str, list[Run]] = {
        k: [] for k in ("t_cold", "t_304", "n_cold", "n_again", "n1_cold", "n1_again")
    }
    checks: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        work = Path(tmp)
        with farm(work, feeds, items, delay_ms) as f:
            for n in range(runs):
                cold, warm, check = tidings_pair(f, work, n)
                got["t_cold"].append(cold)
                got["t_304"].append(warm)
                checks.append(check)
                if have_nb:
                    for threads, key in ((16, "n"), (1, "n1")) if single_thread else ((16, "n"),):
                        nc, nw = newsboat_pair(f, work, n, threads)
                        got[f"{key}_cold"].append(nc)
                        got[f"{key}_again"].append(nw)
    return summarise(got, checks, feeds, items, delay_ms)


def _fig(xs: list[Run]) -> dict[str, float] | None:
    if not xs:
        return None
    wall, spread = median_spread([r.wall for r in xs])
    cpu, _ = median_spread([r.cpu for r in xs])
    rss, _ = median_spread([r.rss_mb for r in xs])
    return {"wall": wall, "spread": spread, "cpu": cpu, "rss_mb": rss, "runs": len(xs)}


def _ratio(ts: list[Run], ns: list[Run]) -> float | None:
    """The median of each tidings run's time over the newsboat run beside it."""
    if not ns:
        return None
    return median_spread([t.wall / n.wall for t, n in zip(ts, ns, strict=True)])[0]


def summarise(
    got: dict[str, list[Run]],
    checks: list[dict[str, Any]],
    feeds: int,
    items: int,
    delay_ms: float,
) -> dict[str, Any]:
    """The figures of one refresh benchmark as a JSON-able dict."""
    return {
        "feeds": feeds,
        "items": items,
        "delay_ms": delay_ms,
        "tidings_cold": _fig(got["t_cold"]),
        "tidings_304": _fig(got["t_304"]),
        "newsboat_cold": _fig(got["n_cold"]),
        "newsboat_again": _fig(got["n_again"]),
        "newsboat_cold_1thread": _fig(got["n1_cold"]),
        "newsboat_again_1thread": _fig(got["n1_again"]),
        "ratio_cold": _ratio(got["t_cold"], got["n_cold"]),
        "ratio_304": _ratio(got["t_304"], got["n_again"]),
        "ratio_cold_1thread": _ratio(got["t_cold"], got["n1_cold"]),
        "ratio_304_1thread": _ratio(got["t_304"], got["n1_again"]),
        "checks": checks[-1] if checks else {},
        "note": "" if got["n_cold"] else NEWSBOAT_HINT,
    }


if __name__ == "__main__":
    print(json.dumps(run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
