"""Extraction quality and speed: ../shared/bench/extract_score.py on the 181-page
article-extraction corpus, for tidings's extractor and for trafilatura alone (its default
settings without comments, the figure the issue quotes), run alternately.

Targets (issue 4): F1 >= 0.970 at <= 30 ms per page.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from typing import Any

from benchmarks.common import ROOT, SHARED, Record, at_most, record

SCORER = SHARED / "bench" / "extract_score.py"
OURS = "reader.articles.extract:article_text"
ALONE = "benchmarks.extract:trafilatura_alone"
_SPEED = re.compile(r"pages=(\d+) ms_per_page=([\d.]+)")
_SCORE = re.compile(r"F1=([\d.]+) precision=([\d.]+) recall=([\d.]+)")


def trafilatura_alone(html: str) -> str:
    """The baseline: trafilatura.extract with its defaults, comments left out."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def score(func: str) -> dict[str, float]:
    """One run of the scorer over the corpus: pages, ms_per_page, f1, precision, recall."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # the scorer imports `func` by module name
    done = subprocess.run(
        [sys.executable, str(SCORER), "--func", func],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    speed, quality = _SPEED.search(done.stdout), _SCORE.search(done.stdout)
    assert speed and quality, done.stdout + done.stderr
    return {
        "pages": int(speed.group(1)),
        "ms_per_page": float(speed.group(2)),
        "f1": float(quality.group(1)),
        "precision": float(quality.group(2)),
        "recall": float(quality.group(3)),
    }


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    times = [r["ms_per_page"] for r in runs]
    return runs[0] | {
        "ms_per_page": statistics.median(times),
        "spread": max(times) - min(times),
        "runs": len(runs),
    }


def run(runs: int = 3) -> dict[str, Any]:
    """Score ours and the baseline `runs` times each (alternately); medians of the speed."""
    if not SCORER.exists():
        raise SystemExit(f"the extract benchmark needs {SCORER}")
    ours, alone = [], []
    for _ in range(max(1, runs)):
        ours.append(score(OURS))
        alone.append(score(ALONE))
    return {"tidings": _median(ours), "trafilatura": _median(alone)}


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: F1 and ms per page against trafilatura alone."""
    ours, alone = r["tidings"], r["trafilatura"]
    pages = f"{ours['pages']} pages"
    check = f"scored on {pages} against their human-marked text"
    return [
        record(
            "extract",
            f"extraction F1, {pages}",
            ours["f1"],
            "",
            "≥ 0.970",
            ours["f1"] >= 0.970,
            check,
            baseline=f"trafilatura alone {alone['f1']:.3f}",
        ),
        record(
            "extract",
            f"extraction ms per page, {pages}",
            ours["ms_per_page"],
            "ms",
            "≤ 30 ms",
            at_most(ours["ms_per_page"], 30),
            check,
            baseline=f"trafilatura alone {alone['ms_per_page']:.1f} ms",
            spread=ours["spread"] if ours["runs"] > 1 else None,
        ),
    ]
