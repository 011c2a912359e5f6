"""Run coldsweat's command line (`python coldsweat_run.py setup ... + import ...`) in its own
venv, with two of its habits turned off for tests: it asks an outside icon service after each
feed fetch (a no-op here: tests never touch the internet), and it skips feeds checked in the
last 180 s (MIN_FETCH_INTERVAL, 0 here: a test fetches again at once). It reads
<venv>/var/coldsweat-instance/config.toml before any environment variable, so that file must not
exist: the tests configure coldsweat with FLASK_DATABASE_URL only.
"""

import sys
from pathlib import Path

import coldsweat  # type: ignore[import-not-found]
import coldsweat.fetcher  # type: ignore[import-not-found]

instance = Path(sys.prefix) / "var" / "coldsweat-instance" / "config.toml"
if instance.exists():
    sys.exit(f"coldsweat_run: {instance} would override the test's settings; remove it")
coldsweat.fetcher.Fetcher._fetch_icon = lambda self: None
coldsweat.fetcher.MIN_FETCH_INTERVAL = 0
commands: list[list[str]] = [[]]
for arg in sys.argv[1:]:  # several commands in one process, separated by "+"
    if arg == "+":
        commands.append([])
    else:
        commands[-1].append(arg)
for command in commands[:-1]:
    coldsweat.cli.main(command, standalone_mode=False)
coldsweat.cli(commands[-1])
