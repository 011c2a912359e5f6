"""Base URLs and relative links, the way both parsers resolve them.

A document's base is its address, or the HTTP Content-Location resolved against it; `xml:base`
(or a plain `base` attribute) on any element changes the base of what it contains, but only to
a URL of a scheme feedparser accepts: a `javascript:` base is ignored and the one before it
stays (`next_base`, feedparser's rule, which the fast path follows so that both agree).
`resolve_html` makes the relative links inside an HTML summary or content absolute against the
base of the element that held it, so what is stored needs no base to be read.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from reader.feeds.fpnames import words

# feedparser's urls.ACCEPTABLE_URI_SCHEMES (data: both parsers must refuse the same bases)
ACCEPTABLE_SCHEMES = words(
    """file ftp gopher h323 hdl http https imap magnet mailto mms news nntp prospero rsync rtsp
    rtspu sftp shttp sip sips snews svn svn+ssh telnet wais aim callto cvs facetime feed git
    gtalk irc ircs irc6 itms msnim skype ssh smb ymsg"""
)
_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_HTTP = ("http", "https")
# A whole start tag of an element that carries links (its attributes stop at the next < or >:
# the scan never goes back over a stretch it has read, whatever the markup), then each
# href/src/cite/... value in it (quoted or not).
_LINK_TAG = re.compile(
    r"<(?:a|area|link|img|image|audio|video|source|track|iframe|embed|frame|input|q|blockquote"
    r"|del|ins)\b[^<>]*>",
    re.IGNORECASE,
)
_LINK_ATTR = re.compile(
    r"""(\s(?:href|src|cite|poster|longdesc)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""",
    re.IGNORECASE,
)
# http(s)://host/path?query#fragment without whitespace, userinfo, brackets, params (;) or
# dot segments: what urljoin returns as it is
_PLAIN_ABSOLUTE = re.compile(r"https?://[^\s/?#@\[\]\\;]+(?:[/?#](?:(?!/\.)[^\s;])*)?\Z")
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def join(base: str, uri: str) -> str:
    """`uri` resolved against `base` as feedparser's `_urljoin` does ("" when unparseable).
    The common case, an http(s) URL that urljoin would give back unchanged, costs one match."""
    if _PLAIN_ABSOLUTE.match(uri) and not uri.endswith(("?", "#")) and "?#" not in uri:
        return uri
    uri = _SLASHES.sub(r"\1\3", uri)
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def safe_absolute(base: str, rel: str) -> str:
    """feedparser's `make_safe_absolute_uri`: `rel` against `base`, "" for a refused scheme."""
    if not base:
        return rel
    if not rel:
        try:
            scheme = urlsplit(base).scheme
        except ValueError:
            return ""
        return base if not scheme or scheme in ACCEPTABLE_SCHEMES else ""
    uri = join(base, rel)
    return uri if uri.strip().split(":", 1)[0] in ACCEPTABLE_SCHEMES else ""


def next_base(current: str, given: str) -> str:
    """The base inside an element with `xml:base` (or `base`) `given`, in `current`'s scope."""
    given = given or current
    if current:
        return safe_absolute(current, given) or current
    return join(current, given)


def document_base(url: str, content_location: str = "") -> str:
    """The base of a document's relative links: `url`, or the HTTP Content-Location resolved
    against it when that gives an http(s) URL (a `javascript:` location is ignored)."""
    location = content_location.strip()
    if not location:
        return url
    try:
        joined = urljoin(url, location)
        scheme = urlsplit(joined).scheme.lower()
    except ValueError:
        return url
    return joined if scheme in _HTTP else url


def resolve_html(markup: str, base: str) -> str:
    """`markup` with its relative link attributes (a href, img src, ...) made absolute against
    `base` (an http(s) URL; anything else leaves the markup as it is). Absolute links, fragment
    links and the rest of the markup are untouched."""
    if not base.startswith(("http://", "https://")) or "=" not in markup:
        return markup

    def absolute(match: re.Match[str]) -> str:
        raw = match.group(2)
        quote = raw[0] if raw[0] in "\"'" else ""
        value = html.unescape(raw[1:-1] if quote else raw).strip()
        if not value or value.startswith("#") or _HAS_SCHEME.match(value):
            return match.group(0)
        resolved = join(base, value)
        if not resolved.startswith(("http://", "https://")):
            return match.group(0)
        return f'{match.group(1)}"{html.escape(resolved)}"'

    return _LINK_TAG.sub(lambda tag: _LINK_ATTR.sub(absolute, tag.group(0)), markup)
