"""The fast path's reader: feedparser's strict-parser state machine, replayed over an lxml tree.

feedparser reads a document as a flat stream of start and end tags with a dozen state flags
(in an entry, a source, an image, an author...), and its quirks decide what a feed says: the
first title at the shallowest depth wins, a second description becomes content, a guid is the
link only when nothing else is, xml:base is taken only from safe schemes. The fast path wants
feedparser's answer at lxml's speed, so it replays the same rules in the same order for every
element feedparser has a handler for and the fast path knows (`Reader`), building dictionaries
of feedparser's shape (see `entries`). An element feedparser handles that the fast path does
not (GeoRSS, an image inside an entry, base64 content, markup where text belongs...) raises
NotUnderstood and the whole document goes to feedparser instead: nothing is lost on the way.
Elements feedparser has no handler for are skipped and their children read, as feedparser does.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from lxml import etree

from reader.feeds.fields import DateFallback, looks_like_html
from reader.feeds.fpnames import _NAMES, HANDLED, name_of, words
from reader.feeds.urls import join, next_base
from reader.feeds.xhtml import XHTML, ForeignMarkup, xhtml_value

MAX_PERSON = 1024  # an author field is cut here before its email is searched (see parse.py)
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_RDF_NS = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_TYPES = {"text": "text/plain", "plain": "text/plain", "html": "text/html", "xhtml": XHTML}
_HTML_TYPES = frozenset({"text/html", XHTML})
_COPY_TO_SUMMARY = frozenset({"text/plain", "text/html", XHTML})
_WIDE = re.compile("[^\x00-\xff]")
_C1 = re.compile("[\x80-\x9f]")
_UNDEFINED_1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252 = {i: bytes([i]).decode("cp1252") for i in range(0x80, 0xA0) if i not in _UNDEFINED_1252}
_QUERY = re.compile("&([A-Za-z0-9_]+);")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NOT_TEXTINPUT = frozenset({"title", "link", "description", "name"})
_NOT_IMAGE = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_IN_PERSON = frozenset(
    {"name", "email", "uri", "url", "homepage", "itunes_name", "itunes_email"}
)  # what an author may hold
# Unknown elements feedparser would store under a key tidings reads (and then trip over).
_CLASHING = words(
    """title_detail summary_detail subtitle_detail content_detail links authors guidislink"""
)


class NotUnderstood(Exception):
    """The fast path does not fully understand this document; feedparser should read it."""

    def __init__(self, reason: str, *, well_formed: bool = True) -> None:
        super().__init__(reason)
        self.well_formed = well_formed


def attributes(el: etree._Element) -> dict[str, str]:
    """An element's attributes as feedparser has them: lower-case names, rel and type values
    lower-cased, xml:* and rdf:* named so; other namespaced attributes are not understood."""
    out: dict[str, str] = {}
    for raw_key, raw_value in el.attrib.items():
        key, value = str(raw_key), str(raw_value)
        if key[0] == "{":
            if key.startswith(_XML_NS):
                key = "xml:" + key[len(_XML_NS) :]
            elif key.startswith(_RDF_NS):
                key = "rdf:" + key[len(_RDF_NS) :]
            else:
                raise NotUnderstood("a namespaced attribute")
        key = key.lower()
        out[key] = value.lower() if key in ("rel", "type") else value
    return out


def unmangle(text: str) -> str:
    """What feedparser does to every text it keeps from a UTF-8 document: UTF-8 that was read as
    Latin-1 is read again, then C1 controls become their windows-1252 characters."""
    if text.isascii() or text.encode("latin-1", "ignore").isascii():
        return text  # nothing in U+0080-U+00FF: nothing to read again or translate
    if not _WIDE.search(text):
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_CP1252) if _C1.search(text) else text


def leaf_text(el: etree._Element) -> str:
    """The text of an element that must hold only text."""
    if len(el):
        raise NotUnderstood(f"markup inside <{name_of(el)[0]}>")
    return el.text or ""


def map_type(value: str) -> str:
    """feedparser's map_content_type."""
    value = value.lower()
    return _TYPES.get(value, value)


