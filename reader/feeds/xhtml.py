"""Inline XHTML content (Atom `type="xhtml"`, RSS `<body>` / `<xhtml:body>`) written out as
feedparser writes it, so that both paths store the same markup.

feedparser rebuilds such content from its parse events: lower-case tag names without prefixes,
attributes in document order with lower-case names (rel and type values lower-cased too), each
value in double quotes, text escaped, every element closed with an end tag (`<br></br>`). In
Atom it then drops the one `<div>` that wraps everything.
Elements feedparser has a handler for (it runs the end-tag handler even inside content), SVG
and MathML are left to feedparser itself.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from reader.feeds.fpnames import HANDLED, name_of

XHTML = "application/xhtml+xml"
_NS = "{http://www.w3.org/1999/xhtml}"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_ATTR_ESCAPES = {'"': "&quot;"}


class ForeignMarkup(Exception):
    """Inline content feedparser would not write out as plain XHTML."""


def xhtml_value(el: etree._Element, *, strip_div: bool) -> str:
    """The inline XHTML inside `el` as one string (see the module docstring); ForeignMarkup
    for what only feedparser should write out."""
    pieces: list[str] = []
    _inside(el, pieces)
    if strip_div:
        pieces = _without_wrapping_div(pieces)
    return "".join(pieces)


def _write(el: etree._Element, pieces: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str):
        return
    name = tag.rpartition("}")[2].lower()
    if name in ("svg", "math") or _handled(el):
        # feedparser runs its handler for the end tag of an element it knows (a <title>, a
        # <source>, an XHTML <body>) even inside content; SVG and MathML it treats apart
        raise ForeignMarkup(f"a <{name}> inside inline content")
    attrs = []
    for raw_key, raw_value in el.attrib.items():
        key, value = str(raw_key), str(raw_value)
        if key.startswith(_XML_NS):
            key = "xml:" + key[len(_XML_NS) :]
        elif key[0] == "{":
            raise ForeignMarkup("a namespaced attribute in XHTML content")
        key = key.lower()
        value = value.lower() if key in ("rel", "type") else value
        attrs.append(f' {key}="{escape(value, _ATTR_ESCAPES)}"')
    pieces.append(f"<{name}{''.join(attrs)}>")
    _inside(el, pieces)
    pieces.append(f"</{name}>")


def _inside(el: etree._Element, pieces: list[str]) -> None:
    """The text and elements inside `el`, written out."""
    if el.text:
        pieces.append(escape(el.text))
    for child in el:
        _write(child, pieces)
        if child.tail:
            pieces.append(escape(child.tail))


def _handled(el: etree._Element) -> bool:
    return name_of(el)[0] in HANDLED


def _without_wrapping_div(pieces: list[str]) -> list[str]:
    """feedparser's Atom rule, as it is: drop an outer div that wraps all the content."""
    while pieces and len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while pieces and len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if (
        pieces
        and (pieces[0] == "<div>" or pieces[0].startswith("<div "))
        and pieces[-1] == "</div>"
    ):
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    return pieces
            elif piece.startswith("<") and not piece.endswith("/>"):
                depth += 1
        return pieces[1:-1]
    return pieces
