"""Shell completion scripts, generated from the parser."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


def script(shell: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "completion", shell], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def complete_bash(words: list[str]) -> list[str]:
    """What bash offers for the last of `words` (the word being typed)."""
    quoted = " ".join(f"'{w}'" for w in words)
    code = (
        script("bash")
        + f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1};"
        + ' _tidings; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completes_commands_and_options() -> None:
    assert complete_bash(["tidings", "re"]) == ["remove", "refresh"]
    assert complete_bash(["tidings", "refresh", "--j"]) == ["--json"]
    assert complete_bash(["tidings", "list", "--u"]) == ["--unread"]


def test_zsh_and_fish_name_every_command() -> None:
    zsh, fish = script("zsh"), script("fish")
    assert zsh.startswith("#compdef tidings")
    for name in ("add", "refresh", "list", "show", "import", "export", "completion"):
        assert name in zsh and f"-a {name}" in fish
    assert "complete -c tidings -n '__fish_seen_subcommand_from refresh' -l json" in fish


def test_unknown_shell_is_bad_usage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "completion", "tcsh"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "invalid choice" in done.stderr
