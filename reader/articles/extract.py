"""Full-text extraction: a web page in, the story out. The only module that uses trafilatura.

The cascade (benchmarks/extract.py measures it), on a page parsed once (as trafilatura parses
it) and its metadata found once (title, author, date: what trafilatura finds, without the
fields never shown):
1. trafilatura in precision mode, with formatting and links (only the story's links are
   resolved, after the extraction);
2. when that yields little (under `SHORT_TEXT` characters), trafilatura's balanced mode too,
   taken when it finds clearly more (`pick`): precision mode sometimes locks onto a licence
   notice or a teaser instead of the story (one page of the scored corpus, thirteen of the
   outside test pages on eleven sites);
3. leftovers removed (reader.articles.boilerplate): pointers ("Read more: ...", a "See also"
   section), furniture at either end, a first block that is the headline;
4. the text normalised (reader.textnorm: NFC, no soft hyphens or zero-width spaces).
The body is kept as simple HTML (headings, paragraphs, lists, quotes, tables, links, emphasis)
that reader.articles.render shows like feed HTML. Images are left out: with them trafilatura
keeps captions and credits around the story.
A page is no story when nothing is left, or only a menu (nearly all link text, no long link).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from html import unescape
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from htmldate import find_date  # trafilatura's date finder, called as trafilatura calls it
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.utils import repair_faulty_html, safe_base_url, safe_relative_url

from reader.articles.article import Article, document_text
from reader.articles.boilerplate import clean_body
from reader.articles.render import html_to_blocks
from reader.feeds.charset import decode_html
from reader.textnorm import normalize
from reader.textsafe import one_line, storable

SHORT_TEXT = 1500  # characters: below this the balanced mode is consulted
FALLBACK_RATIO = 2.5  # how much more the balanced mode must find to be taken
FALLBACK_MIN = 100  # characters it must find when the precision mode found none
MENU_LINKED = 0.9  # a body with this share of link text is a menu...
STORY_LINK = 40  # characters: ...unless one link holding half of it is this long
MAX_HTML = 8 * 1024 * 1024  # characters of a page looked at
_WORDY = re.compile(r"[^\W_]")
_META_AUTHOR = re.compile(
    r"<meta\s[^>]*?name=[\"']?author[\"']?\s[^>]*?content=\"([^\"<>]{1,200})\"", re.IGNORECASE
)

_local = threading.local()
_LOOKUP = lxml.etree.ElementDefaultClassLookup(
    element=HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)  # "discarding data" is not an error here


def _parser() -> lxml.html.HTMLParser:
    """This thread's page parser: trafilatura's settings, but every element an HtmlElement
    chosen in C (lxml.html's own lookup calls Python for each element trafilatura touches)."""
    parser: lxml.html.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = lxml.html.HTMLParser(  # type: ignore[call-arg] # (stubs lag)
            collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
            remove_pis=True,
        )  # fmt: skip
        parser.set_element_class_lookup(_LOOKUP)
    return parser


def _parse(html: str) -> HtmlElement | None:
    """The page's tree, parsed as trafilatura's load_html parses a page (its repairs, the
    fallback to bytes, a page without "html" early on and under two elements is none)."""
    parser, beginning = _parser(), html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree: HtmlElement | None = None
    with contextlib.suppress(ValueError, lxml.etree.LxmlError):  # (a str declaring its
        tree = lxml.html.fromstring(html, parser=parser)  # encoding is a ValueError)
    if tree is None or len(tree) < 1:
        try:
            tree = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
        except (ValueError, lxml.etree.LxmlError):
            return None
    return None if "html" not in beginning and len(tree) < 2 else tree


def _metadata(tree: HtmlElement, url: str) -> Document:
    """Title, author and date as trafilatura's extract_metadata finds them (and the
    canonical URL, a base for links), without the fields never shown (site name, host,
    categories, tags, licence), which cost about as much again."""
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    with contextlib.suppress(Exception):  # as trafilatura: its JSON-LD reader has bugs
        found = extract_meta_json(tree, found)
    found.title = found.title or extract_title(tree)
    found.author = found.author or extract_author(tree)
    found.url = found.url or extract_url(tree, url or None)
    found.date = find_date(tree, extensive_search=False, original_date=True, url=found.url)
    found.clean_and_trim()
    return found


def _run(tree: HtmlElement, *, precision: bool) -> Any:
    """One trafilatura pass over a parsed page (it works on a copy). Without a URL: links
    keep their href as written, and only those of the story are resolved (`_resolve_links`),
    not the thousands of a page's menus."""
    return trafilatura.bare_extraction(
        tree,
        favor_precision=precision,
        output_format="xml",  # the body tree only: "python" would also render a text we drop
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=True,
    )


def _text_length(element: _Element) -> int:
    return sum(len(part.strip()) for part in element.itertext())


def _length(document: Any) -> int:
    """Characters of text in an extraction (0 for none)."""
    return 0 if document is None else _text_length(document.body)


def _best(tree: HtmlElement, url: str, trace: list[str] | None) -> Any:
    """The extraction to keep (steps 1 and 2 of the cascade), or None; with the page's
    metadata (none when finding it fails: trafilatura would drop the whole page; a bug in
    its metadata readers on a hostile page costs the title and author here, not the story)."""
    try:
        found = _metadata(tree, url)
    except Exception:  # third-party code on untrusted markup: any failure
        found = Document()
    first = _run(tree, precision=True)
    chosen = first
    if _length(first) < SHORT_TEXT:
        chosen = pick(first, _run(tree, precision=False))
        if chosen is not first and trace is not None:
            trace.append("fallback")
    if chosen is not None:
        chosen.title, chosen.author, chosen.date = found.title, found.author, found.date
        _resolve_links(chosen.body, url or found.url or "")
    return chosen


def _resolve_links(body: _Element, url: str) -> None:
    """The story's links resolved as trafilatura resolves them when given the page's URL."""
    base = url and safe_base_url(url)
    if base:
        for ref in body.iter("ref"):
            target = ref.get("target")
            if target:
                ref.set("target", safe_relative_url(base, target) or target)


def pick(first: Any, second: Any) -> Any:
    """Step 2: the balanced extraction `second` when it finds clearly more than the precise
    `first` (and, where `first` found nothing at all, at least a paragraph's worth: a few
    words the lenient mode scrapes off a page without a story are navigation); else `first`."""
    length, more = _length(first), _length(second)
    if more <= FALLBACK_RATIO * length or (not length and more < FALLBACK_MIN):
        return first
    return second


def _no_story(body: _Element) -> bool:
    """True when nothing is left, or what is left is a menu: (nearly) all link text, and no
    link holding half of it is as long as a sentence (a story inside one link is a story)."""
    total = _text_length(body)
    if not total or not any(_WORDY.search(t) for t in body.itertext() if isinstance(t, str)):
        return True
    links = [_text_length(ref) for ref in body.iter("ref")]
    if sum(links) < MENU_LINKED * total:
        return False
    longest = max(links)
    return longest < total / 2 or longest < STORY_LINK


def _author(document: Any, html: str) -> str:
    author = document.author or ""
    if not author:
        match = _META_AUTHOR.search(html, 0, 65536)
        author = unescape(match.group(1)) if match else ""
    return one_line(author)


def _html(body: _Element) -> str:
    """The extracted body as simple HTML: trafilatura's tags converted, attributes dropped
    (but a link's href)."""
    for element in body.iter("list"):
        if element.get("rend") == "ol":
            element.tag = "ol"  # trafilatura would make every list a <ul>
    root = convert_to_html(body)[0]
    for element in root.iter():
        href = element.get("href") if element.tag == "a" else None
        element.attrib.clear()
        if href:
            element.set("href", href)
    parts = [lxml.etree.tostring(child, encoding="unicode", method="html") for child in root]
    return ((root.text or "") + "".join(parts)).strip()


def extract(html: str, url: str = "", trace: list[str] | None = None) -> Article | None:
    """The story in an HTML page, or None when the page holds no recognisable article.
    The cleaning rules that fired are appended to `trace` when given."""
    tree = _parse(storable(html[:MAX_HTML]))
    if tree is None:
        return None
    document = _best(tree, url, trace)
    if document is None:
        return None
    return finish(document, html, url, trace)


def _normalize_tree(body: _Element) -> None:
    """Every text of the tree through textnorm.normalize (NFC, no soft hyphens or zero-width
    spaces): entities are decoded by now, so the stored HTML and the index see clean text."""
    for element in body.iter():
        if element.text and not element.text.isascii():
            element.text = normalize(element.text)
        if element.tail and not element.tail.isascii():
            element.tail = normalize(element.tail)


def finish(document: Any, html: str, url: str, trace: list[str] | None = None) -> Article | None:
    """The Article of an extraction (steps 3 and 4 of the cascade), or None when no story is
    left."""
    title = normalize(one_line(document.title or ""))
    clean_body(document.body, title, trace)
    if _no_story(document.body):
        return None
    _normalize_tree(document.body)
    html_body = _html(document.body)
    text = document_text(html_to_blocks(html_body))
    if not text:
        return None
    return Article(
        html=html_body,
        text=text,
        title=title,
        author=normalize(_author(document, html)),
        date=one_line(document.date or ""),
        url=url,
    )


def page_text(body: bytes, content_type: str | None = None) -> str:
    """A fetched page as text: valid UTF-8 (beyond ASCII) is read as UTF-8 whatever the page
    says (a page saved or re-served as UTF-8 often keeps its old `<meta charset=gb2312>`, and
    text in GBK or Latin-1 is practically never valid UTF-8); else by its BOM, HTTP charset or
    `<meta>` charset (GBK and GB2312 labels read as GB18030), else UTF-8."""
    decoded = decode_html(body, content_type)
    if decoded.encoding != "utf-8" and not decoded.encoding.startswith("utf-"):
        try:
            return body.decode("utf-8") if not body.isascii() else decoded.text
        except UnicodeDecodeError:
            pass
    return decoded.text


def extract_page(
    body: bytes, content_type: str | None = None, url: str = "", trace: list[str] | None = None
) -> Article | None:
    """`extract` on a page as fetched (decoded by `page_text`)."""
    return extract(page_text(body, content_type), url, trace)


def article_text(html: str) -> str:
    """The story's plain text ("" when none): the benchmark's entry point."""
    article = extract(html)
    return article.text if article is not None else ""
