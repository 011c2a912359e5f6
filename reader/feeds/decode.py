"""Content-Encoding gzip/deflate decoding under a cap on the decoded size (no gzip bomb gets
past it: zlib is asked for at most cap + 1 bytes at a time). Used by the fetcher while it
streams, and by parser processes for bodies the fetcher passed on still compressed."""

from __future__ import annotations

import zlib

SUPPORTED = ("", "identity", "gzip", "x-gzip", "deflate")


class BodyTooLarge(Exception):
    """The decoded body passed the size cap."""


def check_encoding(encoding: str) -> None:
    """ValueError for a Content-Encoding tidings did not ask for (it sends gzip, deflate)."""
    if encoding.strip().lower() not in SUPPORTED:
        raise ValueError(f"unsupported Content-Encoding {encoding!r}")


class Decoder:
    """Content-Encoding gzip/deflate/identity, decoded in bounded steps under a size cap."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.encoding = encoding.strip().lower()
        self.z: zlib._Decompress | None = None
        check_encoding(self.encoding)
        if self.encoding in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(zlib.MAX_WBITS | 32)

    def feed(self, data: bytes) -> bytes:
        """Decode one chunk; raises BodyTooLarge past the cap."""
        if self.encoding == "deflate" and self.z is None and data:
            # "deflate" is zlib-wrapped by the standard, raw in the wild: the header tells.
            zlib_header = (data[0] & 0x0F) == 8
            self.z = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        if self.z is None:
            return self._count(data)
        out = [self._count(self.z.decompress(data, self.cap - self.size + 1))]
        while self.z.unconsumed_tail:
            tail = self.z.unconsumed_tail
            out.append(self._count(self.z.decompress(tail, self.cap - self.size + 1)))
        return b"".join(out)

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.cap:
            raise BodyTooLarge
        return data


def decode_body(raw: bytes, encoding: str, cap: int) -> bytes:
    """A whole body decoded from `encoding`; BodyTooLarge past `cap`, zlib.error if corrupt."""
    decoder = Decoder(encoding, cap)
    out = decoder.feed(raw)
    if decoder.z is not None and not decoder.z.eof and raw:
        raise zlib.error("truncated compressed body")
    return out
