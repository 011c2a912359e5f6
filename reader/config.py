"""config.toml (read with tomllib) into frozen dataclasses.

Every section is a dataclass below; every key has a default, so an empty or missing file is a
valid configuration. An unknown key or a value of the wrong type raises ConfigError with the
message `config.toml: <key>: <problem>`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reader.errors import ConfigError

MIB = 1024 * 1024


def _positive(name: str, value: float) -> None:
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0")


@dataclass(frozen=True)
class FetchConfig:
    """[fetch]: how feeds and pages are downloaded."""

    concurrency: int = 16
    per_host: int = 4
    timeout: float = 60.0  # the whole-feed deadline in seconds (connect, headers and body)
    connect_timeout: float = 10.0
    max_bytes: int = 16 * MIB  # decoded size cap of one body
    max_redirects: int = 10
    user_agent: str = ""  # empty: "tidings/VERSION (+https://github.com/tidings)"

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "timeout", "connect_timeout", "max_bytes"):
            _positive(name, getattr(self, name))
        if not 0 <= self.max_redirects <= 30:
            raise ValueError("max_redirects must be between 0 and 30")


@dataclass(frozen=True)
class ParseConfig:
    """[parse]: how feed bodies are parsed."""

    workers: int = 0  # parser processes; 0: one per CPU
    deadline: float = 30.0  # seconds one parse may take before its process is killed

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError("workers must be 0 (one per CPU) or more")
        _positive("deadline", self.deadline)


@dataclass(frozen=True)
class StoreConfig:
    """[store]: retention, applied to each feed a refresh brings (bookmarks are never deleted,
    nor items still in the feed, nor unread items younger than `keep_days`), and sharing the
    store between processes."""

    keep_days: int = 0  # items the feed dropped go after this many days; 0: kept (up to the cap)
    max_items_per_feed: int = 2000  # a feed keeps at most this many (was [parse], still read)
    write_wait: float = 10.0  # seconds a write waits while another process writes
    watch_seconds: float = 2.0  # how often the open reader looks for other processes' changes

    def __post_init__(self) -> None:
        if self.keep_days < 0:
            raise ValueError("keep_days must be 0 (keep) or more")
        _positive("max_items_per_feed", self.max_items_per_feed)
        _positive("write_wait", self.write_wait)
        _positive("watch_seconds", self.watch_seconds)


@dataclass(frozen=True)
class FullTextConfig:
    """[fulltext]: fetching article pages for the whole story."""

    feeds: tuple[str, ...] = ()  # feed URLs whose new items are fetched in full after refresh
    bookmarks: bool = True  # fetch the full text of every bookmark
    concurrency: int = 4  # pages fetched and extracted at once

    def __post_init__(self) -> None:
        _positive("concurrency", self.concurrency)


@dataclass(frozen=True)
class SummaryConfig:
    """[summary]: an optional external summariser (argv, the story on stdin); off by default."""

    command: tuple[str, ...] = ()
    timeout: float = 30.0

    def __post_init__(self) -> None:
        _positive("timeout", self.timeout)


@dataclass(frozen=True)
class UIConfig:
    """[ui]: the terminal reader."""

    theme: str = "tidings-dark"
    mark_read: str = "open"  # "open", "after" (mark_read_after seconds) or "never"
    mark_read_after: float = 3.0
    refresh_minutes: float = 30.0  # auto-refresh while the reader is open; 0: never
    browser: tuple[str, ...] = ()  # argv to open links ({url} is replaced); empty: $BROWSER
    textual_themes: bool = False  # offer Textual's own themes too (t, the theme picker)
    date_format: str = "%d %b %y"  # the list's dates older than a year (strftime)
    feed_sort: str = "name"  # the feed pane's order: "name" (natural) or "unread" (most first)

    def __post_init__(self) -> None:
        if self.mark_read not in ("open", "after", "never"):
            raise ValueError('mark_read must be "open", "after" or "never"')
        if self.feed_sort not in ("name", "unread"):
            raise ValueError('feed_sort must be "name" or "unread"')
        if not self.date_format.strip() or "%" not in self.date_format:
            raise ValueError('date_format must be a strftime format such as "%d %b %y"')
        if self.refresh_minutes < 0:
            raise ValueError("refresh_minutes must be 0 (never) or more")


_LOOPBACK = ("localhost", "::1")


@dataclass(frozen=True)
class SyncConfig:
    """[sync]: a feed server to sync with (Fever or Google Reader API); off while `service` is
    empty. The password comes from `password_command` (argv, its stdout) or `password_file`;
    tidings never writes it, logs it or puts it in a message."""

    service: str = ""  # "fever" or "greader"
    url: str = ""  # the API's address, e.g. https://rss.example.org/api/greader.php
    username: str = ""
    password_command: tuple[str, ...] = ()  # e.g. ["pass", "show", "rss"]
    password_file: str = ""  # a file whose first line is the password (password_command first)
    allow_http: bool = False  # plain http to an address other than loopback
    app_id: str = ""  # Inoreader: a registered app's AppId and AppKey (sent as headers)
    app_key: str = ""

    def __post_init__(self) -> None:
        if self.service not in ("", "fever", "greader"):
            raise ValueError('service must be "fever" or "greader"')
        if not self.url:
            if self.service:
                raise ValueError("url is needed to sync")
            return
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url must be an http:// or https:// address")
        if parts.username is not None or parts.password is not None:
            raise ValueError("url must not hold a user or password (use username, password_*)")
        if parts.scheme == "http" and not (self.allow_http or _loopback(parts.hostname)):
            raise ValueError(
                "url: plain http would send the password unencrypted; use https (or set"
                " allow_http = true)"
            )

    @property
    def enabled(self) -> bool:
        """True when a service is configured."""
        return bool(self.service)


def _loopback(host: str) -> bool:
    if host in _LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class PipeConfig:
    """[pipe]: the commands `|` in the reader sends a story to: argv lists (never a shell),
    the story on stdin as text or Markdown."""

    commands: tuple[tuple[str, ...], ...] = ()
    format: str = "text"  # "text" or "markdown"

    def __post_init__(self) -> None:
        if self.format not in ("text", "markdown"):
            raise ValueError('format must be "text" or "markdown"')
        if any(not argv or not argv[0].strip() for argv in self.commands):
            raise ValueError('commands: each command is a non-empty list such as ["less"]')


@dataclass(frozen=True)
class NotifyConfig:
    """[notify]: a notification after a refresh that brought new items (or new items matching
    a `notify` rule); off by default."""

    command: tuple[str, ...] = ()  # argv, {count} {title} {feed} replaced; never a shell
    terminal: bool = False  # a terminal notification (OSC 9 / OSC 777) where supported
    timeout: float = 10.0  # seconds the command may take

    def __post_init__(self) -> None:
        _positive("timeout", self.timeout)


@dataclass(frozen=True)
class EnclosuresConfig:
    """[enclosures]: podcast episodes and other media files items carry (reader/downloads.py)."""

    dir: str = ""  # where downloads go; "": the data directory's "enclosures" folder
    player: tuple[str, ...] = ()  # argv; {url} or {file}: the downloaded file, else the URL
    concurrency: int = 2  # files downloaded at once
    max_bytes: int = 2048 * MIB  # cap on one file
    timeout: float = 3600.0  # seconds one download may take in all ([fetch] timeout: silence)
    auto: tuple[str, ...] = ()  # feed URLs whose new episodes are downloaded after a refresh
    keep: int = 5  # of a feed's auto-downloaded episodes, the newest this many are kept

    def __post_init__(self) -> None:
        for name in ("concurrency", "max_bytes", "timeout", "keep"):
            _positive(name, getattr(self, name))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One [[rules]] table as written: `query` in the search language and `action` (read,
    hide, tag:NAME, bookmark, notify). Checked by reader.rules, which reports a bad one and
    carries on without it."""

    query: str = ""
    action: str = ""


