"""HTML and plain text -> neutral blocks, and blocks -> terminal text (reader.articles.render)."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from reader.articles import builder
from reader.articles.blocks import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    cell_width,
    clusters,
    marked,
    wrap,
)
from reader.articles.render import html_to_blocks, text_to_blocks, to_text

HTML = Path(__file__).parent.parent / "data" / "html"
BASE = "https://news.example.cn/2024/06/26/story.html"
ZH = (
    "国家禁毒委员会召开全国禁毒工作电视电话会议。会议强调，要深入贯彻落实习近平总书记关于禁毒"
    "工作的重要指示精神，坚持以人民为中心，统筹发展和安全，持续深化禁毒人民战争，推动新时代禁毒"
    "工作高质量发展。"
)


def p(*spans: Span | str) -> Paragraph:
    return Paragraph(tuple(Span(s) if isinstance(s, str) else s for s in spans))


def blocks(html: str, base: str = "") -> tuple[Block, ...]:
    return html_to_blocks(html, base).blocks


def columns(line: str) -> int:
    """Width by east-asian width, independently of the module under test."""
    wide = ("W", "F")
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in wide else 1
        for c in line
    )


def nesting(block: Block) -> int:
    """How many Quote levels are stacked in `block` (iteratively)."""
    depth = 0
    while isinstance(block, Quote):
        depth += 1
        block = block.blocks[0]
    return depth


# --- structure ---------------------------------------------------------------------------------


def test_paragraph_whitespace_collapses_like_a_browser() -> None:
    doc = html_to_blocks("<p>  Hello \n\t  <b>bold</b>\n and   <i>it</i> .  </p>")
    assert doc == Document(
        (p("Hello ", Span("bold", bold=True), " and ", Span("it", italic=True), " ."),), ()
    )


def test_inline_styles_map_to_flags() -> None:
    html = "<p><strong>b</strong><em>i</em><code>c</code><del>s</del><b><i>bi</i></b></p>"
    assert blocks(html) == (
        p(
            Span("b", bold=True),
            Span("i", italic=True),
            Span("c", code=True),
            Span("s", strike=True),
            Span("bi", bold=True, italic=True),
        ),
    )


def test_loose_inline_text_is_wrapped_into_paragraphs() -> None:
    html = "loose <em>text</em><p>para</p>tail <b>end</b><div>div</div>"
    assert blocks(html) == (
        p("loose ", Span("text", italic=True)),
        p("para"),
        p("tail ", Span("end", bold=True)),
        p("div"),
    )


def test_br_is_a_line_break_inside_the_paragraph() -> None:
    doc = html_to_blocks("<p>one  <br> two<br/><br>three</p>")
    assert doc.blocks == (p("one\ntwo\n\nthree"),)
    assert to_text(doc) == "one\ntwo\n\nthree"


def test_headings_keep_their_level() -> None:
    html = "<h1> Big\n title </h1><h2>Sub</h2><h3>Third <i>it</i></h3><h6>Six</h6>"
    doc = html_to_blocks(html)
    assert doc.blocks == (
        Heading(1, (Span("Big title"),)),
        Heading(2, (Span("Sub"),)),
        Heading(3, (Span("Third "), Span("it", italic=True))),
        Heading(6, (Span("Six"),)),
    )
    assert to_text(doc) == "Big title\n=========\n\nSub\n---\n\n### Third it\n\n###### Six"


def test_empty_blocks_are_dropped() -> None:
    assert blocks("<p> </p><h2>\n</h2><ul><li> </li></ul><blockquote></blockquote>") == ()
    assert html_to_blocks("") == Document(())
    assert html_to_blocks("  \n ") == Document(())


def test_nested_lists_and_ordered_start() -> None:
    html = """
    <ol start="3">
      <li>three
        <ul><li>inner a</li><li>inner <b>b</b></li></ul>
      </li>
      <li><p>four</p><p>second para</p></li>
    </ol>"""
    doc = html_to_blocks(html)
    inner = ListBlock(False, ((p("inner a"),), (p("inner ", Span("b", bold=True)),)))
    assert doc.blocks == (
        ListBlock(True, ((p("three"), inner), (p("four"), p("second para"))), start=3),
    )
    assert to_text(doc) == "3. three\n   • inner a\n   • inner b\n4. four\n   second para"


def test_unclosed_list_items_and_paragraphs_are_repaired() -> None:
    assert blocks("<ul><li>a<li>b<ol><li>c</ol></ul><p>x<p>y") == (
        ListBlock(False, ((p("a"),), (p("b"), ListBlock(True, ((p("c"),),))))),
        p("x"),
        p("y"),
    )


def test_blocks_inside_list_items() -> None:
    html = "<ul><li><h3>Head</h3><pre>x = 1</pre><blockquote>q</blockquote></li></ul>"
    assert blocks(html) == (
        ListBlock(False, ((Heading(3, (Span("Head"),)), Code("x = 1"), Quote((p("q"),))),)),
    )


def test_quote_with_paragraphs_and_a_list() -> None:
    doc = html_to_blocks("<blockquote><p>said</p><ul><li>one</li></ul>tail</blockquote>")
    assert doc.blocks == (Quote((p("said"), ListBlock(False, ((p("one"),),)), p("tail"))),)
    assert to_text(doc) == "│ said\n│\n│ • one\n│\n│ tail"


def test_code_block_keeps_whitespace_and_language() -> None:
    html = (
        '<pre><code class="hljs language-python">def f():\n    return "&lt;b>"\n\n\tx</code></pre>'
    )
    doc = html_to_blocks(html)
    assert doc.blocks == (Code('def f():\n    return "<b>"\n\n\tx', "python"),)
    assert to_text(doc) == '    def f():\n        return "<b>"\n\n        x'
    assert blocks('<pre class="lang-js">a  b<br>c</pre>') == (Code("a  b\nc", "js"),)


def test_table_with_thead() -> None:
    html = """<table><caption>Seizures</caption>
      <thead><tr><th>Region</th><th>Cases</th></tr></thead>
      <tbody><tr><td>广东</td><td><b>5120</b></td></tr><tr><td>Yunnan</td><td>4870</td></tr>
      </tbody></table>"""
    doc = html_to_blocks(html)
    assert doc.blocks == (
        p("Seizures"),
        Table(
            header=(((Span("Region"),), (Span("Cases"),)),),
            body=(
                ((Span("广东"),), (Span("5120", bold=True),)),
                ((Span("Yunnan"),), (Span("4870"),)),
            ),
        ),
    )
    assert to_text(doc) == ("Seizures\n\nRegion  Cases\n──────  ─────\n广东    5120\nYunnan  4870")


def test_table_header_from_th_row_and_blocks_in_cells_flatten() -> None:
    html = (
        "<table><tr><th>a</th><th>b</th></tr><tr><td><p>x</p><p>y</p></td><td>z</td></tr></table>"
    )
    assert blocks(html) == (
        Table(((((Span("a"),), (Span("b"),))),), (((Span("x y"),), (Span("z"),)),)),
    )


def test_wide_table_wraps_cells_within_width() -> None:
    doc = html_to_blocks(f"<table><tr><td>{ZH}</td><td>{'word ' * 20}</td></tr></table>")
    lines = to_text(doc, 40).split("\n")
    assert len(lines) > 3
    assert all(columns(line) <= 40 for line in lines)


def test_images_block_inline_and_linked() -> None:
    html = """<figure><img src="/img/a.jpg" alt="A cat"><figcaption>Caption</figcaption></figure>
      <p>see <img src="data:image/png;base64,AAAA" alt="chart"> here</p>
      <p><a href="/big.jpg"><img src="/thumb.jpg" alt="thumb"></a></p>
      <img src="/pixel.gif" width="1" height="1"><img src="javascript:x" alt="">"""
    doc = html_to_blocks(html, BASE)
    assert doc.blocks == (
        Image("A cat", "https://news.example.cn/img/a.jpg"),
        p(Span("Caption", italic=True)),
        p("see ", "[image: chart]", " here"),
        p(Span("[image: thumb]", link=1)),
        Image("", ""),
    )
    assert doc.links == ("https://news.example.cn/big.jpg",)
    assert to_text(doc).split("\n\n")[:4] == [
        "[image: A cat]",
        "Caption",
        "see [image: chart] here",
        "[image: thumb][1]",
    ]


def test_hr_is_a_rule() -> None:
    doc = html_to_blocks("<p>a</p><hr><p>b</p>")
    assert doc.blocks == (p("a"), Rule(), p("b"))
    assert to_text(doc, 10) == "a\n\n──────────\n\nb"


def test_definition_lists_and_hidden_elements() -> None:
    assert blocks("<dl><dt>Term</dt><dd>Meaning</dd></dl><p hidden>secret</p>") == (
        p(Span("Term", bold=True)),
        p("Meaning"),
    )


# --- links -------------------------------------------------------------------------------------


def test_links_are_numbered_and_deduplicated() -> None:
    html = """<p><a href="https://a.example/">A</a> and <a href="https://b.example/x">B</a>,
      again <a href="https://a.example/">A <b>bold</b></a>.
      <a href="mailto:desk@example.org">mail</a><a href="https://c.example/"></a></p>"""
    doc = html_to_blocks(html)
    assert doc.links == ("https://a.example/", "https://b.example/x", "mailto:desk@example.org")
    assert doc.blocks == (
        p(
            Span("A", link=1),
            " and ",
            Span("B", link=2),
            ", again ",
            Span("A ", link=1),
            Span("bold", bold=True, link=1),
            ". ",
            Span("mail", link=3),
        ),
    )
    assert to_text(doc) == (
        "A[1] and B[2], again A bold[1]. mail[3]\n\nLinks:\n"
        "[1] https://a.example/\n[2] https://b.example/x\n[3] mailto:desk@example.org"
    )


def test_marked_puts_the_number_after_each_link_run() -> None:
    spans = (Span("a", link=1), Span("b", bold=True, link=1), Span(" "), Span("c", link=2))
    assert marked(spans) == (
        Span("a", link=1),
        Span("b", bold=True, link=1),
        Span("[1]", link=1),
        Span(" "),
        Span("c", link=2),
        Span("[2]", link=2),
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "  JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "-oProxyCommand=calc",
        "--help",
        "ftp://files.example/x",
        "#section",
        "http://[::1",
    ],
)
def test_hostile_links_are_dropped_and_their_text_kept(href: str) -> None:
    doc = html_to_blocks(f'<p>before <a href="{href}">text</a> after</p>', BASE)
    assert doc == Document((p("before text after"),), ())


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("/abs/path", "https://news.example.cn/abs/path"),
        ("rel.html?q=1#frag", "https://news.example.cn/2024/06/26/rel.html?q=1#frag"),
        ("../25/x.html", "https://news.example.cn/2024/06/25/x.html"),
        ("//cdn.example/a b", "https://cdn.example/a%20b"),
        ("HTTPS://Other.example/", "https://Other.example/"),
        (" https://x.example/\n ", "https://x.example/"),
    ],
)
def test_relative_links_are_resolved(href: str, url: str) -> None:
    doc = html_to_blocks(f'<a href="{href}">go</a>', BASE)
    assert doc.links == (url,)
    assert doc.blocks == (p(Span("go", link=1)),)


def test_relative_links_without_a_base_get_no_number() -> None:
    doc = html_to_blocks('<a href="/x">x</a> <a href="https://ok.example/">ok</a>')
    assert doc.links == ("https://ok.example/",)
    assert doc.blocks == (p("x ", Span("ok", link=1)),)


# --- safety ------------------------------------------------------------------------------------


def test_scripts_styles_and_embedded_content_are_dropped() -> None:
    doc = html_to_blocks((HTML / "hostile.html").read_text(encoding="utf-8"), BASE)
    text = to_text(doc)
    for leaked in (
        "alert(",
        "display",
        "iframe text",
        "object text",
        "Log in",
        "user",
        "svg text",
        "template text",
    ):
        assert leaked not in text
    assert doc.links == ("https://ok.example/",)
    assert doc.blocks[2] == p("js js2 js3 data file vbs dash ", Span("ok", link=1))


def test_head_noscript_and_comments_are_dropped() -> None:
    html = """<!DOCTYPE html><html><head><title>T</title><meta name="x" content="y">
      <script>var x = "<p>no</p>";</script></head><body><!-- c --><noscript>ns</noscript>
      <p>body<!-- inside --> text</p></body></html>"""
    assert blocks(html) == (p("body text"),)


def test_markup_looking_text_stays_literal() -> None:
    doc = html_to_blocks((HTML / "hostile.html").read_text(encoding="utf-8"))
    assert doc.blocks[0] == p(
        "Markup stays data: [@click=app.quit]quit[/] and [bold red]loud[/bold red] and "
        "[link=https://evil.example]x[/link]."
    )
    assert blocks("<p>&lt;b&gt;not bold&lt;/b&gt; [bold]x[/bold] :smile:</p>") == (
        p("<b>not bold</b> [bold]x[/bold] :smile:"),
    )


def test_escape_sequences_controls_and_bidi_are_stripped() -> None:
    html = (
        "<p>A\x1b[2J\x1b[31mred\x1b[0m B\x1b]0;title\x07C\x1b]8;;https://e.example\x07link"
        "\x1b]8;;\x07D\x1b]52;c;cHduZWQ=\x07E\x9b31mF\x85G\u202eevil\u202c H\u2066i\u2069"
        "\x7f\x08\x00I</p>"
    )
    doc = html_to_blocks(html)
    assert doc.blocks == (p("Ared BClinkDE31mFGevil HiI"),)
    out = to_text(doc)
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in out)
    assert not set(out) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_escape_sequences_in_attributes_code_and_char_references() -> None:
    html = (
        '<img alt="x\x1b[31my\u202ez" src="/i.png"><pre>a\x1b[1mb\x9bc</pre>'
        "<p>&#x1b;[31mref&#x202e;</p>"
        '<a href="https://e.example/\x1b[31m\u202e">t</a>'
    )
    doc = html_to_blocks(html, BASE)
    assert doc.blocks == (
        Image("xyz", "https://news.example.cn/i.png"),
        Code("abc"),
        p("ref"),
        p(Span("t", link=1)),
    )
    assert doc.links == ("https://e.example/",)


# --- bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("open_tag", "close_tag"),
    [
        ("<div>", "</div>"),
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<b>", "</b>"),
        ("<span><table><tr><td>", "</td></tr></table></span>"),
    ],
)
def test_deep_nesting_is_bounded_and_fast(open_tag: str, close_tag: str) -> None:
    html = open_tag * 10_000 + "deep text" + close_tag * 10_000 + "<p>after</p>"
    started = time.process_time()
    doc = html_to_blocks(html)
    assert time.process_time() - started < 1.0
    text = to_text(doc, 200)
    assert "deep text" in text
    assert text.rstrip().endswith("after")
    assert doc.blocks[-1] == p("after")


def test_too_deep_documents_are_flattened_without_leaking_scripts() -> None:
    inner = "<script>alert(1)</script><style>p{}</style><p>text</p><ul><li>a<li>b</ul><img alt=pic>"
    doc = html_to_blocks("<div>" * 3000 + inner + "</div>" * 3000 + "<p>after</p>")
    assert doc.blocks == (p("text\na\nb\n", "[image: pic]"), p("after"))


def test_deep_quotes_are_flattened_beyond_the_cap() -> None:
    doc = html_to_blocks("<blockquote>" * 500 + "x" + "</blockquote>" * 500)
    assert 1 < nesting(doc.blocks[0]) < builder.MAX_NEST


def test_unclosed_deep_nesting() -> None:
    doc = html_to_blocks("<div><span>" * 20_000 + "end")
    assert doc.blocks == (p("end"),)


def test_a_five_megabyte_article_renders_quickly() -> None:
    paragraph = (
        f"<p>{ZH}<strong>坚持以人民为中心</strong>。详见<a href='/news/{{}}.html'>原文</a>。"
        " Police said the operation covered 31 provinces, the <em>ministry</em> said.</p>\n"
    )
    html = "<article><h1>标题</h1>" + "".join(paragraph.format(i) for i in range(11_000))
    assert len(html.encode()) > 5_000_000
    started = time.process_time()
    doc = html_to_blocks(html, BASE)
    assert time.process_time() - started < 1.0
    assert len(doc.blocks) > 5_000
    assert len(doc.links) <= builder.MAX_LINKS


def test_output_is_bounded() -> None:
    html = "<p>" + "word " * 500_000 + "</p>" + "<p>x</p>" * 10
    doc = html_to_blocks(html)
    assert doc.truncated
    assert doc.blocks[-1] == p(Span(builder.TRUNCATED_NOTE, italic=True))
    kept = sum(len(s.text) for b in doc.blocks if isinstance(b, Paragraph) for s in b.spans)
    assert kept <= builder.MAX_CHARS + 100
    text = text_to_blocks("word " * (builder.MAX_CHARS // 4))
    assert text.truncated
    assert text.blocks[-1] == p(Span(builder.TRUNCATED_NOTE, italic=True))
    many = html_to_blocks("<p>a</p>" * (builder.MAX_BLOCKS + 10))
    assert many.truncated
    assert len(many.blocks) <= builder.MAX_BLOCKS + 1


def test_many_links_are_capped() -> None:
    html = "".join(f'<a href="https://e.example/{i}">l</a> ' for i in range(builder.MAX_LINKS + 5))
    assert len(html_to_blocks(html).links) == builder.MAX_LINKS


# --- Chinese -----------------------------------------------------------------------------------


def test_chinese_news_page() -> None:
    doc = html_to_blocks((HTML / "news_zh.html").read_text(encoding="utf-8"), BASE)
    heading = Heading(1, (Span("全国禁毒工作电视电话会议召开"),))
    start = doc.blocks.index(heading)
    assert doc.blocks[start + 1 : start + 5] == (
        p("2024-06-26 10:30\u3000来源：", Span("新华社", link=4)),
        p(
            Span("摘要：", bold=True),
            "国家禁毒委员会召开全国禁毒工作电视电话会议，部署下一阶段重点工作。",
        ),
        p(
            "\u3000\u3000国家禁毒委员会召开全国禁毒工作电视电话会议。会议强调，要深入贯彻落实习近平总书记"
            "关于禁毒工作的重要指示精神，坚持以人民为中心，统筹发展和安全，持续深化禁毒人民战争。"
        ),
        Image("会议现场", "https://news.example.cn/images/2024/meeting.jpg"),
    )
    assert (
        Table(
            header=(((Span("地区"),), (Span("破案数"),)),),
            body=(((Span("广东"),), (Span("5120"),)), ((Span("云南"),), (Span("4870"),))),
        )
        in doc.blocks
    )
    assert doc.blocks[-2] == ListBlock(
        False,
        (
            (p(Span("云南边境缉毒行动取得新成效", link=6)),),
            (p(Span("“6·26”国际禁毒日宣传活动启动", link=7)),),
        ),
    )
    assert doc.links[4:] == (
        "https://news.example.cn/2024/06/26/report.html",
        "https://news.example.cn/2024/06/25/a.html",
        "https://news.example.cn/2024/06/24/b.html",
        "https://news.example.cn/about/copyright.html",
    )
    text = to_text(doc, 40)
    for leaked in ("tracking", "_hmt", "font-size", "统计", "分享到微博["):
        assert leaked not in text
    assert "全国禁毒工作电视电话会议召开\n============================\n" in text
    assert "地区  破案数\n────  ──────\n广东  5120\n云南  4870" in text
    assert text.endswith("[8] https://news.example.cn/about/copyright.html")
    assert all(columns(line) <= 40 for line in text.split("\n") if "https://" not in line)


def test_line_breaks_between_cjk_characters_vanish() -> None:
    assert blocks("<p>国家禁毒\n委员会 召开\n会议 and\nmore</p>") == (
        p("国家禁毒委员会 召开会议 and more"),
    )


def test_mixed_chinese_and_english_paragraph() -> None:
    doc = html_to_blocks(f"<p>{ZH} The National Narcotics Control Commission met on Monday.</p>")
    lines = to_text(doc, 30).split("\n")
    assert all(columns(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == (
        ZH + "TheNationalNarcoticsControlCommissionmetonMonday."
    )
    assert "Narcotics" in " ".join(lines).split()


# --- text content ------------------------------------------------------------------------------


def test_text_content_is_shown_literally() -> None:
    text = (
        "Hello <b>bold</b> &amp; [bold]x[/]\nsecond line\r\n\n\n  indented\x1b[31m\u202e\n \nlast"
    )
    doc = text_to_blocks(text)
    assert doc == Document(
        (
            p("Hello <b>bold</b> &amp; [bold]x[/]\nsecond line"),
            p("  indented"),
            p("last"),
        ),
        (),
    )
    assert to_text(doc) == "Hello <b>bold</b> &amp; [bold]x[/]\nsecond line\n\n  indented\n\nlast"


def test_text_content_chinese_wraps() -> None:
    doc = text_to_blocks(ZH + "\n\n" + ZH)
    assert doc.blocks == (p(ZH), p(ZH))
    assert all(columns(line) <= 20 for line in to_text(doc, 20).split("\n"))


# --- wrapping ----------------------------------------------------------------------------------


def test_cjk_wraps_at_width_20() -> None:
    lines = wrap(ZH, 20)
    assert "".join(lines) == ZH
    assert all(columns(line) <= 20 for line in lines)
    assert all(columns(line) >= 16 for line in lines[:-1])  # lines are filled
    assert not any(line[0] in "。，、！？；：」』）》" for line in lines)


def test_wrapping_never_starts_a_line_with_closing_punctuation() -> None:
    text = "一二三四五六七八九。十一二三四五六七八，九十"  # "。" would fall at column 19-20
    lines = wrap(text, 18)
    assert lines == ["一二三四五六七八", "九。十一二三四五六", "七八，九十"]


def test_english_wraps_at_spaces_and_cuts_long_words() -> None:
    assert wrap("the quick brown fox jumps over", 10) == ["the quick", "brown fox", "jumps over"]
    assert wrap("a " + "x" * 25, 10) == ["a", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]
    assert wrap("", 10) == [""]


def test_wrapping_keeps_combining_sequences_and_emoji_whole() -> None:
    text = "e\u0301" * 30 + " " + "👍🏽" * 10 + " " + "🇨🇳" * 6 + " " + "👨\u200d👩\u200d👧" * 4
    lines = wrap(text, 7)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_width(line) <= 7
        assert not unicodedata.combining(line[0])
        assert line[0] not in "\u200d\U0001f3fd"
    assert clusters("👨\u200d👩\u200d👧e\u0301🇨🇳") == ["👨\u200d👩\u200d👧", "e\u0301", "🇨🇳"]


def test_surrogate_pairs_are_never_split() -> None:
    pair = "😀".encode("utf-16-le").decode("utf-16-le", "surrogatepass")
    raw = "\ud83d\ude00" * 8  # a string holding UTF-16 halves, as surrogatepass decoding gives
    assert pair == "😀"
    lines = wrap(raw, 5)
    assert lines == ["\ud83d\ude00" * 2] * 4
    for line in lines:
        assert not ("\udc00" <= line[0] <= "\udfff")
        assert not ("\ud800" <= line[-1] <= "\udbff")


def test_cell_width_counts_wide_characters_twice() -> None:
    assert cell_width("abc") == 3
    assert cell_width("中文") == 4
    assert cell_width("ｆｕｌｌ") == 8
    assert cell_width("e\u0301") == 1
    assert cell_width("中a，") == 5


def test_to_text_whole_document() -> None:
    html = f"""<h1>Title</h1><p>Intro with <a href="https://e.example/">a link</a>.</p>
      <ol><li>first</li><li>second</li></ol><blockquote>{ZH[:24]}</blockquote><hr>
      <img alt="photo" src="https://e.example/p.jpg">"""
    assert to_text(html_to_blocks(html), 20) == (
        "Title\n=====\n\n"
        "Intro with a\nlink[1].\n\n"
        "1. first\n2. second\n\n"
        "│ 国家禁毒委员会召开\n│ 全国禁毒工作电视电\n│ 话会议。会议\n\n"
        "────────────────────\n\n"
        "[image: photo]\n\n"
        "Links:\n[1] https://e.example/"
    )


def test_long_ordered_lists_align_their_numbers() -> None:
    doc = html_to_blocks("<ol start='9'>" + "<li>item</li>" * 3 + "</ol>")
    assert to_text(doc) == " 9. item\n10. item\n11. item"


def test_whole_page_and_fragment_agree() -> None:
    fragment = "<p>one</p><ul><li>two</li></ul>"
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{fragment}</body></html>"
    assert html_to_blocks(fragment) == html_to_blocks(page)
