"""Charset labels, BOMs, declarations and transcoding (reader.feeds.charset)."""

from __future__ import annotations

import codecs
import random

import pytest

from reader.feeds.charset import (
    charset_param,
    decode_bytes,
    decode_html,
    decode_label,
    sniff_html_charset,
    with_charset,
    xml_declared_label,
    xml_to_utf8,
)

GBK_ONLY = "朱镕基 王堃"  # not in GB2312
FOUR_BYTE = "𠮷"  # GB18030 four-byte sequence, not in GBK


@pytest.mark.parametrize(
    "label",
    [
        "gbk",
        "GBK",
        "x-gbk",
        "gb2312",
        "GB2312",
        "gb_2312-80",
        "csgb2312",
        "EUC-CN",
        " gb2312 ",
        '"gbk"',
    ],
)
def test_gb_labels_read_as_gb18030(label: str) -> None:
    assert decode_label(label) == "gb18030"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("Shift_JIS", "cp932"),
        ("big5", "big5hkscs"),
        ("euc-kr", "cp949"),
        ("koi8-r", "koi8-r"),
    ],
)
def test_labels_map_to_the_codec_browsers_use(label: str, codec: str) -> None:
    assert decode_label(label) == codec


@pytest.mark.parametrize(
    "label",
    [
        "utf-7",
        "base64",
        "rot13",
        "zlib",
        "unicode_escape",
        "idna",
        "no-such",
        "a\x00b",
        "",
        None,
        "x" * 60,
    ],
)
def test_unsafe_or_unknown_labels_are_refused(label: str | None) -> None:
    assert decode_label(label) is None


def test_content_type_charset_parameter() -> None:
    assert charset_param('text/xml; charset="GB2312"') == "GB2312"
    assert charset_param("application/rss+xml;charset=utf-8; q=1") == "utf-8"
    assert charset_param("text/xml") is None and charset_param(None) is None
    assert with_charset("text/xml; charset=gbk", "utf-8") == "text/xml; charset=utf-8"
    assert with_charset("", "utf-8") == "application/xml; charset=utf-8"


def feed_bytes(text: str, declared: str, codec: str) -> bytes:
    return f'<?xml version="1.0" encoding="{declared}"?><rss><t>{text}</t></rss>'.encode(codec)


def test_gbk_declared_gb2312_is_transcoded_to_utf8_with_a_new_declaration() -> None:
    result = xml_to_utf8(feed_bytes(GBK_ONLY, "gb2312", "gbk"))
    assert result.encoding == "gb18030" and not result.lossy
    assert (
        result.body
        == f'<?xml version="1.0" encoding="utf-8"?><rss><t>{GBK_ONLY}</t></rss>'.encode()
    )


def test_four_byte_character_declared_gbk() -> None:
    result = xml_to_utf8(feed_bytes(FOUR_BYTE + "野家", "gbk", "gb18030"))
    assert FOUR_BYTE.encode() in result.body and not result.lossy


def test_utf8_bodies_are_passed_through_unchanged() -> None:
    body = feed_bytes("中文 English", "utf-8", "utf-8")
    assert xml_to_utf8(b"\n  " + body).body == body  # leading whitespace dropped, nothing else


def test_byte_order_mark_beats_the_declaration_and_the_header() -> None:
    body = codecs.BOM_UTF8 + feed_bytes("Café 咖啡", "iso-8859-1", "utf-8")
    result = xml_to_utf8(body, "text/xml; charset=gbk")
    assert result.encoding == "utf-8"
    assert result.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert "Café 咖啡".encode() in result.body


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_sniffed(codec: str) -> None:
    result = xml_to_utf8(feed_bytes("宽 wide", "utf-16", codec))
    assert result.encoding == codec and "宽 wide".encode() in result.body


def test_http_charset_beats_the_declaration() -> None:
    body = feed_bytes(GBK_ONLY, "utf-8", "gbk")  # declaration lies, header is right
    assert GBK_ONLY.encode() in xml_to_utf8(body, "application/xml; charset=gbk").body


def test_valid_utf8_wins_when_one_label_says_utf8() -> None:
    body = feed_bytes("Café 中文", "utf-8", "utf-8")  # a server default of ISO-8859-1 is common
    result = xml_to_utf8(body, "text/xml; charset=ISO-8859-1")
    assert result.encoding == "utf-8" and "Café 中文".encode() in result.body


def test_text_xml_without_charset_follows_the_declaration() -> None:
    assert xml_to_utf8(feed_bytes(GBK_ONLY, "gb2312", "gbk"), "text/xml").encoding == "gb18030"


def test_invalid_bytes_are_replaced_and_flagged() -> None:
    result = xml_to_utf8(feed_bytes("ok", "utf-8", "utf-8").replace(b"ok", b"o\xffk"))
    assert result.lossy and "o\ufffdk".encode() in result.body


def test_unlabelled_non_utf8_falls_back_to_windows_1252() -> None:
    decoded = decode_bytes("café “quoted”".encode("cp1252"))
    assert decoded.text == "café “quoted”" and decoded.encoding == "cp1252"


def test_declared_label_is_read_from_the_prolog_only() -> None:
    assert xml_declared_label(b"  <?xml version='1.0' encoding='GBK'?><a/>") == "GBK"
    assert xml_declared_label(b"<a><?xml version='1.0' encoding='GBK'?></a>") is None
    assert (
        xml_declared_label(
            codecs.BOM_UTF16_LE + "<?xml version='1.0' encoding='utf-16'?>".encode("utf-16-le")
        )
        == "utf-16"
    )


def test_html_meta_charset_and_http_equiv() -> None:
    page = f"<html><head><meta charset='gb2312'><title>{GBK_ONLY}</title>".encode("gbk")
    assert sniff_html_charset(page) == "gb18030"
    assert GBK_ONLY in decode_html(page).text
    equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">' + "①".encode(
        "cp932"
    )
    assert sniff_html_charset(equiv) == "cp932"
    assert sniff_html_charset(page, "text/html; charset=gbk") == "gb18030"
    assert sniff_html_charset("<p>中文</p>".encode()) == "utf-8"


def test_html_http_charset_comes_before_meta() -> None:
    page = f"<meta charset=utf-8><p>{GBK_ONLY}</p>".encode("gbk")  # meta lies
    assert decode_html(page, "text/html; charset=GBK").text.endswith(GBK_ONLY + "</p>")


def test_no_input_crashes_the_charset_functions() -> None:
    rng = random.Random(20251126)
    prefixes = [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        b"<\x00",
        b"\x00<",
        b"<?xml encoding='gbk'?>",
    ]
    for _ in range(300):
        body = rng.choice(prefixes) + rng.randbytes(rng.randrange(0, 64))
        label = rng.choice(["", "gbk", "utf-16", "utf-7", "text/xml; charset=\x00", "base64"])
        assert isinstance(xml_to_utf8(body, f"text/xml; charset={label}").body, bytes)
        assert isinstance(decode_html(body, label).text, str)
