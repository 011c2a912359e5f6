"""A real Fever API server for tests: coldsweat (PyPI, Flask) in its own venv (.venv-coldsweat,
built by `make test` from tests/sync/coldsweat-requirements.txt), on 127.0.0.1, with its
database in a temp dir, fetching the tests' own loopback feeds (see coldsweat_run.py).

    server = Coldsweat(workdir)          # setup once, then server.start()
    server.add_user("a@example.org", password, opml)   # a fresh account: its own read/saved
    server.fever(email, password, "unread_item_ids")   # as another Fever client would ask
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("TIDINGS_COLDSWEAT_VENV", ROOT / ".venv-coldsweat"))
RUN = Path(__file__).with_name("coldsweat_run.py")


def installed() -> bool:
    """Whether the coldsweat venv is there."""
    return (VENV / "bin" / "python").exists()


class Coldsweat:
    """One coldsweat instance: a database and, while started, its web server."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.db = workdir / "coldsweat.db"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "FLASK_DATABASE_URL": f"sqlite:///{self.db}",
            "FLASK_SECRET_KEY": "tests only",
            "NO_PROXY": "*",
        }
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/fever/"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = workdir / "coldsweat.log"

    def cli(self, *args: str) -> str:
        """Run a coldsweat command; its output (CalledProcessError with it when it fails)."""
        done = subprocess.run([str(VENV / "bin" / "python"), str(RUN), *args], env=self.env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(f"coldsweat {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout + done.stderr

    def add_user(self, email: str, password: str, opml: Path, *, fetch: bool = False) -> None:
        """A new account subscribed to the feeds of `opml` (fetched first when `fetch`)."""
        self.cli("setup", email, "-p", password, "+", "import", str(opml), email,
                 *(["--fetch"] if fetch else []))  # fmt: skip

    def start(self) -> None:
        """Serve on the same port (again), waiting until it answers."""
        log = self._log.open("ab")
        self._proc = subprocess.Popen(
            [str(VENV / "bin" / "python"), str(RUN), "run", "--host", "127.0.0.1",
             "--port", str(self.port)],
            env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise AssertionError(f"coldsweat stopped: {self._log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("coldsweat did not start listening in 60 s")

    def stop(self) -> None:
        """Stop serving (the database stays)."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def fever(self, email: str, password: str, query: str, **form: str) -> dict[str, Any]:
        """One Fever API request, as another client (a phone) makes it."""
        key = hashlib.md5(f"{email}:{password}".encode()).hexdigest()
        body = urllib.parse.urlencode({"api_key": key, **form}).encode()
        url = f"{self.url}?api" + (f"&{query}" if query else "")
        with urllib.request.urlopen(url, data=body, timeout=30) as answer:
            result: dict[str, Any] = json.load(answer)
        assert result.get("auth") == 1, result
        return result

    def ids(self, email: str, password: str, which: str) -> set[int]:
        """`unread_item_ids` or `saved_item_ids` of an account."""
        value = self.fever(email, password, which)[which]
        return {int(i) for i in str(value).split(",") if i}

    def links(self, email: str, password: str, ids: set[int]) -> dict[int, str]:
        """The link of each of these items."""
        found: dict[int, str] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 50):
            chunk = ",".join(map(str, wanted[start : start + 50]))
            for item in self.fever(email, password, f"items&with_ids={chunk}")["items"]:
                found[int(item["id"])] = item["url"]
        return found
