"""The elements the fast path replays, one function each, as feedparser 6.0 handles them
(`feedparser/namespaces/_base.py`, `dc.py`, `itunes.py`, `mediarss.py`): see `emulate`."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from reader.feeds.emulate import (
    _COPY_TO_SUMMARY,
    _HTML_TYPES,
    _QUERY,
    HANDLERS,
    NotUnderstood,
    Reader,
    attributes,
    check_person,
    leaf_text,
    map_type,
    own_text,
)
from reader.feeds.simple import simple_item
from reader.feeds.urls import join
from reader.feeds.xhtml import XHTML

Handler = Callable[[Reader, etree._Element], None]


def _attrs(el: etree._Element) -> dict[str, str]:
    return attributes(el) if el.attrib else {}


# ---- structure ---------------------------------------------------------------------------
def _channel(r: Reader, el: etree._Element) -> None:
    attrs = _attrs(el)
    if "lastmod" in attrs or "href" in attrs:
        raise NotUnderstood("a CDF channel")
    r.infeed = True
    r.children(el)
    r.infeed = False


def _item(r: Reader, el: etree._Element) -> None:
    if r.inentry:
        raise NotUnderstood("an item inside an item")
    attrs = _attrs(el)
    if "lastmod" in attrs or "href" in attrs:
        raise NotUnderstood("a CDF item")
    r.title_depth = -1
    raw = simple_item(r, el, attrs.get("rdf:about", ""))
    if raw is not None:
        r.entries.append(raw)
        return
    entry: dict[str, object] = {}
    r.entries.append(entry)
    r.depths = {}
    r.inentry, r.guidislink = True, False
    if attrs.get("rdf:about"):
        entry["id"] = attrs["rdf:about"]
    r.children(el)
    r.inentry = r.has_content = False


def _image(r: Reader, el: etree._Element) -> None:
    _channel_part(r, el, "image", r.inentry)


def _textinput(r: Reader, el: etree._Element) -> None:
    _channel_part(r, el, "textinput", r.inentry or r.inimage)


def _channel_part(r: Reader, el: etree._Element, key: str, misplaced: bool) -> None:
    """A channel's image or text input: its title and link are not the channel's."""
    if misplaced:
        raise NotUnderstood(f"an {key} inside an item")
    r.context().setdefault(key, {})
    setattr(r, "in" + key, True)
    r.title_depth = -1
    r.children(el)
    setattr(r, "in" + key, False)


def _source(r: Reader, el: etree._Element) -> None:
    if not r.inentry or r.insource:
        raise NotUnderstood("a source outside an item")
    attrs = _attrs(el)
    if "url" in attrs:
        r.source["href"] = attrs["url"]
    r.insource, r.title_depth = True, -1
    r.children(el)
    r.insource = False
    value = r.text(own_text(el))
    r.store("source", value)
    if value:
        r.source["title"] = value
    r.context()["source"] = dict(r.source)
    r.source.clear()


# ---- text constructs ---------------------------------------------------------------------
def _title(r: Reader, el: etree._Element) -> None:
    detail = r.params(el, "text/plain")
    value = r.value(el, detail)
    if r.expecting:
        r.store("title", value, detail)
    if value:
        r.title_depth = r.depth


def _media_title(r: Reader, el: etree._Element) -> None:
    kept = r.title_depth
    _title(r, el)
    r.title_depth = kept


def _description(r: Reader, el: etree._Element) -> None:
    if "summary" in r.context() and not r.has_content:
        _content(r, el, "text/plain", True)
        return
    detail = r.params(el, "text/html")
    value = r.value(el, detail)
    if r.expecting:
        r.store("description", value, detail)


def _summary(r: Reader, el: etree._Element) -> None:
    if "summary" in r.context() and not r.has_content:
        _content(r, el, "text/plain", True)
        return
    detail = r.params(el, "text/plain")
    r.store("summary", r.value(el, detail), detail)


def _abstract(r: Reader, el: etree._Element) -> None:
    detail = r.params(el, "text/plain")
    value = r.value(el, detail)
    if r.expecting:
        r.store("description", value, detail)


def _subtitle(r: Reader, el: etree._Element) -> None:
    detail = r.params(el, "text/plain")
    r.store("subtitle", r.value(el, detail), detail)


def _content(r: Reader, el: etree._Element, default: str, has_content: bool) -> None:
    if has_content:
        r.has_content = True
    detail = r.params(el, default, content=True)
    copy = detail["type"] in _COPY_TO_SUMMARY
    value = r.value(el, detail)
    r.store("content", value, detail)
    if copy:
        r.context().setdefault("summary", value)


# ---- links and ids -----------------------------------------------------------------------
def _link(r: Reader, el: etree._Element) -> None:
    attrs = _attrs(el)
    rel = attrs.setdefault("rel", "alternate")
    attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
    context = r.context()
    _href(attrs)
    if "href" in attrs:
        if not attrs["href"]:  # feedparser makes it its base, which it may not have been told
            raise NotUnderstood("a link with an empty address")
        attrs["href"] = join(r.base or "", attrs["href"])
    links = context.setdefault("links", [])
    if not (r.inentry and r.inimage):
        links.append(attrs)
    if "href" in attrs:
        if rel == "alternate" and map_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = attrs["href"]
        r.children(el)
        return
    value = r.text(leaf_text(el), resolve=True)
    if not r.expecting:
        return
    if r.inentry and not r.insource:
        if not r.inimage:
            if "&" in value:
                value = _QUERY.sub(r"&\1", value.replace("&amp;", "&"))
            entry = r.entries[-1]
            entry["link"] = value
            if value:
                entry["links"][-1]["href"] = value
    else:
        value = _QUERY.sub(r"&\1", value) if "&" in value else value
        context = r.context()
        context["link"] = value
        context["links"][-1]["href"] = value


def _href(attrs: dict[str, str]) -> None:
    """feedparser's _enforce_href: url, else uri, else href, as href."""
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href


