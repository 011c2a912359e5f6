"""The cleaning rules of reader.articles.boilerplate, each on its own, in English and Chinese:
what a phrase rule catches and what prose it leaves alone; the structural rules (edges, the
headline, "See also" sections) on small extractor trees."""

from __future__ import annotations

import lxml.etree
import pytest

from reader.articles.boilerplate import (
    FURNITURE,
    POINTERS,
    block_text,
    clean_body,
    furniture_rules,
    is_furniture,
    is_headline,
    is_pointer,
    pointer_rules,
)

# Prose no rule may touch: sentences that merely mention what the rules look for.
PROSE = (
    "The council will share the cost of the bridge with the province.",
    "Readers who follow the trial closely say the ruling came as a surprise.",
    "More than 2,000 people signed the petition in its first week.",
    "She said the related charges were dropped in March.",
    "The photo agency reported record sales of its archive.",
    "市民可以在社区服务中心分享经验，也可以参加志愿者活动。",
    "据了解，相关部门正在调查事故原因，并将公布处理结果。",
    "评论人士认为，这项政策将推动当地经济发展。",
    "编辑部门今年新招聘了二十名年轻记者。",
    "更多的市民开始选择绿色出行。",
)

POINTER_CASES = {
    "read more": (["Read more: Storm closes harbor", "READ ALSO", "阅读全文", "閱讀原文 >>"],
                  ["Read more than forty books a year, she advised.", "阅读全文后再评论。"]),
    "see also": (["See also", "Further reading:", "延伸阅读：", "延伸閱讀"],
                 ["See you at the council meeting, he told reporters.", "延伸阅读范围是关键。"]),
    "related": (["Related stories", "Related: Harbor opens", "相关阅读", "相关新闻：咸宁桂花节开幕",
                 "相關閱讀"],
                ["Related costs rose by a third.", "相关部门正在调查。"]),
    "recommended": (["Recommended for you", "You may also like", "推荐阅读", "猜你喜欢",
                     "更多新闻"],
                    ["Recommended doses were cut in half.", "推荐的方案已经通过审议。"]),
}  # fmt: skip

FURNITURE_CASES = {
    "copyright": (["© 2026 Coastline Daily. All rights reserved.", "Copyright 2026 AP",
                   "版权所有：咸宁新闻网", "未经授权不得转载", "版權聲明：本網站所有內容"],
                  ["The copyright dispute reached the supreme court.", "版权保护意识逐年提高。"]),
    "share": (["Share this story", "Follow us on social media", "分享到：微信 微博",
               "扫码关注我们"],
              ["Shares of the company fell 3 percent.", "市民分享了他们的经历。"]),
    "subscribe": (["Sign up for our newsletter", "Subscribe to the Morning newsletter", "点击订阅",
                   "扫码订阅本报微信公众号", "订阅我们的新闻简报", "期刊订阅电话：400-081-2017", "加入訂閱"],
                  ["Subscribers to the service rose sharply.", "订阅用户数量持续增长。",
                   "报刊订阅工作已经全面展开。"]),
    "tags": (["Tags: energy, solar", "Topics: transport", "标签：禁毒 咸宁", "关键词：桂花节"],
             ["Tagged birds were tracked for a year.", "标签管理办法正式实施。"]),
    "comments": (["Comments", "12 comments", "Leave a comment", "发表评论", "网友评论"],
                 ["Commentators were divided.", "评论人士认为这项政策有效。"]),
    "advert": (["Advertisement", "Sponsored", "【推广】香城数字交易所", "广告：点击立即开户"],
               ["Advertisers spent less this year.", "推广新技术是今年的重点工作。"]),
    "credit": (["Photo: Maria Lopez", "Reporting by Ana Ruiz; Editing by Tom Hale",
                "Jo Kim contributed reporting.", "来源：咸宁日报", "责任编辑：李明", "记者：王伟"],
               ["Sources said the deal was close.", "来源不明的资金已被冻结。"]),
    "site links": (["网站地图 | 联系我们 | 关于我们", "上一篇：桂花节开幕", "友情链接：湖北日报",
                    "Contact us | About us | Sitemap", "Privacy Policy · Terms of Use", "Back to top"],
                   ["The site links the two harbors.", "两地之间的交通联系更加紧密。",
                    "Contact us if you saw the crash, police said.", "Next steps for the harbor."]),
}  # fmt: skip


def test_every_rule_has_cases_in_both_languages() -> None:
    assert set(POINTER_CASES) == {p.name for p in POINTERS}
    assert set(FURNITURE_CASES) == {p.name for p in FURNITURE}
    for cases in (POINTER_CASES, FURNITURE_CASES):
        for caught, spared in cases.values():
            for examples in (caught, spared):
                assert any(e.isascii() for e in examples), examples
                assert any(not e.isascii() for e in examples), examples


RULES = [("pointer", name, cases) for name, cases in POINTER_CASES.items()] + [
    ("furniture", name, cases) for name, cases in FURNITURE_CASES.items()
]


@pytest.mark.parametrize(("kind", "name", "cases"), RULES, ids=[f"{k}:{n}" for k, n, _ in RULES])
def test_phrase_rule(kind: str, name: str, cases: tuple[list[str], list[str]]) -> None:
    """Each rule catches its examples (and says so by name) and spares its near misses."""
    rules, test = (
        (pointer_rules, is_pointer) if kind == "pointer" else (furniture_rules, is_furniture)
    )
    caught, spared = cases
    for text in caught:
        assert test(text) and name in rules(text), text
    for text in spared:
        assert name not in rules(text), text


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_never_a_pointer_nor_furniture(text: str) -> None:
    assert not is_pointer(text) and not is_furniture(text)
    assert pointer_rules(text) == furniture_rules(text) == []


