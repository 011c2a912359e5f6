"""Links and commands: javascript:, file:, data:, vbscript: and leading-dash links are never
opened or followed; shell metacharacters in links and enclosures never reach a shell (links open
through an argv list); OPML and newsboat imports keep only http(s) feeds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.articles.render import html_to_blocks
from reader.feeds.parse import parse_feed
from reader.store.db import Store
from reader.ui import links
from tests.hostile.conftest import assert_inert, cli, data, db_path

REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "file:///etc/passwd",
    "FILE://localhost/etc/shadow",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "-oProxyCommand=touch /tmp/pwned",
    "--help",
    "-",
    "http://example.org/a b",  # a space: an argv-splitting attempt
    "http://example.org/\nrm -rf ~",
    "ftp://ftp.example.org/",
    "ssh://host/",
    "",
]
ALLOWED = [
    "http://example.org/",
    "https://example.org/a?b=1&c=$(id);`id`|x",
    "mailto:desk@example.org",
]


@pytest.mark.parametrize("url", REFUSED)
def test_dangerous_links_are_not_openable(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    monkeypatch.setattr("reader.ui.links.subprocess.Popen", lambda *a, **k: started.append(a))
    monkeypatch.setattr("reader.ui.links.webbrowser.open", lambda *a, **k: started.append(a))
    with pytest.raises(links.LinkError):
        links.check_url(url)
    with pytest.raises(links.LinkError):
        links.open_url(url, ("true",), {"DISPLAY": ":0", "BROWSER": "firefox"})
    assert started == []


@pytest.mark.parametrize("url", ALLOWED)
def test_web_and_mail_links_are_openable(url: str) -> None:
    assert links.check_url(url) == url


def test_feeds_never_store_an_unopenable_link() -> None:
    feed = parse_feed(data("links.xml"), {}, "http://links.example/feed.xml")
    for item in feed.items:
        assert item.link == "" or item.link.startswith(("http://", "https://")), item
        assert not item.link.startswith("http://links.example/-") or "-o" not in item.link[:22]


def test_rendered_stories_number_only_web_and_mail_links() -> None:
    feed = parse_feed(data("links.xml"), {}, "http://links.example/feed.xml")
    html = "".join(i.summary for i in feed.items) + data("injection.xml").decode()
    doc = html_to_blocks(html, "http://links.example/")
    assert doc.links, "the safe link survives"
    for url in doc.links:
        links.check_url(url)  # every numbered link is openable, nothing else got a number


def test_shell_metacharacters_reach_the_browser_as_one_argument(tmp_path: Path) -> None:
    """A real browser process: it receives the URL as one argv entry, byte for byte, and the
    `$(...)`, backticks, `;` and `|` in it run nothing."""
    sentinel = tmp_path / "pwned"
    out = tmp_path / "argv.txt"
    url = f"https://example.org/x;touch%20{sentinel}?a=$(touch {sentinel})&b=`touch {sentinel}`|x"
    url = url.replace(" ", "%20")
    recorder = [sys.executable, "-c",
                "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(repr(sys.argv[2:]))",
                str(out), "{url}"]  # fmt: skip
    assert links.open_url(url, recorder, {}) is True
    for _ in range(200):
        if out.exists() and out.read_text():
            break
        import time

        time.sleep(0.01)
    assert out.read_text() == repr([url])
    assert not sentinel.exists()


def test_browser_env_is_split_but_the_url_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(
        "reader.ui.links.subprocess.Popen", lambda argv, **kw: seen.append((argv, kw))
    )
    url = 'https://example.org/$(id);`id`|cat&x=\'"y"'
    assert links.open_url(url, (), {"BROWSER": "my-browser --new-tab %s:other"})
    argv, kw = seen[0]
    assert argv == ["my-browser", "--new-tab", url]
    assert not kw.get("shell") and kw.get("stdin") is not None


def test_enclosures_are_kept_as_urls_and_never_run(tmp_path: Path) -> None:
    feed = parse_feed(data("injection.xml"), {}, "http://hostile.example/feed.xml")
    enclosures = [e.url for item in feed.items for e in item.enclosures]
    assert enclosures == ["http://hostile.example/a%20b;rm%20-rf.mp3?$(touch%20/tmp/pwned)"]
    json_feed = parse_feed(data("injection.json"), {}, "http://json.example/feed.json")
    assert [e.url for i in json_feed.items for e in i.enclosures] == [
        "http://json.example/a.mp3?$(id)"
    ]


def test_opml_import_keeps_only_http_feeds(home: Path) -> None:
    ran = cli(
        "import", str(Path(__file__).parent.parent / "data" / "hostile" / "subscriptions.opml")
    )
    assert ran.code == 0, ran
    assert_inert(ran.out + ran.err, "import")
    with Store.open(db_path(home), readonly=True) as store:
        urls = sorted(f.url for f in store.feeds())
    assert urls == ["https://ok.example/feed.xml"]
    assert ran.err.count("skipped") == 7, ran.err  # each named, on stderr


def test_newsboat_urls_import_keeps_only_http_feeds(home: Path) -> None:
    ran = cli("import", str(Path(__file__).parent.parent / "data" / "hostile" / "newsboat_urls"))
    assert ran.code == 0, ran
    assert_inert(ran.out + ran.err, "import")
    with Store.open(db_path(home), readonly=True) as store:
        feeds = {f.url: f for f in store.feeds()}
    assert sorted(feeds) == ["https://ok.example/a.xml", "https://ok.example/b.xml"]
    assert feeds["https://ok.example/b.xml"].title == "Title; rm -rf ~"