def _guid(r: Reader, el: etree._Element) -> None:
    r.guidislink = _attrs(el).get("ispermalink", "true") == "true"
    value = r.text(leaf_text(el))  # tidings never resolves ids (see parse.py)
    r.store("id", value)
    context = r.context()
    context.setdefault("guidislink", r.guidislink and "link" not in context)
    if r.guidislink:
        context.setdefault("link", value)


def _dated(key: str) -> Handler:
    def date(r: Reader, el: etree._Element) -> None:
        r.store(key, r.text(leaf_text(el)))

    return date


# ---- people ------------------------------------------------------------------------------
def _author(r: Reader, el: etree._Element) -> None:
    if r.inauthor or r.incontributor or r.inpublisher:
        raise NotUnderstood("an author inside a person")
    check_person(el)
    r.inauthor = True
    r.context().setdefault("authors", []).append({})
    r.children(el)
    r.store("author", r.text(own_text(el)))
    r.inauthor = False
    r.sync_author()


def _contributor(r: Reader, el: etree._Element) -> None:
    if r.inauthor or r.incontributor or r.inpublisher:
        raise NotUnderstood("a contributor inside a person")
    check_person(el)
    r.incontributor = True
    r.children(el)
    r.incontributor = False


def _dc_contributor(r: Reader, el: etree._Element) -> None:
    if r.inauthor or r.inpublisher:
        raise NotUnderstood("a contributor inside a person")
    leaf_text(el)


def _owner(r: Reader, el: etree._Element) -> None:
    if r.inauthor or r.incontributor or r.inpublisher:
        raise NotUnderstood("an iTunes owner inside a person")
    check_person(el)
    r.inpublisher = True
    r.children(el)
    r.inpublisher = False


