"""Leftovers an extractor keeps around a story, removed from its body tree.

Phrase rules (named entries of POINTERS and FURNITURE, each tested on its own in English and
Chinese in tests/core/test_boilerplate.py; none is there for one site: benchmarks/extract.py
counts on how many sites of the scored corpus and of other extractors' test pages each fires):
- a pointer, a short block that only points elsewhere ("Read more: ...", "相关阅读"), goes
  wherever it is; one that only names a section ("See also", "相关阅读：") takes the links and
  lists under it along;
- furniture (copyright and licence lines, share/follow/subscribe prompts, tags, comment prompts,
  credits, promotions, link footers, the source/author/date line of Chinese news pages) goes
  when it is at the top or the bottom of the story, with the short blocks between it and the
  edge.
Structural rules:
- a first block that is the headline goes (not one that merely contains it, such as a
  standfirst, and never a story's only block): the reading pane shows the title already.
- empty blocks (an image-only paragraph, when images are left out) are neither furniture nor
  story: they never make the short blocks before them go.

The tree is the extractor's body element (children p, head, list, quote, table, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import _Element

SHORT = 300  # characters: longer blocks are never furniture
EDGE_RUN = 6  # blocks looked at from each end
GAP = 60  # characters: a shorter block between furniture and the edge goes with it
POINTER_MAX = 200  # characters: a longer block is never a pointer
HEADLINE_SLACK = 1.1  # a first block this much longer than the title still is the title


@dataclass(frozen=True, slots=True)
class Phrase:
    """A named phrase rule: alternatives of a regular expression (case-insensitive) over a
    block's text, in English and Chinese (simplified and traditional)."""

    name: str
    alternatives: tuple[str, ...]

    @property
    def pattern(self) -> str:
        """The alternatives as one regular expression."""
        return "|".join(self.alternatives)


def _phrase(name: str, *alternatives: str) -> Phrase:
    return Phrase(name, alternatives)


POINTERS = (  # matched as the whole block: "^\W*(?:phrase)\b\W*(?:$|[:：])", then anything
    _phrase(
        "read more",
        "read (?:more|also|next)",
        "also read",
        "阅读(?:全文|原文)",
        "閱讀(?:全文|原文)",
    ),
    _phrase(
        "see also", "see (?:more|also)", r"also on \S+", "further reading", "延伸阅读", "延伸閱讀"
    ),
    _phrase(
        "related",
        "related(?: articles?| stories| posts?| news| content| coverage| reading| roundup)?",
        "相关(?:阅读|新闻|文章|报道|链接|推荐)",
        "相關(?:閱讀|新聞|文章)",
    ),
    _phrase(
        "recommended",
        "recommended(?: for you)?",
        "you (?:may|might) (?:also )?like",
        "trending",
        "推荐阅读|热点推荐|猜你喜欢|更多(?:新闻|阅读)",
        "推薦閱讀|熱點推薦|更多(?:新聞|閱讀)",
    ),
)
_NAV = "site ?map|contact us|about us|privacy policy|terms of (?:use|service)|back to top"
FURNITURE = (  # found anywhere in a short block at either edge
    _phrase(
        "copyright",
        "all rights reserved",
        r"copyright\s*(?:©|\(c\)|\d{4})",
        r"©\s*\d{4}",
        "^©",
        "版权(?:声明|所有)|版權(?:聲明|所有)",
        "未经(?:授权|许可).{0,6}(?:不得|禁止)转载|禁止转载|未經(?:授權|許可).{0,6}(?:不得|禁止)轉載",
    ),
    _phrase(
        "share",
        r"^(?:follow|share|click here|like this story|have a tip)\b",
        r"\bclick here\b",
        "分享到|扫码(?:关注|下载|阅读)|扫一扫|关注我们|關注我們",
    ),
    _phrase(
        "subscribe",
        r"^(?:sign up|subscribe|get the latest)\b",
        "(?:sign up|subscribe).{0,40}newsletter",
        "^(?:点击|點擊|扫码|掃碼|加入|立即)(?:订阅|訂閱)",
        "^(?:订阅|訂閱)(?:我们|我們|本号|本號|公众号|公眾號|本刊|本报|本報)",
        "(?:订阅|訂閱)(?:电话|電話)[:：]",
    ),
    _phrase("tags", r"^(?:tags?\b|topics?:|filed under)", "^(?:标签|標籤|关键词|關鍵詞)[:：]"),
    _phrase(
        "comments",
        r"^(?:comments?\b|\d+ comments?|(?:leave|post|log in to) a? ?comment)",
        "^(?:发表评论|网友评论|發表評論|網友評論)",
    ),
    _phrase(
        "advert",
        r"^(?:advertisement|sponsored)\b",
        "^【(?:推广|广告|廣告)】|^(?:推广|广告|廣告)[:：]",
    ),
    _phrase(
        "credit",
        "^(?:photo(?:graph)?s?|image(?: source)?|source):",
        r"^\(?(?:additional )?reporting by",
        r"\bediting by\b",
        "contributed (?:reporting|to this report)",
        "^(?:来源|來源|作者|记者|記者|责任编辑|責任編輯|编辑|編輯|审核|校对|发布时间|發布時間|原标题)[:：]",
    ),
    _phrase(
        "site links",
        "友情链接|友情鏈接|网站地图|網站地圖|联系我们|聯繫我們|关于我们|關於我們|广告服务",
        "上一篇|下一篇|打印本页|关闭窗口|浏览次数|点击数|阅读数|icp备",
        rf"^\W*(?:{_NAV})\W*(?:(?:{_NAV}|advertise|careers|help|faq)\W*)*$",  # labels only
    ),
)
_PHRASES = "|".join(p.pattern for p in POINTERS)
_POINTER = re.compile(rf"^\W*(?:{_PHRASES})\b\W*(?:$|[:：])", re.IGNORECASE)
_SECTION = re.compile(rf"^\W*(?:{_PHRASES})\b\W*$", re.IGNORECASE)  # the phrase alone
_FURNITURE = re.compile("|".join(p.pattern for p in FURNITURE), re.IGNORECASE)