class Reader:
    """One document's reading. `read(root)`, then `feed` and `entries` hold what feedparser
    would have in `result.feed` and `result.entries` (for the fields tidings keeps)."""

    def __init__(self, version: str, base: str, read_date: DateFallback) -> None:
        self.version = version
        self.read_date = read_date
        self.atom = version.startswith("atom")
        self.feed: dict[str, Any] = {}
        self.entries: list[Any] = []  # entry dictionaries, and RawItems read by `simple`
        self.source: dict[str, Any] = {}
        self.depths: dict[str, int] = {}  # the current entry's property depths
        self.depth = 0
        self.title_depth = -1
        self.infeed = self.inentry = self.insource = self.inimage = self.intextinput = False
        self.inauthor = self.incontributor = self.inpublisher = False
        self.has_content = False
        self.guidislink = False
        self.base = self.document_base = base
        # With a base to start from, every base is an absolute URL and each element's ends
        # with it; without one feedparser's stack is replayed (see _enter_base).
        self.bases: list[str] | None = None if base else []

    # ---- walking ----------------------------------------------------------------------
    def read(self, el: etree._Element) -> None:
        """Read `el` and everything in it."""
        name, unprefixed = _NAMES.get(el.tag) or name_of(el)
        self.depth += 1
        outer = self.base
        if self.bases is not None:
            self._enter_base(el)
        elif el.attrib and (given := _base_attribute(el)):
            self.base = next_base(self.base, given)
        if unprefixed:
            if name not in _NOT_TEXTINPUT:
                self.intextinput = False
            if name not in _NOT_IMAGE:
                self.inimage = False
        handler = HANDLERS.get(name)
        if handler is not None:
            handler(self, el)
        elif name in HARMLESS:
            self.children(el)
        elif name in HARMLESS_TEXT:
            leaf_text(el)
        elif name == "psc_chapter":
            if "start" not in attributes(el):
                raise NotUnderstood("a Podlove chapter without a start")
        elif name in HANDLED:
            raise NotUnderstood(f"<{name}> here")
        elif name == "itunes_duration":
            self._unknown_value(el, name)
        elif name in _CLASHING:
            raise NotUnderstood(f"an element named <{name}>")
        else:
            self.children(el)
        if self.bases is not None:
            self.bases.pop()
            if self.bases and self.bases[-1]:
                self.base = self.bases[-1]
        else:
            self.base = outer
        self.depth -= 1

    def children(self, el: etree._Element) -> None:
        """Read the element children of `el` in order."""
        for child in el:
            if isinstance(child.tag, str):
                self.read(child)

    def _enter_base(self, el: etree._Element) -> None:
        """feedparser's base stack, kept exactly when the document has no base of its own:
        its xml:base then outlives the element that set it."""
        assert self.bases is not None
        if el.attrib and (given := _base_attribute(el)):
            self.base = next_base(self.base, given)
        self.bases.append(self.base)

    def _unknown_value(self, el: etree._Element, name: str) -> None:
        if el.attrib:
            self.context()[name] = attributes(el)
            self.children(el)
        else:
            self.store(name, self.text(leaf_text(el)))

    # ---- feedparser's pop: what a text becomes and where it is kept ---------------------
    def context(self) -> dict[str, Any]:
        """Where values go now (feedparser's _get_context)."""
        if self.insource:
            return self.source
        if self.inimage and "image" in self.feed:
            image: dict[str, Any] = self.feed["image"]
            return image
        if self.intextinput:
            textinput: dict[str, Any] = self.feed["textinput"]
            return textinput
        return self.entries[-1] if self.inentry else self.feed

    @property
    def expecting(self) -> bool:
        """Whether a title or description here is kept at all."""
        return self.infeed or self.inentry or self.insource

    def text(self, raw: str, *, resolve: bool = False) -> str:
        """A text value as feedparser keeps it (stripped, resolved if a link, unmangled)."""
        out = raw.strip()
        if resolve and out:
            out = join(self.base or "", out)
        return unmangle(out)

    def store(self, element: str, value: str, detail: dict[str, str] | None = None) -> None:
        """feedparser's pop storing `value` under `element`."""
        if element == "title" and -1 < self.title_depth <= self.depth:
            return
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append({**(detail or {}), "value": value})
                return
            if element == "description":
                element = "summary"
            old = self.depths.get(element)
            if old is None or self.depth <= old:
                self.depths[element] = self.depth
                entry[element] = value
            if detail is not None:
                entry[element + "_detail"] = {**detail, "value": value}
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[element] = value
            if detail is not None:
                context[element + "_detail"] = {**detail, "value": value}

    def params(self, el: etree._Element, default: str, *, content: bool = False) -> dict[str, str]:
        """feedparser's contentparams for a text construct (its type and base)."""
        attrs = attributes(el) if el.attrib else {}
        kind = map_type(attrs.get("type", default))
        if attrs.get("mode") == "base64" or not (kind.startswith("text/") or kind == XHTML):
            raise NotUnderstood(f"content of type {kind!r}")
        if content and "src" in attrs:
            raise NotUnderstood("content by reference")
        return {"type": kind, "base": self.base}

    def value(self, el: etree._Element, detail: dict[str, str]) -> str:
        """The value of a text construct: its text, or its inline XHTML as feedparser writes it;
        a plain-text type becomes HTML when it looks like HTML (outside Atom)."""
        if detail["type"] == XHTML:
            try:
                out = xhtml_value(el, strip_div=self.version == "atom10").strip()
            except ForeignMarkup as why:
                raise NotUnderstood(str(why)) from None
        else:
            out = leaf_text(el).strip()
        if not self.atom and detail["type"] == "text/plain" and looks_like_html(out):
            detail["type"] = "text/html"
        return unmangle(out)

    # ---- people (feedparser's _save_author and _sync_author_detail) ---------------------
    def save_author(self, key: str, value: str, prefix: str = "author") -> None:
        """A name, email or URI of the author being read (or, inside itunes:owner, of the
        publisher: feedparser files those in the last author too). feedparser's author_detail
        may be the very dictionary of an earlier author, which this then changes too."""
        context = self.context()
        context.setdefault(prefix + "_detail", {})[key] = value
        self.sync_author()
        authors = context.setdefault("authors", [{}])
        authors[-1][key] = value

    def sync_author(self) -> None:
        """feedparser's _sync_author_detail: the author string from the last author's parts,
        or the last author's parts from the author string."""
        context = self.context()
        author = context.get("author")
        if isinstance(author, str) and len(author) > MAX_PERSON:
            author = context["author"] = author[:MAX_PERSON]
        authors = context.get("authors")
        detail = authors[-1] if authors else {}
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context["author"] = f"{name} ({email})"
            elif name or email:
                context["author"] = name or email
            return
        if isinstance(author, str) and author:
            parts = split_person(author)
            if parts:
                context.setdefault("author_detail", detail)
            detail.update(parts)


