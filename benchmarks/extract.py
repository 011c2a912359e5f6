"""Extraction quality and speed: tidings beside trafilatura alone in its default mode and in its
precision mode (`favor_precision=True`), each as it is used (trafilatura.extract without
comments; tidings's extract), on:

- the shared corpus (../shared/corpora/article-extraction, 181 pages, scored with the shared
  scorer's metric: 4-word shingles), split by a hash of each page's site into a tuning part
  (changes to the cleaning rules are judged there) and a held-out part; no site is in both;
- pages of other extractors' test suites, never used for tuning (benchmarks/outside.py: build
  the local cache first; the figures say when a suite is missing).

It also counts on how many sites each cleaning rule fires (a rule that one site needs is
flagged) and checks itself: its corpus F1 for tidings must equal the shared scorer's.
Targets (issues 4, 14): F1 >= 0.970 on the corpus at <= 30 ms per page; on the outside pages
no worse than the precision mode.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from benchmarks import outside
from benchmarks.common import ROOT, SHARED, Record, at_most, record

SCORER = SHARED / "bench" / "extract_score.py"
CORPUS = SHARED / "corpora" / "article-extraction"
MODES = ("default", "precision", "tidings")
_SCORE = re.compile(r"F1=([\d.]+)")
Counts = tuple[float, float, float]


def scorer() -> ModuleType:
    """The shared scorer as a module (its metric, not a copy of it)."""
    spec = importlib.util.spec_from_file_location("extract_score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site(url: str) -> str:
    """A page's site: its host without "www."."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def part(url: str) -> str:
    """ "tune" or "held": the split, by a hash of the site (stable across runs and machines)."""
    return "held" if hashlib.sha256(site(url).encode()).digest()[0] % 2 else "tune"


def extractors(trace: list[str]) -> dict[str, Callable[[str | bytes], str]]:
    """Each mode as a function of a page (str or bytes) to its text; tidings's fired rules
    go to `trace`."""
    import trafilatura

    from reader.articles.extract import extract, extract_page

    def tidings(page: str | bytes) -> str:
        found = (
            extract_page(page, trace=trace)
            if isinstance(page, bytes)
            else extract(page, trace=trace)
        )
        return found.text if found is not None else ""

    return {
        "default": lambda page: trafilatura.extract(page, include_comments=False) or "",
        "precision": lambda page: trafilatura.extract(
            page, include_comments=False, favor_precision=True
        ) or "",
        "tidings": tidings,
    }  # fmt: skip


def f1(module: ModuleType, counts: list[Counts]) -> dict[str, float]:
    """The scorer's F1, precision and recall over pages' (tp, fp, fn) shares."""
    p = statistics.mean(module.precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(module.recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r, "pages": len(counts)}


def snippets(pages: list[outside.Page], texts: list[str]) -> dict[str, float]:
    """trafilatura's own metric: "with" snippets found are hits, "without" ones found are
    false alarms, summed over pages (whitespace folded)."""
    tp = fp = fn = 0
    for page, text in zip(pages, texts, strict=True):
        folded = " ".join(text.split())
        found = sum(" ".join(s.split()) in folded for s in page.with_)
        tp, fn = tp + found, fn + len(page.with_) - found
        fp += sum(" ".join(s.split()) in folded for s in page.without)
    p, r = tp / (tp + fp), tp / (tp + fn)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r, "pages": len(pages)}


class Rules:
    """Where each cleaning rule fired: the sites, by where the page comes from."""

    def __init__(self) -> None:
        self.trace: list[str] = []
        self.sites: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def collect(self, where: str, page_site: str) -> None:
        for rule in self.trace:
            self.sites[rule][where].add(page_site)
        self.trace.clear()

    def table(self) -> dict[str, dict[str, int]]:
        """rule -> {"tune": sites, "held": sites, "outside": sites}."""
        return {
            rule: {where: len(by[where]) for where in ("tune", "held", "outside")}
            for rule, by in sorted(self.sites.items())
        }


def corpus(module: ModuleType, rules: Rules, runs: int) -> dict[str, Any]:
    """The modes on the shared corpus, alternately, `runs` times for the speed."""
    truth = json.loads((CORPUS / "ground-truth.json").read_text())
    keys = sorted(truth)
    pages = {k: gzip.decompress((CORPUS / "html" / f"{k}.html.gz").read_bytes())
             .decode("utf-8", "replace") for k in keys}  # fmt: skip
    modes = extractors(rules.trace)
    counts: dict[str, dict[str, Counts]] = {m: {} for m in MODES}
    times: dict[str, list[float]] = {m: [] for m in MODES}
    for run in range(max(1, runs)):
        for mode, fn in modes.items():
            texts, seconds = {}, 0.0
            for key in keys:
                started = time.perf_counter()
                texts[key] = fn(pages[key])
                seconds += time.perf_counter() - started
                if run == 0 and mode == "tidings":
                    rules.collect(part(truth[key]["url"]), site(truth[key]["url"]))
            rules.trace.clear()
            times[mode].append(seconds * 1000 / len(keys))
            for key, text in texts.items():
                counts[mode][key] = module.page_counts(truth[key].get("articleBody", ""), text)
    result: dict[str, Any] = {}
    for mode in MODES:
        split: dict[str, list[Counts]] = {"tune": [], "held": [], "all": []}
        for key, c in counts[mode].items():
            split[part(truth[key]["url"])].append(c)
            split["all"].append(c)
        result[mode] = {name: f1(module, c) for name, c in split.items()} | {
            "ms_per_page": statistics.median(times[mode]),
            "spread": max(times[mode]) - min(times[mode]),
        }
    return result


