"""Extraction on the pages other extractors' test suites showed tidings getting wrong (written
here from scratch, none copied): a standfirst or a page's only paragraph that contains the
title, a story inside one link, a very short page, an image-only paragraph near the top, a
"See also" section, text needing normalisation, a UTF-8 page that still says gb2312."""

from __future__ import annotations

import unicodedata

from reader.articles.extract import extract, extract_page

PARAGRAPHS = [
    "The harbor city switched on its first floating solar farm on Thursday, after two years of "
    "building work on the disused reservoir north of the port.",
    "Twelve thousand panels now cover the water and will supply power to roughly four thousand "
    "homes, the city's energy cooperative said in a statement.",
    "Engineers said the water keeps the panels cool, which raises their output on hot summer "
    "days by as much as ten percent compared with panels on land.",
    "The council plans a second farm on the old quarry lake by 2029, twice the size of the first "
    "one, if the first performs as expected through the winter.",
]
STORY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
TITLE = "Harbor city opens floating solar farm"


def page(body: str, title: str = TITLE, head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer><p>© 2026 Coastline Daily. All rights reserved.</p></footer></body></html>"
    )


def text_of(html: str) -> str:
    article = extract(html)
    assert article is not None
    return article.text


def test_a_standfirst_that_contains_the_title_is_kept() -> None:
    standfirst = f"{TITLE}: the city's panels float on an old reservoir and power 4,000 homes."
    text = text_of(page(f"<p>{standfirst}</p>{STORY}"))
    assert text.startswith(standfirst)
    assert text.count(TITLE) == 1  # the h1 repeating the headline goes


def test_a_page_whose_only_paragraph_contains_the_title() -> None:
    html = (
        "<html><head><title>Lorem ipsum</title></head><body><main><section><div><div>"
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.</div></div></section></main>"
        "</body></html>"
    )
    assert text_of(html) == "Lorem ipsum dolor sit amet, consectetur adipiscing elit."


def test_a_story_inside_one_link_is_a_story() -> None:
    html = page(f"<a href='/full-story'>{STORY}</a>")
    assert PARAGRAPHS[1] in text_of(html)


def test_a_very_short_page_is_still_its_text() -> None:
    assert text_of("<html><body>Test</body></html>") == "Test"
    assert text_of("<html><body><p>测试</p></body></html>") == "测试"


def test_menus_and_empty_pages_are_no_story() -> None:
    assert extract("<html><body><ul><li><a href='/a'>A</a></li></ul></body></html>") is None
    menu = "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(6))
    assert extract(f"<html><body><nav><ul>{menu}</ul></nav></body></html>") is None
    assert extract("<html><body><p> </p></body></html>") is None


def test_an_image_only_paragraph_does_not_cut_the_story() -> None:
    hello = "Hello from the harbor!"
    html = page(f"<p>{hello}</p><p>&nbsp;<img src='/a.jpg' alt='panels'></p>{STORY}")
    assert text_of(html).startswith(hello)


def test_see_also_goes_with_its_list() -> None:
    see_also = (
        "<h2>See also</h2><ul><li><a href='/a'>Offshore wind farm approved</a></li>"
        "<li><a href='/b'>Bus lanes extended</a></li></ul>"
    )
    for heading in ("See also", "Further reading", "相关阅读"):
        text = text_of(page(STORY + see_also.replace("See also", heading)))
        assert heading not in text and "Offshore wind" not in text and "Bus lanes" not in text
        assert text.endswith(PARAGRAPHS[-1])


def test_extracted_text_is_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Café Zürich")
    hidden = "solar&shy;farm power\u200bplant"
    html = page(f"<p>{decomposed} opens a {hidden}.</p>{STORY}", title=f"{decomposed} news")
    article = extract(html)
    assert article is not None
    for value in (article.text, article.html, article.title):
        assert unicodedata.is_normalized("NFC", value)
        assert "\u00ad" not in value and "\u200b" not in value and "&shy;" not in value
    assert "Café Zürich opens a solarfarm powerplant." in article.text
    assert article.title == "Café Zürich news"


def test_a_utf8_page_that_says_gb2312_reads_as_utf8() -> None:
    story = "".join(
        f"<p>咸宁市被命名为全国禁毒示范城市，全市公安机关推行全地域、全警种缉毒，第{n}段。</p>"
        for n in range(6)
    )
    html = page(story, title="咸宁禁毒", head='<meta http-equiv="Content-Type" '
                'content="text/html; charset=gb2312">')  # fmt: skip
    article = extract_page(html.encode("utf-8"))
    assert article is not None and "全国禁毒示范城市" in article.text
    gbk = extract_page(html.encode("gb18030"))  # the same page really in GBK still reads
    assert gbk is not None and gbk.text == article.text