def test_long_blocks_are_never_pointers_or_furniture() -> None:
    assert not is_pointer("Related: " + "word " * 60)
    assert not is_furniture("All rights reserved. " + "The story goes on. " * 20)


def body(*blocks: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(f"<body>{''.join(blocks)}</body>")


def texts(tree: lxml.etree._Element) -> list[str]:
    return [block_text(child) for child in tree]


LONG = "The council approved the plan after a long debate about costs and benefits."
LONG_ZH = "市议会经过长时间讨论，批准了这项计划，并决定明年开始实施。"


def test_furniture_goes_at_the_edges_with_the_short_blocks_beside_it() -> None:
    tree = body("<p>Menu</p>", "<p>Share this story</p>", "<p>Menu</p>", f"<p>{LONG}</p>",
                f"<p>{LONG_ZH}</p>", "<p>版权所有：咸宁新闻网</p>")  # fmt: skip
    clean_body(tree)
    assert texts(tree) == ["Menu", LONG, LONG_ZH]  # up to the innermost furniture block


def test_furniture_inside_the_story_stays() -> None:
    middle = [f"<p>{LONG} {n}</p>" for n in range(8)]
    tree = body(*middle[:4], "<p>Advertisement</p>", *middle[4:])
    clean_body(tree)
    assert "Advertisement" in texts(tree)


def test_an_image_only_paragraph_is_not_a_cut_point() -> None:
    """An empty block (an image-only paragraph without its image) used to make the short
    blocks before it go, a story's short first paragraph with them."""
    for short in ("Hello from the harbor!", "各位好！"):
        tree = body(f"<p>{short}</p>", "<p/>", f"<p>{LONG}</p>", f"<p>{LONG_ZH}</p>")
        clean_body(tree)
        assert texts(tree)[0] == short
        tree = body(f"<p>{LONG}</p>", f"<p>{short}</p>", "<p/>")
        clean_body(tree)
        assert short in texts(tree)


def test_see_also_and_further_reading_take_their_lists_along() -> None:
    links = "<list><item><ref>Harbor</ref></item><item><ref>Bridge</ref></item></list>"
    for heading in ("See also", "Further reading", "相关阅读", "延伸阅读："):
        tree = body(f"<p>{LONG}</p>", f"<head>{heading}</head>", links,
                    "<p><ref>More on the harbor</ref></p>", f"<p>{LONG_ZH}</p>")  # fmt: skip
        clean_body(tree)
        assert texts(tree) == [LONG, LONG_ZH], heading


def test_a_section_ends_at_the_next_heading_or_prose() -> None:
    tree = body(f"<p>{LONG}</p>", "<head>See also</head>", "<list><item>A</item></list>",
                "<head>Background</head>", "<list><item>Kept</item></list>")  # fmt: skip
    clean_body(tree)
    assert texts(tree) == [LONG, "Background", "Kept"]
    tree = body("<head>Related</head>", f"<p>{LONG}</p>")
    clean_body(tree)
    assert texts(tree) == [LONG]  # the heading goes, the prose after it stays


def test_a_pointer_with_its_link_goes_alone() -> None:
    tree = body(f"<p>{LONG}</p>", "<p>Read more: <ref>Storm closes harbor</ref></p>",
                "<list><item>Kept item</item></list>", f"<p>{LONG_ZH}</p>")  # fmt: skip
    clean_body(tree)
    assert texts(tree) == [LONG, "Kept item", LONG_ZH]


@pytest.mark.parametrize(
    ("block", "title", "same"),
    [
        ("Harbor opens solar farm", "Harbor opens solar farm", True),
        ("Harbor opens solar farm", "Harbor opens solar farm | Coastline Daily", True),
        ("Harbor opens solar farm.", "Harbor opens solar farm", True),
        ("咸宁：严厉禁毒 温情戒毒", "咸宁：严厉禁毒 温情戒毒 全民拒毒", True),
        # a standfirst that contains the headline and goes on is the story's first paragraph
        ("Harbor opens solar farm: twelve thousand panels now float on the old reservoir.",
         "Harbor opens solar farm", False),
        ("咸宁：严厉禁毒 温情戒毒 全民拒毒。全市公安机关推行全地域缉毒。",
         "咸宁：严厉禁毒 温情戒毒 全民拒毒", False),
        ("Harbor", "Harbor opens solar farm", True),
        ("Sun", "Sun", False),  # too short to tell
    ],
)  # fmt: skip
def test_headline(block: str, title: str, same: bool) -> None:
    assert is_headline(block, title) is same


def test_the_headline_goes_but_not_a_standfirst_nor_the_only_block() -> None:
    title = "Lorem ipsum"
    only = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
    tree = body(f"<p>{only}</p>")
    clean_body(tree, title)
    assert texts(tree) == [only]
    tree = body(f"<head>{title}</head>", f"<p>{only}</p>")
    clean_body(tree, title)
    assert texts(tree) == [only]
    tree = body(f"<head>{title}</head>")
    clean_body(tree, title)
    assert texts(tree) == [title]  # a story's only block is never taken for its headline