def suites(module: ModuleType, rules: Rules) -> dict[str, Any]:
    """The modes on each cached outside suite (once: quality only)."""
    modes = extractors(rules.trace)
    result: dict[str, Any] = {}
    for suite in outside.SUITES:
        pages = outside.load(suite)
        if not pages:
            result[suite] = {
                "missing": f"no cache in {outside.PAGES}: python -m benchmarks.outside build"
            }
            continue
        scores: dict[str, Any] = {}
        for mode, fn in modes.items():
            texts = []
            for page in pages:
                texts.append(fn(page.html))
                rules.collect("outside", f"{suite}:{page.name}")
            rules.trace.clear()
            if suite == "trafilatura":
                scores[mode] = snippets(pages, texts)
            else:
                counts = [module.page_counts(p.text, t) for p, t in zip(pages, texts, strict=True)]
                scores[mode] = f1(module, counts)
        result[suite] = scores
    return result


def check(expected: float) -> float:
    """The shared scorer's F1 for tidings, run as the scorer itself runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(SCORER), "--func", "reader.articles.extract:article_text"],
        capture_output=True, text=True, cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    found = _SCORE.search(done.stdout)
    assert found, done.stdout + done.stderr
    score = float(found.group(1))
    assert abs(score - expected) < 0.0006, f"scorer says {score}, this benchmark {expected:.4f}"
    return score


def run(runs: int = 3) -> dict[str, Any]:
    """Every mode on the corpus (tune, held-out, all, speed) and on the outside suites."""
    if not SCORER.exists():
        raise SystemExit(f"the extract benchmark needs {SCORER}")
    module = scorer()
    rules = Rules()
    result: dict[str, Any] = {"corpus": corpus(module, rules, runs)}
    result["outside"] = suites(module, rules)
    result["scorer_f1"] = check(result["corpus"]["tidings"]["all"]["f1"])
    table = rules.table()
    result["rules"] = table
    result["one_site_rules"] = [
        r for r, n in table.items() if n["tune"] + n["held"] + n["outside"] < 2
    ]
    return result


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: F1 of tidings (trafilatura's default and precision modes as the baseline)
    on each part of the corpus and on each outside suite; ms per page; single-site rules."""
    out = []
    c = r["corpus"]
    checked = f"the shared scorer agrees ({r['scorer_f1']:.3f})"
    for name, label in (("tune", "tuning part"), ("held", "held-out part"), ("all", "all")):
        ours = c["tidings"][name]
        target, ok = ("≥ 0.970", ours["f1"] >= 0.970) if name == "all" else ("", None)
        out.append(record("extract", f"extraction F1, corpus {label} ({ours['pages']} pages)",
                          ours["f1"], "", target, ok, checked,
                          baseline=_modes(c["default"][name], c["precision"][name])))  # fmt: skip
    for suite, scores in r["outside"].items():
        figure = f"extraction F1, {suite}'s test pages"
        if "missing" in scores:
            out.append(record("extract", figure, None, "", "≥ precision mode", False,
                              scores["missing"]))  # fmt: skip
            continue
        ours, precise = scores["tidings"], scores["precision"]
        metric = "snippets found/wrongly kept" if suite == "trafilatura" else "4-word shingles"
        out.append(record("extract", f"{figure} ({ours['pages']})", ours["f1"], "",
                          "≥ precision mode", ours["f1"] >= precise["f1"], metric,
                          baseline=_modes(scores["default"], precise)))  # fmt: skip
    ours = c["tidings"]
    out.append(record("extract", f"extraction ms per page, corpus ({ours['all']['pages']})",
                      ours["ms_per_page"], "ms", "≤ 30 ms", at_most(ours["ms_per_page"], 30),
                      "median of the runs, modes alternating",
                      baseline=f"default {c['default']['ms_per_page']:.1f} ms, precision "
                      f"{c['precision']['ms_per_page']:.1f} ms", spread=ours["spread"]))  # fmt: skip
    lone = r["one_site_rules"]
    out.append(record("extract", "cleaning rules that fire on one site only", len(lone), "",
                      "0", not lone, ", ".join(lone) or "every rule fires on two sites or more"))  # fmt: skip
    return out


def _modes(default: dict[str, float], precise: dict[str, float]) -> str:
    return f"trafilatura default {default['f1']:.3f}, precision mode {precise['f1']:.3f}"
