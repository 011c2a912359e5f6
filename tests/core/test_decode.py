"""Content-Encoding decoding under a cap (used while streaming and in parser processes)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from reader.feeds.decode import BodyTooLarge, Decoder, check_encoding, decode_body

TEXT = "咸宁新闻 Xianning news ".encode() * 1000


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", gzip.compress(TEXT, mtime=0)),
        ("x-gzip", gzip.compress(TEXT, mtime=0)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send
        ("", TEXT),
        ("identity", TEXT),
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "none", "identity"],
)
def test_decodes_whole_and_in_chunks(encoding: str, data: bytes) -> None:
    assert decode_body(data, encoding, len(TEXT)) == TEXT
    d = Decoder(encoding, len(TEXT))
    assert b"".join(d.feed(data[i : i + 7]) for i in range(0, len(data), 7)) == TEXT


def test_cap_is_exact_and_bombs_stop_early() -> None:
    with pytest.raises(BodyTooLarge):
        decode_body(gzip.compress(TEXT), "gzip", len(TEXT) - 1)
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    d = Decoder("gzip", 1024)
    with pytest.raises(BodyTooLarge):
        d.feed(bomb)
    assert d.size <= 1025 + 1  # zlib was never asked for more than cap + 1 bytes


def test_corrupt_truncated_and_unknown() -> None:
    with pytest.raises(zlib.error):
        decode_body(b"\x1f\x8b\x08\x00garbage", "gzip", 1000)
    with pytest.raises(zlib.error):
        decode_body(gzip.compress(TEXT)[:50], "gzip", len(TEXT))
    with pytest.raises(ValueError, match="unsupported Content-Encoding 'br'"):
        check_encoding("br")
