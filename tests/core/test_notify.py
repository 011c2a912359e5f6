"""The notification after a refresh: argv filled in safely, the terminal's protocol chosen from
its environment, feed text sanitised, and written to the terminal only where one is known."""

from __future__ import annotations

import os
import select
import tty
from pathlib import Path

import pytest

from reader.config import NotifyConfig, RuleSpec
from reader.models import Notice, ParsedItem
from reader.notify import command_argv, notice_of, send, terminal_protocol, terminal_sequence
from reader.rules import RuleRun, load_rules

EVIL = Notice(3, "\x1b]52;c;cHduZWQ=\x07Title; with\nnewline\u202e", "Feed\x9b31m")


def test_placeholders_are_replaced_and_sanitised_inside_each_element() -> None:
    argv = command_argv(["notify-send", "tidings: {count} new", "{title} ({feed})"], EVIL)
    assert argv[0] == "notify-send" and argv[1] == "tidings: 3 new"
    assert argv[2] == "Title; with newline (Feed31m)"
    long = command_argv(["x", "{title}"], Notice(1, "标题" * 300, "f"))[1]
    assert len(long) == 200 and long.endswith("…")


def test_a_title_never_becomes_an_option() -> None:
    notice = Notice(1, "--output=/etc/passwd", "-f")
    assert command_argv(["cmd", "{title}", "{feed}", "--flag"], notice) == [
        "cmd", " --output=/etc/passwd", " -f", "--flag",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("env", "protocol"),
    [
        ({"TERM_PROGRAM": "iTerm.app"}, "osc9"),
        ({"TERM_PROGRAM": "WezTerm"}, "osc9"),
        ({"TERM": "xterm-kitty"}, "osc9"),
        ({"TERM": "foot"}, "osc777"),
        ({"TERM": "rxvt-unicode-256color"}, "osc777"),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, "osc777"),
        ({"TERM": "xterm-256color"}, None),
        ({"TERM_PROGRAM": "iTerm.app", "TMUX": "/tmp/tmux-0/default,1,0"}, None),
        ({"TERM": "screen-256color"}, None),
    ],
)
def test_the_terminal_protocol_comes_from_the_environment(
    env: dict[str, str], protocol: str | None
) -> None:
    assert terminal_protocol(env) == protocol


def test_terminal_sequences_carry_only_clean_text() -> None:
    nine = terminal_sequence(EVIL, {"TERM_PROGRAM": "WezTerm"})
    assert nine.startswith("\x1b]9;tidings: 3 new: ") and nine.endswith("\x1b\\")
    assert nine.count("\x1b") == 2 and "\x07" not in nine and "\u202e" not in nine
    seven = terminal_sequence(EVIL, {"TERM": "foot"})
    assert seven.startswith("\x1b]777;notify;tidings: 3 new;Title, with newline")
    assert seven.count(";") == 3  # the title's own ';' cannot open another field
    assert terminal_sequence(EVIL, {"TERM": "dumb"}) == ""


def _read_all(fd: int) -> bytes:
    """What the terminal side of a pseudo-terminal has received so far."""
    got = b""
    while select.select([fd], [], [], 0.5)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        got += chunk
    return got


def test_send_runs_the_command_or_writes_to_the_terminal_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sequence goes to the stream it is given (the terminal the reader draws on, the
    command line's stdout), and only when that stream is a terminal: a pipe or a file gets
    nothing, and no other terminal is opened."""
    monkeypatch.setenv("TERM", "foot")
    monkeypatch.delenv("TMUX", raising=False)
    master, slave = os.openpty()
    tty.setraw(slave)  # bytes as written, no newline translation
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        assert send(NotifyConfig(terminal=True), Notice(2, "t", "f"), terminal) == []
        assert _read_all(master) == b"\x1b]777;notify;tidings: 2 new;t (f)\x1b\\"
        assert send(NotifyConfig(), Notice(2, "t", "f"), terminal) == []  # off: nothing
        assert send(NotifyConfig(terminal=True), None, terminal) == []  # nothing new
        failing = NotifyConfig(command=("false",), terminal=True)  # the command wins: one only
        assert send(failing, Notice(1, "t", "f"), terminal) == ["notify command 'false' exited 1"]
        assert _read_all(master) == b""
    os.close(master)
    piped = tmp_path / "out"
    with piped.open("w", encoding="utf-8") as not_a_terminal:
        assert send(NotifyConfig(terminal=True), Notice(2, "t", "f"), not_a_terminal) == []
    assert piped.read_bytes() == b""
    assert send(NotifyConfig(terminal=True), Notice(2, "t", "f"), None) == []  # no terminal
    missing = send(NotifyConfig(command=(str(tmp_path / "nope"),)), Notice(1, "t", "f"))
    assert len(missing) == 1 and "failed" in missing[0]


def test_with_a_notify_rule_only_its_matches_are_told() -> None:
    item = ParsedItem("k", "禁毒 news", "", "", 1, None, "", "")
    other = ParsedItem("o", "weather", "", "", 2, None, "", "")
    rules = load_rules([RuleSpec("禁毒", "notify")])
    run = RuleRun(rules)
    run.note([(other, 2, False), (item, 1, True)], "Feed")
    assert notice_of(run, rules) == Notice(1, "禁毒 news", "Feed")
    assert notice_of(run, load_rules([])) == Notice(2, "weather", "Feed")
    assert notice_of(RuleRun(rules), rules) is None
