"""Summary choice and repeats on real-length stories (tests/data/summaries, English and
Chinese, tuning and held-out): a feed description that is a caption, a teaser or one of the
story's sentences is no summary; the summary then says what the story is about; no summary
holds a sentence twice. Also the seed-like Xianning story of the demo feed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.articles.blocks import Image, Paragraph, Span
from reader.articles.render import html_to_blocks
from reader.articles.sentences import distinct, folded, is_caption, near_duplicate, pairs
from reader.articles.summarize import (
    Summary,
    builtin_summary,
    image_texts,
    is_real_summary,
    summarize,
)
from reader.models import Item

STORIES = Path(__file__).parent.parent / "data" / "summaries"
DEMO = Path(__file__).parents[2] / "reader" / "demo" / "xianning-news.xml"


@dataclass(frozen=True)
class Story:
    name: str
    title: str
    split: str
    main: str
    caption: str
    real: str
    teaser: str
    one: str
    text: str

    def without_caption(self) -> str:
        return "\n\n".join(p for p in self.text.split("\n\n") if p.strip() != self.caption)


def load(path: Path) -> Story:
    head, _, text = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines() if line.strip())
    return Story(path.stem, text=text.strip(), **meta)


ALL = [load(p) for p in sorted(STORIES.glob("*.txt"))]
IDS = [f"{s.split}-{s.name}" for s in ALL]


def assert_no_repeats(summary: Summary) -> None:
    bags = [pairs(s) for s in summary.sentences]
    for i, bag in enumerate(bags):
        for j in range(i):
            assert not near_duplicate(bag, bags[j]), (summary.sentences[i], summary.sentences[j])
    assert len({folded(s) for s in summary.sentences}) == len(summary.sentences)


def assert_about_the_story(summary: Summary, story: Story) -> None:
    assert summary.source == "extract"
    assert any(folded(story.main) in folded(s) for s in summary.sentences), summary
    assert not any(folded(story.caption)[:16] in folded(s) for s in summary.sentences)
    assert_no_repeats(summary)


def test_the_stories_are_real_length_in_both_languages() -> None:
    assert {s.split for s in ALL} == {"tune", "held"}
    for language in ("en", "zh"):
        ours = [s for s in ALL if s.name.startswith(language)]
        assert len(ours) >= 5 and {s.split for s in ours} == {"tune", "held"}
        assert all(len(s.text) >= 500 and s.text.count("\n\n") >= 7 for s in ours)


@pytest.mark.parametrize("story", ALL, ids=IDS)
def test_without_a_description_the_summary_is_the_main_news(story: Story) -> None:
    assert_about_the_story(builtin_summary(story.text, title=story.title), story)


@pytest.mark.parametrize("story", ALL, ids=IDS)
@pytest.mark.parametrize("kind", ["caption", "teaser", "teaser…", "one", "one edited"])
def test_a_description_that_is_not_a_summary_is_passed_over(story: Story, kind: str) -> None:
    description = {
        "caption": story.caption,
        "teaser": story.teaser,
        "teaser…": story.teaser + "…",
        "one": story.one,
        "one edited": story.one.replace("，", "、", 1).replace(" the ", " a ", 1),
    }[kind]
    for text in (story.text, story.without_caption()):
        summary = builtin_summary(text, title=story.title, feed_summary=description)
        assert_about_the_story(summary, story)


@pytest.mark.parametrize("story", ALL, ids=IDS)
def test_a_real_summary_is_kept(story: Story) -> None:
    for text in (story.text, story.without_caption()):
        summary = builtin_summary(text, title=story.title, feed_summary=story.real)
        assert summary == Summary((story.real,), "feed")


def test_a_caption_given_as_an_images_text_is_no_summary() -> None:
    story = next(s for s in ALL if s.name == "zh_jindu")
    caption = "温泉河畔的市民在树阴下下棋、听戏，享受咸宁禁毒示范城市的安宁生活"  # no caption form
    assert is_real_summary(caption, story.without_caption())
    assert not is_real_summary(caption, story.without_caption(), captions=[caption])
    assert not is_real_summary(caption, story.without_caption(), captions=[caption[:20]])
    assert is_real_summary(story.real, story.text, captions=["咸宁", caption])  # not a caption


@pytest.mark.parametrize(
    "text",
    ["Photo: The ferry at the pier.", "Pictured: children in the reading room",
     "图为禁毒宣传活动现场。（记者 张明 摄）", "救援人员转移被困群众（新华社发）",
     "Workers on the site (Photo: Lee Chan)", "The empty mill. Photo by Lee Chan",
     "图：赤壁羊楼洞茶园"],
)  # fmt: skip
def test_captions_by_their_form(text: str) -> None:
    assert is_caption(text)


@pytest.mark.parametrize(
    "text",
    ["Photographers gathered outside the court on Monday.", "The image of the city has changed.",
     "图书馆明年将延长开放时间。", "市民可以拍摄照片参加比赛。"],
)  # fmt: skip
def test_prose_is_no_caption(text: str) -> None:
    assert not is_caption(text)


def test_repeats_are_dropped_wherever_they_come_from() -> None:
    quote = '"We have waited a long time for this," said Mara Keel.'
    again = '"We have waited a long time for this," Keel said again after the vote.'
    assert distinct([quote, again, quote.upper()]) == [quote]
    zh = "“戒毒不是终点，回归社会才是。”市禁毒办负责人王喆说。"
    assert distinct([zh, "“戒毒不是终点，回归社会才是。”王喆在会上再次强调。"]) == [zh]
    lead = builtin_summary("Summary: A ferry for Gull Island. A ferry for Gull Island.\n\nStory.")
    assert lead == Summary(("A ferry for Gull Island.",), "lead")
    feed = "The harbor gets a ferry at last, paid by a levy. The harbor gets a ferry at last."
    found = builtin_summary("", feed_summary=feed)  # no story text: the feed's summary, once
    assert found == Summary(("The harbor gets a ferry at last, paid by a levy.",), "feed")


def test_image_texts_are_alts_and_the_captions_after_them() -> None:
    doc = html_to_blocks(
        "<p>Intro.</p><p><img src='https://x/a.jpg' alt='Ferry at dusk'></p>"
        "<p>The ferry at dusk, by Ana.</p><p>Story goes on.</p>"
    )
    assert image_texts(doc) == ["Ferry at dusk", "The ferry at dusk, by Ana."]
    assert image_texts(type(doc)((Image(""), Paragraph((Span("x"),))))) == ["x"]


def demo_item(description: str, *, without_lead: bool = False) -> Item:
    from reader.feeds.parse import parse_feed

    parsed = next(i for i in parse_feed(DEMO.read_bytes()).items if "禁毒" in i.title)
    content = parsed.content
    if without_lead:
        content = re.sub(r"<p><strong>摘要：</strong>[^<]*</p>", "", content)
    return Item(1, 1, "咸宁新闻网", parsed.key, parsed.title, parsed.link, parsed.author, 0, None,
                description, content, parsed.content_type, "", False, False, 0)  # fmt: skip


def test_the_seed_like_story_comes_out_as_its_main_news() -> None:
    """The demo's Xianning story: exchange promos, an info line, a 摘要 line, a photo, a
    copyright and link footer. Its summary is its main news, not its photo's caption."""
    lead = "摘要：咸宁市严厉禁毒，温情戒毒，全民拒毒，工作举措实，群众共识高，成功创建全国禁毒示范城市。"
    for description in (f"<p>{lead}</p>", "", "禁毒宣传活动现场",
                        "<p>图为禁毒宣传活动现场。（记者 张明 摄）</p>"):  # fmt: skip
        summary = summarize(demo_item(description))
        assert summary.source == "lead" and "成功创建全国禁毒示范城市" in summary.text
    for description in ("", "禁毒宣传活动现场", "<p>图为禁毒宣传活动现场。（记者 张明 摄）</p>",
                        "<p>禁毒宣传活动现场，市民踊跃参与</p>"):  # fmt: skip
        item = demo_item(description, without_lead=True)
        summary = summarize(item)
        assert summary.source == "extract", description
        assert "国家禁毒委员会日前召开全国禁毒工作电视电话会议" in summary.sentences[0]
        assert not any(
            w in summary.text for w in ("宣传活动现场", "推广", "交易所", "版权", "编辑")
        )
        assert_no_repeats(summary)
