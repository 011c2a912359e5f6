"""An extracted article, the form it is stored in, and an item's story as blocks or plain text.

The full text of an item (`item_texts.full_text`) is a small HTML document that `render` reads
like any feed HTML, with the extractor's metadata in its head:

    <html><head><title>T</title><meta name="author" content="A"><meta name="date"
    content="2026-11-27"><meta name="source" content="https://..."></head><body>...</body></html>

This module is light (no extractor import): the reading pane, the export and the summariser use
it to show what was stored, offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape, unescape

from reader.articles.blocks import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
)
from reader.articles.enclosures import with_enclosures
from reader.articles.render import html_to_blocks, text_to_blocks
from reader.models import Item

STORED_PREFIX = "<html><head>"
_META = re.compile(r'<meta name="(author|date|source)" content="([^"]*)">')
_TITLE = re.compile(r"<title>([^<]*)</title>")


@dataclass(frozen=True, slots=True)
class Article:
    """A story extracted from a web page.

    `html` is the story's body as simple HTML (p, h2-h6, ul/ol/li, blockquote, table, pre,
    a, b/i, br): no navigation, promos, related lists or footers. `text` is the same story as
    plain text (paragraphs separated by blank lines). `date` is YYYY-MM-DD or "".
    """

    html: str
    text: str
    title: str = ""
    author: str = ""
    date: str = ""
    url: str = ""


def to_stored(article: Article) -> str:
    """The form kept in `item_texts.full_text` (see the module docstring)."""
    head = f"<title>{escape(article.title, quote=False)}</title>"
    meta = (("author", article.author), ("date", article.date), ("source", article.url))
    for name, value in meta:
        if value:
            head += f'<meta name="{name}" content="{escape(value)}">'
    return f"{STORED_PREFIX}{head}</head><body>{article.html}</body></html>"


def is_stored_article(full_text: str) -> bool:
    """True when `full_text` was written by `to_stored` (older or foreign text is plain)."""
    return full_text.startswith(STORED_PREFIX)


def stored_author(full_text: str) -> str:
    """The author a stored full text names ("" when none), read from its head alone."""
    if not is_stored_article(full_text):
        return ""
    head = full_text.partition("</head>")[0]
    return next((unescape(v) for name, v in _META.findall(head) if name == "author"), "")


def with_page_author(item: Item) -> Item:
    """The item, its author taken from its stored full text when the feed named none (a page
    often says who wrote it when the feed does not)."""
    if item.author or not item.full_text:
        return item
    author = stored_author(item.full_text)
    return replace(item, author=author) if author else item


def from_stored(full_text: str) -> Article:
    """The article kept by `to_stored` (plain text kept by anything else becomes its body)."""
    if not is_stored_article(full_text):
        return Article(html="", text=full_text.strip())
    head, _, rest = full_text.partition("</head>")
    meta = {name: unescape(value) for name, value in _META.findall(head)}
    title = _TITLE.search(head)
    body = rest.removeprefix("<body>").removesuffix("</html>").removesuffix("</body>")
    return Article(
        html=body,
        text=document_text(html_to_blocks(body)),
        title=unescape(title.group(1)) if title else "",
        author=meta.get("author", ""),
        date=meta.get("date", ""),
        url=meta.get("source", ""),
    )


def story_document(item: Item, *, full: bool = True, media: bool = True) -> Document:
    """An item's story as blocks: the stored full text (when `full`), else the feed's content,
    else its summary (HTML, or text shown literally); then (when `media`) a list of its
    enclosures."""
    doc = _story(item, full=full)
    return with_enclosures(doc, item.enclosures) if media else doc


def _story(item: Item, *, full: bool) -> Document:
    base = item.link or item.feed_url
    if full and item.full_text:
        if is_stored_article(item.full_text):
            return html_to_blocks(item.full_text, base)
        return text_to_blocks(item.full_text)
    body = item.content or item.summary  # content_type is the summary's when there is no content
    if item.content_type == "text":
        return text_to_blocks(body)
    return html_to_blocks(body, base)


def story_text(item: Item, *, full: bool = True) -> str:
    """An item's story as plain text (see `story_document` and `document_text`), without the
    list of enclosures."""
    return document_text(story_document(item, full=full, media=False))


def spans_text(spans: tuple[Span, ...]) -> str:
    """The text of inline spans, without link markers."""
    return "".join(span.text for span in spans)


def document_text(doc: Document, *, words: bool = False) -> str:
    """Plain text of `doc`: one paragraph per block, separated by blank lines; list items as
    "- " lines, table rows as cells joined by " | "; no link markers; an image alone in its
    block left out (an image inside a paragraph is its `[image: alt]` label, as the reader
    shows it). `words`: the words the reader shows, for search: list items without the "- "
    and images by their alt text."""
    return "\n\n".join(part for block in doc.blocks if (part := _block_text(block, words)))


def _block_text(block: Block, words: bool = False) -> str:
    match block:
        case Heading(_, spans) | Paragraph(spans):
            return spans_text(spans).strip()
        case ListBlock(_, items, _):
            lines = (" ".join(_block_text(b, words) for b in item).strip() for item in items)
            return "\n".join(line if words else f"- {line}" for line in lines if line)
        case Quote(blocks):
            return "\n\n".join(part for b in blocks if (part := _block_text(b, words)))
        case Code(text, _):
            return text.strip("\n")
        case Table(header, body):
            rows = (" | ".join(spans_text(cell).strip() for cell in row) for row in header + body)
            return "\n".join(row for row in rows if row.strip(" |"))
        case Image(alt, _):
            return alt if words else ""
    return ""
