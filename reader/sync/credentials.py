"""The sync password: read from `password_command` (argv, never a shell) or `password_file`
when a sync starts, held only in memory, and scrubbed from every message that leaves the sync
(along with what is derived from it: the Fever key, a Google Reader token)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reader import textsafe
from reader.config import SyncConfig
from reader.errors import SyncError

COMMAND_TIMEOUT = 60.0  # a password manager may ask for a passphrase first


class Secrets:
    """Strings that must never appear in a message; `scrub(text)` blanks them."""

    def __init__(self) -> None:
        self._values: list[str] = []

    def add(self, value: str) -> str:
        """Remember `value` as secret; returns it."""
        if value and value not in self._values:
            self._values.append(value)
            self._values.sort(key=len, reverse=True)  # a longer secret may contain a shorter
        return value

    def scrub(self, text: str) -> str:
        """`text` with every secret replaced by ***."""
        for value in self._values:
            text = text.replace(value, "***")
        return text


def read_password(config: SyncConfig, secrets: Secrets) -> str:
    """The password, from the command or the file; SyncError (without it) when neither works."""
    if config.password_command:
        return secrets.add(_from_command(config.password_command))
    if config.password_file:
        return secrets.add(_from_file(Path(config.password_file).expanduser()))
    raise SyncError("[sync] needs password_command or password_file")


def _from_command(argv: tuple[str, ...]) -> str:
    name = Path(argv[0]).name
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise SyncError(f"password_command: {name}: command not found") from None
    except subprocess.TimeoutExpired:
        wait = f"{COMMAND_TIMEOUT:g} s"
        raise SyncError(f"password_command: {name} gave no password in {wait}") from None
    except OSError as exc:
        raise SyncError(f"password_command: {name}: {exc.strerror or exc}") from None
    password = done.stdout.decode("utf-8", "replace").split("\n", 1)[0].rstrip("\r")
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = f": {textsafe.one_line(said[-1])[:200]}" if said else ""
        if password and password in why:
            why = ""
        raise SyncError(f"password_command: {name} failed (exit {done.returncode}){why}")
    if not password:
        raise SyncError(f"password_command: {name} printed no password")
    return password


def _from_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SyncError(f"password_file: {path}: {reason or exc}") from None
    password = text.split("\n", 1)[0].rstrip("\r")
    if not password:
        raise SyncError(f"password_file: {path}: the first line is empty")
    return password
