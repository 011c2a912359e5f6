"""Notifications after a refresh: `[notify] command`, a terminal notification, or nothing.

A refresh that stored new items (or, when some rule's action is `notify`, new items that such a
rule matched) ends with at most one notification, whoever ran it (`tidings refresh`, the reader):

    [notify]
    command = ["notify-send", "tidings: {count} new", "{title} ({feed})"]   # argv, never a shell
    terminal = true     # OSC 9 (iTerm2, WezTerm, ghostty, kitty, Warp) or OSC 777 (foot,
                        # rxvt-unicode, VTE terminals); nothing where neither is known to work

`{count}`, `{title}` and `{feed}` are replaced inside each argv element; the title and the feed's
name are the newest new item's, sanitised (textsafe: no escape sequences or controls, one line,
at most 200 characters), and a value can never turn into an option of the command: an element
that would start with `-` because of it gets a space in front.

The terminal sequence goes to the terminal the notification is for, never to one opened behind
the caller's back: the one the reader draws on (ui/launch.py), or `tidings refresh`'s stdout,
and only when that stream is a terminal (a pipe, a file or cron get nothing).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from typing import TextIO

from reader import textsafe
from reader.config import NotifyConfig
from reader.models import Notice
from reader.rules import RuleRun, Rules

MAX_FIELD = 200  # characters of a title or feed name in a notification
_OSC9 = ("iTerm.app", "WezTerm", "ghostty", "WarpTerminal")


def notify_wanted(config: NotifyConfig) -> bool:
    """Whether a refresh should collect what to notify about."""
    return bool(config.command) or config.terminal


def notice_of(run: RuleRun, rules: Rules) -> Notice | None:
    """What a refresh tells: the items notify rules matched when there are such rules, else
    every new item; None when there is nothing."""
    count, newest = run.new_items, run.newest
    if rules.notifying:
        count, newest = run.notify_matches, run.newest_notify
    if not count or newest is None:
        return None
    return Notice(count, newest.title, newest.feed)


def clean(text: str) -> str:
    """A feed-derived string fit for a notification: one line, no controls, not too long."""
    line = textsafe.one_line(text)
    return line if len(line) <= MAX_FIELD else line[: MAX_FIELD - 1] + "…"


def command_argv(command: Sequence[str], notice: Notice) -> list[str]:
    """`[notify] command` with {count}, {title} and {feed} replaced in each element."""
    values = {"{count}": str(notice.count), "{title}": clean(notice.title),
              "{feed}": clean(notice.feed)}  # fmt: skip
    argv: list[str] = []
    for n, element in enumerate(command):
        out = element
        for key, value in values.items():
            out = out.replace(key, value)
        if n and out.startswith("-") and not element.startswith("-"):
            out = " " + out  # a title like "--help" stays text
        argv.append(out)
    return argv


def run_command(command: Sequence[str], notice: Notice, timeout: float) -> str:
    """Run the notification command (never a shell); "" when it worked, else why not."""
    argv = command_argv(command, notice)
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, timeout=timeout, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"notify command {argv[0]!r} failed: {exc}"
    if done.returncode:
        said = textsafe.one_line(done.stderr.decode("utf-8", "replace"))[:200]
        return f"notify command {argv[0]!r} exited {done.returncode}" + (f": {said}" * bool(said))
    return ""


def terminal_protocol(env: Mapping[str, str]) -> str | None:
    """ "osc9", "osc777", or None when the terminal is not known to show either (inside tmux
    or screen the outer terminal is unknown: None)."""
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "")
    if env.get("TMUX") or term.startswith(("screen", "tmux")):
        return None
    if program in _OSC9 or term == "xterm-kitty" or env.get("KITTY_WINDOW_ID"):
        return "osc9"
    if term.startswith("foot") or "rxvt" in term or env.get("VTE_VERSION"):
        return "osc777"
    return None


def terminal_sequence(notice: Notice, env: Mapping[str, str] | None = None) -> str:
    """The escape sequence that shows the notice on this terminal ("" when none is known)."""
    protocol = terminal_protocol(os.environ if env is None else env)
    heading = f"tidings: {notice.count} new"
    # ';' separates OSC 777's fields; a leading digit and ';' is a command to ConEmu-style
    # OSC 9 readers: the text always starts with "tidings".
    detail = clean(f"{notice.title} ({notice.feed})" if notice.feed else notice.title)
    detail = detail.replace(";", ",")
    if protocol == "osc9":
        return f"\x1b]9;{heading}: {detail}\x1b\\"
    if protocol == "osc777":
        return f"\x1b]777;notify;{heading};{detail}\x1b\\"
    return ""


def send(config: NotifyConfig, notice: Notice | None, terminal: TextIO | None = None) -> list[str]:
    """The one notification of a refresh: the command when there is one, else the terminal
    sequence written to `terminal` (the stream the reader draws on, the command line's stdout),
    only when that is a terminal (a pipe or a file gets nothing, and no other terminal is
    opened); the problems, one line each."""
    if notice is None:
        return []
    if config.command:
        problem = run_command(config.command, notice, config.timeout)
        return [problem] if problem else []
    if not config.terminal or terminal is None or not _is_terminal(terminal):
        return []
    if sequence := terminal_sequence(notice):
        try:
            terminal.write(sequence)
            terminal.flush()
        except (OSError, ValueError):  # the terminal went away (a hangup)
            return []
    return []


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):  # closed
        return False
