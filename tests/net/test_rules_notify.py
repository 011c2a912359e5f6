"""Rules on a cold refresh and the notification after it, through `tidings` as a person runs
it, against feeds on a loopback server the test starts."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tty
from pathlib import Path

from tests.loopback import Loopback

RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
    "{items}</channel></rss>"
)
ITEM = "<item><title>{title}</title><guid>{guid}</guid><description>{body}</description></item>"

RECORDER = """import json, sys
with open(sys.argv[1], "a", encoding="utf-8") as f:
    f.write(json.dumps(sys.argv[2:], ensure_ascii=False) + "\\n")
"""


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=os.environ
    )


def feed(title: str, *items: tuple[str, str, str]) -> bytes:
    body = "".join(ITEM.format(guid=g, title=t, body=b) for g, t, b in items)
    return RSS.format(title=title, items=body).encode()


def write_config(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(text, encoding="utf-8")


def recorder(tmp_path: Path) -> tuple[Path, str]:
    """A notification command that appends its argv to a file; (the file, its argv as TOML)."""
    script = tmp_path / "record.py"
    script.write_text(RECORDER, encoding="utf-8")
    calls = tmp_path / "calls.jsonl"
    argv = [sys.executable, str(script), str(calls), "{count} new", "{title}", "{feed}"]
    return calls, json.dumps(argv)


def calls_of(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rules_act_on_a_cold_refresh_and_a_bad_one_never_stops_it(
    server: Loopback, tidings_home: Path, tmp_path: Path
) -> None:
    tech = server.serve("/tech.xml", feed(
        "Tech Daily",
        ("1", "Bitcoin rises again", "crypto"),
        ("2", "Python 3.14 released", "a new &lt;b&gt;release&lt;/b&gt;"),
        ("3", "Sponsored: win a phone", "giveaway"),
    ))  # fmt: skip
    news = server.serve("/news.xml", feed(
        "咸宁新闻", ("a", "咸宁：严厉禁毒", "全国禁毒示范城市"), ("b", "天气", "晴"),
    ))  # fmt: skip
    calls, argv = recorder(tmp_path)
    write_config(
        tidings_home,
        f"""
