"""Summary speed and soundness on real article texts: the human-marked bodies of the shared
article-extraction corpus (181 stories, mostly English), the Chinese stories among the outside
test pages' expected texts (benchmarks/outside.py, when cached) and tests/data/summaries (12
stories, half Chinese). Each story is summarised once per pass; a story's time is the median of
its passes, and the figures are the median and p95 over stories, for the text alone and for the
story given as HTML (rendered first, as an item is). Times are the process's CPU time: the
summariser is single-threaded, so that is its time on an idle core, which wall time on this
shared machine is not.

Checks: every summary sentence is a sentence of its story, none is a near-duplicate of another,
and every story with text gets a summary. Target (issue 4): <= 20 ms for a 5,000-character
story, taken as the p95 of the stories of 4,000 to 8,000 characters.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from html import escape
from typing import Any

from benchmarks import outside
from benchmarks.common import ROOT, SHARED, CheckFailed, Record, at_most, record

CORPUS = SHARED / "corpora" / "article-extraction" / "ground-truth.json"
STORIES = ROOT / "tests" / "data" / "summaries"
BAND = (4000, 8000)  # characters: stories about the target's 5,000


def texts() -> dict[str, list[str]]:
    """The real texts, by set: "corpus", "chinese" (outside suites' Chinese pages, ours)."""
    corpus = [v.get("articleBody", "") for v in json.loads(CORPUS.read_text()).values()]
    chinese = [p.read_text(encoding="utf-8").partition("\n---\n")[2].strip()
               for p in sorted(STORIES.glob("zh_*.txt"))]  # fmt: skip
    for suite in ("readability", "newspaper"):
        chinese += [p.text for p in outside.load(suite) if _chinese(p.text)]
    english = [p.read_text(encoding="utf-8").partition("\n---\n")[2].strip()
               for p in sorted(STORIES.glob("en_*.txt"))]  # fmt: skip
    return {"corpus": [t for t in corpus + english if t.strip()], "chinese": chinese}


def _chinese(text: str) -> bool:
    return sum("\u4e00" <= c <= "\u9fff" for c in text) > 0.3 * max(len(text), 1)


def _as_html(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())


def check(story: str, sentences: tuple[str, ...]) -> None:
    """A summary's sentences come from its story, in order, none repeating another. The story
    and its sentences are compared normalised (a soft hyphen the raw text keeps, the HTML path
    drops, as the reader shows it)."""
    from reader.articles.sentences import folded, near_duplicate, pairs
    from reader.textnorm import normalize

    if story.strip() and not sentences:
        raise CheckFailed(f"no summary for a story of {len(story)} characters")
    whole, bags = folded(normalize(story)), [pairs(s) for s in sentences]
    for i, sentence in enumerate(sentences):
        if folded(normalize(sentence)) not in whole:
            raise CheckFailed(f"not in its story: {sentence[:60]!r}")
        if any(near_duplicate(bags[i], bags[j]) for j in range(i)):
            raise CheckFailed(f"a repeat: {sentence[:60]!r}")


def _times(fn: Callable[[str], tuple[str, ...]], stories: list[str], runs: int) -> list[float]:
    """Each story's median time (ms) over `runs` passes; the first pass's summaries checked."""
    times: list[list[float]] = [[] for _ in stories]
    for run in range(max(1, runs)):
        for index, story in enumerate(stories):
            started = time.process_time()
            sentences = fn(story)
            times[index].append((time.process_time() - started) * 1000)
            if run == 0:
                check(story, sentences)
    return [statistics.median(t) for t in times]


def _figures(times: list[float], stories: list[str]) -> dict[str, float]:
    ordered = sorted(times)
    long = sorted(t for t, s in zip(times, stories, strict=True) if BAND[0] <= len(s) < BAND[1])
    return {
        "stories": len(times),
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "max_ms": ordered[-1],
        "chars_median": statistics.median(len(s) for s in stories),
        "long_stories": len(long),
        "long_p95_ms": long[max(0, int(len(long) * 0.95) - 1)] if long else 0.0,
    }


def run(runs: int = 3) -> dict[str, Any]:
    """Time the summariser on each set of real texts, from text and from HTML."""
    from reader.articles.article import story_text
    from reader.articles.summarize import builtin_summary
    from reader.models import Item

    def from_text(text: str) -> tuple[str, ...]:
        return builtin_summary(text).sentences

    def from_html(text: str) -> tuple[str, ...]:
        item = Item(1, 1, "F", "k", "T", "", "", 0, None, "", _as_html(text), "html", "", False,
                    False, 0)  # fmt: skip
        return builtin_summary(story_text(item)).sentences

    results: dict[str, Any] = {}
    for name, stories in texts().items():
        if not stories:
            continue
        results[name] = _figures(_times(from_text, stories, runs), stories)
        results[f"{name}_from_html"] = _figures(_times(from_html, stories, runs), stories)
    return results


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: median and p95 per story of each set; the target on the stories of about
    5,000 characters."""
    out = []
    labels = {"corpus": "summary, real English stories", "chinese": "summary, real Chinese stories"}
    for name, fig in r.items():
        label = labels[name.removesuffix("_from_html")] + (" as HTML" if "html" in name else "")
        check = (f"{fig['stories']} stories (median {fig['chars_median']:.0f} chars), CPU time: "
                 "each summary's sentences from its story, no repeats")  # fmt: skip
        out.append(record("summary", f"{label}, median", fig["median_ms"], "ms", check=check))
        out.append(record("summary", f"{label}, p95", fig["p95_ms"], "ms", check=check))
        if fig["long_stories"]:
            out.append(record("summary", f"{label}, p95 of the {fig['long_stories']} of "
                              "4,000-8,000 chars", fig["long_p95_ms"], "ms", "≤ 20 ms",
                              at_most(fig["long_p95_ms"], 20), check))  # fmt: skip
    return out
