"""Feeds and pages: `Fetcher`, over lanes of httpx clients (see `_Lanes`), with a global
concurrency limit and a per-host one, conditional GET, bodies streamed and decompressed with a
cap on the decoded size (a gzip bomb stops at the cap), one deadline over connect, headers and
body together (a slow-drip server cannot dodge it), at most `max_redirects` hops and only to
http/https."""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from reader import textsafe
from reader.config import FetchConfig
from reader.feeds.decode import BodyTooLarge, Decoder, check_encoding
from reader.feeds.fetch.common import FEED_ACCEPT, describe, retry_after, user_agent
from reader.models import FetchResult

PERMANENT = (301, 308)


class _LazyTrust(ssl.SSLContext):
    """TLS as httpx sets it up by default (certifi's CA bundle, hostnames checked), the bundle
    read when the first TLS connection is made: parsing its ~150 certificates takes ~20 ms,
    which a refresh of plain-http feeds, or of feeds that all answer 304, need not pay."""

    _trusting = False

    def _trust(self) -> None:
        if not self._trusting:
            import certifi

            self.load_verify_locations(cafile=certifi.where())
            self._trusting = True

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        """Read the CA bundle first (anyio's TLS streams come through here)."""
        self._trust()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """Read the CA bundle first."""
        self._trust()
        return super().wrap_socket(*args, **kwargs)


class _Lanes:
    """`size` httpx clients of one connection each; a request takes a free one (one that last
    talked to its host when there is one, so the connection is reused) and gives it back.

    One client with a pool of `size` connections would do the same, but httpcore's pool
    checks every one of its connections (a socket probe each) and counts its idle ones in a
    loop over them, each time a request starts or ends: with 16 connections that bookkeeping
    cost more CPU than the requests themselves (1.1 s for 500 requests; 0.5 s with lanes).
    """

    def __init__(self, make: Callable[[], httpx.AsyncClient], size: int) -> None:
        self._make = make
        self._size = size
        self._free: list[tuple[str, httpx.AsyncClient]] = []  # least recently used first
        self._made: list[httpx.AsyncClient] = []
        self._slots = asyncio.Semaphore(size)

    @asynccontextmanager
    async def lane(self, host: str) -> AsyncIterator[httpx.AsyncClient]:
        """A client to make one request with (waits while all `size` are busy)."""
        async with self._slots:
            client = self._take(host)
            try:
                yield client
            finally:
                self._free.append((host, client))

    def _take(self, host: str) -> httpx.AsyncClient:
        for i in range(len(self._free) - 1, -1, -1):
            if self._free[i][0] == host:
                return self._free.pop(i)[1]
        if len(self._made) < self._size:
            self._made.append(self._make())
            return self._made[-1]
        return self._free.pop(0)[1]

    async def aclose(self) -> None:
        """Close every client's connections."""
        for client in self._made:
            await client.aclose()
        self._made.clear()
        self._free.clear()


class Fetcher:
    """An async HTTP client with tidings's limits. Use as `async with Fetcher(cfg) as f:`."""

    def __init__(
        self, config: FetchConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._transport = transport
        self._lanes: _Lanes | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self.tls: ssl.SSLContext = _LazyTrust(ssl.PROTOCOL_TLS_CLIENT)  # for every lane

    async def __aenter__(self) -> Fetcher:
        timeout = httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout)

        def client() -> httpx.AsyncClient:
            return httpx.AsyncClient(
                transport=self._transport,
                verify=self.tls,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                timeout=timeout,
                follow_redirects=True,
                max_redirects=self.config.max_redirects,
                headers={"User-Agent": user_agent(self.config), "Accept-Encoding": "gzip, deflate"},
                trust_env=False,
            )

        self._lanes = _Lanes(client, self.config.concurrency)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._lanes is not None:
            await self._lanes.aclose()
            self._lanes = None

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.config.per_host)
        return sem

    async def fetch(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: str = FEED_ACCEPT,
        decode: bool = True,
    ) -> FetchResult:
        """GET `url` within the limits; every outcome is a FetchResult (never raises for
        network or HTTP trouble). A 304 has no body; `error` is set for anything that failed.

        With `decode=False` a gzip/deflate body comes back still compressed (its encoding in
        `content_encoding`, its compressed size under the cap) for a parser process to decode
        with feeds.decode under the same cap: the event loop's core is spared the work."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return FetchResult(url, url, 0, error="only http and https URLs can be fetched")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        assert self._lanes is not None, "use Fetcher as an async context manager"
        host = f"{parts.hostname}:{parts.port}"
        async with self._host_limit(host), self._lanes.lane(host) as client:
            try:
                async with asyncio.timeout(self.config.timeout):
                    return await self._get(client, url, headers, decode)
            except TimeoutError:
                return FetchResult(url, url, 0, error=f"gave up after {self.config.timeout:g} s")
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL: a bad Location
                return FetchResult(url, url, 0, error=describe(exc))

    async def _get(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str], decode: bool
    ) -> FetchResult:
        async with client.stream("GET", url, headers=headers) as resp:
            hops = resp.history
            permanent = bool(hops) and all(r.status_code in PERMANENT for r in hops)
            got = FetchResult(
                url=url,
                final_url=str(resp.url),
                status=resp.status_code,
                headers={k.lower(): v for k, v in resp.headers.items()},
                etag=resp.headers.get("etag", ""),
                last_modified=resp.headers.get("last-modified", ""),
                permanent_url=str(resp.url) if permanent else "",
            )
            if resp.status_code == 304:  # no body: reading its end keeps the connection
                await resp.aread()  # open for the next feed (else it is closed and redialled)
                return got
            if not 200 <= resp.status_code < 300:
                after = retry_after(resp.headers.get("retry-after"), time.time())
                reason = textsafe.one_line(resp.reason_phrase)  # the server's words
                error = f"HTTP {resp.status_code} {reason}".strip()
                return replace(got, retry_after=after, error=error)
            encoding = resp.headers.get("content-encoding", "").strip().lower()
            try:
                if decode or encoding in ("", "identity"):
                    return replace(got, body=await self._read(resp, encoding))
                check_encoding(encoding)
                raw = await self._read(resp, "")
                return replace(got, body=raw, content_encoding=encoding)
            except BodyTooLarge:
                cap = self.config.max_bytes / (1024 * 1024)
                return replace(got, error=f"body larger than {cap:g} MiB")
            except (ValueError, zlib.error) as exc:
                return replace(got, error=f"undecodable body: {exc}")

    async def _read(self, resp: httpx.Response, encoding: str) -> bytes:
        """The body, decoded from `encoding` ("" keeps it as sent), under the size cap."""
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.config.max_bytes:
            raise BodyTooLarge
        decoder = Decoder(encoding, self.config.max_bytes)
        chunks = [decoder.feed(raw) async for raw in resp.aiter_raw()]
        return b"".join(chunks)
