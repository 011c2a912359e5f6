"""Injection through every CLI output: Rich/Textual markup and emoji codes stay literal (the CLI
prints plain text), escape sequences (CSI, OSC 0/8/52, DCS), C1 controls and bidi overrides are
stripped, in text and in --json, on stdout and stderr. The feeds come over HTTP from the loopback
server and pass the real pipeline (fetch, the three parsers, the store)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.models import ItemQuery
from reader.store.db import Store
from tests.hostile.conftest import (
    DATA,
    FAST_TOML,
    Ran,
    assert_inert,
    cli,
    copy_home,
    data,
    db_path,
    json_out,
    quiet_loopback,
    refresh,
    write_config,
)
from tests.loopback import Loopback, send

ESC_TAG = "\x1b]0;tag\x07[bold]tag[/] \u202e:warning:"
FEEDS = {
    "/injection.xml": "injection.xml",
    "/escapes.xml": "escapes.xml",
    "/injection.json": "injection.json",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Loopback]]:
    """A home whose store holds the three hostile feeds (bookmarked and tagged with hostile tags),
    and the server they came from (it also answers one feed with a hostile HTTP error)."""
    server = quiet_loopback()
    home = tmp_path_factory.mktemp("seeded")
    write_config(home, FAST_TOML)
    for path, name in FEEDS.items():
        kind = "application/feed+json" if name.endswith(".json") else "application/rss+xml"
        server.serve(path, data(name), content_type=kind)
    server.route("/broken.xml", lambda h: send(h, 500, b"[@click=app.quit]\x1b[2J", "text/plain"))
    with Store.open(db_path(home)) as store:
        for path in FEEDS:
            store.add_feed(server.url(path), tags=[ESC_TAG, "新闻"])
        report = refresh(store)
        assert [r.outcome.value for r in report.results] == ["ok"] * 3, report.results
        store.add_feed(server.url("/broken.xml"), title="[b]broken\x1b[5m")
        refresh(store, feeds=[store.feed(server.url("/broken.xml"))])  # type: ignore[list-item]
        for h in store.headlines(ItemQuery()):
            store.set_bookmarked(h.id)
            store.set_item_tags(h.id, [ESC_TAG])
    yield home, server
    server.close()


@pytest.fixture
def home(seeded: tuple[Path, Loopback], tidings_home: Path) -> Path:
    copy_home(seeded[0], tidings_home)
    return tidings_home


def item_ids(home: Path) -> list[int]:
    with Store.open(db_path(home), readonly=True) as store:
        return [h.id for h in store.headlines()]


def check(ran: Ran, where: str) -> None:
    assert ran.code in (0, 1), (where, ran)
    assert "Traceback" not in ran.err
    assert_inert(ran.out, f"{where} stdout")
    assert_inert(ran.err, f"{where} stderr")


def test_the_store_keeps_the_hostile_text_and_the_parsers_agree(home: Path) -> None:
    """The store keeps what the feeds said (display is where text is made safe)."""
    with Store.open(db_path(home), readonly=True) as store:
        titles = " ".join(h.title for h in store.headlines())
    assert "[@click=app.screenshot('pwned.svg','.')]s[/]" in titles  # XML fast path
    assert "\x1b]52;c;cHduZWQ=\x07" in titles  # feedparser (raw ESC is ill-formed XML)
    assert titles.count("\u202egnp.exe") == 2  # fast path and JSON Feed


TEXT_COMMANDS = [
    ("list",),
    ("list", "--unread", "--limit", "3"),
    ("feeds",),
    ("search", "title"),
    ("search", "body"),
    ("search", "tag:新闻", "sort:date"),
    ("bookmarks",),
    ("bookmarks", "--tags"),
    ("export",),
    ("refresh", "--verbose"),
    ("refresh",),
]


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=" ".join)
def test_text_outputs_are_inert(home: Path, args: tuple[str, ...]) -> None:
    ran = cli(*args)
    check(ran, " ".join(args))
    assert ran.out.strip() or args[0] == "refresh"


@pytest.mark.parametrize("summary", [False, True], ids=["story", "summary"])
def test_show_every_item_is_inert(home: Path, summary: bool) -> None:
    for item_id in item_ids(home):
        ran = cli("show", str(item_id), *(["--summary"] if summary else []))
        check(ran, f"show {item_id}")
        assert "[@click=app.quit]q[/]" in ran.out or "JSON" in ran.out or "Escapes" in ran.out


def test_summary_command_is_inert(home: Path) -> None:
    for item_id in item_ids(home):
        check(cli("summary", str(item_id)), f"summary {item_id}")
        json_out(cli("summary", "--json", str(item_id)))


@pytest.mark.parametrize(
    "args",
    [("list", "--json"), ("feeds", "--json"), ("search", "--json", "title"), ("refresh", "--json")],
    ids=" ".join,
)
def test_json_outputs_hold_only_inert_strings(home: Path, args: tuple[str, ...]) -> None:
    ran = cli(*args)
    assert ran.code in (0, 1) and "Traceback" not in ran.err
    value = json_out(ran)
    assert value or args[0] == "refresh"
    if args == ("list", "--json"):
        assert any("[@click=app.quit]q[/]" in row["title"] for row in value)  # literal markup


def test_bookmark_export_files_are_inert(home: Path, tmp_path: Path) -> None:
    ran = cli("bookmarks", "--export", str(tmp_path / "out"))
    check(ran, "bookmarks --export")
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == len(item_ids(home))
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert_inert(text, file.name)
        assert "\\u001b" not in text and "\\u202e" not in text
        assert file.suffix == ".md" and file.stem.replace("-", "").isalnum()  # no path tricks


def test_opml_export_to_a_file_is_well_formed_and_inert(home: Path, tmp_path: Path) -> None:
    from reader.feeds.opml import parse_opml

    assert cli("export", str(tmp_path / "subs.opml")).code == 0
    text = (tmp_path / "subs.opml").read_text(encoding="utf-8")
    assert "\x1b" not in text  # XML cannot carry it
    assert len(parse_opml(text.encode()).subscriptions) == 4


def test_hostile_http_errors_are_inert_on_stderr(home: Path, seeded: tuple[Path, Loopback]) -> None:
    """A server's error page and status line end up in messages: `tidings add` prints them."""
    server = seeded[1]

    def evil_status(h: object) -> None:
        h.wfile.write(b"HTTP/1.1 503 \x1b]0;pwned\x07\x1b[2J[@click=app.quit]\r\n")  # type: ignore[attr-defined]
        h.wfile.write(b"Content-Length: 0\r\nRetry-After: 1\r\n\r\n")  # type: ignore[attr-defined]

    server.route("/evil-status", evil_status)
    ran = cli("add", server.url("/evil-status"))
    assert ran.code in (1, 2) and "503" in ran.err
    check(Ran(0, ran.out, ran.err), "add")
    assert_inert(json.dumps(cli("feeds", "--json").out), "feeds --json")


