"""HTML or plain text -> neutral blocks (`blocks.Document`); `to_text` (from blocks) back out.

`html_to_blocks` parses with lxml (libxml2's HTML parser) and walks the tree with lxml's iterwalk,
so depth costs no recursion; containers nested deeper than `MAX_NEST` are flattened into the one
around them.
A document deeper than libxml2 allows (it would silently drop the rest of the page) is first
flattened by a tokenizer pass. Output is bounded by `MAX_CHARS`, `MAX_BLOCKS` and `MAX_LINKS`.
Every text passes `textsafe.display()`; only http, https and mailto links get numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser as _Tokenizer
from typing import NamedTuple, TypeAlias
from urllib.parse import urljoin, urlsplit

import lxml.etree
from lxml.etree import _Element

from reader.articles.blocks import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Rule,
    Span,
    Spans,
    Table,
    cell_width,
    image_label,
    to_text,
)
from reader.textsafe import display, one_line, storable

__all__ = ["Document", "html_to_blocks", "text_to_blocks", "to_text"]

MAX_INPUT = 16 * 1024 * 1024  # characters of HTML or text looked at
MAX_CHARS = 2_000_000  # characters of text kept
MAX_BLOCKS = 100_000
MAX_LINKS = 2_000
MAX_ELEMENTS = 150_000  # elements visited: bounds the time dense markup takes
MAX_NEST = 24  # open containers (lists, items, quotes, tables) kept as structure
MAX_CELLS = 64  # cells kept per table row
FLATTEN_DEPTH = 128  # element depth kept when a too-deep document is flattened
TRUNCATED_NOTE = "[… article truncated]"


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_SKIP_TAGS = _tags(
    "script style noscript iframe object embed form button svg template head title meta link"
    " base select textarea input canvas audio video math frameset frame applet map datalist"
)
_RAW_SKIP_TAGS = _tags("script style noscript iframe object svg math template title")
_BLOCK_TAGS = _tags(
    "html body p div section article main header footer aside nav address center details"
    " summary fieldset legend hgroup dl dd figure dialog search tr thead tbody tfoot"
)
_VOID_TAGS = _tags("area base br col embed hr img input link meta source track wbr")
_FRAME_TAGS = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "heading"),
    **dict.fromkeys(("ul", "ol", "menu", "dir"), "list"),
    **dict.fromkeys(("td", "th"), "cell"),
    **{"li": "item", "blockquote": "quote", "pre": "pre", "table": "table", "caption": "caption"},
}
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
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LANGUAGE = re.compile(r"(?:^|\s)lang(?:uage)?-([\w+#.-]{1,32})")
_End: TypeAlias = Callable[[], None]
_Key: TypeAlias = tuple[bool, bool, bool, bool, int | None]
_PLAIN: _Key = (False, False, False, False, None)


def _skip() -> None:
    """The `start` result for an element whose content is dropped."""


class _Full(Exception):
    """Raised inside the walk when an output bound is reached."""


class _Style(NamedTuple):
    key: _Key = _PLAIN  # the flags of a Span, link unset
    href: str | None = None  # as written: resolved when its text is first added


@dataclass(slots=True)
class _Run:
    key: _Key
    parts: list[str]


@dataclass
class _Frame:
    """An open container (root, list, item, quote, table) or leaf (heading, cell, caption, pre)."""

    kind: str
    number: int = 1  # heading level, list start
    flag: bool = False  # ordered list, header cell, inside a table's thead
    language: str = ""
    blocks: list[Block] = field(default_factory=list)
    runs: list[_Run | Image] = field(default_factory=list)
    items: list[tuple[Block, ...]] = field(default_factory=list)
    header: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    row: list[tuple[Spans, bool]] | None = None


def html_to_blocks(html: str, base_url: str = "") -> Document:
    """Parse `html` (a fragment or a whole page) into blocks, links resolved against `base_url`.

    Tolerates any markup; drops scripts, styles, forms and embedded objects; bounded in time and
    size however deep or long the input is.
    """
    root = _parse(html)
    return _Builder(base_url).walk(root) if root is not None else Document(())


def text_to_blocks(text: str) -> Document:
    """Plain text shown literally: paragraphs split on blank lines, line breaks kept."""
    blocks: list[Block] = []
    chunks = _BLANK_LINE.split(display(storable(text[:MAX_CHARS])))
    for chunk in chunks[:MAX_BLOCKS]:
        body = "\n".join(line.rstrip() for line in chunk.split("\n")).strip("\n")
        if body.strip():
            blocks.append(Paragraph((Span(body),)))
    truncated = len(text) > MAX_CHARS or len(chunks) > MAX_BLOCKS
    if truncated:
        blocks.append(Paragraph((Span(TRUNCATED_NOTE, italic=True),)))
    return Document(tuple(blocks), (), truncated)


def _parse(html: str) -> _Element | None:
    data = storable(html[:MAX_INPUT]).encode("utf-8")
    root, too_deep = _lxml(data)
    if too_deep:
        flattener = _Flattener()
        flattener.feed(data.decode("utf-8"))
        flattener.close()
        root, _ = _lxml("".join(flattener.out).encode("utf-8"))
    return root


def _lxml(data: bytes) -> tuple[_Element | None, bool]:
    """The parsed page, and whether libxml2 gave up on its depth."""
    parser = lxml.etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None, False
    return root, any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


class _Flattener(_Tokenizer):
    """Re-serializes HTML with the tags deeper than FLATTEN_DEPTH left out (their text kept)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # tag, written
        self.skipping: list[str] = []  # an open raw-skip element: its content is dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in _RAW_SKIP_TAGS:
            self.skipping += [tag] if not self.skipping or tag == self.skipping[0] else []
            return
        void = tag in _VOID_TAGS
        keep = void or len(self.open) < FLATTEN_DEPTH
        if keep:
            attributes = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
            self.out.append(f"<{tag}{attributes}>")
        else:
            self.separate(tag)
        if not void:
            self.open.append((tag, keep))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.pop()
            return
        for index in range(len(self.open) - 1, max(len(self.open) - 64, 0) - 1, -1):
            if self.open[index][0] == tag:
                while len(self.open) > index:
                    name, written = self.open.pop()
                    if written:
                        self.out.append(f"</{name}>")
                    else:
                        self.separate(name)
                return

    def separate(self, tag: str) -> None:
        """Stand in for a left-out block tag with a line break, so its text stays apart."""
        if (tag in _BLOCK_TAGS or tag in _FRAME_TAGS) and self.out[-1:] != ["<br>"]:
            self.out.append("<br>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data, quote=False))


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


def _language(element: _Element) -> str:
    match = _LANGUAGE.search(element.get("class") or "")
    return match.group(1) if match else ""


def _collapse(text: str) -> str:
    """Whitespace folded as a browser does; a line break between two CJK characters vanishes."""
    if text.isascii():
        return _WHITESPACE.sub(" ", text)

    def fold(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        around = text[start - 1 : start] + text[end : end + 1]
        return "" if "\n" in match.group() and cell_width(around) == 4 else " "

    return _WHITESPACE.sub(fold, text)


def _spans(runs: list[_Run | Image]) -> Spans:
    """Runs as spans, trimmed of whitespace at both ends."""
    spans = [
        Span(image_label(run.alt)) if isinstance(run, Image) else Span("".join(run.parts), *run.key)
        for run in runs
    ]
    while spans and not spans[0].text.strip(" \n"):
        spans.pop(0)
    while spans and not spans[-1].text.strip(" \n"):
        spans.pop()
    if spans and spans[0].text[0] in " \n":
        spans[0] = Span(spans[0].text.lstrip(" \n"), *_flags(spans[0]))
    if spans and spans[-1].text[-1] in " \n":
        spans[-1] = Span(spans[-1].text.rstrip(" \n"), *_flags(spans[-1]))
    return tuple(spans)


def _flags(span: Span) -> _Key:
    return span.bold, span.italic, span.code, span.strike, span.link


def _inline_blocks(runs: list[_Run | Image]) -> list[Block]:
    """Inline content as blocks: Image blocks when it is only images, else a Paragraph."""
    images = [run for run in runs if isinstance(run, Image)]
    if images and all(isinstance(run, Image) or not "".join(run.parts).strip() for run in runs):
        return list(images)
    spans = _spans(runs)
    return [Paragraph(spans)] if spans else []


def _closed(frame: _Frame) -> list[Block]:
    """The blocks a closed frame leaves in the container around it."""
    if frame.kind in ("heading", "caption"):
        spans = _spans(frame.runs)
        return [Heading(frame.number, spans) if frame.kind == "heading" else Paragraph(spans)]
    if frame.kind == "list" and frame.items:
        return [ListBlock(frame.flag, tuple(frame.items), frame.number)]
    if frame.kind == "quote" and frame.blocks:
        return [Quote(tuple(frame.blocks))]
    if frame.kind == "table" and (frame.header or frame.rows):
        return [*frame.blocks, Table(tuple(frame.header), tuple(frame.rows))]
    if frame.kind == "pre":
        text = "".join(part for run in frame.runs if isinstance(run, _Run) for part in run.parts)
        text = text.removeprefix("\n").rstrip()
        return [Code(text, frame.language)] if text.strip() else []
    return frame.blocks


def _new_frame(kind: str, element: _Element, tag: str) -> _Frame:
    if kind == "heading":
        return _Frame(kind, number=int(tag[1]))
    if kind == "list":
        try:
            start = max(-(10**9), min(int(element.get("start") or "1"), 10**9))
        except ValueError:
            start = 1
        return _Frame(kind, number=start, flag=tag == "ol")
    if kind == "pre":
        code = element.find("code")
        inner = _language(code) if code is not None else ""
        return _Frame(kind, language=_language(element) or inner)
    return _Frame(kind, flag=tag == "th")


class _Builder:
    """Turns start/text/end events into blocks, keeping the open frames on a stack."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.frames = [_Frame("root")]
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
        if not isinstance(tag, str) or tag in _SKIP_TAGS or element.get("hidden") is not None:
            return _skip
        if top.kind == "pre":
            self.in_pre(element, tag)
            return None
        handler = _HANDLERS.get(tag)
        if handler is not None:
            return handler(self, element, tag, top)
        if tag in _BLOCK_TAGS:
            self.flush()
            return self.flush
        return None

    def open_frame(self, element: _Element, tag: str, top: _Frame) -> _End:
        """Open a heading, list, item, quote, pre, table or cell, or flatten it into a block."""
        kind = _FRAME_TAGS[tag]
        self.flush()
        if not self.opens(kind, top):
            return self.flush
        self.frames.append(_new_frame(kind, element, tag))
        return self.close

    def table_part(self, element: _Element, tag: str, top: _Frame) -> _End:
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

    def opens(self, kind: str, top: _Frame) -> bool:
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
                parent.row.append((_spans(frame.runs), frame.flag))
        else:
            for block in _closed(frame):
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
            for block in _inline_blocks(runs):
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
        self.chars += len(text)
        if self.chars > MAX_CHARS and not self.full:
            raise _Full
        if self.frames[-1].kind == "pre":
            self.frames[-1].runs.append(_Run(_PLAIN, [text]))
        elif text:
            self.add(_collapse(text) if "\n" in text else _WHITESPACE.sub(" ", text))

    def add(self, text: str) -> None:
        """Add collapsed inline text in the current style, merged into the run before."""
        runs = self.frames[-1].runs
        last = runs[-1] if runs else None
        if text[0] == " " and (
            last is None or (type(last) is _Run and last.parts[-1][-1] in " \n")
        ):
            text = text[1:]
            if not text:
                return
        key, href = self.styles[-1]
        if href is not None and not text.isspace():
            key = (*key[:4], self.link_number(href))
        if type(last) is _Run and last.key == key:
            last.parts.append(text)
        else:
            runs.append(_Run(key, [text]))

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

    def style(self, element: _Element, tag: str, top: _Frame) -> _End:
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

    def inline_void(self, element: _Element, tag: str, frame: _Frame) -> None:
        """An img (inline, or an Image block when alone), a br or an hr."""
        contained = frame.kind in _CONTAINERS
        if tag == "img" and not (element.get("width") == element.get("height") == "1"):
            alt = one_line(element.get("alt") or element.get("title") or "")[:500]
            src = _resolve(element.get("src") or element.get("data-src"), self.base, _IMAGE_SCHEMES)
            href = self.styles[-1].href
            if contained and (href is None or self.link_number(href) is None):
                frame.runs.append(Image(alt, src or ""))
            else:
                self.add(f" {image_label(alt)} ")
        elif tag == "br" and contained:
            last = frame.runs[-1] if frame.runs else None
            if isinstance(last, _Run):
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
            self.text(image_label(one_line(element.get("alt") or "")))
        elif not self.frames[-1].language:
            self.frames[-1].language = _language(element)


_Handler: TypeAlias = Callable[[_Builder, _Element, str, _Frame], "_End | None"]
_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(_FRAME_TAGS, _Builder.open_frame),
    **dict.fromkeys((*_STYLE_TAGS, "a", "dt", "figcaption"), _Builder.style),
    **dict.fromkeys(("img", "br", "hr"), _Builder.inline_void),
    **dict.fromkeys(("tr", "thead", "tbody", "tfoot"), _Builder.table_part),
}