@dataclass(frozen=True)
class Config:
    """The whole configuration; `source` is the file it came from (None: defaults)."""

    fetch: FetchConfig = field(default_factory=FetchConfig)
    parse: ParseConfig = field(default_factory=ParseConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    fulltext: FullTextConfig = field(default_factory=FullTextConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    pipe: PipeConfig = field(default_factory=PipeConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    enclosures: EnclosuresConfig = field(default_factory=EnclosuresConfig)
    rules: tuple[RuleSpec, ...] = ()  # [[rules]], in file order
    keys: dict[str, str] = field(default_factory=dict)  # action -> key(s), comma separated
    source: Path | None = None


_SECTIONS: dict[str, type[Any]] = {
    "fetch": FetchConfig,
    "parse": ParseConfig,
    "ui": UIConfig,
    "store": StoreConfig,
    "fulltext": FullTextConfig,
    "summary": SummaryConfig,
    "sync": SyncConfig,
    "pipe": PipeConfig,
    "notify": NotifyConfig,
    "enclosures": EnclosuresConfig,
}


def _type_name(tp: Any) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    if tp in names:
        return names[tp]
    if typing.get_args(tp) and typing.get_args(tp)[0] is not str:
        return "a list of lists of strings"
    return "a list of strings"


def _convert(key: str, tp: Any, value: Any) -> Any:
    """Check one value against its field type; ints are accepted for floats."""
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if typing.get_origin(tp) is tuple and typing.get_args(tp)[0] is not str:  # lists of lists
        if isinstance(value, list) and all(isinstance(v, list) for v in value):
            return tuple(_convert(key, typing.get_args(tp)[0], v) for v in value)
    elif typing.get_origin(tp) is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif isinstance(value, tp) and not (tp is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"config.toml: {key}: expected {_type_name(tp)}, got {value!r}")


def _section(name: str, cls: type[Any], table: Any) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"config.toml: {name}: expected a table ([{name}])")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"config.toml: {name}.{key}: unknown key")
        values[key] = _convert(f"{name}.{key}", hints[key], value)
    try:
        return cls(**values)
    except ValueError as exc:
        raise ConfigError(f"config.toml: {name}: {exc}") from None


def _keys(table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError("config.toml: keys: expected a table ([keys])")
    for action, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"config.toml: keys.{action}: expected a key name such as 'j,down'")
    return dict(table)


def _rules(tables: Any) -> tuple[RuleSpec, ...]:
    """[[rules]]: each a table of strings `query` and `action` (their meaning is checked by
    reader.rules, which reports a rule it cannot use and goes on without it)."""
    if not isinstance(tables, list):
        raise ConfigError("config.toml: rules: expected tables ([[rules]])")
    specs: list[RuleSpec] = []
    for number, table in enumerate(tables, 1):
        if not isinstance(table, dict):
            raise ConfigError(f"config.toml: rules {number}: expected a table ([[rules]])")
        for key, value in table.items():
            if key not in ("query", "action"):
                raise ConfigError(f"config.toml: rules {number}: {key}: unknown key")
            if not isinstance(value, str):
                raise ConfigError(
                    f"config.toml: rules {number}: {key}: expected a string, got {value!r}"
                )
        specs.append(RuleSpec(table.get("query", ""), table.get("action", "")))
    return tuple(specs)


def _move_aliases(data: dict[str, Any]) -> None:
    """Keys that moved: [parse] max_items_per_feed is read as [store] max_items_per_feed."""
    parse, store = data.get("parse"), data.setdefault("store", {})
    if isinstance(parse, dict) and "max_items_per_feed" in parse and isinstance(store, dict):
        store.setdefault("max_items_per_feed", parse.pop("max_items_per_feed"))


def parse_config(text: str, source: Path | None = None, label: str = "") -> Config:
    """Build a Config from TOML text; errors start with `label` (default: the file's name)."""
    label = label or (source.name if source else "config.toml")
    try:
        return _parse(text, source, label)
    except ConfigError as exc:
        message = str(exc)
        if message.startswith("config.toml: "):  # the sections' errors name the usual file
            message = label + message.removeprefix("config.toml")
        raise ConfigError(message) from None


def _parse(text: str, source: Path | None, label: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: not valid TOML: {exc}") from None
    _move_aliases(data)
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name in _SECTIONS:
            sections[name] = _section(name, _SECTIONS[name], table)
        elif name == "keys":
            sections[name] = _keys(table)
        elif name == "rules":
            sections[name] = _rules(table)
        else:
            raise ConfigError(f"config.toml: {name}: unknown section")
    return Config(**sections, source=source)


def load_config(path: Path, *, required: bool = False) -> Config:
    """Read config.toml at `path`; a missing file gives the defaults unless `required`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{path}: no such config file") from None
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, path, str(path) if required else "")
