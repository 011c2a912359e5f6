"""Downloading feeds and pages. The only module that uses httpx.

Lanes of httpx clients (see `_Lanes`); a global concurrency limit and a per-host one;
conditional GET; bodies
streamed and decompressed here with a cap on the decoded size (a gzip bomb stops at the cap);
one deadline over connect, headers and body together (a slow-drip server cannot dodge it);
at most `max_redirects` hops and only to http/https.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from reader import __version__, textsafe
from reader.config import MIB, FetchConfig
from reader.feeds.decode import BodyTooLarge, Decoder, check_encoding
from reader.models import FetchResult

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_RETRY_AFTER = 7 * 24 * 3600
PERMANENT = (301, 308)


def user_agent(config: FetchConfig) -> str:
    """The User-Agent header: configured, or tidings with its version."""
    return config.user_agent or f"tidings/{__version__} (+https://github.com/tidings/tidings)"


def retry_after(value: str | None, now: float) -> int | None:
    """A Retry-After header (seconds or an HTTP date) as an absolute time, capped at a week."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = int(value)
    else:
        try:
            delay = int(email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return int(now) + max(0, min(delay, MAX_RETRY_AFTER))


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

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
                return FetchResult(url, url, 0, error=_describe(exc))

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


def _describe(exc: httpx.HTTPError | httpx.InvalidURL) -> str:
    """One line for an httpx failure."""
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL: {exc}"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "redirect to a non-http URL refused"
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}".rstrip(": ")
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP answer: {exc}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


