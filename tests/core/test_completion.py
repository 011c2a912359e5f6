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
    assert complete_bash(["tidings", "ref"]) == ["refresh"]
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


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_offers_the_shells_after_completion_and_knows_the_new_commands() -> None:
    assert complete_bash(["tidings", "completion", ""]) == ["bash", "zsh", "fish"]
    assert complete_bash(["tidings", "completion", "f"]) == ["fish"]
    assert complete_bash(["tidings", "ma"]) == ["mark"]
    assert complete_bash(["tidings", "re"]) == ["remove", "refresh", "rename"]
    assert complete_bash(["tidings", "mark", "--"]) == ["--help", "--feed", "--read", "--unread"]
    assert complete_bash(["tidings", "tag", "--r"]) == ["--remove"]


def complete_fish(line: str) -> list[str]:
    """What fish offers for `line` (the fish script loaded)."""
    code = f"{script('fish')}\ncomplete -C '{line}'"
    done = subprocess.run(["fish", "-c", code], capture_output=True, text=True, check=True)
    return [w.split("\t")[0] for w in done.stdout.split("\n") if w]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_offers_the_shells_and_the_new_commands() -> None:
    assert complete_fish("tidings completion ") == ["bash", "fish", "zsh"]
    assert complete_fish("tidings ren") == ["rename"]
    assert complete_fish("tidings mark --") == ["--feed", "--help", "--read", "--unread"]


def test_zsh_offers_the_shells_after_completion() -> None:
    zsh = script("zsh")
    assert "completion) _arguments -s '1:value:(bash zsh fish)'" in zsh
    for name in ("mark", "rename", "tag"):
        assert f" {name}) _arguments" in zsh
    if shutil.which("zsh"):  # the script loads in a real zsh
        code = f"autoload -U compinit; compinit -u; {zsh}\nwhence -w _tidings"
        done = subprocess.run(["zsh", "-f", "-c", code], capture_output=True, text=True)
        assert done.returncode == 0 and "_tidings: function" in done.stdout, done.stderr
