"""Downloading feeds, pages, API answers and files: the one package that uses httpx (and
certifi, its CA bundle), each kind in a module of its own.

- `client`: `Fetcher`, for feeds and pages (the refresh, subscribing, full text).
- `api`: `ApiClient`, for a sync server's web API.
- `download`: `download`, a file resumed where an earlier attempt stopped.
- `common`: the User-Agent, the Accept headers, Retry-After, one line per failure.
"""

from reader.feeds.fetch.api import ApiClient
from reader.feeds.fetch.client import Fetcher
from reader.feeds.fetch.common import FEED_ACCEPT, PAGE_ACCEPT, retry_after, user_agent
from reader.feeds.fetch.download import Downloaded, Progress, download, validator_of

__all__ = [
    "FEED_ACCEPT",
    "PAGE_ACCEPT",
    "ApiClient",
    "Downloaded",
    "Fetcher",
    "Progress",
    "download",
    "retry_after",
    "user_agent",
    "validator_of",
]