def pointer_rules(text: str) -> list[str]:
    """The names of the pointer rules `text` matches as a block (for tests and benchmarks)."""
    if len(text) >= POINTER_MAX or not _POINTER.match(text):
        return []
    return [p.name for p in POINTERS if _whole(p).match(text)]


def furniture_rules(text: str) -> list[str]:
    """The names of the furniture rules `text` matches (for tests and benchmarks)."""
    if len(text) >= SHORT or not _FURNITURE.search(text):
        return []
    return [p.name for p in FURNITURE if re.search(p.pattern, text, re.IGNORECASE)]


def _whole(phrase: Phrase) -> re.Pattern[str]:
    return re.compile(r"^\W*(?:" + phrase.pattern + r")\b\W*(?:$|[:：])", re.IGNORECASE)


def block_text(element: _Element) -> str:
    """The text of an element and its descendants, whitespace folded."""
    parts: list[str] = [part for part in element.itertext() if isinstance(part, str)]
    return " ".join("".join(parts).split())


def drop(element: _Element) -> None:
    """Remove `element`, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def is_pointer(text: str) -> bool:
    """A short block that only points to other stories ("Read more: ...", "相关阅读")."""
    return len(text) < POINTER_MAX and _POINTER.match(text) is not None


def is_furniture(text: str) -> bool:
    """A short block that is page furniture (copyright, share prompts, credits, link footers)."""
    return len(text) < SHORT and _FURNITURE.search(text) is not None


def is_headline(text: str, title: str) -> bool:
    """Whether a block's text is the headline: the title, a part of it ("Headline" of
    "Headline - Site"), or the title with a little more (a kicker, a trailing stop)."""
    block, title = "".join(text.split()).casefold(), "".join(title.split()).casefold()
    if len(block) < 4 or not title:
        return False
    return block in title or (title in block and len(block) <= HEADLINE_SLACK * len(title) + 2)


def clean_body(body: _Element, title: str = "", trace: list[str] | None = None) -> None:
    """Remove pointers, edge furniture and a repeated headline from `body` (in place); the
    rules that fired are appended to `trace` when given (benchmarks/extract.py counts them)."""
    for element in list(body.iter("p", "head", "item")):
        if element.getparent() is None:
            continue
        text = block_text(element)
        if is_pointer(text):
            if trace is not None:
                trace += [f"pointer: {name}" for name in pointer_rules(text)]
            if element.tag != "item" and _SECTION.match(text) and _drop_section(element):
                _note(trace, "section")
            drop(element)
    _trim_edges(body, trace)
    if title and len(body) > 1 and is_headline(block_text(body[0]), title):
        _note(trace, "headline")
        drop(body[0])
        _trim_edges(body, trace)


def _note(trace: list[str] | None, rule: str) -> None:
    if trace is not None:
        trace.append(rule)


def _linked(element: _Element) -> float:
    """The share of an element's text that is link text."""
    total = len(block_text(element))
    linked = sum(len(block_text(ref)) for ref in element.iter("ref"))
    return linked / total if total else 0.0


def _drop_section(heading: _Element) -> int:
    """Drop what a pointer heading heads: the lists and short link blocks after it, up to the
    next heading or the first block of prose. Returns how many blocks went."""
    dropped = 0
    for sibling in list(heading.itersiblings()):
        text = block_text(sibling)
        if sibling.tag == "head" or (
            sibling.tag != "list" and text and (len(text) >= SHORT or _linked(sibling) < 0.5)
        ):
            break
        drop(sibling)
        dropped += 1
    return dropped


def _trim_edges(body: _Element, trace: list[str] | None) -> None:
    """Drop the furniture at each end: the blocks up to the innermost furniture block among
    the first `EDGE_RUN`, when every block between it and the edge is furniture or short."""
    for from_end in (False, True):
        window = list(body)[::-1][:EDGE_RUN] if from_end else list(body)[:EDGE_RUN]
        cut = 0
        for index, element in enumerate(window):
            text = block_text(element)
            if not text:
                continue
            if is_furniture(text):
                cut = index + 1
            elif len(text) >= GAP:
                break
        for element in window[:cut]:
            if trace is not None and (text := block_text(element)):
                trace += [f"furniture: {name}" for name in furniture_rules(text)] or ["edge gap"]
            drop(element)
