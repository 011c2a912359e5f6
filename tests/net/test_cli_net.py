"""`tidings add` and `tidings refresh` as a person runs them, against a real loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.loopback import Loopback, send

RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
    "<item><title>第一条 first</title><guid>1</guid></item>"
    "<item><title>second</title><guid>2</guid></item></channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Atom side</title><id>urn:x</id><entry><title>atom entry</title><id>urn:x:1</id>"
    "<updated>2026-11-01T00:00:00Z</updated></entry></feed>"
)


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=os.environ
    )


def page(*links: tuple[str, str]) -> bytes:
    heads = "".join(f'<link rel="alternate" type="{t}" href="{h}" title="{h}">' for h, t in links)
    return f"<!doctype html><html><head><title>Site</title>{heads}</head><body>hi</body></html>".encode()


def test_add_a_feed_url_stores_its_items_at_once(server: Loopback) -> None:
    url = server.serve("/feed.xml", RSS.format(title="新闻 News").encode())
    done = tidings("add", url, "--tag", "news", "--tag", "新闻")
    assert done.returncode == 0, done.stderr
    assert "added 新闻 News" in done.stdout and "2 items" in done.stdout
    assert server.hits["/feed.xml"] == 1  # the discovery fetch was reused
    feeds = json.loads(tidings("feeds", "--json").stdout)
    assert feeds[0]["url"] == url and feeds[0]["tags"] == ["news", "新闻"]
    assert tidings("add", url).stdout.startswith("already subscribed")


def test_add_a_page_finds_its_advertised_feed(server: Loopback) -> None:
    server.serve("/feed.xml", RSS.format(title="Advertised").encode())
    site = server.serve("/", page(("/feed.xml", "application/rss+xml")), content_type="text/html")
    done = tidings("add", site)
    assert done.returncode == 0, done.stderr
    assert f"<{server.url('/feed.xml')}>" in done.stdout


def test_add_a_page_with_several_feeds_asks_to_pick(server: Loopback) -> None:
    server.serve("/rss.xml", RSS.format(title="RSS side").encode())
    server.serve("/atom.xml", ATOM.encode(), content_type="application/atom+xml")
    links = (("/rss.xml", "application/rss+xml"), ("/atom.xml", "application/atom+xml"))
    site = server.serve("/", page(*links), content_type="text/html")
    done = tidings("add", site)
    assert done.returncode == 2
    assert "2 feeds found; choose one with --pick N" in done.stderr
    assert "1. " in done.stderr and server.url("/atom.xml") in done.stderr
    picked = tidings("add", site, "--pick", "2")
    assert picked.returncode == 0 and "Atom side" in picked.stdout
    assert tidings("add", site, "--pick", "7").returncode == 2


def test_add_a_page_without_links_tries_the_usual_paths(server: Loopback) -> None:
    server.serve("/atom.xml", ATOM.encode(), content_type="application/atom+xml")
    site = server.serve("/", page(), content_type="text/html")
    done = tidings("add", site)
    assert done.returncode == 0 and "Atom side" in done.stdout


def test_add_nothing_to_find_is_a_clear_error(server: Loopback) -> None:
    site = server.serve("/", page(), content_type="text/html")
    done = tidings("add", site)
    assert done.returncode == 2 and "no feed found" in done.stderr
    server.route("/down", lambda h: send(h, 500, b"", "text/plain"))
    down = tidings("add", server.url("/down"))
    assert down.returncode == 2 and "HTTP 500" in down.stderr
    assert tidings("add", "file:///etc/passwd").returncode == 2


def test_refresh_json_and_exit_code_on_partial_failure(server: Loopback) -> None:
    url = server.serve("/feed.xml", RSS.format(title="ok").encode(), etag='"1"')
    assert tidings("add", url).returncode == 0
    urls = Path(os.environ["TIDINGS_HOME"]) / "urls"  # a newsboat urls file
    urls.write_text(f"{url}\n{server.url('/missing.xml')}\n")
    assert tidings("import", str(urls)).returncode == 0
    done = tidings("refresh", "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert set(report) == {"feeds", "new_items", "not_modified", "failed", "seconds"}
    assert (report["feeds"], report["not_modified"], report["failed"]) == (2, 1, 1)
    server.route("/missing.xml", lambda h: send(h, 200, RSS.format(title="back").encode()))
    fixed = tidings("refresh")
    assert fixed.returncode == 0 and "2 new items" in fixed.stdout