def _person_part(key: str) -> Handler:
    def part(r: Reader, el: etree._Element) -> None:
        value = leaf_text(el).strip()
        if r.inpublisher:
            r.save_author(key, value, "publisher")
        elif r.inauthor:
            r.save_author(key, value)

    return part


def _url(r: Reader, el: etree._Element) -> None:
    value = r.text(leaf_text(el), resolve=True)
    if r.inauthor:
        r.save_author("href", value)


# ---- media ---------------------------------------------------------------------------------
def _enclosure(r: Reader, el: etree._Element) -> None:
    attrs = _attrs(el)
    _href(attrs)
    _resolve(r, attrs, "href")
    attrs["rel"] = "enclosure"
    r.context().setdefault("links", []).append(attrs)
    r.children(el)


def _media_content(r: Reader, el: etree._Element) -> None:
    attrs = _attrs(el)
    _resolve(r, attrs, "url")
    r.context().setdefault("media_content", []).append(attrs)
    r.children(el)


def _resolve(r: Reader, attrs: dict[str, str], key: str) -> None:
    """An enclosure's URL resolved against the base in effect (xml:base), as links are
    (parse.py makes feedparser do the same: `_resolving`)."""
    value = attrs.get(key, "").strip()
    if value:
        attrs[key] = join(r.base or "", value)


def _media_thumbnail(r: Reader, el: etree._Element) -> None:
    thumbs = r.context().setdefault("media_thumbnail", [])
    thumbs.append(_attrs(el))
    url = r.text(leaf_text(el), resolve=True)
    if url.strip():
        last = r.context()["media_thumbnail"][-1]
        last.setdefault("url", url)


def _media_player(r: Reader, el: etree._Element) -> None:
    player = _attrs(el)
    player["content"] = leaf_text(el).strip()
    r.context()["media_player"] = player


def _itunes_image(r: Reader, el: etree._Element) -> None:
    attrs = _attrs(el)
    href = attrs.get("href") or attrs.get("url")
    if href:
        r.context()["image"] = {"href": href}
    r.children(el)


HANDLERS.update(
    {
        "channel": _channel,
        "feed": _channel,
        "item": _item,
        "entry": _item,
        "image": _image,
        "textinput": _textinput,
        "source": _source,
        "title": _title,
        "dc_title": _title,
        "media_title": _media_title,
        "description": _description,
        "dc_description": _description,
        "media_description": _description,
        "summary": _summary,
        "itunes_summary": _summary,
        "abstract": _abstract,
        "subtitle": _subtitle,
        "tagline": _subtitle,
        "itunes_subtitle": _subtitle,
        "content": lambda r, el: _content(r, el, "text/plain", True),
        "content_encoded": lambda r, el: _content(r, el, "text/html", True),
        "fullitem": lambda r, el: _content(r, el, "text/html", True),
        "body": lambda r, el: _content(r, el, XHTML, False),
        "xhtml_body": lambda r, el: _content(r, el, XHTML, False),
        "link": _link,
        "guid": _guid,
        "id": _guid,
        **dict.fromkeys(("pubdate", "published", "issued", "dcterms_issued"), _dated("published")),
        **dict.fromkeys(
            ("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"),
            _dated("updated"),
        ),
        **dict.fromkeys(("created", "dcterms_created"), _dated("created")),
        **dict.fromkeys(
            ("author", "dc_author", "dc_creator", "itunes_author", "managingeditor"), _author
        ),
        "contributor": _contributor,
        "dc_contributor": _dc_contributor,
        "itunes_owner": _owner,
        "name": _person_part("name"),
        "itunes_name": _person_part("name"),
        "email": _person_part("email"),
        "itunes_email": _person_part("email"),
        "url": _url,
        "uri": _url,
        "homepage": _url,
        "enclosure": _enclosure,
        "media_content": _media_content,
        "media_thumbnail": _media_thumbnail,
        "media_player": _media_player,
        "media_group": Reader.children,
        "itunes_image": _itunes_image,
        "itunes_link": _itunes_image,
    }
)
