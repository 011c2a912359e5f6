"""Requests to a sync server and what their answers must look like: every failure becomes one
SyncError line naming the service and the request, with no secret in it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from reader import textsafe
from reader.errors import SyncError
from reader.feeds.fetch import ApiClient
from reader.models import FetchResult
from reader.sync.credentials import Secrets


class Wire:
    """One service's requests over an ApiClient."""

    def __init__(self, service: str, api: ApiClient, secrets: Secrets) -> None:
        self.service = service
        self.api = api
        self.secrets = secrets

    def error(self, what: str, problem: str, status: int | None = None) -> SyncError:
        """The one line for a failed request (secrets scrubbed, terminal-safe)."""
        line = textsafe.one_line(self.secrets.scrub(f"{self.service}: {what}: {problem}"))
        return SyncError(line, status=status)

    async def send(
        self,
        method: str,
        url: str,
        what: str,
        *,
        form: Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The body of a successful answer; SyncError for anything else."""
        got = await self.api.request(method, url, form=form, headers=headers)
        if got.error:
            raise self.error(what, _problem(got), got.status or None)
        return got.body

    async def json(self, method: str, url: str, what: str, **options: Any) -> dict[str, Any]:
        """A successful answer's JSON object (`options` as for send); SyncError otherwise."""
        return self.decode(await self.send(method, url, what, **options), what)

    def decode(self, body: bytes, what: str) -> dict[str, Any]:
        """`body` as a JSON object, or the SyncError that says what it is instead."""
        start = body[:512].lstrip().lower()
        if start.startswith(b"<"):
            raise self.error(what, "the server answered a web page, not JSON (is the url right?)")
        try:
            value = json.loads(body)
        except RecursionError:
            raise self.error(what, "the answer is not valid JSON (nested too deep)") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            cut = not body.rstrip().endswith((b"}", b"]"))  # a whole document ends so
            why = "cut short" if cut else f"at byte {getattr(exc, 'pos', 0)}"
            raise self.error(what, f"the answer is not valid JSON ({why})") from None
        if not isinstance(value, dict):
            raise self.error(what, f"expected a JSON object, got {type(value).__name__}")
        return value


def _problem(got: FetchResult) -> str:
    if got.status in (401, 403):
        return f"the server refused the login ({got.error}); check username and password"
    return got.error


def field(obj: Mapping[str, Any], key: str, kind: type, default: Any) -> Any:
    """`obj[key]` when it has the expected type, else `default` (ints are accepted as strs and
    numeric strs as ints: servers disagree on which they send)."""
    value = obj.get(key, default)
    if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    return default
