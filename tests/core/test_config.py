"""config.toml parsing: defaults, every section, and one clear message for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config, load_config, parse_config
from reader.errors import ConfigError
from reader.paths import default_paths


def test_missing_or_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()
    assert parse_config("") == Config()
    cfg = Config()
    assert (cfg.fetch.concurrency, cfg.fetch.per_host, cfg.fetch.timeout) == (16, 4, 60.0)
    assert cfg.fetch.max_bytes == 16 * 1024 * 1024 and cfg.fetch.max_redirects == 10


def test_every_section_reads() -> None:
    cfg = parse_config(
        """
        [fetch]
        concurrency = 32
        per_host = 8
        timeout = 5          # ints are fine for numbers
        user_agent = "my reader"
        [parse]
        workers = 1
        deadline = 2.5
        max_items_per_feed = 100
        [ui]
        theme = "newsprint"
        mark_read = "after"
        mark_read_after = 2
        browser = ["firefox", "--new-tab", "{url}"]
        [keys]
        quit = "q,ctrl+c"
        """
    )
    assert cfg.fetch.concurrency == 32 and cfg.fetch.timeout == 5.0
    assert isinstance(cfg.fetch.timeout, float)
    assert cfg.parse.deadline == 2.5 and cfg.ui.browser == ("firefox", "--new-tab", "{url}")
    assert cfg.keys == {"quit": "q,ctrl+c"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch]\nconcurency = 3", "config.toml: fetch.concurency: unknown key"),
        (
            "[fetch]\nconcurrency = '16'",
            "config.toml: fetch.concurrency: expected an integer, got '16'",
        ),
        (
            "[fetch]\nconcurrency = true",
            "config.toml: fetch.concurrency: expected an integer, got True",
        ),
        ("[fetch]\nconcurrency = 0", "config.toml: fetch: concurrency must be greater than 0"),
        ("[fetch]\ntimeout = 'soon'", "config.toml: fetch.timeout: expected a number, got 'soon'"),
        ("[ui]\nbrowser = 'firefox'", "config.toml: ui.browser: expected a list of strings"),
        ("[ui]\nmark_read = 'sometimes'", 'config.toml: ui: mark_read must be "open"'),
        ("[colours]\nx = 1", "config.toml: colours: unknown section"),
        ("fetch = 3", "config.toml: fetch: expected a table"),
        ("[keys]\nquit = 3", "config.toml: keys.quit: expected a key name"),
        ("[fetch\n", "config.toml: not valid TOML"),
    ],
)
def test_mistakes_name_the_key_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    assert str(err.value).startswith(message)


def test_required_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml", required=True)


def test_tidings_home_relocates_everything(tmp_path: Path) -> None:
    paths = default_paths({"TIDINGS_HOME": str(tmp_path)})
    assert paths.config_file == tmp_path / "config" / "config.toml"
    assert paths.db_file == tmp_path / "data" / "tidings.db"
    assert paths.cache_dir == tmp_path / "cache"
    other = default_paths({})
    assert "tidings" in str(other.config_dir) and "tidings" in str(other.data_dir)


def _sections() -> dict[str, type]:
    from reader import config as cfg

    return dict(cfg._SECTIONS)


def _other_value(tp: object, default: object) -> tuple[str, object]:
    """A TOML literal of the field's type that differs from its default, and its Python value."""
    if tp is bool:
        return ("false" if default else "true"), not default
    if tp is int:
        return "7", 7
    if tp is float:
        return "7.5", 7.5
    if tp is str:
        value = "after" if default == "open" else "something-else"
        return f'"{value}"', value
    return '["a", "{url}"]', ("a", "{url}")


# keys whose values are checked beyond their type
_VALID = {
    ("sync", "service"): ('"greader"', "greader"),
    ("sync", "url"): (
        '"https://rss.example/api/greader.php"',
        "https://rss.example/api/greader.php",
    ),
    ("ui", "feed_sort"): ('"unread"', "unread"),
    ("ui", "date_format"): ('"%Y-%m-%d"', "%Y-%m-%d"),
    ("pipe", "format"): ('"markdown"', "markdown"),
    ("pipe", "commands"): ('[["less", "-R"]]', (("less", "-R"),)),
}


def test_every_key_of_every_section_reads() -> None:
    import dataclasses
    import typing

    lines: list[str] = []
    expected: dict[tuple[str, str], object] = {}
    for name, cls in _sections().items():
        lines.append(f"[{name}]")
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            literal, value = _VALID.get((name, f.name)) or _other_value(
                hints[f.name], getattr(cls(), f.name)
            )
            lines.append(f"{f.name} = {literal}")
            expected[(name, f.name)] = value
    cfg = parse_config("\n".join(lines))
    for (section, key), value in expected.items():
        assert getattr(getattr(cfg, section), key) == value, (section, key)


def test_every_key_is_documented_in_the_readme() -> None:
    import dataclasses

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name, cls in _sections().items():
        for f in dataclasses.fields(cls):
            assert f"`[{name}] {f.name}`" in readme or f"`{f.name}`" in readme, f"[{name}] {f.name}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[store]\nkeep_days = -1", "config.toml: store:"),
        (
            "[fulltext]\nfeeds = 'https://x'",
            "config.toml: fulltext.feeds: expected a list of strings",
        ),
        (
            "[summary]\ncommand = 'llm -s'",
            "config.toml: summary.command: expected a list of strings",
        ),
        ("[summary]\ntimeout = 0", "config.toml: summary:"),
    ],
)
def test_new_sections_reject_bad_values(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sync]\nservice = "ttrss"', 'config.toml: sync: service must be "fever" or "greader"'),
        ('[sync]\nservice = "fever"', "config.toml: sync: url is needed"),
        ('[sync]\nurl = "ftp://x.example/"', "config.toml: sync: url must be an http"),
        ('[sync]\nurl = "https://me:pw@x.example/"', "config.toml: sync: url must not hold"),
        ('[sync]\nurl = "http://rss.example/fever/"', "config.toml: sync: url: plain http"),
        ('[sync]\nurl = "http://10.0.0.2/fever/"', "config.toml: sync: url: plain http"),
    ],
)
def test_sync_settings_are_checked(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    assert str(err.value).startswith(message)
    assert "pw" not in str(err.value).replace("pw@", "")


def test_plain_http_is_fine_on_loopback_or_when_allowed() -> None:
    for url in ("http://127.0.0.1:8080/fever/", "http://localhost/api/greader.php",
                "http://[::1]:9000/"):  # fmt: skip
        assert parse_config(f'[sync]\nservice = "fever"\nurl = "{url}"').sync.enabled
    cfg = parse_config('[sync]\nservice = "greader"\nurl = "http://rss.lan/"\nallow_http = true')
    assert cfg.sync.url == "http://rss.lan/"


def test_errors_name_the_file_given_with_config(tmp_path: Path) -> None:
    mine = tmp_path / "my-tidings.toml"
    mine.write_text("[ui]\ntheme = 3\n")
    with pytest.raises(ConfigError) as caught:
        load_config(mine, required=True)
    assert str(caught.value) == f"{mine}: ui.theme: expected a string, got 3"
    mine.write_text("[pipe]\ncommands = ['less']\n")
    with pytest.raises(ConfigError) as caught:
        load_config(mine, required=True)
    assert str(caught.value).startswith(f"{mine}: pipe.commands: expected a list of lists")
    mine.write_text('[pipe]\ncommands = [["less"], ["wc", "-w"]]\nformat = "markdown"\n')
    assert load_config(mine, required=True).pipe.commands == (("less",), ("wc", "-w"))
