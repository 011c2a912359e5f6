"""What every request of tidings shares: its User-Agent, the Accept headers, Retry-After, and
one line for each kind of failure (the package's docstring says what the modules are)."""

from __future__ import annotations

import email.utils

import httpx

from reader import __version__
from reader.config import FetchConfig

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_RETRY_AFTER = 7 * 24 * 3600


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


def describe(exc: httpx.HTTPError | httpx.InvalidURL) -> str:
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