def test_hostile_command_line_input_is_inert(home: Path) -> None:
    """What a person types can be hostile too (a pasted URL): errors quote it sanitised."""
    for args in (("list", "--feed", "http://x/\x1b]0;t\x07\u202e"), ("show", "999999"),
                 ("search", "is:\x1b[2J"), ("bookmark", "999999")):  # fmt: skip
        ran = cli(*args)
        assert ran.code in (0, 2) and "Traceback" not in ran.err, (args, ran)
        assert ran.code == 0 or ran.err.startswith("tidings: ")
        assert_inert(ran.out + ran.err, " ".join(args))


def test_fixture_files_exist() -> None:
    for name in FEEDS.values():
        assert (DATA / name).is_file()


def test_command_line_bytes_that_are_not_utf8_are_stored_safely(home: Path) -> None:
    """argv bytes that are not UTF-8 reach Python as lone surrogates, which SQLite refuses:
    tags, queries and URLs typed that way are stored with a replacement character instead."""
    item = str(item_ids(home)[0])
    for args in (("bookmark", item, "--no-fetch", "--tag", "caf\udce9"), ("search", "\udcff"),
                 ("list", "--feed", "http://x/\udcff"), ("bookmarks", "--tag", "caf\udce9")):  # fmt: skip
        ran = cli(*args)
        assert ran.code in (0, 2) and "Traceback" not in ran.err, (args, ran)
        assert_inert(ran.out + ran.err, " ".join(args))
    tags = cli("bookmarks", "--tags").out
    assert "caf?" in tags


def test_a_redirect_to_a_script_url_is_one_line(home: Path, seeded: tuple[Path, Loopback]) -> None:
    from tests.loopback import redirect

    url = seeded[1].route("/to-js", redirect("javascript:alert(document.cookie)"))
    ran = cli("add", url)
    assert ran.code in (1, 2) and "Traceback" not in ran.err, ran
    assert "invalid URL" in ran.err and len(ran.err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [("extract", "-"), ("extract", "-", "--json"), ("summary", "-")])
def test_pages_on_stdin_are_printed_inert(home: Path, args: tuple[str, ...]) -> None:
    from tests.hostile.conftest import tidings

    page = (
        "<html><head><title>T [@click=app.quit]x[/] \x1b]0;t\x07</title></head><body><article>"
        + "<p>Story [bold]b[/] :warning: \x1b[2J\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\ \u202erev"
        " \x9b31m and more words to make a story of it.</p>" * 6 + "</article></body></html>"
    )
    ran = tidings(*args, input=page)
    assert ran.returncode == 0 and "Traceback" not in ran.stderr, ran
    assert_inert(ran.stdout + ran.stderr, " ".join(args))
    assert "[bold]b[/]" in ran.stdout and ":warning:" in ran.stdout
