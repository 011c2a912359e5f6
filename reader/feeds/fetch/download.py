"""Downloading a file (podcast episodes: reader/downloads.py), resumed with a Range request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from reader import textsafe
from reader.config import FetchConfig
from reader.feeds.fetch.common import describe, user_agent

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
            return Downloaded(size, None, describe(exc))


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