[[rules]]
query = "bitcoin"
action = "hide"
[[rules]]
query = "since:yesterday"
action = "read"
[[rules]]
query = 'feed:"Tech Daily" sponsored'
action = "read"
[[rules]]
query = "python"
action = "tag:later"
[[rules]]
query = "禁毒"
action = "notify"
[notify]
command = {argv}
""",
    )
    assert tidings("import", str(_urls(tmp_path, tech, news))).returncode == 0
    done = tidings("refresh", "--json")  # cold: every item is new
    assert done.returncode == 0, done.stderr
    assert "rule 2 ('since:yesterday'): query: since: takes a date" in done.stderr
    listed = {h["title"]: h for h in json.loads(tidings("list", "--json").stdout)}
    assert "Bitcoin rises again" not in listed
    assert listed["Sponsored: win a phone"]["read"] is True
    assert listed["Python 3.14 released"]["read"] is False
    found = json.loads(tidings("search", "is:hidden", "--json").stdout)
    assert [h["title"] for h in found["hits"]] == ["Bitcoin rises again"]
    assert "later" in tidings("bookmarks", "--tags").stdout
    assert calls_of(calls) == [["1 new", "咸宁：严厉禁毒", "咸宁新闻"]]  # the notify rule's match


def test_rules_apply_when_items_are_first_stored_and_a_notify_rule_notifies_once(
    server: Loopback, tidings_home: Path, tmp_path: Path
) -> None:
    url = server.serve("/news.xml", feed(
        "咸宁新闻", ("a", "咸宁：严厉禁毒", "全国禁毒示范城市"), ("b", "天气", "晴"),
        ("c", "\x1b]0;evil\x07禁毒 again", "禁毒"),
    ))  # fmt: skip
    calls, argv = recorder(tmp_path)
    write_config(tidings_home, f'[[rules]]\nquery = "禁毒"\naction = "notify"\n'
                               f"[notify]\ncommand = {argv}\n")  # fmt: skip
    tidings("import", str(_urls(tmp_path, url)))
    assert tidings("refresh").returncode == 0
    assert len(calls_of(calls)) == 1
    count, title, feed_name = calls_of(calls)[0]
    assert count == "2 new" and feed_name == "咸宁新闻"
    assert "禁毒" in title and "\x1b" not in title and "\x07" not in title
    assert tidings("refresh").returncode == 0  # nothing new: no second notification
    assert len(calls_of(calls)) == 1


def test_new_items_notify_once_per_refresh_without_notify_rules(
    server: Loopback, tidings_home: Path, tmp_path: Path
) -> None:
    urls = [server.serve(f"/f{n}.xml", feed(f"Feed {n}", (f"{n}", f"--help item {n}", "x")))
            for n in range(3)]  # fmt: skip
    calls, argv = recorder(tmp_path)
    write_config(tidings_home, f"[notify]\ncommand = {argv}\n")
    tidings("import", str(_urls(tmp_path, *urls)))
    assert tidings("refresh").returncode == 0
    recorded = calls_of(calls)
    assert len(recorded) == 1 and recorded[0][0] == "3 new"
    assert recorded[0][1].startswith(" --help item")  # a title never becomes an option


def _urls(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "urls"
    path.write_text("".join(u + "\n" for u in urls), encoding="utf-8")
    return path


def test_the_reader_refresh_notifies_once_too(server: Loopback, tmp_path: Path) -> None:
    """The reader refreshes through LazyService: the same single notification."""
    import asyncio

    from reader.config import parse_config
    from reader.store.db import Store
    from reader.ui.context import LazyService

    url = server.serve("/f.xml", feed("Reader Feed", ("r1", "One", "x"), ("r2", "Two", "y")))
    calls, argv = recorder(tmp_path)
    config = parse_config(f"[notify]\ncommand = {argv}\n")
    with Store.open(tmp_path / "db") as store:
        store.add_feed(url)
        report = asyncio.run(LazyService(config, store).refresh())
        assert report.new_items == 2
        assert calls_of(calls) == [["2 new", "Two", "Reader Feed"]] or calls_of(calls) == [
            ["2 new", "One", "Reader Feed"]
        ]
        asyncio.run(LazyService(config, store).refresh())  # nothing new: no second one
    assert len(calls_of(calls)) == 1


def test_a_feed_no_rule_applies_to_is_not_matched_until_its_new_title_lets_one_in(
    server: Loopback, tmp_path: Path
) -> None:
    """The parser processes look for the rules' words only in feeds a rule with words may apply
    to (RuleRun.terms_for); a feed whose first refresh brings the title a rule names is matched
    in full as its items are stored."""
    import asyncio

    from reader.config import parse_config
    from reader.service import Service
    from reader.store.db import Store

    url = server.serve("/w.xml", feed(
        "Storm Watch", ("w1", "Storm over the harbour", "wind"), ("w2", "Calm day", "sun"),
    ))  # fmt: skip
    config = parse_config(
        "[[rules]]\nquery = 'feed:\"Storm Watch\" harbour'\naction = 'read'\n"
        "[[rules]]\nquery = 'feed:Elsewhere calm'\naction = 'hide'\n"
    )
    with Store.open(tmp_path / "db") as store:
        added, _ = store.add_feed(url)
        service = Service(config, store)
        run = service.rule_run()
        assert run is not None and added.title == ""
        assert run.terms_for(added.title, added.url, added.tags) == ()  # nothing to look for
        assert run.terms_for("Storm Watch", added.url, ()) == run.rules.terms
        asyncio.run(service.refresh())
        shown = {h.title: h for h in store.headlines()}
    assert shown["Storm over the harbour"].read and not shown["Calm day"].read


def _pty_output(master: int) -> bytes:
    got = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        got += chunk
    return got


def test_the_command_line_writes_a_terminal_notification_only_to_a_terminal_stdout(
    server: Loopback, tidings_home: Path, tmp_path: Path
) -> None:
    """`[notify] terminal`: the sequence goes to stdout when stdout is a terminal, and nowhere
    when it is a pipe (cron, `| less`): no /dev/tty is opened behind the pipe's back."""
    url = server.serve("/t.xml", feed("Term Feed", ("t1", "Storm", "x")))
    write_config(tidings_home, "[notify]\nterminal = true\n")
    tidings("import", str(_urls(tmp_path, url)))
    env = dict(os.environ, TERM="foot")
    env.pop("TMUX", None)
    piped = subprocess.run([sys.executable, "-m", "reader", "refresh"], capture_output=True,
                           env=env, start_new_session=True)  # fmt: skip
    assert piped.returncode == 0 and b"\x1b]777" not in piped.stdout + piped.stderr
    server.serve("/t.xml", feed("Term Feed", ("t2", "Calm", "y")))
    master, slave = os.openpty()
    tty.setraw(slave)
    done = subprocess.run([sys.executable, "-m", "reader", "refresh"], stdout=slave,
                          stderr=subprocess.PIPE, env=env, start_new_session=True)  # fmt: skip
    os.close(slave)
    shown = _pty_output(master)
    os.close(master)
    assert done.returncode == 0, done.stderr
    assert b"\x1b]777;notify;tidings: 1 new;Calm (Term Feed)\x1b\\" in shown


async def test_the_reader_says_when_the_notify_command_fails(
    server: Loopback, tmp_path: Path
) -> None:
    """A notify command that fails is one line among the reader's background errors
    (messages.Failed), as a failed refresh or sync is."""
    from reader.config import parse_config
    from reader.store.db import Store
    from reader.ui.context import LazyService
    from tests.ui.conftest import wait_for_note
    from tests.ui.fixtures import make_app

    url = server.serve("/n.xml", feed("Notify Feed", ("n1", "One", "x")))
    script = tmp_path / "fail.py"
    script.write_text("import sys\nsys.stderr.write('no display here\\n')\nsys.exit(3)\n")
    config = parse_config(f"[notify]\ncommand = {json.dumps([sys.executable, str(script)])}\n")
    with Store.open(tmp_path / "db") as store:
        store.add_feed(url)
        service = LazyService(config, store)
        app = make_app(store, tmp_path / "state", config=config, service=service,
                       refresh_on_start=True)  # fmt: skip
        async with app.run_test(size=(120, 30)) as pilot:
            shown = await wait_for_note(pilot, "exited 3")
    failed = [n for n in shown if "exited 3" in n]
    assert failed == [f"Notify: notify command {sys.executable!r} exited 3: no display here"]