def split_person(author: str) -> dict[str, str]:
    """A name and an email from an author string ("email (Name)", "Name <email>", "Name",
    "email"), as feedparser's _sync_author_detail takes them apart ("" parts left out), with a
    pattern that knows long domains; the string is first cut to MAX_PERSON."""
    author = author[:MAX_PERSON]
    if not author:
        return {}
    found = _EMAIL.search(author)
    email = found.group(0) if found else None
    if email:
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    person = {"name": author} if author else {}
    if email:
        person["email"] = email
    return person


# The element handlers live in `handlers`, which fills this table.
HANDLERS: dict[str, Any] = {}
# Elements feedparser handles whose effects never reach what tidings keeps: skipped, their
# children read (feedparser reads them too).
HARMLESS = words(
    """category keywords tags language dc_language generator cloud newlocation itunes_category
    itunes_keywords itunes_block itunes_explicit media_category media_keywords media_rating
    media_credit media_restriction media_license dc_subject dcterms_valid width height
    cc_license creativecommons_license expirationdate webmaster dc_publisher psc_chapters
    rss"""
)
# The same, but feedparser reads them as text constructs: only as leaves.
HARMLESS_TEXT = words("""rights copyright dc_rights info feedburner_browserfriendly""")


def _base_attribute(el: etree._Element) -> str:
    """An element's xml:base, else its base attribute (any case), else "" (as feedparser)."""
    given = el.get(_XML_NS + "base")
    if given is None:
        given = next((str(v) for k, v in el.attrib.items() if str(k).lower() == "base"), "")
    return str(given)


def own_text(el: etree._Element) -> str:
    """The text directly inside `el` (its text and its children's tails)."""
    return (el.text or "") + "".join(child.tail or "" for child in el)


def check_person(el: etree._Element) -> None:
    """An author holds only names, emails and addresses (anything else: feedparser's reading
    of it depends on state the fast path does not replay)."""
    for child in el:
        if isinstance(child.tag, str) and name_of(child)[0] not in _IN_PERSON:
            raise NotUnderstood("an author with more than a name, email and URI")
