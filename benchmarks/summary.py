"""Summary speed: the built-in summariser over 1,000 generated stories in English and 1,000 in
Chinese (1-4 KB each, deterministic), and over 5,000-character stories; also a whole item
(HTML rendered to text first) to show what the reading pane pays.

Target (issue 4): <= 20 ms for a 5,000-character story.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import Record, at_most, record

_VOCABULARY = (
    "city council voted budget transit funding mayor plan commute region critics argued revenue"
    " forecast deficit sales tax engineers panels reservoir solar farm power homes project"
    " residents consulted glare trees site second array quarry lake expected performs water"
    " drinking supply cooler output summer winter season officials ridership bus routes rail"
    " repairs service hours school teachers students hospital doctors patients river bridge"
    " storm warning flood coast harbor ships port trade exports prices market shares investors"
    " company profits quarter growth jobs workers union strike talks agreement minister policy"
    " election voters campaign court judge ruling appeal police arrest suspect investigation"
)
WORDS = _VOCABULARY.split()
HANZI = (
    "咸宁市严厉禁毒温情戒毒全民拒毒工作举措实群众共识高成功创建全国示范城市国家委员会日前召开电视电话"
    "会议这座园林楠竹青茶香郁千桥穹立万户安宁近年来公安机关打破区域壁垒警种界限推行地域缉毒专案组经过"
    "缜密侦查斩断一条跨境贩运通道社区康复执行率已达百分之复吸逐年下降特殊监管中心由民警和医护人员共同"
    "管理污水检测技术能够推算来源内的人均消费量调查显示满意度排名位居前列傍晚在树阴下棋听戏欢声笑语不断"
)


def english_story(rng: random.Random, size: int) -> str:
    """Paragraphs of generated English sentences, about `size` characters."""
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".....?!"))
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:size]


def chinese_story(rng: random.Random, size: int) -> str:
    """Paragraphs of generated Chinese sentences (。！？；, commas inside), about `size` chars."""
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            clauses = ["".join(rng.choices(HANZI, k=rng.randint(5, 14))) for _ in range(3)]
            sentences.append("，".join(clauses) + rng.choice("。。。。！？；"))
        paragraphs.append("".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:size]


def _timed(fn: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        fn(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "stories": len(texts),
        "mean_ms": statistics.fmean(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
        "chars": statistics.fmean(len(t) for t in texts),
    }


def run(runs: int = 3) -> dict[str, Any]:
    """Time the summariser; each figure is the best of `runs` passes."""
    from reader.articles.article import story_text
    from reader.articles.summarize import builtin_summary
    from reader.models import Item

    rng = random.Random(4)
    sets = {
        "english_1000": [english_story(rng, rng.randint(1000, 4000)) for _ in range(1000)],
        "chinese_1000": [chinese_story(rng, rng.randint(1000, 4000)) for _ in range(1000)],
        "english_5000chars": [english_story(rng, 5000) for _ in range(100)],
        "chinese_5000chars": [chinese_story(rng, 5000) for _ in range(100)],
    }

    def whole_item(text: str) -> object:
        html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        item = Item(1, 1, "F", "k", "T", "", "", 0, None, "", html, "html", "", False, False, 0)
        return builtin_summary(story_text(item))

    results: dict[str, Any] = {}
    for name, texts in sets.items():
        passes = [_timed(builtin_summary, texts) for _ in range(max(1, runs))]
        results[name] = min(passes, key=lambda p: p["mean_ms"])
    passes = [_timed(whole_item, sets["chinese_5000chars"]) for _ in range(max(1, runs))]
    results["chinese_5000chars_from_html"] = min(passes, key=lambda p: p["mean_ms"])
    return results


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: time per story of each set (the 5,000-character ones have the target)."""
    out = []
    for name, label in (
        ("english_1000", "summary, 1,000 English stories (generated)"),
        ("chinese_1000", "summary, 1,000 Chinese stories (generated)"),
        ("english_5000chars", "summary, English 5,000 chars (generated), p95"),
        ("chinese_5000chars", "summary, Chinese 5,000 chars (generated), p95"),
        ("chinese_5000chars_from_html", "summary, Chinese 5,000 chars from HTML, p95"),
    ):
        fig = r[name]
        check = f"{fig['stories']} stories summarised, fastest of the passes"
        if "5000" in name:
            out.append(record("summary", label, fig["p95_ms"], "ms", "≤ 20 ms",
                              at_most(fig["p95_ms"], 20), check))  # fmt: skip
        else:
            out.append(record("summary", label + ", mean", fig["mean_ms"], "ms", check=check))
    return out
