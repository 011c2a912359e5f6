"""The extraction's own use of trafilatura gives what trafilatura gives: the page parsed once with
a faster element lookup, the metadata found once for both passes (without the fields never
shown), the story's links resolved after the extraction instead of every link of the page.
Each is compared with trafilatura doing it its own way, on the stored pages (Chinese, English)
and on small pages written for the case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.html
import pytest
import trafilatura
from trafilatura.utils import load_html

from reader.articles.extract import _best, _parse, extract, page_text
from reader.textsafe import storable

PAGES = Path(__file__).parent.parent / "data" / "articles"
PARAGRAPH = (
    "The harbor city switched on its first floating solar farm on Thursday, after two years of "
    "building work on the disused reservoir north of the port, the council said."
)
WRITTEN = {
    "byline": (
        "<html><head><title>Solar farm opens</title></head><body><article><h1>Solar farm opens"
        "</h1><p class='byline'>By <span class='author'>Maria Lopez</span></p>"
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH} <a href='/energy/more.html'>More</a> here.</p>"
        "</article></body></html>"
    ),
    "json-ld and canonical": (
        '<html><head><link rel="canonical" href="https://coastline.example/news/solar.html">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "太阳能电站",'
        ' "author": {"@type": "Person", "name": "王喆"}, "datePublished": "2026-11-27"}</script>'
        f"</head><body><article><p>{PARAGRAPH}</p><p>专案组经过缜密侦查，成功斩断一条跨境贩运通道。"
        "<a href='detail/2.html'>详情</a></p></article></body></html>"
    ),
    "declared encoding": (
        '<?xml version="1.0" encoding="utf-8"?><html><head><title>T</title>'
        f'<meta name="author" content="Ann Lee"></head><body><p>{PARAGRAPH}</p></body></html>'
    ),
}
URL = "https://coastline.example/news/2026/solar.html"


def pages() -> list[tuple[str, str]]:
    stored = [(p.name, page_text(p.read_bytes())) for p in sorted(PAGES.glob("*.html"))]
    return stored + list(WRITTEN.items())


def trafilatura_way(html: str, url: str, *, precision: bool) -> Any:
    """A pass as trafilatura does it alone: its own parse, its metadata, its link resolution."""
    return trafilatura.bare_extraction(
        load_html(storable(html)), url=url or None, favor_precision=precision,
        include_comments=False, include_tables=True, include_images=False,
        include_formatting=True, include_links=True, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )  # fmt: skip


@pytest.mark.parametrize(("name", "html"), pages(), ids=[name for name, _ in pages()])
@pytest.mark.parametrize("url", [URL, ""])
def test_a_pass_finds_what_trafilatura_finds(name: str, html: str, url: str) -> None:
    tree = _parse(storable(html))
    assert tree is not None
    ours = _best(tree, url, None)
    theirs = trafilatura_way(html, url or "", precision=True)
    assert ours is not None and theirs is not None, name
    assert (ours.title, ours.author, ours.date) == (theirs.title, theirs.author, theirs.date)
    assert lxml.html.tostring(ours.body) == lxml.html.tostring(theirs.body)


def test_the_page_tree_is_lxml_html_without_a_python_lookup() -> None:
    tree = _parse(WRITTEN["declared encoding"])
    assert tree is not None and isinstance(tree, lxml.html.HtmlElement)
    assert all(isinstance(e, lxml.html.HtmlElement) for e in tree.iter("p", "title"))
    assert _parse("no markup at all") is None or extract("no markup at all") is None


def test_story_links_resolve_against_the_page_or_its_canonical_address() -> None:
    byline = extract(WRITTEN["byline"], URL)
    canonical = extract(WRITTEN["json-ld and canonical"])
    assert byline is not None and canonical is not None
    assert 'href="https://coastline.example/energy/more.html"' in byline.html
    assert 'href="https://coastline.example/detail/2.html"' in canonical.html  # as trafilatura
    assert canonical.date == "2026-11-27"


@pytest.mark.parametrize("page", ["byline", "json-ld and canonical"])
def test_a_failing_metadata_reader_costs_the_metadata_not_the_story(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trafilatura's metadata readers run on untrusted markup; one that raises leaves the story
    without a title or author instead of making the page "no story"."""
    whole = extract(WRITTEN[page], "https://coastline.example/news/solar.html")
    assert whole is not None and (whole.author or whole.title or whole.date)

    def broken(*_: object, **__: object) -> None:
        raise ValueError("a bug in a metadata reader")

    monkeypatch.setattr("reader.articles.extract.examine_meta", broken)
    kept = extract(WRITTEN[page], "https://coastline.example/news/solar.html")
    assert kept is not None and PARAGRAPH in kept.text
    assert kept.text.endswith(whole.text.rsplit("\n", 1)[-1])  # the story's end is there too
    assert (kept.title, kept.author, kept.date) == ("", "", "")
