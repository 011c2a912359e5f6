"""Full-text extraction on stored pages: the story kept with its structure, the page around it
dropped; Chinese (UTF-8 and GBK) and English; the stored form and how an item shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.articles.article import (
    Article,
    document_text,
    from_stored,
    is_stored_article,
    story_document,
    to_stored,
)
from reader.articles.blocks import Heading, ListBlock, Paragraph, Quote, Table
from reader.articles.extract import article_text, extract, extract_page
from reader.articles.render import html_to_blocks
from reader.models import Item

PAGES = Path(__file__).parent.parent / "data" / "articles"
ZH_URL = "https://news.example.cn/local/2026/11/jindu.html"
EN_URL = "https://coastline.example/news/solar.html"

ZH_STORY = (
    "国家禁毒委员会日前召开全国禁毒工作电视电话会议，咸宁市被命名为全国禁毒示范城市。",
    "专案组经过缜密侦查，成功斩断一条跨境贩运通道，抓获犯罪嫌疑人二十三名。",
    "戒毒康复",
    "污水检测技术能够推算污水来源区域内的人均消费量，为精准打击提供依据。",
    "市禁毒办负责人王喆说",  # 喆 is in GBK but not in GB2312
    "全民拒毒",
    "傍晚，温泉河畔的市民在树阴下下棋、听戏，欢声笑语不断。",
)
ZH_BOILERPLATE = (
    "交易所", "推广", "广告", "首页", "登录", "当前位置", "浏览次数", "分享到", "责任编辑",
    "上一篇", "相关阅读", "三所中学", "热点推荐", "温泉节", "版权声明", "网站地图", "友情链接",
    "荆楚网", "ICP", "Copyright",
)  # fmt: skip
EN_BOILERPLATE = (
    "cookies", "Subscribe", "Advertisement", "crypto", "Share on", "Read more", "Offshore wind",
    "Tags", "energy, solar", "newsletter", "Related stories", "bus lanes", "Comments", "Log in",
    "About us", "Careers", "Copyright", "All rights reserved", "By Maria Lopez",
)  # fmt: skip


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture(scope="module")
def zh_utf8() -> Article:
    article = extract_page(page("xianning_utf8.html"), "text/html", ZH_URL)
    assert article is not None
    return article


@pytest.fixture(scope="module")
def en() -> Article:
    article = extract_page(page("harbor_en.html"), "text/html; charset=utf-8", EN_URL)
    assert article is not None
    return article


def test_chinese_sample_comes_out_as_the_story_only(zh_utf8: Article) -> None:
    text = zh_utf8.text
    for sentence in ZH_STORY:
        assert sentence in text
    for junk in ZH_BOILERPLATE:
        assert junk not in text, junk
    # the 摘要 line leads the story (the summary view takes it from there); the headline is not
    # repeated in the body, the reading pane shows it above
    assert text.startswith("摘要：咸宁市严厉禁毒")
    assert "咸宁：严厉禁毒 温情戒毒 全民拒毒" not in text
    assert (zh_utf8.title, zh_utf8.author, zh_utf8.date) == (
        "咸宁：严厉禁毒 温情戒毒 全民拒毒",
        "王伟",
        "2026-11-27",
    )
    assert zh_utf8.url == ZH_URL


def test_gbk_page_declared_gb2312_reads_like_the_utf8_one(zh_utf8: Article) -> None:
    gbk = page("xianning_gbk.html")
    assert "王喆".encode("gbk") in gbk and b"gb2312" in gbk
    from_meta = extract_page(gbk, None, ZH_URL)  # charset from <meta http-equiv>
    from_header = extract_page(gbk, "text/html; charset=GBK", ZH_URL)
    assert from_meta == zh_utf8 and from_header == zh_utf8


def test_structure_survives_as_html_the_renderer_reads(zh_utf8: Article) -> None:
    blocks = html_to_blocks(zh_utf8.html).blocks
    kinds = [type(b) for b in blocks]
    assert {Heading, Paragraph, ListBlock, Quote, Table} <= set(kinds)
    assert [b.level for b in blocks if isinstance(b, Heading)] == [3, 3]
    table = next(b for b in blocks if isinstance(b, Table))
    assert [c[0].text for c in table.header[0]] == ["年份", "宣传活动（场）", "覆盖人次（万）"]
    assert [[c[0].text for c in row] for row in table.body] == [
        ["2025", "1520", "76"],
        ["2026", "1630", "82"],
    ]
    assert "class=" not in zh_utf8.html and "<script" not in zh_utf8.html


def test_english_page(en: Article) -> None:
    for junk in EN_BOILERPLATE:
        assert junk not in en.text, junk
    assert en.text.startswith("The harbor city switched on its first floating solar farm")
    assert en.text.rstrip().endswith("if the first one performs as expected.")
    assert (en.title, en.author, en.date) == (
        "Harbor city opens its first floating solar farm",
        "Maria Lopez",
        "2026-11-20",
    )
    doc = html_to_blocks(en.html, EN_URL)
    ordered = next(b for b in doc.blocks if isinstance(b, ListBlock))
    assert ordered.ordered and len(ordered.items) == 3
    assert doc.links == ("https://coastline.example/energy/coop",)  # relative link resolved
    assert "<h2>Why float the panels?</h2>" in en.html


def test_text_is_plain_with_blank_lines_between_blocks(en: Article) -> None:
    assert "\n\nWhy float the panels?\n\n" in en.text
    assert "- Cooler panels produce up to ten percent more electricity." in en.text
    assert "Summer | 2,400" in en.text
    assert "[1]" not in en.text and "http" not in en.text


def test_article_text_is_the_benchmark_entry_point() -> None:
    html = page("harbor_en.html").decode("utf-8")
    assert article_text(html) == extract(html).text  # type: ignore[union-attr]
    assert article_text("<html><body><nav><a href='/'>Home</a></nav></body></html>") == ""
    assert article_text("") == ""


def test_no_article_in_a_page_without_one() -> None:
    assert extract("<html><body><ul><li><a href='/a'>A</a></li></ul></body></html>") is None
    assert extract_page(b"\x00\x01\x02") is None


def test_stored_form_round_trips_and_renders(en: Article) -> None:
    stored = to_stored(en)
    assert is_stored_article(stored) and not is_stored_article("plain old text")
    back = from_stored(stored)
    assert (back.title, back.author, back.date, back.url, back.html) == (
        en.title,
        en.author,
        en.date,
        en.url,
        en.html,
    )
    assert back.text == en.text
    hostile = Article(html="<p>x</p>", text="x", title='a"<b>&', author='"><script>')
    assert from_stored(to_stored(hostile)).title == 'a"<b>&'
    assert from_stored(to_stored(hostile)).author == '"><script>'


def item(**kw: object) -> Item:
    base = dict(
        id=1, feed_id=1, feed_title="F", key="k", title="T", link=EN_URL, author="", published=0,
        updated=None, summary="teaser", content="<p>feed <b>content</b></p>", content_type="html",
        full_text="", read=False, bookmarked=True, first_seen=0,
    )  # fmt: skip
    base.update(kw)
    return Item(**base)  # type: ignore[arg-type]


def test_an_item_shows_its_full_text_when_stored(en: Article) -> None:
    assert document_text(story_document(item())) == "feed content"
    full = item(full_text=to_stored(en))
    assert document_text(story_document(full)) == en.text
    assert document_text(story_document(full, full=False)) == "feed content"
    assert document_text(story_document(item(full_text="older plain\n\ntext"))) == (
        "older plain\n\ntext"
    )
    assert document_text(story_document(item(content="", content_type="text"))) == "teaser"


def test_trafilatura_has_one_home() -> None:
    root = Path(__file__).resolve().parents[2] / "reader"
    users = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "import trafilatura" in p.read_text(encoding="utf-8")
        or "from trafilatura" in p.read_text(encoding="utf-8")
    }
    assert users == {"articles/extract.py"}


def test_full_text_modules_never_load_the_ui_toolkit() -> None:
    import subprocess
    import sys

    modules = ("reader.articles.extract", "reader.articles.summarize", "reader.articles.markdown",
               "reader.fulltext", "reader.digest", "reader.commands.articles")  # fmt: skip
    code = "".join(f"import {m}\n" for m in modules) + (
        "import sys; print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
