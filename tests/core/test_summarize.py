"""Summaries: sentences come from the story, in its order, 3 to 5 of them; a feed's real summary
or a labelled lead line wins; an external command when configured, with a fallback."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from reader.articles.article import Article, to_stored
from reader.articles.extract import extract_page
from reader.articles.sentences import split_sentences, terms
from reader.articles.summarize import (
    Summary,
    builtin_summary,
    extractive,
    is_real_summary,
    summarize,
    summarize_text,
)
from reader.config import SummaryConfig
from reader.models import Item

PAGES = Path(__file__).parent.parent / "data" / "articles"

EN = """Harbor city opens its first floating solar farm.

The harbor city switched on its first floating solar farm on Thursday. Twelve thousand panels cover a disused reservoir and will supply power to roughly four thousand homes.

The project cost 18 million dollars and took two years to complete. Engineers said the water keeps the solar panels cool, which raises their output on hot days. Dr. Helen Park of the U.S. Department of Energy visited the site.

Land near the coast is expensive. The reservoir stopped supplying drinking water in 2019! Nobody else wanted it?

Residents were consulted over eighteen months. Some worried about glare from the solar panels. A row of trees now screens the site.

The council plans a second floating solar farm on the old quarry lake by 2029. It will be twice the size of the first farm.

