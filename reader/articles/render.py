"""HTML or plain text -> neutral blocks (`blocks.Document`); `to_text` (from blocks) back out.

`html_to_blocks` parses with lxml (htmltree.py, which also copes with pages deeper than libxml2
allows) and has builder.py make the blocks; text without markup skips the parser.
Every text passes `textsafe.display()`, then `textnorm.normalize()` (`shown`): what the reader
shows is in NFC, without soft hyphens or zero-width spaces, even when the markup wrote them as
character references (`&shy;`, `e&#769;`), as the search index holds it. Only http, https and
mailto links get numbers.
"""

from __future__ import annotations

import re

from reader.articles.blocks import Block, Document, Paragraph, Span, to_text
from reader.articles.builder import MAX_BLOCKS, MAX_CHARS, TRUNCATED_NOTE, Builder
from reader.articles.frames import collapse
from reader.articles.htmltree import parse_html
from reader.textnorm import normalize
from reader.textsafe import display, storable

__all__ = ["Document", "html_to_blocks", "text_to_blocks", "to_text"]

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def html_to_blocks(html: str, base_url: str = "") -> Document:
    """Parse `html` (a fragment or a whole page) into blocks, links resolved against `base_url`.

    Tolerates any markup; drops scripts, styles, forms and embedded objects; bounded in time and
    size however deep or long the input is.
    """
    if "<" not in html and "&" not in html and "\ufeff" not in html and len(html) <= MAX_CHARS:
        return _plain(html)  # most summaries: no markup to parse
    root = parse_html(html)
    return Builder(base_url).walk(root) if root is not None else Document(())


def shown(raw: str) -> str:
    """Feed text as the reader shows it and the index holds it: `display` (nothing that acts on
    a terminal), then `normalize` (NFC, no soft hyphens or zero-width spaces)."""
    return normalize(display(raw))


def _plain(text: str) -> Document:
    """Text without markup or entities, as the builder makes it of the parsed text (one
    paragraph, whitespace folded), without parsing it (tests/core/test_render.py checks that
    both agree on any such text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the parser reads line ends
    folded = collapse(shown(storable(text))).strip(" \n")
    return Document((Paragraph((Span(folded),)),) if folded else ())


def text_to_blocks(text: str) -> Document:
    """Plain text shown literally: paragraphs split on blank lines, line breaks kept."""
    blocks: list[Block] = []
    chunks = _BLANK_LINE.split(shown(storable(text[:MAX_CHARS])))
    for chunk in chunks[:MAX_BLOCKS]:
        body = "\n".join(line.rstrip() for line in chunk.split("\n")).strip("\n")
        if body.strip():
            blocks.append(Paragraph((Span(body),)))
    truncated = len(text) > MAX_CHARS or len(chunks) > MAX_BLOCKS
    if truncated:
        blocks.append(Paragraph((Span(TRUNCATED_NOTE, italic=True),)))
    return Document(tuple(blocks), (), truncated)
