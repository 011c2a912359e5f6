"""What feedparser calls things: its namespace prefixes and the element names it has handlers
for (feedparser 6.0: `_FeedParserMixin.namespaces` and its `_start_*`/`_end_*` methods).

Data, not code: the fast path (`emulate`) names every element as feedparser's strict parser
does ("dc_creator", "media_content", "title" for RSS, RDF and Atom alike), and treats any element
feedparser has a handler for that it does not replay as something it does not understand.
tests/core/test_fastpath.py holds these lists to the installed feedparser.
"""

from __future__ import annotations

from lxml import etree


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`."""
    return frozenset(text.split())


_PREFIXED = {
    "admin": ("http://webns.net/mvcb/",),
    "ag": ("http://purl.org/rss/1.0/modules/aggregation/",),
    "annotate": ("http://purl.org/rss/1.0/modules/annotate/",),
    "audio": ("http://media.tangent.org/rss/1.0/",),
    "blogChannel": ("http://backend.userland.com/blogChannelModule",),
    "cc": ("http://creativecommons.org/ns#license", "http://web.resource.org/cc/"),
    "co": ("http://purl.org/rss/1.0/modules/company",),
    "content": ("http://purl.org/rss/1.0/modules/content/",),
    "cp": ("http://my.theinfo.org/changed/1.0/rss/",),
    "creativeCommons": (
        "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html",
        "http://backend.userland.com/creativeCommonsRssModule",
    ),
    "dc": ("http://purl.org/dc/elements/1.1/",),
    "dcterms": ("http://purl.org/dc/terms/",),
    "email": ("http://purl.org/rss/1.0/modules/email/",),
    "ev": ("http://purl.org/rss/1.0/modules/event/",),
    "feedburner": ("http://rssnamespace.org/feedburner/ext/1.0",),
    "fm": ("http://freshmeat.net/rss/fm/",),
    "foaf": ("http://xmlns.com/foaf/0.1/",),
    "geo": ("http://www.w3.org/2003/01/geo/wgs84_pos#",),
    "georss": ("http://www.georss.org/georss",),
    "gml": ("http://www.opengis.net/gml",),
    "icbm": ("http://postneo.com/icbm/",),
    "image": ("http://purl.org/rss/1.0/modules/image/",),
    "itunes": (
        "http://www.itunes.com/DTDs/PodCast-1.0.dtd",
        "http://example.com/DTDs/PodCast-1.0.dtd",
    ),
    "l": ("http://purl.org/rss/1.0/modules/link/",),
    "media": ("http://search.yahoo.com/mrss", "http://search.yahoo.com/mrss/"),
    "pingback": ("http://madskills.com/public/xml/rss/module/pingback/",),
    "prism": ("http://prismstandard.org/namespaces/1.2/basic/",),
    "psc": ("http://podlove.org/simple-chapters",),
    "rdf": ("http://www.w3.org/1999/02/22-rdf-syntax-ns#",),
    "rdfs": ("http://www.w3.org/2000/01/rdf-schema#",),
    "ref": ("http://purl.org/rss/1.0/modules/reference/",),
    "reqv": ("http://purl.org/rss/1.0/modules/richequiv/",),
    "search": ("http://purl.org/rss/1.0/modules/search/",),
    "slash": ("http://purl.org/rss/1.0/modules/slash/",),
    "soap": ("http://schemas.xmlsoap.org/soap/envelope/",),
    "ss": ("http://purl.org/rss/1.0/modules/servicestatus/",),
    "str": ("http://hacks.benhammersley.com/rss/streaming/",),
    "sub": ("http://purl.org/rss/1.0/modules/subscription/",),
    "sy": ("http://purl.org/rss/1.0/modules/syndication/",),
    "szf": ("http://schemas.pocketsoap.com/rss/myDescModule/",),
    "taxo": ("http://purl.org/rss/1.0/modules/taxonomy/",),
    "thr": ("http://purl.org/rss/1.0/modules/threading/",),
    "ti": ("http://purl.org/rss/1.0/modules/textinput/",),
    "trackback": ("http://madskills.com/public/xml/rss/module/trackback/",),
    "wfw": ("http://wellformedweb.org/commentAPI/",),
    "wiki": ("http://purl.org/rss/1.0/modules/wiki/",),
    "xhtml": ("http://www.w3.org/1999/xhtml",),
    "xlink": ("http://www.w3.org/1999/xlink",),
    "xml": ("http://www.w3.org/XML/1998/namespace",),
}
_UNPREFIXED = (  # RSS and Atom in all their namespaces: elements named without a prefix
    "",
    "http://backend.userland.com/rss",
    "http://blogs.law.harvard.edu/tech/rss",
    "http://purl.org/rss/1.0/",
    "http://my.netscape.com/rdf/simple/0.9/",
    "http://example.com/newformat#",
    "http://example.com/necho",
    "http://purl.org/echo/",
    "uri/of/echo/namespace#",
    "http://purl.org/pie/",
    "http://purl.org/atom/ns#",
    "http://www.w3.org/2005/Atom",
    "http://purl.org/rss/1.0/modules/rss091#",
)
# lower-cased namespace URI -> feedparser's prefix ("" for RSS and Atom)
NAMESPACES: dict[str, str] = {uri.lower(): "" for uri in _UNPREFIXED}
NAMESPACES.update({uri.lower(): prefix for prefix, uris in _PREFIXED.items() for uri in uris})

# Every element name feedparser 6.0 has a _start_ or _end_ handler for (lower-cased, as its
# strict parser names elements).
HANDLED = words(
    """abstract author body category cc_license channel cloud content content_encoded
    contributor copyright created creativecommons_license dc_author dc_contributor
    dc_creator dc_date dc_description dc_language dc_publisher dc_rights dc_subject dc_title
    dcterms_created dcterms_issued dcterms_modified dcterms_valid description email
    enclosure entry expirationdate feed feedburner_browserfriendly fullitem generator geom
    georss_box georss_line georss_point georss_polygon georss_where georssgeom gml_exterior
    gml_linearring gml_linestring gml_point gml_polygon gml_pos gml_poslist guid height
    homepage id image info issued item itunes_author itunes_block itunes_category
    itunes_email itunes_explicit itunes_image itunes_keywords itunes_link itunes_name
    itunes_owner itunes_subtitle itunes_summary keywords language lastbuilddate link
    managingeditor media_category media_content media_credit media_description media_group
    media_keywords media_license media_player media_rating media_restriction media_thumbnail
    media_title modified name newlocation psc_chapter psc_chapters pubdate published rights
    rss source subtitle summary tagline tags textinput title updated uri url webmaster where
    width xhtml_body"""
)

_NAMES: dict[str, tuple[str, bool]] = {}  # tag -> (feedparser's name, named without a prefix)


def name_of(el: etree._Element) -> tuple[str, bool]:
    """feedparser's name for an element ("dc_creator", "title") and whether it is unprefixed."""
    tag = el.tag
    assert isinstance(tag, str)
    found = _NAMES.get(tag)
    if found is not None:
        return found
    namespace, _, local = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
    lower = namespace.lower()
    if "backend.userland.com/rss" in lower:
        lower = "http://backend.userland.com/rss"
    known = NAMESPACES.get(lower)
    prefix = (known if known is not None else el.prefix) or ""
    name = f"{prefix.lower()}_{local.lower()}" if prefix else local.lower()
    if known is not None and len(_NAMES) < 4096:  # an unknown namespace's prefix may vary
        _NAMES[tag] = (name, not prefix)
    return name, not prefix
