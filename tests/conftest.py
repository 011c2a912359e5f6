"""Shared fixtures: every test runs with TIDINGS_HOME in its own tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import Loopback

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def tidings_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data and cache of this test live under tmp_path/home."""
    home = tmp_path / "home"
    monkeypatch.setenv("TIDINGS_HOME", str(home))
    monkeypatch.delenv("BROWSER", raising=False)
    return home


@pytest.fixture
def server() -> Iterator[Loopback]:
    """A real HTTP server on 127.0.0.1 (see tests/loopback.py)."""
    srv = Loopback()
    yield srv
    srv.close()
