"""What the reader remembers between runs, in `ui-state.json` in the data directory: the theme
picked with `t` and the feed pane's order picked with `O` (each with the config value it was
picked over: changing config.toml wins), the saved searches, and whether the headline list
shows a summary line under each title.

Read once at start; each change writes the whole state again in a worker thread (to a temporary
file renamed over the old one). Writes are numbered, so a slow older write never replaces a
newer one. An unreadable file counts as an empty state.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "ui-state.json"
MAX_SEARCHES = 50


@dataclass(frozen=True)
class Choice:
    """A remembered choice (a theme, the feed order) and the config value it was chosen over."""

    value: str
    over: str

    def pick(self, configured: str) -> str:
        """The value to start with: the remembered one, unless config.toml changed since."""
        return self.value if configured == self.over else configured


@dataclass
class UIState:
    """The remembered state (mutable: the App and the screens change it, then save it)."""

    theme: Choice | None = None
    searches: list[str] = field(default_factory=list)
    summary_lines: bool = False
    feed_sort: Choice | None = None

    def to_json(self) -> str:
        """The state as the file holds it."""
        data: dict[str, Any] = {"searches": self.searches, "summary_lines": self.summary_lines}
        if self.theme is not None:
            data |= {"theme": self.theme.value, "over": self.theme.over}
        if self.feed_sort is not None:
            data |= {"feed_sort": self.feed_sort.value, "feed_sort_over": self.feed_sort.over}
        return json.dumps(data, ensure_ascii=False, indent=1)


def _choice(data: dict[str, Any], name: str, over: str) -> Choice | None:
    value, was = data.get(name), data.get(over)
    return Choice(value, was) if isinstance(value, str) and isinstance(was, str) else None


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v.strip()))


def read_state(data_dir: Path) -> UIState:
    """The state in `data_dir` (an empty one when there is no readable file)."""
    try:
        data = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UIState()
    if not isinstance(data, dict):
        return UIState()
    searches = _strings(data.get("searches"))[:MAX_SEARCHES]
    return UIState(_choice(data, "theme", "over"), searches, data.get("summary_lines") is True,
                   _choice(data, "feed_sort", "feed_sort_over"))  # fmt: skip


def write_text(data_dir: Path, text: str) -> None:
    """Write the state file (a temporary file renamed over the old one)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{STATE_FILE}.", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        Path(tmp).replace(data_dir / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class StateFile:
    """The state of one data directory (None: remembered for this run only)."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self.state = read_state(data_dir) if data_dir is not None else UIState()
        self._lock = threading.Lock()
        self._issued = 0
        self._written = 0

    def save_job(self) -> Callable[[], None]:
        """A blocking function that writes the state as it is now (run it in a worker)."""
        text, data_dir = self.state.to_json(), self.data_dir
        self._issued += 1
        number = self._issued

        def job() -> None:
            if data_dir is None:
                return
            with self._lock:
                if number > self._written:
                    write_text(data_dir, text)
                    self._written = number

        return job

    def add_search(self, query: str) -> bool:
        """Remember a search (False when it already is remembered)."""
        query = " ".join(query.split())
        if not query or query in self.state.searches:
            return False
        self.state.searches = [*self.state.searches, query][-MAX_SEARCHES:]
        return True

    def remove_search(self, query: str) -> bool:
        """Forget a saved search (False when it was not saved)."""
        if query not in self.state.searches:
            return False
        self.state.searches = [q for q in self.state.searches if q != query]
        return True
