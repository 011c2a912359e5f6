"""Character encodings of feed and page bodies: labels, BOMs, declarations, transcoding.

Labels are read the way browsers read them (the WHATWG Encoding Standard), not the way Python's
codec of the same name would: the GB family (gb2312, gbk, euc-cn, ...) as gb18030, its superset,
so GBK-only and four-byte characters decode without mojibake; iso-8859-1 and us-ascii as
windows-1252; Big5 as Big5-HKSCS; Shift_JIS as windows-31j (cp932); EUC-KR as windows-949.
UTF-7 and Python's non-text codecs (base64, rot13, unicode-escape, ...) are refused.

Order of evidence: a byte order mark wins; then the labels the caller gives (the HTTP charset,
then the document's own declaration); a body that is valid UTF-8 is read as UTF-8 whenever one of
those labels says so. When nothing names the encoding and the body is not UTF-8, it is detected
from the bytes (`detect_encoding`): the language the document declares (RSS `<language>`,
`xml:lang`, `<html lang>`, or the HTTP Content-Language) names the likely encodings first, since
detectors guess wrong on short texts; then charset-normalizer (this module is its one home: it is
maintained, pure Python with optional speedups, and ranks candidates by how orderly the decoded
text is) among the encodings browsers know. No function here raises on any input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded by the first guess (~15 ms): most feeds say their encoding
    import charset_normalizer

_GB = ["gbk", "x-gbk", "gb2312", "gb_2312", "gb_2312-80", "csgb2312", "euc-cn", "x-euc-cn"]
_GB += ["cp936", "ms936", "windows-936", "chinese", "iso-ir-58", "csiso58gb231280", "gb18030"]
# Labels (raw or Python's canonical codec name) and the superset codec they are read as.
_SUPERSET: dict[str, str] = dict.fromkeys(_GB, "gb18030")
_SUPERSET.update(dict.fromkeys(("iso8859-1", "ascii", "us-ascii", "latin1"), "cp1252"))
_SUPERSET.update(dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5"), "big5hkscs"))
_SUPERSET.update(dict.fromkeys(("shift_jis", "windows-31j", "x-sjis", "csshiftjis"), "cp932"))
_SUPERSET.update(dict.fromkeys(("euc_kr", "windows-949", "ks_c_5601-1987"), "cp949"))
_SUPERSET.update({"iso8859-9": "cp1254", "tis-620": "cp874", "iso8859-11": "cp874"})
_SUPERSET.update({"unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8"})
_REFUSED = frozenset(
    {"utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs"}
)
_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" (or "<" and a letter) in a wide encoding without a BOM (XML 1.0, appendix F).
_WIDE_PREFIXES = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_LABEL = rb"[\"']?\s*([A-Za-z0-9._:()+-]{1,40})"
_XML_DECL = re.compile(rb"^\s*<\?xml\s[^>]{0,200}?\bencoding\s*=\s*" + _LABEL)
_XML_DECL_TEXT = re.compile(r"^(\s*<\?xml\s[^>]{0,200}?\bencoding\s*=\s*)([\"'])[^\"']{0,40}\2")
_META = re.compile(rb"<meta\b[^>]{0,500}?\bcharset\s*=\s*" + _LABEL, re.IGNORECASE)
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]*)[\"']?", re.IGNORECASE)
_META_WINDOW = 8192
_LANGUAGE = re.compile(
    rb"<(?:dc:)?language>\s*([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2,4}))?|"
    rb"\b(?:xml:)?lang\s*=\s*[\"']([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2,4}))?",
    re.IGNORECASE,
)
# The legacy encodings of a language, most common first (read through _SUPERSET's codecs).
_BY_LANGUAGE = {
    "zh": ("gb18030", "big5hkscs"),
    "zh-tw": ("big5hkscs", "gb18030"),
    "zh-hk": ("big5hkscs", "gb18030"),
    "zh-mo": ("big5hkscs", "gb18030"),
    "zh-hant": ("big5hkscs", "gb18030"),
    "ja": ("cp932", "euc_jp"),
    "ko": ("cp949",),
    "ru": ("cp1251", "koi8_r"),
    "uk": ("cp1251", "koi8_u"),
    "be": ("cp1251",),
    "bg": ("cp1251",),
    "sr": ("cp1251",),
    "mk": ("cp1251",),
    "el": ("cp1253",),
    "tr": ("cp1254",),
    "he": ("cp1255",),
    "ar": ("cp1256",),
    "fa": ("cp1256",),
    "th": ("cp874",),
    "vi": ("cp1258",),
    "pl": ("cp1250",),
    "cs": ("cp1250",),
    "sk": ("cp1250",),
    "hu": ("cp1250",),
    "hr": ("cp1250",),
    "sl": ("cp1250",),
    "ro": ("cp1250",),
    "lt": ("cp1257",),
    "lv": ("cp1257",),
    "et": ("cp1257",),
}
# What the detector may answer: the encodings the web uses (WHATWG), as Python codecs.
_DETECTABLE = [
    "gb18030", "big5", "cp932", "euc_jp", "cp949", "cp1250", "cp1251", "cp1252", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "koi8_r", "koi8_u",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8", "cp866", "mac_cyrillic",
]  # fmt: skip
_MULTIBYTE = frozenset({"gb18030", "big5", "cp932", "euc_jp", "cp949"})
_DETECT_WINDOW = 256 * 1024  # enough bytes to tell; a 16 MiB body is not read through twice


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, the codec used, and whether undecodable bytes were replaced."""

    text: str
    encoding: str
    lossy: bool = False