class ApiClient:
    """Requests to a web API (a sync server) with tidings's limits: the feed deadline on each
    request, the body cap, at most `concurrency` requests at once, and no redirect followed (a
    password in a form body never goes to another address). Answers are FetchResults, never
    exceptions: `error` says what went wrong. `async with ApiClient(cfg) as api:`."""

    def __init__(
        self,
        config: FetchConfig,
        *,
        concurrency: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(concurrency)

    async def __aenter__(self) -> ApiClient:
        self._client = httpx.AsyncClient(
            transport=self._transport,
            timeout=httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent(self.config), "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def request(
        self,
        method: str,
        url: str,
        *,
        form: Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """`method` `url` (its query string as given), with `form` url-encoded as the body."""
        assert self._client is not None, "use ApiClient as an async context manager"
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            return FetchResult(url, url, 0, error="only http and https URLs can be asked")
        sent = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(list(form)).encode("ascii")
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        async with self._slots:
            try:
                async with asyncio.timeout(self.config.timeout):
                    return await self._send(method, url, body, sent)
            except TimeoutError:
                return FetchResult(url, url, 0, error=f"gave up after {self.config.timeout:g} s")
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                return FetchResult(url, url, 0, error=_describe(exc))

    async def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> FetchResult:
        assert self._client is not None
        request = self._client.build_request(method, url, content=body, headers=headers)
        resp = await self._client.send(request, stream=True)
        try:
            got = FetchResult(
                url=url,
                final_url=str(resp.url),
                status=resp.status_code,
                headers={k.lower(): v for k, v in resp.headers.items()},
            )
            if not 200 <= resp.status_code < 300:
                reason = textsafe.one_line(resp.reason_phrase)
                error = f"HTTP {resp.status_code} {reason}".strip()
                if resp.is_redirect:  # not followed: the address to configure instead
                    error += f" to {textsafe.one_line(resp.headers.get('location', ''))}"
                return replace(got, error=error)
            encoding = resp.headers.get("content-encoding", "").strip().lower()
            try:
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.config.max_bytes:
                    raise BodyTooLarge
                decoder = Decoder(encoding, self.config.max_bytes)
                chunks = [decoder.feed(raw) async for raw in resp.aiter_raw()]
                return replace(got, body=b"".join(chunks))
            except BodyTooLarge:
                return replace(got, error=f"body larger than {self.config.max_bytes / MIB:g} MiB")
            except (ValueError, zlib.error) as exc:
                return replace(got, error=f"undecodable body: {exc}")
        finally:
            await resp.aclose()


# ---- downloading a file (podcast episodes: reader/downloads.py) ------------------------------

CHUNK = 64 * 1024
_RANGE = "bytes={}-"


@dataclass(frozen=True, slots=True)
class Downloaded:
    """How a download ended: `size` bytes in the file, of `total` (None: the server did not
    say); `error` set when it did not finish (the partial file is kept to resume from)."""

    size: int
    total: int | None
    error: str = ""
    resumed: bool = False  # the server continued where an earlier attempt stopped
    validator: str = ""  # what identifies the file's bytes on disk (`validator_of`)


Progress = Callable[[int, int | None], None]  # (bytes in the file, total when known)


def validator_of(headers: httpx.Headers) -> str:
    """What identifies this version of a file, for If-Range: a strong ETag, else the
    Last-Modified date ("" when neither: a resume then trusts the server)."""
    etag = str(headers.get("etag", "")).strip()
    if etag and not etag.startswith("W/"):  # a weak ETag may not go in If-Range
        return etag
    return str(headers.get("last-modified", "")).strip()


def _total(resp: httpx.Response, offset: int) -> int | None:
    """The whole file's size from Content-Range (a 206) or Content-Length (a 200)."""
    if resp.status_code == 206:
        whole = resp.headers.get("content-range", "").rpartition("/")[2].strip()
        return int(whole) if whole.isdigit() else None
    length = resp.headers.get("content-length", "")
    return int(length) if length.isdigit() else None


def _range_start(resp: httpx.Response) -> int:
    """Where a 206's Content-Range says its bytes start (0 for anything else)."""
    if resp.status_code != 206:
        return 0
    first = resp.headers.get("content-range", "").removeprefix("bytes").strip().split("-")[0]
    return int(first) if first.isdigit() else -1


async def download(
    config: FetchConfig,
    url: str,
    part: Path,
    *,
    max_bytes: int,
    deadline: float,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    validator: str = "",
    started: Callable[[str], None] | None = None,
) -> Downloaded:
    """GET `url` into the file `part`, resuming with an HTTP Range request from what `part`
    already holds, with If-Range: `validator` (what the server said of those bytes), so that a
    file changed since comes whole and is written from the start; `started` is told the
    validator of the bytes about to be written, before any is. The feed rules apply (http/https
    only, `max_redirects` hops, the connect timeout, `[fetch] timeout` as the longest silence),
    with a cap of `max_bytes` on the whole file and `deadline` seconds for this attempt. Never
    raises for network or HTTP trouble."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return Downloaded(0, None, "only http and https URLs can be downloaded")
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Accept-Encoding": "identity", "User-Agent": user_agent(config)}
    if offset:
        headers["Range"] = _RANGE.format(offset)
        if validator:
            headers["If-Range"] = validator
    timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
    async with httpx.AsyncClient(
        transport=transport, timeout=timeout, follow_redirects=True,
        max_redirects=config.max_redirects, trust_env=False,
    ) as client:  # fmt: skip
        try:
            async with asyncio.timeout(deadline):
                got = _stream(client, url, part, offset, headers, max_bytes, progress, started)
                return await got
        except TimeoutError:
            size = part.stat().st_size if part.exists() else 0
            return Downloaded(size, None, f"gave up after {deadline:g} s (kept to resume)")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            size = part.stat().st_size if part.exists() else 0
            return Downloaded(size, None, _describe(exc))


async def _stream(
    client: httpx.AsyncClient,
    url: str,
    part: Path,
    offset: int,
    headers: dict[str, str],
    max_bytes: int,
    progress: Progress | None,
    started: Callable[[str], None] | None,
) -> Downloaded:
    async with client.stream("GET", url, headers=headers) as resp:
        if resp.status_code == 416 and offset:  # nothing after offset: complete, or changed
            whole = resp.headers.get("content-range", "").rpartition("/")[2].strip()
            if whole.isdigit() and int(whole) == offset:
                return Downloaded(offset, offset, resumed=True)
            part.unlink(missing_ok=True)
            return Downloaded(0, None, "the file changed on the server; start again")
        if not 200 <= resp.status_code < 300:
            reason = textsafe.one_line(resp.reason_phrase)
            return Downloaded(offset, None, f"HTTP {resp.status_code} {reason}".strip())
        start = _range_start(resp)  # a 200 to a Range request: the whole file again
        if start not in (0, offset):
            return Downloaded(offset, None, f"the server sent bytes from {start}, not {offset}")
        resumed = start > 0
        total = _total(resp, offset)
        if total is not None and total > max_bytes:
            return Downloaded(start, total, f"larger than the cap ({max_bytes} bytes)")
        size, validator = start, validator_of(resp.headers)
        if started is not None:
            started(validator)
        with part.open("r+b" if resumed else "wb") as out:
            out.seek(start)
            out.truncate()
            async for chunk in resp.aiter_raw(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    out.close()
                    part.unlink(missing_ok=True)
                    return Downloaded(0, total, f"larger than the cap ({max_bytes} bytes)")
                out.write(chunk)
                if progress is not None:
                    progress(size, total)
        if total is not None and size < total:
            gone = "the server closed early (kept to resume)"
            return Downloaded(size, total, gone, resumed, validator)
        return Downloaded(size, total if total is not None else size, "", resumed, validator)
