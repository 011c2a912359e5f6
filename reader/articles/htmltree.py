"""HTML text -> an lxml element tree, whatever the markup: the HTML parser's home module.

libxml2's HTML parser takes any tag soup, but gives up past its depth limit (and silently drops
the rest of the page). A page that deep is first re-serialised by a tokenizer pass with the
elements past `FLATTEN_DEPTH` left out (their text kept, block tags as line breaks), then parsed.
Also the tag vocabulary the block builder (builder.py) works with.
"""

from __future__ import annotations

import threading
from html import escape
from html.parser import HTMLParser as _Tokenizer

import lxml.etree
from lxml.etree import _Element

from reader.textsafe import storable

MAX_INPUT = 16 * 1024 * 1024  # characters of HTML looked at
_local = threading.local()
FLATTEN_DEPTH = 128  # element depth kept when a too-deep document is flattened


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


SKIP_TAGS = _tags(
    "script style noscript iframe object embed form button svg template head title meta link"
    " base select textarea input canvas audio video math frameset frame applet map datalist"
)
RAW_SKIP_TAGS = _tags("script style noscript iframe object svg math template title")
BLOCK_TAGS = _tags(
    "html body p div section article main header footer aside nav address center details"
    " summary fieldset legend hgroup dl dd figure dialog search tr thead tbody tfoot"
)
VOID_TAGS = _tags("area base br col embed hr img input link meta source track wbr")
FRAME_TAGS = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "heading"),
    **dict.fromkeys(("ul", "ol", "menu", "dir"), "list"),
    **dict.fromkeys(("td", "th"), "cell"),
    **{"li": "item", "blockquote": "quote", "pre": "pre", "table": "table", "caption": "caption"},
}


def parse_html(html: str) -> _Element | None:
    """The element tree of `html` (None when nothing parses)."""
    data = storable(html[:MAX_INPUT]).encode("utf-8")
    root, too_deep = _lxml(data)
    if too_deep:
        flattener = _Flattener()
        flattener.feed(data.decode("utf-8"))
        flattener.close()
        root, _ = _lxml("".join(flattener.out).encode("utf-8"))
    return root


def _parser() -> lxml.etree.HTMLParser:
    """This thread's parser (making one costs about as much as parsing a short fragment; a
    parser is reused but never shared between threads)."""
    parser: lxml.etree.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = lxml.etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
            huge_tree=True,
        )  # fmt: skip
    return parser


def _lxml(data: bytes) -> tuple[_Element | None, bool]:
    """The parsed page, and whether libxml2 gave up on its depth."""
    parser = _parser()
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
        if self.skipping or tag in RAW_SKIP_TAGS:
            self.skipping += [tag] if not self.skipping or tag == self.skipping[0] else []
            return
        void = tag in VOID_TAGS
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
        if (tag in BLOCK_TAGS or tag in FRAME_TAGS) and self.out[-1:] != ["<br>"]:
            self.out.append("<br>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data, quote=False))