@dataclass(frozen=True, slots=True)
class XmlBody:
    """An XML document re-encoded as UTF-8 with a matching (or no) declaration."""

    body: bytes
    encoding: str  # the codec the original bytes were read with
    lossy: bool = False


def decode_label(label: str | None) -> str | None:
    """The Python codec a charset label should be read with, or None if unknown or unsafe.

    GB labels (gbk, gb2312, euc-cn, ... in any case) give "gb18030"; see the module docstring.
    """
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if not re.fullmatch(r"[a-z0-9._:()+-]{1,40}", name):
        return None
    if name in _SUPERSET:
        return _SUPERSET[name]
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return _SUPERSET.get(info.name, info.name)


def charset_param(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type value, as given (None when absent)."""
    match = _CHARSET_PARAM.search(content_type or "")
    return (match.group(1) or None) if match else None


def with_charset(content_type: str, charset: str) -> str:
    """`content_type` with its charset parameter set to `charset` (added when missing)."""
    media = _CHARSET_PARAM.sub("", content_type).strip().rstrip(";").strip()
    return f"{media or 'application/xml'}; charset={charset}"


def _sniff_wide(body: bytes) -> tuple[str, int] | None:
    """The codec and BOM length given by a byte order mark or a wide '<' (else None)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    for prefix, name in _WIDE_PREFIXES:
        if body.startswith(prefix):
            return name, 0
    return None


def _head_ascii(body: bytes, size: int = 512) -> bytes:
    """The first `size` bytes of `body` as ASCII-compatible bytes, whatever its encoding."""
    sniffed = _sniff_wide(body)
    if sniffed is None:
        return body[:size]
    codec, skip = sniffed
    if codec == "utf-8":
        return body[skip : skip + size]
    head = body[skip : skip + 4 * size].decode(codec, "ignore")
    return head.encode("ascii", "ignore")


def xml_declared_label(body: bytes) -> str | None:
    """The encoding label of the XML declaration at the start of `body`, if any."""
    match = _XML_DECL.match(_head_ascii(body))
    return match.group(1).decode("ascii") if match else None


def _strict(body: bytes, codec: str) -> str | None:
    """`body` decoded strictly with `codec`, or None when it does not decode."""
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_language(body: bytes, language: str | None = None) -> str:
    """The language a document says it is in ("zh-tw", "ja", ...; "" when it says none): the
    HTTP Content-Language when given, else RSS `<language>`, `xml:lang` or `<html lang>`."""
    text = (language or "").split(",")[0].strip().lower().replace("_", "-")
    if text:
        return text
    match = _LANGUAGE.search(_head_ascii(body, _META_WINDOW))
    if match is None:
        return ""
    parts = [p.decode("ascii").lower() for p in match.groups() if p]
    return "-".join(parts[:2])


def _by_language(language: str) -> tuple[str, ...]:
    return _BY_LANGUAGE.get(language) or _BY_LANGUAGE.get(language.split("-")[0], ())


def detect_encoding(body: bytes, language: str = "") -> str | None:
    """The encoding of an unlabelled, non-UTF-8 body: the first one the declared `language`
    suggests that decodes the body, else charset-normalizer's choice among the web's encodings.
    On a few bytes of Chinese or Japanese the detector often ranks some Latin or Cyrillic code
    page first: a CJK encoding close behind it is taken instead; and between code pages that
    give the very same text, windows-1252 (the web's default) is named."""
    for codec in _by_language(language):
        if _strict(body, codec) is not None:
            return codec
    results = _ranked(body[:_DETECT_WINDOW], _DETECTABLE)
    if not results:
        return None
    best = results[0]
    if best.encoding not in _MULTIBYTE:
        for other in results[1:3]:
            if other.encoding in _MULTIBYTE and other.chaos <= best.chaos + 0.05:
                return str(_SUPERSET.get(other.encoding, other.encoding))
    tied = (r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence))
    names = {name for r in tied for name in r.could_be_from_charset}
    name = "cp1252" if "cp1252" in names else best.encoding
    return str(_SUPERSET.get(name, name))


