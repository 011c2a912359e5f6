"""Parsed HTML (an lxml tree) -> neutral blocks: the block builder that `render` drives.

The tree is walked with lxml's iterwalk, so depth costs no recursion; containers nested deeper
than `MAX_NEST` are flattened into the one around them (frames.py has the containers). Output is
bounded by `MAX_CHARS`, `MAX_BLOCKS` and `MAX_LINKS` (and the elements visited by
`MAX_ELEMENTS`). Every text passes `textsafe.display()`, then `textnorm.normalize()`. Only
http, https and mailto links get numbers; images only http and https sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple, TypeAlias
from urllib.parse import urljoin, urlsplit

import lxml.etree
from lxml.etree import _Element

from reader.articles.blocks import (
    Block,
    Document,
    Heading,
    Image,
    Paragraph,
    Rule,
    Span,
    image_label,
)
from reader.articles.frames import (
    PLAIN,
    Frame,
    Key,
    Run,
    closed,
    collapse,
    inline_blocks,
    language_of,
    new_frame,
    spans_of,
)
from reader.articles.htmltree import BLOCK_TAGS, FRAME_TAGS, SKIP_TAGS
from reader.textnorm import normalize
from reader.textsafe import display, one_line

MAX_CHARS = 2_000_000  # characters of text kept
MAX_BLOCKS = 100_000
MAX_LINKS = 2_000
MAX_ELEMENTS = 150_000  # elements visited: bounds the time dense markup takes
MAX_NEST = 24  # open containers (lists, items, quotes, tables) kept as structure
MAX_CELLS = 64  # cells kept per table row
TRUNCATED_NOTE = "[… article truncated]"


_STYLE_TAGS = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em", "cite", "dfn", "var"), "italic"),
    **dict.fromkeys(("code", "kbd", "samp", "tt"), "code"),
    **dict.fromkeys(("s", "strike", "del"), "strike"),
}
_FLAGS = ("bold", "italic", "code", "strike")
_CONTAINERS = frozenset({"root", "list", "item", "quote", "table"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_SCHEMES = frozenset({"http", "https"})
_SPACE = re.compile(r"\s")
_End: TypeAlias = Callable[[], None]


def _skip() -> None:
    """The `start` result for an element whose content is dropped."""


class _Full(Exception):
    """Raised inside the walk when an output bound is reached."""


def _resolve(raw: str | None, base: str, schemes: frozenset[str]) -> str | None:
    """`raw` as an absolute URL with one of `schemes`, or None (hostile, relative or odd)."""
    if not raw:
        return None
    url = display(raw.replace("\t", "").replace("\n", "")).strip(" \x00")
    if not url or url[0] in "-#" or len(url) > 4096:
        return None
    try:
        url = urljoin(base, url) if base else url
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes or (scheme != "mailto" and not parts.hostname):
        return None
    url = url.replace(" ", "%20")
    return None if _SPACE.search(url) else url


class _Style(NamedTuple):
    key: Key = PLAIN  # the flags of a Span, link unset
    href: str | None = None  # as written: resolved when its text is first added


class Builder:
    """Turns start/text/end events into blocks, keeping the open frames on a stack."""

    shortcut = True  # make a text-only block's paragraph at once (see `leaf`)

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.frames = [Frame("root")]
        self.styles = [_Style()]
        self.links: list[str] = []
        self.link_ids: dict[str, int] = {}  # resolved URL -> number
        self.hrefs: dict[str, int | None] = {}  # href as written -> number, None if refused
        self.chars = self.count = self.blocks = 0
        self.full = False

    def walk(self, root: _Element) -> Document:
        """Visit `root` depth-first (lxml's iterwalk: no recursion) and return the document."""
        walker = lxml.etree.iterwalk(root, events=("start", "end"))
        ends: list[_End | None] = []
        try:
            for event, element in walker:
                if event == "start":
                    end = self.start(element)
                    if end is _skip:
                        walker.skip_subtree()
                        end = None
                    elif element.text:
                        self.text(element.text)
                    ends.append(end)
                    continue
                end = ends.pop()
                if end is not None:
                    end()
                if element.tail and element is not root:
                    self.text(element.tail)
        except _Full:
            self.full = True
            for end in reversed(ends):
                if end is not None:
                    end()
        while len(self.frames) > 1:
            self.close()
        self.flush()
        if self.full:
            self.frames[0].blocks.append(Paragraph((Span(TRUNCATED_NOTE, italic=True),)))
        return Document(tuple(self.frames[0].blocks), tuple(self.links), self.full)

    def start(self, element: _Element) -> _End | None:
        """Open `element`; return what closes it (`_skip`: its content is dropped)."""
        tag, top = element.tag, self.frames[-1]
        self.count += 1
        if self.count > MAX_ELEMENTS and not self.full:
            raise _Full
        if not isinstance(tag, str) or tag in SKIP_TAGS or element.get("hidden") is not None:
            return _skip
        if top.kind == "pre":
            self.in_pre(element, tag)
            return None
        handler = _HANDLERS.get(tag)
        if handler is not None:
            return handler(self, element, tag, top)
        if tag in BLOCK_TAGS:
            self.flush()
            if self.shortcut and not len(element) and top.kind in _CONTAINERS:
                return self.leaf(element.text)
            return self.flush
        return None

    def leaf(self, raw: str | None) -> _End:
        """A block with text and no elements in it (most paragraphs of most feeds): its
        paragraph at once, as `text` and `flush` would make it (tests/core/test_search_shown.py
        compares the two on generated markup)."""
        if raw:
            text = display(raw)
            self.chars += len(text)  # counted before normalising: the same bound as ever
            if self.chars > MAX_CHARS and not self.full:
                raise _Full
            text = normalize(text)
            key, href = self.styles[-1]
            if href is not None and not text.isspace():
                key = (*key[:4], self.link_number(href))
            folded = collapse(text).strip(" \n")
            if folded:
                self.emit(Paragraph((Span(folded, *key),)))
        return _skip

    def open_frame(self, element: _Element, tag: str, top: Frame) -> _End:
        """Open a heading, list, item, quote, pre, table or cell, or flatten it into a block."""
        kind = FRAME_TAGS[tag]
        self.flush()
        if not self.opens(kind, top):
            return self.flush
        self.frames.append(new_frame(kind, element, tag))
        return self.close

    def table_part(self, element: _Element, tag: str, top: Frame) -> _End:
        """Open a row or a thead (its rows are header rows), tbody or tfoot."""
        self.flush()
        if top.kind != "table":
            return self.flush
        self.end_row()
        if tag == "tr":
            top.row = []
            return self.end_row
        top.flag = tag == "thead"

        def end() -> None:
            self.end_row()
            top.flag = False

        return end

    def opens(self, kind: str, top: Frame) -> bool:
        """Whether an element of `kind` becomes a frame here (else it is flattened)."""
        if kind in ("cell", "caption"):
            return top.kind == "table"
        if kind == "item" and top.kind != "list":
            return False
        return top.kind in _CONTAINERS and len(self.frames) < MAX_NEST

    def close(self) -> None:
        """Close the innermost frame and hand its result to the frame around it."""
        frame = self.frames[-1]
        if frame.kind in _CONTAINERS:
            self.flush()
        if frame.kind == "table":
            self.end_row()
        self.frames.pop()
        parent = self.frames[-1]
        if frame.kind == "item":
            parent.items += [tuple(frame.blocks)] if frame.blocks else []
        elif frame.kind == "cell":
            parent.row = [] if parent.row is None else parent.row
            if len(parent.row) < MAX_CELLS:
                parent.row.append((spans_of(frame.runs), frame.flag))
        else:
            for block in closed(frame):
                self.emit(block)

    def end_row(self) -> None:
        """File the open row of the table frame on top as a header or body row."""
        frame = self.frames[-1]
        row, frame.row = frame.row, None
        if not row or frame.kind != "table":
            return
        cells = tuple(spans for spans, _ in row)
        if frame.flag or (not frame.rows and all(head for _, head in row)):
            frame.header.append(cells)
        else:
            frame.rows.append(cells)

    def flush(self) -> None:
        """End the inline run: a paragraph in a container, a space in a leaf."""
        frame = self.frames[-1]
        if frame.kind not in _CONTAINERS:
            self.add(" ")
        elif frame.runs:
            runs, frame.runs = frame.runs, []
            for block in inline_blocks(runs):
                self.emit(block)

    def emit(self, block: Block) -> None:
        """Append `block` to the innermost container (in a list it becomes an item)."""
        if isinstance(block, Heading | Paragraph) and not block.spans:
            return
        self.blocks += 1
        if self.blocks > MAX_BLOCKS and not self.full:
            raise _Full
        frame = self.frames[-1]
        if frame.kind == "list":
            frame.items.append((block,))
        else:
            frame.blocks.append(block)

    def text(self, raw: str) -> None:
        """Add character data to the innermost frame."""
        if not raw:
            return
        text = display(raw)
        self.chars += len(text)  # counted before normalising: the same bound as ever
        if self.chars > MAX_CHARS and not self.full:
            raise _Full
        text = normalize(text)
        if self.frames[-1].kind == "pre":
            self.frames[-1].runs.append(Run(PLAIN, [text]))
        elif text:
            self.add(collapse(text))

    def add(self, text: str) -> None:
        """Add collapsed inline text in the current style, merged into the run before."""
        runs = self.frames[-1].runs
        last = runs[-1] if runs else None
        if text[0] == " " and (last is None or (type(last) is Run and last.parts[-1][-1] in " \n")):
            text = text[1:]
            if not text:
                return
        key, href = self.styles[-1]
        if href is not None and not text.isspace():
            key = (*key[:4], self.link_number(href))
        if type(last) is Run and last.key == key:
            last.parts.append(text)
        else:
            runs.append(Run(key, [text]))

    def link_number(self, href: str) -> int | None:
        """The number of the URL `href` resolves to, given on first use; None for a refused URL
        or once the list is full."""
        if href in self.hrefs:
            return self.hrefs[href]
        if len(self.links) >= MAX_LINKS:
            return None
        url = _resolve(href, self.base, _LINK_SCHEMES)
        number = self.link_ids.get(url) if url else None
        if url and number is None:
            self.links.append(url)
            number = self.link_ids[url] = len(self.links)
        self.hrefs[href] = number
        return number

    def style(self, element: _Element, tag: str, top: Frame) -> _End:
        """Push the style `tag` sets (a link, emphasis; dt and figcaption are styled blocks)."""
        key, href = self.styles[-1]
        if tag == "a":
            href = element.get("href")
        else:
            flag = _FLAGS.index(_STYLE_TAGS.get(tag) or ("bold" if tag == "dt" else "italic"))
            key = (*key[:flag], True, *key[flag + 1 :])  # type: ignore[assignment]
        self.styles.append(_Style(key, href))
        if tag in ("dt", "figcaption"):
            self.flush()
            return self.end_block_style
        return self.end_style

    def end_style(self) -> None:
        """Close an inline style or link."""
        self.styles.pop()

    def end_block_style(self) -> None:
        """Close a dt or figcaption."""
        self.flush()
        self.styles.pop()

    def inline_void(self, element: _Element, tag: str, frame: Frame) -> None:
        """An img (inline, or an Image block when alone), a br or an hr."""
        contained = frame.kind in _CONTAINERS
        if tag == "img" and not (element.get("width") == element.get("height") == "1"):
            alt = normalize(one_line(element.get("alt") or element.get("title") or "")[:500])
            src = _resolve(element.get("src") or element.get("data-src"), self.base, _IMAGE_SCHEMES)
            href = self.styles[-1].href
            if contained and (href is None or self.link_number(href) is None):
                frame.runs.append(Image(alt, src or ""))
            else:
                self.add(f" {image_label(alt)} ")
        elif tag == "br" and contained:
            last = frame.runs[-1] if frame.runs else None
            if isinstance(last, Run):
                last.parts[-1] = last.parts[-1].rstrip(" ")
            self.add("\n")
        elif tag == "hr" and contained:
            self.flush()
            self.emit(Rule())
        elif tag != "img":
            self.add(" ")

    def in_pre(self, element: _Element, tag: str) -> None:
        """Inside pre only line breaks, image labels and a language class matter."""
        if tag == "br":
            self.text("\n")
        elif tag == "img":
            self.text(image_label(one_line(element.get("alt") or "")))  # text() normalises
        elif not self.frames[-1].language:
            self.frames[-1].language = language_of(element)


_Handler: TypeAlias = Callable[[Builder, _Element, str, Frame], "_End | None"]
_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(FRAME_TAGS, Builder.open_frame),
    **dict.fromkeys((*_STYLE_TAGS, "a", "dt", "figcaption"), Builder.style),
    **dict.fromkeys(("img", "br", "hr"), Builder.inline_void),
    **dict.fromkeys(("tr", "thead", "tbody", "tfoot"), Builder.table_part),
}
