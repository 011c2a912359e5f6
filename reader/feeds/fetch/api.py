"""Requests to a web API (a sync server: reader/sync), with the feed rules but no redirects."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import httpx

from reader import textsafe
from reader.config import MIB, FetchConfig
from reader.feeds.decode import BodyTooLarge, Decoder
from reader.feeds.fetch.common import describe, user_agent
from reader.models import FetchResult


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
                return FetchResult(url, url, 0, error=describe(exc))

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