def _ranked(sample: bytes, codecs: list[str]) -> list[charset_normalizer.CharsetMatch]:
    """charset-normalizer's candidates for `sample` among `codecs`, best first."""
    import charset_normalizer

    try:
        return list(charset_normalizer.from_bytes(sample, cp_isolation=codecs))
    except Exception:  # a detector bug must not stop a feed
        return []


def decode_bytes(
    body: bytes, labels: Iterable[str | None] = (), language: str | None = None
) -> Decoded:
    """`body` as text: BOM (or wide '<') first, then `labels` in order, then UTF-8.

    A label is used when the body decodes under it strictly; valid UTF-8 wins whenever any label
    says UTF-8. An unlabelled body that is not UTF-8 is detected (`detect_encoding`, helped by
    the `language` given, else the one the document declares). When nothing decodes cleanly the
    first label (else the detected encoding, else windows-1252) is used with U+FFFD
    replacements and `lossy` set.
    """
    sniffed = _sniff_wide(body)
    if sniffed is not None:
        codec, skip = sniffed
        text = _strict(body[skip:], codec)
        if text is not None:
            return Decoded(text, codec)
        return Decoded(body[skip:].decode(codec, "replace"), codec, lossy=True)
    found = (decode_label(label) for label in labels)
    candidates = list(dict.fromkeys(c for c in found if c and c not in _WIDE))
    if not candidates:
        if _strict(body, "utf-8") is not None:
            return Decoded(body.decode("utf-8"), "utf-8")
        detected = detect_encoding(body, declared_language(body, language)) or "cp1252"
        order, fallback = [detected, "cp1252"], detected
    elif "utf-8" in candidates:
        order, fallback = ["utf-8", *(c for c in candidates if c != "utf-8")], candidates[0]
    else:
        order, fallback = candidates, candidates[0]
    for codec in order:
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec)
    return Decoded(body.decode(fallback, "replace"), fallback, lossy=True)


def _is_plain_utf8(body: bytes, labels: Iterable[str | None]) -> bool:
    """True when `body` needs no transcoding: no BOM, every label UTF-8 (or none), valid."""
    if _sniff_wide(body) is not None:
        return False
    if any(decode_label(label) not in (None, "utf-8") for label in labels if label):
        return False
    return _strict(body, "utf-8") is not None


def xml_to_utf8(
    body: bytes, content_type: str | None = None, language: str | None = None
) -> XmlBody:
    """An XML body re-encoded as UTF-8 with its declaration rewritten to say so.

    The encoding comes from the BOM, the Content-Type charset, the XML declaration, else UTF-8
    (text/xml without a charset follows the declaration), else detected (see `decode_bytes`;
    `language` is the HTTP Content-Language). A body already in valid UTF-8 is returned as is
    (minus leading whitespace), so the common case costs one validation.
    """
    labels = [charset_param(content_type), xml_declared_label(body)]
    if _is_plain_utf8(body, labels):
        return XmlBody(body.lstrip(), "utf-8")
    decoded = decode_bytes(body, labels, language)
    text = decoded.text.lstrip("\ufeff").lstrip()
    text = _XML_DECL_TEXT.sub(r"\1\2utf-8\2", text, count=1)
    return XmlBody(text.encode("utf-8", "replace"), decoded.encoding, decoded.lossy)


def meta_charset_label(body: bytes) -> str | None:
    """The label of the first `<meta charset>` or http-equiv Content-Type in an HTML head."""
    match = _META.search(_head_ascii(body, _META_WINDOW))
    return match.group(1).decode("ascii") if match else None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """An HTML page as text: BOM, then the HTTP charset, `<meta>` charset, XML declaration,
    else detected from the bytes."""
    labels = [charset_param(content_type), meta_charset_label(body), xml_declared_label(body)]
    return decode_bytes(body, labels)


def sniff_html_charset(body: bytes, content_type: str | None = None) -> str:
    """The Python codec an HTML page should be decoded with (see `decode_html`)."""
    return decode_html(body, content_type).encoding
