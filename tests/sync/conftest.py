"""Sync fixtures: tidings homes that sync with a server, run as a person runs them."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.models import Headline, ItemQuery
from reader.store.db import Store
from tests.sync.greader_server import GReaderServer


@dataclass
class Run:
    """One `tidings` command's outcome."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Home:
    """A tidings home (config, data) whose config syncs with `url`."""

    def __init__(self, root: Path, service: str, url: str, user: str, password: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        secret = root / "password"
        secret.write_text(password + "\n", encoding="utf-8")
        secret.chmod(0o600)
        self.config = root / "config" / "config.toml"
        self.config.parent.mkdir(exist_ok=True)
        self.write_config(service, url, user, password_file=str(secret))

    def write_config(self, service: str, url: str, user: str, **more: str | list[str]) -> None:
        lines = ["[sync]", f'service = "{service}"', f'url = "{url}"', f'username = "{user}"']
        lines += [f"{k} = {json.dumps(v)}" for k, v in more.items()]
        lines += ["[fetch]", "timeout = 5", "connect_timeout = 2"]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def run(self, *args: str) -> Run:
        """`tidings ARGS` in this process with this home."""
        out, err = io.StringIO(), io.StringIO()
        old = os.environ.get("TIDINGS_HOME")
        os.environ["TIDINGS_HOME"] = str(self.root)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(args))
        finally:
            if old is None:
                del os.environ["TIDINGS_HOME"]
            else:
                os.environ["TIDINGS_HOME"] = old
        return Run(code, out.getvalue(), err.getvalue())

    def sync(self) -> dict[str, Any]:
        """`tidings sync --json`, which must succeed."""
        done = self.run("sync", "--json")
        assert done.code == 0, done.err
        result: dict[str, Any] = done.json()
        return result

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        with Store.open(self.root / "data" / "tidings.db") as store:
            yield store

    def headlines(self, **query: Any) -> list[Headline]:
        with self.store() as store:
            return store.headlines(ItemQuery(**query))

    def state(self) -> dict[str, tuple[bool, bool]]:
        """Each item's (read, bookmarked) by its link: what two homes must agree on."""
        return {h.link: (h.read, h.bookmarked) for h in self.headlines()}


@pytest.fixture
def greader() -> Iterator[GReaderServer]:
    """A Google Reader API server on loopback with 3 feeds × 20 items (one feed in Chinese)."""
    server = GReaderServer()
    for n, (title, label) in enumerate((("Harbor News", "news"), ("Tech Log", "tech"),
                                        ("咸宁新闻", "中文"))):  # fmt: skip
        sub = server.subscribe(f"https://feeds.example/{n}.xml", title, (label,))
        server.publish(sub, 20, chinese=n == 2)
    yield server
    server.close()


@pytest.fixture
def home(tmp_path: Path, greader: GReaderServer) -> Home:
    """A tidings home that syncs with the `greader` server."""
    return Home(tmp_path / "home-a", "greader", greader.url, greader.username, greader.password)
