"""Leftovers an extractor keeps around a story, removed from its body tree.

Rules, none tied to a site:
- a short block that only points elsewhere ("Read more: ...", "Related", "相关阅读", ...) goes
  wherever it is;
- at the top and the bottom of the story, runs of short blocks that are page furniture go:
  copyright and licence lines, share/follow/subscribe prompts, tags, comment counters, editor
  credits, promotions, link footers, and the source/author/date info line of Chinese news pages;
- a first block that repeats the headline goes (the reading pane shows the title already).

The tree is the extractor's body element (children p, head, list, quote, table, ...).
"""

from __future__ import annotations

import re

from lxml.etree import _Element

SHORT = 300  # characters: longer blocks are never furniture
EDGE_RUN = 6  # blocks looked at from each end
GAP = 60  # characters: a shorter block between furniture and the edge goes with it

_POINTER = re.compile(
    r"^\W*(?:read (?:more|also|next)|see (?:more|also)|also on \S+|also read|more|related"
    r"(?: articles?| stories| posts?| news| content| coverage| reading| roundup)?|don'?t miss"
    r"|recommended(?: for you)?|you (?:may|might) (?:also )?like|further reading|trending"
    r"|相关(?:阅读|新闻|文章|报道|链接|推荐)|延伸阅读|推荐阅读|热点推荐|猜你喜欢|更多(?:新闻|阅读)?"
    r"|相關(?:閱讀|新聞)|延伸閱讀)\b\W*(?:$|[:：])",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"all rights reserved|copyright\s*(?:©|\(c\)|\d{4})|©\s*\d{4}|^©"
    r"|^(?:follow|sign up|subscribe|share|click here|get the latest|like this story|have a tip"
    r"|tags?\b|topics?:|filed under|comments?\b|\d+ comments?|advertisement|sponsored"
    r"|photo(?:graph)?s?:|image(?: source)?:|source:|listen:|download:)"
    r"|\bnewsletters?\b.{0,40}(?:inbox|sign up|subscribe)|(?:sign up|subscribe).{0,40}newsletter"
    r"|non-commercial use|\bclick here\b|^tell us what you think"
    r"|^(?:leave|post|log in to) a? ?comment"
    r"|^\(?(?:additional )?reporting by|\bediting by\b|contributed (?:reporting|to this report)"
    r"|^(?:write|email|reach) (?:to )?.{0,60}@|^(?:an error has occurred|thank you)\W*$"
    r"|^(?:来源|來源|作者|记者|責任編輯|责任编辑|编辑|編輯|审核|校对|发布时间|發布時間|原标题)[:：]"
    r"|版权(?:声明|所有)|版權(?:聲明|所有)|未经(?:授权|许可).{0,6}(?:不得|禁止)转载|禁止转载"
    r"|友情链接|友情鏈接|网站地图|联系我们|关于我们|广告服务|分享到|扫码|扫一扫|关注我们"
    r"|上一篇|下一篇|打印本页|关闭窗口|浏览次数|点击数|阅读数|icp备|^【?(?:推广|广告|廣告)",
    re.IGNORECASE,
)


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
    return len(text) < 200 and _POINTER.match(text) is not None


def is_furniture(text: str) -> bool:
    """A short block that is page furniture (copyright, share prompts, credits, link footers)."""
    return len(text) < SHORT and _FURNITURE.search(text) is not None


def _same(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return len(a) >= 8 and len(a) < SHORT and (a in b or b in a)


def clean_body(body: _Element, title: str = "") -> None:
    """Remove pointers, edge furniture and a repeated headline from `body` (in place)."""
    for element in list(body.iter("p", "head", "item")):
        if element.getparent() is not None and is_pointer(block_text(element)):
            drop(element)
    _trim_edges(body)
    if title and len(body) and _same(block_text(body[0]), " ".join(title.split())):
        drop(body[0])
        _trim_edges(body)


def _trim_edges(body: _Element) -> None:
    """Drop the furniture at each end: the blocks up to the innermost furniture block among
    the first `EDGE_RUN`, when every block between it and the edge is furniture or short."""
    for from_end in (False, True):
        window = list(body)[::-1][:EDGE_RUN] if from_end else list(body)[:EDGE_RUN]
        cut = 0
        for index, element in enumerate(window):
            text = block_text(element)
            if not text or is_furniture(text):
                cut = index + 1
            elif len(text) >= GAP:
                break
        for element in window[:cut]:
            drop(element)