Photos: Coastline Daily"""

ZH = (
    "咸宁市日前被命名为全国禁毒示范城市。这座国家园林城市楠竹青青，茶香郁郁。"
    "近年来，全市公安机关推行全地域、全警种缉毒；专案组成功斩断一条跨境贩运通道！"
    "社区戒毒康复执行率已达百分之百，复吸率逐年下降。禁毒宣传走进学校、社区和乡村。"
    "全市开展禁毒宣传活动一千六百余场，青少年禁毒知识知晓率达到百分之九十八。"
    "傍晚，市民在树阴下下棋、听戏。一位老人说：“这几年街坊邻里越来越安心了。”"
    "市禁毒办表示，明年将继续推进禁毒示范城市建设，巩固禁毒工作成果。"
)


def in_order(sentences: tuple[str, ...], text: str) -> bool:
    positions = [text.find(s) for s in sentences]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_english_sentences_split_on_stops_but_not_abbreviations() -> None:
    sentences = split_sentences(EN)
    assert "Dr. Helen Park of the U.S. Department of Energy visited the site." in sentences
    assert "The reservoir stopped supplying drinking water in 2019!" in sentences
    assert "Nobody else wanted it?" in sentences
    assert all(s in EN for s in sentences)


def test_chinese_sentences_split_on_full_width_stops() -> None:
    sentences = split_sentences(ZH)
    assert sentences[:2] == [
        "咸宁市日前被命名为全国禁毒示范城市。",
        "这座国家园林城市楠竹青青，茶香郁郁。",
    ]
    assert "近年来，全市公安机关推行全地域、全警种缉毒；" in sentences  # ；too
    assert "专案组成功斩断一条跨境贩运通道！" in sentences
    assert "一位老人说：“这几年街坊邻里越来越安心了。”" in sentences  # the quote stays whole
    assert "".join(sentences) == ZH


def test_terms_are_bigrams_for_chinese_and_words_otherwise() -> None:
    assert terms("禁毒示范") == ["禁毒", "毒示", "示范"]
    assert terms("The solar panels and the city") == ["solar", "panels", "city"]
    assert terms("咸宁 solar 城") == ["咸宁", "城", "solar"]


@pytest.mark.parametrize("text", [EN, ZH])
def test_extractive_summary_is_sentences_of_the_text_in_order(text: str) -> None:
    summary = builtin_summary(text, title="floating solar farm 禁毒示范城市")
    assert summary.source == "extract"
    assert 3 <= len(summary.sentences) <= 5
    assert in_order(summary.sentences, text)
    assert builtin_summary(text, title="floating solar farm 禁毒示范城市") == summary


def test_extractive_prefers_the_lead_and_the_recurring_theme() -> None:
    picked = extractive(EN, "Harbor city opens its first floating solar farm")
    assert "Harbor city opens its first floating solar farm." not in picked  # the headline
    assert picked[0].startswith("The harbor city switched on its first floating solar farm")
    assert any("second floating solar farm" in s for s in picked)
    assert not any(s.startswith("Photos:") for s in picked)  # page furniture is not a sentence


def test_short_texts_and_counts() -> None:
    assert extractive("One sentence only.") == ("One sentence only.",)
    assert extractive("") == ()

    def word(n: int) -> str:
        return "".join(chr(97 + n // 26**k % 26) for k in range(3))

    long = " ".join(
        f"The {word(4 * i)} and the {word(4 * i + 1)} met the {word(4 * i + 2)} near the "
        f"{word(4 * i + 3)} harbor."
        for i in range(60)
    )
    assert len(extractive(long)) == 5
    assert len(extractive(long, count=2)) == 2
    same = " ".join(f"Sentence number {i} talks about topic {i % 3} at length." for i in range(60))
    assert extractive(same) == ("Sentence number 0 talks about topic 0 at length.",)  # repeats


def test_labelled_lead_line_wins() -> None:
    story = "摘要：咸宁市严厉禁毒，温情戒毒，全民拒毒，成功创建全国禁毒示范城市。\n\n" + ZH
    summary = builtin_summary(story)
    assert summary == Summary(
        ("咸宁市严厉禁毒，温情戒毒，全民拒毒，成功创建全国禁毒示范城市。",), "lead"
    )
    en = builtin_summary("Summary: The farm powers four thousand homes.\n\n" + EN)
    assert en.source == "lead" and en.sentences == ("The farm powers four thousand homes.",)
    # a feed summary carrying the label counts too (the demo feed's 摘要 description)
    assert (
        builtin_summary(ZH, feed_summary="【摘要】：全市禁毒工作成效明显，群众满意度高。").source
        == "lead"
    )


def test_feed_summary_used_only_when_real() -> None:
    real = "A disused reservoir now carries a solar farm that powers four thousand homes."
    assert is_real_summary(real, EN)
    assert builtin_summary(EN, feed_summary=real) == Summary((real,), "feed")
    teaser = "Harbor city opens its first floating solar farm. The harbor city switched on…"
    cut = "The harbor city switched on its first floating solar farm on Thursday. Twelve"
    for summary in (teaser, cut, "Solar", EN):
        assert not is_real_summary(summary, EN), summary
        assert builtin_summary(EN, feed_summary=summary).source == "extract"
    assert builtin_summary("", feed_summary=real).source == "feed"  # nothing else to go on


def test_five_thousand_characters_summarise_quickly() -> None:
    story = (ZH * 30)[:5000]
    started = time.perf_counter()
    summary = builtin_summary(story)
    elapsed = time.perf_counter() - started
    assert 3 <= len(summary.sentences) <= 5 and in_order(summary.sentences, story)
    assert elapsed < 0.2  # the target is 20 ms (benchmarks/summary.py); this only catches blowups


def item(**kw: object) -> Item:
    base = dict(
        id=1, feed_id=1, feed_title="F", key="k", title="咸宁：严厉禁毒 温情戒毒 全民拒毒",
        link="https://news.example.cn/1.html", author="", published=0, updated=None,
        summary="<p>咸宁市被命名为全国禁毒示范城市。</p>", content=f"<p>{ZH}</p>",
        content_type="html", full_text="", read=False, bookmarked=False, first_seen=0,
    )  # fmt: skip
    base.update(kw)
    return Item(**base)  # type: ignore[arg-type]


def test_summarize_an_item_uses_its_full_text() -> None:
    plain = summarize(item(summary=f"<p>{ZH[:30]}…</p>"))  # a teaser: not a summary
    assert plain.source == "extract" and in_order(plain.sentences, ZH)
    # the feed's description is a sentence of the story (without its 日前): no summary of it
    assert summarize(item()).source == "extract"
    real = "<p>咸宁以严打、戒治和宣传三管齐下，成为全国禁毒示范城市，社区戒毒康复成效明显。</p>"
    assert summarize(item(summary=real)).source == "feed"
    article = extract_page((PAGES / "xianning_gbk.html").read_bytes())
    assert isinstance(article, Article)
    full = summarize(item(full_text=to_stored(article)))
    assert full.source == "lead"
    assert full.sentences == (
        "咸宁市严厉禁毒，温情戒毒，全民拒毒，工作举措实，群众共识高，成功创建全国禁毒示范城市。",
    )


def command(code: str) -> SummaryConfig:
    return SummaryConfig(command=(sys.executable, "-c", code), timeout=5.0)


def test_external_command_gets_the_story_on_stdin() -> None:
    echo = command("import sys; t = sys.stdin.read(); print('LLM: ' + str(len(t)))")
    summary = summarize_text("abc 咸宁", config=echo)
    assert summary == Summary((f"LLM: {len('abc 咸宁')}",), "command")


def test_external_command_output_is_sanitised() -> None:
    nasty = command(r"print('ok \x1b[31mred\x1b]0;title\x07 \u202eevil')")
    assert summarize_text("x", config=nasty).sentences == ("ok red evil",)


@pytest.mark.parametrize(
    ("code", "note"),
    [
        ("import sys; sys.exit(3)", "exit 3"),
        ("pass", "exit 0"),
        ("import time; time.sleep(5)", "timed out"),
    ],
)
def test_failing_command_falls_back_with_a_note(code: str, note: str) -> None:
    config = SummaryConfig(command=(sys.executable, "-c", code), timeout=0.5)
    summary = summarize_text(EN, config=config)
    assert summary.source == "extract" and 3 <= len(summary.sentences) <= 5
    assert note in summary.note


def test_missing_command_falls_back() -> None:
    config = SummaryConfig(command=("/nonexistent/summariser",), timeout=1.0)
    summary = summarize_text(EN, config=config)
    assert summary.source == "extract" and "summary command failed" in summary.note


def test_summary_text_joins_cjk_without_spaces() -> None:
    assert Summary(("甲。", "乙。"), "extract").text == "甲。乙。"
    assert Summary(("One.", "Two."), "extract").text == "One. Two."


def test_digest_groups_unread_stories_by_feed(tmp_path: Path) -> None:
    from reader.digest import digest, start_of_today
    from reader.models import ItemQuery, ParsedFeed, ParsedItem
    from reader.store.db import Store

    now = 1_800_000_000
    with Store.open(tmp_path / "t.db") as store:
        zh, _ = store.add_feed("https://example.cn/zh.xml", tags=["news"])
        en, _ = store.add_feed("https://example.org/en.xml")
        zh_items = (
            ParsedItem("z1", "禁毒", "", "", now - 10, None, "", f"<p>{ZH}</p>"),
            ParsedItem("z2", "旧闻", "", "", now - 5 * 86_400, None, "", f"<p>{ZH}</p>"),
        )
        store.store_parsed(zh.id, ParsedFeed("咸宁新闻网", "", zh_items, "rss20"), now=now)
        en_items = tuple(
            ParsedItem(f"e{n}", f"solar {n}", "", "", now - 20 - n, None, "", f"<p>{EN}</p>")
            for n in range(3)
        )
        store.store_parsed(en.id, ParsedFeed("Coastline", "", en_items, "rss20"), now=now)
        store.set_read([h.id for h in store.headlines() if h.title == "solar 1"])
        groups = digest(store, since=now - 86_400)
        assert [(g.feed_title, [e.headline.title for e in g.entries]) for g in groups] == [
            ("咸宁新闻网", ["禁毒"]),
            ("Coastline", ["solar 0", "solar 2"]),
        ]
        assert all(3 <= len(e.summary.sentences) <= 5 for g in groups for e in g.entries)
        tagged = digest(store, ItemQuery(tag="news"))
        assert [[e.headline.title for e in g.entries] for g in tagged] == [["禁毒", "旧闻"]]
    assert start_of_today(now) <= now < start_of_today(now) + 86_400 + 3600
