"""Opening links safely: http, https and mailto only, as an argv list, never through a shell.

The browser is `[ui] browser` from config.toml (an argv list, `{url}` replaced, else the URL is
appended), else `$BROWSER` (a `:`-separated list of commands, `%s` replaced), else the
`webbrowser` module when a graphical session is there to show it. A terminal without one gets the
link copied to the clipboard instead (the caller does that: see `open_url`'s result).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import webbrowser
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

SCHEMES = frozenset({"http", "https", "mailto"})


class LinkError(Exception):
    """A link that must not be opened (bad scheme, looks like an option, malformed)."""


def check_url(url: str) -> str:
    """`url` when it may be opened; raises LinkError naming the problem."""
    if not url:
        raise LinkError("this story has no link")
    if url[0] == "-" or url != url.strip() or any(ord(c) < 0x21 for c in url):
        raise LinkError("refused: the link is malformed")
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        raise LinkError("refused: the link is malformed") from None
    if scheme not in SCHEMES:
        raise LinkError(f"refused: only http, https and mailto links open ({scheme or 'none'})")
    return url


def browser_argv(url: str, configured: Sequence[str], env: Mapping[str, str]) -> list[str] | None:
    """The argv that opens `url`, or None when the webbrowser module should decide."""
    if configured:
        argv = [part.replace("{url}", url) for part in configured]
        return argv if any("{url}" in part for part in configured) else [*argv, url]
    browser = env.get("BROWSER", "").split(os.pathsep)[0].strip()
    if not browser:
        return None
    try:
        parts = shlex.split(browser)
    except ValueError:
        return None
    if any("%s" in part for part in parts):
        return [part.replace("%s", url) for part in parts]
    return [*parts, url] if parts else None


def has_display(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a graphical browser can be shown (so the webbrowser module is safe to use:
    without a display it would start a text browser inside our own terminal)."""
    if platform in ("darwin", "win32"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def open_url(
    url: str, configured: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> bool:
    """Open `url` in a browser; False when there is no browser to open it with.

    Raises LinkError for a link that must not be opened or a browser that failed to start.
    """
    check_url(url)
    env = os.environ if env is None else env
    argv = browser_argv(url, configured, env)
    if argv is None:
        return has_display(env) and webbrowser.open(url, new=2)
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise LinkError(f"cannot start the browser {argv[0]!r}: {exc.strerror or exc}") from None
    return True
