"""`tidings download`'s progress bars: UI-side code (rich) that cli.py hands the commands."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from reader import cli
from reader.commands import Context, podcasts
from reader.downloads import Transfer
from reader.models import Download


def test_cli_hands_the_commands_its_bars(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[Context] = []

    def handler(ctx: Context, args: argparse.Namespace) -> int:
        seen.append(ctx)
        return 0

    monkeypatch.setattr(podcasts, "cmd_downloads", handler)  # registered by name when parsed
    monkeypatch.setenv("TIDINGS_HOME", str(tmp_path))
    assert cli.main(["downloads"]) == 0
    assert seen[0].bars is cli.download_bars


def test_the_bars_show_a_sanitised_title_and_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    d = Download(7, "http://127.0.0.1/e.mp3", "f/e.mp3", "queued", title="第一集 \x1b[31mred")
    with cli.download_bars() as progress:
        progress(Transfer(d, 100, 1000, speed=50.0, eta=18.0))
        progress(Transfer(d, 100, 1000, state="failed", error="HTTP 500"))
    err = capsys.readouterr().err
    assert "failed: 第一集" in err and "HTTP 500" in err
    assert "\x1b[31m" not in err
